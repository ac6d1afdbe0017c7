// Package ferret starts a FerretDB server (MongoDB's wire protocol on
// SQLite files) in this process: for tests of the mongodb store, and for
// reading the data folders of earlier Déclic versions. It is never part of
// the declic binary.
package ferret

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Launch starts a FerretDB server on SQLite files in dir, on a loopback
// port, and returns its URI and the function that stops it. Starting it
// again on the same dir finds the same data.
func Launch(dir string) (uri string, stop func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(full)",
		// FerretDB dumps whole wire messages on errors: keep it quiet.
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return "", nil, fmt.Errorf("start FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	return f.MongoDBURI(), func() { cancel(); <-done }, nil
}
