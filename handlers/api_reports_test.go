package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// reportOut is the part of GET /api/v1/reports the tests read.
type reportOut struct {
	NPre, NPost, NPaired, NDuplicates int
	Workshops                         *int
	Participants                      int
	Attendance                        *int
	ResponseRatePre                   *float64 `json:"response_rate_pre"`
	ResponseRatePost                  *float64 `json:"response_rate_post"`
	PerWorkshop                       []struct {
		ID         string
		NPre       int `json:"n_pre"`
		NPost      int `json:"n_post"`
		NPaired    int `json:"n_paired"`
		Attendance int
	} `json:"per_workshop"`
	Items []struct {
		Key    string
		Paired struct{ N, Improved int }
	}
}

// reportWorkshop creates a workshop and has pupils answer PRE and POST:
// pupil i answers l1 = pre[i] then post[i] (0 = does not answer).
func reportWorkshop(t *testing.T, ts *testServer, token, qid, date, partner, tag string, pre, post []int) workshopOut {
	t.Helper()
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "Atelier " + date, "date": date, "partner": partner, "tags": []string{tag}})
	for phase, answers := range map[string][]int{"pre": pre, "post": post} {
		ts.setPhase(t, token, w.ID, phase)
		for i, v := range answers {
			if v == 0 {
				continue
			}
			// The same participant codes in every workshop: pairs must
			// still never cross workshops.
			ts.answer(t, w.Code, submission{SubmissionID: fmt.Sprintf("%s-%s-%d", w.ID, phase, i), Participant: fmt.Sprintf("eleve-%d", i), Phase: phase,
				Answers: map[string]any{"l1": v, "k1": map[bool]string{true: "b", false: "a"}[v >= 3]}})
		}
	}
	ts.setPhase(t, token, w.ID, "closed")
	return w
}

const reportDefinition = `{"title": "Rapport", "items": [
  {"key": "l1", "type": "likert", "text": "Je me sens concerné·e.", "scale": {"min": 1, "max": 5}},
  {"key": "k1", "type": "quiz", "text": "Bonne réponse ?", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"}]}`

