package surveys

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// coded is a key for the code "mere jour mois lettre2", e.g. "M 12 3 A", on
// device (or none for "").
func coded(code, device string) PairKey {
	f := strings.Fields(code)
	if len(f) != 4 {
		panic("coded: want four elements in " + code)
	}
	k := PairKey{Participant: "code:" + strings.Join(f, "-"), Device: device}
	for i, v := range f {
		k.Parts[i] = fmt.Sprintf("%d:%s", i, v)
	}
	return k
}

func opaque(participant, device string) PairKey {
	return PairKey{Participant: "opaque:" + participant, Device: device}
}

func TestPairResponses(t *testing.T) {
	tests := []struct {
		name       string
		pre, post  []PairKey
		want       []Pair
		stats      PairingStats
		duplicates int
	}{
		{name: "empty"},
		{
			name:  "PRE only",
			pre:   []PairKey{coded("M 1 1 A", "p1"), coded("N 2 2 B", "")},
			stats: PairingStats{UnmatchedPre: 2},
		},
		{
			name:  "device, same code",
			pre:   []PairKey{coded("M 12 3 A", "p1")},
			post:  []PairKey{coded("M 12 3 A", "p1")},
			want:  []Pair{{0, 0, PairedByDevice}},
			stats: PairingStats{Device: 1},
		},
		{
			name:  "device, codes agreeing on 3 elements",
			pre:   []PairKey{coded("M 12 3 A", "p1"), coded("S 4 5 O", "p2")},
			post:  []PairKey{coded("S 4 5 O", "p2"), coded("M 21 3 A", "p1")},
			want:  []Pair{{0, 1, PairedByDevice}, {1, 0, PairedByDevice}},
			stats: PairingStats{Device: 2},
		},
		{
			name:  "device, codes agreeing on only 2 elements: no pair",
			pre:   []PairKey{coded("M 12 3 A", "p1")},
			post:  []PairKey{coded("N 12 3 E", "p1")},
			stats: PairingStats{UnmatchedPre: 1, UnmatchedPost: 1},
		},
		{
			// Two POSTs on the phone agree with the PRE on 3 elements or
			// more: no device pair; the identical code pairs by code and the
			// other POST is left with no candidate.
			name:  "device not unique, falls through to code",
			pre:   []PairKey{coded("M 12 3 A", "tablet")},
			post:  []PairKey{coded("M 12 3 E", "tablet"), coded("M 12 3 A", "tablet")},
			want:  []Pair{{0, 1, PairedByCode}},
			stats: PairingStats{Code: 1, UnmatchedPost: 1},
		},
		{
			name:  "code, new device",
			pre:   []PairKey{coded("M 12 3 A", "p1"), coded("C 30 11 L", "p2")},
			post:  []PairKey{coded("C 30 11 L", "tablet"), coded("M 12 3 A", "")},
			want:  []Pair{{0, 1, PairedByCode}, {1, 0, PairedByCode}},
			stats: PairingStats{Code: 2},
		},
		{
			name:  "fuzzy code, one element mistyped",
			pre:   []PairKey{coded("M 12 3 A", "p1"), coded("C 30 11 L", "p2")},
			post:  []PairKey{coded("C 30 11 L", "p2"), coded("M 12 8 A", "")},
			want:  []Pair{{0, 1, PairedByFuzzyCode}, {1, 0, PairedByDevice}},
			stats: PairingStats{Device: 1, FuzzyCode: 1},
		},
		{
			name:  "fuzzy code, two candidates: ambiguous",
			pre:   []PairKey{coded("M 12 3 A", "")},
			post:  []PairKey{coded("M 12 3 E", ""), coded("N 12 3 A", "")},
			stats: PairingStats{Ambiguous: 3},
		},
		{
			name:  "chain PRE A ~ POST B ~ PRE C: ambiguous",
			pre:   []PairKey{coded("M 12 3 A", ""), coded("M 12 4 E", "")},
			post:  []PairKey{coded("M 12 3 E", "")},
			stats: PairingStats{Ambiguous: 3},
		},
		{
			// C pairs with D by code first, which leaves B to A alone.
			name:  "chain broken by an earlier rule",
			pre:   []PairKey{coded("M 12 3 A", ""), coded("M 12 4 E", "")},
			post:  []PairKey{coded("M 12 3 E", ""), coded("M 12 4 E", "")},
			want:  []Pair{{0, 0, PairedByFuzzyCode}, {1, 1, PairedByCode}},
			stats: PairingStats{Code: 1, FuzzyCode: 1},
		},
		{
			name:  "codes two elements apart: unmatched",
			pre:   []PairKey{coded("M 12 3 A", "")},
			post:  []PairKey{coded("M 21 3 E", "")},
			stats: PairingStats{UnmatchedPre: 1, UnmatchedPost: 1},
		},
		{
			name:       "duplicate PRE: the participant leaves pairing, POST too",
			pre:        []PairKey{coded("M 12 3 A", "p1"), coded("M 12 3 A", "p1"), coded("S 4 5 O", "p2")},
			post:       []PairKey{coded("M 12 3 A", "p1"), coded("S 4 5 O", "p2")},
			want:       []Pair{{2, 1, PairedByDevice}},
			stats:      PairingStats{Device: 1},
			duplicates: 1,
		},
		{
			name:       "duplicate in both phases counts once",
			pre:        []PairKey{coded("M 12 3 A", "p1"), coded("M 12 3 A", "p2")},
			post:       []PairKey{coded("M 12 3 A", "p1"), coded("M 12 3 A", "p2")},
			duplicates: 1,
		},
		{
			// The duplicate's POST is one element away from another pupil's
			// PRE: it is out of pairing, so it can neither pair nor make
			// that PRE ambiguous.
			name:       "a duplicate's response is no candidate",
			pre:        []PairKey{coded("M 12 3 A", ""), coded("M 12 3 A", ""), coded("M 12 3 E", "")},
			post:       []PairKey{coded("M 12 3 A", "")},
			stats:      PairingStats{UnmatchedPre: 1},
			duplicates: 1,
		},
		{
			name:  "opaque participants pair on equality only",
			pre:   []PairKey{opaque("abc", ""), opaque("xyz", "p1"), opaque("abd", "")},
			post:  []PairKey{opaque("xyz", "p1"), opaque("abc", "tablet"), opaque("abe", "")},
			want:  []Pair{{0, 1, PairedByCode}, {1, 0, PairedByDevice}},
			stats: PairingStats{Device: 1, Code: 1, UnmatchedPre: 1, UnmatchedPost: 1},
		},
		{
			name:  "opaque and coded on one device: no pair",
			pre:   []PairKey{opaque("abc", "p1")},
			post:  []PairKey{coded("M 12 3 A", "p1")},
			stats: PairingStats{UnmatchedPre: 1, UnmatchedPost: 1},
		},
		{
			name:       "duplicate opaque participant",
			pre:        []PairKey{opaque("abc", ""), opaque("abc", "")},
			post:       []PairKey{opaque("abc", "")},
			duplicates: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PairResponses(tt.pre, tt.post)
			if !slices.Equal(got.Pairs, tt.want) {
				t.Errorf("pairs: got %v, want %v", got.Pairs, tt.want)
			}
			if got.Stats != tt.stats {
				t.Errorf("stats: got %+v, want %+v", got.Stats, tt.stats)
			}
			if got.Duplicates != tt.duplicates {
				t.Errorf("duplicates: got %d, want %d", got.Duplicates, tt.duplicates)
			}
			checkPairingConsistent(t, got, len(tt.pre), len(tt.post))
		})
	}
}

