package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"declic/surveys"
	"declic/surveys/sqlite"
)

const diskFullDefinition = `{"title": "Disque plein", "language": "fr", "items": [
	{"key": "q1", "type": "likert", "text": "J'aime apprendre.", "scale": {"min": 1, "max": 5}},
	{"key": "t1", "type": "text", "text": "Qu'as-tu appris ?"}
]}`

// TestDiskFullWhileAnswering fills the embedded store while pupils answer
// (its page cap stands for the disk): the answer that no longer fits gets
// 503 with Retry-After and the code unavailable, nothing of it is stored,
// and once there is room the same submission_id is stored once.
func TestDiskFullWhileAnswering(t *testing.T) {
	if os.Getenv("TEST_MONGODB_URI") != "" {
		t.Skip("the embedded store's page cap stands for the full disk")
	}
	ts, _ := openMainAt(t, testConfig(t))
	st, ok := ts.Store.(*sqlite.Store)
	if !ok {
		t.Fatalf("store is %T, want the embedded *sqlite.Store", ts.Store)
	}
	ctx := context.Background()
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, diskFullDefinition), "pre")
	url := ts.URL + "/api/v1/forms/" + w.Code + "/responses"
	send := func(sub string) (*http.Response, []byte) {
		body, _ := json.Marshal(map[string]any{
			"submission_id": sub, "participant": "eleve-" + sub, "phase": "pre",
			"answers": map[string]any{"q1": 4, "t1": strings.Repeat("J'ai appris beaucoup de choses. ", 60)},
		})
		res, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		return res, buf.Bytes()
	}

	// The disk fills up: a few pages beyond the database's present size.
	size, err := st.SetMaxPages(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetMaxPages(ctx, size+8); err != nil {
		t.Fatal(err)
	}
	acked, full := 0, ""
	for i := range 500 {
		sub := fmt.Sprintf("sub-%03d", i)
		res, body := send(sub)
		if res.StatusCode == http.StatusCreated {
			acked++
			continue
		}
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("answer %s on a filling disk = %d %s, want 201 or 503", sub, res.StatusCode, body)
		}
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
		e := mustDecodeError(t, body)
		if e.Error.Code != surveys.EUNAVAILABLE || !strings.Contains(e.Error.Message, "réessayez") {
			t.Errorf("error = %+v, want code %q and a French message asking to try again", e.Error, surveys.EUNAVAILABLE)
		}
		full = sub
		break
	}
	if full == "" {
		t.Fatalf("%d answers stored on a capped database, want a 503 at some point", acked)
	}
	t.Logf("%d answers stored before the disk was full", acked)
	// Sent again while the disk is still full: refused again.
	if res, body := send(full); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("same answer again on a full disk = %d %s, want 503", res.StatusCode, body)
	}
	// Nothing half-written: not the answer, not the workshop's count.
	if _, err := ts.Store.ResponseBySubmission(ctx, full); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("refused submission in the store: %v, want not found", err)
	}
	if pre, _ := storedCounts(t, ts, w.ID); pre != acked {
		t.Errorf("%d responses stored, want the %d acknowledged", pre, acked)
	}

	// Room again: the phone's retry is stored, once.
	if _, err := st.SetMaxPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	res, body := send(full)
	var first struct{ ID string }
	if json.Unmarshal(body, &first); res.StatusCode != http.StatusCreated || first.ID == "" {
		t.Fatalf("retry once there is room = %d %s, want 201 with an id", res.StatusCode, body)
	}
	res, body = send(full)
	var again struct{ ID string }
	if json.Unmarshal(body, &again); res.StatusCode != http.StatusOK || again.ID != first.ID {
		t.Errorf("second retry = %d %s, want 200 with id %s", res.StatusCode, body, first.ID)
	}
	if pre, _ := storedCounts(t, ts, w.ID); pre != acked+1 {
		t.Errorf("%d responses stored, want %d: each submission once", pre, acked+1)
	}
	var counts struct {
		Counts map[string]int `json:"counts"`
	}
	if ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &counts); counts.Counts["pre"] != acked+1 {
		t.Errorf("workshop counts %v, want pre %d", counts.Counts, acked+1)
	}
}
