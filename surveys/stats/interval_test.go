package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestMeanCI95MatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "mean_ci.csv") {
		s := samples[r["case"]]
		x := s.pre
		if r["phase"] == "post" {
			x = s.post
		}
		sum := Summarize(x)
		got := MeanCI95(sum.N, sum.Mean, sum.SD)
		name := r["case"] + "/" + r["phase"]
		if checkPresent(t, name, got == nil, r.num(t, "ci_lo")) {
			checkNum(t, name+" ci95[0]", &got[0], r.num(t, "ci_lo"))
			checkNum(t, name+" ci95[1]", &got[1], r.num(t, "ci_hi"))
		}
	}
}

func TestMeanCI95Edges(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name     string
		n        int
		mean, sd *float64
	}{
		{"no answer", 0, nil, nil},
		{"one answer", 1, ptr(3.0), nil},
		{"nil mean", 5, nil, ptr(1.0)},
		{"nil sd", 5, ptr(3.0), nil},
		{"NaN sd", 5, ptr(3.0), &nan},
		{"infinite mean", 5, &inf, ptr(1.0)},
		{"negative sd", 5, ptr(3.0), ptr(-1.0)},
		{"constant", 5, ptr(3.0), ptr(0.0)},
		{"rounding noise", 5, ptr(3.0), ptr(1e-16)},
	}
	for _, tt := range tests {
		if got := MeanCI95(tt.n, tt.mean, tt.sd); got != nil {
			t.Errorf("%s: got %v, want nil", tt.name, *got)
		}
	}
}

func TestWilsonMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "wilson.csv") {
		x, n := r.int(t, "x"), r.int(t, "n")
		name := fmt.Sprintf("Wilson(%d, %d)", x, n)
		p, ci := Wilson(x, n)
		if checkPresent(t, name, ci == nil, r.num(t, "ci_lo")) {
			checkNum(t, name+" p", &p, r.num(t, "p"))
			checkNum(t, name+" ci95[0]", &ci[0], r.num(t, "ci_lo"))
			checkNum(t, name+" ci95[1]", &ci[1], r.num(t, "ci_hi"))
		}
	}
}

func TestWilsonEdges(t *testing.T) {
	for _, xn := range [][2]int{{0, 0}, {1, 0}, {-1, 5}, {6, 5}, {0, -3}} {
		if p, ci := Wilson(xn[0], xn[1]); ci != nil || p != 0 {
			t.Errorf("Wilson(%d, %d): got %v, %v; want 0, nil", xn[0], xn[1], p, ci)
		}
	}
	if _, ci := Wilson(0, 7); ci == nil || ci[0] != 0 {
		t.Errorf("Wilson(0, 7): got %v, want a lower bound of exactly 0", ci)
	}
	if _, ci := Wilson(7, 7); ci == nil || ci[1] != 1 {
		t.Errorf("Wilson(7, 7): got %v, want an upper bound of exactly 1", ci)
	}
}
