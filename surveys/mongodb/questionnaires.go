package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// CreateQuestionnaire stores q under a new ID.
func (s *Store) CreateQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	q.ID = surveys.NewID()
	q.CreatedAt = s.clock()
	d, err := toQuestionnaireDoc(q)
	if err != nil {
		return err
	}
	if _, err := s.questionnaires.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("mongodb: insert questionnaire: %w", err)
	}
	return nil
}

// EnsureQuestionnaire stores q unless its ID is already there: built-in
// definitions are versioned by ID and never rewritten under stored results.
func (s *Store) EnsureQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = s.clock()
	}
	d, err := toQuestionnaireDoc(q)
	if err != nil {
		return err
	}
	_, err = s.questionnaires.InsertOne(ctx, d)
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("mongodb: insert questionnaire %s: %w", q.ID, err)
	}
	return nil
}

// Questionnaire returns one definition, read once per process when a
// workshop has used it. Callers get their own copy.
func (s *Store) Questionnaire(ctx context.Context, id string) (*surveys.Questionnaire, error) {
	if q, ok := s.questionnaireByID.get(id); ok {
		return q.Clone(), nil
	}
	var d questionnaireDoc
	if err := findOne(ctx, s.questionnaires, bson.D{{Key: "_id", Value: id}}, &d, "Questionnaire"); err != nil {
		return nil, err
	}
	q, err := d.questionnaire()
	if err != nil {
		return nil, err
	}
	// Only a used or built-in definition is kept: it changes no more
	// (new translations aside, which another process sees on restart).
	if d.Used || d.Builtin {
		s.questionnaireByID.put(id, q.Clone())
	}
	return q, nil
}

// Questionnaires lists every definition, built-in ones first, then by title.
func (s *Store) Questionnaires(ctx context.Context) ([]*surveys.Questionnaire, error) {
	opts := options.Find().SetSort(bson.D{{Key: "builtin", Value: -1}, {Key: "title", Value: 1}, {Key: "_id", Value: 1}})
	docs, err := findDocs[questionnaireDoc](ctx, s.questionnaires, "list questionnaires", bson.D{}, opts)
	if err != nil {
		return nil, err
	}
	out := make([]*surveys.Questionnaire, 0, len(docs))
	for i := range docs {
		q, err := docs[i].questionnaire()
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}
