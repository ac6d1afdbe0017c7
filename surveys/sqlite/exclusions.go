package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"declic/surveys"
)

const insertExclusion = `INSERT INTO exclusions (workshop_id, response_id, excluded, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?)`

// exclusionRow is a record of the audit trail as the exclusions table
// holds it; the table's rowid keeps the order.
type exclusionRow struct{ *surveys.Exclusion }

func (e exclusionRow) args() []any {
	return []any{e.WorkshopID, e.ResponseID, e.Excluded, e.Reason, e.UserID, formatTime(e.At)}
}

// SetExcluded changes a response's exclusion, records it and bumps the
// workshop's version in one transaction; see surveys.ResponseStore.
func (s *Store) SetExcluded(ctx context.Context, e *surveys.Exclusion) (bool, error) {
	if err := e.Validate(); err != nil {
		return false, err
	}
	var changed bool
	err := s.w.do(ctx, true, func(t *txn) error {
		n, err := affected(t.exec("UPDATE responses SET excluded = ? WHERE workshop_id = ? AND id = ? AND excluded != ?",
			e.Excluded, e.WorkshopID, e.ResponseID, e.Excluded))
		if err != nil {
			return err
		}
		if n == 0 {
			var one int
			err := t.queryRow("SELECT 1 FROM responses WHERE workshop_id = ? AND id = ?", e.WorkshopID, e.ResponseID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("Réponse")
			}
			return err
		}
		e.At = t.now.UTC()
		if _, err := t.exec(insertExclusion, exclusionRow{e}.args()...); err != nil {
			return err
		}
		t.bump[e.WorkshopID] = true
		changed = true
		return nil
	})
	if err != nil {
		return false, mapErr("set excluded", err)
	}
	return changed, nil
}

const exclusionSelect = `SELECT workshop_id, response_id, excluded, reason, user_id, at FROM exclusions`

func scanExclusion(src rowScanner) (*surveys.Exclusion, error) {
	var e surveys.Exclusion
	var at string
	if err := src.Scan(&e.WorkshopID, &e.ResponseID, &e.Excluded, &e.Reason, &e.UserID, &at); err != nil {
		return nil, err
	}
	e.At = parseTime(at)
	return &e, nil
}

// Exclusions lists a workshop's audit trail, oldest first.
func (s *Store) Exclusions(ctx context.Context, workshopID string) ([]*surveys.Exclusion, error) {
	return queryAll(ctx, s, "read exclusions", scanExclusion, exclusionSelect+" WHERE workshop_id = ? ORDER BY rowid", workshopID)
}
