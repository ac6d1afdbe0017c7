package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
)

// storedResponses reads a workshop's responses from the store itself.
func storedResponses(t testing.TB, ts *testServer, workshopID string) []*surveys.Response {
	t.Helper()
	var out []*surveys.Response
	err := ts.Store.EachResponse(context.Background(), []string{workshopID}, func(r *surveys.Response) error {
		out = append(out, r.Clone())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustFacilitator creates a facilitator and returns an API token for them.
func mustFacilitator(t testing.TB, ts *testServer, email string) string {
	t.Helper()
	hash, err := surveys.HashPassword("mot-de-passe-animateur")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.CreateUser(context.Background(), &surveys.User{Email: email, Role: surveys.RoleFacilitator, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	var out struct{ Token string }
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "mot-de-passe-animateur"}, &out); status != http.StatusOK {
		t.Fatalf("facilitator login = %d", status)
	}
	return out.Token
}

func TestPrivacyDeleteWorkshopAPI(t *testing.T) {
	ts := mustOpenMain(t)
	admin := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, admin, impactDefinition)
	fac := mustFacilitator(t, ts, "anim@example.org")
	other := mustFacilitator(t, ts, "autre@example.org")

	var w workshopOut
	if status := ts.do(t, fac, "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": qid, "title": "À supprimer", "date": "2026-03-12"}, &w); status != http.StatusCreated {
		t.Fatalf("facilitator creates workshop = %d", status)
	}
	apiSetPhaseTo(t, ts, fac, w.ID, "pre")
	kept := apiOpenWorkshop(t, ts, admin, qid, "pre")
	for _, p := range []string{"P1", "P2", "P3"} {
		apiAnswer(t, ts, w.Code, submission{"del-" + p, p, "pre", validPre()})
	}
	apiSetPhaseTo(t, ts, fac, w.ID, "post")
	apiAnswer(t, ts, w.Code, submission{"del-post-P1", "P1", "post", validPre()})
	apiAnswer(t, ts, kept.Code, submission{"kept-P1", "P1", "pre", validPre()})

	// Neither a stranger nor another facilitator can delete it.
	var e apiErrorBody
	if status := ts.do(t, "", "DELETE", "/api/v1/workshops/"+w.ID, nil, &e); status != http.StatusUnauthorized {
		t.Errorf("DELETE without a token = %d, want 401", status)
	}
	if status := ts.do(t, other, "DELETE", "/api/v1/workshops/"+w.ID, nil, &e); status != http.StatusNotFound {
		t.Errorf("DELETE by another facilitator = %d, want 404", status)
	}
	// A facilitator added to the workshop runs it but cannot erase it.
	added, err := ts.Store.UserByEmail(context.Background(), "autre@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if status := ts.do(t, admin, "PUT", "/api/v1/workshops/"+w.ID+"/facilitators", map[string]any{"user_ids": []string{added.ID}}, nil); status != http.StatusOK {
		t.Fatalf("add facilitator = %d", status)
	}
	if status := ts.do(t, other, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusOK {
		t.Errorf("added facilitator GET = %d, want 200", status)
	}
	if status := ts.do(t, other, "DELETE", "/api/v1/workshops/"+w.ID, nil, &e); status != http.StatusForbidden {
		t.Errorf("DELETE by an added facilitator = %d, want 403", status)
	}
	if pre, post := storedCounts(t, ts, w.ID); pre != 3 || post != 1 {
		t.Fatalf("after refused deletes: %d PRE, %d POST stored; want 3, 1", pre, post)
	}

	// The owner can; the answers go with the workshop.
	var out struct {
		ID               string `json:"id"`
		Deleted          bool   `json:"deleted"`
		ResponsesDeleted int    `json:"responses_deleted"`
	}
	if status := ts.do(t, fac, "DELETE", "/api/v1/workshops/"+w.ID, nil, &out); status != http.StatusOK || !out.Deleted || out.ResponsesDeleted != 4 {
		t.Fatalf("DELETE by the owner = %d %+v, want 200, deleted, 4 responses", status, out)
	}
	if got := storedResponses(t, ts, w.ID); len(got) != 0 {
		t.Errorf("%d responses left after deleting the workshop, want 0", len(got))
	}
	if _, err := ts.Store.Workshop(context.Background(), w.ID); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("workshop after delete: err %v, want not_found", err)
	}
	if status := ts.do(t, admin, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("GET deleted workshop = %d, want 404", status)
	}
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", submission{"late", "P9", "post", validPre()}, nil); status != http.StatusNotFound {
		t.Errorf("answer to a deleted workshop = %d, want 404", status)
	}
	if status := ts.do(t, fac, "DELETE", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("second DELETE = %d, want 404", status)
	}
	// Another workshop's answers stay.
	if pre, _ := storedCounts(t, ts, kept.ID); pre != 1 {
		t.Errorf("other workshop has %d PRE answers after the delete, want 1", pre)
	}
	// A manager or admin may delete any workshop.
	if status := ts.do(t, admin, "DELETE", "/api/v1/workshops/"+kept.ID, nil, &out); status != http.StatusOK || out.ResponsesDeleted != 1 {
		t.Errorf("DELETE by admin = %d %+v, want 200 and 1 response", status, out)
	}
}

