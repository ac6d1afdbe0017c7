package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"declic/surveys"
)

const userSelect = "SELECT id, email, role, password_hash, disabled, must_change_password, created_at FROM users"

func scanUser(src rowScanner) (*surveys.User, error) {
	var u surveys.User
	var role, created string
	if err := src.Scan(&u.ID, &u.Email, &role, &u.PasswordHash, &u.Disabled, &u.MustChangePassword, &created); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt = surveys.Role(role), parseTime(created)
	return &u, nil
}

var errEmailTaken = &surveys.Error{Code: surveys.ECONFLICT, Message: "Un compte existe déjà avec cette adresse.",
	Fields: map[string]string{"email": "déjà utilisée"}}

// CreateUser stores u under a new ID; an e-mail already used is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *surveys.User) error {
	u.ID = surveys.NewID()
	u.CreatedAt = s.now().UTC()
	err := s.w.do(ctx, false, func(t *txn) error { return insertUser(t, u) })
	return mapErr("insert user", err)
}

func insertUser(t *txn, u *surveys.User) error {
	_, err := t.exec(`INSERT INTO users (id, email, role, password_hash, disabled, must_change_password, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, string(u.Role), u.PasswordHash, u.Disabled, u.MustChangePassword, formatTime(u.CreatedAt))
	switch {
	case isUnique(err, "users.email"):
		return errEmailTaken
	case isUnique(err, ""):
		return surveys.Errorf(surveys.ECONFLICT, "Un compte existe déjà avec cet identifiant.")
	case code(err) == codeCheck:
		return &surveys.Error{Code: surveys.EINVALID, Message: "Rôle inconnu.", Fields: map[string]string{"role": "admin, manager ou facilitator"}}
	}
	return err
}

// User returns one user by ID.
func (s *Store) User(ctx context.Context, id string) (*surveys.User, error) {
	return s.readUser(ctx, userSelect+" WHERE id = ?", id)
}

// UserByEmail returns the user who logs in with email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*surveys.User, error) {
	return s.readUser(ctx, userSelect+" WHERE email = ?", email)
}

func (s *Store) readUser(ctx context.Context, query, arg string) (*surveys.User, error) {
	return queryOne(ctx, s, "read user", "Compte", scanUser, query, arg)
}

// CountUsers counts accounts, to know whether to create the first admin.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	return s.count(ctx, "SELECT count(*) FROM users")
}

// CountActiveAdmins counts admins who can still log in.
func (s *Store) CountActiveAdmins(ctx context.Context) (int64, error) {
	return s.count(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")
}

func (s *Store) count(ctx context.Context, query string, args ...any) (int64, error) {
	q, err := s.queryRow(ctx, query, args...)
	if err != nil {
		return 0, mapErr("count", err)
	}
	var n int64
	if err := q.Scan(&n); err != nil {
		return 0, mapErr("count", err)
	}
	return n, nil
}

// Users lists every account, oldest first.
func (s *Store) Users(ctx context.Context) ([]*surveys.User, error) {
	return queryAll(ctx, s, "list users", scanUser, userSelect+" ORDER BY created_at, rowid")
}

// UpdateUser applies the non-nil fields of up and returns the user as
// committed.
func (s *Store) UpdateUser(ctx context.Context, id string, up surveys.UserUpdate) (*surveys.User, error) {
	var set []string
	var args []any
	if up.Role != nil {
		set, args = append(set, "role = ?"), append(args, string(*up.Role))
	}
	if up.Disabled != nil {
		set, args = append(set, "disabled = ?"), append(args, *up.Disabled)
	}
	if up.PasswordHash != nil {
		set, args = append(set, "password_hash = ?"), append(args, *up.PasswordHash)
	}
	if up.MustChangePassword != nil {
		set, args = append(set, "must_change_password = ?"), append(args, *up.MustChangePassword)
	}
	if len(set) == 0 {
		return s.User(ctx, id)
	}
	var u *surveys.User
	err := s.w.do(ctx, false, func(t *txn) error {
		n, err := affected(t.exec("UPDATE users SET "+strings.Join(set, ", ")+" WHERE id = ?", append(args, id)...))
		switch {
		case code(err) == codeCheck:
			return &surveys.Error{Code: surveys.EINVALID, Message: "Rôle inconnu.", Fields: map[string]string{"role": "admin, manager ou facilitator"}}
		case err != nil:
			return err
		case n == 0:
			return notFound("Compte")
		}
		u, err = scanUser(t.queryRow(userSelect+" WHERE id = ?", id))
		return err
	})
	if err != nil {
		return nil, mapErr("update user", err)
	}
	return u, nil
}

// CreateSession stores a login, and forgets the expired ones so that the
// table does not grow with every login: one indexed delete.
func (s *Store) CreateSession(ctx context.Context, sess *surveys.Session) error {
	err := s.w.do(ctx, true, func(t *txn) error {
		if _, err := t.exec("DELETE FROM sessions WHERE expires_at <= ?", formatTime(t.now)); err != nil {
			return err
		}
		_, err := t.exec("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			sess.ID, sess.UserID, formatTime(sess.CreatedAt), formatTime(sess.ExpiresAt))
		switch {
		case isUnique(err, ""):
			return surveys.Errorf(surveys.ECONFLICT, "Cette session existe déjà.")
		case isForeignKey(err):
			return notFound("Compte")
		}
		return err
	})
	return mapErr("insert session", err)
}

// Session returns an unexpired login; an expired one is ENOTFOUND.
func (s *Store) Session(ctx context.Context, id string) (*surveys.Session, error) {
	return queryOne(ctx, s, "read session", "Session", func(r rowScanner) (*surveys.Session, error) {
		var sess surveys.Session
		var created, expires string
		if err := r.Scan(&sess.ID, &sess.UserID, &created, &expires); err != nil {
			return nil, err
		}
		sess.CreatedAt, sess.ExpiresAt = parseTime(created), parseTime(expires)
		return &sess, nil
	}, "SELECT id, user_id, created_at, expires_at FROM sessions WHERE id = ? AND expires_at > ?", id, formatTime(s.now()))
}

// DeleteSession ends a login; ending one that is gone is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		_, err := t.exec("DELETE FROM sessions WHERE id = ?", id)
		return err
	})
	return mapErr("delete session", err)
}

// DeleteSessionsOf ends every login of a user but except (may be empty).
func (s *Store) DeleteSessionsOf(ctx context.Context, userID, except string) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		_, err := t.exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, except)
		return err
	})
	return mapErr("delete sessions", err)
}

const tokenSelect = "SELECT id, hash, user_id, name, created_on, last_used_on, expires_on FROM tokens"

func scanToken(src rowScanner) (*surveys.Token, error) {
	var t surveys.Token
	if err := src.Scan(&t.ID, &t.Hash, &t.UserID, &t.Name, &t.CreatedOn, &t.LastUsedOn, &t.ExpiresOn); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateToken stores t under a new ID, at most surveys.MaxTokens per user.
func (s *Store) CreateToken(ctx context.Context, tok *surveys.Token) error {
	tok.ID = surveys.NewID()
	tok.CreatedOn = s.today()
	err := s.w.do(ctx, false, func(t *txn) error {
		var n int
		if err := t.queryRow("SELECT count(*) FROM tokens WHERE user_id = ?", tok.UserID).Scan(&n); err != nil {
			return err
		}
		if n >= surveys.MaxTokens {
			return surveys.Errorf(surveys.ECONFLICT, "Vous avez déjà %d jetons : révoquez-en un avant d'en créer un autre.", surveys.MaxTokens)
		}
		return insertToken(t, tok)
	})
	return mapErr("insert token", err)
}

func insertToken(t *txn, tok *surveys.Token) error {
	_, err := t.exec(`INSERT INTO tokens (id, hash, user_id, name, created_on, last_used_on, expires_on) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tok.ID, tok.Hash, tok.UserID, tok.Name, tok.CreatedOn, tok.LastUsedOn, tok.ExpiresOn)
	switch {
	case isUnique(err, ""):
		return surveys.Errorf(surveys.ECONFLICT, "Ce jeton existe déjà.")
	case isForeignKey(err):
		return notFound("Compte")
	}
	return err
}

