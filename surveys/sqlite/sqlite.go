// Package sqlite keeps Déclic's data in one SQLite file (plus its WAL),
// through the pure-Go modernc.org/sqlite driver: the embedded store.
//
// Every write goes through one writer goroutine that groups concurrent
// writes into one transaction and one fsync (see writer.go); reads use a
// separate pool of connections, which WAL lets run beside the writer.
package sqlite

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	msqlite "modernc.org/sqlite" // registers the "sqlite" driver

	"declic/surveys"
)

var _ surveys.Store = (*Store)(nil)

// FileName is the database's name inside the data folder.
const FileName = "declic.db"

// lockName is the file a running store holds a lock on.
const lockName = "declic.lock"

// ErrOldFerretDBFolder is returned by Open on a folder the previous
// embedded store (FerretDB on SQLite, files db/*.sqlite) wrote.
var ErrOldFerretDBFolder = errors.New("this folder holds data of the previous embedded store (FerretDB, db/*.sqlite), which this version no longer reads; " +
	"keep the folder, turn it into a dump with `go run ./cmd/declic-ferretdb-export -data <this folder> > old.jsonl`, " +
	"then load it into a new, empty folder with `DECLIC_DATA=<new folder> declic restore < old.jsonl`")

// ErrFolderInUse is returned by Open when another store (in this process
// or another) has the folder open.
var ErrFolderInUse = errors.New("the data folder is already used by another running Déclic")

// Config says where the store lives.
type Config struct {
	// Dir is the data folder, created if missing.
	Dir string
	// Memory keeps the data in memory instead, for tests: it is lost on
	// Close. Readers there may see a batch before it commits (see
	// openMemory); Dir must be empty.
	Memory bool
	// Now is the store's clock; nil is time.Now.
	Now func() time.Time
	// Readers bounds the read connections; 0 picks a default.
	Readers int
	// MaxPages caps the database at that many pages (PRAGMA
	// max_page_count), for tests that stand for a full disk: writes that
	// need more fail as SQLITE_FULL does. 0 leaves SQLite's limit.
	MaxPages int
}

// Store is a surveys.Store on one SQLite database.
type Store struct {
	now    func() time.Time
	path   string  // the database file; "" in memory
	wdb    *sql.DB // the writer's single connection
	rdb    *sql.DB // read connections
	w      *writer
	ckpt   *checkpointer // nil in memory
	unlock func() error
	memory bool
	// snapshot: read beside another process (OpenSnapshot); Export then
	// checks that no restore is under way, in its own transaction.
	snapshot bool

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared read statements, on rdb

	questionnaires questionnaireCache

	closeOnce sync.Once
	closeErr  error
}

// Open opens (or creates) the store in cfg.Dir, applying the migrations it
// lacks. A second Open of the same folder fails at once with ErrFolderInUse.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	switch {
	case cfg.Memory && cfg.Dir != "":
		return nil, errors.New("sqlite: a store is kept either in a folder or in memory, not both")
	case cfg.Memory:
		return openMemory(ctx, cfg)
	case cfg.Dir == "":
		// Never fall back to memory: answers would be lost on restart.
		return nil, errors.New("sqlite: no data folder given")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("sqlite: data folder %s: %w", cfg.Dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: data folder %s: %w", dir, err)
	}
	unlock, err := lockFolder(filepath.Join(dir, lockName))
	if err != nil {
		if errors.Is(err, ErrFolderInUse) {
			return nil, fmt.Errorf("sqlite: %s: %w", dir, err)
		}
		return nil, fmt.Errorf("sqlite: lock data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if err := checkFolder(dir, path); err != nil {
		unlock()
		return nil, err
	}
	// WAL lets readers run beside the writer; synchronous=FULL fsyncs the
	// WAL on every commit, so an acknowledged write survives a power cut.
	// The sync is fdatasync, as C SQLite's on Linux: just as durable (the
	// file's data and size), without flushing its timestamps through the
	// file system's journal at every commit. The switch is process-wide.
	msqlite.Fdatasync(true)
	pragmas := url.Values{"_pragma": {
		"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)",
	}}
	u := url.URL{Scheme: "file", OmitHost: true, Path: path}
	wq := url.Values{"_pragma": append(pragmas["_pragma"][:4:4], fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages)), "_txlock": {"immediate"}}
	if cfg.MaxPages > 0 {
		wq["_pragma"] = append(wq["_pragma"], fmt.Sprintf("max_page_count(%d)", cfg.MaxPages))
	}
	// Reads go without mmap. At the start of every read transaction that
	// follows a write, SQLite unmaps a connection's whole mapping: once per
	// answer on the answering path, while answers are written (munmap was a
	// sixth of WorkshopByCode's CPU under load). And a pooled report's scan
	// would map the whole responses table into this process (77 MB of
	// resident memory at 100,000 responses), for a tenth less time.
	rq := url.Values{"_pragma": append(pragmas["_pragma"][:2:2], "query_only(1)")}
	cq := url.Values{"_pragma": {"busy_timeout(10000)", "synchronous(FULL)"}}
	s, err := newStore(ctx, cfg, wq, rq, cq, u)
	if err != nil {
		unlock()
		return nil, err
	}
	s.path, s.unlock = path, unlock
	return s, nil
}

