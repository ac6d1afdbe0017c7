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
	w.ID = newID()
	w.CreatedAt = s.Now()
	w.UpdatedAt = w.CreatedAt
	if w.Tags == nil {
		w.Tags = []string{}
	}
	for range 10 {
		w.Code = surveys.NewCode()
		_, err := s.workshops.InsertOne(ctx, w)
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
	var w surveys.Workshop
	if err := findOne(ctx, s.workshops, bson.D{{Key: "_id", Value: id}}, &w, "Atelier"); err != nil {
		return nil, err
	}
	return &w, nil
}

// WorkshopByCode returns the workshop pupils reach with code: from the
// embedded store's workshop cache when it has it (see workshopCache).
func (s *Store) WorkshopByCode(ctx context.Context, code string) (*surveys.Workshop, error) {
	code = surveys.NormalizeCode(code)
	w, gen := s.workshopCache.get(code)
	if w != nil {
		return w, nil
	}
	w, err := s.readWorkshopByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	s.workshopCache.put(code, w, gen)
	return w, nil
}

// readWorkshopByCode reads the workshop of a normalized code. The ID behind
// a code is remembered and the workshop read by _id: the embedded store
// finds by _id through an index, while by code it reads every workshop.
func (s *Store) readWorkshopByCode(ctx context.Context, code string) (*surveys.Workshop, error) {
	if id, ok := s.workshopIDByCode.get(code); ok {
		w, err := s.Workshop(ctx, id)
		if err == nil && w.Code == code {
			return w, nil
		}
		if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return nil, err
		}
		s.workshopIDByCode.forget(code) // deleted, and the code perhaps reused
	}
	var w surveys.Workshop
	if err := findOne(ctx, s.workshops, bson.D{{Key: "code", Value: code}}, &w, "Atelier"); err != nil {
		return nil, err
	}
	s.workshopIDByCode.put(code, w.ID)
	return &w, nil
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
	for k, v := range map[string]string{"tags": f.Tag, "partner": f.Partner, "questionnaire_id": f.QuestionnaireID} {
		if v != "" {
			filter = append(filter, bson.E{Key: k, Value: v})
		}
	}
	if f.OwnerID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "owner_id", Value: f.OwnerID}},
			bson.D{{Key: "facilitators", Value: f.OwnerID}},
		}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "date", Value: -1}, {Key: "created_at", Value: -1}})
	cur, err := s.workshops.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: list workshops: %w", err)
	}
	out := []*surveys.Workshop{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("mongodb: list workshops: %w", err)
	}
	return out, nil
}

// SetPhase opens or closes a phase and returns the updated workshop.
func (s *Store) SetPhase(ctx context.Context, id string, p surveys.Phase) (*surveys.Workshop, error) {
	return s.setWorkshopField(ctx, id, "phase", p)
}

// setWorkshopField sets one field of a workshop and returns the workshop.
func (s *Store) setWorkshopField(ctx context.Context, id, field string, value any) (*surveys.Workshop, error) {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: value}, {Key: "updated_at", Value: s.Now()}}}}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After)
	var w surveys.Workshop
	err := s.workshops.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update, opts).Decode(&w)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: set workshop %s: %w", field, err)
	}
	return &w, nil
}

// DeleteWorkshop deletes one workshop; callers delete its responses first.
func (s *Store) DeleteWorkshop(ctx context.Context, id string) error {
	res, err := s.workshops.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("mongodb: delete workshop: %w", err)
	}
	if res.DeletedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	return nil
}

// SetFacilitators replaces the users added to a workshop.
func (s *Store) SetFacilitators(ctx context.Context, workshopID string, userIDs []string) (*surveys.Workshop, error) {
	if userIDs == nil {
		userIDs = []string{}
	}
	return s.setWorkshopField(ctx, workshopID, "facilitators", userIDs)
}

// SetAttendance records a workshop's head count.
func (s *Store) SetAttendance(ctx context.Context, id string, n int) (*surveys.Workshop, error) {
	return s.setWorkshopField(ctx, id, "attendance", n)
}
