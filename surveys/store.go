package surveys

import (
	"context"
	"errors"
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

// WorkshopFields are the parts of a workshop its facilitator may correct;
// its questionnaire, code, phase and answers stay.
type WorkshopFields struct {
	Title, Date, Partner, Group, Place string
	Tags                               []string
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
	IndicatorStore
	SettingsStore
	QuoteStore
	// Export calls fn on every record, for a dump: users, tokens,
	// questionnaires, workshops, responses, then exclusions (oldest first),
	// indicators, the settings (when saved) and the chosen quotes. Login
	// sessions are not records.
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
	Exclusion     *Exclusion
	Indicator     *Indicator
	Settings      *Settings
	Quote         *Quote
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
	// CreateQuestionnaireVersion stores q as the next version of the
	// family of the stored questionnaire of (see FamilyOf): it sets q.ID to
	// <family>-v<N>, q.Family and q.Version, N one more than the family's
	// highest version. q is never built-in.
	CreateQuestionnaireVersion(ctx context.Context, of string, q *Questionnaire) error
	// UpdateQuestionnaire replaces the definition stored under q.ID,
	// keeping its owner, creation time and version. A built-in
	// questionnaire, or one a workshop has ever used, only takes new
	// translations (OnlyAddsTranslations); any other change is ECONFLICT.
	UpdateQuestionnaire(ctx context.Context, q *Questionnaire) error
	// DeleteQuestionnaire deletes a questionnaire no workshop has ever
	// used; a built-in or used one is ECONFLICT.
	DeleteQuestionnaire(ctx context.Context, id string) error
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
	// UpdateWorkshop replaces what a facilitator typed of a workshop
	// (title, date, partner, group, place, tags), validated by the caller.
	UpdateWorkshop(ctx context.Context, id string, f WorkshopFields) (*Workshop, error)
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
	// (YYYY-MM-DD), and their exclusions, and returns how many responses.
	PurgeResponses(ctx context.Context, beforeDay string) (int64, error)
	// SetExcluded excludes a workshop's response from every statistic
	// (e.Excluded) or restores it, and records e in the workshop's audit
	// trail with e.At set to the store's clock; the workshop's Version
	// increases, all at once. A response that is not the workshop's is
	// ENOTFOUND. A response already in that state is left as it is and
	// nothing is recorded: changed is false.
	SetExcluded(ctx context.Context, e *Exclusion) (changed bool, err error)
	// Exclusions lists a workshop's audit trail of exclusions, oldest
	// first. Deleting the workshop, or purging a response, deletes its
	// records too.
	Exclusions(ctx context.Context, workshopID string) ([]*Exclusion, error)

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

// IndicatorStore keeps the logframe's indicators. Their definitions are
// checked by Indicator.Validate before they are stored.
type IndicatorStore interface {
	// CreateIndicator stores ind under a new ID and sets its CreatedAt and
	// UpdatedAt.
	CreateIndicator(ctx context.Context, ind *Indicator) error
	Indicator(ctx context.Context, id string) (*Indicator, error)
	// Indicators lists every indicator by name (ignoring case and accents),
	// then by ID.
	Indicators(ctx context.Context) ([]*Indicator, error)
	// UpdateIndicator replaces the definition of the stored indicator
	// ind.ID, keeping its OwnerID and CreatedAt, and sets UpdatedAt.
	UpdateIndicator(ctx context.Context, ind *Indicator) error
	DeleteIndicator(ctx context.Context, id string) error
}

// SettingsStore keeps the organisation's settings, one set per store.
type SettingsStore interface {
	// Settings returns the saved settings, or empty ones (never
	// ENOTFOUND) when none were ever saved.
	Settings(ctx context.Context) (*Settings, error)
	// SaveSettings replaces the settings and sets their UpdatedAt.
	SaveSettings(ctx context.Context, s *Settings) error
}

// Quote is a pupil's free-text answer a manager chose for reports: the
// answer to item ItemKey in response ResponseID. Only the reference is
// stored; the words stay in the response, and go with it.
type Quote struct {
	WorkshopID string
	ResponseID string
	ItemKey    string
}

// QuoteStore keeps which pupils' words reports quote. None is chosen
// until a manager ticks it.
type QuoteStore interface {
	// SelectQuotes makes quotes the chosen ones among the responses of
	// workshopIDs: those not listed are no longer chosen there. A quote of
	// a workshop outside workshopIDs is EINVALID and nothing changes.
	SelectQuotes(ctx context.Context, workshopIDs []string, quotes []Quote) error
	// Quotes lists the chosen quotes of the workshops, ordered by
	// workshop, response and item.
	Quotes(ctx context.Context, workshopIDs []string) ([]Quote, error)
}

// RestoreMarker is a store that marks a restore under way (export.Restore
// sets the mark before the first record and clears it after the last):
// a store whose restore was cut short, by kill -9 or a failed write,
// keeps the mark, and Open refuses it with ErrRestoreInterrupted rather
// than serve part of a backup as if it were whole.
type RestoreMarker interface {
	MarkRestore(ctx context.Context, underway bool) error
}

// ErrRestoreInterrupted is Open's answer on a store a restore did not
// finish.
var ErrRestoreInterrupted = errors.New("a restore into this store was interrupted: it holds part of the backup only")

// KeyChecker is a store that keeps a check of the pseudonym key its
// answers were made with (Pseudonymizer.Mark("key-check"), which does not
// reveal the key): a declic started with another key, or a second process
// configured with another one, would store answers that never pair with
// the others.
type KeyChecker interface {
	// KeyCheck is the stored check, "" when none yet.
	KeyCheck(ctx context.Context) (string, error)
	// SetKeyCheck replaces the stored check old ("" for none) by check
	// ("" removes it). It is ECONFLICT when the stored check is not old:
	// two processes starting at once cannot both take their own.
	SetKeyCheck(ctx context.Context, old, check string) error
}
