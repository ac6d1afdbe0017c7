package mongodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// AddResponse inserts r; the unique index on submission_id makes a retried
// submission a no-op that returns the first one's ID.
func (s *Store) AddResponse(ctx context.Context, r *surveys.Response) (bool, error) {
	r.ID = responseID(r.SubmissionID)
	// The day only: an exact time with a minor's answers says more than
	// the results need.
	r.CreatedAt = surveys.Day(s.Now())
	counts := s.own()
	if counts != nil {
		counts.inserting(r.WorkshopID)
	}
	_, err := s.responses.InsertOne(ctx, r)
	if counts != nil {
		counts.inserted(r.WorkshopID, r.Phase, err == nil)
	}
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("mongodb: insert response: %w", err)
	}
	var prev struct {
		ID         string `bson:"_id"`
		WorkshopID string `bson:"workshop_id"`
	}
	if err := s.findResponse(ctx, r.SubmissionID, &prev); err != nil {
		return false, err
	}
	if prev.WorkshopID != r.WorkshopID {
		return false, &surveys.Error{Code: surveys.ECONFLICT, Message: "Cet identifiant de soumission est déjà utilisé.",
			Fields: map[string]string{"submission_id": "déjà utilisé pour un autre atelier"}}
	}
	r.ID = prev.ID
	return false, nil
}

// ResponseBySubmission returns the response stored for a submission ID.
func (s *Store) ResponseBySubmission(ctx context.Context, submissionID string) (*surveys.Response, error) {
	var r surveys.Response
	if err := s.findResponse(ctx, submissionID, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// responseID is a response's _id, derived from its submission ID: a retry
// is then found by _id, the one filter the embedded store answers from an
// index (FerretDB 1.24 on SQLite reads every document for any other).
func responseID(submissionID string) string {
	sum := sha256.Sum256([]byte("declic-response\x00" + submissionID))
	return hex.EncodeToString(sum[:12])
}

// findResponse reads the response of a submission by its derived _id, then
// by submission_id for responses stored before IDs were derived.
func (s *Store) findResponse(ctx context.Context, submissionID string, v any) error {
	err := findOne(ctx, s.responses, bson.D{{Key: "_id", Value: responseID(submissionID)}}, v, "Réponse")
	if surveys.ErrorCode(err) != surveys.ENOTFOUND {
		return err
	}
	return findOne(ctx, s.responses, bson.D{{Key: "submission_id", Value: submissionID}}, v, "Réponse")
}

// CountResponses counts a workshop's responses per phase.
func (s *Store) CountResponses(ctx context.Context, workshopID string) (map[surveys.Phase]int, error) {
	var token countToken
	counts := s.own()
	if counts != nil {
		n, t, ok := counts.get(workshopID)
		if ok {
			return n, nil
		}
		token = t
	}
	cur, err := s.responses.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "workshop_id", Value: workshopID}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$phase"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("mongodb: count responses: %w", err)
	}
	var rows []struct {
		Phase surveys.Phase `bson:"_id"`
		N     int           `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("mongodb: count responses: %w", err)
	}
	out := map[surveys.Phase]int{surveys.PhasePre: 0, surveys.PhasePost: 0}
	for _, r := range rows {
		out[r.Phase] = r.N
	}
	if counts != nil {
		counts.put(workshopID, out, token)
	}
	return out, nil
}

// EachResponse streams responses one document at a time, so a pooled report
// never holds the whole set.
func (s *Store) EachResponse(ctx context.Context, workshopIDs []string, fn func(*surveys.Response) error) error {
	if len(workshopIDs) == 0 {
		return nil
	}
	if c := s.own(); c != nil && len(workshopIDs) == 1 {
		return s.eachCachedResponse(ctx, c, workshopIDs[0], fn)
	}
	return s.eachStoredResponse(ctx, workshopIDs, fn)
}

// eachCachedResponse serves one workshop's answers on the embedded store,
// where reading them reads every stored answer: a results page and its
// charts ask for them five times in a row.
func (s *Store) eachCachedResponse(ctx context.Context, c *countCache, workshopID string, fn func(*surveys.Response) error) error {
	rs, token, ok := c.cachedResponses(workshopID)
	if ok {
		for _, r := range rs {
			own := *r // the caller gets its own copy of the cached response
			if err := fn(&own); err != nil {
				return err
			}
		}
		return nil
	}
	var keep []*surveys.Response
	keeping := true
	err := s.eachStoredResponse(ctx, []string{workshopID}, func(r *surveys.Response) error {
		if keeping {
			if len(keep) < maxCachedAnswers/4 {
				own := *r
				keep = append(keep, &own)
			} else {
				keeping, keep = false, nil // too big to keep: streamed only
			}
		}
		return fn(r)
	})
	if err == nil && keeping {
		c.keepResponses(workshopID, keep, token)
	}
	return err
}

// eachStoredResponse streams responses from the store one document at a
// time, so a pooled report never holds the whole set.
func (s *Store) eachStoredResponse(ctx context.Context, workshopIDs []string, fn func(*surveys.Response) error) error {
	filter := bson.D{{Key: "workshop_id", Value: bson.D{{Key: "$in", Value: workshopIDs}}}}
	opts := options.Find().SetProjection(bson.D{
		{Key: "workshop_id", Value: 1}, {Key: "phase", Value: 1}, {Key: "participant", Value: 1},
		{Key: "answers", Value: 1}, {Key: "created_at", Value: 1}, {Key: "submission_id", Value: 1},
	}).SetBatchSize(1000)
	cur, err := s.responses.Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("mongodb: read responses: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var r surveys.Response
		if err := cur.Decode(&r); err != nil {
			return fmt.Errorf("mongodb: decode response: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongodb: read responses: %w", err)
	}
	return nil
}

// DeleteResponses deletes every response of a workshop.
func (s *Store) DeleteResponses(ctx context.Context, workshopID string) (int64, error) {
	filter := bson.D{{Key: "workshop_id", Value: workshopID}}
	defer s.forgetCounts(workshopID)
	res, err := s.responses.DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("mongodb: delete responses: %w", err)
	}
	return res.DeletedCount, nil
}

// PurgeResponses deletes the responses stored before the given time.
func (s *Store) PurgeResponses(ctx context.Context, before time.Time) (int64, error) {
	filter := bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: before}}}}
	defer s.forgetCounts("")
	res, err := s.responses.DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("mongodb: purge responses: %w", err)
	}
	return res.DeletedCount, nil
}
