package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"declic/surveys"
)

// CreateQuestionnaireVersion stores q as the next version of of's family.
func (s *Store) CreateQuestionnaireVersion(ctx context.Context, of string, q *surveys.Questionnaire) error {
	q.CreatedAt = s.now().UTC()
	q.Builtin = false
	err := s.w.do(ctx, true, func(t *txn) error {
		var owner string
		var def []byte
		if err := t.queryRow(questionnaireSelect+" WHERE id = ?", of).Scan(&owner, &def); err != nil {
			if isNoRows(err) {
				return notFound("Questionnaire")
			}
			return err
		}
		base, err := decodeQuestionnaire(owner, def)
		if err != nil {
			return err
		}
		family, _ := surveys.FamilyOf(base)
		// A family's versions are family or family-vN: one range of the key.
		rows, err := t.tx.QueryContext(ctx, questionnaireSelect+" WHERE id = ? OR (id >= ? AND id < ?)", family, family+"-v", family+"-w")
		if err != nil {
			return err
		}
		last := 0
		for rows.Next() {
			if err := rows.Scan(&owner, &def); err != nil {
				rows.Close()
				return err
			}
			v, err := decodeQuestionnaire(owner, def)
			if err != nil {
				rows.Close()
				return err
			}
			if f, n := surveys.FamilyOf(v); f == family && surveys.InFamily(v.ID, family) {
				last = max(last, n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		q.Family, q.Version = family, last+1
		q.ID = surveys.VersionID(family, q.Version)
		data, err := json.Marshal(q)
		if err != nil {
			return err
		}
		_, err = t.exec(insertQuestionnaire, q.ID, q.Title.String(), surveys.MatchKey(q.Title.String()), false, q.OwnerID,
			formatTime(q.CreatedAt), string(data))
		if isUnique(err, "") {
			return surveys.Errorf(surveys.ECONFLICT, "Le questionnaire %s existe déjà.", q.ID)
		}
		return err
	})
	return mapErr("insert questionnaire version", err)
}

// UpdateQuestionnaire replaces a definition no workshop has used, or adds
// translations to one.
func (s *Store) UpdateQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	err := s.w.do(ctx, true, func(t *txn) error {
		var owner string
		var def []byte
		var builtin, used bool
		err := t.queryRow("SELECT owner_id, definition, builtin, used FROM questionnaires WHERE id = ?", q.ID).Scan(&owner, &def, &builtin, &used)
		if isNoRows(err) {
			return notFound("Questionnaire")
		}
		if err != nil {
			return err
		}
		prev, err := decodeQuestionnaire(owner, def)
		if err != nil {
			return err
		}
		if (builtin || used) && !surveys.OnlyAddsTranslations(prev, q) {
			return surveys.ErrFrozen(builtin)
		}
		q.Builtin, q.OwnerID, q.CreatedAt, q.Family, q.Version = prev.Builtin, prev.OwnerID, prev.CreatedAt, prev.Family, prev.Version
		data, err := json.Marshal(q)
		if err != nil {
			return err
		}
		_, err = t.exec("UPDATE questionnaires SET title = ?, title_key = ?, definition = ? WHERE id = ?",
			q.Title.String(), surveys.MatchKey(q.Title.String()), string(data), q.ID)
		return err
	})
	s.questionnaires.forget(q.ID)
	return mapErr("update questionnaire", err)
}

// DeleteQuestionnaire deletes a questionnaire no workshop has used.
func (s *Store) DeleteQuestionnaire(ctx context.Context, id string) error {
	err := s.w.do(ctx, true, func(t *txn) error {
		var builtin, used bool
		err := t.queryRow("SELECT builtin, used FROM questionnaires WHERE id = ?", id).Scan(&builtin, &used)
		if isNoRows(err) {
			return notFound("Questionnaire")
		}
		if err != nil {
			return err
		}
		if builtin || used {
			return surveys.ErrFrozen(builtin)
		}
		_, err = t.exec("DELETE FROM questionnaires WHERE id = ?", id)
		return err
	})
	s.questionnaires.forget(id)
	return mapErr("delete questionnaire", err)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
