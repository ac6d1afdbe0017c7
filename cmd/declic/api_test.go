package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"declic/cmd/internal/app"
	"declic/surveys"
)

// impactDefinition uses every item type of the contract: a reverse item, a
// scale of three items, an optional numeric scale, a POST-only text.
const impactDefinition = `{
  "title": "Regards sur le monde",
  "language": "fr",
  "items": [
    {"key": "q1", "type": "likert", "text": "Je m'intéresse à ce qui se passe dans d'autres pays.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "", "", "", "Tout à fait d'accord"]}},
    {"key": "q2", "type": "likert", "text": "Les gens d'autres cultures me mettent mal à l'aise.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "q3", "type": "likert", "text": "Je peux agir à mon échelle.", "scale": {"min": 1, "max": 5}},
    {"key": "k1", "type": "quiz", "text": "Combien y a-t-il d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}, {"value": "c", "label": "30"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "As-tu déjà parlé avec quelqu'un qui vit dans un autre pays ?"},
    {"key": "r1", "type": "scale", "text": "De 0 à 10, à quel point te sens-tu concerné·e ?", "scale": {"min": 0, "max": 10}, "required": false},
    {"key": "c1", "type": "choice", "text": "Quels thèmes t'intéressent ?", "multiple": true, "options": [{"value": "climat", "label": "Le climat"}, {"value": "droits", "label": "Les droits"}]},
    {"key": "t1", "type": "text", "text": "Qu'as-tu retenu ?", "phases": ["post"]}
  ],
  "scales": [{"key": "ouverture", "title": "Ouverture aux autres", "items": ["q1", "q2", "q3"]}]
}`

// apiErrorBody is the contract's error shape.
type apiErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// apiRaw sends any request and returns the answer and its body.
func apiRaw(t testing.TB, client *http.Client, method, url, token string, header http.Header, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return res, data
}

// apiNewQuestionnaire stores a definition and returns its id.
func apiNewQuestionnaire(t testing.TB, ts *testServer, token, definition string) string {
	t.Helper()
	var out struct{ ID string }
	if status := ts.do(t, token, "POST", "/api/v1/questionnaires", definition, &out); status != http.StatusCreated || out.ID == "" {
		t.Fatalf("POST /api/v1/questionnaires = %d, id %q; want 201 and an id", status, out.ID)
	}
	return out.ID
}

// workshopOut is what POST /api/v1/workshops answers.
type workshopOut struct {
	ID              string   `json:"id"`
	Code            string   `json:"code"`
	FormURL         string   `json:"form_url"`
	QRPNGURL        string   `json:"qr_png_url"`
	QRSVGURL        string   `json:"qr_svg_url"`
	Title           string   `json:"title"`
	Date            string   `json:"date"`
	Partner         string   `json:"partner"`
	Group           string   `json:"group"`
	Tags            []string `json:"tags"`
	Phase           string   `json:"phase"`
	QuestionnaireID string   `json:"questionnaire_id"`
}

// apiNewWorkshop creates a workshop from a request body.
func apiNewWorkshop(t testing.TB, ts *testServer, token string, body map[string]any) workshopOut {
	t.Helper()
	var w workshopOut
	if status := ts.do(t, token, "POST", "/api/v1/workshops", body, &w); status != http.StatusCreated || w.ID == "" || w.Code == "" {
		t.Fatalf("POST /api/v1/workshops %v = %d, %+v; want 201 with id and code", body, status, w)
	}
	return w
}

// apiOpenWorkshop creates a workshop on questionnaire qid and opens phase.
func apiOpenWorkshop(t testing.TB, ts *testServer, token, qid, phase string) workshopOut {
	t.Helper()
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": qid, "title": "Atelier de test", "date": "2026-03-12", "partner": "Collège Jean Macé", "group": "4e B"})
	apiSetPhaseTo(t, ts, token, w.ID, phase)
	return w
}

func apiSetPhaseTo(t testing.TB, ts *testServer, token, id, phase string) {
	t.Helper()
	var out workshopOut
	if status := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": phase}, &out); status != http.StatusOK || out.Phase != phase {
		t.Fatalf("PUT phase %s = %d, phase %q; want 200 and %q", phase, status, out.Phase, phase)
	}
}

// submission is a response as the API takes it.
type submission struct {
	SubmissionID string         `json:"submission_id"`
	Participant  string         `json:"participant"`
	Phase        string         `json:"phase"`
	Answers      map[string]any `json:"answers"`
}

// apiAnswer posts a response that must be stored (201) and returns its id.
func apiAnswer(t testing.TB, ts *testServer, code string, s submission) string {
	t.Helper()
	var out struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+code+"/responses", s, &out); status != http.StatusCreated || out.ID == "" {
		t.Fatalf("POST response %+v = %d, id %q; want 201", s, status, out.ID)
	}
	return out.ID
}

// storedCounts reads the number of responses per phase from the store itself.
func storedCounts(t testing.TB, ts *testServer, workshopID string) (pre, post int) {
	t.Helper()
	c, err := ts.Store.CountResponses(context.Background(), workshopID)
	if err != nil {
		t.Fatal(err)
	}
	return c[surveys.PhasePre], c[surveys.PhasePost]
}

func mustDecodeError(t testing.TB, data []byte) apiErrorBody {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("error body %q is not JSON: %v", data, err)
	}
	if len(top) != 1 || top["error"] == nil {
		t.Fatalf("error body %s: want exactly one key \"error\"", data)
	}
	var e apiErrorBody
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %s: want a code and a message", data)
	}
	for _, c := range e.Error.Code {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			t.Fatalf("error code %q is not snake_case", e.Error.Code)
		}
	}
	return e
}

func TestAPILogin(t *testing.T) {
	ts := mustOpenMain(t)
	tests := []struct {
		name string
		body any
		want int
	}{
		{"ok", map[string]string{"email": testAdminEmail, "password": testAdminPassword}, http.StatusOK},
		{"ok with upper-case e-mail", map[string]string{"email": strings.ToUpper(testAdminEmail), "password": testAdminPassword}, http.StatusOK},
		{"wrong password", map[string]string{"email": testAdminEmail, "password": "pas-le-bon-mot-de-passe"}, http.StatusUnauthorized},
		{"unknown e-mail", map[string]string{"email": "personne@example.org", "password": testAdminPassword}, http.StatusUnauthorized},
		{"empty", map[string]string{}, http.StatusUnauthorized},
		{"malformed JSON", `{"email": "admin@example.org", "password": `, http.StatusBadRequest},
		{"not an object", `["admin@example.org"]`, http.StatusBadRequest},
		{"operator as password", `{"email": "admin@example.org", "password": {"$ne": ""}}`, http.StatusBadRequest},
		{"unknown field", `{"email": "admin@example.org", "password": "x", "role": "admin"}`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out map[string]any
			got := ts.do(t, "", "POST", "/api/v1/auth/login", tt.body, &out)
			if got != tt.want {
				t.Fatalf("status = %d, want %d (body %v)", got, tt.want, out)
			}
			if tt.want == http.StatusOK {
				if tok, _ := out["token"].(string); len(tok) < 20 {
					t.Errorf("token = %q, want a long token", tok)
				}
				return
			}
			b, _ := json.Marshal(out)
			e := mustDecodeError(t, b)
			if tt.want == http.StatusUnauthorized && e.Error.Code != "unauthorized" {
				t.Errorf("code = %q, want unauthorized", e.Error.Code)
			}
		})
	}
}

