package surveys

import "testing"

func TestFamilyOf(t *testing.T) {
	for _, tc := range []struct {
		q      Questionnaire
		family string
		n      int
	}{
		{Questionnaire{ID: "odd-v1"}, "odd", 1},
		{Questionnaire{ID: "abc123"}, "abc123", 1},
		{Questionnaire{ID: "abc123-v7"}, "abc123", 7},
		{Questionnaire{ID: "x-v2", Family: "x", Version: 2}, "x", 2},
		{Questionnaire{ID: "odd-version"}, "odd-version", 1},
	} {
		if f, n := FamilyOf(&tc.q); f != tc.family || n != tc.n {
			t.Errorf("FamilyOf(%s) = %s, %d, want %s, %d", tc.q.ID, f, n, tc.family, tc.n)
		}
	}
	if !InFamily("odd-v3", "odd") || !InFamily("odd", "odd") || InFamily("odd-vx", "odd") || InFamily("odds-v1", "odd") {
		t.Error("InFamily")
	}
}

func mustParse(t *testing.T, s string) *Questionnaire {
	t.Helper()
	q, err := ParseDefinition([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestChangedAndOnlyAddsTranslations(t *testing.T) {
	base := `{"title": "T", "items": [{"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5, "labels": ["Non", "", "", "", "Oui"]}},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`
	a := mustParse(t, base)
	for _, tc := range []struct {
		name, def, want string
		translationOnly bool
	}{
		{"same", base, "", true},
		{"translated", `{"title": {"fr": "T", "pt": "T"}, "languages": ["fr", "pt"], "items": [{"key": "q1", "type": "likert", "text": {"fr": "Je peux agir.", "pt": "Posso agir."}, "scale": {"min": 1, "max": 5, "labels": ["Non", "", "", "", "Oui"]}},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`, "", true},
		{"reworded", `{"title": "T", "items": [{"key": "q1", "type": "likert", "text": "Je peux agir !", "scale": {"min": 1, "max": 5}},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`, "formulation changée", false},
		{"rescaled", `{"title": "T", "items": [{"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 4}},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`, "échelle changée", false},
		{"relabelled", `{"title": "T", "items": [{"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout", "", "", "", "Oui"]}},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`, "libellés de l'échelle changés", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustParse(t, tc.def)
			if got := Changed(&a.Items[0], &b.Items[0]); got != tc.want {
				t.Errorf("Changed = %q, want %q", got, tc.want)
			}
			if got := OnlyAddsTranslations(a, b); got != tc.translationOnly {
				t.Errorf("OnlyAddsTranslations = %v, want %v", got, tc.translationOnly)
			}
		})
	}
	// Changing an existing translation is a change.
	pt := mustParse(t, `{"title": {"fr": "T", "pt": "T"}, "languages": ["fr", "pt"], "items": [{"key": "q1", "type": "likert", "text": {"fr": "Je peux agir.", "pt": "Posso agir."}, "scale": {"min": 1, "max": 5}}]}`)
	pt2 := mustParse(t, `{"title": {"fr": "T", "pt": "T"}, "languages": ["fr", "pt"], "items": [{"key": "q1", "type": "likert", "text": {"fr": "Je peux agir.", "pt": "Eu posso agir."}, "scale": {"min": 1, "max": 5}}]}`)
	if OnlyAddsTranslations(pt, pt2) || !OnlyAddsTranslations(pt, pt) {
		t.Error("rewording a translation counts as adding one")
	}
}
