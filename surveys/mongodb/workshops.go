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

// CreateWorkshop stores w with a new ID and a code no other workshop has.
func (s *Store) CreateWorkshop(ctx context.Context, w *surveys.Workshop) error {
	w.ID = surveys.NewID()
	w.CreatedAt = s.clock()
	w.UpdatedAt = w.CreatedAt
	w.Version = 1
	if w.Tags == nil {
		w.Tags = []string{}
	}
	// Marked used before the workshop exists: from then on the
	// definition its pupils answer never changes (versions.go).
	res, err := s.questionnaires.UpdateOne(ctx, bson.D{{Key: "_id", Value: w.QuestionnaireID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "used", Value: true}}}})
	if err != nil {
		return fmt.Errorf("mongodb: mark questionnaire used: %w", err)
	}
	if res.MatchedCount == 0 {
		return &surveys.Error{Code: surveys.EINVALID, Message: "Questionnaire inconnu.", Fields: map[string]string{"questionnaire_id": "questionnaire introuvable"}}
	}
	for range 10 {
		w.Code = surveys.NewCode()
		_, err := s.workshops.InsertOne(ctx, toWorkshopDoc(w))
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("mongodb: insert workshop: %w", err)
		}
	}
	return fmt.Errorf("mongodb: insert workshop: no free code after 10 tries")
}

// Workshop returns one workshop by ID.
func (s *Store) Workshop(ctx context.Context, id string) (*surveys.Workshop, error) {
	var d workshopDoc
	if err := findOne(ctx, s.workshops, bson.D{{Key: "_id", Value: id}}, &d, "Atelier"); err != nil {
		return nil, err
	}
	return d.workshop(), nil
}

// WorkshopByCode returns the workshop pupils reach with code.
func (s *Store) WorkshopByCode(ctx context.Context, code string) (*surveys.Workshop, error) {
	var d workshopDoc
	if err := findOne(ctx, s.workshops, bson.D{{Key: "code", Value: surveys.NormalizeCode(code)}}, &d, "Atelier"); err != nil {
		return nil, err
	}
	return d.workshop(), nil
}

// Workshops lists the workshops f selects, latest first.
func (s *Store) Workshops(ctx context.Context, f surveys.WorkshopFilter) ([]*surveys.Workshop, error) {
	filter := bson.D{}
	date := bson.D{}
	if f.From != "" {
		date = append(date, bson.E{Key: "$gte", Value: f.From})
	}
	if f.To != "" {
		date = append(date, bson.E{Key: "$lte", Value: f.To})
	}
	if len(date) > 0 {
		filter = append(filter, bson.E{Key: "date", Value: date})
	}
	if f.Tag != "" {
		filter = append(filter, bson.E{Key: "tag_keys", Value: surveys.MatchKey(f.Tag)})
	}
	if f.Partner != "" {
		filter = append(filter, bson.E{Key: "partner_key", Value: surveys.MatchKey(f.Partner)})
	}
	if f.QuestionnaireID != "" {
		filter = append(filter, bson.E{Key: "questionnaire_id", Value: f.QuestionnaireID})
	}
	if f.OwnerID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "owner_id", Value: f.OwnerID}},
			bson.D{{Key: "facilitators", Value: f.OwnerID}},
		}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "date", Value: -1}, {Key: "created_at", Value: -1}, {Key: "_id", Value: 1}})
	return findAll(ctx, s.workshops, "list workshops", filter, opts, (*workshopDoc).workshop)
}

// SetPhase opens or closes a phase and returns the updated workshop.
func (s *Store) SetPhase(ctx context.Context, id string, p surveys.Phase) (*surveys.Workshop, error) {
	return s.setWorkshop(ctx, id, bson.D{{Key: "phase", Value: string(p)}})
}

// SetFacilitators replaces the users added to a workshop.
func (s *Store) SetFacilitators(ctx context.Context, id string, userIDs []string) (*surveys.Workshop, error) {
	return s.setWorkshop(ctx, id, bson.D{{Key: "facilitators", Value: nonNil(userIDs)}})
}

// SetAttendance records a workshop's head count.
func (s *Store) SetAttendance(ctx context.Context, id string, n int) (*surveys.Workshop, error) {
	return s.setWorkshop(ctx, id, bson.D{{Key: "attendance", Value: n}})
}

// UpdateWorkshop replaces the fields a facilitator typed.
func (s *Store) UpdateWorkshop(ctx context.Context, id string, f surveys.WorkshopFields) (*surveys.Workshop, error) {
	keys := make([]string, len(f.Tags))
	for i, t := range f.Tags {
		keys[i] = surveys.MatchKey(t)
	}
	return s.setWorkshop(ctx, id, bson.D{
		{Key: "title", Value: f.Title}, {Key: "date", Value: f.Date},
		{Key: "partner", Value: f.Partner}, {Key: "partner_key", Value: surveys.MatchKey(f.Partner)},
		{Key: "group", Value: f.Group}, {Key: "place", Value: f.Place},
		{Key: "tags", Value: nonNil(f.Tags)}, {Key: "tag_keys", Value: keys},
	})
}

// setWorkshop sets fields of a workshop, bumps its version and returns it.
func (s *Store) setWorkshop(ctx context.Context, id string, set bson.D) (*surveys.Workshop, error) {
	update := bson.D{
		{Key: "$set", Value: append(set, bson.E{Key: "updated_at", Value: s.clock()})},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
	}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After)
	var d workshopDoc
	err := s.workshops.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update, opts).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: update workshop: %w", err)
	}
	return d.workshop(), nil
}

// bumpVersions increases the version of the workshops whose responses
// changed.
func (s *Store) bumpVersions(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.workshops.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}})
	if err != nil {
		return fmt.Errorf("mongodb: bump workshop version: %w", err)
	}
	return nil
}

// DeleteWorkshop deletes a workshop's responses, then the workshop. Without
// a transaction, a crash in between leaves the workshop with no answers;
// deleting again finishes the job.
func (s *Store) DeleteWorkshop(ctx context.Context, id string) error {
	if _, err := s.Workshop(ctx, id); err != nil {
		return err
	}
	if _, err := s.responses.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete responses: %w", err)
	}
	if _, err := s.quotes.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete quotes: %w", err)
	}
	if err := deleteOne(ctx, s.workshops, "delete workshop", "Atelier", bson.D{{Key: "_id", Value: id}}); err != nil {
		return err
	}
	// An answer in flight while the workshop was being deleted.
	if _, err := s.responses.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete late responses: %w", err)
	}
	if _, err := s.exclusions.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete exclusions: %w", err)
	}
	if _, err := s.approvals.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete text approvals: %w", err)
	}
	return nil
}