func TestAPIAuthRequired(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier", "date": "2026-03-12"})
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/questionnaires", ""},
		{"POST", "/api/v1/questionnaires", impactDefinition},
		{"GET", "/api/v1/questionnaires/odd-v1", ""},
		{"GET", "/api/v1/workshops", ""},
		{"POST", "/api/v1/workshops", `{"questionnaire_id": "odd-v1", "title": "x", "date": "2026-03-12"}`},
		{"GET", "/api/v1/workshops/" + w.ID, ""},
		{"PUT", "/api/v1/workshops/" + w.ID + "/phase", `{"phase": "pre"}`},
		{"GET", "/api/v1/workshops/" + w.ID + "/results", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/qr.png", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/qr.svg", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts/prepost.png", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts/prepost.svg", ""},
		{"GET", "/api/v1/workshops/unknown/results", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts.zip", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/responses.csv", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/responses.xlsx", ""},
		{"PUT", "/api/v1/workshops/" + w.ID + "/attendance", `{"attendance": 12}`},
		{"DELETE", "/api/v1/workshops/" + w.ID, ""},
		{"GET", "/api/v1/reports?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/charts/likert.svg?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/charts.zip?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/responses.csv?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/responses.xlsx?questionnaire_id=odd-v1", ""},
	}
	credentials := []struct {
		name   string
		header string
	}{
		{"no token", ""},
		{"bad token", "Bearer " + strings.Repeat("x", 43)},
		{"empty bearer", "Bearer "},
		{"basic auth", "Basic YWRtaW46YWRtaW4="},
		{"token without scheme", token},
		{"huge token", "Bearer " + strings.Repeat("a", 5000)},
	}
	for _, r := range routes {
		for _, c := range credentials {
			t.Run(r.method+" "+r.path+" "+c.name, func(t *testing.T) {
				h := http.Header{"Content-Type": {"application/json"}}
				if c.header != "" {
					h.Set("Authorization", c.header)
				}
				res, data := apiRaw(t, nil, r.method, ts.URL+r.path, "", h, strings.NewReader(r.body))
				if res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status = %d, want 401 (body %s)", res.StatusCode, data)
				}
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type = %q, want JSON", ct)
				}
				if e := mustDecodeError(t, data); e.Error.Code != "unauthorized" {
					t.Errorf("code = %q, want unauthorized", e.Error.Code)
				}
			})
		}
	}
	// Nothing was changed by the refused requests.
	var got workshopOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
	if got.Phase != "closed" {
		t.Errorf("phase after refused PUT = %q, want closed", got.Phase)
	}
}

func TestAPIQuestionnairesList(t *testing.T) {
	ts := mustOpenMain(t)
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
	ts := mustOpenMain(t)
	token := ts.token(t)
	id := apiNewQuestionnaire(t, ts, token, impactDefinition)

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
	ts := mustOpenMain(t)
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
		{"JSON null", `null`, "title", ""},
		{"array", `[]`, "", ""},
		{"wrong type for items", `{"title": "Test", "items": {"q1": 1}}`, "", ""},
		{"truncated JSON", `{"title": "Test", "items": [`, "", ""},
		{"YAML that is not a definition", "- a\n- b\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, data := apiRaw(t, nil, "POST", ts.URL+"/api/v1/questionnaires", token, http.Header{"Content-Type": {"application/json"}}, strings.NewReader(tt.body))
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

const yamlDefinition = `title: Vivre ensemble
language: fr
items:
  - key: v1
    type: likert
    text: Je me sens à l'aise avec des personnes différentes de moi.
    scale: {min: 1, max: 4}
  - key: v2
    type: yesno
    text: As-tu déjà aidé quelqu'un qui était moqué ?
  - key: t1
    type: text
    text: Qu'est-ce qui t'a marqué ?
    phases: [post]
`

// multipartDefinition builds the body of the upload form.
func multipartDefinition(t testing.TB, filename, content string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("definition", filename)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, content)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestAPIQuestionnaireYAMLUploadPage(t *testing.T) {
	ts := mustOpenMain(t)
	client := pageLogin(t, ts)

	body, ctype := multipartDefinition(t, "vivre-ensemble.yaml", yamlDefinition)
	res, data := apiRaw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {ctype}}, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d, want 303 (body %.300s)", res.StatusCode, data)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Path != "/app/workshops/new" || loc.Query().Get("questionnaire") == "" {
		t.Fatalf("Location = %q, want /app/workshops/new?questionnaire=<id>", res.Header.Get("Location"))
	}
	id := loc.Query().Get("questionnaire")

	token := ts.token(t)
	var q surveys.Questionnaire
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires/"+id, nil, &q); status != http.StatusOK {
		t.Fatalf("GET uploaded questionnaire = %d", status)
	}
	if q.Title.String() != "Vivre ensemble" || len(q.Items) != 3 || q.Items[0].Scale == nil || q.Items[0].Scale.Max != 4 {
		t.Errorf("uploaded questionnaire = %+v, want the YAML definition", q)
	}

	// The new-workshop page offers it, preselected.
	res, data = apiRaw(t, client, "GET", ts.URL+res.Header.Get("Location"), "", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(data), `value="`+id+`" checked`) {
		t.Errorf("new workshop page = %d; want the uploaded questionnaire checked", res.StatusCode)
	}

	// Invalid files give the page again with the problem named, and store nothing.
	bad := []struct{ name, file, content, want string }{
		{"invalid YAML", "x.yaml", "title: [unclosed\n", "YAML"},
		{"invalid definition", "x.yml", "title: T\nitems:\n  - key: BAD KEY\n    type: yesno\n    text: T\n", "items[0]"},
		{"likert without scale", "x.yml", "title: T\nitems:\n  - key: q1\n    type: likert\n    text: T\n", "q1"},
		{"empty file", "x.json", "", "vide"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype := multipartDefinition(t, tt.file, tt.content)
			res, data := apiRaw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {ctype}}, body)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400", res.StatusCode)
			}
			if !strings.Contains(string(data), tt.want) {
				t.Errorf("page does not mention %q:\n%.2000s", tt.want, data)
			}
		})
	}
	t.Run("no file", func(t *testing.T) {
		res, _ := apiRaw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, strings.NewReader("definition=x"))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", res.StatusCode)
		}
	})
	var list struct{ Questionnaires []struct{ ID string } }
	ts.do(t, token, "GET", "/api/v1/questionnaires", nil, &list)
	if got := len(list.Questionnaires); got != 7 {
		t.Errorf("%d questionnaires, want 6 built-in + 1 uploaded", got)
	}
}

func TestAPIWorkshopCreate(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	w := apiNewWorkshop(t, ts, token, map[string]any{
		"questionnaire_id": "odd-v1", "title": "  Les ODD au quotidien  ", "date": "2026-03-12",
		"partner": "Collège Jean Macé", "group": "4e B", "tags": []string{"ODD", "programme-2026", "odd", " "},
	})
	if got, want := w.FormURL, ts.URL+"/f/"+w.Code; got != want {
		t.Errorf("form_url = %q, want %q", got, want)
	}
	if got, want := w.QRPNGURL, ts.URL+"/api/v1/workshops/"+w.ID+"/qr.png"; got != want {
		t.Errorf("qr_png_url = %q, want %q", got, want)
	}
	if got, want := w.QRSVGURL, ts.URL+"/api/v1/workshops/"+w.ID+"/qr.svg"; got != want {
		t.Errorf("qr_svg_url = %q, want %q", got, want)
	}
	if w.Title != "Les ODD au quotidien" {
		t.Errorf("title = %q, want it trimmed", w.Title)
	}
	if !slices.Equal(w.Tags, []string{"odd", "programme-2026"}) {
		t.Errorf("tags = %v, want [odd programme-2026]", w.Tags)
	}
	if w.Phase != "closed" {
		t.Errorf("phase = %q, want closed at creation", w.Phase)
	}
	for _, r := range w.Code {
		if !strings.ContainsRune("ABCDEFGHJKMNPQRSTUVWXYZ23456789", r) {
			t.Errorf("code %q has a character pupils may misread", w.Code)
		}
	}

	var got workshopOut
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got); status != http.StatusOK {
		t.Fatalf("GET workshop = %d, want 200", status)
	}
	if got.ID != w.ID || got.Code != w.Code || got.FormURL != w.FormURL || got.Title != w.Title || got.Partner != "Collège Jean Macé" || got.Group != "4e B" || got.Date != "2026-03-12" || got.QuestionnaireID != "odd-v1" {
		t.Errorf("GET workshop = %+v, want %+v", got, w)
	}

	var e apiErrorBody
	if status := ts.do(t, token, "GET", "/api/v1/workshops/000000000000000000000000", nil, &e); status != http.StatusNotFound || e.Error.Code != "not_found" {
		t.Errorf("GET unknown workshop = %d %q, want 404 not_found", status, e.Error.Code)
	}
}

