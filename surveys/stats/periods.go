package stats

import "math"

// Difference compares two periods (two years, two terms): Diff is the
// second minus the first, with its 95 % interval and two-sided p-value.
type Difference struct {
	Diff float64
	CI95 *[2]float64 // nil where R gives NA
	P    *float64    // nil where R gives NA
}

// CompareShares compares the share x1/n1 of a first period with x2/n2 of
// a second: R's prop.test(c(x2, x1), c(n2, n1), correct = FALSE), Diff
// being its p2 - p1 (the second period first, so the difference reads as
// a change). correct = FALSE, as for Wilson: the interval is the plain
// Wald one and the test the chi-square (pooled z) test, where Yates'
// correction would widen each side by up to (1/n1 + 1/n2)/2. It is nil
// where R stops: n1 or n2 <= 0, or a count outside 0..n. P is nil when
// every answer is a success or none is (R: NaN).
func CompareShares(x1, n1, x2, n2 int) *Difference {
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2 {
		return nil
	}
	f1, f2 := float64(n1), float64(n2)
	p1, p2 := float64(x1)/f1, float64(x2)/f2
	d := &Difference{Diff: p2 - p1}
	half := QNorm(0.975) * math.Sqrt(p2*(1-p2)/f2+p1*(1-p1)/f1)
	d.CI95 = &[2]float64{max(d.Diff-half, -1), min(d.Diff+half, 1)}
	pooled := float64(x1+x2) / (f1 + f2)
	if pooled > 0 && pooled < 1 {
		chi2 := d.Diff * d.Diff / (pooled * (1 - pooled) * (1/f1 + 1/f2))
		d.P = ptr(pChisq1Upper(chi2))
	}
	return d
}

// CompareMeans compares the finite values of a first period a with those
// of a second b: Diff is mean(b) - mean(a), CI95 and P are Welch's, R's
// t.test(b, a). It is nil when a or b has no value; CI95 and P are nil
// where t.test stops (fewer than 2 values on a side, constant data).
func CompareMeans(a, b []float64) *Difference {
	a, b = finite(a), finite(b)
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	d := &Difference{Diff: mean(b) - mean(a)}
	if w, se := welchT(b, a); w != nil {
		d.CI95 = tInterval(d.Diff, se, w.DF)
		d.P = ptr(w.P)
	}
	return d
}
