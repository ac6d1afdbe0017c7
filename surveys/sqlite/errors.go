package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"declic/surveys"
)

// code is the SQLite result code (extended) behind err, or 0.
func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// unavailable tells whether err says the database cannot take a write now
// rather than that this write is wrong: a full disk, an I/O error, a
// read-only or vanished file. The same write may succeed later.
func unavailable(err error) bool {
	switch code(err) & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_PROTOCOL:
		return true
	}
	return false
}

// isUnique tells whether err is a unique or primary key violation, on
// the given table.column when one is named.
func isUnique(err error, column string) bool {
	c := code(err)
	if c != sqlite3.SQLITE_CONSTRAINT_UNIQUE && c != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
		return false
	}
	return column == "" || strings.Contains(err.Error(), column)
}

func isForeignKey(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY }

// errUnavailable is what users are told when the disk cannot take a write.
var errUnavailable = &surveys.Error{Code: surveys.EUNAVAILABLE,
	Message: "Le stockage ne peut pas enregistrer pour l'instant (disque plein ou en panne) : rien n'a été enregistré, réessayez plus tard."}

// mapErr wraps a driver error for logs, keeping domain errors as they are
// and marking the ones that make the store unavailable.
func mapErr(what string, err error) error {
	var de *surveys.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case unavailable(err):
		return fmt.Errorf("sqlite: %s: %w: %w", what, errUnavailable, err)
	case code(err) == codeCheck:
		// A value the schema refuses (an unknown phase or role): the
		// caller's input, not the store, is wrong.
		return fmt.Errorf("sqlite: %s: %w: %w", what, surveys.Errorf(surveys.EINVALID, "Valeur refusée."), err)
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

func notFound(what string) error { return surveys.Errorf(surveys.ENOTFOUND, "%s introuvable.", what) }

const codeCheck = sqlite3.SQLITE_CONSTRAINT_CHECK