func TestPairResponsesOutcomes(t *testing.T) {
	pre := []PairKey{coded("M 12 3 A", "p1"), coded("M 12 3 A", "p1"), coded("S 4 5 O", ""), coded("C 1 1 L", "")}
	post := []PairKey{coded("S 4 6 O", ""), coded("M 12 3 A", "p1"), coded("C 1 1 E", ""), coded("C 1 2 L", "")}
	got := PairResponses(pre, post)
	wantPre := []PairOutcome{
		{With: -1, Duplicate: true},
		{With: -1, Duplicate: true},
		{With: 0, By: PairedByFuzzyCode},
		{With: -1, Ambiguous: true},
	}
	wantPost := []PairOutcome{
		{With: 2, By: PairedByFuzzyCode},
		{With: -1, Duplicate: true},
		{With: -1, Ambiguous: true},
		{With: -1, Ambiguous: true},
	}
	if !slices.Equal(got.Pre, wantPre) {
		t.Errorf("PRE outcomes: got %+v, want %+v", got.Pre, wantPre)
	}
	if !slices.Equal(got.Post, wantPost) {
		t.Errorf("POST outcomes: got %+v, want %+v", got.Post, wantPost)
	}
}

// checkPairingConsistent checks that every response is counted exactly once
// and that Pairs, outcomes and stats agree.
func checkPairingConsistent(t *testing.T, p Pairing, nPre, nPost int) {
	t.Helper()
	if len(p.Pre) != nPre || len(p.Post) != nPost {
		t.Fatalf("outcomes: got %d PRE and %d POST, want %d and %d", len(p.Pre), len(p.Post), nPre, nPost)
	}
	by := map[PairedBy]int{}
	for _, pr := range p.Pairs {
		by[pr.By]++
		if p.Pre[pr.Pre].With != pr.Post || p.Post[pr.Post].With != pr.Pre ||
			p.Pre[pr.Pre].By != pr.By || p.Post[pr.Post].By != pr.By {
			t.Errorf("pair %v disagrees with outcomes %+v, %+v", pr, p.Pre[pr.Pre], p.Post[pr.Post])
		}
	}
	if by[PairedByDevice] != p.Stats.Device || by[PairedByCode] != p.Stats.Code || by[PairedByFuzzyCode] != p.Stats.FuzzyCode {
		t.Errorf("pairs by rule %v disagree with stats %+v", by, p.Stats)
	}
	count := func(outcomes []PairOutcome) (paired, dup, amb, unmatched int) {
		for _, o := range outcomes {
			states := 0
			if o.With >= 0 {
				paired++
				states++
			}
			if o.Duplicate {
				dup++
				states++
			}
			if o.Ambiguous {
				amb++
				states++
			}
			if states == 0 {
				unmatched++
			}
			if states > 1 {
				t.Errorf("outcome %+v is in more than one state", o)
			}
		}
		return
	}
	_, _, ambPre, unPre := count(p.Pre)
	_, _, ambPost, unPost := count(p.Post)
	if ambPre+ambPost != p.Stats.Ambiguous || unPre != p.Stats.UnmatchedPre || unPost != p.Stats.UnmatchedPost {
		t.Errorf("outcomes (ambiguous %d+%d, unmatched %d, %d) disagree with stats %+v", ambPre, ambPost, unPre, unPost, p.Stats)
	}
	if !slices.IsSortedFunc(p.Pairs, func(a, b Pair) int { return a.Pre - b.Pre }) {
		t.Errorf("pairs not sorted by PRE: %v", p.Pairs)
	}
}

