package templates

import (
	"bytes"
	"strings"
	"testing"

	"declic/surveys"
)

// sampleData has every field some page reads, with real domain types.
func sampleData() map[string]any {
	mean := 3.5
	w := &surveys.Workshop{ID: "w1", Code: "ABC234", Title: "Atelier <script>", Date: "2026-11-24", Partner: "Collège", Group: "4e B", Tags: []string{"odd"}, Phase: surveys.PhasePre}
	q := &surveys.Questionnaire{ID: "q1", Title: "ODD", Items: []surveys.Item{{Key: "l1", Type: surveys.Likert, Text: "Question", Scale: &surveys.Range{Min: 1, Max: 5}}}}
	res := &surveys.Results{NPre: 2, NPost: 1, NPaired: 1,
		Items:  []surveys.ItemResult{{Key: "l1", Type: surveys.Likert, Text: "Question", Min: 1, Max: 5, Pre: surveys.PhaseSummary{N: 2, Mean: &mean}, Reading: "En clair."}},
		Scales: []surveys.ScaleResult{{Key: "s", Title: "Échelle", Items: []string{"l1"}}},
		Texts:  []surveys.TextAnswers{{Key: "t", Text: "Tes mots", Answers: []surveys.TextAnswer{{Phase: surveys.PhasePost, Text: "merci"}}}}}
	return map[string]any{
		"User": &surveys.User{Email: "a@example.org", Role: surveys.RoleAdmin}, "Workshop": w, "Workshops": []*surveys.Workshop{w},
		"Questionnaire": q, "Questionnaires": []*surveys.Questionnaire{q}, "Results": res, "Version": 1,
		"Links": map[string]string{"FormURL": "http://x/f/ABC234"}, "Counts": map[string]int{"pre": 2, "post": 0},
		"Form":  map[string]string{"QuestionnaireID": "q1", "Title": "", "Date": "2026-11-24", "TagsText": "odd"},
		"Phase": surveys.PhasePre, "Title": "Erreur", "Message": "Message", "Code": "ZZZ", "Error": "",
		"Items": []any{}, "Action": "/f/ABC234", "SubmissionID": "s", "AskCode": true,
	}
}

// Every page renders: a template error is a test failure here, not a
// broken page in front of a class; user text comes out escaped.
func TestEveryPageRenders(t *testing.T) {
	tmpl, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if len(tmpl.Names()) < 10 {
		t.Errorf("only %d pages: %v", len(tmpl.Names()), tmpl.Names())
	}
	for _, name := range tmpl.Names() {
		var buf bytes.Buffer
		data := sampleData()
		if name == "pupil/form" {
			data["Code"] = map[string]string{"Mother": "A", "Day": "3", "Town": "L"}
		}
		if err := tmpl.Render(&buf, name, data); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		page := buf.String()
		if !strings.Contains(page, `<html lang="fr">`) {
			t.Errorf("%s: no French html element", name)
		}
		if strings.Contains(page, "<script>") {
			t.Errorf("%s: user text not escaped", name)
		}
	}
}

func TestFormatFR(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want string
	}{{3.456, 2, "3,46"}, {-0.001, 1, "0,0"}, {12, 0, "12"}}
	for _, tt := range tests {
		if got := FormatFR(tt.v, tt.d); got != tt.want {
			t.Errorf("FormatFR(%v, %d) = %q, want %q", tt.v, tt.d, got, tt.want)
		}
	}
	if got := signedFR(nil, 1); got != "—" {
		t.Errorf("signedFR(nil) = %q", got)
	}
}
