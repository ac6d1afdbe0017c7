package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/cmd/internal/app"
)

// TestSmoke checks the wiring of the whole program once, over a real
// socket: the first admin and the library seeded at start, links made from
// the request, compression, the pupil form from code step to thanks, the
// results, and logs that hold no code. What each route does is tested in
// handlers/, on the router alone.
func TestSmoke(t *testing.T) {
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, testConfig(t), slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	ts := &testServer{Main: m, URL: "http://" + m.Addr()}

	token := ts.token(t)
	var list struct{ Questionnaires []struct{ ID string } }
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires", nil, &list); status != http.StatusOK || len(list.Questionnaires) != 6 {
		t.Fatalf("GET /api/v1/questionnaires = %d, %d questionnaires; want 200 and the 6 of the library", status, len(list.Questionnaires))
	}
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	if want := ts.URL + "/f/" + w.Code; w.FormURL != want {
		t.Errorf("form_url = %q, want %q", w.FormURL, want)
	}

	// A phone: the code step, the questions, the thanks, gzipped on the wire.
	phone := browserClient(t)
	res, body := pageGet(t, phone, w.FormURL)
	checkPage(t, "code step", res, body, http.StatusOK, `name="code_mere"`, `class="notice"`)
	if !res.Uncompressed {
		t.Errorf("the code step came uncompressed to a client that accepts gzip")
	}
	form := pupilForm(t, phone, w.FormURL, url.Values{"code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"3"}, "code_lettre2": {"W"}})
	for k, v := range (url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"4"}, "a_k1": {"b"}, "a_y1": {"1"}}) {
		form[k] = v
	}
	res, body = pagePost(t, phone, w.FormURL, form, nil)
	if want := "/f/" + w.Code + "/merci?phase=pre"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("answer = %d to %q, want 303 to %s\n%.500s", res.StatusCode, res.Header.Get("Location"), want, body)
	}
	res, body = pageGet(t, phone, ts.URL+res.Header.Get("Location"))
	checkPage(t, "thanks", res, body, http.StatusOK, "Merci")
	apiAnswer(t, ts, w.Code, submission{"smoke-api", "SMOKE-PARTICIPANT-17", "pre", validPre()})
	if r := apiResultsOf(t, ts, token, w.ID); r.NPre != 2 {
		t.Errorf("n_pre = %d, want 2", r.NPre)
	}

	// The staff pages answer with the session of the login page.
	res, body = pageGet(t, pageLogin(t, ts), ts.URL+"/app/workshops/"+w.ID+"/results")
	checkPage(t, "results page", res, body, http.StatusOK, "Résultats")

	out := logs.String()
	if n := strings.Count(out, `"msg":"http"`); n < 5 {
		t.Fatalf("only %d request lines logged; the check below would prove nothing:\n%s", n, out)
	}
	for what, secret := range map[string]string{"workshop code": w.Code, "participant": "SMOKE-PARTICIPANT-17", "sealed code": form.Get("code_token")} {
		if strings.Contains(out, secret) {
			t.Errorf("the logs contain the %s %q", what, secret)
		}
	}
}
