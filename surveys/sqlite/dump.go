package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"declic/surveys"
)

// Export calls fn on every record, from one read transaction: the dump is
// one consistent snapshot even while pupils keep answering.
func (s *Store) Export(ctx context.Context, fn func(surveys.Record) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapErr("export", err)
	}
	defer tx.Rollback()
	if s.snapshot {
		// Beside another process, which may be a restore: checked in the
		// transaction the records are read in, so they are whole.
		var started string
		switch err := tx.QueryRowContext(ctx, "SELECT started_at FROM restore_underway").Scan(&started); {
		case err == nil:
			return fmt.Errorf("sqlite: %s (restore started %s): %w; dump it once the restore has finished", s.path, started, surveys.ErrRestoreInterrupted)
		case !errors.Is(err, sql.ErrNoRows):
			return mapErr("export", err)
		}
	}
	each := func(query string, scan func(*sql.Rows) (surveys.Record, error)) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return mapErr("export", err)
		}
		defer rows.Close()
		for rows.Next() {
			rec, err := scan(rows)
			if err != nil {
				return mapErr("export", err)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		return mapErr("export", rows.Err())
	}
	sc := newScanner()
	steps := []struct {
		query string
		scan  func(*sql.Rows) (surveys.Record, error)
	}{
		{userSelect + " ORDER BY created_at, rowid", func(r *sql.Rows) (surveys.Record, error) {
			u, err := scanUser(r)
			return surveys.Record{User: u}, err
		}},
		{tokenSelect + " ORDER BY rowid", func(r *sql.Rows) (surveys.Record, error) {
			t, err := scanToken(r)
			return surveys.Record{Token: t}, err
		}},
		{questionnaireSelect + " ORDER BY rowid", func(r *sql.Rows) (surveys.Record, error) {
			q, err := scanQuestionnaire(r)
			return surveys.Record{Questionnaire: q}, err
		}},
		{workshopSelect + " ORDER BY w.rowid", func(r *sql.Rows) (surveys.Record, error) {
			w, err := scanWorkshop(r)
			return surveys.Record{Workshop: w}, err
		}},
		{responseRead + " ORDER BY workshop_id, id", func(r *sql.Rows) (surveys.Record, error) {
			resp := &surveys.Response{} // fn may keep it
			err := sc.scan(r, resp)
			return surveys.Record{Response: resp}, err
		}},
		{exclusionSelect + " ORDER BY rowid", func(r *sql.Rows) (surveys.Record, error) {
			e, err := scanExclusion(r)
			return surveys.Record{Exclusion: e}, err

		}},
		{indicatorSelect + " ORDER BY rowid", func(r *sql.Rows) (surveys.Record, error) {
			ind, err := scanIndicator(r)
			return surveys.Record{Indicator: ind}, err
		}},
		{settingsSelect, func(r *sql.Rows) (surveys.Record, error) {
			st, err := scanSettings(r)
			return surveys.Record{Settings: st}, err
		}},
		{"SELECT workshop_id, response_id, item_key FROM quotes ORDER BY workshop_id, response_id, item_key", func(r *sql.Rows) (surveys.Record, error) {
			var q surveys.Quote
			err := r.Scan(&q.WorkshopID, &q.ResponseID, &q.ItemKey)
			return surveys.Record{Quote: &q}, err
		}},
	}
	for _, st := range steps {
		if err := each(st.query, st.scan); err != nil {
			return err
		}
	}
	return nil
}

