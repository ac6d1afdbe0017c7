package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"declic/cmd/internal/app"
)

// TestDumpRestore moves a store's content through declic dump and declic
// restore into an empty folder: logins, workshops and results come back
// the same; a damaged dump is refused with its line, and nothing stored.
func TestDumpRestore(t *testing.T) {
	src := testConfig(t)
	src.Secret = strings.Repeat("s", 40)
	ts, stop := openMainAt(t, src)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	for _, p := range []string{"P1", "P2", "P3"} {
		apiAnswer(t, ts, w.Code, submission{"pre-" + p, p, "pre", validPre()})
	}
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	for _, p := range []string{"P1", "P2"} {
		apiAnswer(t, ts, w.Code, submission{"post-" + p, p, "post", validPre()})
	}
	before := apiResultsOf(t, ts, token, w.ID)
	env := func(cfg app.Config) func(string) string {
		return func(k string) string {
			return map[string]string{"DECLIC_DATA": cfg.DataDir, "MONGODB_URI": cfg.MongoURI, "DECLIC_DB": cfg.Database}[k]
		}
	}
	// A nightly dump while declic runs: the embedded store's folder is
	// held, and the dump reads a snapshot beside it.
	var live bytes.Buffer
	if err := run(context.Background(), []string{"dump"}, env(src), nil, &live, io.Discard); err != nil {
		t.Fatalf("dump while declic runs: %v", err)
	}
	stop()

	var dump, logs bytes.Buffer
	if err := run(context.Background(), []string{"dump"}, env(src), nil, &dump, &logs); err != nil {
		t.Fatalf("dump: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(dump.String()), "\n")
	if src.MongoURI == "" {
		// The same records (the header's time and so the checksum differ).
		liveLines := strings.Split(strings.TrimSpace(live.String()), "\n")
		if len(liveLines) != len(lines) || strings.Join(liveLines[1:len(liveLines)-1], "\n") != strings.Join(lines[1:len(lines)-1], "\n") {
			t.Errorf("the dump made while declic ran differs from the one made after (%d and %d lines)", len(liveLines), len(lines))
		}
	}
	if !strings.HasPrefix(lines[0], `{"declic_dump":1`) || !strings.HasPrefix(lines[len(lines)-1], `{"end":`) {
		t.Fatalf("dump starts %.80q and ends %.80q", lines[0], lines[len(lines)-1])
	}

	// A damaged copy: one answer changed, or the end cut off.
	for name, bad := range map[string]string{
		"tampered":   strings.Replace(dump.String(), `"q1":`, `"q1":9,"x":`, 1),
		"truncated":  strings.Join(lines[:len(lines)-3], "\n") + "\n",
		"not a dump": "bonjour\n",
	} {
		dst := testConfig(t)
		err := run(context.Background(), []string{"restore"}, env(dst), strings.NewReader(bad), &logs, &logs)
		if err == nil || !strings.Contains(err.Error(), "Ligne ") {
			t.Errorf("%s dump: restore error %v, want one naming the line", name, err)
		}
		st, _, closeStore, err := app.OpenStore(context.Background(), dst)
		if err != nil {
			t.Fatal(err)
		}
		if empty, err := st.Empty(context.Background()); err != nil || !empty {
			t.Errorf("%s dump: store empty = %v, %v; want nothing stored", name, empty, err)
		}
		closeStore(context.Background())
	}

	dst := testConfig(t)
	dst.Secret = src.Secret
	logs.Reset()
	if err := run(context.Background(), []string{"restore"}, env(dst), strings.NewReader(dump.String()), &logs, &logs); err != nil {
		t.Fatalf("restore: %v (%s)", err, logs.String())
	}
	if !strings.Contains(logs.String(), "5 answers") {
		t.Errorf("restore says %q, want the count of answers (5)", logs.String())
	}
	if err := run(context.Background(), []string{"restore"}, env(dst), strings.NewReader(dump.String()), &logs, &logs); err == nil {
		t.Errorf("a second restore into a filled store succeeded")
	}
	restored, _ := openMainAt(t, dst)
	// The same admin logs in with the same password; the results are the same.
	token = restored.token(t)
	after := apiResultsOf(t, restored, token, w.ID)
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if string(b1) != string(b2) {
		t.Errorf("results after restore:\n%s\nwant\n%s", b2, b1)
	}
	if st := restored.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, nil); st != http.StatusOK {
		t.Errorf("restored workshop = %d", st)
	}
	// A new answer after the restore pairs with one from before: the same
	// pseudonym key, kept apart from the dump.
	apiAnswer(t, restored, w.Code, submission{"post-P3", "P3", "post", validPre()})
	if r := apiResultsOf(t, restored, token, w.ID); r.NPaired != 3 {
		t.Errorf("after the restore, P3's POST pairs with their PRE: n_paired = %d, want 3", r.NPaired)
	}
}
