package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// ImportResponses stores many responses in batches, for demo data and
// benchmarks: far faster than one AddResponse each. Responses keep their ID
// and the day of CreatedAt when set; a submission already stored is an error.
func (s *Store) ImportResponses(ctx context.Context, rs []*surveys.Response) error {
	defer s.forgetCounts("")
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
