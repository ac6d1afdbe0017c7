package stats

import (
	"fmt"
	"math"
	"testing"
)

// closeTo is within rel relatively, or equal (both 0).
func closeTo(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want) || got == want
}

func TestQTMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "qt.csv") {
		p, df, want := *r.num(t, "p"), *r.num(t, "df"), *r.num(t, "q")
		// 1e-9 is asked for; the grid shows 3e-14 at worst.
		if got := QT(p, df); !closeTo(got, want, 1e-12) {
			t.Errorf("QT(%g, %g): got %.17g, want %.17g (rel %.2g)", p, df, got, want, math.Abs(got-want)/math.Abs(want))
		}
	}
}

func TestQNormMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "qnorm.csv") {
		p, want := *r.num(t, "p"), *r.num(t, "q")
		if got := QNorm(p); !closeTo(got, want, 1e-14) {
			t.Errorf("QNorm(%g): got %.17g, want %.17g", p, got, want)
		}
	}
}

// QT inverts pT further out than the fixtures go, down to p = 1e-300,
// where t is beyond 1e154 and t² overflows.
func TestQTInvertsPT(t *testing.T) {
	dfs := []float64{1, 1.0001, 1.3, 2, 2.0001, 3.5, 6, 11, 150, 4999, 5001, 1e5, 1e12, 1e19}
	ps := []float64{1e-300, 1e-200, 1e-100, 1e-20, 1e-6, 0.02, 0.3, 0.45}
	for _, df := range dfs {
		for _, p := range ps {
			q := QT(p, df)
			if got := pT(q, df); !closeTo(got, p, 1e-12) {
				t.Errorf("pT(QT(%g, %g) = %g): got %.17g, want %g", p, df, q, got, p)
			}
		}
	}
}

func TestQuantileDomain(t *testing.T) {
	for _, tt := range []struct{ p, df float64 }{
		{0, 5}, {1, 5}, {-0.1, 5}, {math.NaN(), 5}, {0.5, 0.99}, {0.5, math.NaN()}, {0.5, 0},
	} {
		if got := QT(tt.p, tt.df); !math.IsNaN(got) {
			t.Errorf("QT(%v, %v): got %v, want NaN", tt.p, tt.df, got)
		}
	}
	for _, p := range []float64{0, 1, math.NaN(), 2} {
		if got := QNorm(p); !math.IsNaN(got) {
			t.Errorf("QNorm(%v): got %v, want NaN", p, got)
		}
	}
}

func TestPntMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "pnt.csv") {
		x, df, ncp := *r.num(t, "t"), *r.num(t, "df"), *r.num(t, "ncp")
		lower, upper := pnt(x, df, ncp)
		name := fmt.Sprintf("pt(%g, %g, %g)", x, df, ncp)
		checkNum(t, name+" lower", &lower, r.num(t, "lower"))
		checkNum(t, name+" upper", &upper, r.num(t, "upper"))
	}
}
