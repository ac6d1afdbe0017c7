package stats

import "math"

// TTest is a two-sided Student or Welch t-test.
type TTest struct {
	T, DF, P float64
}

// oneSampleT is t.test(d) against 0; nil where R stops or answers NaN.
func oneSampleT(n int, m, sd float64) *TTest {
	if n < 2 || sd == 0 {
		return nil
	}
	se := sd / math.Sqrt(float64(n))
	t := m / se
	df := float64(n - 1)
	return &TTest{T: t, DF: df, P: pTTwoSided(t, df)}
}

// welchT is t.test(x, y) with unequal variances, and the standard error
// of mean(x) - mean(y).
func welchT(x, y []float64) (w *TTest, se float64) {
	nx, ny := float64(len(x)), float64(len(y))
	if nx < 2 || ny < 2 {
		return nil, 0
	}
	mx, my := mean(x), mean(y)
	vx, vy := variance(x, mx), variance(y, my)
	sex2, sey2 := vx/nx, vy/ny
	se = math.Sqrt(sex2 + sey2)
	if se == 0 || se < 10*eps*max(math.Abs(mx), math.Abs(my)) {
		return nil, 0 // R: "data are essentially constant"
	}
	df := (sex2 + sey2) * (sex2 + sey2) / (sex2*sex2/(nx-1) + sey2*sey2/(ny-1))
	t := (mx - my) / se
	return &TTest{T: t, DF: df, P: pTTwoSided(t, df)}, se
}

func variance(x []float64, m float64) float64 {
	return sumSquares(x, m) / float64(len(x)-1)
}
