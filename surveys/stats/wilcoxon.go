package stats

import "math"

// Methods of a rank test's p-value.
const (
	MethodExact  = "exact"
	MethodNormal = "normal"
)

// exactLimit is R's default: exact p-values below 50 observations.
const exactLimit = 50

// Wilcoxon is a two-sided Wilcoxon signed rank test.
type Wilcoxon struct {
	V, P   float64
	Method string // MethodExact or MethodNormal
}

// MannWhitney is a two-sided Wilcoxon rank sum (Mann-Whitney) test.
type MannWhitney struct {
	W, P   float64
	Method string // MethodExact or MethodNormal
}

// signedRank is wilcox.test(d) against 0 (R's wilcox.test(post, pre,
// paired = TRUE) with d = post - pre); nil when every difference is zero.
func signedRank(d []float64) *Wilcoxon {
	zeros := false
	nonZero := make([]float64, 0, len(d))
	for _, v := range d {
		if near(v, 0) {
			zeros = true
			continue
		}
		nonZero = append(nonZero, v)
	}
	n := len(nonZero)
	if n == 0 {
		return nil
	}
	abs := make([]float64, n)
	for i, v := range nonZero {
		abs[i] = math.Abs(v)
	}
	ranks, ties := rank(abs)
	var v float64
	for i, x := range nonZero {
		if x > 0 {
			v += ranks[i]
		}
	}
	fn := float64(n)
	if n < exactLimit && len(ties) == 0 && !zeros {
		// Without ties V is an integer; the distribution is symmetric
		// around n(n+1)/4, so the upper tail is a lower one.
		iv := int(math.Round(v))
		tail := signRankLowerTail(iv, n)
		if v > fn*(fn+1)/4 {
			tail = signRankLowerTail(n*(n+1)/2-iv, n)
		}
		return &Wilcoxon{V: v, P: min(1, 2*tail), Method: MethodExact}
	}
	z := v - fn*(fn+1)/4
	sigma := math.Sqrt(fn*(fn+1)*(2*fn+1)/24 - tieSum(ties)/48)
	p, ok := normalTwoSided(z, sigma)
	if !ok {
		return nil
	}
	return &Wilcoxon{V: v, P: p, Method: MethodNormal}
}

// rankSum is wilcox.test(x, y); nil when a sample is empty or every value
// is tied.
func rankSum(x, y []float64) *MannWhitney {
	m, n := len(x), len(y)
	if m == 0 || n == 0 {
		return nil
	}
	ranks, ties := rank(append(append(make([]float64, 0, m+n), x...), y...))
	var sum float64
	for _, r := range ranks[:m] {
		sum += r
	}
	fm, fn := float64(m), float64(n)
	w := sum - fm*(fm+1)/2
	if m < exactLimit && n < exactLimit && len(ties) == 0 {
		iw := int(math.Round(w))
		tail := rankSumLowerTail(iw, m, n)
		if w > fm*fn/2 {
			tail = rankSumLowerTail(m*n-iw, m, n)
		}
		return &MannWhitney{W: w, P: min(1, 2*tail), Method: MethodExact}
	}
	z := w - fm*fn/2
	N := fm + fn
	sigma := math.Sqrt(fm * fn / 12 * ((N + 1) - tieSum(ties)/(N*(N-1))))
	p, ok := normalTwoSided(z, sigma)
	if !ok {
		return nil // every value tied: R answers NaN
	}
	return &MannWhitney{W: w, P: p, Method: MethodNormal}
}

// normalTwoSided is R's normal approximation with continuity correction,
// z being the statistic minus its mean; ok is false when sigma is zero.
func normalTwoSided(z, sigma float64) (p float64, ok bool) {
	if !(sigma > 0) {
		return 0, false
	}
	correction := 0.0
	switch {
	case z > 0:
		correction = 0.5
	case z < 0:
		correction = -0.5
	}
	z = (z - correction) / sigma
	return min(1, 2*min(pNormUpper(-z), pNormUpper(z))), true
}
