package surveys

import (
	"context"
	"time"
)

// WorkshopFilter selects workshops; empty fields select everything.
type WorkshopFilter struct {
	From, To        string // YYYY-MM-DD, inclusive
	Tag, Partner    string
	QuestionnaireID string
	OwnerID         string // set for facilitators: workshops they own or were added to
}

// Store is everything Déclic keeps. Implementations map their own errors to
// this package's codes: a missing document is ENOTFOUND, never (nil, nil).
type Store interface {
	Ping(ctx context.Context) error

	CreateQuestionnaire(ctx context.Context, q *Questionnaire) error
	// EnsureQuestionnaire stores q under its ID unless that ID exists.
	EnsureQuestionnaire(ctx context.Context, q *Questionnaire) error
	Questionnaire(ctx context.Context, id string) (*Questionnaire, error)
	Questionnaires(ctx context.Context) ([]*Questionnaire, error)

	// CreateWorkshop assigns the ID and a unique code.
	CreateWorkshop(ctx context.Context, w *Workshop) error
	Workshop(ctx context.Context, id string) (*Workshop, error)
	WorkshopByCode(ctx context.Context, code string) (*Workshop, error)
	Workshops(ctx context.Context, f WorkshopFilter) ([]*Workshop, error)
	SetPhase(ctx context.Context, id string, p Phase) (*Workshop, error)

	// AddResponse stores r once per SubmissionID. When the submission is
	// already stored it sets r.ID to the stored one and returns created=false.
	AddResponse(ctx context.Context, r *Response) (created bool, err error)
	// ResponseBySubmission finds a stored submission, so that a retry after
	// the phase closed still gets its acknowledgement.
	ResponseBySubmission(ctx context.Context, submissionID string) (*Response, error)
	CountResponses(ctx context.Context, workshopID string) (map[Phase]int, error)
	// EachResponse streams the responses of the workshops, in no set order.
	EachResponse(ctx context.Context, workshopIDs []string, fn func(*Response) error) error

	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	CountUsers(ctx context.Context) (int64, error)

	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	DeleteSession(ctx context.Context, id string) error

	// Privacy
	// DeleteResponses deletes every response of a workshop.
	DeleteResponses(ctx context.Context, workshopID string) (int64, error)
	// DeleteWorkshop deletes the workshop itself; its responses go first,
	// through DeleteResponses.
	DeleteWorkshop(ctx context.Context, id string) error
	// PurgeResponses deletes the responses stored before the given day.
	PurgeResponses(ctx context.Context, before time.Time) (int64, error)

	// Users, tokens
	// Users lists every account, oldest first.
	Users(ctx context.Context) ([]*User, error)
	// UpdateUser applies the non-nil fields of up and returns the user.
	UpdateUser(ctx context.Context, id string, up UserUpdate) (*User, error)
	// CountActiveAdmins counts admins who are not disabled.
	CountActiveAdmins(ctx context.Context) (int64, error)
	// DeleteSessionsOf ends every login of a user but the session except.
	DeleteSessionsOf(ctx context.Context, userID, except string) error
	// CreateToken stores t under a new ID; t.Hash is the SHA-256 of its secret.
	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	// Tokens lists a user's tokens, newest first.
	Tokens(ctx context.Context, userID string) ([]*Token, error)
	// DeleteToken revokes one of userID's tokens; another user's is ENOTFOUND.
	DeleteToken(ctx context.Context, userID, id string) error
	DeleteTokensOf(ctx context.Context, userID string) error
	// TouchToken records the day a token was last used.
	TouchToken(ctx context.Context, id, day string) error
	// SetFacilitators replaces the users added to a workshop.
	SetFacilitators(ctx context.Context, workshopID string, userIDs []string) (*Workshop, error)

	// Reports
	// SetAttendance records how many young people came to a workshop.
	SetAttendance(ctx context.Context, workshopID string, n int) (*Workshop, error)
	// ImportResponses stores many responses at once (demo data).
	ImportResponses(ctx context.Context, rs []*Response) error
}
