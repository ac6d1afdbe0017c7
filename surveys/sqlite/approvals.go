package sqlite

import (
	"context"

	"declic/surveys"
)

// SetTextApproval records whether a free-text answer may be shown on the
// live page, and bumps the workshop's version in the same transaction.
func (s *Store) SetTextApproval(ctx context.Context, a surveys.TextApproval) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		_, err := t.exec(`INSERT INTO text_approvals (workshop_id, response_id, item_key, shown) VALUES (?, ?, ?, ?)
			ON CONFLICT (workshop_id, response_id, item_key) DO UPDATE SET shown = excluded.shown`,
			a.WorkshopID, a.ResponseID, a.ItemKey, a.Shown)
		if isForeignKey(err) {
			return notFound("Réponse")
		}
		if err != nil {
			return err
		}
		t.bump[a.WorkshopID] = true
		return nil
	})
	return mapErr("set text approval", err)
}

// TextApprovals lists a workshop's decisions.
func (s *Store) TextApprovals(ctx context.Context, workshopID string) ([]surveys.TextApproval, error) {
	return queryAll(ctx, s, "list text approvals", func(r rowScanner) (surveys.TextApproval, error) {
		a := surveys.TextApproval{WorkshopID: workshopID}
		err := r.Scan(&a.ResponseID, &a.ItemKey, &a.Shown)
		return a, err
	}, `SELECT response_id, item_key, shown FROM text_approvals WHERE workshop_id = ? ORDER BY response_id, item_key`, workshopID)
}
