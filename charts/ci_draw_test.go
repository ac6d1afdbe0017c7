package charts

import (
	"strings"
	"testing"
)

// Whiskers are the intervals the results give, clipped to the row's scale;
// where the results have none (one answer, every answer the same) the bar
// has no whisker at all rather than a zero-width one.
func TestPrePostWhiskersFromResults(t *testing.T) {
	l, err := layoutPrePost(ciChart, 1, prePostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l.hasCI {
		t.Fatal("chart with intervals has no whisker legend")
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
	if r := l.rows[3]; r.preCI != nil {
		t.Errorf("row whose PRE answers are all equal has interval %+v, want none", *r.preCI)
	}
	if r := l.rows[3]; r.postCI == nil || *r.postCI != (interval{lo: 1, hi: 5, clipLo: true, clipHi: true}) {
		t.Errorf("wide interval not clipped to 1..5: %+v", r.postCI)
	}
	if r := l.rows[0]; r.preCI == nil || r.preCI.clipLo || r.preCI.clipHi {
		t.Errorf("interval within the scale marked as clipped: %+v", r.preCI)
	}
	// 2,2 ± qt(0,975; 17) · 1,1 / √18
	if r := l.rows[0]; r.preCI == nil || r.preCI.lo < 1.6529 || r.preCI.lo > 1.6531 {
		t.Errorf("row 0 PRE interval = %+v, want from 1,6530", r.preCI)
	}
	svg := string(prePostCase("", ciChart).bytes(t, SVG, 1))
	if !strings.Contains(svg, ">Intervalle de confiance à 95 % de la moyenne<") {
		t.Errorf("no whisker legend in the SVG")
	}
	plain := string(prePostCase("", likertChart).bytes(t, SVG, 1))
	if strings.Contains(plain, "Intervalle de confiance") {
		t.Errorf("chart without intervals shows a whisker legend")
	}
	for _, bad := range [][2]float64{{3, 1}} {
		if ci := clippedCI(&bad, rowScale{min: 1, max: 5}); ci != nil {
			t.Errorf("clippedCI(%v) = %+v, want nil", bad, *ci)
		}
	}
}
