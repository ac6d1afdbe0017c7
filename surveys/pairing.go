package surveys

import "sort"

// PairKey is one response as pairing sees it: keyed hashes only, never the
// code itself.
type PairKey struct {
	// Participant is the hash of the whole code, or of an opaque participant
	// string sent by an API client. It must not be empty.
	Participant string
	// Parts are the hashes of mere, jour, mois and lettre2, in that order.
	// All four are empty for an opaque participant; a key with any part
	// empty is treated as opaque (it pairs on Participant only).
	Parts [4]string
	// Device is the hash of the device id, or "" when none was sent.
	Device string
}

// coded reports whether k carries the four element hashes, so that it can be
// compared element by element.
func (k PairKey) coded() bool {
	return k.Parts[0] != "" && k.Parts[1] != "" && k.Parts[2] != "" && k.Parts[3] != ""
}

// agreements counts the elements on which two coded keys agree.
func codeAgreements(a, b PairKey) int {
	n := 0
	for i := range a.Parts {
		if a.Parts[i] == b.Parts[i] {
			n++
		}
	}
	return n
}

// PairedBy says which rule paired a PRE and a POST response.
type PairedBy string

// The pairing rules, in the order they are applied.
const (
	PairedByDevice    PairedBy = "device"
	PairedByCode      PairedBy = "code"
	PairedByFuzzyCode PairedBy = "fuzzy_code"
)

// Pair is a PRE and a POST response of one pupil: indexes into the slices
// given to PairResponses.
type Pair struct {
	Pre, Post int
	By        PairedBy
}

// PairOutcome is what pairing decided for one response.
type PairOutcome struct {
	// With is the index of the paired response in the other phase, -1 when
	// the response is unpaired.
	With int
	// By is the rule that paired it, "" when unpaired.
	By PairedBy
	// Duplicate: its participant answered one phase more than once, so all of
	// the participant's responses, in both phases, are left out of pairing.
	Duplicate bool
	// Ambiguous: left unpaired although it still has a candidate (a code
	// differing in exactly one element) that is not unique both ways.
	Ambiguous bool
}

// PairingStats are the pairing diagnostics of one workshop. Device, Code and
// FuzzyCode count pairs; Ambiguous counts responses, PRE and POST together;
// UnmatchedPre and UnmatchedPost count the other unpaired responses. Responses
// of duplicate participants are in none of them.
type PairingStats struct {
	Device        int `json:"device"`
	Code          int `json:"code"`
	FuzzyCode     int `json:"fuzzy_code"`
	Ambiguous     int `json:"ambiguous"`
	UnmatchedPre  int `json:"unmatched_pre"`
	UnmatchedPost int `json:"unmatched_post"`
}

// Pairing is the result of PairResponses.
type Pairing struct {
	// Pairs, sorted by PRE index.
	Pairs []Pair
	// Pre and Post hold one PairOutcome per response, in input order.
	Pre, Post []PairOutcome
	Stats     PairingStats
	// Duplicates counts participants with more than one response in a phase
	// (n_duplicates): a pupil with two PREs, or two PREs and two POSTs, is one.
	Duplicates int
}

// PairResponses pairs the PRE and POST responses of one workshop. Each
// response is used at most once; the rules apply in this order:
//
//  0. Duplicates: a Participant with more than one response in a phase is a
//     duplicate. All its responses, in both phases, leave pairing (the
//     participant leaves the paired statistics, as the contract says), and it
//     counts once in Duplicates.
//  1. device: a PRE and a POST with the same non-empty Device whose codes
//     agree on at least 3 of the 4 elements (opaque participants: equal
//     Participant), when each is the other's only such candidate. Otherwise
//     they fall through to the next rules.
//  2. code: equal Participant (unique in each phase once duplicates are out).
//  3. fuzzy_code: coded responses still unpaired whose codes differ in exactly
//     one element, when each is the other's only such candidate among the
//     responses still unpaired.
//  4. A response still unpaired that has a fuzzy candidate left is counted
//     as ambiguous (so a chain PRE A ~ POST B ~ PRE C counts 3); the others
//     are unmatched.
//
// A pair made by one rule never had another candidate under that rule, so
// each rule is applied in a single pass and the result depends only on the
// set of keys, not on their order: only the indexes follow the input.
// Candidates are found through an index by device (rule 1) and by each
// 3-of-4 projection of the code (rule 3), so the cost grows with the
// number of responses (and of codes that nearly coincide), not with the
// number of PRE × POST couples.
func PairResponses(pre, post []PairKey) Pairing {
	p := Pairing{Pre: newPairOutcomes(len(pre)), Post: newPairOutcomes(len(post))}
	p.markDuplicates(pre, post)

	p.pairByDevice(pre, post)
	p.pairByCode(pre, post)
	p.pairFuzzy(pre, post)

	p.Stats.UnmatchedPre = unmatchedCount(p.Pre)
	p.Stats.UnmatchedPost = unmatchedCount(p.Post)
	sort.Slice(p.Pairs, func(i, j int) bool { return p.Pairs[i].Pre < p.Pairs[j].Pre })
	return p
}

