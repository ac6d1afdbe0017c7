package mongodb

import (
	"context"
	"fmt"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// CreateQuestionnaireVersion stores q as the next version of of's family.
func (s *Store) CreateQuestionnaireVersion(ctx context.Context, of string, q *surveys.Questionnaire) error {
	var d questionnaireDoc
	if err := findOne(ctx, s.questionnaires, bson.D{{Key: "_id", Value: of}}, &d, "Questionnaire"); err != nil {
		return err
	}
	base, err := d.questionnaire()
	if err != nil {
		return err
	}
	family, _ := surveys.FamilyOf(base)
	q.CreatedAt, q.Builtin, q.Family = s.clock(), false, family
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "_id", Value: family}},
		bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(family) + "-v[0-9]+$"}}}},
	}}}
	// Two editors saving at once both aim at the same N: the second
	// insert fails on the key and counts again.
	for range 5 {
		docs, err := findDocs[questionnaireDoc](ctx, s.questionnaires, "find versions", filter, options.Find())
		if err != nil {
			return err
		}
		last := 0
		for i := range docs {
			v, err := docs[i].questionnaire()
			if err != nil {
				return err
			}
			if f, n := surveys.FamilyOf(v); f == family {
				last = max(last, n)
			}
		}
		q.Version = last + 1
		q.ID = surveys.VersionID(family, q.Version)
		nd, err := toQuestionnaireDoc(q)
		if err != nil {
			return err
		}
		_, err = s.questionnaires.InsertOne(ctx, nd)
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("mongodb: insert questionnaire version: %w", err)
		}
	}
	return surveys.Errorf(surveys.ECONFLICT, "D'autres versions de ce questionnaire s'enregistrent en même temps : réessayez.")
}

// frozen reads whether a questionnaire has been used, and marks one that
// workshops stored before the used flag existed.
func (s *Store) frozen(ctx context.Context, d *questionnaireDoc) (bool, error) {
	if d.Used || d.Builtin {
		return true, nil
	}
	n, err := s.workshops.CountDocuments(ctx, bson.D{{Key: "questionnaire_id", Value: d.ID}})
	if err != nil {
		return false, fmt.Errorf("mongodb: count workshops: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	_, err = s.questionnaires.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "used", Value: true}}}})
	return true, err
}

// UpdateQuestionnaire replaces a definition no workshop has used, or adds
// translations to one.
func (s *Store) UpdateQuestionnaire(ctx context.Context, q *surveys.Questionnaire) error {
	var d questionnaireDoc
	if err := findOne(ctx, s.questionnaires, bson.D{{Key: "_id", Value: q.ID}}, &d, "Questionnaire"); err != nil {
		return err
	}
	prev, err := d.questionnaire()
	if err != nil {
		return err
	}
	frozen, err := s.frozen(ctx, &d)
	if err != nil {
		return err
	}
	if frozen && !surveys.OnlyAddsTranslations(prev, q) {
		return surveys.ErrFrozen(d.Builtin)
	}
	q.Builtin, q.OwnerID, q.CreatedAt, q.Family, q.Version = prev.Builtin, prev.OwnerID, prev.CreatedAt, prev.Family, prev.Version
	nd, err := toQuestionnaireDoc(q)
	if err != nil {
		return err
	}
	nd.Used = d.Used || frozen && !d.Builtin
	// Replaced only if nobody changed it since it was read, and, for an
	// open one, only if no workshop started on it meanwhile.
	filter := bson.D{{Key: "_id", Value: q.ID}, {Key: "definition", Value: d.Definition}}
	if !frozen {
		filter = append(filter, bson.E{Key: "used", Value: bson.D{{Key: "$ne", Value: true}}})
	}
	res, err := s.questionnaires.ReplaceOne(ctx, filter, nd)
	if err != nil {
		return fmt.Errorf("mongodb: update questionnaire: %w", err)
	}
	s.questionnaireByID.forget(q.ID)
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ECONFLICT, "Ce questionnaire vient de changer (un atelier l'a peut-être utilisé) : rechargez la page.")
	}
	return nil
}

// DeleteQuestionnaire deletes a questionnaire no workshop has used.
func (s *Store) DeleteQuestionnaire(ctx context.Context, id string) error {
	var d questionnaireDoc
	if err := findOne(ctx, s.questionnaires, bson.D{{Key: "_id", Value: id}}, &d, "Questionnaire"); err != nil {
		return err
	}
	frozen, err := s.frozen(ctx, &d)
	if err != nil {
		return err
	}
	if frozen {
		return surveys.ErrFrozen(d.Builtin)
	}
	res, err := s.questionnaires.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "builtin", Value: false}, {Key: "used", Value: bson.D{{Key: "$ne", Value: true}}}})
	if err != nil {
		return fmt.Errorf("mongodb: delete questionnaire: %w", err)
	}
	if res.DeletedCount == 0 {
		return surveys.ErrFrozen(false)
	}
	s.questionnaireByID.forget(id)
	return nil
}

// markUsed flags the questionnaires of imported workshops.
func (s *Store) markUsed(ctx context.Context, workshops []any) error {
	var ids bson.A
	for _, w := range workshops {
		if d, ok := w.(*workshopDoc); ok {
			ids = append(ids, d.QuestionnaireID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.questionnaires.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, bson.D{{Key: "$set", Value: bson.D{{Key: "used", Value: true}}}})
	if err != nil {
		return fmt.Errorf("mongodb: mark questionnaires used: %w", err)
	}
	return nil
}