func TestAPIWorkshopCreateInvalid(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	valid := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier", "date": "2026-03-12"}
		edit(m)
		return m
	}
	tests := []struct {
		name       string
		body       any
		wantFields []string
	}{
		{"missing title", valid(func(m map[string]any) { delete(m, "title") }), []string{"title"}},
		{"blank title", valid(func(m map[string]any) { m["title"] = "   " }), []string{"title"}},
		{"bad date", valid(func(m map[string]any) { m["date"] = "12/03/2026" }), []string{"date"}},
		{"impossible date", valid(func(m map[string]any) { m["date"] = "2026-02-30" }), []string{"date"}},
		{"missing date", valid(func(m map[string]any) { delete(m, "date") }), []string{"date"}},
		{"unknown questionnaire", valid(func(m map[string]any) { m["questionnaire_id"] = "nope-v9" }), []string{"questionnaire_id"}},
		{"missing questionnaire", valid(func(m map[string]any) { delete(m, "questionnaire_id") }), []string{"questionnaire_id"}},
		{"title too long", valid(func(m map[string]any) { m["title"] = strings.Repeat("é", 201) }), []string{"title"}},
		{"everything wrong", map[string]any{"date": "demain"}, []string{"title", "date", "questionnaire_id"}},
		{"unknown field", `{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12", "owner_id": "x"}`, nil},
		{"tags not a list", `{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12", "tags": "odd"}`, nil},
		{"malformed", `{"title": `, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			status := ts.do(t, token, "POST", "/api/v1/workshops", tt.body, &raw)
			if status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400 (%s)", status, raw)
			}
			e := mustDecodeError(t, raw)
			for _, f := range tt.wantFields {
				if e.Error.Fields[f] == "" {
					t.Errorf("fields = %v, want %q named", e.Error.Fields, f)
				}
			}
		})
	}
	var list struct{ Workshops []workshopOut }
	ts.do(t, token, "GET", "/api/v1/workshops", nil, &list)
	if len(list.Workshops) != 0 {
		t.Errorf("%d workshops stored after invalid requests, want 0", len(list.Workshops))
	}
}

func TestAPIWorkshopListFilters(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	add := func(title, date, partner string, tags ...string) {
		apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": "odd-v1", "title": title, "date": date, "partner": partner, "tags": tags})
	}
	add("A", "2026-01-10", "Collège Jean Macé", "odd", "programme-2026")
	add("B", "2026-02-01", "Centre social Faubourg", "interculturalite")
	add("C", "2026-02-28", "Collège Jean Macé", "odd")
	add("D", "2025-12-31", "Mission locale", "droits", "programme-2026")
	add("E", "2026-03-01", "Université de Lille")

	tests := []struct {
		query string
		want  []string // titles, latest date first
	}{
		{"", []string{"E", "C", "B", "A", "D"}},
		{"from=2026-01-01", []string{"E", "C", "B", "A"}},
		{"to=2026-01-31", []string{"A", "D"}},
		{"from=2026-02-01&to=2026-02-28", []string{"C", "B"}},
		{"from=2026-02-28&to=2026-02-28", []string{"C"}},
		{"tag=odd", []string{"C", "A"}},
		{"tag=ODD", []string{"C", "A"}},
		{"tag=programme-2026", []string{"A", "D"}},
		{"tag=inconnu", []string{}},
		{"partner=" + url.QueryEscape("Collège Jean Macé"), []string{"C", "A"}},
		{"partner=" + url.QueryEscape("Collège Jean Macé") + "&from=2026-02-01", []string{"C"}},
		{"tag=odd&partner=" + url.QueryEscape("Mission locale"), []string{}},
		{"tag=programme-2026&to=2025-12-31", []string{"D"}},
		{"from=2026-04-01", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var out struct {
				Workshops []workshopOut `json:"workshops"`
			}
			if status := ts.do(t, token, "GET", "/api/v1/workshops?"+tt.query, nil, &out); status != http.StatusOK {
				t.Fatalf("status = %d, want 200", status)
			}
			if out.Workshops == nil {
				t.Fatalf("workshops is null or missing, want a list")
			}
			got := []string{}
			for _, w := range out.Workshops {
				got = append(got, w.Title)
				if w.FormURL != ts.URL+"/f/"+w.Code {
					t.Errorf("%s: form_url = %q", w.Title, w.FormURL)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("titles = %v, want %v", got, tt.want)
			}
		})
	}
	for _, q := range []string{"from=2026-13-01", "to=hier", "from=01/02/2026", "from=2026-01-01&to=x"} {
		t.Run("bad "+q, func(t *testing.T) {
			var raw json.RawMessage
			if status := ts.do(t, token, "GET", "/api/v1/workshops?"+q, nil, &raw); status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400", status)
			}
			e := mustDecodeError(t, raw)
			if len(e.Error.Fields) == 0 {
				t.Errorf("fields empty, want the bad filter named")
			}
		})
	}
}

func TestAPIWorkshopPhase(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12"})
	for _, p := range []string{"pre", "post", "closed", "pre"} {
		apiSetPhaseTo(t, ts, token, w.ID, p)
		var got workshopOut
		ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
		if got.Phase != p {
			t.Errorf("after PUT %s, GET phase = %q", p, got.Phase)
		}
	}
	tests := []struct {
		name, id string
		body     any
		want     int
		field    string
	}{
		{"bad phase", w.ID, map[string]string{"phase": "during"}, http.StatusBadRequest, "phase"},
		{"upper case phase", w.ID, map[string]string{"phase": "PRE"}, http.StatusBadRequest, "phase"},
		{"empty phase", w.ID, map[string]string{}, http.StatusBadRequest, "phase"},
		{"phase not a string", w.ID, `{"phase": 1}`, http.StatusBadRequest, ""},
		{"malformed", w.ID, `{"phase": `, http.StatusBadRequest, ""},
		{"unknown id", "000000000000000000000000", map[string]string{"phase": "pre"}, http.StatusNotFound, ""},
		{"unknown id, other shape", "nope", map[string]string{"phase": "post"}, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			status := ts.do(t, token, "PUT", "/api/v1/workshops/"+tt.id+"/phase", tt.body, &raw)
			if status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", status, tt.want, raw)
			}
			e := mustDecodeError(t, raw)
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Errorf("fields = %v, want %q named", e.Error.Fields, tt.field)
			}
		})
	}
	var got workshopOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
	if got.Phase != "pre" {
		t.Errorf("phase after refused changes = %q, want pre", got.Phase)
	}
}

// validPre is a complete PRE answer set of impactDefinition.
func validPre() map[string]any {
	return map[string]any{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}
}

func TestAPIAnswerPhaseAndCode(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": qid, "title": "A", "date": "2026-03-12"})
	s := submission{SubmissionID: "sub-closed", Participant: "P1", Phase: "pre", Answers: validPre()}

	var e apiErrorBody
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &e); status != http.StatusConflict || e.Error.Code != "phase_closed" {
		t.Errorf("answer while closed = %d %q, want 409 phase_closed", status, e.Error.Code)
	}
	e = apiErrorBody{}
	if status := ts.do(t, "", "POST", "/api/v1/forms/ZZZZZZ/responses", s, &e); status != http.StatusNotFound || e.Error.Code != "not_found" {
		t.Errorf("answer to unknown code = %d %q, want 404 not_found", status, e.Error.Code)
	}

	apiSetPhaseTo(t, ts, token, w.ID, "pre")
	e = apiErrorBody{}
	post := s
	post.Phase = "post"
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", post, &e); status != http.StatusConflict || e.Error.Code != "phase_closed" {
		t.Errorf("POST answer while PRE is open = %d %q, want 409 phase_closed", status, e.Error.Code)
	}

	// Codes are forgiving: lower case and dashes reach the same workshop.
	lower := strings.ToLower(w.Code[:3]) + "-" + strings.ToLower(w.Code[3:])
	id := apiAnswer(t, ts, lower, s)

	// The same submission again: 200, same id, nothing stored twice.
	var again struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &again); status != http.StatusOK || again.ID != id {
		t.Errorf("retry = %d id %q, want 200 id %q", status, again.ID, id)
	}
	if pre, post := storedCounts(t, ts, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored = %d pre, %d post; want 1, 0", pre, post)
	}
	var res resultsOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &res)
	if res.NPre != 1 {
		t.Errorf("n_pre = %d, want 1", res.NPre)
	}

	// After the phase closed, a retry still gets its acknowledgement.
	apiSetPhaseTo(t, ts, token, w.ID, "closed")
	again.ID = ""
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &again); status != http.StatusOK || again.ID != id {
		t.Errorf("retry after close = %d id %q, want 200 id %q", status, again.ID, id)
	}
	// And so after POST opened.
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	again.ID = ""
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &again); status != http.StatusOK || again.ID != id {
		t.Errorf("retry of PRE during POST = %d id %q, want 200 id %q", status, again.ID, id)
	}
	// A new submission for the closed PRE is refused.
	e = apiErrorBody{}
	late := s
	late.SubmissionID = "sub-late"
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", late, &e); status != http.StatusConflict || e.Error.Code != "phase_closed" {
		t.Errorf("new PRE answer during POST = %d %q, want 409 phase_closed", status, e.Error.Code)
	}
	if pre, post := storedCounts(t, ts, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored = %d pre, %d post; want 1, 0", pre, post)
	}

	// A submission id is not reusable in another workshop.
	w2 := apiOpenWorkshop(t, ts, token, qid, "pre")
	var raw json.RawMessage
	status := ts.do(t, "", "POST", "/api/v1/forms/"+w2.Code+"/responses", s, &raw)
	if status < 400 || status >= 500 {
		t.Errorf("submission id of another workshop = %d, want a 4xx (%s)", status, raw)
	}
	if pre, _ := storedCounts(t, ts, w2.ID); pre != 0 {
		t.Errorf("other workshop stored %d, want 0", pre)
	}
}

