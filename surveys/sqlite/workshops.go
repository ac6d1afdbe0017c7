package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"declic/surveys"
)

// workshopSelect reads a workshop with its tags and facilitators, in
// order, in one statement.
const workshopSelect = `SELECT w.id, w.code, w.questionnaire_id, w.title, w.date, w.partner, w.group_name, w.place,
	w.attendance, w.phase, w.owner_id, w.created_at, w.updated_at, w.version, w.tags, w.facilitators
FROM workshops w`

func scanWorkshop(src rowScanner) (*surveys.Workshop, error) {
	var w surveys.Workshop
	var phase, created, updated, tags, facilitators string
	err := src.Scan(&w.ID, &w.Code, &w.QuestionnaireID, &w.Title, &w.Date, &w.Partner, &w.Group, &w.Place,
		&w.Attendance, &phase, &w.OwnerID, &created, &updated, &w.Version, &tags, &facilitators)
	if err != nil {
		return nil, err
	}
	w.Phase = surveys.Phase(phase)
	w.CreatedAt, w.UpdatedAt = parseTime(created), parseTime(updated)
	if err := json.Unmarshal([]byte(tags), &w.Tags); err != nil {
		return nil, err
	}
	if facilitators != "[]" {
		if err := json.Unmarshal([]byte(facilitators), &w.Facilitators); err != nil {
			return nil, err
		}
	}
	return &w, nil
}

// CreateWorkshop stores w with a new ID, a code no other workshop has and
// Version 1.
func (s *Store) CreateWorkshop(ctx context.Context, w *surveys.Workshop) error {
	w.ID = surveys.NewID()
	w.CreatedAt = s.now().UTC()
	w.UpdatedAt = w.CreatedAt
	w.Version = 1
	if w.Phase == "" {
		w.Phase = surveys.PhaseClosed
	}
	if w.Tags == nil {
		w.Tags = []string{}
	}
	err := s.w.do(ctx, true, func(t *txn) error {
		for range 20 {
			w.Code = surveys.NewCode()
			err := insertWorkshop(t, w)
			if !isUnique(err, "workshops.code") {
				return err
			}
		}
		return errors.New("no free workshop code after 20 tries")
	})
	return mapErr("insert workshop", err)
}

