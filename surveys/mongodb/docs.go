package mongodb

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"declic/surveys"
)

// questionnaireDoc keeps the definition as a nested document, readable in
// mongosh, converted through the definition's own JSON form.
type questionnaireDoc struct {
	ID      string `bson:"_id"`
	Title   string `bson:"title"`
	Builtin bool   `bson:"builtin"`
	// Used is set, for good, before a workshop of this questionnaire is
	// stored: a used definition never changes but for new translations.
	Used       bool      `bson:"used,omitempty"`
	OwnerID    string    `bson:"owner_id,omitempty"`
	CreatedAt  time.Time `bson:"created_at"`
	Definition bson.Raw  `bson:"definition"`
}

func toQuestionnaireDoc(q *surveys.Questionnaire) (*questionnaireDoc, error) {
	def, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("mongodb: encode questionnaire: %w", err)
	}
	var raw bson.Raw
	if err := bson.UnmarshalExtJSON(def, false, &raw); err != nil {
		return nil, fmt.Errorf("mongodb: encode questionnaire: %w", err)
	}
	return &questionnaireDoc{ID: q.ID, Title: q.Title.String(), Builtin: q.Builtin, OwnerID: q.OwnerID, CreatedAt: q.CreatedAt, Definition: raw}, nil
}

func (d *questionnaireDoc) questionnaire() (*surveys.Questionnaire, error) {
	def, err := bson.MarshalExtJSON(d.Definition, false, false)
	if err != nil {
		return nil, fmt.Errorf("mongodb: decode questionnaire %s: %w", d.ID, err)
	}
	var q surveys.Questionnaire
	if err := json.Unmarshal(def, &q); err != nil {
		return nil, fmt.Errorf("mongodb: decode questionnaire %s: %w", d.ID, err)
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("mongodb: stored questionnaire %s: %w", d.ID, err)
	}
	q.ID, q.Builtin, q.OwnerID, q.CreatedAt = d.ID, d.Builtin, d.OwnerID, d.CreatedAt
	return &q, nil
}

type workshopDoc struct {
	ID              string    `bson:"_id"`
	Code            string    `bson:"code"`
	QuestionnaireID string    `bson:"questionnaire_id"`
	Title           string    `bson:"title"`
	Date            string    `bson:"date"`
	Partner         string    `bson:"partner"`
	PartnerKey      string    `bson:"partner_key"`
	Group           string    `bson:"group"`
	Place           string    `bson:"place,omitempty"`
	Attendance      int       `bson:"attendance,omitempty"`
	Tags            []string  `bson:"tags"`
	TagKeys         []string  `bson:"tag_keys"`
	Phase           string    `bson:"phase"`
	OwnerID         string    `bson:"owner_id"`
	Facilitators    []string  `bson:"facilitators"`
	CreatedAt       time.Time `bson:"created_at"`
	UpdatedAt       time.Time `bson:"updated_at"`
	Version         int64     `bson:"version"`
}

func toWorkshopDoc(w *surveys.Workshop) *workshopDoc {
	d := &workshopDoc{
		ID: w.ID, Code: w.Code, QuestionnaireID: w.QuestionnaireID, Title: w.Title, Date: w.Date,
		Partner: w.Partner, PartnerKey: surveys.MatchKey(w.Partner), Group: w.Group, Place: w.Place,
		Attendance: w.Attendance, Tags: nonNil(w.Tags), Phase: string(w.Phase), OwnerID: w.OwnerID,
		Facilitators: nonNil(w.Facilitators), CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Version: w.Version,
	}
	d.TagKeys = make([]string, len(w.Tags))
	for i, t := range w.Tags {
		d.TagKeys[i] = surveys.MatchKey(t)
	}
	return d
}

