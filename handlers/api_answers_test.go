package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestAPIAnswerPhaseAndCode(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "A", "date": "2026-03-12"})
	s := submission{SubmissionID: "sub-closed", Participant: "P1", Phase: "pre", Answers: validPre()}

	var e apiErrorBody
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &e); status != http.StatusConflict || e.Error.Code != "phase_closed" {
		t.Errorf("answer while closed = %d %q, want 409 phase_closed", status, e.Error.Code)
	}
	e = apiErrorBody{}
	if status := ts.do(t, "", "POST", "/api/v1/forms/ZZZZZZ/responses", s, &e); status != http.StatusNotFound || e.Error.Code != "not_found" {
		t.Errorf("answer to unknown code = %d %q, want 404 not_found", status, e.Error.Code)
	}

	ts.setPhase(t, token, w.ID, "pre")
	e = apiErrorBody{}
	post := s
	post.Phase = "post"
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", post, &e); status != http.StatusConflict || e.Error.Code != "phase_closed" {
		t.Errorf("POST answer while PRE is open = %d %q, want 409 phase_closed", status, e.Error.Code)
	}

	// Codes are forgiving: lower case and dashes reach the same workshop.
	lower := strings.ToLower(w.Code[:3]) + "-" + strings.ToLower(w.Code[3:])
	id := ts.answer(t, lower, s)

	// The same submission again: 200, same id, nothing stored twice.
	var again struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &again); status != http.StatusOK || again.ID != id {
		t.Errorf("retry = %d id %q, want 200 id %q", status, again.ID, id)
	}
	if pre, post := ts.storedCounts(t, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored = %d pre, %d post; want 1, 0", pre, post)
	}
	var res resultsOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &res)
	if res.NPre != 1 {
		t.Errorf("n_pre = %d, want 1", res.NPre)
	}

	// After the phase closed, a retry still gets its acknowledgement.
	ts.setPhase(t, token, w.ID, "closed")
	again.ID = ""
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &again); status != http.StatusOK || again.ID != id {
		t.Errorf("retry after close = %d id %q, want 200 id %q", status, again.ID, id)
	}
	// And so after POST opened.
	ts.setPhase(t, token, w.ID, "post")
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
	if pre, post := ts.storedCounts(t, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored = %d pre, %d post; want 1, 0", pre, post)
	}

	// A submission id is not reusable in another workshop.
	w2 := ts.openWorkshop(t, token, qid, "pre")
	var raw json.RawMessage
	status := ts.do(t, "", "POST", "/api/v1/forms/"+w2.Code+"/responses", s, &raw)
	if status < 400 || status >= 500 {
		t.Errorf("submission id of another workshop = %d, want a 4xx (%s)", status, raw)
	}
	if pre, _ := ts.storedCounts(t, w2.ID); pre != 0 {
		t.Errorf("other workshop stored %d, want 0", pre)
	}
}

func TestAPIAnswerInvalid(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	wPre := ts.openWorkshop(t, token, qid, "pre")
	wPost := ts.openWorkshop(t, token, qid, "post")

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
		if pre, post := ts.storedCounts(t, w.ID); pre != 0 || post != 0 {
			t.Errorf("workshop in %s: stored %d pre, %d post after invalid answers; want nothing", w.Phase, pre, post)
		}
	}

	// The valid versions are accepted, so the cases above failed for the reason named.
	ts.answer(t, wPre.Code, submission{SubmissionID: "ok-pre", Participant: "P", Phase: "pre", Answers: validPre()})
	ts.answer(t, wPost.Code, submission{SubmissionID: "ok-post", Participant: "P", Phase: "post",
		Answers: with(func(a map[string]any) {
			a["t1"] = strings.Repeat("é", 2000)
			a["c1"] = []string{"climat", "droits"}
			a["r1"] = 0
		})})
}

func TestAPIAnswerDuplicateParticipant(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	ts.answer(t, w.Code, submission{"a1", "ALICE", "pre", validPre()})
	ts.answer(t, w.Code, submission{"a2", "ALICE", "pre", validPre()}) // same pupil, scanned twice
	ts.answer(t, w.Code, submission{"b1", "BOB", "pre", validPre()})
	ts.setPhase(t, token, w.ID, "post")
	ts.answer(t, w.Code, submission{"a3", "ALICE", "post", validPre()})
	ts.answer(t, w.Code, submission{"b2", "BOB", "post", validPre()})
	ts.answer(t, w.Code, submission{"c1", "CHLOE", "post", validPre()})

	if pre, post := ts.storedCounts(t, w.ID); pre != 3 || post != 3 {
		t.Errorf("stored %d pre, %d post; want 3, 3", pre, post)
	}
	res := ts.results(t, token, w.ID)
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
