package sqlite_test

import (
	"context"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/sqlite"
	"declic/surveys/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("Folder", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, now func() time.Time) surveys.Store {
			return mustOpen(t, sqlite.Config{Dir: t.TempDir(), Now: now})
		})
	})
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, now func() time.Time) surveys.Store {
			return mustOpen(t, sqlite.Config{Memory: true, Now: now})
		})
	})
}

// mustOpen opens a store that closes when the test ends.
func mustOpen(t testing.TB, cfg sqlite.Config) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
