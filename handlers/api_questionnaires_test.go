package handlers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"declic/surveys"
)

func TestAPIQuestionnairesList(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	var out struct {
		Questionnaires []struct {
			ID      string       `json:"id"`
			Title   surveys.Text `json:"title"` // translated: {"fr": …, "pt": …}
			Builtin bool         `json:"builtin"`
			Items   []struct {
				Key string `json:"key"`
			} `json:"items"`
		} `json:"questionnaires"`
	}
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires", nil, &out); status != http.StatusOK {
		t.Fatalf("status = %d, want 200", status)
	}
	var ids []string
	for _, q := range out.Questionnaires {
		ids = append(ids, q.ID)
		if q.Title.IsZero() || len(q.Items) == 0 || !q.Builtin {
			t.Errorf("questionnaire %s: title %q, %d items, builtin %v; want a built-in with title and items", q.ID, q.Title, len(q.Items), q.Builtin)
		}
	}
	slices.Sort(ids)
	if want := []string{"droits-enfant-v1", "droits-enfant-v2", "interculturalite-v1", "interculturalite-v2", "odd-v1", "odd-v2"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}

func TestAPIQuestionnaireCreate(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	id := ts.newQuestionnaire(t, token, impactDefinition)

	var q surveys.Questionnaire
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires/"+id, nil, &q); status != http.StatusOK {
		t.Fatalf("GET questionnaire = %d, want 200", status)
	}
	var keys []string
	for _, it := range q.Items {
		keys = append(keys, it.Key)
	}
	if want := []string{"q1", "q2", "q3", "k1", "y1", "r1", "c1", "t1"}; !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	if it, _ := q.Item("q2"); it == nil || !it.Reverse {
		t.Errorf("q2 reverse not kept: %+v", it)
	}
	if it, _ := q.Item("t1"); it == nil || !slices.Equal(it.Phases, []surveys.Phase{surveys.PhasePost}) {
		t.Errorf("t1 phases not kept: %+v", it)
	}
	if len(q.Scales) != 1 || !slices.Equal(q.Scales[0].Items, []string{"q1", "q2", "q3"}) {
		t.Errorf("scales = %+v, want ouverture of q1, q2, q3", q.Scales)
	}
	if q.Builtin {
		t.Error("an uploaded questionnaire is marked built-in")
	}

	// It is listed with the library.
	var list struct{ Questionnaires []struct{ ID string } }
	ts.do(t, token, "GET", "/api/v1/questionnaires", nil, &list)
	if !slices.ContainsFunc(list.Questionnaires, func(x struct{ ID string }) bool { return x.ID == id }) {
		t.Errorf("new questionnaire %s not listed", id)
	}

	// A definition cannot take over a built-in id.
	hijack := strings.Replace(impactDefinition, `"title": "Regards sur le monde"`, `"id": "odd-v1", "title": "Regards sur le monde"`, 1)
	var out struct{ ID string }
	status := ts.do(t, token, "POST", "/api/v1/questionnaires", hijack, &out)
	if status == http.StatusCreated && out.ID == "odd-v1" {
		t.Errorf("POST with id odd-v1 replaced the built-in")
	}
}

// withItems returns a definition with the items whose JSON is given.
func withItems(items ...string) string {
	return `{"title": "Test", "items": [` + strings.Join(items, ",") + `]}`
}

