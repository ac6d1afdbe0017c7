package mongodb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb"
	"declic/surveys/mongodb/mongotest"
	"declic/surveys/storetest"
)

// TestConformance runs the suite every store passes, on a FerretDB this
// test starts (MongoDB's wire protocol on SQLite files), or on a real
// MongoDB when TEST_MONGODB_URI is set; each subtest gets a new database.
func TestConformance(t *testing.T) {
	srv := mongotest.Start(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) surveys.Store {
		return mongotest.Open(t, srv, now)
	})
}

// A database whose restore did not finish is refused by Open, as the
// embedded store's folder is (surveys.RestoreMarker).
func TestInterruptedRestoreRefusedAtOpen(t *testing.T) {
	srv := mongotest.Start(t)
	ctx := context.Background()
	db := mongotest.Database()
	s, err := mongodb.Open(ctx, mongodb.Config{URI: srv.URI, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.Drop(ctx)
		s.Close(ctx)
	}()
	if err := s.MarkRestore(ctx, true); err != nil {
		t.Fatal(err)
	}
	if other, err := mongodb.Open(ctx, mongodb.Config{URI: srv.URI, Database: db}); !errors.Is(err, surveys.ErrRestoreInterrupted) {
		if other != nil {
			other.Close(ctx)
		}
		t.Fatalf("Open during a restore = %v, want ErrRestoreInterrupted", err)
	}
	if st, err := s.Settings(ctx); err != nil || st.OrganisationName != "" {
		t.Errorf("the restore mark is read as the organisation's settings: %+v, %v", st, err)
	}
	if err := s.MarkRestore(ctx, false); err != nil {
		t.Fatal(err)
	}
	other, err := mongodb.Open(ctx, mongodb.Config{URI: srv.URI, Database: db})
	if err != nil {
		t.Fatalf("Open after the restore finished: %v", err)
	}
	other.Close(ctx)
}

// The pseudonym key's check is kept apart from the organisation's
// settings (surveys.KeyChecker).
func TestKeyCheck(t *testing.T) {
	s := mongotest.Open(t, mongotest.Start(t), nil)
	ctx := context.Background()
	if got, err := s.KeyCheck(ctx); err != nil || got != "" {
		t.Fatalf("KeyCheck of a new store = %q, %v; want none", got, err)
	}
	if err := s.SaveSettings(ctx, &surveys.Settings{OrganisationName: "Solidarités Lille"}); err != nil {
		t.Fatal(err)
	}
	old := ""
	for _, check := range []string{"0123456789abcdef", "fedcba9876543210"} {
		if err := s.SetKeyCheck(ctx, old, check); err != nil {
			t.Fatal(err)
		}
		if got, err := s.KeyCheck(ctx); err != nil || got != check {
			t.Errorf("KeyCheck = %q, %v; want %q", got, err, check)
		}
		if err := s.SetKeyCheck(ctx, old, "aaaaaaaaaaaaaaaa"); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("SetKeyCheck from a stale check = %v, want ECONFLICT", err)
		}
		old = check
	}
	// Only the organisation's settings are dumped, never the check.
	var settings int
	if err := s.Export(ctx, func(r surveys.Record) error {
		if r.Settings != nil {
			settings++
		}
		return nil
	}); err != nil || settings != 1 {
		t.Errorf("the dump holds %d settings records (%v), want 1", settings, err)
	}
	if st, err := s.Settings(ctx); err != nil || st.OrganisationName != "Solidarités Lille" {
		t.Errorf("settings after the key check: %+v, %v", st, err)
	}
}
