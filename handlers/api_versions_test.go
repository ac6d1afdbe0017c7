package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"declic/surveys"
)

const versionOne = `{"title": "Regards", "language": "fr", "items": [
  {"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5}},
  {"key": "q2", "type": "likert", "text": "Les autres m'intéressent.", "scale": {"min": 1, "max": 5}},
  {"key": "q3", "type": "likert", "text": "J'aime débattre.", "scale": {"min": 1, "max": 5}}
], "scales": [{"key": "ouverture", "title": "Ouverture", "items": ["q1", "q2"]}]}`

// v2 rewords q2 (left out of pooled reports), adds a Portuguese q1 (kept:
// answers are language-free) and a new q4 (left out: absent from v1).
const versionTwo = `{"title": "Regards", "language": "fr", "languages": ["fr", "pt"], "items": [
  {"key": "q1", "type": "likert", "text": {"fr": "Je peux agir.", "pt": "Posso agir."}, "scale": {"min": 1, "max": 5}},
  {"key": "q2", "type": "likert", "text": "Les autres me passionnent.", "scale": {"min": 1, "max": 5}},
  {"key": "q3", "type": "likert", "text": "J'aime débattre.", "scale": {"min": 1, "max": 5}},
  {"key": "q4", "type": "yesno", "text": "As-tu voyagé ?"}
], "scales": [{"key": "ouverture", "title": "Ouverture", "items": ["q1", "q2"]}]}`

