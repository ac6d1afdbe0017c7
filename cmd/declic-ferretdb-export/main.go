// Command declic-ferretdb-export reads a data folder written by the
// embedded store of earlier Déclic versions (FerretDB 1.24 on SQLite,
// DECLIC_DATA/db/*.sqlite) and writes it as a Déclic dump, for
// `declic restore` into the current store:
//
//	go run ./cmd/declic-ferretdb-export -data ./data > old.jsonl
//	DECLIC_DATA=./data-new declic restore < old.jsonl
//
// It is a command of its own so that FerretDB, which it starts on the old
// files, is never part of the declic binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys/export"
	"declic/surveys/mongodb/ferret"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "declic-ferretdb-export:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("declic-ferretdb-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", os.Getenv("DECLIC_DATA"), "the old data folder (holding db/*.sqlite)")
	database := fs.String("db", "declic", "the database name (DECLIC_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("-data is required: the folder that holds db/declic.sqlite")
	}
	dir, err := filepath.Abs(filepath.Join(*data, "db"))
	if err != nil {
		return err
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.sqlite")); len(m) == 0 {
		return fmt.Errorf("%s holds no *.sqlite file of the old embedded store", dir)
	}
	uri, stop, err := startFerretDB(dir)
	if err != nil {
		return err
	}
	defer stop()
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second))
	if err != nil {
		return err
	}
	defer client.Disconnect(context.Background())
	old := &oldStore{db: client.Database(*database)}
	if err := export.WriteDump(ctx, stdout, old, time.Now(), "declic-ferretdb-export"); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "declic-ferretdb-export: %d users, %d tokens, %d questionnaires, %d workshops, %d answers written\n",
		old.n.users, old.n.tokens, old.n.questionnaires, old.n.workshops, old.n.responses)
	return nil
}

// startFerretDB serves the old files on a loopback port; nothing is
// written to them.
func startFerretDB(dir string) (uri string, stop func(), err error) {
	uri, stop, err = ferret.Launch(dir)
	if err != nil {
		return "", nil, fmt.Errorf("open the old store: %w", err)
	}
	return uri, stop, nil
}
