package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"declic/cmd/internal/app"
	"declic/surveys"
)

// keyEnv is the environment of a new install: a data folder and a
// configuration folder apart from it.
func keyEnv(t *testing.T) (map[string]string, func(string) string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"DECLIC_DATA": filepath.Join(dir, "data"), "XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"DECLIC_ADDR": "127.0.0.1:0", "DECLIC_ADMIN_EMAIL": testAdminEmail, "DECLIC_ADMIN_PASSWORD": testAdminPassword,
	}
	return env, func(k string) string { return env[k] }
}

// stored participant of a submission, read from the store.
func participantOf(t *testing.T, ts *testServer, workshopID, submissionID string) string {
	t.Helper()
	for _, r := range storedResponses(t, ts, workshopID) {
		if r.SubmissionID == submissionID {
			return r.Participant
		}
	}
	t.Fatalf("submission %s not stored", submissionID)
	return ""
}

// Finding 6: the pseudonym key sat in the data folder, in every backup of
// it; one backup gave back 21 of 21 pupils' codes.
func TestKeyOutsideDataFolderAndExport(t *testing.T) {
	if os.Getenv("TEST_MONGODB_URI") != "" {
		t.Skip("the data folder is the embedded store's")
	}
	env, getenv := keyEnv(t)
	cfg := app.ConfigFrom(getenv)
	ts, stop := openMainAt(t, cfg)
	keyFile := filepath.Join(env["XDG_CONFIG_HOME"], "declic", "secret.key")
	raw, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatalf("the key of a new install is not in the configuration folder: %v", err)
	}
	if fi, _ := os.Stat(keyFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(env["DECLIC_DATA"], "secret.key")); !os.IsNotExist(err) {
		t.Errorf("a new install wrote secret.key into the data folder (%v)", err)
	}
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	apiAnswer(t, ts, w.Code, submission{"avant-P1", "P1", "pre", validPre()})
	before := participantOf(t, ts, w.ID, "avant-P1")
	stop()

	// declic dump holds no key.
	var dump, errOut bytes.Buffer
	if err := run(context.Background(), []string{"dump"}, getenv, nil, &dump, &errOut); err != nil {
		t.Fatalf("dump: %v", err)
	}
	text := strings.TrimSpace(string(raw))
	hexPart := strings.TrimPrefix(text, "hex:")
	if dump.Len() == 0 || strings.Contains(dump.String(), hexPart) || strings.Contains(dump.String(), "secret") {
		t.Errorf("the dump (%d bytes) contains the key", dump.Len())
	}
	if !strings.Contains(errOut.String(), "key export") {
		t.Errorf("dump does not remind where the key is: %q", errOut.String())
	}

	// declic key export prints text DECLIC_SECRET accepts as it is...
	var out bytes.Buffer
	if err := run(context.Background(), []string{"key", "export"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("key export: %v", err)
	}
	exported := strings.TrimSpace(out.String())
	if exported != text {
		t.Errorf("key export = %q, want the key file's text", exported)
	}
	// ...and a server given only DECLIC_SECRET (no key file) makes the same pseudonyms.
	os.Remove(keyFile)
	env["DECLIC_SECRET"] = exported
	ts, _ = openMainAt(t, app.ConfigFrom(getenv))
	apiAnswer(t, ts, w.Code, submission{"apres-P1", "P1", "pre", validPre()})
	if after := participantOf(t, ts, w.ID, "apres-P1"); after != before {
		t.Errorf("pseudonym with DECLIC_SECRET = exported key: %s, want %s (the same)", after, before)
	}
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Errorf("with DECLIC_SECRET set, a key file was written again")
	}
}

