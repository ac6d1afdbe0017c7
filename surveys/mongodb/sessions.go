package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"declic/surveys"
)

// CreateSession stores a login, and forgets the user's expired ones so
// that the collection does not grow with every login.
func (s *Store) CreateSession(ctx context.Context, sess *surveys.Session) error {
	d := sessionDoc{ID: sess.ID, UserID: sess.UserID, CreatedAt: sess.CreatedAt, ExpiresAt: sess.ExpiresAt}
	if _, err := s.sessions.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("mongodb: insert session: %w", err)
	}
	expired := bson.D{{Key: "user_id", Value: sess.UserID}, {Key: "expires_at", Value: bson.D{{Key: "$lte", Value: s.clock()}}}}
	if _, err := s.sessions.DeleteMany(ctx, expired); err != nil {
		return fmt.Errorf("mongodb: delete expired sessions: %w", err)
	}
	return nil
}

// Session returns an unexpired login; an expired one is ENOTFOUND.
func (s *Store) Session(ctx context.Context, id string) (*surveys.Session, error) {
	var d sessionDoc
	if err := findOne(ctx, s.sessions, bson.D{{Key: "_id", Value: id}}, &d, "Session"); err != nil {
		return nil, err
	}
	if !s.clock().Before(d.ExpiresAt) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Session expirée.")
	}
	return &surveys.Session{ID: d.ID, UserID: d.UserID, CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// DeleteSession ends a login.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete session: %w", err)
	}
	return nil
}

// DeleteSessionsOf ends every login of a user but except (may be empty).
func (s *Store) DeleteSessionsOf(ctx context.Context, userID, except string) error {
	filter := bson.D{{Key: "user_id", Value: userID}}
	if except != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: except}}})
	}
	if _, err := s.sessions.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("mongodb: delete sessions: %w", err)
	}
	return nil
}
