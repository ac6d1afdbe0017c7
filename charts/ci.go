package charts

import "math"

// tTable holds R's qt(0.975, df) for df = 1..30, where the expansion below
// is not precise enough.
var tTable = [...]float64{
	12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052, 2.5705818356,
	2.4469118511, 2.3646242516, 2.3060041352, 2.2621571628, 2.2281388520,
	2.2009851601, 2.1788128297, 2.1603686565, 2.1447866879, 2.1314495456,
	2.1199052992, 2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473,
	2.0796138447, 2.0738730679, 2.0686576104, 2.0638985616, 2.0595385528,
	2.0555294386, 2.0518305165, 2.0484071418, 2.0452296421, 2.0422724563,
}

// tQuantile975 is the 0.975 quantile of Student's t with df degrees of
// freedom: R's table up to 30, then the Cornish-Fisher expansion around the
// normal quantile, within 1e-7 of qt() from there on.
func tQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(tTable) {
		return tTable[df-1]
	}
	const z = 1.959963984540054
	n := float64(df)
	z3, z5, z7, z9 := z*z*z, math.Pow(z, 5), math.Pow(z, 7), math.Pow(z, 9)
	g1 := (z3 + z) / 4
	g2 := (5*z5 + 16*z3 + 3*z) / 96
	g3 := (3*z7 + 19*z5 + 17*z3 - 15*z) / 384
	g4 := (79*z9 + 776*z7 + 1482*z5 - 1920*z3 - 945*z) / 92160
	return z + g1/n + g2/(n*n) + g3/(n*n*n) + g4/(n*n*n*n)
}

// MeanCI95 is the 95 % confidence interval of a mean, mean ± t(0.975, n−1)·sd/√n.
// ok is false when it is undefined: fewer than two answers, or a mean or
// standard deviation that is missing, negative or not finite.
func MeanCI95(n int, mean, sd *float64) (lo, hi float64, ok bool) {
	if n < 2 || mean == nil || sd == nil || !isFinite(*mean) || !isFinite(*sd) || *sd < 0 {
		return 0, 0, false
	}
	half := tQuantile975(n-1) * *sd / math.Sqrt(float64(n))
	lo, hi = *mean-half, *mean+half
	if !isFinite(lo) || !isFinite(hi) {
		return 0, 0, false
	}
	return lo, hi, true
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
