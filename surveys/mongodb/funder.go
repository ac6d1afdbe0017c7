package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// Indicators, the organisation's settings and the quotes chosen for
// reports: what a funding report adds to the answers.

type indicatorDoc struct {
	ID              string    `bson:"_id"`
	Name            string    `bson:"name"`
	NameKey         string    `bson:"name_key"`
	QuestionnaireID string    `bson:"questionnaire_id"`
	Item            string    `bson:"item,omitempty"`
	Scale           string    `bson:"scale,omitempty"`
	Measure         string    `bson:"measure"`
	Threshold       *float64  `bson:"threshold,omitempty"`
	Baseline        *float64  `bson:"baseline,omitempty"`
	Target          *float64  `bson:"target,omitempty"`
	From            string    `bson:"from,omitempty"`
	To              string    `bson:"to,omitempty"`
	Verification    string    `bson:"verification,omitempty"`
	OwnerID         string    `bson:"owner_id,omitempty"`
	CreatedAt       time.Time `bson:"created_at"`
	UpdatedAt       time.Time `bson:"updated_at"`
}

func toIndicatorDoc(ind *surveys.Indicator) *indicatorDoc {
	return &indicatorDoc{
		ID: ind.ID, Name: ind.Name, NameKey: surveys.MatchKey(ind.Name), QuestionnaireID: ind.QuestionnaireID,
		Item: ind.Item, Scale: ind.Scale, Measure: string(ind.Measure), Threshold: ind.Threshold,
		Baseline: ind.Baseline, Target: ind.Target, From: ind.From, To: ind.To, Verification: ind.Verification,
		OwnerID: ind.OwnerID, CreatedAt: ind.CreatedAt, UpdatedAt: ind.UpdatedAt,
	}
}

func (d *indicatorDoc) indicator() *surveys.Indicator {
	return &surveys.Indicator{
		ID: d.ID, Name: d.Name, QuestionnaireID: d.QuestionnaireID, Item: d.Item, Scale: d.Scale,
		Measure: surveys.Measure(d.Measure), Threshold: d.Threshold, Baseline: d.Baseline, Target: d.Target,
		From: d.From, To: d.To, Verification: d.Verification, OwnerID: d.OwnerID,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
}

// CreateIndicator stores ind under a new ID.
func (s *Store) CreateIndicator(ctx context.Context, ind *surveys.Indicator) error {
	ind.ID = surveys.NewID()
	ind.CreatedAt = s.clock().Truncate(time.Millisecond)
	ind.UpdatedAt = ind.CreatedAt
	if _, err := s.indicators.InsertOne(ctx, toIndicatorDoc(ind)); err != nil {
		return fmt.Errorf("mongodb: insert indicator: %w", err)
	}
	return nil
}

// Indicator returns one indicator.
func (s *Store) Indicator(ctx context.Context, id string) (*surveys.Indicator, error) {
	var d indicatorDoc
	if err := findOne(ctx, s.indicators, bson.D{{Key: "_id", Value: id}}, &d, "Indicateur"); err != nil {
		return nil, err
	}
	return d.indicator(), nil
}

// Indicators lists every indicator by name.
func (s *Store) Indicators(ctx context.Context) ([]*surveys.Indicator, error) {
	return findAll(ctx, s.indicators, "list indicators", bson.D{},
		options.Find().SetSort(bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}), (*indicatorDoc).indicator)
}

// UpdateIndicator replaces an indicator's definition, keeping its owner
// and creation time.
func (s *Store) UpdateIndicator(ctx context.Context, ind *surveys.Indicator) error {
	old, err := s.Indicator(ctx, ind.ID)
	if err != nil {
		return err
	}
	ind.OwnerID, ind.CreatedAt, ind.UpdatedAt = old.OwnerID, old.CreatedAt, s.clock().Truncate(time.Millisecond)
	res, err := s.indicators.ReplaceOne(ctx, bson.D{{Key: "_id", Value: ind.ID}}, toIndicatorDoc(ind))
	if err != nil {
		return fmt.Errorf("mongodb: update indicator: %w", err)
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "Indicateur introuvable.")
	}
	return nil
}

// DeleteIndicator deletes one indicator.
func (s *Store) DeleteIndicator(ctx context.Context, id string) error {
	return deleteOne(ctx, s.indicators, "delete indicator", "Indicateur", bson.D{{Key: "_id", Value: id}})
}

// settingsID is the one settings document.
const settingsID = "organisation"

