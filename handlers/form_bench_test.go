package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"declic/handlers"
	"declic/surveys"
	"declic/surveys/mongodb/mongotest"
	"declic/templates"
)

// BenchmarkFormPage serves the pupil form of a 10-item Likert questionnaire,
// as a phone that scanned the QR code gets it: store reads included.
//
//	go test -run XXX -bench FormPage ./handlers/
func BenchmarkFormPage(b *testing.B) {
	ctx := context.Background()
	store := mongotest.Open(b)
	q := &surveys.Questionnaire{Title: "Dix questions"}
	for i := range 10 {
		q.Items = append(q.Items, surveys.Item{Key: fmt.Sprint("q", i), Type: surveys.Likert, Text: "Je me sens capable d'agir pour un monde plus juste.",
			Scale: &surveys.Range{Min: 1, Max: 5, Labels: []string{"Pas du tout d'accord", "Plutôt pas d'accord", "Ni l'un ni l'autre", "Plutôt d'accord", "Tout à fait d'accord"}}})
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
	tmpl, err := templates.New()
	if err != nil {
		b.Fatal(err)
	}
	router := handlers.NewRouter(handlers.Deps{Store: store, Pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))),
		Templates: tmpl, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, httptest.NewRequest("GET", "/f/"+w.Code, nil))
		if rec.Code != 200 {
			b.Fatalf("GET form = %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "page-bytes")
}
