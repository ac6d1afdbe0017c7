package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

type responsesOut struct {
	Responses []struct {
		ID       string   `json:"id"`
		Phase    string   `json:"phase"`
		Flags    []string `json:"flags"`
		Excluded bool     `json:"excluded"`
		PairedBy *string  `json:"paired_by"`
		History  []struct {
			Excluded bool   `json:"excluded"`
			Reason   string `json:"reason"`
			By       string `json:"by"`
			At       string `json:"at"`
		} `json:"history"`
	} `json:"responses"`
}

func apiResponses(t *testing.T, ts *testServer, token, id string) responsesOut {
	t.Helper()
	var out responsesOut
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+id+"/responses", nil, &out); status != http.StatusOK {
		t.Fatalf("GET responses = %d", status)
	}
	return out
}

type pairingOut struct {
	NPre, NPost, NPaired int
	Pairing              map[string]int
}

func apiPairing(t *testing.T, ts *testServer, token, id string) pairingOut {
	t.Helper()
	var out struct {
		NPre    int            `json:"n_pre"`
		NPost   int            `json:"n_post"`
		NPaired int            `json:"n_paired"`
		Pairing map[string]int `json:"pairing"`
	}
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+id+"/results", nil, &out); status != http.StatusOK {
		t.Fatalf("GET results = %d", status)
	}
	return pairingOut{out.NPre, out.NPost, out.NPaired, out.Pairing}
}

// Each pairing rule, end to end: answers sent through the public API with
// the four-element code and a device, read back as the results' pairing
// counts and each response's paired_by.
func TestPairingRulesThroughAPI(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, measureDefinition)

	type answer struct {
		who    string // for the test's messages
		phase  string
		code   map[string]any
		device string
	}
	tests := []struct {
		name    string
		answers []answer
		want    map[string]int
		// pairedBy is each response's paired_by, in the order sent ("" = null).
		pairedBy []string
	}{
		{"same phone, one element mistyped",
			[]answer{{"A", "pre", code("M", 12, 3, "A"), "phone-a"}, {"A", "post", code("M", 12, 3, "E"), "phone-a"}},
			map[string]int{"device": 1}, []string{"device", "device"}},
		{"same code on another phone",
			[]answer{{"B", "pre", code("S", 4, 11, "O"), "phone-b"}, {"B", "post", code("s", 4, 11, "ô"), "tablet"}},
			map[string]int{"code": 1}, []string{"code", "code"}},
		{"one element apart on another phone",
			[]answer{{"C", "pre", code("N", 30, 6, "I"), "phone-c"}, {"C", "post", code("N", 3, 6, "I"), ""}},
			map[string]int{"fuzzy_code": 1}, []string{"fuzzy_code", "fuzzy_code"}},
		{"two pupils one element apart from one POST: ambiguous",
			[]answer{{"D", "pre", code("L", 8, 2, "U"), ""}, {"E", "pre", code("L", 8, 2, "A"), ""}, {"D?", "post", code("L", 8, 2, "E"), ""}},
			map[string]int{"ambiguous": 3}, []string{"", "", ""}},
		{"nothing close: unmatched",
			[]answer{{"F", "pre", code("A", 1, 1, "B"), ""}, {"G", "post", code("Z", 28, 12, "Y"), ""}},
			map[string]int{"unmatched_pre": 1, "unmatched_post": 1}, []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ts.openWorkshop(t, token, qid, "pre")
			ids := make([]string, len(tt.answers))
			for _, phase := range []string{"pre", "post"} {
				if phase == "post" {
					ts.setPhase(t, token, w.ID, "post")
				}
				for i, a := range tt.answers {
					if a.phase != phase {
						continue
					}
					var out struct{ ID string }
					s := codedSubmission{SubmissionID: tt.name + a.who + phase, Code: a.code, Device: a.device, Phase: phase,
						Answers: measureAnswers(phase, 3, 3, 4, 2, 3, 4)}
					if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &out); status != http.StatusCreated {
						t.Fatalf("%s %s = %d", a.who, phase, status)
					}
					ids[i] = out.ID
				}
			}
			got := apiPairing(t, ts, token, w.ID)
			for _, k := range []string{"device", "code", "fuzzy_code", "ambiguous", "unmatched_pre", "unmatched_post"} {
				if got.Pairing[k] != tt.want[k] {
					t.Errorf("pairing.%s = %d, want %d (all: %v)", k, got.Pairing[k], tt.want[k], got.Pairing)
				}
			}
			by := map[string]string{}
			for _, r := range apiResponses(t, ts, token, w.ID).Responses {
				if r.PairedBy != nil {
					by[r.ID] = *r.PairedBy
				}
			}
			for i, id := range ids {
				if by[id] != tt.pairedBy[i] {
					t.Errorf("%s %s: paired_by %q, want %q", tt.answers[i].who, tt.answers[i].phase, by[id], tt.pairedBy[i])
				}
			}
		})
	}
}