type settingsDoc struct {
	ID               string    `bson:"_id"`
	OrganisationName string    `bson:"organisation_name"`
	Logo             []byte    `bson:"logo,omitempty"`
	LogoType         string    `bson:"logo_type,omitempty"`
	UpdatedAt        time.Time `bson:"updated_at"`
	UpdatedBy        string    `bson:"updated_by,omitempty"`
}

func toSettingsDoc(st *surveys.Settings) *settingsDoc {
	return &settingsDoc{ID: settingsID, OrganisationName: st.OrganisationName, Logo: st.Logo, LogoType: st.LogoType,
		UpdatedAt: st.UpdatedAt, UpdatedBy: st.UpdatedBy}
}

func (d *settingsDoc) settings() *surveys.Settings {
	return &surveys.Settings{OrganisationName: d.OrganisationName, Logo: d.Logo, LogoType: d.LogoType,
		UpdatedAt: d.UpdatedAt.UTC(), UpdatedBy: d.UpdatedBy}
}

// Settings returns the saved settings, or empty ones.
func (s *Store) Settings(ctx context.Context) (*surveys.Settings, error) {
	var d settingsDoc
	err := s.settings.FindOne(ctx, bson.D{{Key: "_id", Value: settingsID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &surveys.Settings{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: read settings: %w", err)
	}
	return d.settings(), nil
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(ctx context.Context, st *surveys.Settings) error {
	st.UpdatedAt = s.clock().Truncate(time.Millisecond)
	_, err := s.settings.ReplaceOne(ctx, bson.D{{Key: "_id", Value: settingsID}}, toSettingsDoc(st), options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mongodb: save settings: %w", err)
	}
	return nil
}

// quoteDoc's _id is the quote itself, so that a quote is stored once.
type quoteDoc struct {
	ID         string `bson:"_id"`
	WorkshopID string `bson:"workshop_id"`
	ResponseID string `bson:"response_id"`
	ItemKey    string `bson:"item_key"`
}

func toQuoteDoc(q surveys.Quote) quoteDoc {
	return quoteDoc{ID: q.WorkshopID + "/" + q.ResponseID + "/" + q.ItemKey, WorkshopID: q.WorkshopID, ResponseID: q.ResponseID, ItemKey: q.ItemKey}
}

func (d *quoteDoc) quote() surveys.Quote {
	return surveys.Quote{WorkshopID: d.WorkshopID, ResponseID: d.ResponseID, ItemKey: d.ItemKey}
}

// SelectQuotes replaces the chosen quotes of the workshops. Without a
// transaction (FerretDB has none), a failure between the delete and the
// insert leaves fewer quotes chosen, never a quote nobody chose.
func (s *Store) SelectQuotes(ctx context.Context, workshopIDs []string, quotes []surveys.Quote) error {
	in := map[string]bool{}
	for _, id := range workshopIDs {
		in[id] = true
	}
	docs := make([]any, 0, len(quotes))
	seen, quoted := map[string]bool{}, map[string]bool{}
	for _, q := range quotes {
		if !in[q.WorkshopID] {
			return surveys.Errorf(surveys.EINVALID, "Citation d'un atelier hors du rapport.")
		}
		if d := toQuoteDoc(q); !seen[d.ID] {
			seen[d.ID] = true
			docs = append(docs, d)
		}
		quoted[q.WorkshopID] = true
	}
	for id := range quoted {
		if _, err := s.Workshop(ctx, id); err != nil {
			return err
		}
	}
	if len(workshopIDs) > 0 {
		if _, err := s.quotes.DeleteMany(ctx, bson.D{{Key: "workshop_id", Value: bson.D{{Key: "$in", Value: workshopIDs}}}}); err != nil {
			return fmt.Errorf("mongodb: select quotes: %w", err)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	if _, err := s.quotes.InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("mongodb: select quotes: %w", err)
	}
	return nil
}

// Quotes lists the chosen quotes of the workshops.
func (s *Store) Quotes(ctx context.Context, workshopIDs []string) ([]surveys.Quote, error) {
	if len(workshopIDs) == 0 {
		return []surveys.Quote{}, nil
	}
	return findAll(ctx, s.quotes, "list quotes", bson.D{{Key: "workshop_id", Value: bson.D{{Key: "$in", Value: workshopIDs}}}},
		options.Find().SetSort(bson.D{{Key: "workshop_id", Value: 1}, {Key: "response_id", Value: 1}, {Key: "item_key", Value: 1}}),
		(*quoteDoc).quote)
}