func TestAPIReports(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, reportDefinition)
	other := ts.newQuestionnaire(t, token, strings.Replace(reportDefinition, `"Rapport"`, `"Autre"`, 1))
	a := reportWorkshop(t, ts, token, qid, "2026-01-15", "Collège A", "odd", []int{1, 2, 3, 4}, []int{3, 3, 4, 0})
	b := reportWorkshop(t, ts, token, qid, "2026-03-10", "Lycée B", "droits", []int{2, 2, 0}, []int{4, 1, 5})
	reportWorkshop(t, ts, token, other, "2026-02-01", "Collège A", "odd", []int{1}, []int{5})
	if status := ts.do(t, token, "PUT", "/api/v1/workshops/"+a.ID+"/attendance", map[string]int{"attendance": 5}, nil); status != http.StatusOK {
		t.Fatalf("PUT attendance = %d", status)
	}

	for _, bad := range []string{`{"attendance": -1}`, `{"attendance": 10001}`, `{"attendance": "24"}`, `{"attendance": 2.5}`, `{"attendance": {"$gt": 0}}`} {
		var e apiErrorBody
		status := ts.do(t, token, "PUT", "/api/v1/workshops/"+a.ID+"/attendance", bad, &e)
		if status != http.StatusBadRequest || (e.Error.Fields["attendance"] == "" && !strings.Contains(e.Error.Message, "attendance")) {
			t.Errorf("PUT attendance %s = %d %+v, want 400 naming attendance", bad, status, e.Error)
		}
	}

	get := func(query string) reportOut {
		t.Helper()
		var out reportOut
		var raw map[string]any
		if status := ts.do(t, token, "GET", "/api/v1/reports?"+query, nil, &raw); status != http.StatusOK {
			t.Fatalf("GET /api/v1/reports?%s = %d: %v", query, status, raw)
		}
		if status := ts.do(t, token, "GET", "/api/v1/reports?"+query, nil, &out); status != http.StatusOK {
			t.Fatal(status)
		}
		out.NPre, out.NPost = int(raw["n_pre"].(float64)), int(raw["n_post"].(float64))
		out.NPaired, out.NDuplicates = int(raw["n_paired"].(float64)), int(raw["n_duplicates"].(float64))
		return out
	}

	all := get("questionnaire_id=" + qid)
	// Workshop a: 4 PRE, 3 POST, 3 pairs; b: 2 PRE, 3 POST, 2 pairs.
	if all.Workshops == nil || *all.Workshops != 2 || all.NPre != 6 || all.NPost != 6 || all.NPaired != 5 || all.NDuplicates != 0 {
		t.Errorf("pooled: workshops %v pre %d post %d paired %d dup %d; want 2 6 6 5 0", all.Workshops, all.NPre, all.NPost, all.NPaired, all.NDuplicates)
	}
	if all.Participants != 7 {
		t.Errorf("participants = %d, want 7 (4 in a, 3 in b: the same codes in two workshops are two pupils)", all.Participants)
	}
	if len(all.PerWorkshop) != 2 || all.PerWorkshop[0].ID != b.ID || all.PerWorkshop[0].NPaired != 2 || all.PerWorkshop[1].NPre != 4 || all.PerWorkshop[1].Attendance != 5 {
		t.Errorf("per workshop = %+v; want b (2 pairs) then a (4 PRE, 5 present)", all.PerWorkshop)
	}
	if all.Attendance == nil || *all.Attendance != 5 || all.ResponseRatePre == nil || *all.ResponseRatePre != 0.8 || *all.ResponseRatePost != 0.6 {
		t.Errorf("attendance %v rates %v %v; want 5 present in a: 4/5 PRE, 3/5 POST", all.Attendance, all.ResponseRatePre, all.ResponseRatePost)
	}
	if len(all.Items) != 2 || all.Items[0].Paired.N != 5 || all.Items[0].Paired.Improved != 4 {
		t.Errorf("items = %+v; want l1 with 5 pairs, 4 improved", all.Items)
	}

	for _, tt := range []struct {
		query                  string
		workshops, pre, paired int
	}{
		{"from=2026-02-01", 1, 2, 2},
		{"to=2026-02-01", 1, 4, 3},
		{"partner=Lycée B", 1, 2, 2},
		{"tag=odd", 1, 4, 3},
		{"tag=none", 0, 0, 0},
	} {
		r := get("questionnaire_id=" + qid + "&" + url.PathEscape(tt.query))
		if *r.Workshops != tt.workshops || r.NPre != tt.pre || r.NPaired != tt.paired {
			t.Errorf("%s: workshops %d pre %d paired %d; want %d %d %d", tt.query, *r.Workshops, r.NPre, r.NPaired, tt.workshops, tt.pre, tt.paired)
		}
	}
	// Without questionnaire_id: fine when the filters leave one questionnaire.
	if r := get("partner=Lycée%20B"); *r.Workshops != 1 {
		t.Errorf("one questionnaire implied: workshops %d, want 1", *r.Workshops)
	}
	var e apiErrorBody
	if status := ts.do(t, token, "GET", "/api/v1/reports?partner=Collège%20A", nil, &e); status != http.StatusBadRequest || e.Error.Fields["questionnaire_id"] == "" {
		t.Errorf("two questionnaires, none chosen: %d %+v; want 400 naming questionnaire_id", status, e)
	}
	if status := ts.do(t, token, "GET", "/api/v1/reports?questionnaire_id="+qid+"&from=hier", nil, &e); status != http.StatusBadRequest || e.Error.Fields["from"] == "" {
		t.Errorf("bad date: %d %+v; want 400 naming from", status, e)
	}
	if status := ts.do(t, token, "GET", "/api/v1/reports?questionnaire_id=nope", nil, nil); status != http.StatusNotFound {
		t.Errorf("unknown questionnaire: %d, want 404", status)
	}
	if status := ts.do(t, "", "GET", "/api/v1/reports?questionnaire_id="+qid, nil, nil); status != http.StatusUnauthorized {
		t.Errorf("no auth: %d, want 401", status)
	}
	// A facilitator's report pools only their own workshops: none here.
	fac := ts.facilitatorToken(t, "animateur@example.org")
	var facOut map[string]any
	if status := ts.do(t, fac, "GET", "/api/v1/reports?questionnaire_id="+qid, nil, &facOut); status != http.StatusOK || facOut["workshops"].(float64) != 0 || facOut["n_pre"].(float64) != 0 {
		t.Errorf("facilitator report: %d workshops %v n_pre %v; want 200 with nothing of the admin's", status, facOut["workshops"], facOut["n_pre"])
	}

	// Charts, exports and the chart pack of the same report.
	q := "questionnaire_id=" + qid
	for _, name := range []string{"prepost", "likert", "change", "knowledge"} {
		for ext, ctype := range map[string]string{"svg": "image/svg+xml", "png": "image/png"} {
			res, body := ts.raw(t, nil, "GET", ts.URL+"/api/v1/reports/charts/"+name+"."+ext+"?"+q, token, nil, nil)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) || len(body) < 200 {
				t.Errorf("report chart %s.%s: %d %s, %d bytes", name, ext, res.StatusCode, res.Header.Get("Content-Type"), len(body))
			}
		}
	}
	res, body := ts.raw(t, nil, "GET", ts.URL+"/api/v1/reports/responses.csv?"+q, token, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report CSV: %d", res.StatusCode)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 1+12 {
		t.Errorf("report CSV: %d rows, %v; want a header and 12 responses", len(rows), err)
	}
	res, body = ts.raw(t, nil, "GET", ts.URL+"/api/v1/reports/charts.zip?"+q, token, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report chart pack: %d", res.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil || len(zr.File) < 9 {
		t.Errorf("report chart pack: %v, %d files; want 4 charts × 2 formats and the data", err, len(zr.File))
	}
}
