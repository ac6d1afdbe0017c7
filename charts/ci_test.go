package charts

import (
	"math"
	"strings"
	"testing"
)

func TestTQuantile975(t *testing.T) {
	// R 4.2: qt(0.975, df).
	tests := []struct {
		df   int
		want float64
	}{
		{1, 12.7062047362}, {2, 4.3026527297}, {9, 2.2621571628}, {30, 2.0422724563},
		{31, 2.0395134464}, {40, 2.0210753903}, {60, 2.0002978220}, {100, 1.9839715185}, {1000, 1.9623390808},
	}
	for _, tt := range tests {
		if got := tQuantile975(tt.df); math.Abs(got-tt.want) > 1e-7 {
			t.Errorf("tQuantile975(%d) = %.10f, want %.10f", tt.df, got, tt.want)
		}
	}
	if got := tQuantile975(0); !math.IsNaN(got) {
		t.Errorf("tQuantile975(0) = %v, want NaN", got)
	}
}

func TestMeanCI95(t *testing.T) {
	// R: t.test(c(1, 2, 2, 3, 5))$conf.int = 0.71692331 4.48307669.
	x := []float64{1, 2, 2, 3, 5}
	m, sd := 2.6, 0.0
	for _, v := range x {
		sd += (v - m) * (v - m)
	}
	sd = math.Sqrt(sd / 4)
	lo, hi, ok := MeanCI95(5, &m, &sd)
	if !ok || math.Abs(lo-0.71692331) > 1e-7 || math.Abs(hi-4.48307669) > 1e-7 {
		t.Errorf("MeanCI95(5, 2.6, %v) = %v, %v, %v; want 0.71692331, 4.48307669", sd, lo, hi, ok)
	}
	nan, inf, neg := math.NaN(), math.Inf(1), -1.0
	for _, tt := range []struct {
		name     string
		n        int
		mean, sd *float64
	}{
		{"one answer", 1, &m, &sd},
		{"no sd", 5, &m, nil},
		{"no mean", 5, nil, &sd},
		{"NaN sd", 5, &m, &nan},
		{"Inf mean", 5, &inf, &sd},
		{"negative sd", 5, &m, &neg},
	} {
		if _, _, ok := MeanCI95(tt.n, tt.mean, tt.sd); ok {
			t.Errorf("MeanCI95 %s: got an interval, want none", tt.name)
		}
	}
}

// Whiskers are clipped to the row's scale, and drawn only where defined.
func TestPrePostCIClipped(t *testing.T) {
	l, err := layoutPrePost(ciChart, 1, prePostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l.hasCI {
		t.Fatal("chart with standard deviations has no whisker legend")
	}
	for i, r := range l.rows {
		for _, ci := range []*interval{r.preCI, r.postCI} {
			if ci != nil && (ci.lo < r.scale.min || ci.hi > r.scale.max || ci.lo > ci.hi) {
				t.Errorf("row %d: interval %+v outside %v..%v", i, *ci, r.scale.min, r.scale.max)
			}
		}
	}
	if r := l.rows[2]; r.preCI != nil {
		t.Errorf("row with one PRE answer has interval %+v, want none", *r.preCI)
	}
	if r := l.rows[3]; r.postCI == nil || *r.postCI != (interval{lo: 1, hi: 5, clipLo: true, clipHi: true}) {
		t.Errorf("wide interval not clipped to 1..5: %+v", r.postCI)
	}
	if r := l.rows[0]; r.preCI == nil || r.preCI.clipLo || r.preCI.clipHi {
		t.Errorf("interval within the scale marked as clipped: %+v", r.preCI)
	}
	svg := string(prePostCase("", ciChart).bytes(t, SVG, 1))
	if !strings.Contains(svg, ">Intervalle de confiance à 95 % de la moyenne<") {
		t.Errorf("no whisker legend in the SVG")
	}
	plain := string(prePostCase("", likertChart).bytes(t, SVG, 1))
	if strings.Contains(plain, "Intervalle de confiance") {
		t.Errorf("chart without standard deviations shows a whisker legend")
	}
}