// An install made before keeps DECLIC_DATA/secret.key (64 hex digits,
// read as bytes): same pseudonyms, a warning to move it, and key export
// prints it in the form DECLIC_SECRET accepts.
func TestLegacyKeyInDataFolderKeepsWorking(t *testing.T) {
	env, getenv := keyEnv(t)
	os.MkdirAll(env["DECLIC_DATA"], 0o700)
	legacy := strings.Repeat("0123456789abcdef", 4)
	if err := os.WriteFile(filepath.Join(env["DECLIC_DATA"], "secret.key"), []byte(legacy+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	m, err := app.Open(context.Background(), app.ConfigFrom(getenv), slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if !strings.Contains(logs.String(), "move it out") {
		t.Errorf("no warning about the key in the data folder: %s", logs)
	}
	keyFile := filepath.Join(env["XDG_CONFIG_HOME"], "declic", "secret.key")
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Errorf("a second key was made beside the old one")
	}
	// A key file this machine made for another install does not replace
	// the key of this data.
	os.MkdirAll(filepath.Dir(keyFile), 0o700)
	if err := os.WriteFile(keyFile, []byte("hex:"+strings.Repeat("ff", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"key", "export"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("key export: %v", err)
	}
	exported := strings.TrimSpace(out.String())
	fromExport, err := app.ParseKey(exported)
	want, _ := hex.DecodeString(legacy)
	if err != nil || !bytes.Equal(fromExport, want) {
		t.Errorf("key export = %q, read back as %x (%v); want the old key's bytes %x", exported, fromExport, err, want)
	}
	// Same pseudonyms through the server as the old rule gave.
	ts, _ := openMainAt(t, app.ConfigFrom(getenv))
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	apiAnswer(t, ts, w.Code, submission{"old-P1", "P1", "pre", validPre()})
	if got, want := participantOf(t, ts, w.ID, "old-P1"), surveys.NewPseudonymizer(want).OfParticipant(w.ID, "P1", "").Participant; got != want {
		t.Errorf("pseudonym with the old key file = %s, want %s", got, want)
	}
}

func TestKeyRules(t *testing.T) {
	for _, tt := range []struct {
		text string
		ok   bool
	}{{strings.Repeat("x", 32), true}, {strings.Repeat("x", 31), false}, {"hex:" + strings.Repeat("ab", 32), true},
		{"hex:" + strings.Repeat("ab", 31), false}, {"hex:zz" + strings.Repeat("ab", 32), false}} {
		if _, err := app.ParseKey(tt.text); (err == nil) != tt.ok {
			t.Errorf("ParseKey(%q) error %v, want ok=%v", tt.text, err, tt.ok)
		}
	}
	// No key yet: export says so instead of making one.
	_, getenv := keyEnv(t)
	err := run(context.Background(), []string{"key", "export"}, getenv, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no pseudonym key yet") {
		t.Errorf("key export with no key = %v, want a clear error", err)
	}
}

// A store remembers a check of the key its answers were made with: a
// declic started on it with another key (lost in a move, or a second
// process given another DECLIC_SECRET) is refused, since its answers
// would never pair with the others. Before any answer, a new key is taken.
func TestOtherKeyRefusedOnAStoreWithAnswers(t *testing.T) {
	cfg := restartableConfig(t)
	cfg.Secret = strings.Repeat("a", 40)
	_, stop := openMainAt(t, cfg)
	stop()

	// No answer yet: another key is taken.
	cfg.Secret = strings.Repeat("b", 40)
	ts, stop := openMainAt(t, cfg)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	apiAnswer(t, ts, w.Code, submission{"pre-P1", "P1", "pre", validPre()})
	stop()

	cfg.Secret = strings.Repeat("c", 40)
	m, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if m != nil {
		m.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "pseudonym key is not the one") || !strings.Contains(err.Error(), "declic key export") {
		t.Fatalf("start with another key on a store with answers: %v, want a refusal saying what to do", err)
	}
	cfg.Secret = strings.Repeat("b", 40)
	_, stop = openMainAt(t, cfg)
	stop()
}

// The move the README describes, with a first start in between: the
// empty target was started once (its library seeded, a key recorded), then
// the dump restored into it; it starts with the dump's key, not the one of
// that first start (the code review found both refused).
func TestRestoreAfterAFirstStartTakesTheDumpsKey(t *testing.T) {
	src := restartableConfig(t)
	src.Secret = strings.Repeat("a", 40)
	ts, stop := openMainAt(t, src)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	apiAnswer(t, ts, w.Code, submission{"pre-P1", "P1", "pre", validPre()})
	stop()
	env := func(cfg app.Config) func(string) string {
		return func(k string) string {
			return map[string]string{"DECLIC_DATA": cfg.DataDir, "MONGODB_URI": cfg.MongoURI, "DECLIC_DB": cfg.Database}[k]
		}
	}
	var dump bytes.Buffer
	if err := run(context.Background(), []string{"dump"}, env(src), nil, &dump, io.Discard); err != nil {
		t.Fatalf("dump: %v", err)
	}

	dst := restartableConfig(t)
	dst.Secret = strings.Repeat("z", 40)
	dst.AdminEmail, dst.AdminPassword = "", ""
	m, err := app.Open(context.Background(), dst, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if err := run(context.Background(), []string{"restore"}, env(dst), strings.NewReader(dump.String()), io.Discard, io.Discard); err != nil {
		t.Fatalf("restore after a first start: %v", err)
	}
	dst.Secret = src.Secret
	_, stop = openMainAt(t, dst)
	stop()
}