func TestPrivacyDeleteWorkshopPage(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	apiAnswer(t, ts, w.Code, submission{"page-P1", "P1", "pre", validPre()})
	apiAnswer(t, ts, w.Code, submission{"page-P2", "P2", "pre", validPre()})
	client := pageLogin(t, ts)

	res, body := pageGet(t, client, ts.URL+"/app/workshops/"+w.ID)
	checkPage(t, "workshop page", res, body, http.StatusOK, `action="/app/workshops/`+w.ID+`/delete"`, "Supprimer l'atelier et ses réponses")

	// The button only asks: nothing is deleted before the confirmation.
	res, body = pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{}, nil)
	checkPage(t, "confirmation page", res, body, http.StatusOK, "Supprimer cet atelier ?", "toutes ses réponses", "2 avant", `name="confirm" value="oui"`, "Non, garder")
	if pre, _ := storedCounts(t, ts, w.ID); pre != 2 {
		t.Fatalf("after the confirmation page: %d answers, want 2 (nothing deleted yet)", pre)
	}
	// A cross-site form cannot confirm it.
	res, _ = pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site confirm = %d, want 403", res.StatusCode)
	}
	if pre, _ := storedCounts(t, ts, w.ID); pre != 2 {
		t.Fatalf("after a cross-site confirm: %d answers, want 2", pre)
	}

	res, _ = pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/app") {
		t.Fatalf("confirm = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
	}
	if pre, post := storedCounts(t, ts, w.ID); pre != 0 || post != 0 {
		t.Errorf("after delete: %d PRE, %d POST answers, want none", pre, post)
	}
	res, body = pageGet(t, client, ts.URL+"/app/workshops/"+w.ID)
	checkPage(t, "deleted workshop page", res, body, http.StatusNotFound)
	res, body = pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	checkPage(t, "delete again", res, body, http.StatusNotFound)
}