// TokenByHash finds the token whose secret hashes to hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*surveys.Token, error) {
	return queryOne(ctx, s, "read token", "Jeton", scanToken, tokenSelect+" WHERE hash = ?", hash)
}

// Tokens lists a user's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID string) ([]*surveys.Token, error) {
	return queryAll(ctx, s, "list tokens", scanToken, tokenSelect+" WHERE user_id = ? ORDER BY created_on DESC, rowid DESC", userID)
}

// DeleteToken revokes one of userID's tokens; another user's is ENOTFOUND.
func (s *Store) DeleteToken(ctx context.Context, userID, id string) error {
	return s.deleteOne(ctx, "delete token", "Jeton", "DELETE FROM tokens WHERE id = ? AND user_id = ?", id, userID)
}

// DeleteTokensOf revokes every token of a user.
func (s *Store) DeleteTokensOf(ctx context.Context, userID string) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		_, err := t.exec("DELETE FROM tokens WHERE user_id = ?", userID)
		return err
	})
	return mapErr("delete tokens", err)
}

// TouchToken records the day a token was last used. A token already
// marked for that day is left alone: no page is written, no fsync made.
func (s *Store) TouchToken(ctx context.Context, id, day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return surveys.Errorf(surveys.EINVALID, "Jour invalide.")
	}
	err := s.w.do(ctx, false, func(t *txn) error {
		var last string
		err := t.queryRow("SELECT last_used_on FROM tokens WHERE id = ?", id).Scan(&last)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return notFound("Jeton")
		case err != nil || last == day:
			return err
		}
		_, err = t.exec("UPDATE tokens SET last_used_on = ? WHERE id = ?", day, id)
		return err
	})
	return mapErr("touch token", err)
}
