package stats

import (
	"cmp"
	"math"
	"slices"
)

// tol is the tolerance under which two scores count as equal. Scale scores
// are means of items, so 2/3+1/3 and 1 must compare equal.
const tol = 1e-9

func near(a, b float64) bool {
	return math.Abs(a-b) <= tol*max(1, math.Abs(a), math.Abs(b))
}

// Summary of one sample. SD is the sample standard deviation (n-1).
type Summary struct {
	N    int
	Mean *float64 // nil when N == 0
	SD   *float64 // nil when N < 2
}

// Summarize describes the finite values of x.
func Summarize(x []float64) Summary {
	x = finite(x)
	s := Summary{N: len(x)}
	if s.N == 0 {
		return s
	}
	m := mean(x)
	s.Mean = &m
	if s.N >= 2 {
		sd := sampleSD(x, m)
		s.SD = &sd
	}
	return s
}

// finite is x without its NaN and infinite values: x itself when it has
// none (callers only read it).
func finite(x []float64) []float64 {
	if !slices.ContainsFunc(x, func(v float64) bool { return !isFinite(v) }) {
		return x
	}
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if isFinite(v) {
			out = append(out, v)
		}
	}
	return out
}

// mean refines the plain sum with a second pass, as R does.
func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	m := s / float64(len(x))
	var r float64
	for _, v := range x {
		r += v - m
	}
	return m + r/float64(len(x))
}

// sampleSD is the n-1 standard deviation of x around m, for len(x) >= 2.
// Rounding noise on constant data (sd below R's "essentially constant"
// threshold of t.test) is reported as an exact 0, so that every statistic
// divided by it is undefined rather than huge.
func sampleSD(x []float64, m float64) float64 {
	n := float64(len(x))
	sd := math.Sqrt(variance(x, m))
	if sd/math.Sqrt(n) < 10*eps*math.Abs(m) {
		return 0
	}
	return sd
}

// eps is R's .Machine$double.eps.
const eps = 0x1p-52

// rank gives average ranks (1-based) to v, values within tol sharing a rank,
// and the sizes of the tied groups.
func rank(v []float64) (ranks []float64, ties []int) {
	if ranks, ties, ok := rankFew(v); ok {
		return ranks, ties
	}
	return rankSorted(v)
}

// rankSorted is rank by sorting, for any data.
func rankSorted(v []float64) (ranks []float64, ties []int) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	ranks = make([]float64, len(v))
	for start := 0; start < len(idx); {
		end := start + 1
		// Compare with the group's first value so a tie never drifts.
		for end < len(idx) && near(v[idx[end]], v[idx[start]]) {
			end++
		}
		r := float64(start+1+end) / 2 // mean of ranks start+1..end
		for _, i := range idx[start:end] {
			ranks[i] = r
		}
		if end-start > 1 {
			ties = append(ties, end-start)
		}
		start = end
	}
	return ranks, ties
}

// maxDistinct is the most distinct values rankFew handles: answers on a
// scale (and differences or means of them) take few values, and a pooled
// report ranks a hundred thousand of them per item.
const maxDistinct = 32

// rankFew is rank for data with at most maxDistinct distinct values, in
// two passes instead of a sort, with the same groups: sorted distinct
// values join the group of the first one they are near, as sorted values
// do in rank. ok is false for other data (or a NaN), left to rankSorted.
func rankFew(v []float64) (ranks []float64, ties []int, ok bool) {
	var distinct [maxDistinct]float64
	var count [maxDistinct]int
	nd := 0
	which := make([]uint8, len(v)) // index in distinct of each value
	for i, x := range v {
		if x != x { // NaN
			return nil, nil, false
		}
		k := 0
		for k < nd && distinct[k] != x {
			k++
		}
		if k == nd {
			if nd == maxDistinct {
				return nil, nil, false
			}
			distinct[k] = x
			nd++
		}
		count[k]++
		which[i] = uint8(k)
	}
	order := make([]int, nd)
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(distinct[a], distinct[b]) })
	var rankOf [maxDistinct]float64
	start := 0 // values ranked so far
	for g := 0; g < nd; {
		end, n := g+1, count[order[g]]
		for end < nd && near(distinct[order[end]], distinct[order[g]]) {
			n += count[order[end]]
			end++
		}
		r := float64(start+1+start+n) / 2
		for _, k := range order[g:end] {
			rankOf[k] = r
		}
		if n > 1 {
			ties = append(ties, n)
		}
		start += n
		g = end
	}
	ranks = make([]float64, len(v))
	for i, k := range which {
		ranks[i] = rankOf[k]
	}
	return ranks, ties, true
}

// tieSum is sum(t^3 - t) over tied groups, as in R's tie corrections.
func tieSum(ties []int) float64 {
	var s float64
	for _, t := range ties {
		ft := float64(t)
		s += ft*ft*ft - ft
	}
	return s
}

func ptr[T any](v T) *T { return &v }
