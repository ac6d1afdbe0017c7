package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"declic/surveys"
)

var ctx = context.Background()

// openTest opens a store in dir (memory when empty), closed at the end.
func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(ctx, Config{Dir: dir, Memory: dir == ""})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seed stores a questionnaire and a workshop.
func seed(t testing.TB, s *Store) *surveys.Workshop {
	t.Helper()
	q := &surveys.Questionnaire{ID: "q", Title: surveys.NewText("Q"), Language: "fr"}
	if err := s.EnsureQuestionnaire(ctx, q); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: "q", Title: "A", Date: "2026-03-10", Tags: []string{}}
	if err := s.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	return w
}

func answer(w *surveys.Workshop, sub string) *surveys.Response {
	return &surveys.Response{SubmissionID: sub, WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: "p-" + sub,
		Answers: surveys.Answers{"q1": surveys.NumberAnswer(3)}}
}

func TestOpenNeedsAFolder(t *testing.T) {
	if _, err := Open(ctx, Config{}); err == nil {
		t.Error("Open without a folder: nil error, want one (never memory by default)")
	}
	s, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != "" {
		t.Errorf("Path of an in-memory store = %q, want empty", s.Path())
	}
}

func TestOpenTwiceRefused(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	_, err := Open(ctx, Config{Dir: dir})
	if !errors.Is(err, ErrFolderInUse) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second Open = %v, want ErrFolderInUse naming %s", err, dir)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	openTest(t, dir) // free again once closed
}

func TestOldFerretDBFolderRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "declic.sqlite"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, Config{Dir: dir})
	if !errors.Is(err, ErrOldFerretDBFolder) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open on an old folder = %v, want ErrOldFerretDBFolder naming the folder", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Errorf("Open on an old folder created %s (err %v)", FileName, err)
	}
}

func TestForeignFileRefused(t *testing.T) {
	garbage := t.TempDir()
	path := filepath.Join(garbage, FileName)
	junk := []byte(strings.Repeat("not a database ", 300))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, Config{Dir: garbage})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open on a damaged file = %v, want an error naming %s", err, path)
	}
	if got, _ := os.ReadFile(path); string(got) != string(junk) {
		t.Error("the damaged file was changed")
	}

	foreign := t.TempDir()
	path = filepath.Join(foreign, FileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY); INSERT INTO accounts VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, Config{Dir: foreign})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a Déclic database") {
		t.Fatalf("Open on another program's database = %v, want an error naming %s", err, path)
	}
	// Refused before any write: the acceptance sweep saw the file switched
	// to WAL (header bytes 18-19) by the refused start.
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("another program's database was changed by a refused start")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("a refused start left a WAL beside another program's database")
	}
}

// A Déclic database damaged in its middle is refused at start, naming the
// damage and the way out, rather than answering 500 on the first read of
// the bad page.
func TestDamagedDatabaseRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	w := seed(t, s)
	var rs []*surveys.Response
	for i := range 3000 {
		r := answer(w, fmt.Sprint("s", i))
		r.Answers["t1"] = surveys.TextAnswer(strings.Repeat("un texte assez long pour remplir des pages ", 3))
		rs = append(rs, r)
	}
	if err := s.ImportResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	pages := st.Size() / 4096
	if pages < 20 {
		t.Fatalf("the database has %d pages, want a few dozen", pages)
	}
	junk := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 4096*4/4)
	if _, err := f.WriteAt(junk, (pages/2)*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Open(ctx, Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "restore the last dump") {
		t.Fatalf("Open on a database damaged in its middle = %v, want an error naming it and the way out", err)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	w := seed(t, s)
	if _, err := s.AddResponse(ctx, answer(w, "a")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	var version, appID int64
	if err := s.rdb.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := s.rdb.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		t.Fatal(err)
	}
	if version != int64(len(migrations)-1) || appID != applicationID {
		t.Errorf("user_version %d application_id %#x, want %d and %#x", version, appID, len(migrations)-1, applicationID)
	}
	var mode string
	if err := s.wdb.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	if _, err := s.ResponseBySubmission(ctx, "a"); err != nil {
		t.Errorf("answer after reopening: %v", err)
	}
}

// TestDiskFull fills the database to its page limit: the batch rolls
// back whole, callers get EUNAVAILABLE, and writes work once there is room.
func TestDiskFull(t *testing.T) {
	s := openTest(t, t.TempDir())
	w := seed(t, s)
	var pages int64
	if err := s.wdb.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.wdb.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	big := answer(w, "big")
	big.Answers["t"] = surveys.TextAnswer(strings.Repeat("x", 2000))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := answer(w, fmt.Sprintf("full-%d", i))
			r.Answers["t"] = big.Answers["t"]
			_, errs[i] = s.AddResponse(ctx, r)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
			t.Errorf("answer %d on a full disk: %v (code %q), want %q", i, err, surveys.ErrorCode(err), surveys.EUNAVAILABLE)
		}
	}
	if c, _ := s.CountResponses(ctx, w.ID); c[surveys.PhasePre] != 0 {
		t.Errorf("%d answers stored on a full disk, want 0", c[surveys.PhasePre])
	}
	if _, err := s.wdb.Exec("PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddResponse(ctx, big); err != nil {
		t.Errorf("answer once there is room: %v", err)
	}
}