func TestAPIAnswerInvalid(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	wPre := apiOpenWorkshop(t, ts, token, qid, "pre")
	wPost := apiOpenWorkshop(t, ts, token, qid, "post")

	with := func(edit func(a map[string]any)) map[string]any {
		a := validPre()
		edit(a)
		return a
	}
	huge := strings.Repeat("é", 2001)
	tests := []struct {
		name       string
		post       bool // answer the workshop in POST
		body       any  // a submission, or raw JSON
		wantStatus int
		wantFields []string
	}{
		{"likert above max", false, with(func(a map[string]any) { a["q1"] = 6 }), 400, []string{"q1"}},
		{"likert below min", false, with(func(a map[string]any) { a["q1"] = 0 }), 400, []string{"q1"}},
		{"likert not whole", false, with(func(a map[string]any) { a["q1"] = 2.5 }), 400, []string{"q1"}},
		{"likert as string", false, with(func(a map[string]any) { a["q1"] = "3" }), 400, []string{"q1"}},
		{"likert as bool", false, with(func(a map[string]any) { a["q1"] = true }), 400, []string{"q1"}},
		{"likert as list", false, with(func(a map[string]any) { a["q1"] = []int{3} }), 400, []string{"q1"}},
		{"scale above max", false, with(func(a map[string]any) { a["r1"] = 11 }), 400, []string{"r1"}},
		{"yesno 2", false, with(func(a map[string]any) { a["y1"] = 2 }), 400, []string{"y1"}},
		{"yesno as string", false, with(func(a map[string]any) { a["y1"] = "oui" }), 400, []string{"y1"}},
		{"quiz as number", false, with(func(a map[string]any) { a["k1"] = 1 }), 400, []string{"k1"}},
		{"quiz unknown option", false, with(func(a map[string]any) { a["k1"] = "z" }), 400, []string{"k1"}},
		{"choice not a list", false, with(func(a map[string]any) { a["c1"] = "climat" }), 400, []string{"c1"}},
		{"choice unknown option", false, with(func(a map[string]any) { a["c1"] = []string{"climat", "foot"} }), 400, []string{"c1"}},
		{"unknown item", false, with(func(a map[string]any) { a["zz"] = 1 }), 400, []string{"zz"}},
		{"POST-only item in PRE", false, with(func(a map[string]any) { a["t1"] = "déjà" }), 400, []string{"t1"}},
		{"missing required", false, with(func(a map[string]any) { delete(a, "q2") }), 400, []string{"q2"}},
		{"required given as null", false, with(func(a map[string]any) { a["q3"] = nil }), 400, []string{"q3"}},
		{"required given as empty string", false, with(func(a map[string]any) { a["k1"] = "" }), 400, []string{"k1"}},
		{"several problems at once", false, with(func(a map[string]any) { a["q1"] = 9; a["k1"] = 2; delete(a, "y1"); a["zz"] = "x" }), 400, []string{"q1", "k1", "y1", "zz"}},
		{"no answers", false, map[string]any{}, 400, []string{"q1", "q2", "q3", "k1", "y1"}},
		{"operator as answer", false, with(func(a map[string]any) { a["q1"] = map[string]any{"$gt": ""} }), 400, []string{"q1"}},
		{"operator as quiz answer", false, with(func(a map[string]any) { a["k1"] = map[string]any{"$ne": "a"} }), 400, []string{"k1"}},
		{"operator as text answer", true, with(func(a map[string]any) { a["t1"] = map[string]any{"$gt": ""} }), 400, []string{"t1"}},
		{"operator as key", false, with(func(a map[string]any) { a["$where"] = "1" }), 400, []string{"$where"}},
		{"text too long", true, with(func(a map[string]any) { a["t1"] = huge }), 400, []string{"t1"}},
		{"text as number", true, with(func(a map[string]any) { a["t1"] = 12 }), 400, []string{"t1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := wPre
			s := submission{SubmissionID: "sub-" + strings.ReplaceAll(tt.name, " ", "-"), Participant: "P-invalid", Phase: "pre"}
			if tt.post {
				w, s.Phase = wPost, "post"
			}
			s.Answers, _ = tt.body.(map[string]any)
			var raw json.RawMessage
			status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &raw)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (%s)", status, tt.wantStatus, raw)
			}
			e := mustDecodeError(t, raw)
			if e.Error.Code != "invalid" {
				t.Errorf("code = %q, want invalid", e.Error.Code)
			}
			var keys []string
			for k := range e.Error.Fields {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := slices.Clone(tt.wantFields)
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("fields = %v, want exactly %v", e.Error.Fields, want)
			}
		})
	}

	envelope := []struct {
		name    string
		body    string
		status  int
		field   string // a field that must be named, or "" to only check the message names mention
		mention string
	}{
		{"operator as participant", `{"submission_id": "s1", "participant": {"$gt": ""}, "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "", "participant"},
		{"operator as submission id", `{"submission_id": {"$gt": ""}, "participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "", "submission_id"},
		{"missing participant", `{"submission_id": "s1", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "code", ""},
		{"blank participant", `{"submission_id": "s1", "participant": "  ", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "participant", ""},
		{"missing submission id", `{"participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "submission_id", ""},
		{"submission id too long", `{"submission_id": "` + strings.Repeat("s", 500) + `", "participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "submission_id", ""},
		{"bad phase", `{"submission_id": "s1", "participant": "P", "phase": "pendant", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "phase", ""},
		{"phase closed as a phase", `{"submission_id": "s1", "participant": "P", "phase": "closed", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "phase", ""},
		{"answers as a list", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": []}`, 400, "", ""},
		{"answers null", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": null}`, 400, "q1", ""},
		{"unknown top-level field", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}, "workshop_id": "x"}`, 400, "", "workshop_id"},
		{"two JSON values", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}} {}`, 400, "", ""},
		{"malformed", `{"submission_id": "s1", `, 400, "", ""},
		{"empty body", ``, 400, "", ""},
		{"number too big for a float", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": {"q1": 1e309, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`, 400, "", ""},
		{"body over 64 KB", `{"submission_id": "s1", "participant": "P", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1, "zz": "` + strings.Repeat("x", 70<<10) + `"}}`, 413, "", ""},
	}
	for _, tt := range envelope {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			status := ts.do(t, "", "POST", "/api/v1/forms/"+wPre.Code+"/responses", tt.body, &raw)
			if status != tt.status {
				t.Fatalf("status = %d, want %d (%.300s)", status, tt.status, raw)
			}
			e := mustDecodeError(t, raw)
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Errorf("fields = %v, want %q named", e.Error.Fields, tt.field)
			}
			if tt.mention != "" && !strings.Contains(e.Error.Message, tt.mention) && e.Error.Fields[tt.mention] == "" {
				t.Errorf("error %+v does not name %q", e.Error, tt.mention)
			}
			if tt.status == http.StatusRequestEntityTooLarge && e.Error.Code != "too_large" {
				t.Errorf("code = %q, want too_large", e.Error.Code)
			}
		})
	}

	for _, w := range []workshopOut{wPre, wPost} {
		if pre, post := storedCounts(t, ts, w.ID); pre != 0 || post != 0 {
			t.Errorf("workshop in %s: stored %d pre, %d post after invalid answers; want nothing", w.Phase, pre, post)
		}
	}

	// The valid versions are accepted, so the cases above failed for the reason named.
	apiAnswer(t, ts, wPre.Code, submission{SubmissionID: "ok-pre", Participant: "P", Phase: "pre", Answers: validPre()})
	apiAnswer(t, ts, wPost.Code, submission{SubmissionID: "ok-post", Participant: "P", Phase: "post",
		Answers: with(func(a map[string]any) {
			a["t1"] = strings.Repeat("é", 2000)
			a["c1"] = []string{"climat", "droits"}
			a["r1"] = 0
		})})
}

func TestAPIAnswerDuplicateParticipant(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	apiAnswer(t, ts, w.Code, submission{"a1", "ALICE", "pre", validPre()})
	apiAnswer(t, ts, w.Code, submission{"a2", "ALICE", "pre", validPre()}) // same pupil, scanned twice
	apiAnswer(t, ts, w.Code, submission{"b1", "BOB", "pre", validPre()})
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	apiAnswer(t, ts, w.Code, submission{"a3", "ALICE", "post", validPre()})
	apiAnswer(t, ts, w.Code, submission{"b2", "BOB", "post", validPre()})
	apiAnswer(t, ts, w.Code, submission{"c1", "CHLOE", "post", validPre()})

	if pre, post := storedCounts(t, ts, w.ID); pre != 3 || post != 3 {
		t.Errorf("stored %d pre, %d post; want 3, 3", pre, post)
	}
	res := apiResultsOf(t, ts, token, w.ID)
	if res.NPre != 3 || res.NPost != 3 || res.NPaired != 1 || res.NDuplicates != 1 {
		t.Errorf("n_pre %d n_post %d n_paired %d n_duplicates %d; want 3 3 1 1", res.NPre, res.NPost, res.NPaired, res.NDuplicates)
	}
	for _, it := range res.Items {
		if it.Key != "r1" && it.Paired.N != 1 {
			t.Errorf("%s: paired n = %d, want 1 (only BOB)", it.Key, it.Paired.N)
		}
		if it.Key != "r1" && (it.Pre.N != 3 || it.Post.N != 3) {
			t.Errorf("%s: pre n %d, post n %d; want 3, 3 (every response counts outside pairs)", it.Key, it.Pre.N, it.Post.N)
		}
	}
}

// summaryOut, pairedOut, itemOut and resultsOut mirror the contract's results.
type summaryOut struct {
	N      int            `json:"n"`
	Mean   *float64       `json:"mean"`
	SD     *float64       `json:"sd"`
	Counts map[string]int `json:"counts"`
}

type testOut struct {
	T  float64 `json:"t"`
	DF float64 `json:"df"`
	P  float64 `json:"p"`
}

type pairedOut struct {
	N        int         `json:"n"`
	MeanPre  *float64    `json:"mean_pre"`
	MeanPost *float64    `json:"mean_post"`
	MeanDiff *float64    `json:"mean_diff"`
	SDDiff   *float64    `json:"sd_diff"`
	CI95     *[2]float64 `json:"ci95"`
	T        *testOut    `json:"t"`
	Wilcoxon *struct {
		V      float64 `json:"v"`
		P      float64 `json:"p"`
		Method string  `json:"method"`
	} `json:"wilcoxon"`
	EffectSizeDz *float64 `json:"effect_size_dz"`
	Improved     int      `json:"improved"`
	Unchanged    int      `json:"unchanged"`
	Declined     int      `json:"declined"`
}

type itemOut struct {
	Key      string     `json:"key"`
	Type     string     `json:"type"`
	Pre      summaryOut `json:"pre"`
	Post     summaryOut `json:"post"`
	Paired   pairedOut  `json:"paired"`
	Unpaired struct {
		Welch *testOut `json:"welch"`
	} `json:"unpaired"`
	McNemar *struct {
		B int `json:"b"`
		C int `json:"c"`
	} `json:"mcnemar"`
}

type resultsOut struct {
	NPre        int       `json:"n_pre"`
	NPost       int       `json:"n_post"`
	NPaired     int       `json:"n_paired"`
	NDuplicates int       `json:"n_duplicates"`
	Items       []itemOut `json:"items"`
	Scales      []struct {
		Key      string     `json:"key"`
		AlphaPre *float64   `json:"alpha_pre"`
		Pre      summaryOut `json:"pre"`
		Post     summaryOut `json:"post"`
		Paired   pairedOut  `json:"paired"`
	} `json:"scales"`
	Texts []struct {
		Key     string `json:"key"`
		Answers []struct {
			Phase string `json:"phase"`
			Text  string `json:"text"`
		} `json:"answers"`
	} `json:"texts"`
}

func apiResultsOf(t testing.TB, ts *testServer, token, id string) resultsOut {
	t.Helper()
	res, data := apiRaw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+id+"/results", token, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET results = %d, want 200 (%s)", res.StatusCode, data)
	}
	var out resultsOut
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("results are not valid JSON (a NaN would break them): %v\n%s", err, data)
	}
	return out
}

// meanSD is the mean and sample standard deviation, by the book.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkNum(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %.6g", name, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %.12g, want %.12g", name, *got, want)
	}
}

