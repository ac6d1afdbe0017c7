package mongodb

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// CreateQuestionnaire stores q under a new ID.
func (s *Store) CreateQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	q.ID = newID()
	q.CreatedAt = s.Now()
	if _, err := s.questionnaires.InsertOne(ctx, q); err != nil {
		return fmt.Errorf("mongodb: insert questionnaire: %w", err)
	}
	return nil
}

// EnsureQuestionnaire stores q unless its ID is already there: built-in
// definitions are versioned by ID and never rewritten under stored results.
func (s *Store) EnsureQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = s.Now()
	}
	_, err := s.questionnaires.InsertOne(ctx, q)
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("mongodb: insert questionnaire %s: %w", q.ID, err)
	}
	return nil
}

// Questionnaire returns one definition. A stored definition never changes,
// so it is read once per process; callers get their own copy of the
// top-level fields and slices.
func (s *Store) Questionnaire(ctx context.Context, id string) (*surveys.Questionnaire, error) {
	if q, ok := s.questionnaireByID.get(id); ok {
		cp := *q
		cp.Items, cp.Scales = slices.Clone(q.Items), slices.Clone(q.Scales)
		return &cp, nil
	}
	var q surveys.Questionnaire
	if err := findOne(ctx, s.questionnaires, bson.D{{Key: "_id", Value: id}}, &q, "Questionnaire"); err != nil {
		return nil, err
	}
	cached := q
	cached.Items, cached.Scales = slices.Clone(q.Items), slices.Clone(q.Scales)
	s.questionnaireByID.put(id, &cached)
	return &q, nil
}

// Questionnaires lists every definition, built-in ones first.
func (s *Store) Questionnaires(ctx context.Context) ([]*surveys.Questionnaire, error) {
	opts := options.Find().SetSort(bson.D{{Key: "builtin", Value: -1}, {Key: "title", Value: 1}})
	cur, err := s.questionnaires.Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: list questionnaires: %w", err)
	}
	out := []*surveys.Questionnaire{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("mongodb: list questionnaires: %w", err)
	}
	return out, nil
}
