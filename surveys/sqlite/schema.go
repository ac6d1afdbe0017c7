package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// applicationID marks a Déclic database ("DCLC"), so that Open recognises
// another program's SQLite file instead of writing into it.
const applicationID = 0x44434C43

// migrations are applied in order, each once; the database's user_version
// is the number applied. Never edit one that has shipped: append another.
var migrations = []string{
	1: `
CREATE TABLE schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
	id                   TEXT PRIMARY KEY,
	email                TEXT NOT NULL UNIQUE,
	role                 TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'facilitator')),
	password_hash        TEXT NOT NULL,
	disabled             INTEGER NOT NULL CHECK (disabled IN (0, 1)),
	must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
	created_at           TEXT NOT NULL
) STRICT;

CREATE TABLE tokens (
	id           TEXT PRIMARY KEY,
	hash         TEXT NOT NULL UNIQUE,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	created_on   TEXT NOT NULL,
	last_used_on TEXT NOT NULL DEFAULT '',
	expires_on   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- A definition never changes once stored: kept as its JSON, with the
-- columns that lists sort and filter on.
CREATE TABLE questionnaires (
	id         TEXT PRIMARY KEY,
	title      TEXT NOT NULL,
	title_key  TEXT NOT NULL,
	builtin    INTEGER NOT NULL CHECK (builtin IN (0, 1)),
	owner_id   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	definition TEXT NOT NULL CHECK (json_valid(definition))
) STRICT;
CREATE INDEX questionnaires_list ON questionnaires (builtin DESC, title_key, id);

-- owner_id and facilitators name users without a foreign key, as a
-- MongoDB store would keep them: an account is disabled, never deleted.
CREATE TABLE workshops (
	id               TEXT PRIMARY KEY,
	code             TEXT NOT NULL UNIQUE,
	questionnaire_id TEXT NOT NULL REFERENCES questionnaires (id),
	title            TEXT NOT NULL,
	date             TEXT NOT NULL,
	partner          TEXT NOT NULL,
	partner_key      TEXT NOT NULL,
	group_name       TEXT NOT NULL,
	place            TEXT NOT NULL,
	attendance       INTEGER NOT NULL CHECK (attendance >= 0),
	phase            TEXT NOT NULL CHECK (phase IN ('closed', 'pre', 'post')),
	owner_id         TEXT NOT NULL,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	version          INTEGER NOT NULL
) STRICT;
CREATE INDEX workshops_date ON workshops (date, created_at);
CREATE INDEX workshops_partner ON workshops (partner_key, date);
CREATE INDEX workshops_questionnaire ON workshops (questionnaire_id, date);
CREATE INDEX workshops_owner ON workshops (owner_id, date);

CREATE TABLE workshop_tags (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	tag         TEXT NOT NULL,
	tag_key     TEXT NOT NULL,
	PRIMARY KEY (workshop_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX workshop_tags_key ON workshop_tags (tag_key);

CREATE TABLE workshop_facilitators (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	user_id     TEXT NOT NULL,
	PRIMARY KEY (workshop_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX workshop_facilitators_user ON workshop_facilitators (user_id);

-- Clustered by workshop then ID: a workshop's answers are one range of
-- the table, read in the order EachResponse promises. answers holds every
-- answer in the encoding of codec.go; code_parts is the four element
-- hashes joined by commas, flags the quality flags joined by commas.
CREATE TABLE responses (
	workshop_id   TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	id            TEXT NOT NULL,
	submission_id TEXT NOT NULL UNIQUE,
	phase         TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
	participant   TEXT NOT NULL,
	code_parts    TEXT,
	device        TEXT,
	source        TEXT NOT NULL,
	day           TEXT NOT NULL,
	flags         TEXT,
	excluded      INTEGER NOT NULL CHECK (excluded IN (0, 1)),
	answers       BLOB NOT NULL,
	PRIMARY KEY (workshop_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX responses_day ON responses (day);
`,
	2: `
-- The audit trail of exclusions: who excluded or restored a response,
-- when and why. It goes with its response (purge, workshop deleted).
CREATE TABLE exclusions (
	workshop_id TEXT NOT NULL,
	response_id TEXT NOT NULL,
	excluded    INTEGER NOT NULL CHECK (excluded IN (0, 1)),
	reason      TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	at          TEXT NOT NULL,
	FOREIGN KEY (workshop_id, response_id) REFERENCES responses (workshop_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX exclusions_response ON exclusions (workshop_id, response_id);
`,
	// A questionnaire a workshop has used never changes again (versions):
	// used is set with the workshop, in the same transaction, for good.
	3: `
ALTER TABLE questionnaires ADD COLUMN used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1));
UPDATE questionnaires SET used = 1 WHERE id IN (SELECT questionnaire_id FROM workshops);
`,
	// Logframe indicators, the organisation's settings and the quotes chosen
	// for reports.
	4: `
-- Logframe indicators: the definition as its JSON, with the column the
-- list sorts on.
CREATE TABLE indicators (
	id         TEXT PRIMARY KEY,
	name_key   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	definition TEXT NOT NULL CHECK (json_valid(definition))
) STRICT;
CREATE INDEX indicators_list ON indicators (name_key, id);

-- The organisation's settings: one row.
CREATE TABLE settings (
	id                INTEGER PRIMARY KEY CHECK (id = 1),
	organisation_name TEXT NOT NULL,
	logo              BLOB,
	logo_type         TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	updated_by        TEXT NOT NULL
) STRICT;

-- Pupils' words chosen for reports: references only, the words stay in
-- the response.
CREATE TABLE quotes (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	response_id TEXT NOT NULL,
	item_key    TEXT NOT NULL,
	PRIMARY KEY (workshop_id, response_id, item_key)
) STRICT, WITHOUT ROWID;
`,
	// What a facilitator lets the live projector page show.
	5: `
-- A facilitator's decision on each free-text answer the live projector
-- page may show; it goes with its response (and so with its workshop).
CREATE TABLE text_approvals (
	workshop_id TEXT NOT NULL,
	response_id TEXT NOT NULL,
	item_key    TEXT NOT NULL,
	shown       INTEGER NOT NULL CHECK (shown IN (0, 1)),
	PRIMARY KEY (workshop_id, response_id, item_key),
	FOREIGN KEY (workshop_id, response_id) REFERENCES responses (workshop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
`,
	// A workshop read in one row: every answer reads its workshop by code,
	// and the two subqueries that gathered its tags and facilitators were a
	// third of that read (BenchmarkWorkshopByCode). The tables stay, for
	// the filters by tag and by facilitator; each write sets both in the
	// same transaction.
	6: `
ALTER TABLE workshops ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workshops ADD COLUMN facilitators TEXT NOT NULL DEFAULT '[]';
UPDATE workshops SET
	tags = (SELECT json_group_array(tag ORDER BY position) FROM workshop_tags WHERE workshop_id = workshops.id),
	facilitators = (SELECT json_group_array(user_id ORDER BY position) FROM workshop_facilitators WHERE workshop_id = workshops.id);
`,
	// A restore under way (surveys.RestoreMarker): one row while it runs.
	7: `
CREATE TABLE restore_underway (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	started_at TEXT NOT NULL
) STRICT;
`,
	// The check of the pseudonym key the answers were made with
	// (surveys.KeyChecker).
	8: `
CREATE TABLE key_check (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	check_value TEXT NOT NULL
) STRICT;
`,
}

// migrate checks that the file is Déclic's (or new) and applies the
// missing migrations in one transaction.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	var appID, version, objects int64
	err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	}
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects)
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s cannot be read as a database (damaged?): %w", path, err)
	}
	latest := int64(len(migrations) - 1)
	switch {
	case appID != applicationID && (objects > 0 || appID != 0):
		return fmt.Errorf("sqlite: %s is not a Déclic database (another program's SQLite file, application_id %#x): move it away", path, appID)
	case version > latest:
		return fmt.Errorf("sqlite: %s was written by a newer Déclic (schema version %d, this one knows %d): upgrade Déclic", path, version, latest)
	case version == latest:
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	defer tx.Rollback()
	// Read again inside the transaction, which holds the write lock.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	for v := version + 1; v <= latest; v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("sqlite: migrate %s to version %d: %w", path, v, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", v, formatTime(time.Now())); err != nil {
			return fmt.Errorf("sqlite: migrate %s to version %d: %w", path, v, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			return fmt.Errorf("sqlite: migrate %s to version %d: %w", path, v, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	return nil
}
