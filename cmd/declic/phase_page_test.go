package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"declic/surveys"
)

// Going back from POST to PRE asks first: a mis-tap would file the next
// answers as "before".
func TestPagePhaseBackToPREAsksFirst(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, "odd-v1", "post")
	client := pageLogin(t, ts)
	phaseURL := ts.URL + "/app/workshops/" + w.ID + "/phase"
	phase := func() surveys.Phase {
		got, err := ts.Store.Workshop(context.Background(), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Phase
	}

	res, body := pagePost(t, client, phaseURL, url.Values{"phase": {"pre"}}, nil)
	checkPage(t, "back to PRE", res, body, http.StatusOK, "Rouvrir le questionnaire « avant » ?", `name="confirm" value="oui"`)
	if p := phase(); p != surveys.PhasePost {
		t.Fatalf("phase = %s after an unconfirmed switch, want post", p)
	}
	res, _ = pagePost(t, client, phaseURL, url.Values{"phase": {"pre"}, "confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || phase() != surveys.PhasePre {
		t.Errorf("confirmed: status %d, phase %s; want 303 and pre", res.StatusCode, phase())
	}
	// Other switches need no confirmation.
	res, _ = pagePost(t, client, phaseURL, url.Values{"phase": {"post"}}, nil)
	if res.StatusCode != http.StatusSeeOther || phase() != surveys.PhasePost {
		t.Errorf("to POST: status %d, phase %s; want 303 and post", res.StatusCode, phase())
	}
}
