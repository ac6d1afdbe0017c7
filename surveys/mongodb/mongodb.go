// Package mongodb keeps Déclic's data in MongoDB: the store for real
// deployments, a replica set, then a sharded cluster or Atlas. Several
// declic processes can share one database: nothing here is cached in
// memory except questionnaires a workshop used or the library holds, which
// change no more (added translations aside, seen by other processes when
// they restart).
//
// Domain types carry no storage tags; each collection has its document
// type here (docs.go), converted at this boundary.
package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"declic/surveys"
)

var _ surveys.Store = (*Store)(nil)

// Config says which database to use.
type Config struct {
	URI      string // a mongodb:// or mongodb+srv:// URI
	Database string // default "declic"
	// Now is the clock; nil is the real one, in UTC.
	Now func() time.Time
}

// Store is a surveys.Store on one MongoDB database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database

	questionnaires, workshops, responses, users, sessions, tokens *mongo.Collection
	// exclusions is the audit trail of exclusions (exclusions.go).
	exclusions                   *mongo.Collection
	indicators, settings, quotes *mongo.Collection
	// approvals are the facilitators' decisions on free-text answers
	// for the live page (approvals.go).
	approvals *mongo.Collection

	// questionnaireByID spares the answering path a read: a stored
	// questionnaire never changes, so every process may keep it.
	questionnaireByID memo[*surveys.Questionnaire]
	now               func() time.Time
}

// Open connects and creates the indexes.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("mongodb: no URI")
	}
	if cfg.Database == "" {
		cfg.Database = "declic"
	}
	s := &Store{now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	opts := options.Client().ApplyURI(cfg.URI).SetServerSelectionTimeout(10 * time.Second)
	if opts.AppName == nil {
		opts.SetAppName("declic")
	}
	if opts.WriteConcern == nil {
		// An answer is acknowledged once it is in the journal of a majority
		// of the replica set: a failover or a crash does not roll it back.
		// A URI that sets w or journal keeps its own choice.
		journal := true
		opts.SetWriteConcern(&writeconcern.WriteConcern{W: writeconcern.WCMajority, Journal: &journal})
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: connect: %w", err)
	}
	s.client = client
	s.db = client.Database(cfg.Database)
	s.questionnaires = s.db.Collection("questionnaires")
	s.workshops = s.db.Collection("workshops")
	s.responses = s.db.Collection("responses")
	s.users = s.db.Collection("users")
	s.sessions = s.db.Collection("sessions")
	s.tokens = s.db.Collection("tokens")
	s.exclusions = s.db.Collection("exclusions")
	s.indicators = s.db.Collection("indicators")
	s.settings = s.db.Collection("settings")
	s.quotes = s.db.Collection("quotes")
	s.approvals = s.db.Collection("text_approvals")
	if err := s.Ping(ctx); err != nil {
		s.Close(ctx)
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		s.Close(ctx)
		return nil, err
	}
	var mark restoreMarkDoc
	switch err := s.settings.FindOne(ctx, bson.D{{Key: "_id", Value: restoreMarkID}}).Decode(&mark); {
	case err == nil:
		s.Close(ctx)
		return nil, fmt.Errorf("mongodb: database %s (restore started %s): %w; drop it (db.dropDatabase() in mongosh), then run declic restore again",
			cfg.Database, mark.StartedAt.Format(time.RFC3339), surveys.ErrRestoreInterrupted)
	case !errors.Is(err, mongo.ErrNoDocuments):
		s.Close(ctx)
		return nil, fmt.Errorf("mongodb: read the restore mark: %w", err)
	}
	return s, nil
}

// restoreMarkID is the settings document present while a restore runs.
const restoreMarkID = "restore_underway"

type restoreMarkDoc struct {
	ID        string    `bson:"_id"`
	StartedAt time.Time `bson:"started_at"`
}

