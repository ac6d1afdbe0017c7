package stats

import "math"

// MeanCI95 is the 95 % t interval of a mean from its sample's size, mean
// and standard deviation: R's t.test(x)$conf.int. It is nil where R has
// none: n < 2, a missing or non-finite mean or SD, or an SD of zero
// (R: "data are essentially constant").
func MeanCI95(n int, mean, sd *float64) *[2]float64 {
	if n < 2 || mean == nil || sd == nil || !isFinite(*mean) || !isFinite(*sd) || *sd < 0 {
		return nil
	}
	se := *sd / math.Sqrt(float64(n))
	if se == 0 || se < 10*eps*math.Abs(*mean) {
		return nil // R: "data are essentially constant"
	}
	return tInterval(*mean, se, float64(n-1))
}

// tInterval is the 95 % interval est ± qt(0.975, df)·se.
func tInterval(est, se, df float64) *[2]float64 {
	half := QT(0.975, df) * se
	ci := [2]float64{est - half, est + half}
	if !isFinite(ci[0]) || !isFinite(ci[1]) {
		return nil
	}
	return &ci
}

// Wilson is the share x/n with its 95 % Wilson score interval, R's
// prop.test(x, n, correct = FALSE)$estimate and $conf.int. ci is nil
// (and p 0) when there is no share: n <= 0, or x outside 0..n.
func Wilson(x, n int) (p float64, ci *[2]float64) {
	if n <= 0 || x < 0 || x > n {
		return 0, nil
	}
	fn := float64(n)
	p = float64(x) / fn
	z975 := QNorm(0.975)
	z22n := z975 * z975 / (2 * fn)
	half := z975 * math.Sqrt(p*(1-p)/fn+z22n/(2*fn))
	lo, hi := 0.0, 1.0 // R's bounds at x = 0 and x = n
	if x > 0 {
		lo = (p + z22n - half) / (1 + 2*z22n)
	}
	if x < n {
		hi = (p + z22n + half) / (1 + 2*z22n)
	}
	return p, &[2]float64{lo, hi}
}
