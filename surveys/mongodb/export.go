package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// Export calls fn on every record: users, tokens, questionnaires,
// workshops, then responses, each in _id order.
func (s *Store) Export(ctx context.Context, fn func(surveys.Record) error) error {
	byID := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	each := func(c *mongo.Collection, filter bson.D, decode func(*mongo.Cursor) (surveys.Record, error)) error {
		if filter == nil {
			filter = bson.D{}
		}
		cur, err := c.Find(ctx, filter, byID)
		if err != nil {
			return fmt.Errorf("mongodb: export %s: %w", c.Name(), err)
		}
		defer cur.Close(ctx)
		for cur.Next(ctx) {
			rec, err := decode(cur)
			if err != nil {
				return fmt.Errorf("mongodb: export %s: %w", c.Name(), err)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		return cur.Err()
	}
	steps := []struct {
		c      *mongo.Collection
		filter bson.D // nil: every document
		decode func(*mongo.Cursor) (surveys.Record, error)
	}{
		{s.users, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d userDoc
			err := cur.Decode(&d)
			return surveys.Record{User: d.user()}, err
		}},
		{s.tokens, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d tokenDoc
			err := cur.Decode(&d)
			return surveys.Record{Token: d.token()}, err
		}},
		{s.questionnaires, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d questionnaireDoc
			if err := cur.Decode(&d); err != nil {
				return surveys.Record{}, err
			}
			q, err := d.questionnaire()
			return surveys.Record{Questionnaire: q}, err
		}},
		{s.workshops, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d workshopDoc
			err := cur.Decode(&d)
			return surveys.Record{Workshop: d.workshop()}, err
		}},
		{s.responses, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d responseDoc
			if err := cur.Decode(&d); err != nil {
				return surveys.Record{}, err
			}
			r, err := d.response(nil)
			return surveys.Record{Response: r}, err
		}},
		{s.exclusions, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d exclusionDoc
			err := cur.Decode(&d)
			return surveys.Record{Exclusion: d.exclusion()}, err

		}},
		{s.indicators, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d indicatorDoc
			err := cur.Decode(&d)
			return surveys.Record{Indicator: d.indicator()}, err
		}},
		{s.settings, bson.D{{Key: "_id", Value: settingsID}}, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d settingsDoc
			err := cur.Decode(&d)
			return surveys.Record{Settings: d.settings()}, err
		}},
		{s.quotes, nil, func(cur *mongo.Cursor) (surveys.Record, error) {
			var d quoteDoc
			err := cur.Decode(&d)
			q := d.quote()
			return surveys.Record{Quote: &q}, err
		}},
	}
	for _, st := range steps {
		if err := each(st.c, st.filter, st.decode); err != nil {
			return err
		}
	}
	return nil
}

// Import stores records as they are. A questionnaire already there (a
// built-in one seeded at start) is kept.
func (s *Store) Import(ctx context.Context, recs []surveys.Record) error {
	var users, tokens, workshops, responses, exclusions, indicators, settings, quotes []any
	days := map[string]string{} // response ID → day, for exclusions
	for _, rec := range recs {
		switch {
		case rec.User != nil:
			users = append(users, toUserDoc(rec.User))
		case rec.Token != nil:
			tokens = append(tokens, toTokenDoc(rec.Token))
		case rec.Questionnaire != nil:
			if err := s.EnsureQuestionnaire(ctx, rec.Questionnaire); err != nil {
				return err
			}
		case rec.Workshop != nil:
			workshops = append(workshops, toWorkshopDoc(rec.Workshop))
		case rec.Response != nil:
			responses = append(responses, toResponseDoc(rec.Response))
			days[rec.Response.ID] = rec.Response.Day
		case rec.Exclusion != nil:
			day, ok := days[rec.Exclusion.ResponseID]
			if !ok {
				// Its response came in an earlier chunk of the restore.
				var prev struct {
					Day string `bson:"day"`
				}
				own := bson.D{{Key: "_id", Value: rec.Exclusion.ResponseID}, {Key: "workshop_id", Value: rec.Exclusion.WorkshopID}}
				if err := findOne(ctx, s.responses, own, &prev, "Réponse"); err != nil {
					if surveys.ErrorCode(err) == surveys.ENOTFOUND {
						return surveys.Errorf(surveys.EINVALID, "L'exclusion de la réponse %s ne correspond à aucune réponse.", rec.Exclusion.ResponseID)
					}
					return err
				}
				day = prev.Day
			}
			exclusions = append(exclusions, toExclusionDoc(rec.Exclusion, day))
		case rec.Indicator != nil:
			indicators = append(indicators, toIndicatorDoc(rec.Indicator))
		case rec.Settings != nil:
			settings = append(settings, toSettingsDoc(rec.Settings))
		case rec.Quote != nil:
			quotes = append(quotes, toQuoteDoc(*rec.Quote))
		}
	}
	for _, b := range []struct {
		c    *mongo.Collection
		docs []any
	}{{s.users, users}, {s.tokens, tokens}, {s.workshops, workshops}, {s.responses, responses}, {s.exclusions, exclusions},
		{s.indicators, indicators}, {s.settings, settings}, {s.quotes, quotes}} {
		if len(b.docs) == 0 {
			continue
		}
		if b.c == s.workshops {
			if err := s.markUsed(ctx, b.docs); err != nil {
				return err
			}
		}
		if _, err := b.c.InsertMany(ctx, b.docs); err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return surveys.Errorf(surveys.ECONFLICT, "Un enregistrement importé existe déjà (%s).", b.c.Name())
			}
			return fmt.Errorf("mongodb: import %s: %w", b.c.Name(), err)
		}
	}
	return nil
}
