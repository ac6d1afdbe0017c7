package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"declic/surveys"
)

func TestPrivacyDeleteWorkshopAPI(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.token(t)
	qid := ts.newQuestionnaire(t, admin, impactDefinition)
	fac := ts.facilitatorToken(t, "anim@example.org")
	other := ts.facilitatorToken(t, "autre@example.org")

	var w workshopOut
	if status := ts.do(t, fac, "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": qid, "title": "À supprimer", "date": "2026-03-12"}, &w); status != http.StatusCreated {
		t.Fatalf("facilitator creates workshop = %d", status)
	}
	ts.setPhase(t, fac, w.ID, "pre")
	kept := ts.openWorkshop(t, admin, qid, "pre")
	for _, p := range []string{"P1", "P2", "P3"} {
		ts.answer(t, w.Code, submission{"del-" + p, p, "pre", validPre()})
	}
	ts.setPhase(t, fac, w.ID, "post")
	ts.answer(t, w.Code, submission{"del-post-P1", "P1", "post", validPre()})
	ts.answer(t, kept.Code, submission{"kept-P1", "P1", "pre", validPre()})

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
	if pre, post := ts.storedCounts(t, w.ID); pre != 3 || post != 1 {
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
	if got := ts.responses(t, w.ID); len(got) != 0 {
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
	if pre, _ := ts.storedCounts(t, kept.ID); pre != 1 {
		t.Errorf("other workshop has %d PRE answers after the delete, want 1", pre)
	}
	// A manager or admin may delete any workshop.
	if status := ts.do(t, admin, "DELETE", "/api/v1/workshops/"+kept.ID, nil, &out); status != http.StatusOK || out.ResponsesDeleted != 1 {
		t.Errorf("DELETE by admin = %d %+v, want 200 and 1 response", status, out)
	}
}

func TestPrivacyDeleteWorkshopPage(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	ts.answer(t, w.Code, submission{"page-P1", "P1", "pre", validPre()})
	ts.answer(t, w.Code, submission{"page-P2", "P2", "pre", validPre()})
	client := ts.pageLogin(t)

	res, body := ts.pageGet(t, client, ts.URL+"/app/workshops/"+w.ID)
	checkPage(t, "workshop page", res, body, http.StatusOK, `action="/app/workshops/`+w.ID+`/delete"`, "Supprimer l'atelier et ses réponses")

	// The button only asks: nothing is deleted before the confirmation.
	res, body = ts.pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{}, nil)
	checkPage(t, "confirmation page", res, body, http.StatusOK, "Supprimer cet atelier ?", "toutes ses réponses", "2 avant", `name="confirm" value="oui"`, "Non, garder")
	if pre, _ := ts.storedCounts(t, w.ID); pre != 2 {
		t.Fatalf("after the confirmation page: %d answers, want 2 (nothing deleted yet)", pre)
	}
	// A cross-site form cannot confirm it.
	res, _ = ts.pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site confirm = %d, want 403", res.StatusCode)
	}
	if pre, _ := ts.storedCounts(t, w.ID); pre != 2 {
		t.Fatalf("after a cross-site confirm: %d answers, want 2", pre)
	}

	res, _ = ts.pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/app") {
		t.Fatalf("confirm = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
	}
	if pre, post := ts.storedCounts(t, w.ID); pre != 0 || post != 0 {
		t.Errorf("after delete: %d PRE, %d POST answers, want none", pre, post)
	}
	res, body = ts.pageGet(t, client, ts.URL+"/app/workshops/"+w.ID)
	checkPage(t, "deleted workshop page", res, body, http.StatusNotFound)
	res, body = ts.pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
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

	ts := newTestServer(t)
	clk := ts.Clock
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	// 23:58 in Paris on 11 March is 22:58 UTC: the stored day is 11 March.
	paris := time.FixedZone("Paris", 3600)
	clk.Set(time.Date(2026, 3, 11, 23, 58, 41, 123456789, paris))

	hdr := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Mozilla/5.0 (Linux; Android 9; SM-J530F) UA-MARQUEUR"}, "X-Forwarded-For": {"203.0.113.77"}, "X-Real-Ip": {"203.0.113.77"}}
	body := mustJSON(t, submission{"day-api", "CODE-ELEVE-42", "pre", validPre()})
	if res, data := ts.raw(t, nil, "POST", ts.URL+"/api/v1/forms/"+w.Code+"/responses", "", hdr, strings.NewReader(body)); res.StatusCode != http.StatusCreated {
		t.Fatalf("API answer = %d: %s", res.StatusCode, data)
	}
	form := url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"4"}, "a_k1": {"b"}, "a_y1": {"1"}, "code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}, "phase": {"pre"}, "submission_id": {"day-form"}}
	hdr.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, data := ts.raw(t, ts.browser(), "POST", ts.URL+"/f/"+w.Code, "", hdr, strings.NewReader(form.Encode())); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form answer = %d: %.300s", res.StatusCode, data)
	}

	rs := ts.responses(t, w.ID)
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