func TestAddResponseUnknownWorkshop(t *testing.T) {
	s := openTest(t, "")
	_, err := s.AddResponse(ctx, answer(&surveys.Workshop{ID: "missing"}, "x"))
	if surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("AddResponse to a missing workshop = %v, want %s", err, surveys.ENOTFOUND)
	}
}

// TestBatchKeepsOthersOnConflict: a conflict in a batch fails only its
// own caller.
func TestBatchKeepsOthersOnConflict(t *testing.T) {
	s := openTest(t, t.TempDir())
	w, other := seed(t, s), seed(t, s)
	if _, err := s.AddResponse(ctx, answer(w, "taken")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := answer(other, fmt.Sprintf("n%d", i))
			if i%4 == 0 {
				r.SubmissionID = "taken"
			}
			_, errs[i] = s.AddResponse(ctx, r)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		want := ""
		if i%4 == 0 {
			want = surveys.ECONFLICT
		}
		if got := surveys.ErrorCode(err); got != want {
			t.Errorf("answer %d: %v, want code %q", i, err, want)
		}
	}
	if c, _ := s.CountResponses(ctx, other.ID); c[surveys.PhasePre] != 30 {
		t.Errorf("stored %d, want 30", c[surveys.PhasePre])
	}
}

func TestTokenLimit(t *testing.T) {
	s := openTest(t, "")
	u := &surveys.User{Email: "a@example.org", Role: surveys.RoleAdmin}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for i := range surveys.MaxTokens {
		if err := s.CreateToken(ctx, &surveys.Token{Hash: fmt.Sprint(i), UserID: u.ID, Name: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	err := s.CreateToken(ctx, &surveys.Token{Hash: "one more", UserID: u.ID, Name: "t"})
	if surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("token %d: %v, want %s", surveys.MaxTokens+1, err, surveys.ECONFLICT)
	}
}

func TestWriteAfterClose(t *testing.T) {
	s, err := Open(ctx, Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	w := seed(t, s)
	s.Close()
	_, err = s.AddResponse(ctx, answer(w, "late"))
	if surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
		t.Errorf("AddResponse after Close = %v, want %s", err, surveys.EUNAVAILABLE)
	}
}

// TestKill9 runs a child process that answers as fast as it can and prints
// each acknowledged submission, kills it with SIGKILL mid-stream, and
// checks that every acknowledged answer is in the reopened store.
func TestKill9(t *testing.T) {
	if dir := os.Getenv("DECLIC_KILL9_DIR"); dir != "" {
		kill9Child(dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9$")
	cmd.Env = append(os.Environ(), "DECLIC_KILL9_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if sub, ok := strings.CutPrefix(line, "acked "); ok {
			acked = append(acked, sub)
			if len(acked) == 300 {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
	}
	cmd.Wait()
	if len(acked) < 300 {
		t.Fatalf("child acknowledged %d answers before dying, want 300", len(acked))
	}
	s := openTest(t, dir)
	for _, sub := range acked {
		if _, err := s.ResponseBySubmission(ctx, sub); err != nil {
			t.Errorf("acknowledged answer %s lost after kill -9: %v", sub, err)
		}
	}
}

func kill9Child(dir string) {
	s, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	q := &surveys.Questionnaire{ID: "q", Title: surveys.NewText("Q"), Language: "fr"}
	w := &surveys.Workshop{QuestionnaireID: "q", Title: "A", Date: "2026-03-10"}
	if s.EnsureQuestionnaire(ctx, q) != nil || s.CreateWorkshop(ctx, w) != nil {
		os.Exit(1)
	}
	var mu sync.Mutex
	for g := range 16 {
		go func() {
			for i := 0; ; i++ {
				sub := fmt.Sprintf("g%d-%d", g, i)
				if _, err := s.AddResponse(ctx, answer(w, sub)); err != nil {
					continue
				}
				mu.Lock()
				fmt.Println("acked", sub) // only once committed
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Minute) // killed long before
	os.Exit(2)
}

// TestSameSubmissionInOneBatch holds the writer until two sends of one
// submission and one of another wait in its queue, so that they share a
// batch.
func TestSameSubmissionInOneBatch(t *testing.T) {
	s := openTest(t, t.TempDir())
	w := seed(t, s)
	v0 := versionOf(t, s, w.ID)
	release, started := make(chan struct{}), make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer free() // a failed test must not leave the writer held
	held := make(chan error, 1)
	go func() {
		held <- s.w.do(ctx, false, func(*txn) error { close(started); <-release; return nil })
	}()
	<-started // its batch is formed: the next writes queue behind it
	type result struct {
		created bool
		id      string
		err     error
	}
	results := make(chan result, 3)
	for _, sub := range []string{"twice", "twice", "other"} {
		go func() {
			r := answer(w, sub)
			created, err := s.AddResponse(ctx, r)
			results <- result{created, r.ID, err}
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); len(s.w.queue) < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("queue holds %d writes, want 3", len(s.w.queue))
		}
		time.Sleep(time.Millisecond)
	}
	free()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	created := 0
	for range 3 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.created {
			created++
		}
	}
	if created != 2 {
		t.Errorf("created = true %d times, want 2 (twice once, other once)", created)
	}
	if c, _ := s.CountResponses(ctx, w.ID); c[surveys.PhasePre] != 2 {
		t.Errorf("stored %d, want 2", c[surveys.PhasePre])
	}
	if v := versionOf(t, s, w.ID); v != v0+1 {
		t.Errorf("version %d after one batch of answers, want %d (once per batch)", v, v0+1)
	}
}

func versionOf(t *testing.T, s *Store, id string) int64 {
	t.Helper()
	w, err := s.Workshop(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return w.Version
}

func TestBadPhaseIsInvalid(t *testing.T) {
	s := openTest(t, "")
	r := answer(seed(t, s), "x")
	r.Phase = surveys.PhaseClosed
	if _, err := s.AddResponse(ctx, r); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("AddResponse in phase closed = %v, want %s", err, surveys.EINVALID)
	}
}

// A database written before migration 6 gets each workshop's tags and
// facilitators copied into the workshops row, in order.
func TestMigrationCopiesTagsAndFacilitators(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	w := seed(t, s)
	if _, err := s.UpdateWorkshop(ctx, w.ID, surveys.WorkshopFields{Title: "A", Date: "2026-03-10", Tags: []string{"Collège", "ODD", "2026"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetFacilitators(ctx, w.ID, []string{"u2", "u1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Back to version 5: the two columns as they were not.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"ALTER TABLE workshops DROP COLUMN tags", "ALTER TABLE workshops DROP COLUMN facilitators",
		"DROP TABLE restore_underway", "DROP TABLE key_check", "DELETE FROM schema_migrations WHERE version >= 6", "PRAGMA user_version = 5"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s = openTest(t, dir)
	got, err := s.WorkshopByCode(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Tags, []string{"Collège", "ODD", "2026"}) || !slices.Equal(got.Facilitators, []string{"u2", "u1"}) {
		t.Errorf("after migration: tags %q facilitators %q", got.Tags, got.Facilitators)
	}
	// The filters still read the tables.
	if l, err := s.Workshops(ctx, surveys.WorkshopFilter{Tag: "college"}); err != nil || len(l) != 1 {
		t.Errorf("tag filter after migration: %d workshops, %v", len(l), err)
	}
	if l, err := s.Workshops(ctx, surveys.WorkshopFilter{OwnerID: "u1"}); err != nil || len(l) != 1 {
		t.Errorf("facilitator filter after migration: %d workshops, %v", len(l), err)
	}
}

// The pseudonym key's check is kept (surveys.KeyChecker), across a
// reopen, and replaced only from the check the caller read.
func TestKeyCheck(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	if got, err := s.KeyCheck(ctx); err != nil || got != "" {
		t.Fatalf("KeyCheck of a new store = %q, %v; want none", got, err)
	}
	if err := s.SetKeyCheck(ctx, "", "0123456789abcdef"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetKeyCheck(ctx, "", "fedcba9876543210"); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("a second first check = %v, want ECONFLICT", err)
	}
	s.Close()
	s = openTest(t, dir)
	if got, err := s.KeyCheck(ctx); err != nil || got != "0123456789abcdef" {
		t.Errorf("KeyCheck after reopen = %q, %v", got, err)
	}
	if err := s.SetKeyCheck(ctx, "0123456789abcdef", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.KeyCheck(ctx); got != "" {
		t.Errorf("KeyCheck after removing it = %q", got)
	}
}

// A dump taken beside a running restore would be partial: the snapshot
// refuses a store whose restore has not finished.
func TestSnapshotRefusesAStoreBeingRestored(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	if err := s.MarkRestore(ctx, true); err != nil {
		t.Fatal(err)
	}
	sn, err := OpenSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	none := func(surveys.Record) error { return nil }
	if err := sn.Export(ctx, none); !errors.Is(err, surveys.ErrRestoreInterrupted) {
		t.Errorf("a snapshot's Export during a restore = %v, want ErrRestoreInterrupted", err)
	}
	if err := s.MarkRestore(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := sn.Export(ctx, none); err != nil {
		t.Errorf("a snapshot's Export after the restore: %v", err)
	}
}
