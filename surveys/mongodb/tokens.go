package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// CreateToken stores t under a new ID, at most surveys.MaxTokens per user.
func (s *Store) CreateToken(ctx context.Context, t *surveys.Token) error {
	n, err := s.tokens.CountDocuments(ctx, bson.D{{Key: "user_id", Value: t.UserID}})
	if err != nil {
		return fmt.Errorf("mongodb: count tokens: %w", err)
	}
	if n >= surveys.MaxTokens {
		return surveys.Errorf(surveys.ECONFLICT, "Vous avez déjà %d jetons : révoquez-en un avant d'en créer un autre.", surveys.MaxTokens)
	}
	t.ID = surveys.NewID()
	t.CreatedOn = s.clock().Format("2006-01-02")
	if _, err := s.tokens.InsertOne(ctx, toTokenDoc(t)); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return surveys.Errorf(surveys.ECONFLICT, "Ce jeton existe déjà.")
		}
		return fmt.Errorf("mongodb: insert token: %w", err)
	}
	return nil
}

// TokenByHash finds the token whose secret hashes to hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*surveys.Token, error) {
	var d tokenDoc
	if err := findOne(ctx, s.tokens, bson.D{{Key: "hash", Value: hash}}, &d, "Jeton"); err != nil {
		return nil, err
	}
	return d.token(), nil
}

// Tokens lists a user's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID string) ([]*surveys.Token, error) {
	opts := options.Find().SetSort(bson.D{{Key: "created_on", Value: -1}, {Key: "_id", Value: -1}})
	return findAll(ctx, s.tokens, "list tokens", bson.D{{Key: "user_id", Value: userID}}, opts, (*tokenDoc).token)
}

// DeleteToken revokes one of userID's tokens.
func (s *Store) DeleteToken(ctx context.Context, userID, id string) error {
	return deleteOne(ctx, s.tokens, "delete token", "Jeton", bson.D{{Key: "_id", Value: id}, {Key: "user_id", Value: userID}})
}

// DeleteTokensOf revokes every token of a user.
func (s *Store) DeleteTokensOf(ctx context.Context, userID string) error {
	if _, err := s.tokens.DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}}); err != nil {
		return fmt.Errorf("mongodb: delete tokens: %w", err)
	}
	return nil
}

// TouchToken records the day a token was last used.
func (s *Store) TouchToken(ctx context.Context, id, day string) error {
	_, err := s.tokens.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "last_used_on", Value: day}}}})
	if err != nil {
		return fmt.Errorf("mongodb: touch token: %w", err)
	}
	return nil
}
