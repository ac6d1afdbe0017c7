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

// CreateUser stores u under a new ID; an e-mail already used is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *surveys.User) error {
	u.ID = surveys.NewID()
	u.CreatedAt = s.clock()
	_, err := s.users.InsertOne(ctx, toUserDoc(u))
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
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}})
}

// UserByEmail returns the user who logs in with email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*surveys.User, error) {
	return s.findUser(ctx, bson.D{{Key: "email", Value: email}})
}

func (s *Store) findUser(ctx context.Context, filter bson.D) (*surveys.User, error) {
	var d userDoc
	if err := findOne(ctx, s.users, filter, &d, "Compte"); err != nil {
		return nil, err
	}
	return d.user(), nil
}

// CountUsers counts accounts, to know whether to create the first admin.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("mongodb: count users: %w", err)
	}
	return n, nil
}

// Users lists every account, oldest first.
func (s *Store) Users(ctx context.Context) ([]*surveys.User, error) {
	return findAll(ctx, s.users, "list users", bson.D{},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}), (*userDoc).user)
}

// UpdateUser applies the non-nil fields of up.
func (s *Store) UpdateUser(ctx context.Context, id string, up surveys.UserUpdate) (*surveys.User, error) {
	set := bson.D{}
	if up.Role != nil {
		set = append(set, bson.E{Key: "role", Value: string(*up.Role)})
	}
	if up.Disabled != nil {
		set = append(set, bson.E{Key: "disabled", Value: *up.Disabled})
	}
	if up.PasswordHash != nil {
		set = append(set, bson.E{Key: "password_hash", Value: *up.PasswordHash})
	}
	if up.MustChangePassword != nil {
		set = append(set, bson.E{Key: "must_change_password", Value: *up.MustChangePassword})
	}
	if len(set) == 0 {
		return s.User(ctx, id)
	}
	var d userDoc
	err := s.users.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Compte introuvable.")
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: update user: %w", err)
	}
	return d.user(), nil
}

// CountActiveAdmins counts admins who can still log in.
func (s *Store) CountActiveAdmins(ctx context.Context) (int64, error) {
	n, err := s.users.CountDocuments(ctx, bson.D{{Key: "role", Value: string(surveys.RoleAdmin)}, {Key: "disabled", Value: false}})
	if err != nil {
		return 0, fmt.Errorf("mongodb: count admins: %w", err)
	}
	return n, nil
}
