package stats

import (
	"cmp"
	"slices"
)

// Holm adjusts p-values for multiple comparisons like R's
// p.adjust(p, method = "holm"). Nil (or non-finite) entries stay nil and are
// not counted among the comparisons.
func Holm(p []*float64) []*float64 {
	out := make([]*float64, len(p))
	var idx []int
	for i, v := range p {
		if v != nil && isFinite(*v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(*p[a], *p[b]) })
	n := len(idx)
	running := 0.0 // the cumulative maximum keeps the adjusted order
	for rank, i := range idx {
		running = max(running, float64(n-rank)**p[i])
		out[i] = ptr(min(1, running))
	}
	return out
}
