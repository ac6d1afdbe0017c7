package export_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/sqlite"
)

// failingImport is a store whose writes fail after the restore began, as
// a kill -9 or a full disk would cut it.
type failingImport struct {
	*sqlite.Store
}

func (failingImport) Import(context.Context, []surveys.Record) error {
	return errors.New("disque plein")
}

// A restore cut short leaves a store that refuses to open, saying why and
// what to do, instead of serving part of a backup as a whole store (the
// acceptance sweep killed a restore and started on 11,991 of 39,183
// answers without a word).
func TestInterruptedRestoreRefusedAtOpen(t *testing.T) {
	ctx := context.Background()
	src := memoryStore(t)
	if err := src.CreateUser(ctx, &surveys.User{Email: "a@example.org", Role: surveys.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	if err := export.WriteDump(ctx, &dump, src, time.Now(), "test"); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	dst, err := sqlite.Open(ctx, sqlite.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := export.Restore(ctx, bytes.NewReader(dump.Bytes()), failingImport{dst}); err == nil {
		t.Fatal("restore with failing writes succeeded")
	}
	dst.Close()
	if _, err := sqlite.Open(ctx, sqlite.Config{Dir: dir}); !errors.Is(err, surveys.ErrRestoreInterrupted) {
		t.Fatalf("Open after an interrupted restore = %v, want ErrRestoreInterrupted", err)
	}

	// A restore that finishes clears its mark.
	dir = t.TempDir()
	dst, err = sqlite.Open(ctx, sqlite.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := export.Restore(ctx, bytes.NewReader(dump.Bytes()), dst); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	again, err := sqlite.Open(ctx, sqlite.Config{Dir: dir})
	if err != nil {
		t.Fatalf("Open after a whole restore: %v", err)
	}
	again.Close()
}

// brokenReader fails as reading a folder does.
type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) { return 0, errors.New("is a directory") }

// An input that cannot be read is the operator's to fix, said in words;
// the spool's own write errors are not blamed on it.
func TestRestoreOfAnUnreadableInput(t *testing.T) {
	_, err := export.Restore(context.Background(), brokenReader{}, memoryStore(t))
	if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(surveys.ErrorMessage(err), "n'a pas pu être lue (is a directory)") {
		t.Errorf("restore of an unreadable input = %v", err)
	}
}
