// Package mongotest opens a fresh store for a test: an embedded FerretDB in
// a temporary folder, or, when TEST_MONGODB_URI is set, a new database on
// that MongoDB, dropped when the test ends.
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"declic/surveys/mongodb"
)

// Config returns the store configuration a test should use.
func Config(t testing.TB) mongodb.Config {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	return mongodb.Config{
		URI:      os.Getenv("TEST_MONGODB_URI"),
		DataDir:  t.TempDir(),
		Database: "declic_test_" + hex.EncodeToString(b),
	}
}

// Open returns a fresh, empty store closed (and dropped) at the end of t.
func Open(t testing.TB) *mongodb.Store {
	t.Helper()
	cfg := Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := mongodb.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if cfg.URI != "" {
			s.Drop(ctx)
		}
		s.Close(ctx)
	})
	return s
}
