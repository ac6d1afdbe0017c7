package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

// qualityEnv is the test server with two facilitators and a workshop of
// the first one; tokens holds their sessions by user ID.
type qualityEnv struct {
	*testServer
	t        testing.TB
	owner    *surveys.User
	w        *surveys.Workshop
	tokens   map[string]string // user ID → session token
	otherTok string
}

func newQualityEnv(t *testing.T) *qualityEnv {
	t.Helper()
	ctx := context.Background()
	e := &qualityEnv{testServer: newTestServer(t), t: t, tokens: map[string]string{}}
	e.owner = e.user(t, "anim@example.org", surveys.RoleFacilitator)
	other := e.user(t, "autre@example.org", surveys.RoleFacilitator)
	e.tokens[e.owner.ID], e.otherTok = e.sessionToken(t, e.owner), e.sessionToken(t, other)
	e.tokens[other.ID] = e.otherTok
	q, err := surveys.ParseDefinition([]byte(`{"title": "Qualité", "items": [
	  {"key": "l1", "type": "likert", "text": "Un", "scale": {"min": 1, "max": 5}},
	  {"key": "l2", "type": "likert", "text": "Deux", "scale": {"min": 1, "max": 5}, "reverse": true},
	  {"key": "l3", "type": "likert", "text": "Trois", "scale": {"min": 1, "max": 5}},
	  {"key": "l4", "type": "likert", "text": "Quatre", "scale": {"min": 1, "max": 5}},
	  {"key": "l5", "type": "likert", "text": "Cinq", "scale": {"min": 1, "max": 5}},
	  {"key": "l6", "type": "likert", "text": "Six", "scale": {"min": 1, "max": 5}},
	  {"key": "t1", "type": "text", "text": "Un mot ?", "required": false}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateQuestionnaire(ctx, q); err != nil {
		t.Fatal(err)
	}
	e.w = &surveys.Workshop{QuestionnaireID: q.ID, Title: "Atelier", Date: "2026-03-10", OwnerID: e.owner.ID, Attendance: 6}
	if err := e.Store.CreateWorkshop(ctx, e.w); err != nil {
		t.Fatal(err)
	}
	return e
}

// add stores a response as the pupil form would, and returns its ID.
func (e *qualityEnv) add(who string, p surveys.Phase, likert []int, flags ...surveys.Flag) string {
	e.t.Helper()
	a := surveys.Answers{"t1": surveys.TextAnswer("mon prénom est Léa")}
	for i, v := range likert {
		a[fmt.Sprint("l", i+1)] = surveys.NumberAnswer(v)
	}
	r := &surveys.Response{SubmissionID: who + string(p), WorkshopID: e.w.ID, Phase: p, Participant: "hash-" + who,
		CodeParts: []string{"m-" + who, "j", "mo", "l"}, Flags: flags, Answers: a}
	if _, err := e.Store.AddResponse(context.Background(), r); err != nil {
		e.t.Fatal(err)
	}
	return r.ID
}

type listOut struct {
	Responses []struct {
		ID       string   `json:"id"`
		Phase    string   `json:"phase"`
		Day      string   `json:"day"`
		Flags    []string `json:"flags"`
		Excluded bool     `json:"excluded"`
		PairedBy *string  `json:"paired_by"`
		History  []struct {
			Excluded bool   `json:"excluded"`
			Reason   string `json:"reason"`
			By       string `json:"by"`
		} `json:"history"`
	} `json:"responses"`
	Surpluses []struct{ Phase string } `json:"surpluses"`
}

func (e *qualityEnv) list(token string) (listOut, []byte) {
	e.t.Helper()
	status, body := e.send(e.t, token, "GET", "/api/v1/workshops/"+e.w.ID+"/responses", nil, nil)
	if status != http.StatusOK {
		e.t.Fatalf("GET responses = %d %s", status, body)
	}
	var out listOut
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out, body
}

func TestAPIResponsesListsFlagsWithoutCodes(t *testing.T) {
	e := newQualityEnv(t)
	tok := e.tokens[e.owner.ID]
	var ids []string
	for i := range 5 {
		who := fmt.Sprint("p", i)
		ids = append(ids, e.add(who, surveys.PhasePre, []int{1 + i%5, 2, 3, 4, 5, 1}))
		e.add(who, surveys.PhasePost, []int{2, 2, 3, 4, 5, 2})
	}
	straight := e.add("s", surveys.PhasePre, []int{4, 4, 4, 4, 4, 4})
	fast := e.add("f", surveys.PhasePre, []int{1, 2, 3, 2, 1, 2}, surveys.FlagTooFast)
	// 7 PRE for 6 present.
	out, raw := e.list(tok)
	if len(out.Responses) != 12 {
		t.Fatalf("%d responses listed, want 12", len(out.Responses))
	}
	for _, leak := range []string{"hash-", "m-p", "Léa", "participant", "answers", `"code":`, "code_parts"} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Errorf("the list shows %q: %s", leak, raw)
		}
	}
	byID := map[string]int{}
	for i, r := range out.Responses {
		byID[r.ID] = i
		if r.Flags == nil || r.Day == "" {
			t.Errorf("%s: flags %v day %q; want a list (maybe empty) and the day", r.ID, r.Flags, r.Day)
		}
	}
	if r := out.Responses[byID[straight]]; strings.Join(r.Flags, ",") != "straight_line,over_attendance" || r.PairedBy != nil {
		t.Errorf("straight-lined response = %+v", r)
	}
	if r := out.Responses[byID[fast]]; strings.Join(r.Flags, ",") != "too_fast,over_attendance" {
		t.Errorf("fast response = %+v", r)
	}
	if r := out.Responses[byID[ids[0]]]; len(r.Flags) != 0 || r.PairedBy == nil || *r.PairedBy != "code" {
		t.Errorf("paired response = %+v, want no flag and paired_by code", r)
	}
	if len(out.Surpluses) != 1 || out.Surpluses[0].Phase != "pre" {
		t.Errorf("surpluses = %+v, want PRE", out.Surpluses)
	}
	// Another facilitator's workshop does not exist for them.
	if status, _ := e.send(t, e.otherTok, "GET", "/api/v1/workshops/"+e.w.ID+"/responses", nil, nil); status != http.StatusNotFound {
		t.Errorf("another facilitator's list = %d, want 404", status)
	}
}

func TestAPIExcludeAndRestore(t *testing.T) {
	e := newQualityEnv(t)
	tok := e.tokens[e.owner.ID]
	for i := range 6 {
		who := fmt.Sprint("p", i)
		e.add(who, surveys.PhasePre, []int{1 + i%3, 2, 3, 4, 5, 1})
		e.add(who, surveys.PhasePost, []int{2 + i%3, 2, 3, 4, 5, 2})
	}
	rid := e.add("s", surveys.PhasePre, []int{4, 4, 4, 4, 4, 4})
	path := "/api/v1/workshops/" + e.w.ID + "/responses/" + rid + "/excluded"
	results := func() (nPre, nExcluded, nFlagged int) {
		status, body := e.send(t, tok, "GET", "/api/v1/workshops/"+e.w.ID+"/results", nil, nil)
		if status != http.StatusOK {
			t.Fatalf("results = %d", status)
		}
		var r struct {
			NPre      int `json:"n_pre"`
			NExcluded int `json:"n_excluded"`
			NFlagged  int `json:"n_flagged"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		return r.NPre, r.NExcluded, r.NFlagged
	}
	if pre, ex, fl := results(); pre != 7 || ex != 0 || fl != 1 {
		t.Fatalf("before: n_pre %d n_excluded %d n_flagged %d; want 7 0 1", pre, ex, fl)
	}

	bad := []struct {
		name, token, path, body string
		status                  int
	}{
		{"another facilitator", e.otherTok, path, `{"excluded": true, "reason": "au hasard"}`, http.StatusNotFound},
		{"no reason", tok, path, `{"excluded": true}`, http.StatusBadRequest},
		{"no state", tok, path, `{"reason": "au hasard"}`, http.StatusBadRequest},
		{"unknown field", tok, path, `{"excluded": true, "reason": "x", "code": "M"}`, http.StatusBadRequest},
		{"unknown response", tok, "/api/v1/workshops/" + e.w.ID + "/responses/nope/excluded", `{"excluded": true, "reason": "x"}`, http.StatusNotFound},
		{"no login", "", path, `{"excluded": true, "reason": "x"}`, http.StatusUnauthorized},
	}
	for _, tt := range bad {
		if status, body := e.send(t, tt.token, "PUT", tt.path, tt.body, nil); status != tt.status {
			t.Errorf("%s: PUT = %d %s, want %d", tt.name, status, body, tt.status)
		}
	}
	if _, ex, _ := results(); ex != 0 {
		t.Fatalf("refused requests excluded something: n_excluded %d", ex)
	}

	status, body := e.send(t, tok, "PUT", path, `{"excluded": true, "reason": "Même réponse partout"}`, nil)
	if status != http.StatusOK || !bytes.Contains(body, []byte(`"changed":true`)) || !bytes.Contains(body, []byte(`"excluded":true`)) {
		t.Fatalf("exclude = %d %s", status, body)
	}
	if pre, ex, fl := results(); pre != 6 || ex != 1 || fl != 0 {
		t.Errorf("after the exclusion: n_pre %d n_excluded %d n_flagged %d; want 6 1 0", pre, ex, fl)
	}
	// Restored from the page, which works without JavaScript.
	form := url.Values{"excluded": {"0"}}
	status, _ = e.send(t, tok, "POST", "/app/workshops/"+e.w.ID+"/responses/"+rid+"/excluded", form, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("restore from the page = %d, want 303", status)
	}
	if pre, ex, _ := results(); pre != 7 || ex != 0 {
		t.Errorf("after the restore: n_pre %d n_excluded %d; want 7 0", pre, ex)
	}
	out, _ := e.list(tok)
	for _, r := range out.Responses {
		if r.ID != rid {
			continue
		}
		if len(r.History) != 2 || !r.History[0].Excluded || r.History[0].Reason != "Même réponse partout" ||
			r.History[0].By != "anim@example.org" || r.History[1].Excluded {
			t.Errorf("history = %+v; want the exclusion then the restore, by anim@example.org", r.History)
		}
	}
}

// The results page shows the panel: the flagged response with a
// preselected reason and one button, and the pairing in words.
func TestResultsPageQualityPanel(t *testing.T) {
	e := newQualityEnv(t)
	tok := e.tokens[e.owner.ID]
	for i := range 3 {
		who := fmt.Sprint("p", i)
		e.add(who, surveys.PhasePre, []int{1 + i, 2, 3, 4, 5, 1})
		e.add(who, surveys.PhasePost, []int{2 + i, 2, 3, 4, 5, 2})
	}
	rid := e.add("s", surveys.PhasePre, []int{4, 4, 4, 4, 4, 4})
	status, body := e.send(t, tok, "GET", "/app/workshops/"+e.w.ID+"/results", nil, nil)
	if status != http.StatusOK {
		t.Fatalf("results page = %d", status)
	}
	page := string(body)
	for _, want := range []string{
		`id="qualite"`, "Qualité des réponses", "même réponse partout",
		`action="/app/workshops/` + e.w.ID + `/responses/` + rid + `/excluded"`,
		`<option selected>Même réponse à toutes les questions</option>`,
		"<strong>3</strong> par leur code secret, identique avant et après",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	if strings.Contains(page, "hash-") || strings.Contains(page, "m-p0") {
		t.Error("results page shows a pseudonym or a code hash")
	}
	// Excluded from the page with the preselected reason: one click.
	form := url.Values{"excluded": {"1"}, "reason": {"Même réponse à toutes les questions"}, "detail": {""}}
	if status, _ := e.send(t, tok, "POST", "/app/workshops/"+e.w.ID+"/responses/"+rid+"/excluded", form, nil); status != http.StatusSeeOther {
		t.Fatalf("exclude from the page = %d", status)
	}
	_, body = e.send(t, tok, "GET", "/app/workshops/"+e.w.ID+"/results", nil, nil)
	if !strings.Contains(string(body), "Rétablir") || !strings.Contains(string(body), "« Même réponse à toutes les questions »") {
		t.Error("after the exclusion, the page shows no « Rétablir » or no reason")
	}
	// Another facilitator gets the page not found.
	if status, _ := e.send(t, e.otherTok, "POST", "/app/workshops/"+e.w.ID+"/responses/"+rid+"/excluded", url.Values{"excluded": {"0"}}, nil); status != http.StatusNotFound {
		t.Errorf("another facilitator's restore = %d, want 404", status)
	}
}
