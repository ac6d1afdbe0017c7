// Package mongodb keeps Déclic's data in MongoDB, or in an embedded FerretDB
// (SQLite files) that speaks the same wire protocol. Queries stay within what
// both implement: CRUD, indexes, $match/$group with $sum.
package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"declic/surveys"
)

var _ surveys.Store = (*Store)(nil)

// Config says which store to open.
type Config struct {
	URI      string // a MongoDB URI; empty starts the embedded store
	DataDir  string // folder of the embedded store's files
	Database string
	// Logger receives the embedded server's own logs; nil discards them,
	// since FerretDB dumps whole wire messages on errors.
	Logger *slog.Logger
}

// Store is a surveys.Store on one MongoDB database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	uri    string

	questionnaires, workshops, responses, users, sessions *mongo.Collection

	stopEmbedded func()
	// questionnaireByID and workshopIDByCode spare the answering path two
	// reads: a questionnaire never changes, nor does a workshop's code.
	questionnaireByID memo[*surveys.Questionnaire]
	workshopIDByCode  memo[string]
	workshopCache     *workshopCache // embedded store only
	counts            *countCache    // embedded store only; see own
	shared            atomic.Bool    // URI was handed out: others may write
	// Now is the clock, swappable in tests.
	Now func() time.Time
}

// Open connects, starting the embedded server first when no URI is given,
// and creates the indexes.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Database == "" {
		cfg.Database = "declic"
	}
	s := &Store{Now: func() time.Time { return time.Now().UTC() }}
	uri := cfg.URI
	if uri == "" {
		u, stop, err := startEmbedded(cfg)
		if err != nil {
			return nil, err
		}
		uri, s.stopEmbedded = u, stop
	}
	s.uri = uri
	// Answers are map[string]any; nested ones (a retrospective answer)
	// must come back as plain maps too, not bson.D.
	opts := options.Client().ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second).
		SetBSONOptions(&options.BSONOptions{DefaultDocumentMap: true})
	if opts.AppName == nil {
		opts.SetAppName("declic")
	}
	if cfg.URI != "" && opts.WriteConcern == nil {
		// An answer is acknowledged once it is in the journal of a majority
		// of the replica set: a failover or a crash does not roll it back.
		// A URI that sets w or journal keeps its own choice.
		journal := true
		opts.SetWriteConcern(&writeconcern.WriteConcern{W: writeconcern.WCMajority, Journal: &journal})
	}
	if cfg.URI == "" {
		s.workshopCache = &workshopCache{}
		s.counts = &countCache{}
		opts.SetMonitor(s.workshopCache.monitor(cfg.Database))
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		s.Close(ctx)
		return nil, fmt.Errorf("mongodb: connect: %w", err)
	}
	s.client = client
	s.db = client.Database(cfg.Database)
	s.questionnaires = s.db.Collection("questionnaires")
	s.workshops = s.db.Collection("workshops")
	s.responses = s.db.Collection("responses")
	s.users = s.db.Collection("users")
	s.sessions = s.db.Collection("sessions")
	if err := s.Ping(ctx); err != nil {
		s.Close(ctx)
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		s.Close(ctx)
		return nil, err
	}
	if cfg.URI == "" {
		if err := indexIDPaths(ctx, cfg.DataDir, cfg.Database); err != nil {
			s.Close(ctx)
			return nil, err
		}
	}
	return s, nil
}

func startEmbedded(cfg Config) (uri string, stop func(), err error) {
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return "", nil, fmt.Errorf("mongodb: data folder: %w", err)
	}
	dir = filepath.Join(dir, "db")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("mongodb: data folder: %w", err)
	}
	logger := cfg.Logger
	if logger == nil {
		// DiscardHandler, not a text handler on io.Discard: FerretDB calls
		// Logger.With on every statement, which a real handler formats
		// (3 % of the CPU of an answer).
		logger = slog.New(slog.DiscardHandler)
	}
	// WAL, as FerretDB sets it, plus synchronous=FULL: each commit is
	// fsynced before FerretDB answers, so an acknowledged answer survives
	// a kill -9 and a power cut too.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(full)",
		Logger:    logger,
	})
	if err != nil {
		return "", nil, fmt.Errorf("mongodb: start embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	stop = func() {
		cancel()
		<-done
	}
	return f.MongoDBURI(), stop, nil
}

// URI is the address the store answers at. For the embedded store it is a
// loopback mongodb:// URI that other processes of this machine (a second
// declic, the load command) can use while this Store is open. Once it is
// handed out, this process is no longer the store's only writer, so it
// stops keeping counts and answers in memory.
func (s *Store) URI() string {
	s.shared.Store(true)
	return s.uri
}

// Embedded tells whether this Store runs the embedded server.
func (s *Store) Embedded() bool { return s.stopEmbedded != nil }

// Ping answers once the store answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		return fmt.Errorf("mongodb: ping: %w", err)
	}
	return nil
}

// Close disconnects and stops the embedded server, which flushes its files.
func (s *Store) Close(ctx context.Context) error {
	var err error
	if s.client != nil {
		err = s.client.Disconnect(ctx)
	}
	if s.stopEmbedded != nil {
		s.stopEmbedded()
	}
	return err
}

// Drop deletes the whole database; tests use it on a shared MongoDB.
func (s *Store) Drop(ctx context.Context) error {
	s.forgetCounts("")
	return s.db.Drop(ctx)
}

func (s *Store) createIndexes(ctx context.Context) error {
	unique := options.Index().SetUnique(true)
	for _, ix := range []struct {
		coll   *mongo.Collection
		models []mongo.IndexModel
	}{
		{s.responses, []mongo.IndexModel{
			{Keys: bson.D{{Key: "submission_id", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "workshop_id", Value: 1}, {Key: "phase", Value: 1}, {Key: "participant", Value: 1}}},
		}},
		{s.workshops, []mongo.IndexModel{
			{Keys: bson.D{{Key: "code", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "date", Value: -1}}},
			{Keys: bson.D{{Key: "owner_id", Value: 1}, {Key: "date", Value: -1}}},
		}},
		{s.users, []mongo.IndexModel{
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: unique},
		}},
		{s.sessions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "user_id", Value: 1}}},
		}},
		{s.tokens(), []mongo.IndexModel{
			{Keys: bson.D{{Key: "hash", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "user_id", Value: 1}}},
		}},
	} {
		// One at a time: FerretDB 1.24 panics on createIndexes with several
		// indexes that already exist, which every restart would hit.
		for _, m := range ix.models {
			if _, err := ix.coll.Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("mongodb: create indexes on %s: %w", ix.coll.Name(), err)
			}
		}
	}
	return nil
}

func newID() string { return bson.NewObjectID().Hex() }

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