// TestPrivacyStoredResponse: what is stored with a pupil's answers is the
// day (UTC midnight), a keyed hash of the code, and nothing about the device.
func TestPrivacyStoredResponse(t *testing.T) {
	// The response type itself holds no IP, user agent or exact time field.
	want := []string{"ID", "SubmissionID", "WorkshopID", "Phase", "Participant", "CodeParts", "Device", "Source", "Day", "Flags", "Excluded", "Answers"}
	var got []string
	rt := reflect.TypeFor[surveys.Response]()
	for i := range rt.NumField() {
		got = append(got, rt.Field(i).Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("surveys.Response fields = %v, want exactly %v: review what a new field tells about a pupil", got, want)
	}

	ts, clk := mustOpenMainWithClock(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	// 23:58 in Paris on 11 March is 22:58 UTC: the stored day is 11 March.
	paris := time.FixedZone("Paris", 3600)
	clk.Set(time.Date(2026, 3, 11, 23, 58, 41, 123456789, paris))

	hdr := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Mozilla/5.0 (Linux; Android 9; SM-J530F) UA-MARQUEUR"}, "X-Forwarded-For": {"203.0.113.77"}, "X-Real-Ip": {"203.0.113.77"}}
	body := mustJSON(t, submission{"day-api", "CODE-ELEVE-42", "pre", validPre()})
	if res, data := apiRaw(t, nil, "POST", ts.URL+"/api/v1/forms/"+w.Code+"/responses", "", hdr, strings.NewReader(body)); res.StatusCode != http.StatusCreated {
		t.Fatalf("API answer = %d: %s", res.StatusCode, data)
	}
	form := url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"4"}, "a_k1": {"b"}, "a_y1": {"1"}, "code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}, "phase": {"pre"}, "submission_id": {"day-form"}}
	hdr.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, data := apiRaw(t, browserClient(t), "POST", ts.URL+"/f/"+w.Code, "", hdr, strings.NewReader(form.Encode())); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form answer = %d: %.300s", res.StatusCode, data)
	}

	rs := storedResponses(t, ts, w.ID)
	if len(rs) != 2 {
		t.Fatalf("stored %d responses, want 2", len(rs))
	}
	for _, r := range rs {
		if r.Day != "2026-03-11" {
			t.Errorf("response %s day = %v, want the day only, 2026-03-11", r.SubmissionID, r.Day)
		}
		if r.Participant == "CODE-ELEVE-42" || strings.Contains(r.Participant, "CODE") || len(r.Participant) < 32 {
			t.Errorf("response %s participant = %q, want a keyed hash, not the code", r.SubmissionID, r.Participant)
		}
		raw := mustJSON(t, r)
		for _, leak := range []string{"203.0.113.77", "UA-MARQUEUR", "Android", "23:58", "22:58", "CODE-ELEVE-42"} {
			if strings.Contains(raw, leak) {
				t.Errorf("stored response %s contains %q: %s", r.SubmissionID, leak, raw)
			}
		}
	}
}

func TestPrivacyNoticeOnForm(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		ts := mustOpenMain(t)
		token := ts.token(t)
		w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
		client := browserClient(t)
		res, body := pageGet(t, client, w.FormURL)
		checkPage(t, "code step", res, body, http.StatusOK, `class="notice"`, "anonyme", "mesurer ce que l&#39;atelier a changé", "Seule l&#39;équipe", "Demande à la personne qui anime")
		if strings.Index(body, `class="notice"`) < strings.Index(body, `id="continuer"`) {
			t.Errorf("the notice comes before the code step's button; it should not be in the way")
		}
		res, body = pagePost(t, client, w.FormURL+"/code", url.Values{"code_mere": {"A"}, "code_jour": {"1"}, "code_mois": {"2"}, "code_lettre2": {"B"}}, nil)
		checkPage(t, "form", res, body, http.StatusOK, `class="notice"`, "anonyme", "mesurer ce que l&#39;atelier a changé", "Seule l&#39;équipe", "Demande à la personne qui anime")
		notice := body[strings.Index(body, `<aside class="notice"`):]
		notice = notice[:strings.Index(notice, "</aside>")]
		if len(notice) > 1200 {
			t.Errorf("notice is %d bytes, want a short one (≤ 1200)", len(notice))
		}
		if strings.Index(body, `class="notice"`) < strings.Index(body, `id="envoyer"`) {
			t.Errorf("the notice comes before the send button; it should not be in the way")
		}
	})
	t.Run("configured", func(t *testing.T) {
		base := testConfig(t)
		cfg := app.ConfigFrom(func(k string) string {
			return map[string]string{
				"DECLIC_NOTICE":  "Réponses anonymes <b>gardées</b> un an.",
				"DECLIC_CONTACT": "dpo@asso.example & Léa",
			}[k]
		})
		cfg.Addr, cfg.DataDir, cfg.MongoURI, cfg.Database = base.Addr, base.DataDir, base.MongoURI, base.Database
		cfg.AdminEmail, cfg.AdminPassword = testAdminEmail, testAdminPassword
		ts, _ := openMainAt(t, cfg)
		token := ts.token(t)
		w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
		res, body := pageGet(t, browserClient(t), w.FormURL)
		checkPage(t, "form", res, body, http.StatusOK, "Réponses anonymes &lt;b&gt;gardées&lt;/b&gt; un an.", "Écris à dpo@asso.example &amp; Léa")
		if strings.Contains(body, app.DefaultNotice[:40]) {
			t.Errorf("the default notice is shown although DECLIC_NOTICE is set")
		}
	})
}