// randomWorkshop draws keys from tiny alphabets, so that near-misses, chains,
// duplicates and shared devices are common.
func randomWorkshop(r *rand.Rand, n int) (pre, post []PairKey) {
	draw := func() PairKey {
		if r.IntN(8) == 0 {
			return opaque(fmt.Sprint(r.IntN(4)), fmt.Sprint(r.IntN(3)))
		}
		code := fmt.Sprintf("%c %d %d %c", 'A'+r.IntN(2), 1+r.IntN(3), 1+r.IntN(2), 'A'+r.IntN(3))
		device := ""
		if r.IntN(2) == 0 {
			device = fmt.Sprint(r.IntN(n + 1))
		}
		return coded(code, device)
	}
	for range 1 + r.IntN(n) {
		pre = append(pre, draw())
	}
	for range r.IntN(n + 1) {
		post = append(post, draw())
	}
	return pre, post
}

func TestPairResponsesMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 3000 {
		pre, post := randomWorkshop(r, 14)
		got := PairResponses(pre, post)
		want := referencePairing(pre, post)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workshop %d: pre %v, post %v:\ngot  %+v\nwant %+v", i, pre, post, got, want)
		}
		checkPairingConsistent(t, got, len(pre), len(post))
	}
}

// TestPairResponsesOrder: shuffling the inputs gives the same pairs and
// outcomes, as sets of keys.
func TestPairResponsesOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for i := range 1000 {
		pre, post := randomWorkshop(r, 14)
		want := pairingByKey(pre, post, PairResponses(pre, post))
		sPre, sPost := slices.Clone(pre), slices.Clone(post)
		r.Shuffle(len(sPre), func(a, b int) { sPre[a], sPre[b] = sPre[b], sPre[a] })
		r.Shuffle(len(sPost), func(a, b int) { sPost[a], sPost[b] = sPost[b], sPost[a] })
		got := pairingByKey(sPre, sPost, PairResponses(sPre, sPost))
		if !slices.Equal(got, want) {
			t.Fatalf("workshop %d: shuffled\ngot  %v\nwant %v", i, got, want)
		}
	}
}

