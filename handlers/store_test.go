package handlers_test

import (
	"context"
	"testing"

	"declic/surveys/sqlite"
)

// mustOpenStore is a real store in memory: the embedded SQLite store, which
// passes the same conformance suite as every store.
func mustOpenStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Memory: true})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