func TestAPIQuestionnaireInvalid(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	likert := `{"key": "q1", "type": "likert", "text": "Texte", "scale": {"min": 1, "max": 5}}`
	tests := []struct {
		name      string
		body      string
		wantField string // a key that must be in fields; "" if fields do not apply
		wantInMsg string // text the message (or the field's explanation) must contain
	}{
		{"duplicate key", withItems(likert, likert), "q1", ""},
		{"bad key pattern", withItems(`{"key": "Q-1", "type": "yesno", "text": "Texte"}`), "items[0]", ""},
		{"key too long", withItems(`{"key": "` + strings.Repeat("a", 41) + `", "type": "yesno", "text": "Texte"}`), "items[0]", ""},
		{"likert without scale", withItems(`{"key": "q7", "type": "likert", "text": "Texte"}`), "q7", "scale"},
		{"scale with min >= max", withItems(`{"key": "q7", "type": "scale", "text": "Texte", "scale": {"min": 5, "max": 5}}`), "q7", ""},
		{"quiz correct not an option", withItems(`{"key": "k1", "type": "quiz", "text": "Texte", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "z"}`), "k1", "correct"},
		{"quiz without correct", withItems(`{"key": "k1", "type": "quiz", "text": "Texte", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}`), "k1", ""},
		{"scale with unknown item", `{"title": "Test", "items": [` + likert + `, {"key": "q2", "type": "likert", "text": "T", "scale": {"min": 1, "max": 5}}], "scales": [{"key": "ouverture", "title": "Ouverture", "items": ["q1", "q9"]}]}`, "scales.ouverture", "q9"},
		{"unknown type", withItems(`{"key": "q1", "type": "slider", "text": "Texte"}`), "q1", "slider"},
		{"missing type", withItems(`{"key": "q1", "text": "Texte"}`), "q1", ""},
		{"bad phase", withItems(`{"key": "q1", "type": "yesno", "text": "Texte", "phases": ["pendant"]}`), "q1", ""},
		{"reverse on a text", withItems(`{"key": "t1", "type": "text", "text": "Texte", "reverse": true}`), "t1", ""},
		{"missing title", `{"items": [` + likert + `]}`, "title", ""},
		{"no items", `{"title": "Test", "items": []}`, "items", ""},
		{"several bad items", withItems(`{"key": "a1", "type": "likert", "text": "T"}`, `{"key": "a2", "type": "nope", "text": "T"}`), "a2", ""},
		{"unknown JSON field", `{"title": "Test", "colour": "red", "items": [` + likert + `]}`, "", "colour"},
		{"unknown item field", withItems(`{"key": "q1", "type": "yesno", "text": "T", "weight": 2}`), "", "weight"},
		{"two JSON values", withItems(likert) + ` {"title": "again"}`, "", ""},
		{"trailing garbage", withItems(likert) + ` ]`, "", ""},
		{"empty body", ``, "", ""},
		{"only spaces", "  \n ", "", ""},
		{"JSON null", `null`, "", "null ne dit rien"},
		{"array", `[]`, "", ""},
		{"wrong type for items", `{"title": "Test", "items": {"q1": 1}}`, "", ""},
		{"truncated JSON", `{"title": "Test", "items": [`, "", ""},
		{"YAML that is not a definition", "- a\n- b\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, data := ts.raw(t, nil, "POST", ts.URL+"/api/v1/questionnaires", token, http.Header{"Content-Type": {"application/json"}}, strings.NewReader(tt.body))
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400 (body %s)", res.StatusCode, data)
			}
			e := mustDecodeError(t, data)
			if e.Error.Code != "invalid" {
				t.Errorf("code = %q, want invalid", e.Error.Code)
			}
			if tt.wantField != "" {
				if _, ok := e.Error.Fields[tt.wantField]; !ok {
					t.Errorf("fields = %v, want a field %q", e.Error.Fields, tt.wantField)
				}
			}
			if tt.wantInMsg != "" {
				all := e.Error.Message + " " + e.Error.Fields[tt.wantField]
				if !strings.Contains(all, tt.wantInMsg) {
					t.Errorf("message %q, field %q: want them to mention %q", e.Error.Message, e.Error.Fields[tt.wantField], tt.wantInMsg)
				}
			}
		})
	}
	// None of them was stored.
	var list struct{ Questionnaires []struct{ ID string } }
	ts.do(t, token, "GET", "/api/v1/questionnaires", nil, &list)
	if got := len(list.Questionnaires); got != 6 {
		t.Errorf("%d questionnaires after invalid uploads, want the 6 built-in ones", got)
	}
}
