package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"declic/surveys"
)

// Indicators, the organisation's settings and the quotes chosen for
// reports: what a funding report adds to the answers.

const indicatorSelect = "SELECT definition FROM indicators"

func scanIndicator(src rowScanner) (*surveys.Indicator, error) {
	var def []byte
	if err := src.Scan(&def); err != nil {
		return nil, err
	}
	var ind surveys.Indicator
	if err := json.Unmarshal(def, &ind); err != nil {
		return nil, err
	}
	return &ind, nil
}

func insertIndicator(t *txn, ind *surveys.Indicator) error {
	def, err := json.Marshal(ind)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO indicators (id, name_key, created_at, updated_at, definition) VALUES (?, ?, ?, ?, ?)",
		ind.ID, surveys.MatchKey(ind.Name), formatTime(ind.CreatedAt), formatTime(ind.UpdatedAt), string(def))
	if isUnique(err, "") {
		return surveys.Errorf(surveys.ECONFLICT, "Un indicateur existe déjà avec cet identifiant.")
	}
	return err
}

// CreateIndicator stores ind under a new ID.
func (s *Store) CreateIndicator(ctx context.Context, ind *surveys.Indicator) error {
	ind.ID = surveys.NewID()
	ind.CreatedAt = s.now().UTC()
	ind.UpdatedAt = ind.CreatedAt
	err := s.w.do(ctx, false, func(t *txn) error { return insertIndicator(t, ind) })
	return mapErr("insert indicator", err)
}

// Indicator returns one indicator.
func (s *Store) Indicator(ctx context.Context, id string) (*surveys.Indicator, error) {
	return queryOne(ctx, s, "read indicator", "Indicateur", scanIndicator, indicatorSelect+" WHERE id = ?", id)
}

// Indicators lists every indicator by name.
func (s *Store) Indicators(ctx context.Context) ([]*surveys.Indicator, error) {
	return queryAll(ctx, s, "list indicators", scanIndicator, indicatorSelect+" ORDER BY name_key, id")
}

// UpdateIndicator replaces an indicator's definition, keeping its owner
// and creation time.
func (s *Store) UpdateIndicator(ctx context.Context, ind *surveys.Indicator) error {
	err := s.w.do(ctx, true, func(t *txn) error {
		old, err := scanIndicator(t.queryRow(indicatorSelect+" WHERE id = ?", ind.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Indicateur")
		}
		if err != nil {
			return err
		}
		ind.OwnerID, ind.CreatedAt, ind.UpdatedAt = old.OwnerID, old.CreatedAt, t.now.UTC()
		def, err := json.Marshal(ind)
		if err != nil {
			return err
		}
		_, err = t.exec("UPDATE indicators SET name_key = ?, updated_at = ?, definition = ? WHERE id = ?",
			surveys.MatchKey(ind.Name), formatTime(ind.UpdatedAt), string(def), ind.ID)
		return err
	})
	return mapErr("update indicator", err)
}

// DeleteIndicator deletes one indicator.
func (s *Store) DeleteIndicator(ctx context.Context, id string) error {
	return s.deleteOne(ctx, "delete indicator", "Indicateur", "DELETE FROM indicators WHERE id = ?", id)
}

const settingsSelect = "SELECT organisation_name, logo, logo_type, updated_at, updated_by FROM settings WHERE id = 1"

func scanSettings(src rowScanner) (*surveys.Settings, error) {
	var st surveys.Settings
	var updated string
	if err := src.Scan(&st.OrganisationName, &st.Logo, &st.LogoType, &updated, &st.UpdatedBy); err != nil {
		return nil, err
	}
	st.UpdatedAt = parseTime(updated)
	return &st, nil
}

// Settings returns the saved settings, or empty ones.
func (s *Store) Settings(ctx context.Context) (*surveys.Settings, error) {
	q, err := s.queryRow(ctx, settingsSelect)
	if err != nil {
		return nil, mapErr("read settings", err)
	}
	st, err := scanSettings(q)
	if errors.Is(err, sql.ErrNoRows) {
		return &surveys.Settings{}, nil
	}
	return st, mapErr("read settings", err)
}

func upsertSettings(t *txn, st *surveys.Settings) error {
	var logo any
	if len(st.Logo) > 0 {
		logo = st.Logo
	}
	_, err := t.exec(`INSERT INTO settings (id, organisation_name, logo, logo_type, updated_at, updated_by) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET organisation_name = excluded.organisation_name, logo = excluded.logo,
		logo_type = excluded.logo_type, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		st.OrganisationName, logo, st.LogoType, formatTime(st.UpdatedAt), st.UpdatedBy)
	return err
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(ctx context.Context, st *surveys.Settings) error {
	err := s.w.do(ctx, false, func(t *txn) error {
		st.UpdatedAt = t.now.UTC()
		return upsertSettings(t, st)
	})
	return mapErr("save settings", err)
}

// SelectQuotes replaces the chosen quotes of the workshops.
func (s *Store) SelectQuotes(ctx context.Context, workshopIDs []string, quotes []surveys.Quote) error {
	in := map[string]bool{}
	for _, id := range workshopIDs {
		in[id] = true
	}
	for _, q := range quotes {
		if !in[q.WorkshopID] {
			return surveys.Errorf(surveys.EINVALID, "Citation d'un atelier hors du rapport.")
		}
	}
	err := s.w.do(ctx, true, func(t *txn) error {
		for _, id := range workshopIDs {
			if _, err := t.exec("DELETE FROM quotes WHERE workshop_id = ?", id); err != nil {
				return err
			}
		}
		for _, q := range quotes {
			err := insertQuote(t, q)
			if isForeignKey(err) {
				return notFound("Atelier")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr("select quotes", err)
}

func insertQuote(t *txn, q surveys.Quote) error {
	_, err := t.exec("INSERT INTO quotes (workshop_id, response_id, item_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		q.WorkshopID, q.ResponseID, q.ItemKey)
	return err
}

// Quotes lists the chosen quotes of the workshops.
func (s *Store) Quotes(ctx context.Context, workshopIDs []string) ([]surveys.Quote, error) {
	out := []surveys.Quote{}
	if len(workshopIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(workshopIDs))
	for i, id := range workshopIDs {
		args[i] = id
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT workshop_id, response_id, item_key FROM quotes WHERE workshop_id IN (?"+
		strings.Repeat(", ?", len(args)-1)+") ORDER BY workshop_id, response_id, item_key", args...)
	if err != nil {
		return nil, mapErr("list quotes", err)
	}
	return scanAll(rows, "list quotes", func(r rowScanner) (surveys.Quote, error) {
		var q surveys.Quote
		err := r.Scan(&q.WorkshopID, &q.ResponseID, &q.ItemKey)
		return q, err
	})
}
