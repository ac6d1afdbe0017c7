package surveys

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeviceCandidatesAsProjections checks that finding device candidates
// by device gives the candidates the projection index gives, on keys made
// to collide: shared phones, codes one or two elements apart, opaque
// participants, missing devices.
func TestDeviceCandidatesAsProjections(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	key := func() PairKey {
		k := PairKey{Device: []string{"", "d1", "d2", "d3"}[rng.IntN(4)]}
		if rng.IntN(5) == 0 {
			k.Participant = []string{"0000", "0101", "opaque"}[rng.IntN(3)] // may equal a coded one
			return k
		}
		for i := range k.Parts {
			k.Parts[i] = fmt.Sprint(rng.IntN(2))
		}
		k.Participant = k.Parts[0] + k.Parts[1] + k.Parts[2] + k.Parts[3]
		return k
	}
	withDevice := func(k PairKey) bool { return k.Device != "" }
	sameDevice := func(a, b PairKey) bool {
		if !a.coded() || !b.coded() {
			return a.Participant == b.Participant
		}
		return codeAgreements(a, b) >= 3
	}
	for round := range 300 {
		pre, post := make([]PairKey, rng.IntN(12)), make([]PairKey, rng.IntN(12))
		for i := range pre {
			pre[i] = key()
		}
		for i := range post {
			post[i] = key()
		}
		p := Pairing{Pre: newPairOutcomes(len(pre)), Post: newPairOutcomes(len(post))}
		if rng.IntN(2) == 0 && len(pre) > 0 && len(post) > 0 {
			p.Pre[0].With, p.Post[0].With = 0, 0 // already paired: not free
		}
		gotC, gotN := p.deviceCandidates(pre, post, withDevice, sameDevice)
		wantC, wantN := p.projectionCandidates(pre, post, true, withDevice, sameDevice)
		same := len(gotC) == len(wantC) && slices.Equal(gotN, wantN)
		for i, list := range wantC {
			same = same && slices.Equal(slices.Sorted(slices.Values(gotC[i])), slices.Sorted(slices.Values(list)))
		}
		if !same {
			t.Fatalf("round %d: pre %v post %v: by device %v %v, by projection %v %v", round, pre, post,
				gotC, gotN, wantC, wantN)
		}
	}
}
