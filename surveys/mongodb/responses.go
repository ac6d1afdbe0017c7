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

// AddResponse inserts r under the ID its submission ID gives: a retried
// submission hits the _id and returns the first one's ID.
func (s *Store) AddResponse(ctx context.Context, r *surveys.Response) (bool, error) {
	r.ID = surveys.ResponseID(r.SubmissionID)
	r.Day = s.clock().Format("2006-01-02")
	_, err := s.responses.InsertOne(ctx, toResponseDoc(r))
	if err == nil {
		// After the insert: a reader that sees the new version also sees
		// the answer, so results cached by version are never stale.
		return true, s.bumpVersions(ctx, r.WorkshopID)
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("mongodb: insert response: %w", err)
	}
	var prev struct {
		WorkshopID string `bson:"workshop_id"`
		Day        string `bson:"day"`
	}
	if err := findOne(ctx, s.responses, bson.D{{Key: "_id", Value: r.ID}}, &prev, "Réponse"); err != nil {
		return false, err
	}
	if prev.WorkshopID != r.WorkshopID {
		return false, &surveys.Error{Code: surveys.ECONFLICT, Message: "Cet identifiant de soumission est déjà utilisé.",
			Fields: map[string]string{"submission_id": "déjà utilisé pour un autre atelier"}}
	}
	r.Day = prev.Day
	return false, nil
}

// ResponseBySubmission returns the response stored for a submission ID.
func (s *Store) ResponseBySubmission(ctx context.Context, submissionID string) (*surveys.Response, error) {
	var d responseDoc
	if err := findOne(ctx, s.responses, bson.D{{Key: "_id", Value: surveys.ResponseID(submissionID)}}, &d, "Réponse"); err != nil {
		return nil, err
	}
	return d.response(nil)
}

// CountResponses counts a workshop's responses per phase.
func (s *Store) CountResponses(ctx context.Context, workshopID string) (map[surveys.Phase]int, error) {
	cur, err := s.responses.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "workshop_id", Value: workshopID}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$phase"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("mongodb: count responses: %w", err)
	}
	var rows []struct {
		Phase string `bson:"_id"`
		N     int    `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("mongodb: count responses: %w", err)
	}
	out := map[surveys.Phase]int{surveys.PhasePre: 0, surveys.PhasePost: 0}
	for _, r := range rows {
		out[surveys.Phase(r.Phase)] = r.N
	}
	return out, nil
}

// EachResponse streams responses one document at a time, in the order of
// the (workshop_id, _id) index, so a pooled report never holds the whole
// set. The same *Response is reused between calls.
func (s *Store) EachResponse(ctx context.Context, workshopIDs []string, fn func(*surveys.Response) error) error {
	if len(workshopIDs) == 0 {
		return nil
	}
	filter := bson.D{{Key: "workshop_id", Value: bson.D{{Key: "$in", Value: workshopIDs}}}}
	opts := options.Find().SetSort(bson.D{{Key: "workshop_id", Value: 1}, {Key: "_id", Value: 1}}).SetBatchSize(1000)
	cur, err := s.responses.Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("mongodb: read responses: %w", err)
	}
	defer cur.Close(ctx)
	var r surveys.Response
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("mongodb: decode response: %w", err)
		}
		if _, err := d.response(&r); err != nil {
			return err
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

// ImportResponses stores many responses at once (demo data, paper
// sheets, a restore). Without a transaction, all or nothing is kept by
// checking first that no submission is stored or repeated, and by taking
// back what was inserted when another writer got in between.
func (s *Store) ImportResponses(ctx context.Context, rs []*surveys.Response) error {
	if len(rs) == 0 {
		return nil
	}
	today := s.clock().Format("2006-01-02")
	conflict := surveys.Errorf(surveys.ECONFLICT, "Une réponse importée existe déjà.")
	touched := map[string]bool{}
	ids := make([]string, 0, len(rs))
	seen := map[string]bool{}
	docs := make([]any, 0, len(rs))
	for _, r := range rs {
		r.ID = surveys.ResponseID(r.SubmissionID)
		if r.Day == "" {
			r.Day = today
		}
		if seen[r.ID] {
			return conflict
		}
		seen[r.ID] = true
		ids = append(ids, r.ID)
		touched[r.WorkshopID] = true
		docs = append(docs, toResponseDoc(r))
	}
	n, err := s.responses.CountDocuments(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return fmt.Errorf("mongodb: import responses: %w", err)
	}
	if n > 0 {
		return conflict
	}
	_, err = s.responses.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil {
		var bulk mongo.BulkWriteException
		if errors.As(err, &bulk) && mongo.IsDuplicateKeyError(err) {
			failed := map[int]bool{}
			for _, we := range bulk.WriteErrors {
				failed[we.Index] = true
			}
			var ours []string
			for i, id := range ids {
				if !failed[i] {
					ours = append(ours, id)
				}
			}
			if _, derr := s.responses.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ours}}}}); derr != nil {
				return fmt.Errorf("mongodb: import responses: take back a partial import: %w", derr)
			}
			return conflict
		}
		return fmt.Errorf("mongodb: import responses: %w", err)
	}
	return s.bumpVersions(ctx, keys(touched)...)
}

// PurgeResponses deletes the responses stored before the given day.
func (s *Store) PurgeResponses(ctx context.Context, beforeDay string) (int64, error) {
	filter := bson.D{{Key: "day", Value: bson.D{{Key: "$lt", Value: beforeDay}}}}
	ids, err := s.responses.Distinct(ctx, "workshop_id", filter).Raw()
	if err != nil {
		return 0, fmt.Errorf("mongodb: purge responses: %w", err)
	}
	var workshops []string
	if err := bson.UnmarshalValue(bson.TypeArray, ids, &workshops); err != nil {
		return 0, fmt.Errorf("mongodb: purge responses: %w", err)
	}
	res, err := s.responses.DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("mongodb: purge responses: %w", err)
	}
	if _, err := s.exclusions.DeleteMany(ctx, bson.D{{Key: "response_day", Value: bson.D{{Key: "$lt", Value: beforeDay}}}}); err != nil {
		return 0, fmt.Errorf("mongodb: purge exclusions: %w", err)
	}
	return res.DeletedCount, s.bumpVersions(ctx, workshops...)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