func checkNull(t *testing.T, name string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want null", name, *got)
	}
}

func TestAPIResults(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")

	// Three pupils. q2 is reversed (score 6 − answer); k1's right answer is b.
	pre := map[string]map[string]any{
		"P1": {"q1": 2, "q2": 4, "q3": 3, "k1": "a", "y1": 0},
		"P2": {"q1": 3, "q2": 2, "q3": 3, "k1": "b", "y1": 1},
		"P3": {"q1": 1, "q2": 5, "q3": 2, "k1": "c", "y1": 0},
	}
	post := map[string]map[string]any{
		"P1": {"q1": 4, "q2": 1, "q3": 4, "k1": "b", "y1": 1, "t1": "J'ai appris que les ODD sont 17."},
		"P2": {"q1": 3, "q2": 2, "q3": 4, "k1": "c", "y1": 1, "t1": "  Le commerce équitable  "},
		"P3": {"q1": 1, "q2": 5, "q3": 3, "k1": "a", "y1": 0},
	}
	participants := []string{"P1", "P2", "P3"}
	for _, p := range participants {
		apiAnswer(t, ts, w.Code, submission{"pre-" + p, p, "pre", pre[p]})
	}

	// With PRE only, what needs POST is undefined: null, never NaN, never an error.
	t.Run("PRE only", func(t *testing.T) {
		res := apiResultsOf(t, ts, token, w.ID)
		if res.NPre != 3 || res.NPost != 0 || res.NPaired != 0 {
			t.Errorf("n_pre %d n_post %d n_paired %d; want 3 0 0", res.NPre, res.NPost, res.NPaired)
		}
		for _, it := range res.Items {
			checkNull(t, it.Key+" post.mean", it.Post.Mean)
			checkNull(t, it.Key+" post.sd", it.Post.SD)
			checkNull(t, it.Key+" paired.mean_diff", it.Paired.MeanDiff)
			checkNull(t, it.Key+" paired.effect_size_dz", it.Paired.EffectSizeDz)
			if it.Paired.N != 0 || it.Paired.T != nil || it.Paired.CI95 != nil || it.Paired.Wilcoxon != nil || it.Unpaired.Welch != nil {
				t.Errorf("%s: paired %+v, welch %v; want n 0 and null tests", it.Key, it.Paired, it.Unpaired.Welch)
			}
		}
	})

	apiSetPhaseTo(t, ts, token, w.ID, "post")
	for _, p := range participants {
		apiAnswer(t, ts, w.Code, submission{"post-" + p, p, "post", post[p]})
	}
	apiSetPhaseTo(t, ts, token, w.ID, "closed")
	res := apiResultsOf(t, ts, token, w.ID)

	if res.NPre != 3 || res.NPost != 3 || res.NPaired != 3 || res.NDuplicates != 0 {
		t.Errorf("n_pre %d n_post %d n_paired %d n_duplicates %d; want 3 3 3 0", res.NPre, res.NPost, res.NPaired, res.NDuplicates)
	}
	var keys []string
	for _, it := range res.Items {
		keys = append(keys, it.Key)
	}
	// Scored items asked in both phases, in order: no choice, no text.
	if want := []string{"q1", "q2", "q3", "k1", "y1", "r1"}; !slices.Equal(keys, want) {
		t.Fatalf("items = %v, want %v", keys, want)
	}

	score := func(key string, v any) float64 {
		switch key {
		case "q2":
			return float64(1 + 5 - v.(int))
		case "k1":
			if v == "b" {
				return 1
			}
			return 0
		}
		return float64(v.(int))
	}
	column := func(data map[string]map[string]any, key string) []float64 {
		var out []float64
		for _, p := range participants {
			out = append(out, score(key, data[p][key]))
		}
		return out
	}
	byKey := map[string]itemOut{}
	for _, it := range res.Items {
		byKey[it.Key] = it
	}

	// A few values worked out on paper, to check the helpers themselves.
	checkNum(t, "q1 pre.mean", byKey["q1"].Pre.Mean, 2)
	checkNum(t, "q1 pre.sd", byKey["q1"].Pre.SD, 1)
	checkNum(t, "q2 pre.mean (reversed: 2, 4, 1)", byKey["q2"].Pre.Mean, 7.0/3)
	checkNum(t, "q2 post.mean (reversed: 5, 4, 1)", byKey["q2"].Post.Mean, 10.0/3)
	checkNum(t, "k1 pre.mean (0, 1, 0)", byKey["k1"].Pre.Mean, 1.0/3)
	checkNum(t, "k1 post.mean (1, 0, 0)", byKey["k1"].Post.Mean, 1.0/3)

	for _, key := range []string{"q1", "q2", "q3", "k1", "y1"} {
		t.Run(key, func(t *testing.T) {
			it := byKey[key]
			a, b := column(pre, key), column(post, key)
			for name, s := range map[string]struct {
				got  summaryOut
				data []float64
			}{"pre": {it.Pre, a}, "post": {it.Post, b}} {
				if s.got.N != 3 {
					t.Errorf("%s.n = %d, want 3", name, s.got.N)
				}
				m, sd := meanSD(s.data)
				checkNum(t, name+".mean", s.got.Mean, m)
				checkNum(t, name+".sd", s.got.SD, sd)
			}
			p := it.Paired
			if p.N != 3 {
				t.Errorf("paired.n = %d, want 3", p.N)
			}
			mPre, _ := meanSD(a)
			mPost, _ := meanSD(b)
			checkNum(t, "paired.mean_pre", p.MeanPre, mPre)
			checkNum(t, "paired.mean_post", p.MeanPost, mPost)
			checkNum(t, "paired.mean_diff", p.MeanDiff, mPost-mPre)
			d := make([]float64, 3)
			improved, unchanged, declined := 0, 0, 0
			for i := range d {
				d[i] = b[i] - a[i]
				switch {
				case d[i] > 0:
					improved++
				case d[i] < 0:
					declined++
				default:
					unchanged++
				}
			}
			if p.Improved != improved || p.Unchanged != unchanged || p.Declined != declined {
				t.Errorf("improved/unchanged/declined = %d/%d/%d, want %d/%d/%d", p.Improved, p.Unchanged, p.Declined, improved, unchanged, declined)
			}
			md, sdd := meanSD(d)
			if sdd == 0 {
				// Every pupil moved by the same amount: the t-test is undefined.
				checkNum(t, "paired.sd_diff", p.SDDiff, 0)
				checkNull(t, "paired.effect_size_dz", p.EffectSizeDz)
				if p.T != nil || p.CI95 != nil {
					t.Errorf("paired t %+v, ci95 %v; want null with no variance", p.T, p.CI95)
				}
			} else {
				checkNum(t, "paired.sd_diff", p.SDDiff, sdd)
				checkNum(t, "paired.effect_size_dz", p.EffectSizeDz, md/sdd)
				if p.T == nil {
					t.Fatalf("paired.t = null, want a t-test")
				}
				se := sdd / math.Sqrt(3)
				if !near(p.T.T, md/se) || p.T.DF != 2 {
					t.Errorf("paired.t = %+v, want t %.6g df 2", *p.T, md/se)
				}
				// Two-sided p of Student's t with 2 df: 1 − |t|/√(t²+2).
				if wantP := 1 - math.Abs(md/se)/math.Sqrt(md*md/(se*se)+2); math.Abs(p.T.P-wantP) > 1e-6 {
					t.Errorf("paired.t.p = %.8g, want %.8g", p.T.P, wantP)
				}
				// qt(0.975, 2) = 0.95/√(2·0.975·0.025), as R gives it.
				const q = 4.302652729749464
				if p.CI95 == nil || math.Abs(p.CI95[0]-(md-q*se)) > 1e-6 || math.Abs(p.CI95[1]-(md+q*se)) > 1e-6 {
					t.Errorf("paired.ci95 = %v, want [%.6g, %.6g]", p.CI95, md-q*se, md+q*se)
				}
			}
		})
	}

	// q3 moved by exactly +1 for everyone; q1 is the textbook case t = 1.
	if p := byKey["q1"].Paired; p.T == nil || !near(p.T.T, 1) {
		t.Errorf("q1 paired t = %+v, want t = 1 (differences 2, 0, 0)", p.T)
	}
	if p := byKey["q1"].Paired; p.Wilcoxon == nil || p.Wilcoxon.V != 1 {
		t.Errorf("q1 wilcoxon = %+v, want V = 1 (one positive difference)", p.Wilcoxon)
	}
	checkNum(t, "q3 paired.mean_diff", byKey["q3"].Paired.MeanDiff, 1)

	// Counts are of the answers given, every possible answer listed.
	wantCounts := map[string]map[string]int{
		"q2 pre":  {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1},
		"q2 post": {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1},
		"k1 pre":  {"a": 1, "b": 1, "c": 1},
		"k1 post": {"a": 1, "b": 1, "c": 1},
		"y1 pre":  {"0": 2, "1": 1},
		"y1 post": {"0": 1, "1": 2},
	}
	for name, want := range wantCounts {
		key, phase, _ := strings.Cut(name, " ")
		got := byKey[key].Pre.Counts
		if phase == "post" {
			got = byKey[key].Post.Counts
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s counts = %v, want %v", name, got, want)
		}
	}

	// McNemar only for 0/1 items: b counts 0 → 1, c counts 1 → 0.
	for key, want := range map[string][2]int{"k1": {1, 1}, "y1": {1, 0}} {
		mc := byKey[key].McNemar
		if mc == nil || mc.B != want[0] || mc.C != want[1] {
			t.Errorf("%s mcnemar = %+v, want b %d c %d", key, mc, want[0], want[1])
		}
	}
	for _, key := range []string{"q1", "q2", "q3", "r1"} {
		if byKey[key].McNemar != nil {
			t.Errorf("%s has mcnemar, want it only for yesno and quiz", key)
		}
	}

	// r1 is optional and nobody answered it: everything undefined is null.
	r1 := byKey["r1"]
	if r1.Pre.N != 0 || r1.Post.N != 0 || r1.Paired.N != 0 {
		t.Errorf("r1 n = %d/%d/%d, want 0", r1.Pre.N, r1.Post.N, r1.Paired.N)
	}
	for name, v := range map[string]*float64{"pre.mean": r1.Pre.Mean, "pre.sd": r1.Pre.SD, "post.mean": r1.Post.Mean,
		"mean_pre": r1.Paired.MeanPre, "mean_diff": r1.Paired.MeanDiff, "sd_diff": r1.Paired.SDDiff, "dz": r1.Paired.EffectSizeDz} {
		checkNull(t, "r1 "+name, v)
	}

	// The scale: mean of q1, reversed q2 and q3, per pupil and phase.
	if len(res.Scales) != 1 || res.Scales[0].Key != "ouverture" {
		t.Fatalf("scales = %+v, want ouverture", res.Scales)
	}
	sc := res.Scales[0]
	scaleScores := func(data map[string]map[string]any) []float64 {
		var out []float64
		for _, p := range participants {
			out = append(out, (score("q1", data[p]["q1"])+score("q2", data[p]["q2"])+score("q3", data[p]["q3"]))/3)
		}
		return out
	}
	sPre, sPost := scaleScores(pre), scaleScores(post)
	checkNum(t, "scale pre.mean (7/3, 10/3, 4/3)", sc.Pre.Mean, 7.0/3)
	m, sd := meanSD(sPre)
	checkNum(t, "scale pre.sd", sc.Pre.SD, sd)
	m2, sd2 := meanSD(sPost)
	checkNum(t, "scale post.mean", sc.Post.Mean, m2)
	checkNum(t, "scale post.sd", sc.Post.SD, sd2)
	if sc.Pre.N != 3 || sc.Post.N != 3 || sc.Paired.N != 3 {
		t.Errorf("scale n = %d/%d/%d, want 3", sc.Pre.N, sc.Post.N, sc.Paired.N)
	}
	checkNum(t, "scale paired.mean_diff", sc.Paired.MeanDiff, m2-m)
	// Cronbach's alpha on PRE: item variances 1, 7/3, 1/3; total variance 9.
	checkNum(t, "scale alpha_pre", sc.AlphaPre, 1.5*(1-(1+7.0/3+1.0/3)/9))

	// Free texts, trimmed; P3 wrote nothing.
	if len(res.Texts) != 1 || res.Texts[0].Key != "t1" {
		t.Fatalf("texts = %+v, want t1", res.Texts)
	}
	var texts []string
	for _, a := range res.Texts[0].Answers {
		texts = append(texts, a.Text)
		if a.Phase != "post" {
			t.Errorf("text %q phase = %q, want post", a.Text, a.Phase)
		}
	}
	slices.Sort(texts)
	if want := []string{"J'ai appris que les ODD sont 17.", "Le commerce équitable"}; !slices.Equal(texts, want) {
		t.Errorf("texts = %q, want %q", texts, want)
	}
}

