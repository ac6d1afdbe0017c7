package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// approvalDoc is one decision; its _id names the answer it is about, so
// that a second decision replaces the first.
type approvalDoc struct {
	ID         string `bson:"_id"`
	WorkshopID string `bson:"workshop_id"`
	ResponseID string `bson:"response_id"`
	ItemKey    string `bson:"item_key"`
	Shown      bool   `bson:"shown"`
}

// SetTextApproval records whether a free-text answer may be shown on the
// live page, then bumps the workshop's version: a reader that sees the new
// version also sees the decision.
func (s *Store) SetTextApproval(ctx context.Context, a surveys.TextApproval) error {
	var found struct {
		ID string `bson:"_id"`
	}
	filter := bson.D{{Key: "_id", Value: a.ResponseID}, {Key: "workshop_id", Value: a.WorkshopID}}
	if err := findOne(ctx, s.responses, filter, &found, "Réponse"); err != nil {
		return err
	}
	d := approvalDoc{ID: a.WorkshopID + "/" + a.ResponseID + "/" + a.ItemKey, WorkshopID: a.WorkshopID,
		ResponseID: a.ResponseID, ItemKey: a.ItemKey, Shown: a.Shown}
	if _, err := s.approvals.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("mongodb: set text approval: %w", err)
	}
	return s.bumpVersions(ctx, a.WorkshopID)
}

// TextApprovals lists a workshop's decisions.
func (s *Store) TextApprovals(ctx context.Context, workshopID string) ([]surveys.TextApproval, error) {
	opts := options.Find().SetSort(bson.D{{Key: "response_id", Value: 1}, {Key: "item_key", Value: 1}})
	return findAll(ctx, s.approvals, "list text approvals", bson.D{{Key: "workshop_id", Value: workshopID}}, opts,
		func(d *approvalDoc) surveys.TextApproval {
			return surveys.TextApproval{WorkshopID: d.WorkshopID, ResponseID: d.ResponseID, ItemKey: d.ItemKey, Shown: d.Shown}
		})
}