func unmatchedCount(outcomes []PairOutcome) int {
	n := 0
	for _, o := range outcomes {
		if o.With < 0 && !o.Duplicate && !o.Ambiguous {
			n++
		}
	}
	return n
}

func newPairOutcomes(n int) []PairOutcome {
	m := make([]PairOutcome, n)
	for i := range m {
		m[i].With = -1
	}
	return m
}

func (p *Pairing) markDuplicates(pre, post []PairKey) {
	count := func(keys []PairKey) map[string]int {
		c := make(map[string]int, len(keys))
		for _, k := range keys {
			c[k.Participant]++
		}
		return c
	}
	cPre, cPost := count(pre), count(post)
	dup := map[string]bool{}
	for id, n := range cPre {
		if n > 1 {
			dup[id] = true
		}
	}
	for id, n := range cPost {
		if n > 1 {
			dup[id] = true
		}
	}
	p.Duplicates = len(dup)
	if len(dup) == 0 {
		return
	}
	for i, k := range pre {
		p.Pre[i].Duplicate = dup[k.Participant]
	}
	for i, k := range post {
		p.Post[i].Duplicate = dup[k.Participant]
	}
}

// freeAt reports whether response i is neither paired nor a duplicate.
func freeAt(m []PairOutcome, i int) bool { return m[i].With < 0 && !m[i].Duplicate }

func (p *Pairing) pair(i, j int, by PairedBy) {
	p.Pre[i].With, p.Pre[i].By = j, by
	p.Post[j].With, p.Post[j].By = i, by
	p.Pairs = append(p.Pairs, Pair{Pre: i, Post: j, By: by})
	switch by {
	case PairedByDevice:
		p.Stats.Device++
	case PairedByCode:
		p.Stats.Code++
	case PairedByFuzzyCode:
		p.Stats.FuzzyCode++
	}
}

// codeProjection is a code with one element left out (skip), within one device
// ("" for any device). Two codes agreeing on at least 3 elements share at
// least one projection. skip = -1 stands for an opaque participant's exact
// Participant, kept in a.
type codeProjection struct {
	device  string
	skip    int8
	a, b, c string
}

func codeProjections(k PairKey, device string, fn func(codeProjection)) {
	if !k.coded() {
		fn(codeProjection{device: device, skip: -1, a: k.Participant})
		return
	}
	for s := range 4 {
		var rest [3]string
		n := 0
		for i, part := range k.Parts {
			if i != s {
				rest[n] = part
				n++
			}
		}
		fn(codeProjection{device: device, skip: int8(s), a: rest[0], b: rest[1], c: rest[2]})
	}
}

// candidates finds, for every free PRE accepted by use, the free POSTs that
// share a projection with it and satisfy ok. It returns each PRE's
// candidates and how many PREs name each POST (the relation is symmetric).
func (p *Pairing) candidates(pre, post []PairKey, device bool, use func(PairKey) bool, ok func(a, b PairKey) bool) (map[int][]int, []int) {
	if device {
		return p.deviceCandidates(pre, post, use, ok)
	}
	return p.projectionCandidates(pre, post, false, use, ok)
}

// projectionCandidates is candidates through an index by each projection
// of the code, within each device when device is true.
func (p *Pairing) projectionCandidates(pre, post []PairKey, device bool, use func(PairKey) bool, ok func(a, b PairKey) bool) (map[int][]int, []int) {
	dev := func(k PairKey) string {
		if device {
			return k.Device
		}
		return ""
	}
	eligible := 0
	for j, k := range post {
		if freeAt(p.Post, j) && use(k) {
			eligible++
		}
	}
	index := make(map[codeProjection][]int, 4*eligible)
	for j, k := range post {
		if freeAt(p.Post, j) && use(k) {
			codeProjections(k, dev(k), func(pr codeProjection) { index[pr] = append(index[pr], j) })
		}
	}
	return p.nameCandidates(pre, len(post), use, func(k PairKey) []int {
		var list []int
		codeProjections(k, dev(k), func(pr codeProjection) {
			for _, j := range index[pr] {
				// A code agreeing on all four elements sits in all four
				// projections: ok decides whether it counts, once.
				if ok(k, post[j]) && !hasIndex(list, j) {
					list = append(list, j)
				}
			}
		})
		return list
	})
}