// MarkRestore sets or clears the mark of a restore under way
// (surveys.RestoreMarker).
func (s *Store) MarkRestore(ctx context.Context, underway bool) error {
	filter := bson.D{{Key: "_id", Value: restoreMarkID}}
	var err error
	if underway {
		_, err = s.settings.ReplaceOne(ctx, filter, restoreMarkDoc{ID: restoreMarkID, StartedAt: s.clock()}, options.Replace().SetUpsert(true))
	} else {
		_, err = s.settings.DeleteOne(ctx, filter)
	}
	if err != nil {
		return fmt.Errorf("mongodb: mark restore: %w", err)
	}
	return nil
}

func (s *Store) clock() time.Time { return s.now().UTC() }

// Ping answers once the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		return fmt.Errorf("mongodb: ping: %w", err)
	}
	return nil
}

// Close disconnects.
func (s *Store) Close(ctx context.Context) error {
	return s.client.Disconnect(ctx)
}

// Drop deletes the whole database; tests use it on a shared server.
func (s *Store) Drop(ctx context.Context) error {
	return s.db.Drop(ctx)
}

func (s *Store) createIndexes(ctx context.Context) error {
	unique := options.Index().SetUnique(true)
	for _, ix := range []struct {
		coll   *mongo.Collection
		models []mongo.IndexModel
	}{
		{s.responses, []mongo.IndexModel{
			// _id derives from submission_id (surveys.ResponseID): retries
			// are found by _id; this index serves results and reports in
			// the order EachResponse promises, and is the shard key the
			// README argues for.
			{Keys: bson.D{{Key: "workshop_id", Value: 1}, {Key: "_id", Value: 1}}},
			{Keys: bson.D{{Key: "day", Value: 1}}},
		}},
		{s.exclusions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "workshop_id", Value: 1}, {Key: "_id", Value: 1}}},
			{Keys: bson.D{{Key: "response_day", Value: 1}}},
		}},
		{s.workshops, []mongo.IndexModel{
			{Keys: bson.D{{Key: "code", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "date", Value: -1}}},
			{Keys: bson.D{{Key: "owner_id", Value: 1}, {Key: "date", Value: -1}}},
			{Keys: bson.D{{Key: "facilitators", Value: 1}}},
			{Keys: bson.D{{Key: "partner_key", Value: 1}, {Key: "date", Value: -1}}},
			{Keys: bson.D{{Key: "tag_keys", Value: 1}}},
			{Keys: bson.D{{Key: "questionnaire_id", Value: 1}, {Key: "date", Value: -1}}},
		}},
		{s.users, []mongo.IndexModel{
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: unique},
		}},
		{s.sessions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "user_id", Value: 1}}},
		}},
		{s.tokens, []mongo.IndexModel{
			{Keys: bson.D{{Key: "hash", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "user_id", Value: 1}}},
		}},
		{s.indicators, []mongo.IndexModel{
			{Keys: bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}},
		}},
		{s.quotes, []mongo.IndexModel{
			{Keys: bson.D{{Key: "workshop_id", Value: 1}, {Key: "response_id", Value: 1}, {Key: "item_key", Value: 1}}},
		}},
		{s.approvals, []mongo.IndexModel{
			{Keys: bson.D{{Key: "workshop_id", Value: 1}, {Key: "response_id", Value: 1}, {Key: "item_key", Value: 1}}},
		}},
	} {
		// One at a time: FerretDB, which tests run this store against,
		// panics on createIndexes with several indexes that already exist.
		for _, m := range ix.models {
			if _, err := ix.coll.Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("mongodb: create indexes on %s: %w", ix.coll.Name(), err)
			}
		}
	}
	return nil
}

// findOne decodes one document or returns ENOTFOUND with the given message.
func findOne(ctx context.Context, c *mongo.Collection, filter any, v any, what string) error {
	err := c.FindOne(ctx, filter).Decode(v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return surveys.Errorf(surveys.ENOTFOUND, "%s introuvable.", what)
	}
	if err != nil {
		return fmt.Errorf("mongodb: find %s: %w", c.Name(), err)
	}
	return nil
}

