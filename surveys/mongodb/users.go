package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"declic/surveys"
)

// CreateUser stores u under a new ID; an e-mail already used is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *surveys.User) error {
	u.ID = newID()
	u.CreatedAt = s.Now()
	_, err := s.users.InsertOne(ctx, u)
	if mongo.IsDuplicateKeyError(err) {
		return &surveys.Error{Code: surveys.ECONFLICT, Message: "Un compte existe déjà avec cette adresse.",
			Fields: map[string]string{"email": "déjà utilisée"}}
	}
	if err != nil {
		return fmt.Errorf("mongodb: insert user: %w", err)
	}
	return nil
}

// User returns one user by ID.
func (s *Store) User(ctx context.Context, id string) (*surveys.User, error) {
	var u surveys.User
	if err := findOne(ctx, s.users, bson.D{{Key: "_id", Value: id}}, &u, "Compte"); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByEmail returns the user who logs in with email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*surveys.User, error) {
	var u surveys.User
	if err := findOne(ctx, s.users, bson.D{{Key: "email", Value: email}}, &u, "Compte"); err != nil {
		return nil, err
	}
	return &u, nil
}

// CountUsers counts accounts, to know whether to create the first admin.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("mongodb: count users: %w", err)
	}
	return n, nil
}

// CreateSession stores a login.
func (s *Store) CreateSession(ctx context.Context, sess *surveys.Session) error {
	if _, err := s.sessions.InsertOne(ctx, sess); err != nil {
		return fmt.Errorf("mongodb: insert session: %w", err)
	}
	return nil
}

// Session returns an unexpired login; an expired one is ENOTFOUND.
func (s *Store) Session(ctx context.Context, id string) (*surveys.Session, error) {
	var sess surveys.Session
	if err := findOne(ctx, s.sessions, bson.D{{Key: "_id", Value: id}}, &sess, "Session"); err != nil {
		return nil, err
	}
	if !s.Now().Before(sess.ExpiresAt) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Session expirée.")
	}
	return &sess, nil
}

// DeleteSession ends a login.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("mongodb: delete session: %w", err)
	}
	return nil
}