// deviceCandidates is candidates within each device: the responses of one
// device are few, so they are compared directly rather than through the
// projections. Two keys share a projection and a device when they have
// the same device and are both coded (and agree on 3 elements or more, as
// ok checks) or both opaque (with the same Participant, as ok checks).
func (p *Pairing) deviceCandidates(pre, post []PairKey, use func(PairKey) bool, ok func(a, b PairKey) bool) (map[int][]int, []int) {
	byDevice := make(map[string][]int, len(post))
	for j, k := range post {
		if freeAt(p.Post, j) && use(k) {
			byDevice[k.Device] = append(byDevice[k.Device], j)
		}
	}
	return p.nameCandidates(pre, len(post), use, func(k PairKey) []int {
		var list []int
		for _, j := range byDevice[k.Device] {
			if k.coded() == post[j].coded() && ok(k, post[j]) {
				list = append(list, j)
			}
		}
		return list
	})
}

// nameCandidates gives each free PRE that use keeps the POSTs list names
// for it, and counts how many PREs name each of the nPost POSTs.
func (p *Pairing) nameCandidates(pre []PairKey, nPost int, use func(PairKey) bool, list func(PairKey) []int) (map[int][]int, []int) {
	cands := make(map[int][]int, len(pre))
	named := make([]int, nPost)
	for i, k := range pre {
		if !freeAt(p.Pre, i) || !use(k) {
			continue
		}
		if l := list(k); len(l) > 0 {
			cands[i] = l
			for _, j := range l {
				named[j]++
			}
		}
	}
	return cands, named
}

func hasIndex(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (p *Pairing) pairByDevice(pre, post []PairKey) {
	sameDevice := func(a, b PairKey) bool {
		if !a.coded() || !b.coded() {
			return a.Participant == b.Participant
		}
		return codeAgreements(a, b) >= 3
	}
	// A device has one or two answers a phase: indexing by device alone
	// finds the candidates without the four code projections.
	byDevice := map[string][]int{}
	for j, k := range post {
		if k.Device != "" && freeAt(p.Post, j) {
			byDevice[k.Device] = append(byDevice[k.Device], j)
		}
	}
	cands := map[int][]int{}
	named := make([]int, len(post))
	for i, k := range pre {
		if k.Device == "" || !freeAt(p.Pre, i) {
			continue
		}
		var list []int
		for _, j := range byDevice[k.Device] {
			if sameDevice(k, post[j]) {
				list = append(list, j)
			}
		}
		if len(list) > 0 {
			cands[i] = list
			for _, j := range list {
				named[j]++
			}
		}
	}
	p.pairUnique(cands, named, PairedByDevice)
}

func (p *Pairing) pairByCode(pre, post []PairKey) {
	byParticipant := make(map[string]int, len(post))
	for j, k := range post {
		if freeAt(p.Post, j) {
			byParticipant[k.Participant] = j
		}
	}
	for i, k := range pre {
		if !freeAt(p.Pre, i) {
			continue
		}
		// Duplicates are out, so a Participant is unique in each phase here.
		if j, ok := byParticipant[k.Participant]; ok {
			p.pair(i, j, PairedByCode)
		}
	}
}

func (p *Pairing) pairFuzzy(pre, post []PairKey) {
	oneApart := func(a, b PairKey) bool { return codeAgreements(a, b) == 3 }
	cands, named := p.candidates(pre, post, false, PairKey.coded, oneApart)
	p.pairUnique(cands, named, PairedByFuzzyCode)
	// Whatever is still free with a candidate left is ambiguous. Pairs made
	// above had no other candidate, so every candidate named here is free.
	for i, list := range cands {
		if p.Pre[i].With >= 0 {
			continue
		}
		p.Pre[i].Ambiguous = true
		p.Stats.Ambiguous++
		for _, j := range list {
			if !p.Post[j].Ambiguous {
				p.Post[j].Ambiguous = true
				p.Stats.Ambiguous++
			}
		}
	}
}

// pairUnique pairs every PRE whose only candidate names it alone. Such pairs
// are disjoint from every other candidate list, so one pass is enough and the
// outcome does not depend on map order.
func (p *Pairing) pairUnique(cands map[int][]int, named []int, by PairedBy) {
	for i, list := range cands {
		if len(list) == 1 && named[list[0]] == 1 {
			p.pair(i, list[0], by)
		}
	}
}
