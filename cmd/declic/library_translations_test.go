package main

import (
	"context"
	"testing"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/library"
)

// A store from before the library was translated: at start-up its
// built-in questionnaires take the new translations, even once answered,
// and nothing else of them changes.
func TestStartAddsLibraryTranslations(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	st, _, closeStore, err := app.OpenStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	var odd *surveys.Questionnaire
	for _, q := range qs {
		if q.ID == "odd-v1" {
			odd = q
		}
	}
	old := untranslated(odd)
	if err := st.EnsureQuestionnaire(ctx, old); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: "odd-v1", Title: "Avant la traduction", Date: "2026-01-10", OwnerID: "u"}
	if err := st.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := closeStore(ctx); err != nil {
		t.Fatal(err)
	}

	ts, _ := openMainAt(t, cfg)
	got, err := ts.Store.Questionnaire(ctx, "odd-v1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Offers("pt") || !got.Offers("en") || got.Items[0].Text.In("pt") == got.Items[0].Text.String() || !got.Builtin {
		t.Errorf("odd-v1 after start: languages %v, first item in pt %q", got.Languages, got.Items[0].Text.In("pt"))
	}
	if !surveys.SameDefinition(untranslated(got), old) {
		t.Errorf("odd-v1 changed beyond its translations")
	}
}

// untranslated is q in French only, as the library was before.
func untranslated(q *surveys.Questionnaire) *surveys.Questionnaire {
	c := q.Clone()
	c.Languages = nil
	plain := func(t *surveys.Text) { *t = surveys.NewText(t.String()) }
	plain(&c.Title)
	plain(&c.Description)
	for i := range c.Items {
		it := &c.Items[i]
		plain(&it.Text)
		plain(&it.Help)
		if it.Scale != nil {
			for j := range it.Scale.Labels {
				plain(&it.Scale.Labels[j])
			}
		}
		for j := range it.Options {
			plain(&it.Options[j].Label)
		}
	}
	for i := range c.Scales {
		plain(&c.Scales[i].Title)
	}
	return c
}