// OpenMemory opens an empty store kept in memory, for tests.
func OpenMemory(ctx context.Context) (*Store, error) { return Open(ctx, Config{Memory: true}) }

func openMemory(ctx context.Context, cfg Config) (*Store, error) {
	name := make([]byte, 8)
	rand.Read(name)
	// A shared cache lets the writer and the readers see one database.
	// Readers in read_uncommitted mode take no table locks, which would
	// otherwise fail them with SQLITE_LOCKED while a batch is open: they
	// may see a batch before it commits, which tests can live with.
	u := url.URL{Scheme: "file", OmitHost: true, Path: "declic-" + hex.EncodeToString(name)}
	base := []string{"busy_timeout(10000)", "foreign_keys(1)"}
	wq := url.Values{"mode": {"memory"}, "cache": {"shared"}, "_pragma": base, "_txlock": {"immediate"}}
	rq := url.Values{"mode": {"memory"}, "cache": {"shared"}, "_pragma": append(base, "read_uncommitted(1)", "query_only(1)")}
	s, err := newStore(ctx, cfg, wq, rq, nil, u)
	if err != nil {
		return nil, err
	}
	s.memory = true
	return s, nil
}

// newStore opens the writer's and the readers' connections, and the
// checkpointer's when cq is not nil (a database in memory has no WAL).
func newStore(ctx context.Context, cfg Config, wq, rq, cq url.Values, u url.URL) (*Store, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{now: now, stmts: map[string]*sql.Stmt{}}
	wu, ru := u, u
	wu.RawQuery, ru.RawQuery = wq.Encode(), rq.Encode()
	wdb, err := sql.Open("sqlite", wu.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", u.Path, err)
	}
	// One connection, kept for the store's life: the writer's statements
	// stay prepared on it, and an in-memory database lives as long as it.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	s.wdb = wdb
	if err := migrate(ctx, wdb, u.Path); err != nil {
		wdb.Close()
		return nil, err
	}
	var started string
	switch err := wdb.QueryRowContext(ctx, "SELECT started_at FROM restore_underway").Scan(&started); {
	case err == nil:
		wdb.Close()
		return nil, fmt.Errorf("sqlite: %s (restore started %s): %w; move declic.db, declic.db-wal and declic.db-shm away (or empty the folder), then run declic restore again",
			u.Path, started, surveys.ErrRestoreInterrupted)
	case !errors.Is(err, sql.ErrNoRows):
		wdb.Close()
		return nil, fmt.Errorf("sqlite: read %s: %w", u.Path, err)
	}
	rdb, err := sql.Open("sqlite", ru.String())
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", u.Path, err)
	}
	n := cfg.Readers
	if n <= 0 {
		n = max(4, 2*runtime.GOMAXPROCS(0))
	}
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	s.rdb = rdb
	committed := func() {}
	if cq != nil {
		cu := u
		cu.RawQuery = cq.Encode()
		cdb, err := sql.Open("sqlite", cu.String())
		if err != nil {
			rdb.Close()
			wdb.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", u.Path, err)
		}
		s.ckpt = startCheckpointer(cdb)
		committed = s.ckpt.poke
	}
	s.w = startWriter(wdb, s.now, committed)
	return s, nil
}

// checkFolder refuses a folder of the previous embedded store and a
// database file that is not an SQLite file.
func checkFolder(dir, path string) error {
	_, err := os.Stat(path)
	exists := err == nil
	if !exists {
		old, _ := filepath.Glob(filepath.Join(dir, "db", "*.sqlite"))
		if len(old) > 0 {
			return fmt.Errorf("sqlite: %s: %w", dir, ErrOldFerretDBFolder)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF) {
		return nil // an empty file: SQLite makes it a database
	}
	if err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return fmt.Errorf("sqlite: %s is not an SQLite database (damaged, or another program's file): move it away or restore a backup", path)
	}
	return inspect(path)
}