// syncBuffer is a log sink the server's goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPrivacyLogsHoldNoCodesOrAnswers runs a whole answering flow with
// debug logging and greps the logs for what pupils typed.
func TestPrivacyLogsHoldNoCodesOrAnswers(t *testing.T) {
	cfg := testConfig(t)
	cfg.KeepMonths = 12
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
	})
	ts := &testServer{Main: m, URL: "http://" + m.Addr()}
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")

	const (
		participant = "ZORGLUB-PARTICIPANT-91"
		apiText     = "Mon texte secret Quetzalcoatl"
		formText    = "Réponse privée Xylophonique"
	)
	apiAnswer(t, ts, w.Code, submission{"log-api-pre", participant, "pre", validPre()})
	// Refused answers are not logged with their content either.
	ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", submission{"log-bad", participant, "pre", map[string]any{"q1": 9, "zz": apiText}}, nil)

	browser := browserClient(t)
	if res, _ := pageGet(t, browser, w.FormURL); res.StatusCode != http.StatusOK {
		t.Fatalf("form = %d", res.StatusCode)
	}
	// A code typed wrong first, then right.
	pagePost(t, browser, w.FormURL+"/code", url.Values{"code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"13"}, "code_lettre2": {"W"}}, nil)
	form := pupilForm(t, browser, w.FormURL, url.Values{"code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"3"}, "code_lettre2": {"W"}})
	for k, v := range (url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"4"}, "a_k1": {"b"}, "a_y1": {"1"}}) {
		form[k] = v
	}
	bad := url.Values{"a_q1": {"7"}, "code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"3"}, "code_lettre2": {"W"}}
	pagePost(t, browser, w.FormURL, bad, nil)
	res, _ := pagePost(t, browser, w.FormURL, form, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form answer = %d", res.StatusCode)
	}
	pageGet(t, browser, ts.URL+res.Header.Get("Location"))
	pageGet(t, browser, w.FormURL) // "already answered" with the cookie

	apiSetPhaseTo(t, ts, token, w.ID, "post")
	post := validPre()
	post["t1"] = apiText
	apiAnswer(t, ts, w.Code, submission{"log-api-post", participant, "post", post})
	form.Set("phase", "post")
	form.Set("submission_id", "log-form-post")
	form.Set("a_t1", formText)
	if res, _ := pagePost(t, browser, w.FormURL, form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST form answer = %d", res.StatusCode)
	}
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, nil)
	pageGet(t, pageLogin(t, ts), ts.URL+"/app/workshops/"+w.ID+"/results")
	// Answering an unknown code, a closed workshop: logged, but not the code.
	ts.do(t, "", "POST", "/api/v1/forms/QQQQQQ/responses", submission{"log-unknown", participant, "post", post}, nil)
	pageGet(t, browser, ts.URL+"/f/QQQQQQ")

	out := logs.String()
	if n := strings.Count(out, `"msg":"http"`); n < 10 {
		t.Fatalf("only %d request lines logged; the test would prove nothing:\n%s", n, out)
	}
	for what, secret := range map[string]string{
		"workshop code": w.Code, "unknown code": "QQQQQQ", "participant code": participant,
		"API text answer": apiText, "form text answer": formText, "sealed code": form.Get("code_token"),
		"first word of a text": "Quetzalcoatl", "form text word": "Xylophonique",
	} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain the %s %q:\n%s", what, secret, out)
		}
	}
	// The logs are JSON lines with no request body or query string.
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		for _, k := range []string{"body", "answers", "participant", "query", "ip", "remote_addr", "user_agent"} {
			if _, ok := rec[k]; ok {
				t.Errorf("log line has %q: %s", k, line)
			}
		}
	}
}

