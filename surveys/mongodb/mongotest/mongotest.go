// Package mongotest gives tests a MongoDB to run the mongodb store
// against: TEST_MONGODB_URI when set (a real MongoDB, a new database per
// test, dropped at the end), otherwise a FerretDB server on SQLite started
// in this process, which speaks MongoDB's wire protocol. MongoDB's own
// server cannot be installed on the development machines; FerretDB is a
// test-only dependency and never part of the declic binary.
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"declic/surveys/mongodb"
	"declic/surveys/mongodb/ferret"
)

// Server is a MongoDB wire-protocol server for one test.
type Server struct {
	// URI is where it listens: another process (a second declic) may use it.
	URI string
}

// Start returns TEST_MONGODB_URI, or starts a FerretDB for the test and
// stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if uri := os.Getenv("TEST_MONGODB_URI"); uri != "" {
		return &Server{URI: uri}
	}
	uri, stop, err := ferret.Launch(filepath.Join(t.TempDir(), "ferretdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &Server{URI: uri}
}

// Launch starts a FerretDB server on files in dir; see ferret.Launch.
// Starting it again on the same dir finds the same data: tests use that
// to stop and restart "the database server".
func Launch(dir string) (uri string, stop func(), err error) { return ferret.Launch(dir) }

// Database is a fresh database name.
func Database() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "declic_test_" + hex.EncodeToString(b)
}

// Open returns a fresh, empty store on srv, dropped and closed at the end
// of t. now, when not nil, is its clock.
func Open(t testing.TB, srv *Server, now func() time.Time) *mongodb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := mongodb.Open(ctx, mongodb.Config{URI: srv.URI, Database: Database(), Now: now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s.Drop(ctx)
		s.Close(ctx)
	})
	return s
}

// Drop deletes a test database on uri when the test ends: for tests that
// hand the database to a process of their own.
func Drop(t testing.TB, uri, database string) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := mongodb.Open(ctx, mongodb.Config{URI: uri, Database: database})
		if err != nil {
			t.Logf("drop %s: %v", database, err)
			return
		}
		s.Drop(ctx)
		s.Close(ctx)
	})
}
