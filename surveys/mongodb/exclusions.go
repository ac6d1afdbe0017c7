package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// exclusionDoc is one record of the audit trail. _id is an ObjectID, which
// grows with time within a process: the trail reads in _id order.
// response_day is the day of the excluded response, so that a purge by
// day takes the record with the response.
type exclusionDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	WorkshopID  string        `bson:"workshop_id"`
	ResponseID  string        `bson:"response_id"`
	ResponseDay string        `bson:"response_day"`
	Excluded    bool          `bson:"excluded"`
	Reason      string        `bson:"reason"`
	UserID      string        `bson:"user_id"`
	At          time.Time     `bson:"at"`
}

func toExclusionDoc(e *surveys.Exclusion, day string) *exclusionDoc {
	return &exclusionDoc{ID: bson.NewObjectID(), WorkshopID: e.WorkshopID, ResponseID: e.ResponseID, ResponseDay: day,
		Excluded: e.Excluded, Reason: e.Reason, UserID: e.UserID, At: e.At}
}

func (d *exclusionDoc) exclusion() *surveys.Exclusion {
	return &surveys.Exclusion{WorkshopID: d.WorkshopID, ResponseID: d.ResponseID, Excluded: d.Excluded,
		Reason: d.Reason, UserID: d.UserID, At: d.At.UTC()}
}

// SetExcluded records the change first, then makes it, then bumps the
// version: without a transaction, a crash in between may leave a record
// of a change that was not made, never a change without its record.
func (s *Store) SetExcluded(ctx context.Context, e *surveys.Exclusion) (bool, error) {
	if err := e.Validate(); err != nil {
		return false, err
	}
	var cur struct {
		Day      string `bson:"day"`
		Excluded bool   `bson:"excluded"`
	}
	own := bson.D{{Key: "_id", Value: e.ResponseID}, {Key: "workshop_id", Value: e.WorkshopID}}
	if err := findOne(ctx, s.responses, own, &cur, "Réponse"); err != nil {
		return false, err
	}
	if cur.Excluded == e.Excluded {
		return false, nil
	}
	e.At = s.clock().Truncate(time.Millisecond)
	doc := toExclusionDoc(e, cur.Day)
	if _, err := s.exclusions.InsertOne(ctx, doc); err != nil {
		return false, fmt.Errorf("mongodb: record exclusion: %w", err)
	}
	res, err := s.responses.UpdateOne(ctx, append(own, bson.E{Key: "excluded", Value: bson.D{{Key: "$ne", Value: e.Excluded}}}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "excluded", Value: e.Excluded}}}})
	if err == nil && res.ModifiedCount == 0 {
		// Someone made the same change in between: theirs is recorded.
		_, err = s.exclusions.DeleteOne(ctx, bson.D{{Key: "_id", Value: doc.ID}})
		return false, err
	}
	if err != nil {
		return false, fmt.Errorf("mongodb: set excluded: %w", err)
	}
	return true, s.bumpVersions(ctx, e.WorkshopID)
}

// Exclusions lists a workshop's audit trail, oldest first.
func (s *Store) Exclusions(ctx context.Context, workshopID string) ([]*surveys.Exclusion, error) {
	return findAll(ctx, s.exclusions, "read exclusions", bson.D{{Key: "workshop_id", Value: workshopID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), (*exclusionDoc).exclusion)
}
