package mongodb

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// ImportResponses stores many responses in batches, for demo data and
// benchmarks: far faster than one AddResponse each. Responses keep their ID
// and the day of CreatedAt when set; a submission already stored is an error.
func (s *Store) ImportResponses(ctx context.Context, rs []*surveys.Response) error {
	const batch = 1000
	for start := 0; start < len(rs); start += batch {
		docs := make([]any, 0, batch)
		for _, r := range rs[start:min(start+batch, len(rs))] {
			if r.ID == "" {
				r.ID = responseID(r.SubmissionID)
			}
			if r.CreatedAt.IsZero() {
				r.CreatedAt = s.Now()
			}
			r.CreatedAt = surveys.Day(r.CreatedAt) // the day only, as for every answer
			docs = append(docs, r)
		}
		if _, err := s.responses.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true)); err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return surveys.Errorf(surveys.ECONFLICT, "Une réponse importée existe déjà.")
			}
			return fmt.Errorf("mongodb: import responses: %w", err)
		}
	}
	return nil
}

// SetAttendance records a workshop's head count.
func (s *Store) SetAttendance(ctx context.Context, id string, n int) (*surveys.Workshop, error) {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "attendance", Value: n}, {Key: "updated_at", Value: s.Now()}}}}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After)
	var w surveys.Workshop
	err := s.workshops.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update, opts).Decode(&w)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: set attendance: %w", err)
	}
	return &w, nil
}