// Import stores records as they are, IDs, hashes, days and versions kept,
// in one transaction: all of them or none.
func (s *Store) Import(ctx context.Context, recs []surveys.Record) error {
	// Encode in the caller's goroutine; the writer only writes.
	steps := make([]func(*txn) error, 0, len(recs))
	for i, rec := range recs {
		switch {
		case rec.User != nil:
			u := rec.User
			steps = append(steps, func(t *txn) error { return insertUser(t, u) })
		case rec.Token != nil:
			tok := rec.Token
			steps = append(steps, func(t *txn) error { return insertToken(t, tok) })
		case rec.Questionnaire != nil:
			q := rec.Questionnaire
			def, err := json.Marshal(q)
			if err != nil {
				return wrap("import questionnaire", err)
			}
			query := insertQuestionnaire
			if q.Builtin {
				// A first start of the empty store seeded the library,
				// which Empty leaves aside: keep it, as MongoDB's Import
				// does.
				query += " ON CONFLICT (id) DO NOTHING"
			}
			steps = append(steps, func(t *txn) error {
				_, err := t.exec(query, q.ID, q.Title.String(), surveys.MatchKey(q.Title.String()), q.Builtin,
					q.OwnerID, formatTime(q.CreatedAt), string(def))
				if isUnique(err, "") {
					return surveys.Errorf(surveys.ECONFLICT, "Le questionnaire %s existe déjà.", q.ID)
				}
				return err
			})
		case rec.Workshop != nil:
			w := *rec.Workshop
			if w.Tags == nil {
				w.Tags = []string{}
			}
			steps = append(steps, func(t *txn) error {
				err := insertWorkshop(t, &w)
				if isUnique(err, "workshops.code") {
					return surveys.Errorf(surveys.ECONFLICT, "Le code d'atelier %s est déjà pris.", w.Code)
				}
				return err
			})
		case rec.Response != nil:
			w, err := toRow(rec.Response)
			if err != nil {
				return err
			}
			steps = append(steps, func(t *txn) error {
				err := w.insert(t)
				if isUnique(err, "") {
					return surveys.Errorf(surveys.ECONFLICT, "La réponse %s existe déjà.", w.r.ID)
				}
				return err
			})
		case rec.Exclusion != nil:
			e := exclusionRow{rec.Exclusion}
			steps = append(steps, func(t *txn) error {
				_, err := t.exec(insertExclusion, e.args()...)
				if isForeignKey(err) {
					return surveys.Errorf(surveys.EINVALID, "L'exclusion de la réponse %s ne correspond à aucune réponse.", e.ResponseID)
				}
				return err
			})
		case rec.Indicator != nil:
			ind := rec.Indicator
			steps = append(steps, func(t *txn) error { return insertIndicator(t, ind) })
		case rec.Settings != nil:
			st := rec.Settings
			steps = append(steps, func(t *txn) error { return upsertSettings(t, st) })
		case rec.Quote != nil:
			q := *rec.Quote
			steps = append(steps, func(t *txn) error { return insertQuote(t, q) })
		default:
			return surveys.Errorf(surveys.EINVALID, "Enregistrement %d vide.", i+1)
		}
	}
	err := s.w.do(ctx, true, func(t *txn) error {
		for i, step := range steps {
			if err := step(t); err != nil {
				if unavailable(err) {
					return err
				}
				return fmt.Errorf("record %d: %w", i+1, err)
			}
		}
		return nil
	})
	return mapErr("import", err)
}

// Empty tells whether the store holds no user, workshop, response or
// questionnaire other than the built-in ones.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	n, err := s.count(ctx, `SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM workshops)
		OR EXISTS (SELECT 1 FROM responses) OR EXISTS (SELECT 1 FROM questionnaires WHERE builtin = 0)`)
	return n == 0, err
}

// MarkRestore sets or clears the mark of a restore under way
// (surveys.RestoreMarker).
func (s *Store) MarkRestore(ctx context.Context, underway bool) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		if !underway {
			_, err := t.exec("DELETE FROM restore_underway")
			return err
		}
		_, err := t.exec("INSERT OR REPLACE INTO restore_underway (id, started_at) VALUES (1, ?)", formatTime(t.now))
		return err
	})
	return mapErr("mark restore", err)
}

// KeyCheck is the stored check of the pseudonym key (surveys.KeyChecker).
func (s *Store) KeyCheck(ctx context.Context) (string, error) {
	q, err := s.queryRow(ctx, "SELECT check_value FROM key_check")
	if err != nil {
		return "", mapErr("read key check", err)
	}
	var check string
	if err := q.Scan(&check); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", mapErr("read key check", err)
	}
	return check, nil
}

// SetKeyCheck replaces the check of the pseudonym key old by check.
func (s *Store) SetKeyCheck(ctx context.Context, old, check string) error {
	err := s.w.do(ctx, true, func(t *txn) error {
		var stored string
		if err := t.queryRow("SELECT check_value FROM key_check").Scan(&stored); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if stored != old {
			return surveys.Errorf(surveys.ECONFLICT, "La clé des pseudonymes vient d'être enregistrée par un autre processus.")
		}
		if check == "" {
			_, err := t.exec("DELETE FROM key_check")
			return err
		}
		_, err := t.exec("INSERT OR REPLACE INTO key_check (id, check_value) VALUES (1, ?)", check)
		return err
	})
	return mapErr("save key check", err)
}
