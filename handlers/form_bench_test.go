package handlers_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"declic/surveys"
	"declic/surveys/surveystest"
)

// BenchmarkFormPage serves the pupil form of a 10-item Likert questionnaire,
// as a phone that scanned the QR code gets it: store reads included.
//
//	go test -run XXX -bench FormPage ./handlers/
func BenchmarkFormPage(b *testing.B) {
	ctx := context.Background()
	ts := newTestServer(b)
	store := ts.Store
	q := &surveys.Questionnaire{Title: surveys.NewText("Dix questions")}
	for i := range 10 {
		q.Items = append(q.Items, surveys.Item{Key: fmt.Sprint("q", i), Type: surveys.Likert, Text: surveys.NewText("Je me sens capable d'agir pour un monde plus juste."),
			Scale: &surveys.Range{Min: 1, Max: 5, Labels: surveystest.Texts("Pas du tout d'accord", "Plutôt pas d'accord", "Ni l'un ni l'autre", "Plutôt d'accord", "Tout à fait d'accord")}})
	}
	if err := q.Validate(); err != nil {
		b.Fatal(err)
	}
	if err := store.CreateQuestionnaire(ctx, q); err != nil {
		b.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "Atelier", Date: "2026-11-24", OwnerID: "u"}
	if err := store.CreateWorkshop(ctx, w); err != nil {
		b.Fatal(err)
	}
	if _, err := store.SetPhase(ctx, w.ID, surveys.PhasePre); err != nil {
		b.Fatal(err)
	}
	pseudo, router := ts.Pseudo, ts.Handler
	// A phone that went through the code step: it gets the questions.
	cookie := "declic_code=" + pseudo.SealCode(surveys.Code{Mere: "M", Jour: 12, Mois: 3, Lettre2: "A"})
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/f/"+w.Code, nil)
		req.Header.Set("Cookie", cookie)
		router.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("GET form = %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "page-bytes")
}
