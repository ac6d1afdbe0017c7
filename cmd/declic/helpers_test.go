package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"declic/surveys"
)

// What the end-to-end tests share to drive a running Déclic over HTTP: the
// API, the pages and their checks. The harness of handler tests is
// handlers/testserver_test.go; these stay small, for the tests that need
// the whole program.

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

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lockedBuffer collects the server's logs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
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

func pagePost(t testing.TB, client *http.Client, u string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for k, v := range header {
		h[k] = v
	}
	res, data := apiRaw(t, client, "POST", u, "", h, strings.NewReader(form.Encode()))
	return res, string(data)
}

// hiddenFields are the hidden inputs of a page, as its form sends them.
func hiddenFields(body string) url.Values {
	out := url.Values{}
	for _, m := range hiddenFieldRe.FindAllStringSubmatch(body, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	return out
}

var hiddenFieldRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// pageLogin logs the admin in through the login form and returns a browser
// that carries the session cookie.
func pageLogin(t testing.TB, ts *testServer) *http.Client {
	t.Helper()
	client := browserClient(t)
	res, _ := pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("POST /login = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
	}
	return client
}

func pageGet(t testing.TB, client *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, data := apiRaw(t, client, "GET", u, "", nil, nil)
	return res, string(data)
}

// checkPage fails on a broken page: template errors, missing values, no French.
func checkPage(t testing.TB, what string, res *http.Response, body string, wantStatus int, want ...string) {
	t.Helper()
	if res.StatusCode != wantStatus {
		t.Errorf("%s: status = %d, want %d\n%.500s", what, res.StatusCode, wantStatus, body)
		return
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type = %q, want text/html", what, ct)
	}
	for _, bad := range []string{"<no value>", "Erreur interne", "template:", "%!"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	if !strings.Contains(body, `<html lang="fr">`) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Errorf("%s: not a whole French page:\n%.300s", what, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page does not contain %q", what, w)
		}
	}
}

// cookieNamed finds a cookie the answer sets.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// pupilForm goes through the code step with code and returns the
// questions page's hidden fields.
func pupilForm(t testing.TB, client *http.Client, formURL string, code url.Values) url.Values {
	t.Helper()
	res, body := pagePost(t, client, formURL+"/code", code, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="code_token"`) {
		t.Fatalf("code step = %d, want the questions\n%.500s", res.StatusCode, body)
	}
	return hiddenFields(body)
}
