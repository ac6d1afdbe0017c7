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

// pNorm is P(Z <= z) for a standard normal Z, accurate in the far tail.
func pNorm(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// pT is P(T <= t) for a Student T with df degrees of freedom, R's pt(t, df).
func pT(t, df float64) float64 {
	var tail float64 // P(T <= -|t|)
	t2 := t * t
	switch {
	case math.IsInf(df, 1):
		tail = pNorm(-math.Abs(t))
	case df > manyDF:
		tail = tTailManyDF(t2, df)
	case t2 > 1e100*df:
		// I_x(a, 1/2) is x^a / (a·B(a, 1/2)) to within x < 1e-100 here,
		// with x = df / (df + t²) taken in logs, as t² may overflow.
		a := df / 2
		tail = 0.5 * math.Exp(a*(math.Log(df)-2*math.Log(math.Abs(t)))-math.Log(a)-lbeta(a, 0.5))
	default:
		// x and 1-x are both computed directly so neither loses precision.
		tail = 0.5 * regIncBeta(df/2, 0.5, df/(df+t2), t2/(df+t2))
	}
	if t > 0 {
		return 1 - tail
	}
	return tail
}

// manyDF is where the continued fraction of regIncBeta starts to lose
// digits (6e-13 at df = 1e4, 2e-11 at 1e6, 4e-5 at 1e12) and tTailManyDF,
// within 1e-13 from there on, takes over.
const manyDF = 5e3

// tTailManyDF is P(T <= -|t|) for df > manyDF, t2 being t². With a = df/2
// and u = a·log(1 + t²/df), the substitution x = exp(-v/a) in the
// incomplete beta function I_x(a, 1/2) gives
//
//	I = a^(-1/2) / B(a, 1/2) · Σ c_k a^-k Γ(k + 1/2, u),
//
// the c_k being the coefficients of (h / (1 - exp(-h)))^(1/2), which
// shrink about as (2π)^-k. The terms shrink as (u / (2πa))^k at least,
// below 0.06^k since u <= 800 (beyond, the tail is below 1e-340).
func tTailManyDF(t2, df float64) float64 {
	c := [...]float64{
		1, 1.0 / 4, 1.0 / 96, -1.0 / 384, -1.0 / 10240, 19.0 / 368640,
		79.0 / 61931520, -55.0 / 49545216, -2339.0 / 118908518400,
		11813.0 / 475634073600, 677.0 / 1993133260800, -2117.0 / 3720515420160,
	}
	a := df / 2
	u := a * math.Log1p(t2/df)
	if u > 800 {
		return 0
	}
	// gamma is Γ(k + 1/2, u), by Γ(s + 1, u) = s·Γ(s, u) + u^s·exp(-u).
	gamma := math.Sqrt(math.Pi) * math.Erfc(math.Sqrt(u))
	var sum float64
	ak := 1.0 // a^-k
	for k, ck := range c {
		term := ck * ak * gamma
		sum += term
		if math.Abs(term) <= 1e-17*sum {
			break
		}
		s := float64(k) + 0.5
		gamma = s*gamma + math.Exp(s*math.Log(u)-u)
		ak /= a
	}
	return 0.5 * math.Exp(-0.5*math.Log(a)-lbeta(a, 0.5)) * sum
}

// dT is the density of a Student T with df degrees of freedom.
func dT(t, df float64) float64 {
	return math.Exp(-lbeta(df/2, 0.5) - 0.5*math.Log(df) - (df+1)/2*math.Log1p(t*t/df))
}

// pTTwoSided is P(|T| >= |t|) for a Student T with df degrees of freedom.
func pTTwoSided(t, df float64) float64 {
	return 2 * pT(-math.Abs(t), df)
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
	// log1p of the smaller of x and y keeps a*log(x) exact when a is large.
	lx, ly := math.Log(x), math.Log(y)
	if x > 0.5 {
		lx = math.Log1p(-y)
	} else {
		ly = math.Log1p(-x)
	}
	front := math.Exp(a*lx+b*ly-lbeta(a, b)) / a
	return front * betaContinuedFraction(a, b, x)
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// lbeta is log B(a, b) for a, b > 0. A difference of lgamma values loses
// about lgamma(a)·1e-16 when a is large (a = df/2 of a big sample);
// Stirling's series keeps the large terms apart instead.
func lbeta(a, b float64) float64 {
	p, q := min(a, b), max(a, b)
	r := p / (p + q)
	switch {
	case p >= 10:
		corr := stirlingCorr(p) + stirlingCorr(q) - stirlingCorr(p+q)
		return lnSqrt2Pi - 0.5*math.Log(q) + corr + (p-0.5)*math.Log(r) + q*math.Log1p(-r)
	case q >= 10:
		corr := stirlingCorr(q) - stirlingCorr(p+q)
		return lgamma(p) + corr + p - p*math.Log(p+q) + (q-0.5)*math.Log1p(-r)
	}
	return lgamma(p) + lgamma(q) - lgamma(p+q)
}

// lnSqrt2Pi is log(sqrt(2π)).
const lnSqrt2Pi = 0.918938533204672741780329736406

// stirlingCorr is lgamma(x) - ((x-0.5)·log(x) - x + log(sqrt(2π))) for
// x >= 10, from Stirling's series; the first term left out is below 2e-18.
func stirlingCorr(x float64) float64 {
	// Coefficients B(2k) / (2k(2k-1)), B being the Bernoulli numbers.
	coef := [...]float64{
		1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680,
		1.0 / 1188, -691.0 / 360360, 1.0 / 156, -3617.0 / 122400,
	}
	x2 := 1 / (x * x)
	var sum float64
	for i := len(coef) - 1; i >= 0; i-- {
		sum = sum*x2 + coef[i]
	}
	return sum / x
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
	// step takes in the next term num and returns the factor it puts on h.
	step := func(num float64) float64 {
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		return d * c
	}
	for m := 1; m <= 100000; m++ {
		fm := float64(m)
		h *= step(fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm)))                // even term
		delta := step(-(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))) // odd term
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

// pnt is P(T <= t) and P(T > t) for a noncentral T with df degrees of
// freedom and noncentrality ncp, R's pt(t, df, ncp) with both values of
// lower.tail: Lenth's algorithm AS 243 (Appl. Statist. 38, 1989) with
// R's choices around it, so that power figures agree with R's.
func pnt(t, df, ncp float64) (lower, upper float64) {
	if ncp == 0 {
		return pT(t, df), pT(-t, df)
	}
	// The series wants t >= 0: P(T <= t) at ncp is P(T >= -t) at -ncp.
	flip := t < 0
	if flip {
		if ncp > 40 {
			return 0, 1 // below pnorm(-ncp), as R answers
		}
		t, ncp = -t, -ncp
	}
	var below float64 // P(T <= t)
	if df > 4e5 || ncp*ncp > 2*math.Ln2*1021 {
		// Abramowitz and Stegun 26.7.10, where R's pnt uses it.
		s := 1 / (4 * df)
		z := (t*(1-s) - ncp) / math.Sqrt(1+t*t*2*s)
		below = pNorm(z)
		if flip {
			return pNormUpper(z), below
		}
		return below, pNormUpper(z)
	}
	below = max(0, min(1, pntSeries(t, df, ncp))) // rounding may step out
	if flip {
		return 1 - below, below
	}
	return below, 1 - below
}

// pntSeries is P(T <= t) for t >= 0 by AS 243: the noncentral T as a
// Poisson mixture of incomplete beta functions, summed until the
// remaining Poisson mass bounds the error below 1e-12.
func pntSeries(t, df, ncp float64) float64 {
	if t == 0 {
		return pNorm(-ncp)
	}
	t2 := t * t
	x, y := t2/(t2+df), df/(t2+df) // y = 1 - x, exactly
	lambda := ncp * ncp
	// Poisson weights of the odd and even terms, and the mass still unused.
	p := 0.5 * math.Exp(-0.5*lambda)
	q := math.Sqrt(2/math.Pi) * p * ncp
	rest := 0.5 - p
	if rest < 1e-7 {
		rest = -0.5 * math.Expm1(-0.5*lambda)
	}
	a, b := 0.5, 0.5*df
	yb := math.Pow(y, b)
	xOdd := regIncBeta(a, b, x, y)
	gOdd := 2 * yb * math.Exp(a*math.Log(x)-lbeta(a, b))
	xEven := 1 - yb
	if b*x < eps {
		xEven = b * x
	}
	gEven := b * x * yb
	sum := p*xOdd + q*xEven
	for it := 1; it <= 1000; it++ {
		a++
		xOdd -= gOdd
		xEven -= gEven
		gOdd *= x * (a + b - 1) / a
		gEven *= x * (a + b - 0.5) / (a + 0.5)
		p *= lambda / float64(2*it)
		q *= lambda / float64(2*it+1)
		sum += p*xOdd + q*xEven
		rest -= p
		if rest < -1e-10 || (rest <= 0 && it > 1) {
			break // rounding has eaten the mass: R stops here too
		}
		if math.Abs(2*rest*(xOdd-gOdd)) < 1e-12 {
			break
		}
	}
	return sum + pNorm(-ncp)
}
