package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestCompareSharesMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "shares.csv") {
		x1, n1, x2, n2 := r.int(t, "x1"), r.int(t, "n1"), r.int(t, "x2"), r.int(t, "n2")
		name := fmt.Sprintf("CompareShares(%d, %d, %d, %d)", x1, n1, x2, n2)
		got := CompareShares(x1, n1, x2, n2)
		checkDifference(t, name, got, r)
	}
}

func TestCompareMeansMatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "means.csv") {
		s := samples[r["case"]]
		got := CompareMeans(s.pre, s.post)
		checkDifference(t, r["case"], got, r)
	}
}

// checkDifference compares d with a fixture row of diff, ci_lo, ci_hi, p.
func checkDifference(t *testing.T, name string, d *Difference, r row) {
	t.Helper()
	if d != nil {
		checkFinite(t, *d)
	}
	if !checkPresent(t, name, d == nil, r.num(t, "diff")) {
		return
	}
	checkNum(t, name+" diff", &d.Diff, r.num(t, "diff"))
	if checkPresent(t, name+" ci95", d.CI95 == nil, r.num(t, "ci_lo")) {
		checkNum(t, name+" ci95[0]", &d.CI95[0], r.num(t, "ci_lo"))
		checkNum(t, name+" ci95[1]", &d.CI95[1], r.num(t, "ci_hi"))
	}
	checkNum(t, name+" p", d.P, r.num(t, "p"))
}

func TestCompareMeansEdges(t *testing.T) {
	nan := math.NaN()
	if got := CompareMeans(nil, []float64{1, 2}); got != nil {
		t.Errorf("empty first period: got %+v, want nil", *got)
	}
	if got := CompareMeans([]float64{nan}, []float64{1, 2}); got != nil {
		t.Errorf("only NaN in the first period: got %+v, want nil", *got)
	}
	got := CompareMeans([]float64{1, nan, 3}, []float64{4})
	if got == nil || got.Diff != 2 || got.CI95 != nil || got.P != nil {
		t.Errorf("one value in the second period: got %+v, want Diff 2 and no test", got)
	}
}