// TestAPIResultsNoNaN checks edge cases where statistics are undefined: one
// pupil, identical answers, an empty workshop.
func TestAPIResultsNoNaN(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)

	empty := apiOpenWorkshop(t, ts, token, qid, "pre")
	one := apiOpenWorkshop(t, ts, token, qid, "pre")
	apiAnswer(t, ts, one.Code, submission{"one-pre", "P", "pre", validPre()})
	apiSetPhaseTo(t, ts, token, one.ID, "post")
	apiAnswer(t, ts, one.Code, submission{"one-post", "P", "post", validPre()})
	same := apiOpenWorkshop(t, ts, token, qid, "pre")
	for i := range 4 {
		apiAnswer(t, ts, same.Code, submission{fmt.Sprint("same-pre-", i), fmt.Sprint("P", i), "pre", validPre()})
	}
	apiSetPhaseTo(t, ts, token, same.ID, "post")
	for i := range 4 {
		apiAnswer(t, ts, same.Code, submission{fmt.Sprint("same-post-", i), fmt.Sprint("P", i), "post", validPre()})
	}

	for name, w := range map[string]workshopOut{"empty": empty, "one pupil": one, "no change": same} {
		t.Run(name, func(t *testing.T) {
			res, data := apiRaw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/results", token, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d (%s)", res.StatusCode, data)
			}
			if bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Inf")) {
				t.Errorf("results contain NaN or Inf: %s", data)
			}
			var out resultsOut
			if err := json.Unmarshal(data, &out); err != nil {
				t.Fatalf("results are not JSON: %v", err)
			}
			if len(out.Items) != 6 || len(out.Scales) != 1 {
				t.Errorf("%d items, %d scales; want 6 and 1 even without data", len(out.Items), len(out.Scales))
			}
			for _, it := range out.Items {
				if it.Pre.N < 2 {
					checkNull(t, it.Key+" pre.sd", it.Pre.SD)
				}
				if it.Paired.N < 2 && (it.Paired.T != nil || it.Paired.SDDiff != nil) {
					t.Errorf("%s: paired with n %d has t %+v, sd_diff %v; want null", it.Key, it.Paired.N, it.Paired.T, it.Paired.SDDiff)
				}
				if it.Paired.N >= 2 && it.Paired.SDDiff != nil && *it.Paired.SDDiff == 0 && (it.Paired.T != nil || it.Paired.EffectSizeDz != nil) {
					t.Errorf("%s: zero variance gives t %+v, dz %v; want null", it.Key, it.Paired.T, it.Paired.EffectSizeDz)
				}
			}
		})
	}
}

