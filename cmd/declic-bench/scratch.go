package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the driver of the embedded store

	"declic/surveys"
	"declic/surveys/sqlite"
)

// scratch is the baseline (a): a database made by the embedded store in a
// temporary folder (so its responses table, indexes and foreign key are
// the real ones), then written to without the store: one durable
// transaction per row, on the store's own file settings.
type scratch struct {
	dir        string
	db         *sql.DB
	workshopID string
	answers    []byte // a real encoded answers blob
}

// rawInsert is one row of responses, as the store writes it.
const rawInsert = `INSERT INTO responses (workshop_id, id, submission_id, phase, participant, code_parts, device, source, day, flags, excluded, answers)
VALUES (?, ?, ?, 'pre', ?, ?, NULL, '', '2026-03-10', NULL, 0, ?)`

// openScratch lets the store create the schema and one workshop, stores one
// answer of the bench's shape through it to get a real answers blob, then
// reopens the file with the store's pragmas and nothing else.
func openScratch(ctx context.Context) (*scratch, error) {
	dir, err := os.MkdirTemp("", "declic-bench-scratch-")
	if err != nil {
		return nil, err
	}
	sc := &scratch{dir: dir}
	if err := sc.seed(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// The pragmas of sqlite.Open's writer: WAL, synchronous=FULL (an fsync
	// of the WAL at every commit), BEGIN IMMEDIATE.
	q := url.Values{"_pragma": {"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)"}, "_txlock": {"immediate"}}
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.Join(dir, sqlite.FileName), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// One connection, which the workers share through database/sql's pool:
	// SQLite writes one transaction at a time anyway, and several
	// connections would only add SQLITE_BUSY waits.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	sc.db = db
	return sc, nil
}

func (sc *scratch) seed(ctx context.Context) error {
	st, err := sqlite.Open(ctx, sqlite.Config{Dir: sc.dir})
	if err != nil {
		return err
	}
	defer st.Close()
	q := &surveys.Questionnaire{ID: "bench", Title: surveys.NewText("declic-bench"), Language: "fr"}
	if err := st.EnsureQuestionnaire(ctx, q); err != nil {
		return err
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "declic-bench", Date: "2026-03-10", Tags: []string{}}
	if err := st.CreateWorkshop(ctx, w); err != nil {
		return err
	}
	sc.workshopID = w.ID
	r := &surveys.Response{SubmissionID: "sample", WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: randHex(32), Answers: storeAnswers()}
	if _, err := st.AddResponse(ctx, r); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", filepath.Join(sc.dir, sqlite.FileName))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT answers FROM responses WHERE submission_id = 'sample'").Scan(&sc.answers); err != nil {
		return fmt.Errorf("read the sample answer: %w", err)
	}
	if len(sc.answers) == 0 {
		return errors.New("the sample answer has no answers blob")
	}
	return nil
}

// insert writes one response row in a transaction of its own.
func (sc *scratch) insert(ctx context.Context) error {
	sub := randHex(16)
	parts := randHex(8) + "," + randHex(8) + "," + randHex(8) + "," + randHex(8)
	_, err := sc.db.ExecContext(ctx, rawInsert, sc.workshopID, surveys.ResponseID(sub), sub, randHex(32), parts, sc.answers)
	return err
}

func (sc *scratch) close() {
	sc.db.Close()
	os.RemoveAll(sc.dir)
}
