package mongodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// The "answered" collection holds one small marker per participant and
// phase of a workshop, under an _id derived from the three. It answers
// "did this phone already answer?" (every form view) by _id, the one
// lookup the embedded store serves from an index: on FerretDB 1.24 with
// SQLite, the same question asked of responses reads every response
// stored, which grows to seconds per form view within a year of workshops.
// On MongoDB the compound index on responses would do; one path for both
// keeps the behaviour the same everywhere.
type answeredMarker struct {
	ID         string        `bson:"_id"`
	WorkshopID string        `bson:"workshop_id"`
	Phase      surveys.Phase `bson:"phase"`
	CreatedAt  time.Time     `bson:"created_at"`
}

func answeredID(workshopID string, p surveys.Phase, participant string) string {
	sum := sha256.Sum256([]byte("declic-answered\x00" + workshopID + "\x00" + string(p) + "\x00" + participant))
	return hex.EncodeToString(sum[:12])
}

// markAnswered records that r's participant answered r's phase. A marker
// that already exists is fine: markers only ever say "yes".
func (s *Store) markAnswered(ctx context.Context, rs ...*surveys.Response) error {
	if len(rs) == 0 {
		return nil
	}
	docs := make([]any, len(rs))
	for i, r := range rs {
		docs[i] = answeredMarker{ID: answeredID(r.WorkshopID, r.Phase, r.Participant), WorkshopID: r.WorkshopID, Phase: r.Phase, CreatedAt: surveys.Day(r.CreatedAt)}
	}
	_, err := s.answered.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		return fmt.Errorf("mongodb: mark answered: %w", err)
	}
	return nil
}

// onlyDuplicates reports whether every write error is a duplicate key.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return false
			}
		}
		return true
	}
	return mongo.IsDuplicateKeyError(err)
}

// HasResponse tells whether a participant already answered a phase, by the
// marker's _id.
func (s *Store) HasResponse(ctx context.Context, workshopID string, p surveys.Phase, participant string) (bool, error) {
	err := s.answered.FindOne(ctx, bson.D{{Key: "_id", Value: answeredID(workshopID, p, participant)}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	}
	return false, fmt.Errorf("mongodb: find answered: %w", err)
}

// forgetAnswered deletes markers with a workshop's responses, or those of
// responses older than a day; filter is the same as the responses'.
func (s *Store) forgetAnswered(ctx context.Context, filter bson.D) error {
	if _, err := s.answered.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("mongodb: delete answered: %w", err)
	}
	return nil
}
