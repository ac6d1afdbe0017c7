package stats

import "math"

// pNormUpper is P(Z > z) for a standard normal Z, accurate in the far tail.
func pNormUpper(z float64) float64 {
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// pChisq1Upper is P(X > x) for a chi-square X with one degree of freedom.
func pChisq1Upper(x float64) float64 {
	if x <= 0 {
		return 1
	}
	return math.Erfc(math.Sqrt(x / 2))
}

// pTTwoSided is P(|T| >= |t|) for a Student T with df degrees of freedom.
func pTTwoSided(t, df float64) float64 {
	t2 := t * t
	// x and 1-x are both computed directly so neither loses precision.
	return regIncBeta(df/2, 0.5, df/(df+t2), t2/(df+t2))
}

// qT975 is the 0.975 quantile of a Student T with df degrees of freedom.
func qT975(df float64) float64 {
	const target = 0.05 // two-sided tail
	lo, hi := 0.0, 2.0
	for pTTwoSided(hi, df) > target {
		lo, hi = hi, hi*2
	}
	// Bisection: slow but sure, and the tail probability is monotone in t.
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if pTTwoSided(mid, df) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// regIncBeta is the regularized incomplete beta I_x(a, b), with y = 1 - x
// passed separately to keep its precision.
func regIncBeta(a, b, x, y float64) float64 {
	switch {
	case x <= 0:
		return 0
	case y <= 0:
		return 1
	}
	// The continued fraction converges fast on this side of the mean;
	// on the other side use I_x(a, b) = 1 - I_y(b, a).
	if x > (a+1)/(a+b+2) {
		return 1 - regIncBeta(b, a, y, x)
	}
	lbeta := lgamma(a) + lgamma(b) - lgamma(a+b)
	front := math.Exp(a*math.Log(x)+b*math.Log(y)-lbeta) / a
	return front * betaContinuedFraction(a, b, x)
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// betaContinuedFraction evaluates the continued fraction of the incomplete
// beta function by the modified Lentz method.
func betaContinuedFraction(a, b, x float64) float64 {
	const (
		eps  = 1e-16
		tiny = 1e-300
	)
	c := 1.0
	d := 1 - (a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 100000; m++ {
		fm := float64(m)
		// Even step.
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		// Odd step.
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := d * c
		h *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return h
}

// signRankLowerTail is P(V <= v) for the Wilcoxon signed rank statistic of
// n untied non-zero differences, like R's psignrank.
func signRankLowerTail(v, n int) float64 {
	maxSum := n * (n + 1) / 2
	if v < 0 {
		return 0
	}
	if v >= maxSum {
		return 1
	}
	// counts[s] is the number of subsets of {1..k} whose sum is s;
	// only sums up to v matter.
	counts := make([]float64, v+1)
	counts[0] = 1
	for k := 1; k <= n; k++ {
		for s := v; s >= k; s-- {
			counts[s] += counts[s-k]
		}
	}
	var sum float64
	for _, c := range counts {
		sum += c
	}
	return sum / math.Ldexp(1, n)
}

// rankSumLowerTail is P(W <= w) for the Mann-Whitney statistic of samples
// of m and n untied values, like R's pwilcox.
func rankSumLowerTail(w, m, n int) float64 {
	if w < 0 {
		return 0
	}
	if w >= m*n {
		return 1
	}
	// layer[i][k] counts the arrangements of i values of the first sample
	// among j of the second with statistic k, for j growing to n (the
	// Gaussian binomial coefficient, built by additions only).
	layer := make([][]float64, m+1)
	for i := range layer {
		layer[i] = make([]float64, w+1)
		layer[i][0] = 1
	}
	for j := 1; j <= n; j++ {
		for i := 1; i <= m; i++ {
			prev := layer[i-1]
			cur := layer[i]
			for k := w; k >= j; k-- {
				cur[k] += prev[k-j]
			}
		}
	}
	var sum float64
	for _, c := range layer[m] {
		sum += c
	}
	return sum / choose(m+n, n)
}

// choose is the binomial coefficient; each step stays an integer, exact
// while it fits in 53 bits and within rounding after.
func choose(n, k int) float64 {
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-k+i) / float64(i)
	}
	return c
}