// deleteOne deletes the document filter matches; none is ENOTFOUND,
// "<thing> introuvable.".
func deleteOne(ctx context.Context, c *mongo.Collection, what, thing string, filter any) error {
	res, err := c.DeleteOne(ctx, filter)
	if err != nil {
		return fmt.Errorf("mongodb: %s: %w", what, err)
	}
	if res.DeletedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "%s introuvable.", thing)
	}
	return nil
}

// findDocs decodes every document filter matches, in the order opts sets.
func findDocs[D any](ctx context.Context, c *mongo.Collection, what string, filter any, opts *options.FindOptionsBuilder) ([]D, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: %s: %w", what, err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("mongodb: %s: %w", what, err)
	}
	return docs, nil
}

// findAll is findDocs with each document converted by conv.
func findAll[D, T any](ctx context.Context, c *mongo.Collection, what string, filter any, opts *options.FindOptionsBuilder, conv func(*D) T) ([]T, error) {
	docs, err := findDocs[D](ctx, c, what, filter, opts)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(docs))
	for i := range docs {
		out[i] = conv(&docs[i])
	}
	return out, nil
}

// Empty tells whether the database holds nothing but built-in questionnaires.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	for _, c := range []struct {
		coll   *mongo.Collection
		filter bson.D
	}{
		{s.users, bson.D{}}, {s.workshops, bson.D{}}, {s.responses, bson.D{}},
		{s.questionnaires, bson.D{{Key: "builtin", Value: false}}},
	} {
		n, err := c.coll.CountDocuments(ctx, c.filter, options.Count().SetLimit(1))
		if err != nil {
			return false, fmt.Errorf("mongodb: count %s: %w", c.coll.Name(), err)
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// keyCheckID is the settings document that holds the pseudonym key's check.
const keyCheckID = "key_check"

type keyCheckDoc struct {
	ID    string `bson:"_id"`
	Check string `bson:"check"`
}

// KeyCheck is the stored check of the pseudonym key (surveys.KeyChecker).
func (s *Store) KeyCheck(ctx context.Context) (string, error) {
	var d keyCheckDoc
	err := s.settings.FindOne(ctx, bson.D{{Key: "_id", Value: keyCheckID}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("mongodb: read key check: %w", err)
	}
	return d.Check, nil
}

// SetKeyCheck replaces the check of the pseudonym key old by check, in
// one operation that finds old (or none) or fails.
func (s *Store) SetKeyCheck(ctx context.Context, old, check string) error {
	conflict := surveys.Errorf(surveys.ECONFLICT, "La clé des pseudonymes vient d'être enregistrée par un autre processus.")
	was := bson.D{{Key: "_id", Value: keyCheckID}, {Key: "check", Value: old}}
	switch {
	case old == "" && check == "":
		return nil
	case old == "":
		_, err := s.settings.InsertOne(ctx, keyCheckDoc{ID: keyCheckID, Check: check})
		if mongo.IsDuplicateKeyError(err) {
			return conflict
		}
		if err != nil {
			return fmt.Errorf("mongodb: save key check: %w", err)
		}
		return nil
	case check == "":
		res, err := s.settings.DeleteOne(ctx, was)
		if err != nil {
			return fmt.Errorf("mongodb: remove key check: %w", err)
		}
		if res.DeletedCount == 0 {
			return conflict
		}
		return nil
	}
	res, err := s.settings.UpdateOne(ctx, was, bson.D{{Key: "$set", Value: bson.D{{Key: "check", Value: check}}}})
	if err != nil {
		return fmt.Errorf("mongodb: save key check: %w", err)
	}
	if res.MatchedCount == 0 {
		return conflict
	}
	return nil
}
