package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"

	"declic/surveys"
)

// CreateQuestionnaire stores q under a new ID.
func (s *Store) CreateQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	q.ID = surveys.NewID()
	q.CreatedAt = s.now().UTC()
	return s.insertQuestionnaire(ctx, q, false)
}

// EnsureQuestionnaire stores q unless its ID is already there: built-in
// definitions are versioned by ID and never rewritten under stored results.
func (s *Store) EnsureQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = s.now().UTC()
	}
	return s.insertQuestionnaire(ctx, q, true)
}

func (s *Store) insertQuestionnaire(ctx context.Context, q *surveys.Questionnaire, ignoreExisting bool) error {
	def, err := json.Marshal(q)
	if err != nil {
		return wrap("encode questionnaire", err)
	}
	query := insertQuestionnaire
	if ignoreExisting {
		query += " ON CONFLICT (id) DO NOTHING"
	}
	err = s.w.do(ctx, false, func(t *txn) error {
		_, err := t.exec(query, q.ID, q.Title.String(), surveys.MatchKey(q.Title.String()), q.Builtin, q.OwnerID,
			formatTime(q.CreatedAt), string(def))
		if isUnique(err, "") {
			return surveys.Errorf(surveys.ECONFLICT, "Un questionnaire existe déjà avec cet identifiant.")
		}
		return err
	})
	return mapErr("insert questionnaire", err)
}

const insertQuestionnaire = `INSERT INTO questionnaires (id, title, title_key, builtin, owner_id, created_at, definition)
VALUES (?, ?, ?, ?, ?, ?, ?)`

const questionnaireSelect = "SELECT owner_id, definition FROM questionnaires"

func scanQuestionnaire(src rowScanner) (*surveys.Questionnaire, error) {
	var owner string
	var def sql.RawBytes
	if err := src.Scan(&owner, &def); err != nil {
		return nil, err
	}
	return decodeQuestionnaire(owner, def)
}

func decodeQuestionnaire(owner string, def []byte) (*surveys.Questionnaire, error) {
	var q surveys.Questionnaire
	if err := json.Unmarshal(def, &q); err != nil {
		return nil, err
	}
	q.OwnerID = owner
	// Validate sets the main wording of translated texts, which the JSON
	// leaves to it; a definition was valid when stored, so its verdict
	// changes nothing here.
	_ = q.Validate()
	return &q, nil
}

// Questionnaire returns one definition, decoded once per store until it
// changes (UpdateQuestionnaire, DeleteQuestionnaire forget it): every
// answer reads it, and decoding its JSON cost more than the rest of the
// answer's checks. Callers get their own copy.
func (s *Store) Questionnaire(ctx context.Context, id string) (*surveys.Questionnaire, error) {
	q, gen, ok := s.questionnaires.get(id)
	if ok {
		return q.Clone(), nil
	}
	q, err := s.readQuestionnaire(ctx, id)
	if err != nil {
		return nil, err
	}
	s.questionnaires.put(id, q.Clone(), gen)
	return q, nil
}

func (s *Store) readQuestionnaire(ctx context.Context, id string) (*surveys.Questionnaire, error) {
	// Not queryRow: scanQuestionnaire reads sql.RawBytes, which a *sql.Row
	// refuses.
	rows, err := s.query(ctx, questionnaireSelect+" WHERE id = ?", id)
	if err != nil {
		return nil, mapErr("read questionnaire", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, mapErr("read questionnaire", err)
		}
		return nil, notFound("Questionnaire")
	}
	q, err := scanQuestionnaire(rows)
	if err != nil {
		return nil, mapErr("read questionnaire", err)
	}
	return q, nil
}

// Questionnaires lists every definition, built-in ones first, then by
// title ignoring case and accents.
func (s *Store) Questionnaires(ctx context.Context) ([]*surveys.Questionnaire, error) {
	return queryAll(ctx, s, "list questionnaires", scanQuestionnaire, questionnaireSelect+" ORDER BY builtin DESC, title_key, id")
}

// questionnaireCache keeps decoded definitions by ID. It is emptied when
// full rather than evicting one by one: there are few questionnaires.
// gen counts the definitions forgotten: a definition read before a change
// committed is not kept once the change has forgotten it.
type questionnaireCache struct {
	mu  sync.Mutex
	m   map[string]*surveys.Questionnaire
	gen uint64
}

const questionnaireCacheMax = 1000

// get returns the cached definition, or the generation to put a freshly
// read one with.
func (c *questionnaireCache) get(id string) (*surveys.Questionnaire, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, ok := c.m[id]
	return q, c.gen, ok
}

// put keeps q, read at generation gen, unless something was forgotten since.
func (c *questionnaireCache) put(id string, q *surveys.Questionnaire, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= questionnaireCacheMax {
		c.m = map[string]*surveys.Questionnaire{}
	}
	c.m[id] = q
}

// forget drops a definition that changed, once the change is committed.
func (c *questionnaireCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
	c.gen++
}
