package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"declic/surveys"
)

// maxBatch bounds the writes one transaction takes, so that one commit
// never holds the callers of the next ones for long.
const maxBatch = 512

// writer runs every write of the store on its single connection. Writes
// sent while a commit is under way queue up and go into the next
// transaction together, so that concurrent answers share one fsync (group
// commit). Each caller is answered only after its transaction committed.
//
// All writes, not only answers, go through it: SQLite has one writer at a
// time anyway, and a single goroutine owning the connection never waits on
// SQLITE_BUSY nor sees another writer's half-done transaction.
type writer struct {
	db  *sql.DB
	now func() time.Time
	// committed is called after every commit.
	committed func()
	queue     chan *job
	done      chan struct{}

	mu     sync.RWMutex // held for reading while sending on queue
	closed bool

	// prepared are the statements batches ran, kept prepared on the
	// connection between batches; toPrepare the ones met in the last
	// batch, prepared once it committed (the batch held the connection).
	// Only the writer's goroutine touches them.
	prepared  map[string]*sql.Stmt
	toPrepare []string
}

// maxPrepared bounds the statements kept prepared: writes use constant
// queries, so this is a guard rather than a limit met in practice.
const maxPrepared = 64

// job is one write. run executes inside the batch transaction; an atomic
// job runs within a savepoint, so that its failure undoes only itself.
// Single-statement jobs skip it: SQLite undoes a failed statement alone.
type job struct {
	ctx    context.Context
	atomic bool
	run    func(*txn) error
	err    error
	done   chan struct{}
}

// txn is a batch transaction as jobs see it.
type txn struct {
	tx    *sql.Tx
	w     *writer
	now   time.Time
	stmts map[string]*sql.Stmt
	// bump lists the workshops whose version grows once this batch commits.
	bump map[string]bool
}

func startWriter(db *sql.DB, now func() time.Time, committed func()) *writer {
	w := &writer{db: db, now: now, committed: committed, queue: make(chan *job, maxBatch), done: make(chan struct{}), prepared: map[string]*sql.Stmt{}}
	go w.loop()
	return w
}

// errClosed answers writes sent after Close: the store is going away, so
// the request may be sent again (to the next process).
var errClosed = &surveys.Error{Code: surveys.EUNAVAILABLE, Message: "Le stockage s'arrête : réessayez dans un instant."}

// do runs fn in the next batch and returns once that batch committed (or
// failed). An error fn returns is the caller's; a failed commit is
// everyone's in the batch.
func (w *writer) do(ctx context.Context, atomic bool, fn func(*txn) error) error {
	j := &job{ctx: ctx, atomic: atomic, run: fn, done: make(chan struct{})}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return errClosed
	}
	select {
	case w.queue <- j:
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case <-j.done:
		return j.err
	case <-ctx.Done():
		// The write may still commit; a retry of an answer is idempotent.
		return ctx.Err()
	}
}

// close lets the queued writes commit, then stops the writer.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}

func (w *writer) loop() {
	defer close(w.done)
	defer func() {
		for _, st := range w.prepared {
			st.Close()
		}
	}()
	batch := make([]*job, 0, maxBatch)
	for j := range w.queue {
		batch = append(batch[:0], j)
	drain:
		for len(batch) < maxBatch {
			select {
			case j, ok := <-w.queue:
				if !ok {
					break drain
				}
				batch = append(batch, j)
			default:
				break drain
			}
		}
		w.commit(batch)
		clear(batch)
		w.prepareNew()
	}
}

// commit runs a batch in one transaction. A job's own error (a conflict,
// a missing record) leaves the others to commit; an error that says the
// database cannot write (disk full, I/O, read-only) rolls the whole batch
// back and is every job's answer, so nothing is half-written.
func (w *writer) commit(batch []*job) {
	// fail answers every job that has no error of its own yet.
	fail := func(err error) {
		for _, j := range batch {
			if j.err == nil {
				j.err = err
			}
		}
	}
	defer func() {
		for _, j := range batch {
			close(j.done)
		}
	}()
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		fail(mapErr("begin", err))
		return
	}
	t := &txn{tx: tx, w: w, now: w.now(), stmts: map[string]*sql.Stmt{}, bump: map[string]bool{}}
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.err = err // the caller has gone: do not write for it
			continue
		}
		if j.atomic {
			if _, err := tx.Exec("SAVEPOINT job"); err != nil {
				w.abort(tx)
				fail(mapErr("savepoint", err))
				return
			}
		}
		err := j.run(t)
		if err != nil && unavailable(err) {
			w.abort(tx)
			fail(mapErr("write", err))
			return
		}
		if j.atomic {
			undo := ""
			if err != nil {
				undo = "ROLLBACK TO job; "
			}
			if _, err := tx.Exec(undo + "RELEASE job"); err != nil {
				w.abort(tx)
				fail(mapErr("release savepoint", err))
				return
			}
		}
		j.err = err
	}
	for id := range t.bump {
		if _, err := t.exec("UPDATE workshops SET version = version + 1 WHERE id = ?", id); err != nil {
			w.abort(tx)
			fail(mapErr("bump workshop version", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		w.abort(tx)
		fail(mapErr("commit", err))
		return
	}
	w.committed()
}

// abort rolls back a failed batch; after a failed COMMIT SQLite may have
// left the transaction open, so ROLLBACK is also sent on the connection.
func (w *writer) abort(tx *sql.Tx) {
	tx.Rollback()
	w.db.Exec("ROLLBACK")
}

// prepareNew prepares on the connection the statements the last batch
// met for the first time, so that the next batches skip parsing them.
func (w *writer) prepareNew() {
	for _, q := range w.toPrepare {
		if _, ok := w.prepared[q]; ok || len(w.prepared) >= maxPrepared {
			continue
		}
		if st, err := w.db.Prepare(q); err == nil {
			w.prepared[q] = st
		}
	}
	w.toPrepare = w.toPrepare[:0]
}

// stmt returns query prepared for the batch. A statement the writer ran
// before is still prepared on its connection: the driver parses SQL
// slowly, and every batch of answers runs the same few statements.
func (t *txn) stmt(query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if p, ok := t.w.prepared[query]; ok {
		st = t.tx.Stmt(p) // the same connection: no new parse
	} else {
		var err error
		if st, err = t.tx.Prepare(query); err != nil {
			return nil, err
		}
		t.w.toPrepare = append(t.w.toPrepare, query)
	}
	t.stmts[query] = st
	return st, nil
}

func (t *txn) exec(query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.Exec(args...)
}

func (t *txn) queryRow(query string, args ...any) *sql.Row {
	st, err := t.stmt(query)
	if err != nil {
		return t.tx.QueryRow(query, args...) // carries the same error
	}
	return st.QueryRow(args...)
}

// affected returns how many rows a write changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}