// inspect reads an existing database file through a read-only connection,
// before anything opens it for writing (which would switch another
// program's file to WAL): it must be Déclic's, or empty, and whole.
// PRAGMA quick_check reads every page (BenchmarkOpenPooled: the cost of
// a start on 100,000 responses), so that a file damaged in its middle is
// refused at start rather than answering 500 on the first report that
// reaches the bad page.
func inspect(path string) error {
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "mode=ro"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer db.Close()
	var appID, objects int64
	err = db.QueryRow("PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&objects)
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s cannot be read as a database (damaged?): %w; restore the last dump into an empty folder", path, err)
	}
	if appID != applicationID && (objects > 0 || appID != 0) {
		return fmt.Errorf("sqlite: %s is not a Déclic database (another program's SQLite file, application_id %#x): move it away", path, appID)
	}
	rows, err := db.Query("PRAGMA quick_check(5)")
	if err != nil {
		return fmt.Errorf("sqlite: %s cannot be checked (damaged?): %w; restore the last dump into an empty folder", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: %s cannot be checked (damaged?): %w; restore the last dump into an empty folder", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: %s cannot be checked (damaged?): %w; restore the last dump into an empty folder", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite: %s is damaged (%s): restore the last dump into an empty folder (README, Backup and restore)", path, strings.Join(problems, "; "))
	}
	return nil
}

// Close waits for the writes already sent, then closes the database and
// releases the folder.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.w.close()
		s.stmtMu.Lock()
		for _, st := range s.stmts {
			st.Close()
		}
		s.stmtMu.Unlock()
		errs := []error{s.rdb.Close()}
		if s.ckpt != nil {
			errs = append(errs, s.ckpt.close())
		}
		if !s.memory {
			// A last checkpoint folds the WAL into the database file.
			if _, err := s.wdb.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				errs = append(errs, fmt.Errorf("sqlite: checkpoint: %w", err))
			}
		}
		errs = append(errs, s.wdb.Close())
		if s.unlock != nil {
			errs = append(errs, s.unlock())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// SetMaxPages changes Config.MaxPages of a running store, for tests: a
// disk that fills up, then has room again (0). The cap never goes below
// the database's size: it returns the one in effect.
func (s *Store) SetMaxPages(ctx context.Context, n int) (int, error) {
	if n <= 0 {
		n = math.MaxInt32 // above SQLite's own limit, which then applies
	}
	err := s.wdb.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", n)).Scan(&n)
	return n, mapErr("set max_page_count", err)
}

// Path is the database file, or "" for an in-memory store.
func (s *Store) Path() string { return s.path }

// Ping answers once the store can read and write: it reads through a read
// connection and runs an empty write through the writer.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return mapErr("ping", err)
	}
	return s.w.do(ctx, false, func(*txn) error { return nil })
}

// stmt returns a read statement prepared once on the read pool.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.rdb.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

// deleteOne runs a DELETE that must remove something: nothing removed is
// ENOTFOUND, "<thing> introuvable.".
func (s *Store) deleteOne(ctx context.Context, what, thing, query string, args ...any) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		n, err := affected(t.exec(query, args...))
		if err == nil && n == 0 {
			return notFound(thing)
		}
		return err
	})
	return mapErr(what, err)
}

// queryOne runs a prepared read of one row and scans it; no row is
// ENOTFOUND, "<thing> introuvable.".
func queryOne[T any](ctx context.Context, s *Store, what, thing string, scan func(rowScanner) (T, error), query string, args ...any) (T, error) {
	var none T
	q, err := s.queryRow(ctx, query, args...)
	if err != nil {
		return none, mapErr(what, err)
	}
	v, err := scan(q)
	if errors.Is(err, sql.ErrNoRows) {
		return none, notFound(thing)
	}
	if err != nil {
		return none, mapErr(what, err)
	}
	return v, nil
}

// query runs a prepared read.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// rowScanner is a row to scan: *sql.Row or *sql.Rows.
type rowScanner = interface{ Scan(...any) error }

// queryAll runs a prepared read and scans every row it returns.
func queryAll[T any](ctx context.Context, s *Store, what string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(what, err)
	}
	return scanAll(rows, what, scan)
}

// scanAll scans every row of rows, then closes them.
func scanAll[T any](rows *sql.Rows, what string, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(what, err)
	}
	return out, nil
}

// queryRow runs a prepared read returning one row.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// timeFormat has a fixed width, so stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Store) today() string { return surveys.Day(s.now()).Format(time.DateOnly) }

// Snapshot reads a store's folder while another process (the running
// declic) holds it: a read-only connection, which WAL lets run beside
// that process's writer, and no lock on the folder. It only exports.
type Snapshot struct {
	s *Store
}

// OpenSnapshot opens the database in dir for reading only. The file must
// be Déclic's, whole, and at this version's schema (the running declic
// migrated it at its start).
func OpenSnapshot(ctx context.Context, dir string) (*Snapshot, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: no database in %s: %w", dir, err)
	}
	if err := checkFolder(dir, path); err != nil {
		return nil, err
	}
	q := url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(10000)", "query_only(1)"}}
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	var version int64
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: read %s: %w", path, err)
	}
	if latest := int64(len(migrations) - 1); version != latest {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s is at schema version %d and this declic reads version %d: dump it with the declic that runs on it", path, version, latest)
	}
	return &Snapshot{s: &Store{now: time.Now, path: path, rdb: db, stmts: map[string]*sql.Stmt{}, snapshot: true}}, nil
}

// Export is Store.Export, in one read transaction: a consistent snapshot
// even while the other process writes.
func (sn *Snapshot) Export(ctx context.Context, fn func(surveys.Record) error) error {
	return sn.s.Export(ctx, fn)
}

// Close closes the read connections.
func (sn *Snapshot) Close() error { return sn.s.rdb.Close() }
