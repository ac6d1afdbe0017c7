package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
)

// The documents as earlier versions stored them (bson tags on the domain
// types of that time).
type oldQuestionnaire struct {
	ID          string         `bson:"_id" json:"id"`
	Title       string         `bson:"title" json:"title"`
	Description string         `bson:"description,omitempty" json:"description,omitempty"`
	Theme       string         `bson:"theme,omitempty" json:"theme,omitempty"`
	Language    string         `bson:"language" json:"language"`
	Items       []bson.M       `bson:"items" json:"items"`
	Scales      []bson.M       `bson:"scales,omitempty" json:"scales,omitempty"`
	Builtin     bool           `bson:"builtin" json:"builtin"`
	OwnerID     string         `bson:"owner_id,omitempty" json:"-"`
	CreatedAt   time.Time      `bson:"created_at" json:"created_at"`
	Extra       map[string]any `bson:",inline" json:"-"`
}

type oldWorkshop struct {
	ID              string    `bson:"_id"`
	Code            string    `bson:"code"`
	QuestionnaireID string    `bson:"questionnaire_id"`
	Title           string    `bson:"title"`
	Date            string    `bson:"date"`
	Partner         string    `bson:"partner"`
	Group           string    `bson:"group"`
	Place           string    `bson:"place,omitempty"`
	Attendance      int       `bson:"attendance,omitempty"`
	Tags            []string  `bson:"tags"`
	Phase           string    `bson:"phase"`
	OwnerID         string    `bson:"owner_id"`
	Facilitators    []string  `bson:"facilitators,omitempty"`
	CreatedAt       time.Time `bson:"created_at"`
	UpdatedAt       time.Time `bson:"updated_at"`
}

type oldResponse struct {
	ID           string    `bson:"_id"`
	SubmissionID string    `bson:"submission_id"`
	WorkshopID   string    `bson:"workshop_id"`
	Phase        string    `bson:"phase"`
	Participant  string    `bson:"participant"`
	Answers      bson.M    `bson:"answers"`
	CreatedAt    time.Time `bson:"created_at"`
}

type oldUser struct {
	ID                 string    `bson:"_id"`
	Email              string    `bson:"email"`
	Role               string    `bson:"role"`
	PasswordHash       string    `bson:"password_hash"`
	Disabled           bool      `bson:"disabled"`
	MustChangePassword bool      `bson:"must_change_password"`
	CreatedAt          time.Time `bson:"created_at"`
}

type oldToken struct {
	ID         string `bson:"_id"`
	Hash       string `bson:"hash"`
	UserID     string `bson:"user_id"`
	Name       string `bson:"name"`
	CreatedOn  string `bson:"created_on"`
	LastUsedOn string `bson:"last_used_on,omitempty"`
}

// oldStore reads an earlier version's database as dump records.
type oldStore struct {
	db *mongo.Database
	n  struct{ users, tokens, questionnaires, workshops, responses int }
}

func each[T any](ctx context.Context, c *mongo.Collection, fn func(*T) error) error {
	cur, err := c.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("read %s: %w", c.Name(), err)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return cur.Err()
}

// Export converts every document: in the order a dump wants them.
func (o *oldStore) Export(ctx context.Context, fn func(surveys.Record) error) error {
	if err := each(ctx, o.db.Collection("users"), func(u *oldUser) error {
		o.n.users++
		return fn(surveys.Record{User: &surveys.User{ID: u.ID, Email: u.Email, Role: surveys.Role(u.Role), PasswordHash: u.PasswordHash,
			Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt.UTC()}})
	}); err != nil {
		return err
	}
	if err := each(ctx, o.db.Collection("tokens"), func(t *oldToken) error {
		o.n.tokens++
		return fn(surveys.Record{Token: &surveys.Token{ID: t.ID, Hash: t.Hash, UserID: t.UserID, Name: t.Name, CreatedOn: t.CreatedOn, LastUsedOn: t.LastUsedOn}})
	}); err != nil {
		return err
	}
	questionnaires := map[string]*surveys.Questionnaire{}
	if err := each(ctx, o.db.Collection("questionnaires"), func(d *oldQuestionnaire) error {
		q, err := d.convert()
		if err != nil {
			return fmt.Errorf("questionnaire %s: %w", d.ID, err)
		}
		questionnaires[q.ID] = q
		o.n.questionnaires++
		return fn(surveys.Record{Questionnaire: q})
	}); err != nil {
		return err
	}
	workshops := map[string]*surveys.Questionnaire{}
	if err := each(ctx, o.db.Collection("workshops"), func(d *oldWorkshop) error {
		workshops[d.ID] = questionnaires[d.QuestionnaireID]
		o.n.workshops++
		return fn(surveys.Record{Workshop: &surveys.Workshop{ID: d.ID, Code: d.Code, QuestionnaireID: d.QuestionnaireID, Title: d.Title,
			Date: d.Date, Partner: d.Partner, Group: d.Group, Place: d.Place, Attendance: d.Attendance, Tags: d.Tags,
			Phase: surveys.Phase(d.Phase), OwnerID: d.OwnerID, Facilitators: d.Facilitators,
			CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: 1}})
	}); err != nil {
		return err
	}
	return each(ctx, o.db.Collection("responses"), func(d *oldResponse) error {
		q := workshops[d.WorkshopID]
		if q == nil {
			return nil // the answer of a deleted workshop
		}
		r := &surveys.Response{ID: surveys.ResponseID(d.SubmissionID), SubmissionID: d.SubmissionID, WorkshopID: d.WorkshopID,
			Phase: surveys.Phase(d.Phase), Participant: d.Participant, Day: d.CreatedAt.UTC().Format(time.DateOnly),
			Answers: surveys.Answers{}}
		for k, v := range d.Answers {
			it, ok := q.Item(k)
			if !ok {
				continue
			}
			a, msg := it.Decode(jsonLike(v))
			if msg != "" {
				return fmt.Errorf("response %s, answer %s: %s", d.ID, k, msg)
			}
			if !a.IsZero() {
				r.Answers[k] = a
			}
		}
		o.n.responses++
		return fn(surveys.Record{Response: r})
	})
}

// convert reads an old definition through today's definition format
// (its texts were plain strings, which that format still takes).
func (d *oldQuestionnaire) convert() (*surveys.Questionnaire, error) {
	def, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var q surveys.Questionnaire
	if err := json.Unmarshal(def, &q); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.OwnerID, q.CreatedAt = d.OwnerID, d.CreatedAt.UTC()
	return &q, nil
}

// jsonLike turns a stored BSON value into what JSON decoding gives, for
// the item types' own checks.
func jsonLike(v any) any {
	switch x := v.(type) {
	case int32:
		return json.Number(strconv.Itoa(int(x)))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case float64:
		return x
	case bson.A:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonLike(e)
		}
		return out
	case bson.M:
		out := map[string]any{}
		for k, e := range x {
			out[k] = jsonLike(e)
		}
		return out
	case bson.D:
		out := map[string]any{}
		for _, e := range x {
			out[e.Key] = jsonLike(e.Value)
		}
		return out
	}
	return v
}
