package stats

import "math"

// StandardizedDifference is (mean(a) - mean(b)) / pooled SD, the pooled
// variance being (sum of squares of a + of b) / (na + nb - 2), that is
// ((na-1)·var(a) + (nb-1)·var(b)) / (na + nb - 2) in R, with a group of one
// adding no square (where R's var is NA). It checks attrition: the PRE
// scores of pupils who were paired against those who were not. Non-finite
// values are left out. It is nil with an empty group, fewer than 3
// values in all, or a pooled SD of zero (within rounding).
func StandardizedDifference(a, b []float64) *float64 {
	a, b = finite(a), finite(b)
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 || na+nb < 3 {
		return nil
	}
	ma, mb := mean(a), mean(b)
	ss := sumSquares(a, ma) + sumSquares(b, mb)
	sd := math.Sqrt(ss / float64(na+nb-2))
	if sd == 0 || sd < 10*eps*max(math.Abs(ma), math.Abs(mb)) {
		return nil
	}
	return ptr((ma - mb) / sd)
}

func sumSquares(x []float64, m float64) float64 {
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return ss
}