// TestPrivacyRetention: answers older than DECLIC_RETENTION_MONTHS go at
// start and on demand; newer ones stay; 0 keeps everything.
func TestPrivacyRetention(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want int
		ok   bool
	}{{"", 0, true}, {"0", 0, true}, {" 12 ", 12, true}, {"-3", -1, false}, {"six", -1, false}, {"1.5", -1, false}} {
		cfg := app.ConfigFrom(func(k string) string {
			if k == "DECLIC_RETENTION_MONTHS" {
				return tt.env
			}
			return ""
		})
		if cfg.KeepMonths != tt.want {
			t.Errorf("DECLIC_RETENTION_MONTHS=%q: KeepMonths %d, want %d", tt.env, cfg.KeepMonths, tt.want)
		}
		if !tt.ok {
			cfg.DataDir = t.TempDir()
			if m, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "DECLIC_RETENTION_MONTHS") {
				if m != nil {
					m.Close()
				}
				t.Errorf("DECLIC_RETENTION_MONTHS=%q: Open error %v, want one naming the variable", tt.env, err)
			}
		}
	}

	cfg := restartableConfig(t)
	clk := &testClock{}
	cfg.Now = clk.Now

	// First run keeps everything: answers from 13, 7 and 5 months ago and today.
	ts, stop := openMainAt(t, cfg)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	now := time.Now().UTC()
	for _, ago := range []int{13, 7, 5, 0} {
		clk.Set(now.AddDate(0, -ago, 0))
		apiAnswer(t, ts, w.Code, submission{fmt.Sprintf("ret-%d", ago), fmt.Sprintf("P%d", ago), "pre", validPre()})
	}
	clk.Set(now)
	if n, err := ts.PurgeExpired(context.Background()); err != nil || n != 0 {
		t.Errorf("purge with no retention = %d, %v; want 0 deleted", n, err)
	}
	if pre, _ := storedCounts(t, ts, w.ID); pre != 4 {
		t.Fatalf("stored %d, want 4", pre)
	}
	stop()

	// Restarted with 12 months: the purge at start removes the 13-month-old answer.
	cfg.KeepMonths = 12
	ts, stop = openMainAt(t, cfg)
	defer stop()
	deadline := time.Now().Add(20 * time.Second)
	for {
		pre, _ := storedCounts(t, ts, w.ID)
		if pre == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("20 s after a start with 12 months of retention: %d answers, want 3", pre)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Six months, a day later than now: the 7-month-old answer goes, the
	// 5-month-old one and today's stay.
	n, err := surveys.PurgeExpired(context.Background(), ts.Store, now.AddDate(0, 0, 1), 6)
	if err != nil || n != 1 {
		t.Errorf("purge at 6 months = %d, %v; want 1 deleted", n, err)
	}
	var left []string
	for _, r := range storedResponses(t, ts, w.ID) {
		left = append(left, r.SubmissionID)
	}
	slices.Sort(left)
	if want := []string{"ret-0", "ret-5"}; !slices.Equal(left, want) {
		t.Errorf("answers left = %v, want %v", left, want)
	}
}
