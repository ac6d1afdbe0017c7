package surveys

import "context"

// WorkshopFilter selects workshops; empty fields select everything.
type WorkshopFilter struct {
	From, To        string // YYYY-MM-DD, inclusive
	Tag, Partner    string
	QuestionnaireID string
	OwnerID         string // set for facilitators, who see only their own
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
	// HasResponse tells whether a participant already answered a phase.
	HasResponse(ctx context.Context, workshopID string, p Phase, participant string) (bool, error)
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
}