func TestAPIChartsAndQR(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	empty := apiOpenWorkshop(t, ts, token, qid, "pre")
	apiAnswer(t, ts, w.Code, submission{"c-pre", "P", "pre", validPre()})
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	apiAnswer(t, ts, w.Code, submission{"c-post", "P", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1}})

	for _, ws := range []workshopOut{w, empty} {
		base := ts.URL + "/api/v1/workshops/" + ws.ID
		for _, tt := range []struct{ path, ctype string }{
			{"/charts/prepost.png", "image/png"},
			{"/charts/prepost.svg", "image/svg+xml"},
			{"/charts/prepost.png?taille=print", "image/png"},
			{"/qr.png", "image/png"},
			{"/qr.svg", "image/svg+xml"},
		} {
			t.Run(ws.ID+tt.path, func(t *testing.T) {
				res, data := apiRaw(t, nil, "GET", base+tt.path, token, nil, nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status = %d, want 200 (%.300s)", res.StatusCode, data)
				}
				if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.ctype) {
					t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
				}
				if tt.ctype == "image/png" {
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("PNG does not decode: %v", err)
					}
					if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
						t.Errorf("PNG is %v, want a usable size", b)
					}
				} else if !bytes.Contains(data[:min(len(data), 512)], []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>")) {
					t.Errorf("not an SVG document: %.200s", data)
				}
			})
		}
	}

	t.Run("ETag", func(t *testing.T) {
		for _, ext := range []string{"png", "svg"} {
			u := ts.URL + "/api/v1/workshops/" + w.ID + "/charts/prepost." + ext
			res, _ := apiRaw(t, nil, "GET", u, token, nil, nil)
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("%s: no ETag", ext)
			}
			res, data := apiRaw(t, nil, "GET", u, token, http.Header{"If-None-Match": {etag}}, nil)
			if res.StatusCode != http.StatusNotModified || len(data) != 0 {
				t.Errorf("%s with If-None-Match = %d, %d bytes; want 304 and no body", ext, res.StatusCode, len(data))
			}
			res, _ = apiRaw(t, nil, "GET", u, token, http.Header{"If-None-Match": {`"autre"`}}, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s with another ETag = %d, want 200", ext, res.StatusCode)
			}
		}
		// A new answer changes the chart, so the old ETag no longer matches.
		u := ts.URL + "/api/v1/workshops/" + w.ID + "/charts/prepost.svg"
		res, _ := apiRaw(t, nil, "GET", u, token, nil, nil)
		etag := res.Header.Get("ETag")
		apiAnswer(t, ts, w.Code, submission{"c-post-2", "Q", "post", map[string]any{"q1": 1, "q2": 5, "q3": 1, "k1": "a", "y1": 0}})
		res, _ = apiRaw(t, nil, "GET", u, token, http.Header{"If-None-Match": {etag}}, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("after a new answer, If-None-Match old ETag = %d, want 200", res.StatusCode)
		}
	})

	for _, name := range []string{"inconnu.png", "prepost.gif", "prepost", "prepost.png.svg", "..%2F..%2Fetc.png"} {
		t.Run("unknown chart "+name, func(t *testing.T) {
			res, data := apiRaw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/charts/"+name, token, nil, nil)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status = %d, want 404", res.StatusCode)
			}
			mustDecodeError(t, data)
		})
	}
	for _, path := range []string{"/charts/prepost.png", "/qr.png", "/qr.svg", "/results"} {
		res, _ := apiRaw(t, nil, "GET", ts.URL+"/api/v1/workshops/000000000000000000000000"+path, token, nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown workshop %s = %d, want 404", path, res.StatusCode)
		}
	}
}

// openMainAt starts Déclic on cfg (a fixed data folder or database name)
// and returns it with a function that stops it as SIGTERM would.
func openMainAt(t testing.TB, cfg app.Config) (*testServer, func()) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		t.Fatalf("open: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}
	t.Cleanup(stop)
	return &testServer{Main: m, URL: "http://" + m.Addr()}, stop
}

// restartableConfig is a store a test opens, stops and opens again: the
// same folder and database each time, dropped at the end on MongoDB.
func restartableConfig(t *testing.T) app.Config {
	t.Helper()
	return testConfig(t)
}

