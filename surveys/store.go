package surveys

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// WorkshopFilter selects workshops; empty fields select everything.
type WorkshopFilter struct {
	From, To string // YYYY-MM-DD, inclusive
	// Tag and Partner match ignoring case, accents and surrounding
	// spaces: « Collège Jean Macé » finds « college jean mace ».
	Tag, Partner    string
	QuestionnaireID string
	OwnerID         string // set for facilitators: workshops they own or were added to
}

// MatchKey is how partners and tags compare: lower case, accents dropped,
// inner spaces collapsed, surrounding spaces trimmed.
func MatchKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Store is everything Déclic keeps. Implementations map their own errors to
// this package's codes: a missing record is ENOTFOUND, never (nil, nil).
// Every implementation passes the conformance suite in surveys/storetest.
type Store interface {
	// Ping answers once the store can read and write.
	Ping(ctx context.Context) error
	QuestionnaireStore
	WorkshopStore
	ResponseStore
	AccountStore
	// Export calls fn on every record, for a dump: users, tokens,
	// questionnaires, workshops, then responses. Login sessions are not
	// records.
	Export(ctx context.Context, fn func(Record) error) error
	// Import stores records as they are (IDs, hashes, days and versions
	// kept), for a restore into an empty store.
	Import(ctx context.Context, recs []Record) error
	// Empty tells whether the store holds no user, workshop, response or
	// questionnaire other than the built-in ones.
	Empty(ctx context.Context) (bool, error)
}

// Record is one stored thing, in a dump: exactly one field is set.
type Record struct {
	User          *User
	Token         *Token
	Questionnaire *Questionnaire
	Workshop      *Workshop
	Response      *Response
}

// QuestionnaireStore keeps questionnaires, which never change once stored.
type QuestionnaireStore interface {
	// CreateQuestionnaire stores q under a new ID (q.ID is set).
	CreateQuestionnaire(ctx context.Context, q *Questionnaire) error
	// EnsureQuestionnaire stores q under its ID unless that ID exists.
	EnsureQuestionnaire(ctx context.Context, q *Questionnaire) error
	Questionnaire(ctx context.Context, id string) (*Questionnaire, error)
	// Questionnaires lists every questionnaire, built-in ones first, then
	// by title.
	Questionnaires(ctx context.Context) ([]*Questionnaire, error)
}

// WorkshopStore keeps workshops. Every change to a workshop or to its
// responses (a new answer, an exclusion, a purge) increases its Version.
type WorkshopStore interface {
	// CreateWorkshop assigns the ID, a unique code and Version 1.
	CreateWorkshop(ctx context.Context, w *Workshop) error
	Workshop(ctx context.Context, id string) (*Workshop, error)
	WorkshopByCode(ctx context.Context, code string) (*Workshop, error)
	// Workshops lists the workshops f selects, latest date first.
	Workshops(ctx context.Context, f WorkshopFilter) ([]*Workshop, error)
	SetPhase(ctx context.Context, id string, p Phase) (*Workshop, error)
	// SetAttendance records how many young people came to a workshop.
	SetAttendance(ctx context.Context, id string, n int) (*Workshop, error)
	// SetFacilitators replaces the users added to a workshop.
	SetFacilitators(ctx context.Context, id string, userIDs []string) (*Workshop, error)
	// DeleteWorkshop deletes a workshop and every response to it, at once.
	DeleteWorkshop(ctx context.Context, id string) error
}

// ResponseStore keeps the pupils' answers.
type ResponseStore interface {
	// AddResponse stores r once per SubmissionID and sets r.ID and r.Day
	// (today, at the store's clock). When the submission is already stored
	// for the same workshop, it sets r.ID to the stored one and returns
	// created=false; for another workshop it is ECONFLICT. It returns only
	// once r is durably stored.
	AddResponse(ctx context.Context, r *Response) (created bool, err error)
	// ResponseBySubmission finds a stored submission, so that a retry after
	// the phase closed still gets its acknowledgement.
	ResponseBySubmission(ctx context.Context, submissionID string) (*Response, error)
	// CountResponses counts a workshop's responses per phase (excluded
	// ones included).
	CountResponses(ctx context.Context, workshopID string) (map[Phase]int, error)
	// EachResponse streams the responses of the workshops, ordered by
	// workshop and then by ID, so that results never depend on how a store
	// lays out its data. fn must not keep r after it returns.
	EachResponse(ctx context.Context, workshopIDs []string, fn func(r *Response) error) error
	// ImportResponses stores many new responses at once (demo data, paper
	// sheets); their Day is kept when set. A submission already stored
	// is ECONFLICT and nothing is stored.
	ImportResponses(ctx context.Context, rs []*Response) error
	// PurgeResponses deletes the responses stored before the given day
	// (YYYY-MM-DD) and returns how many.
	PurgeResponses(ctx context.Context, beforeDay string) (int64, error)

	// SetTextApproval records a facilitator's decision on one free-text
	// answer (shown on the live projector page or not), replacing an
	// earlier one, and increases the workshop's Version. A response that
	// is not the workshop's is ENOTFOUND.
	SetTextApproval(ctx context.Context, a TextApproval) error
	// TextApprovals lists a workshop's decisions, by response ID then item
	// key. Deleting the workshop deletes them.
	TextApprovals(ctx context.Context, workshopID string) ([]TextApproval, error)
}

// TextApproval is a facilitator's decision on one free-text answer: whether
// the live projector page may show it. Answers without a decision are never
// shown. Approvals are classroom moderation, not data: a dump leaves them out.
type TextApproval struct {
	WorkshopID string `json:"workshop_id"`
	ResponseID string `json:"response_id"`
	ItemKey    string `json:"item_key"`
	Shown      bool   `json:"shown"`
}

// AccountStore keeps staff accounts, their logins and their API tokens.
type AccountStore interface {
	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	CountUsers(ctx context.Context) (int64, error)
	// Users lists every account, oldest first.
	Users(ctx context.Context) ([]*User, error)
	// UpdateUser applies the non-nil fields of up and returns the user.
	UpdateUser(ctx context.Context, id string, up UserUpdate) (*User, error)
	// CountActiveAdmins counts admins who are not disabled.
	CountActiveAdmins(ctx context.Context) (int64, error)

	CreateSession(ctx context.Context, s *Session) error
	// Session finds an unexpired login; an expired one is ENOTFOUND.
	Session(ctx context.Context, id string) (*Session, error)
	DeleteSession(ctx context.Context, id string) error
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
}