// The three quality flags, each raised end to end: too_fast by the pupil
// form (the signed time it was shown), straight_line by the answers,
// over_attendance by the head count the facilitator entered.
func TestQualityFlagsThroughTheApp(t *testing.T) {
	ts := newTestServer(t)
	clk := ts.Clock
	clk.Set(time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC))
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, measureDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")

	// Two pupils on phones: one reads (40 s), one taps through in 3 s.
	formAnswers := func(f url.Values, l ...int) url.Values {
		f = cloneValues(f)
		for i, v := range l {
			f.Set(fmt.Sprint("a_l", i+1), fmt.Sprint(v))
		}
		f.Set("a_k1", "b")
		return f
	}
	send := func(c map[string]string, wait time.Duration, l ...int) {
		t.Helper()
		client := ts.browser()
		fields := ts.pupilForm(t, client, w.FormURL, url.Values{"code_mere": {c["mere"]}, "code_jour": {c["jour"]}, "code_mois": {c["mois"]}, "code_lettre2": {c["lettre2"]}})
		clk.Add(wait)
		res, body := ts.pagePost(t, client, w.FormURL, formAnswers(fields, l...), nil)
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
			t.Fatalf("form = %d\n%.400s", res.StatusCode, body)
		}
	}
	send(map[string]string{"mere": "M", "jour": "12", "mois": "3", "lettre2": "A"}, 40*time.Second, 3, 2, 4, 3, 2, 4)
	send(map[string]string{"mere": "T", "jour": "2", "mois": "7", "lettre2": "O"}, 3*time.Second, 1, 5, 2, 4, 3, 2)
	// Through the API: one straight-lined answer, and a fourth pupil.
	for i, a := range []map[string]any{measureAnswers("pre", 5, 5, 5, 5, 5, 5), measureAnswers("pre", 2, 3, 4, 3, 2, 3)} {
		s := codedSubmission{SubmissionID: fmt.Sprint("api-", i), Code: code("R", 20+i, 5, "E"), Phase: "pre", Answers: a}
		if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, nil); status != http.StatusCreated {
			t.Fatalf("API answer = %d", status)
		}
	}
	flags := func() map[string]int {
		count := map[string]int{}
		for _, r := range apiResponses(t, ts, token, w.ID).Responses {
			for _, f := range r.Flags {
				count[f]++
			}
		}
		return count
	}
	if got := flags(); got["too_fast"] != 1 || got["straight_line"] != 1 || got["over_attendance"] != 0 {
		t.Errorf("flags = %v; want one too_fast, one straight_line, no over_attendance yet", got)
	}
	// 4 answers for 3 present: the unpaired PRE answers are the candidates.
	if status := ts.do(t, token, "PUT", "/api/v1/workshops/"+w.ID+"/attendance", map[string]int{"attendance": 3}, nil); status != http.StatusOK {
		t.Fatalf("PUT attendance = %d", status)
	}
	if got := flags(); got["over_attendance"] != 4 {
		t.Errorf("flags = %v; want over_attendance on the 4 unpaired PRE answers", got)
	}
	var res struct {
		NFlagged int `json:"n_flagged"`
	}
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &res)
	if res.NFlagged != 4 {
		t.Errorf("n_flagged = %d, want 4", res.NFlagged)
	}
}

// An exclusion through the API: the response leaves every figure, stays
// in the export, marked, and its audit record says who, when and why; a
// restore brings it back and is recorded too.
func TestExclusionThroughAPI(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, measureDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	var ids []string
	for i := range 6 {
		s := codedSubmission{SubmissionID: fmt.Sprint("x", i), Code: code("M", 1+i, 3, "A"), Phase: "pre", Answers: measureAnswers("pre", 1+i%5, 2, 3, 4, 3, 2)}
		var out struct{ ID string }
		ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, &out)
		ids = append(ids, out.ID)
	}
	path := "/api/v1/workshops/" + w.ID + "/responses/" + ids[0] + "/excluded"
	if status := ts.do(t, token, "PUT", path, map[string]any{"excluded": true, "reason": "Jeune d'un autre groupe"}, nil); status != http.StatusOK {
		t.Fatalf("exclude = %d", status)
	}
	if got := apiPairing(t, ts, token, w.ID); got.NPre != 5 {
		t.Errorf("n_pre after the exclusion = %d, want 5", got.NPre)
	}
	res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/responses.csv", token, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("CSV = %d", res.StatusCode)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	header := strings.Split(rows[0], ";")
	col := slices.Index(header, "exclue")
	marked := 0
	for _, r := range rows[1:] {
		if cells := strings.Split(r, ";"); col >= 0 && len(cells) > col && cells[col] == "oui" {
			marked++
		}
	}
	if len(rows) != 7 || marked != 1 {
		t.Errorf("CSV: %d rows, %d marked « exclue »; want all 6 responses, 1 marked", len(rows)-1, marked)
	}
	if status := ts.do(t, token, "PUT", path, map[string]any{"excluded": false}, nil); status != http.StatusOK {
		t.Fatalf("restore = %d", status)
	}
	for _, r := range apiResponses(t, ts, token, w.ID).Responses {
		if r.ID != ids[0] {
			continue
		}
		h := r.History
		if r.Excluded || len(h) != 2 || !h[0].Excluded || h[0].Reason != "Jeune d'un autre groupe" || h[0].By != testAdminEmail || h[0].At == "" || h[1].Excluded {
			t.Errorf("after exclude and restore: %+v", r)
		}
	}
	if got := apiPairing(t, ts, token, w.ID); got.NPre != 6 {
		t.Errorf("n_pre after the restore = %d, want 6", got.NPre)
	}
}
