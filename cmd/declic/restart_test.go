package main

import (
	"net/http"
	"os"
	"testing"

	"declic/surveys"
)

func TestRestartKeepsData(t *testing.T) {
	cfg := restartableConfig(t)

	ts, stop := openMainAt(t, cfg)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	ids := map[string]string{}
	for _, p := range []string{"P1", "P2"} {
		ids["pre-"+p] = apiAnswer(t, ts, w.Code, submission{"pre-" + p, p, "pre", validPre()})
	}
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	ids["post-P1"] = apiAnswer(t, ts, w.Code, submission{"post-P1", "P1", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1, "t1": "Avant le redémarrage"}})
	before := apiResultsOf(t, ts, token, w.ID)
	stop()

	ts, stop = openMainAt(t, cfg)
	defer stop()

	// The session survives too, and the admin is not created twice.
	var got workshopOut
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got); status != http.StatusOK {
		t.Fatalf("GET workshop after restart with the old token = %d, want 200", status)
	}
	if got.Code != w.Code || got.Phase != "post" || got.QuestionnaireID != qid {
		t.Errorf("workshop after restart = %+v, want code %s, phase post, questionnaire %s", got, w.Code, qid)
	}
	token = ts.token(t)
	var q surveys.Questionnaire
	if status := ts.do(t, token, "GET", "/api/v1/questionnaires/"+qid, nil, &q); status != http.StatusOK || len(q.Items) != 8 {
		t.Errorf("questionnaire after restart = %d, %d items; want 200, 8", status, len(q.Items))
	}
	after := apiResultsOf(t, ts, token, w.ID)
	if a, b := mustJSON(t, after), mustJSON(t, before); a != b {
		t.Errorf("results after restart differ:\nafter  %s\nbefore %s", a, b)
	}
	if after.NPre != 2 || after.NPost != 1 || after.NPaired != 1 {
		t.Errorf("after restart n_pre %d n_post %d n_paired %d; want 2 1 1", after.NPre, after.NPost, after.NPaired)
	}

	// A retry of an answer acknowledged before the restart gets the same id.
	var out struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", submission{"post-P1", "P1", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1}}, &out); status != http.StatusOK || out.ID != ids["post-P1"] {
		t.Errorf("retry after restart = %d id %q, want 200 id %q", status, out.ID, ids["post-P1"])
	}
	// The pseudonym key is kept: P2's POST after the restart pairs with P2's PRE before it.
	apiAnswer(t, ts, w.Code, submission{"post-P2", "P2", "post", validPre()})
	if res := apiResultsOf(t, ts, token, w.ID); res.NPaired != 2 {
		t.Errorf("n_paired after P2 answered POST across the restart = %d, want 2", res.NPaired)
	}
	if os.Getenv("TEST_MONGODB_URI") == "" {
		if _, err := os.Stat(cfg.DataDir + "/secret.key"); err != nil {
			t.Errorf("secret.key: %v", err)
		}
	}
}