func (d *workshopDoc) workshop() *surveys.Workshop {
	return &surveys.Workshop{
		ID: d.ID, Code: d.Code, QuestionnaireID: d.QuestionnaireID, Title: d.Title, Date: d.Date,
		Partner: d.Partner, Group: d.Group, Place: d.Place, Attendance: d.Attendance, Tags: nonNil(d.Tags),
		Phase: surveys.Phase(d.Phase), OwnerID: d.OwnerID, Facilitators: nilIfEmpty(d.Facilitators),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
}

// responseDoc keeps answers in two subdocuments: "answers" (numbers,
// options, lists of options, {before, now} pairs) and "texts" (free text),
// so that reports read answers without the pupils' words.
type responseDoc struct {
	ID           string   `bson:"_id"`
	SubmissionID string   `bson:"submission_id"`
	WorkshopID   string   `bson:"workshop_id"`
	Phase        string   `bson:"phase"`
	Participant  string   `bson:"participant"`
	CodeParts    []string `bson:"code_parts,omitempty"`
	Device       string   `bson:"device,omitempty"`
	Source       string   `bson:"source,omitempty"`
	Day          string   `bson:"day"`
	Flags        []string `bson:"flags,omitempty"`
	Excluded     bool     `bson:"excluded,omitempty"`
	Answers      bson.D   `bson:"answers"`
	Texts        bson.D   `bson:"texts,omitempty"`
}

type pairDoc struct {
	Before int32 `bson:"before"`
	Now    int32 `bson:"now"`
}

func toResponseDoc(r *surveys.Response) *responseDoc {
	d := &responseDoc{
		ID: r.ID, SubmissionID: r.SubmissionID, WorkshopID: r.WorkshopID, Phase: string(r.Phase),
		Participant: r.Participant, CodeParts: r.CodeParts, Device: r.Device, Source: string(r.Source),
		Day: r.Day, Excluded: r.Excluded, Answers: bson.D{},
	}
	for _, f := range r.Flags {
		d.Flags = append(d.Flags, string(f))
	}
	for _, k := range sortedAnswerKeys(r.Answers) {
		a := r.Answers[k]
		var v any
		switch a.Kind {
		case surveys.AnswerNumber:
			v = int32(a.Number)
		case surveys.AnswerOption:
			v = a.Text
		case surveys.AnswerOptions:
			v = a.List
		case surveys.AnswerPair:
			v = pairDoc{Before: int32(a.Before), Now: int32(a.Number)}
		case surveys.AnswerText:
			d.Texts = append(d.Texts, bson.E{Key: k, Value: a.Text})
			continue
		default:
			continue
		}
		d.Answers = append(d.Answers, bson.E{Key: k, Value: v})
	}
	return d
}

// response converts a stored document; into is reused when not nil.
func (d *responseDoc) response(into *surveys.Response) (*surveys.Response, error) {
	r := into
	if r == nil {
		r = &surveys.Response{}
	}
	*r = surveys.Response{
		ID: d.ID, SubmissionID: d.SubmissionID, WorkshopID: d.WorkshopID, Phase: surveys.Phase(d.Phase),
		Participant: d.Participant, CodeParts: d.CodeParts, Device: d.Device, Source: surveys.Source(d.Source),
		Day: d.Day, Excluded: d.Excluded, Answers: make(surveys.Answers, len(d.Answers)+len(d.Texts)),
	}
	for _, f := range d.Flags {
		r.Flags = append(r.Flags, surveys.Flag(f))
	}
	for _, e := range d.Answers {
		a, err := answerOf(e.Value)
		if err != nil {
			return nil, fmt.Errorf("mongodb: response %s, answer %s: %w", d.ID, e.Key, err)
		}
		r.Answers[e.Key] = a
	}
	for _, e := range d.Texts {
		s, ok := e.Value.(string)
		if !ok {
			return nil, fmt.Errorf("mongodb: response %s, text %s: not a string", d.ID, e.Key)
		}
		r.Answers[e.Key] = surveys.TextAnswer(s)
	}
	return r, nil
}

// answerOf reads a stored answer back; its BSON type says its shape.
func answerOf(v any) (surveys.Answer, error) {
	switch x := v.(type) {
	case int32:
		return surveys.NumberAnswer(int(x)), nil
	case int64:
		return surveys.NumberAnswer(int(x)), nil
	case float64:
		return surveys.NumberAnswer(int(x)), nil
	case string:
		return surveys.OptionAnswer(x), nil
	case bson.A:
		list := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return surveys.Answer{}, fmt.Errorf("option list holds a %T", e)
			}
			list = append(list, s)
		}
		return surveys.OptionsAnswer(list), nil
	case bson.D:
		var before, now int
		var got int
		for _, e := range x {
			n, ok := e.Value.(int32)
			if !ok {
				return surveys.Answer{}, fmt.Errorf("pair half %s is a %T", e.Key, e.Value)
			}
			switch e.Key {
			case surveys.RetroBefore:
				before, got = int(n), got+1
			case surveys.RetroNow:
				now, got = int(n), got+1
			}
		}
		if got != 2 {
			return surveys.Answer{}, fmt.Errorf("pair without both halves")
		}
		return surveys.PairAnswer(before, now), nil
	}
	return surveys.Answer{}, fmt.Errorf("unexpected %T", v)
}

type userDoc struct {
	ID                 string    `bson:"_id"`
	Email              string    `bson:"email"`
	Role               string    `bson:"role"`
	PasswordHash       string    `bson:"password_hash"`
	Disabled           bool      `bson:"disabled"`
	MustChangePassword bool      `bson:"must_change_password"`
	CreatedAt          time.Time `bson:"created_at"`
}

func toUserDoc(u *surveys.User) *userDoc {
	return &userDoc{ID: u.ID, Email: u.Email, Role: string(u.Role), PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt}
}

func (d *userDoc) user() *surveys.User {
	return &surveys.User{ID: d.ID, Email: d.Email, Role: surveys.Role(d.Role), PasswordHash: d.PasswordHash,
		Disabled: d.Disabled, MustChangePassword: d.MustChangePassword, CreatedAt: d.CreatedAt.UTC()}
}

type sessionDoc struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"user_id"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

type tokenDoc struct {
	ID         string `bson:"_id"`
	Hash       string `bson:"hash"`
	UserID     string `bson:"user_id"`
	Name       string `bson:"name"`
	CreatedOn  string `bson:"created_on"`
	LastUsedOn string `bson:"last_used_on,omitempty"`
	ExpiresOn  string `bson:"expires_on,omitempty"`
}

func toTokenDoc(t *surveys.Token) *tokenDoc {
	return &tokenDoc{ID: t.ID, Hash: t.Hash, UserID: t.UserID, Name: t.Name, CreatedOn: t.CreatedOn, LastUsedOn: t.LastUsedOn, ExpiresOn: t.ExpiresOn}
}

func (d *tokenDoc) token() *surveys.Token {
	return &surveys.Token{ID: d.ID, Hash: d.Hash, UserID: d.UserID, Name: d.Name, CreatedOn: d.CreatedOn, LastUsedOn: d.LastUsedOn, ExpiresOn: d.ExpiresOn}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func sortedAnswerKeys(a surveys.Answers) []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