// pairingByKey describes a pairing by keys instead of indexes, sorted.
func pairingByKey(pre, post []PairKey, p Pairing) []string {
	var out []string
	describe := func(phase string, keys, other []PairKey, outcomes []PairOutcome) {
		for i, o := range outcomes {
			with := ""
			if o.With >= 0 {
				with = fmt.Sprint(other[o.With])
			}
			out = append(out, fmt.Sprintf("%s %v -> %q by %q dup=%t amb=%t", phase, keys[i], with, o.By, o.Duplicate, o.Ambiguous))
		}
	}
	describe("pre", pre, post, p.Pre)
	describe("post", post, pre, p.Post)
	out = append(out, fmt.Sprintf("stats %+v duplicates %d", p.Stats, p.Duplicates))
	slices.Sort(out)
	return out
}

// referencePairing applies the rules the plain way, comparing every PRE with
// every POST: the index in PairResponses must find the same candidates.
func referencePairing(pre, post []PairKey) Pairing {
	p := Pairing{Pre: newPairOutcomes(len(pre)), Post: newPairOutcomes(len(post))}
	p.markDuplicates(pre, post)
	agree := func(a, b PairKey) int {
		n := 0
		for i := range 4 {
			if a.Parts[i] == b.Parts[i] {
				n++
			}
		}
		return n
	}
	isCoded := func(k PairKey) bool { return !slices.Contains(k.Parts[:], "") }
	mutualUnique := func(ok func(a, b PairKey) bool, by PairedBy) map[int][]int {
		cands := map[int][]int{}
		named := make([]int, len(post))
		for i := range pre {
			for j := range post {
				if freeAt(p.Pre, i) && freeAt(p.Post, j) && ok(pre[i], post[j]) {
					cands[i] = append(cands[i], j)
					named[j]++
				}
			}
		}
		for i, c := range cands {
			if len(c) == 1 && named[c[0]] == 1 {
				p.pair(i, c[0], by)
			}
		}
		return cands
	}
	mutualUnique(func(a, b PairKey) bool {
		if a.Device == "" || a.Device != b.Device {
			return false
		}
		if isCoded(a) && isCoded(b) {
			return agree(a, b) >= 3
		}
		return !isCoded(a) && !isCoded(b) && a.Participant == b.Participant
	}, PairedByDevice)
	for i := range pre {
		for j := range post {
			if freeAt(p.Pre, i) && freeAt(p.Post, j) && pre[i].Participant == post[j].Participant {
				p.pair(i, j, PairedByCode)
			}
		}
	}
	cands := mutualUnique(func(a, b PairKey) bool {
		return isCoded(a) && isCoded(b) && agree(a, b) == 3
	}, PairedByFuzzyCode)
	for i, c := range cands {
		if p.Pre[i].With >= 0 {
			continue
		}
		p.Pre[i].Ambiguous = true
		for _, j := range c {
			p.Post[j].Ambiguous = true
		}
	}
	for _, o := range append(slices.Clone(p.Pre), p.Post...) {
		if o.Ambiguous {
			p.Stats.Ambiguous++
		}
	}
	p.Stats.UnmatchedPre = unmatchedCount(p.Pre)
	p.Stats.UnmatchedPost = unmatchedCount(p.Post)
	slices.SortFunc(p.Pairs, func(a, b Pair) int { return a.Pre - b.Pre })
	return p
}