func TestRestartKeepsData(t *testing.T) {
	cfg := restartableConfig(t)

	ts, stop := openMainAt(t, cfg)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	ids := map[string]string{}
	for _, p := range []string{"P1", "P2"} {
		ids["pre-"+p] = apiAnswer(t, ts, w.Code, submission{"pre-" + p, p, "pre", validPre()})
	}
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	ids["post-P1"] = apiAnswer(t, ts, w.Code, submission{"post-P1", "P1", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1, "t1": "Avant le redémarrage"}})
	before := apiResultsOf(t, ts, token, w.ID)
	stop()

	ts, stop = openMainAt(t, cfg)
	defer stop()

	// The session survives too, and the admin is not created twice.
	var got workshopOut
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got); status != http.StatusOK {
		t.Fatalf("GET workshop after restart with the old token = %d, want 200", status)
	}
	if got.Code != w.Code || got.Phase != "post" || got.QuestionnaireID != qid {
		t.Errorf("workshop after restart = %+v, want code %s, phase post, questionnaire %s", got, w.Code, qid)
	}
	token = ts.token(t)
	var q surveys.Questionnaire
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires/"+qid, nil, &q); status != http.StatusOK || len(q.Items) != 8 {
		t.Errorf("questionnaire after restart = %d, %d items; want 200, 8", status, len(q.Items))
	}
	after := apiResultsOf(t, ts, token, w.ID)
	if a, b := mustJSON(t, after), mustJSON(t, before); a != b {
		t.Errorf("results after restart differ:\nafter  %s\nbefore %s", a, b)
	}
	if after.NPre != 2 || after.NPost != 1 || after.NPaired != 1 {
		t.Errorf("after restart n_pre %d n_post %d n_paired %d; want 2 1 1", after.NPre, after.NPost, after.NPaired)
	}

	// A retry of an answer acknowledged before the restart gets the same id.
	var out struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", submission{"post-P1", "P1", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1}}, &out); status != http.StatusOK || out.ID != ids["post-P1"] {
		t.Errorf("retry after restart = %d id %q, want 200 id %q", status, out.ID, ids["post-P1"])
	}
	// The pseudonym key is kept: P2's POST after the restart pairs with P2's PRE before it.
	apiAnswer(t, ts, w.Code, submission{"post-P2", "P2", "post", validPre()})
	if res := apiResultsOf(t, ts, token, w.ID); res.NPaired != 2 {
		t.Errorf("n_paired after P2 answered POST across the restart = %d, want 2", res.NPaired)
	}
	if os.Getenv("TEST_MONGODB_URI") == "" {
		if _, err := os.Stat(cfg.DataDir + "/secret.key"); err != nil {
			t.Errorf("secret.key: %v", err)
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostileInputNever500 sends odd inputs to every public route.
func TestHostileInputNever500(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")

	deepArray := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	deepObject := strings.Repeat(`{"a":`, 9000) + "1" + strings.Repeat("}", 9000)
	envelope := func(answers string) string {
		return `{"submission_id": "h-` + fmt.Sprint(len(answers)) + `", "participant": "P", "phase": "pre", "answers": ` + answers + `}`
	}
	jsonBodies := []string{
		"", "null", "[]", "{}", `""`, "0", "1e309", "-1e309", "true", deepArray, deepObject,
		"{\"submission_id\": \"\xff\xfe\", \"participant\": \"\xff\", \"phase\": \"pre\", \"answers\": {\"\xff\xfe\": 1}}",
		"\xff\xfe\xfd",
		"{\"email\": \"\xff@example.org\", \"password\": \"\xff\"}",
		`{"email": {"$gt": ""}, "password": {"$gt": ""}}`,
		`{"email": "` + strings.Repeat("a", 20000) + `@example.org", "password": "x"}`,
		`{"email": "admin@example.org", "password": "` + strings.Repeat("p", 10000) + `"}`,
		envelope("null"), envelope("[]"), envelope(`"x"`), envelope("1e309"),
		envelope(`{"q1": 1e309, "q2": -1e309, "q3": 1e-400, "k1": 99999999999999999999999999, "y1": -0}`),
		envelope(`{"q1": [[[[[[1]]]]]], "q2": {"a": {"b": {"c": 1}}}, "q3": [null], "k1": ["b"], "y1": [1]}`),
		envelope(`{"q1": ` + deepArray[:4000] + deepArray[len(deepArray)-4000:] + `}`),
		envelope(`{"q1": ` + strings.Repeat(`{"a":`, 2000) + "1" + strings.Repeat("}", 2000) + `}`),
		envelope(`{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1, "c1": [` + strings.Repeat(`"climat",`, 1000) + `"droits"]}`),
		envelope(`{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1, "c1": [null, 1, {}, []]}`),
		envelope(`{"$where": "sleep(1000)", "a.b": 1, "": 2, "q1.x": 3}`),
		envelope(`{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1, "r1": 9007199254740993}`),
		`{"submission_id": 1e309, "participant": [], "phase": {}, "answers": {}}`,
		`{"submission_id": "s", "participant": "p", "phase": "\u0000pre", "answers": {"q1\u0000": 1}}`,
		`{"submission_id": "\u0000", "participant": "\u0000", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`,
		`{"submission_id": "\ud800", "participant": "\udfff", "phase": "pre", "answers": {"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}}`,
		`{"submission_id": "s", "submission_id": "t", "participant": "p", "phase": "pre", "answers": {}}`,
	}
	jsonRoutes := []string{
		"/api/v1/auth/login",
		"/api/v1/forms/" + w.Code + "/responses",
		"/api/v1/forms/%FF%FE/responses",
		"/api/v1/forms/" + strings.Repeat("A", 3000) + "/responses",
		"/api/v1/forms/%24where/responses",
	}
	for _, route := range jsonRoutes {
		for i, body := range jsonBodies {
			for _, ctype := range []string{"application/json", "text/plain", "application/x-www-form-urlencoded"} {
				res, data := apiRaw(t, nil, "POST", ts.URL+route, "", http.Header{"Content-Type": {ctype}}, strings.NewReader(body))
				if res.StatusCode >= 500 {
					t.Errorf("POST %.60s body #%d (%.60q) %s = %d: %.300s", route, i, body, ctype, res.StatusCode, data)
				}
			}
		}
	}

	forms := []string{
		"", "a_q1=1e309&a_q2=-1e309&a_q3=99999999999999999999&a_k1=%FF&a_y1=NaN&code_mere=A&code_jour=12&code_mois=3&code_lettre2=L",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=%FF&code_jour=%FF&code_mois=3&code_lettre2=%FF",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=A&code_jour=12&code_mois=3&code_lettre2=L&submission_id=%FF%FE",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=A&code_jour=12&code_mois=3&code_lettre2=L&submission_id=+++",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=A&code_jour=12&code_mois=3&code_lettre2=L&submission_id=%00",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=A&code_jour=-1&code_mois=3&code_lettre2=L",
		"a_q1=3&a_q2=2&a_q3=4&a_k1=b&a_y1=1&code_mere=A&code_jour=99999999999999999999999&code_mois=3&code_lettre2=L",
		"a_q1=3&a_q1=4&a_q1=5&a_c1=climat&a_c1=climat&a_c1=foot&a_c1=%FF&a_zz=1&a_%24where=1",
		"a_t1=" + strings.Repeat("x", 3000) + "&code_mere=A&code_jour=1&code_mois=3&code_lettre2=B",
		"%zz=%zz&a_q1=%",
		"a_q1=" + strings.Repeat("9", 60000),
		strings.Repeat("a_q1=3&", 9000),
		"code_mere=" + strings.Repeat("é", 1000) + "&code_jour=" + strings.Repeat("1", 1000),
	}
	for _, path := range []string{"/f/" + w.Code, "/f/" + strings.ToLower(w.Code), "/f/ZZZZZZ", "/f/%FF%FE", "/f/" + strings.Repeat("%C3%A9", 100), "/login"} {
		for i, body := range forms {
			for _, ctype := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/json"} {
				res, data := apiRaw(t, nil, "POST", ts.URL+path, "", http.Header{"Content-Type": {ctype}}, strings.NewReader(body))
				if res.StatusCode >= 500 {
					t.Errorf("POST %.60s form #%d (%.60q) %s = %d: %.300s", path, i, body, ctype, res.StatusCode, data)
				}
			}
		}
	}

	gets := []string{
		"/f", "/f?code=", "/f?code=%FF%FE", "/f?code=" + strings.Repeat("A", 5000), "/f?code=a-b-c", "/f?code[$gt]=",
		"/f/%FF", "/f/%00", "/f/%2e%2e", "/f/" + strings.Repeat("A", 5000), "/f/" + w.Code + "?nouveau=%FF",
		"/f/" + w.Code + "/merci?phase=%FF", "/f/" + w.Code + "/merci?phase=<script>", "/f/ZZZZZZ/merci", "/f/%FF/merci",
		"/login?next=%FF", "/login?next=//evil.example", "/login?next=" + strings.Repeat("/a", 3000),
		"/healthz", "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/nope", "/api/v1/nope",
	}
	for _, path := range gets {
		res, data := apiRaw(t, nil, "GET", ts.URL+path, "", http.Header{"Cookie": {"declic_code=%FF%FE; declic_session=" + strings.Repeat("x", 300)}}, nil)
		if res.StatusCode >= 500 {
			t.Errorf("GET %.80s = %d: %.300s", path, res.StatusCode, data)
		}
	}
	for _, path := range []string{"/f/" + w.Code + "/oublier", "/f/%FF/oublier", "/logout"} {
		res, data := apiRaw(t, nil, "POST", ts.URL+path, "", nil, strings.NewReader("x"))
		if res.StatusCode >= 500 {
			t.Errorf("POST %s = %d: %.300s", path, res.StatusCode, data)
		}
	}

	// The hostile requests stored nothing they should not have: every stored
	// response is a valid one.
	err := ts.Store.EachResponse(context.Background(), []string{w.ID}, func(r *surveys.Response) error {
		for k := range r.Answers {
			if !slices.Contains([]string{"q1", "q2", "q3", "k1", "y1", "r1", "c1"}, k) {
				t.Errorf("stored response %s has answer key %q", r.ID, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