// TestPrivacyLogsHoldNoCodesOrAnswers runs a whole answering flow with
// debug logging and greps the logs for what pupils typed. (cmd/declic's
// TestSmoke checks the same of the whole program's logs.)
func TestPrivacyLogsHoldNoCodesOrAnswers(t *testing.T) {
	ts := newTestServer(t, debugLogs)
	logs := ts.Logs
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")

	const (
		participant = "ZORGLUB-PARTICIPANT-91"
		apiText     = "Mon texte secret Quetzalcoatl"
		formText    = "Réponse privée Xylophonique"
	)
	ts.answer(t, w.Code, submission{"log-api-pre", participant, "pre", validPre()})
	// Refused answers are not logged with their content either.
	ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", submission{"log-bad", participant, "pre", map[string]any{"q1": 9, "zz": apiText}}, nil)

	browser := ts.browser()
	if res, _ := ts.pageGet(t, browser, w.FormURL); res.StatusCode != http.StatusOK {
		t.Fatalf("form = %d", res.StatusCode)
	}
	// A code typed wrong first, then right.
	ts.pagePost(t, browser, w.FormURL+"/code", url.Values{"code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"13"}, "code_lettre2": {"W"}}, nil)
	form := ts.pupilForm(t, browser, w.FormURL, url.Values{"code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"3"}, "code_lettre2": {"W"}})
	for k, v := range (url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"4"}, "a_k1": {"b"}, "a_y1": {"1"}}) {
		form[k] = v
	}
	bad := url.Values{"a_q1": {"7"}, "code_mere": {"Q"}, "code_jour": {"29"}, "code_mois": {"3"}, "code_lettre2": {"W"}}
	ts.pagePost(t, browser, w.FormURL, bad, nil)
	res, _ := ts.pagePost(t, browser, w.FormURL, form, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form answer = %d", res.StatusCode)
	}
	ts.pageGet(t, browser, ts.URL+res.Header.Get("Location"))
	ts.pageGet(t, browser, w.FormURL) // "already answered" with the cookie

	ts.setPhase(t, token, w.ID, "post")
	post := validPre()
	post["t1"] = apiText
	ts.answer(t, w.Code, submission{"log-api-post", participant, "post", post})
	form.Set("phase", "post")
	form.Set("submission_id", "log-form-post")
	form.Set("a_t1", formText)
	if res, _ := ts.pagePost(t, browser, w.FormURL, form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST form answer = %d", res.StatusCode)
	}
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, nil)
	ts.pageGet(t, ts.pageLogin(t), ts.URL+"/app/workshops/"+w.ID+"/results")
	// Answering an unknown code, a closed workshop: logged, but not the code.
	ts.do(t, "", "POST", "/api/v1/forms/QQQQQQ/responses", submission{"log-unknown", participant, "post", post}, nil)
	ts.pageGet(t, browser, ts.URL+"/f/QQQQQQ")

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