// insertWorkshop inserts w as it is, tags and facilitators included.
func insertWorkshop(t *txn, w *surveys.Workshop) error {
	_, err := t.exec(`INSERT INTO workshops (id, code, questionnaire_id, title, date, partner, partner_key, group_name, place,
		attendance, phase, owner_id, created_at, updated_at, version, tags, facilitators) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.Code, w.QuestionnaireID, w.Title, w.Date, w.Partner, surveys.MatchKey(w.Partner), w.Group, w.Place,
		w.Attendance, string(w.Phase), w.OwnerID, formatTime(w.CreatedAt), formatTime(w.UpdatedAt), w.Version,
		jsonList(w.Tags), jsonList(w.Facilitators))
	switch {
	case isForeignKey(err):
		return &surveys.Error{Code: surveys.EINVALID, Message: "Questionnaire inconnu.",
			Fields: map[string]string{"questionnaire_id": "questionnaire introuvable"}}
	case isUnique(err, "workshops.id"):
		return surveys.Errorf(surveys.ECONFLICT, "Un atelier existe déjà avec cet identifiant.")
	case err != nil:
		return err
	}
	if _, err := t.exec("UPDATE questionnaires SET used = 1 WHERE id = ? AND used = 0", w.QuestionnaireID); err != nil {
		return err
	}
	if err := insertTags(t, w.ID, w.Tags); err != nil {
		return err
	}
	return insertFacilitators(t, w.ID, w.Facilitators)
}

// jsonList is a list as the tags and facilitators columns hold it.
func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // strings always encode
	return string(b)
}

// insertTags fills the table the tag filter reads; the workshop's tags
// column is set by the caller, in the same transaction.
func insertTags(t *txn, workshopID string, tags []string) error {
	for i, tag := range tags {
		if _, err := t.exec("INSERT INTO workshop_tags (workshop_id, position, tag, tag_key) VALUES (?, ?, ?, ?)",
			workshopID, i, tag, surveys.MatchKey(tag)); err != nil {
			return err
		}
	}
	return nil
}

// insertFacilitators fills the table the owner filter reads; the
// workshop's facilitators column is set by the caller, in the same
// transaction.
func insertFacilitators(t *txn, workshopID string, userIDs []string) error {
	for i, u := range userIDs {
		if _, err := t.exec("INSERT INTO workshop_facilitators (workshop_id, position, user_id) VALUES (?, ?, ?)",
			workshopID, i, u); err != nil {
			return err
		}
	}
	return nil
}

// Workshop returns one workshop by ID.
func (s *Store) Workshop(ctx context.Context, id string) (*surveys.Workshop, error) {
	return s.readWorkshop(ctx, workshopSelect+" WHERE w.id = ?", id)
}

// WorkshopByCode returns the workshop pupils reach with code, as typed.
func (s *Store) WorkshopByCode(ctx context.Context, code string) (*surveys.Workshop, error) {
	return s.readWorkshop(ctx, workshopSelect+" WHERE w.code = ?", surveys.NormalizeCode(code))
}

func (s *Store) readWorkshop(ctx context.Context, query, arg string) (*surveys.Workshop, error) {
	return queryOne(ctx, s, "read workshop", "Atelier", scanWorkshop, query, arg)
}

// Workshops lists the workshops f selects, latest date first.
func (s *Store) Workshops(ctx context.Context, f surveys.WorkshopFilter) ([]*surveys.Workshop, error) {
	var where []string
	var args []any
	if f.From != "" {
		where, args = append(where, "w.date >= ?"), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, "w.date <= ?"), append(args, f.To)
	}
	if f.Partner != "" {
		where, args = append(where, "w.partner_key = ?"), append(args, surveys.MatchKey(f.Partner))
	}
	if f.QuestionnaireID != "" {
		where, args = append(where, "w.questionnaire_id = ?"), append(args, f.QuestionnaireID)
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM workshop_tags t WHERE t.workshop_id = w.id AND t.tag_key = ?)")
		args = append(args, surveys.MatchKey(f.Tag))
	}
	if f.OwnerID != "" {
		where = append(where, "(w.owner_id = ? OR EXISTS (SELECT 1 FROM workshop_facilitators f WHERE f.workshop_id = w.id AND f.user_id = ?))")
		args = append(args, f.OwnerID, f.OwnerID)
	}
	query := workshopSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY w.date DESC, w.created_at DESC, w.id DESC"
	return queryAll(ctx, s, "list workshops", scanWorkshop, query, args...) // at most 2⁶ query shapes, each prepared once
}

// SetPhase opens or closes a phase and returns the updated workshop.
func (s *Store) SetPhase(ctx context.Context, id string, p surveys.Phase) (*surveys.Workshop, error) {
	if _, err := surveys.ParsePhase(string(p)); err != nil {
		return nil, err
	}
	return s.updateWorkshop(ctx, id, "phase = ?", string(p))
}

// SetAttendance records a workshop's head count.
func (s *Store) SetAttendance(ctx context.Context, id string, n int) (*surveys.Workshop, error) {
	if n < 0 || n > surveys.MaxAttendance {
		return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Nombre de jeunes présents invalide.",
			Fields: map[string]string{"attendance": "entre 0 et 10000"}}
	}
	return s.updateWorkshop(ctx, id, "attendance = ?", n)
}

// SetFacilitators replaces the users added to a workshop.
func (s *Store) SetFacilitators(ctx context.Context, id string, userIDs []string) (*surveys.Workshop, error) {
	var ids []string
	seen := map[string]bool{}
	for _, u := range userIDs {
		if u != "" && !seen[u] {
			seen[u] = true
			ids = append(ids, u)
		}
	}
	return s.changeWorkshop(ctx, id, func(t *txn) error {
		if _, err := t.exec("UPDATE workshops SET facilitators = ? WHERE id = ?", jsonList(ids), id); err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM workshop_facilitators WHERE workshop_id = ?", id); err != nil {
			return err
		}
		return insertFacilitators(t, id, ids)
	})
}

// UpdateWorkshop replaces the fields a facilitator typed.
func (s *Store) UpdateWorkshop(ctx context.Context, id string, f surveys.WorkshopFields) (*surveys.Workshop, error) {
	tags := nonNilTags(f.Tags)
	return s.changeWorkshop(ctx, id, func(t *txn) error {
		if _, err := t.exec("UPDATE workshops SET title = ?, date = ?, partner = ?, partner_key = ?, group_name = ?, place = ?, tags = ? WHERE id = ?",
			f.Title, f.Date, f.Partner, surveys.MatchKey(f.Partner), f.Group, f.Place, jsonList(tags), id); err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM workshop_tags WHERE workshop_id = ?", id); err != nil {
			return err
		}
		return insertTags(t, id, tags)
	})
}

func nonNilTags(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

// updateWorkshop sets one column and returns the workshop as committed.
func (s *Store) updateWorkshop(ctx context.Context, id, set string, value any) (*surveys.Workshop, error) {
	return s.changeWorkshop(ctx, id, func(t *txn) error {
		_, err := t.exec("UPDATE workshops SET "+set+" WHERE id = ?", value, id)
		return err
	})
}

// changeWorkshop runs change, increments the version, stamps updated_at
// and reads the workshop back, all in one transaction.
func (s *Store) changeWorkshop(ctx context.Context, id string, change func(*txn) error) (*surveys.Workshop, error) {
	var w *surveys.Workshop
	err := s.w.do(ctx, true, func(t *txn) error {
		n, err := affected(t.exec("UPDATE workshops SET version = version + 1, updated_at = ? WHERE id = ?", formatTime(t.now), id))
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("Atelier")
		}
		if err := change(t); err != nil {
			return err
		}
		w, err = scanWorkshop(t.queryRow(workshopSelect+" WHERE w.id = ?", id))
		return err
	})
	if err != nil {
		return nil, mapErr("update workshop", err)
	}
	return w, nil
}

// DeleteWorkshop deletes a workshop; its responses, tags and facilitators
// go with it (ON DELETE CASCADE), in the same transaction.
func (s *Store) DeleteWorkshop(ctx context.Context, id string) error {
	return s.deleteOne(ctx, "delete workshop", "Atelier", "DELETE FROM workshops WHERE id = ?", id)
}
