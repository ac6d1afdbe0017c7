package handlers_test

import (
	"fmt"
	"net/http"
	"testing"
)

// benchFunderEnv is 40 workshops of 30 pupils and three indicators.
func benchFunderEnv(b *testing.B) *funderEnv {
	e := newFunderEnv(b)
	for i := range 40 {
		pupils := make([]pupil, 30)
		for p := range pupils {
			pupils[p] = pupil{1 + p%5, 1 + (p+i)%5}
		}
		e.workshop(fmt.Sprintf("Atelier %d", i), fmt.Sprintf("2026-%02d-%02d", 1+i%3, 1+i%28), []string{"afd"}, pupils)
	}
	for _, m := range []string{"share_improved", "mean_change"} {
		e.newIndicator(map[string]any{"name": m, "questionnaire_id": "regards-v1", "item": "q1", "measure": m, "target": 0.5})
	}
	e.newIndicator(map[string]any{"name": "seuil", "questionnaire_id": "regards-v1", "scale": "agir", "measure": "share_at_least", "threshold": 4})
	return e
}

// The funding report of 1 200 pupils, once its results are computed (a
// manager reloading it, printing it): go test -bench Funder ./handlers/
func BenchmarkFunderReportPage(b *testing.B) {
	e := benchFunderEnv(b)
	path := "/app/reports?questionnaire_id=regards-v1&tag=afd"
	if st, _, _ := e.get(b, e.admin, path); st != http.StatusOK {
		b.Fatalf("report = %d", st)
	}
	b.ResetTimer()
	for range b.N {
		e.get(b, e.admin, path)
	}
}

func BenchmarkFunderLogframePage(b *testing.B) {
	e := benchFunderEnv(b)
	if st, _, _ := e.get(b, e.admin, "/app/logframe"); st != http.StatusOK {
		b.Fatalf("logframe = %d", st)
	}
	b.ResetTimer()
	for range b.N {
		e.get(b, e.admin, "/app/logframe")
	}
}
