package library

import (
	"slices"
	"strings"
	"testing"

	"declic/surveys"
)

// The library is the product's first impression: each questionnaire must
// follow the brief, not only parse.
func TestLibraryQuestionnaires(t *testing.T) {
	qs, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := map[string]bool{"odd-v1": true, "interculturalite-v1": true, "droits-enfant-v1": true, "odd-v2": true, "interculturalite-v2": true, "droits-enfant-v2": true}
	for _, q := range qs {
		t.Run(q.ID, func(t *testing.T) {
			delete(want, q.ID)
			if !q.Builtin || q.Language != "fr" || q.Description.IsZero() {
				t.Errorf("builtin %v, language %q, description %q", q.Builtin, q.Language, q.Description)
			}
			if n := len(q.Items); n < 6 || n > 15 {
				t.Errorf("%d items, want 6 to 15", n)
			}
			var likertBoth, reversed, quiz, postText, retro int
			profiles := map[string]bool{}
			for _, it := range q.Items {
				both := it.AskedIn(surveys.PhasePre) && it.AskedIn(surveys.PhasePost)
				switch {
				case it.Type == surveys.Likert && both:
					likertBoth++
					if it.Reverse {
						reversed++
					}
				case it.Type == surveys.Quiz:
					quiz++
				case it.Type == surveys.FreeText && !it.AskedIn(surveys.PhasePre) && it.AskedIn(surveys.PhasePost):
					postText++
				case it.Type == surveys.Retro:
					retro++
				case it.Profile:
					// Optional, asked once, and gender lets a pupil not say.
					if it.IsRequired() || it.AskedIn(surveys.PhasePost) {
						t.Errorf("profile item %s: required %v, asked in POST %v", it.Key, it.IsRequired(), it.AskedIn(surveys.PhasePost))
					}
					profiles[it.Key] = true
					if it.Key == "genre" && !slices.ContainsFunc(it.Options, func(o surveys.Option) bool { return strings.Contains(o.Label.String(), "préfère ne pas répondre") }) {
						t.Errorf("genre has no « je préfère ne pas répondre »: %v", it.Options)
					}
				}
			}
			if likertBoth < 3 || reversed < 1 {
				t.Errorf("%d likert items in both phases, %d reversed; want ≥3 and ≥1", likertBoth, reversed)
			}
			if quiz < 1 {
				t.Errorf("no knowledge question")
			}
			if postText < 1 || postText > 2 {
				t.Errorf("%d free-text questions in POST, want 1 or 2", postText)
			}
			if retro != 1 || !profiles["age"] || !profiles["genre"] {
				t.Errorf("%d retrospective items, profiles %v; want 1 and age and genre", retro, profiles)
			}
			if len(q.Scales) == 0 {
				t.Errorf("no scale")
			}
		})
	}
	if len(want) > 0 {
		t.Errorf("missing questionnaires: %v", want)
	}
}
