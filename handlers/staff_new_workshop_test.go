package handlers_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

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

func TestAPIQuestionnaireYAMLUploadPage(t *testing.T) {
	ts := newTestServer(t)
	client := ts.pageLogin(t)

	data, ctype := multipartFile(t, "definition", "vivre-ensemble.yaml", []byte(yamlDefinition))
	body := bytes.NewReader(data)
	res, data := ts.raw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {ctype}}, body)
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
	res, data = ts.raw(t, client, "GET", ts.URL+res.Header.Get("Location"), "", nil, nil)
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
			data, ctype := multipartFile(t, "definition", tt.file, []byte(tt.content))
			body := bytes.NewReader(data)
			res, data := ts.raw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {ctype}}, body)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400", res.StatusCode)
			}
			if !strings.Contains(string(data), tt.want) {
				t.Errorf("page does not mention %q:\n%.2000s", tt.want, data)
			}
		})
	}
	t.Run("no file", func(t *testing.T) {
		res, _ := ts.raw(t, client, "POST", ts.URL+"/app/questionnaires", "", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, strings.NewReader("definition=x"))
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
