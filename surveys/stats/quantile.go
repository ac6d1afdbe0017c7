package stats

import "math"

// QNorm is the p quantile of the standard normal distribution, R's
// qnorm(p). It is NaN unless 0 < p < 1: a caller's error, as for
// math.Log(-1); no data can lead there.
func QNorm(p float64) float64 {
	switch {
	case !(p > 0 && p < 1):
		return math.NaN()
	case p > 0.5:
		return -qNormLower(1 - p) // exact subtraction for p >= 0.5
	}
	return qNormLower(p)
}

// qNormLower is QNorm for p <= 0.5: Abramowitz and Stegun 26.2.23 (within
// 4.5e-4) sharpened by Halley steps on pNorm, whose lower tail keeps its
// relative precision, or near the centre on erf, so as not to subtract
// nearly equal numbers there.
func qNormLower(p float64) float64 {
	if p == 0.5 {
		return 0
	}
	t := math.Sqrt(-2 * math.Log(p))
	z := -(t - (2.515517+t*(0.802853+t*0.010328))/(1+t*(1.432788+t*(0.189269+t*0.001308))))
	for range 8 {
		excess := pNorm(z) - p
		if p > 0.25 {
			excess = 0.5*math.Erf(z/math.Sqrt2) - (p - 0.5) // p - 0.5 is exact here
		}
		u := excess / (math.Exp(-z*z/2) / math.Sqrt(2*math.Pi))
		step := u / (1 + z*u/2)
		z -= step
		if math.Abs(step) <= 1e-15*math.Abs(z) {
			break
		}
	}
	return z
}

// QT is the p quantile of Student's t distribution with df degrees of
// freedom, whole or not (Welch's df), R's qt(p, df). It is NaN unless
// 0 < p < 1 and df >= 1: a caller's error, no data can lead there. It is
// the package's only t quantile: every interval calls it.
func QT(p, df float64) float64 {
	switch {
	case !(p > 0 && p < 1 && df >= 1):
		return math.NaN()
	case p > 0.5:
		return -qtLower(1-p, df) // exact subtraction for p >= 0.5
	}
	return qtLower(p, df)
}

// qtLower is QT for p <= 0.5, a quantile <= 0, where pT keeps its
// relative precision however far in the tail.
func qtLower(p, df float64) float64 {
	switch {
	case p == 0.5:
		return 0
	case df == 1: // Cauchy
		return max(-1/math.Tan(math.Pi*p), -math.MaxFloat64)
	case df == 2:
		return (2*p - 1) / math.Sqrt(2*p*(1-p))
	case df > 1e20: // as R's qt
		return qNormLower(p)
	}

	// Newton's method on log pT, nearly linear in either tail, inside a
	// bracket lo < q <= hi with pT(lo) < p <= pT(hi), bisecting whenever
	// a step would leave it. It starts from the better of two guesses:
	// Cornish-Fisher around the normal quantile, good unless df is small
	// and p far out, and the tail's power law, good there.
	lo, hi := math.Inf(-1), 0.0
	q, gap := -1.0, math.Inf(1)
	logP := math.Log(p)
	for _, guess := range []float64{cornishFisher(qNormLower(p), df), tailQuantile(p, df)} {
		if !(guess < 0 && guess > lo) {
			continue
		}
		f := pT(guess, df)
		if f < p {
			lo = guess
		} else {
			hi = min(hi, guess)
		}
		if g := math.Abs(math.Log(f) - logP); g < gap {
			q, gap = guess, g
		}
	}
	for range 200 {
		f := pT(q, df)
		if f < p {
			lo = max(lo, q)
		} else {
			hi = min(hi, q)
		}
		next := q - (math.Log(f)-logP)*f/dT(q, df)
		if math.Abs(next-q) <= 1e-15*math.Abs(q) {
			return next
		}
		if !(next > lo && next < hi) {
			switch {
			case math.IsInf(lo, -1):
				next = max(2*q, -math.MaxFloat64)
			case hi == 0:
				next = lo / 2
			case lo/hi > 4:
				next = -math.Sqrt(-lo) * math.Sqrt(-hi) // the geometric mean
			default:
				next = lo + (hi-lo)/2
			}
			if next == q || next == lo || next == hi {
				return next // no double left between lo and hi
			}
		}
		q = next
	}
	return q
}

// cornishFisher is the Cornish-Fisher expansion of Student's t quantile
// around the normal quantile z (Abramowitz and Stegun 26.7.5).
func cornishFisher(z, df float64) float64 {
	z2 := z * z
	g1 := (z2 + 1) * z / 4
	g2 := ((5*z2+16)*z2 + 3) * z / 96
	g3 := (((3*z2+19)*z2+17)*z2 - 15) * z / 384
	g4 := ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) * z / 92160
	return z + (g1+(g2+(g3+g4/df)/df)/df)/df
}

// tailQuantile solves P(T <= q) = p for the tail's power law, the density
// being about df^(df/2) / B(df/2, 1/2) · |q|^-(df+1) far out.
func tailQuantile(p, df float64) float64 {
	logK := df/2*math.Log(df) - lbeta(df/2, 0.5)
	return -math.Exp((logK - math.Log(df) - math.Log(p)) / df)
}