func (ts *testServer) versionAnswers(t testing.TB, w string, pairs int) {
	t.Helper()
	var rs []*surveys.Response
	for i := range pairs {
		for _, p := range []surveys.Phase{surveys.PhasePre, surveys.PhasePost} {
			a := surveys.Answers{"q1": surveys.NumberAnswer(2 + i%2), "q2": surveys.NumberAnswer(3), "q3": surveys.NumberAnswer(2)}
			if p == surveys.PhasePost {
				a["q1"] = surveys.NumberAnswer(4 + i%2)
			}
			rs = append(rs, &surveys.Response{SubmissionID: fmt.Sprintf("%s-%d-%s", w, i, p), WorkshopID: w, Phase: p,
				Participant: fmt.Sprintf("p%d", i), Answers: a})
		}
	}
	if err := ts.Store.ImportResponses(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
}

func TestAPIQuestionnaireVersionsAndPooledReport(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	var q struct{ ID string }
	ts.json(t, tok[surveys.RoleManager], "POST", "/api/v1/questionnaires", rawJSON(versionOne), 201, &q)

	// Unused: changed in place, same id.
	var saved struct {
		ID         string `json:"id"`
		Family     string `json:"family"`
		Version    int    `json:"version"`
		NewVersion bool   `json:"new_version"`
	}
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/"+q.ID, rawJSON(versionOne), 200, &saved)
	if saved.ID != q.ID || saved.NewVersion || saved.Version != 1 {
		t.Errorf("PUT unused = %+v, want the same id, version 1", saved)
	}
	var w1, w2 struct{ ID string }
	ts.json(t, tok[surveys.RoleManager], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": q.ID, "title": "A", "date": "2026-03-01"}, 201, &w1)
	ts.versionAnswers(t, w1.ID, 6)

	// Used: a new version; the workshop keeps its own.
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/"+q.ID, rawJSON(versionTwo), 200, &saved)
	if saved.ID != q.ID+"-v2" || !saved.NewVersion || saved.Family != q.ID || saved.Version != 2 {
		t.Fatalf("PUT used = %+v, want %s-v2", saved, q.ID)
	}
	var kept struct {
		QuestionnaireID string `json:"questionnaire_id"`
	}
	ts.json(t, tok[surveys.RoleManager], "GET", "/api/v1/workshops/"+w1.ID, nil, 200, &kept)
	if kept.QuestionnaireID != q.ID {
		t.Errorf("workshop questionnaire = %s, want it kept at %s", kept.QuestionnaireID, q.ID)
	}
	var v1 surveys.Questionnaire
	ts.json(t, tok[surveys.RoleManager], "GET", "/api/v1/questionnaires/"+q.ID, nil, 200, &v1)
	if it, _ := v1.Item("q2"); it.Text.String() != "Les autres m'intéressent." {
		t.Errorf("v1 changed: %q", it.Text)
	}
	ts.json(t, tok[surveys.RoleManager], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": saved.ID, "title": "B", "date": "2026-04-01"}, 201, &w2)
	ts.versionAnswers(t, w2.ID, 6)

	type report struct {
		Workshops int `json:"workshops"`
		NPaired   int `json:"n_paired"`
		Items     []struct {
			Key string `json:"key"`
			Pre struct {
				N int `json:"n"`
			} `json:"pre"`
		} `json:"items"`
		Scales   []struct{ Key string }  `json:"scales"`
		Versions []surveys.ReportVersion `json:"versions"`
		LeftOut  []surveys.LeftOut       `json:"left_out"`
	}
	for _, id := range []string{q.ID, saved.ID} {
		var r report
		ts.json(t, tok[surveys.RoleManager], "GET", "/api/v1/reports?questionnaire_id="+id, nil, 200, &r)
		var keys []string
		for _, it := range r.Items {
			keys = append(keys, fmt.Sprintf("%s:%d", it.Key, it.Pre.N))
		}
		if r.Workshops != 2 || r.NPaired != 12 || strings.Join(keys, " ") != "q1:12 q3:12" || len(r.Scales) != 0 {
			t.Errorf("report on %s: %d workshops, %d pairs, items %v, scales %v; want 2, 12, q1 and q3 pooled", id, r.Workshops, r.NPaired, keys, r.Scales)
		}
		if len(r.Versions) != 2 || r.Versions[0].Version != 1 || r.Versions[1].Workshops != 1 {
			t.Errorf("versions = %+v", r.Versions)
		}
		reasons := map[string]string{}
		for _, l := range r.LeftOut {
			reasons[l.Key] = l.Reason
		}
		if !strings.HasPrefix(reasons["q2"], "formulation changée") || !strings.Contains(reasons["q4"], "seulement") && !strings.Contains(reasons["q4"], "absente") || !strings.Contains(reasons["ouverture"], "q2") {
			t.Errorf("left out = %+v", r.LeftOut)
		}
	}
	// Without questionnaire_id, one family is enough.
	ts.json(t, tok[surveys.RoleManager], "GET", "/api/v1/reports", nil, 200, nil)

	// Only an unused version is deleted.
	var v3 struct{ ID string }
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/"+saved.ID, rawJSON(versionOne), 200, &v3)
	if v3.ID != q.ID+"-v3" {
		t.Fatalf("editing used v2 = %s, want v3", v3.ID)
	}
	if rec := ts.call(tok[surveys.RoleManager], "DELETE", "/api/v1/questionnaires/"+q.ID, "", nil); rec.Code != http.StatusConflict {
		t.Errorf("DELETE used v1 = %d, want 409", rec.Code)
	}
	if rec := ts.call(tok[surveys.RoleManager], "DELETE", "/api/v1/questionnaires/"+v3.ID, "", nil); rec.Code != http.StatusNoContent {
		t.Errorf("DELETE unused v3 = %d %s, want 204", rec.Code, rec.Body.String())
	}
	if rec := ts.call(tok[surveys.RoleManager], "DELETE", "/api/v1/questionnaires/odd-v1", "", nil); rec.Code != http.StatusConflict {
		t.Errorf("DELETE a library questionnaire = %d, want 409", rec.Code)
	}
	// Editing the library makes a new version of it (after the library's
	// own odd-v2), never a change to it.
	lib := ts.call(tok[surveys.RoleFacilitator], "GET", "/api/v1/questionnaires/odd-v1", "", nil)
	var libSaved struct {
		ID         string `json:"id"`
		NewVersion bool   `json:"new_version"`
	}
	ts.json(t, tok[surveys.RoleFacilitator], "PUT", "/api/v1/questionnaires/odd-v1", rawJSON(strings.Replace(lib.Body.String(), `"builtin":true`, `"builtin":false`, 1)), 200, &libSaved)
	if libSaved.ID != "odd-v3" || !libSaved.NewVersion {
		t.Errorf("PUT odd-v1 = %+v, want odd-v3", libSaved)
	}
	if rec := ts.call(tok[surveys.RoleAdmin], "PUT", "/api/v1/questionnaires/"+q.ID, "application/json", []byte(`{"title": ""}`)); rec.Code != http.StatusBadRequest {
		t.Errorf("PUT invalid = %d, want 400", rec.Code)
	}
}

// rawJSON sends a JSON text as it is.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
