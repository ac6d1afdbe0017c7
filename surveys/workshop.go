package surveys

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Phase is the open phase of a workshop, or the phase a response belongs to.
type Phase string

// Phases. A workshop starts closed, opens PRE, then POST, then closes again.
const (
	PhaseClosed Phase = "closed"
	PhasePre    Phase = "pre"
	PhasePost   Phase = "post"
)

// ParsePhase accepts the three phase names.
func ParsePhase(s string) (Phase, error) {
	switch p := Phase(s); p {
	case PhaseClosed, PhasePre, PhasePost:
		return p, nil
	}
	return "", &Error{Code: EINVALID, Message: "Phase inconnue.", Fields: map[string]string{"phase": "pre, post ou closed"}}
}

// Open tells whether answers are taken in this phase (PRE or POST).
func (p Phase) Open() bool { return p == PhasePre || p == PhasePost }

// Label is the phase's French name.
func (p Phase) Label() string {
	switch p {
	case PhasePre:
		return "Avant (PRE)"
	case PhasePost:
		return "Après (POST)"
	}
	return "Fermé"
}

// MaxAttendance bounds a workshop's head count; a festival stand can be big.
const MaxAttendance = 10000

// Workshop is one session with one group, answering one questionnaire.
type Workshop struct {
	ID              string `json:"id"`
	Code            string `json:"code"`
	QuestionnaireID string `json:"questionnaire_id"`
	Title           string `json:"title"`
	Date            string `json:"date"`
	Partner         string `json:"partner"`
	Group           string `json:"group"`
	Place           string `json:"place,omitempty"`
	// Attendance is how many young people were there, as the facilitator
	// counted them: response rates are answers ÷ attendance. 0 = not entered.
	Attendance   int       `json:"attendance,omitempty"`
	Tags         []string  `json:"tags"`
	Phase        Phase     `json:"phase"`
	OwnerID      string    `json:"owner_id"`
	Facilitators []string  `json:"facilitators,omitempty"` // user IDs added by an admin or manager
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Version grows with every change to the workshop or its responses:
	// results computed at one version stay right until it changes.
	Version int64 `json:"version"`
}

// VisibleTo reports whether u may see and run the workshop: admins and
// managers see every one, facilitators those they own or were added to.
func (w *Workshop) VisibleTo(u *User) bool {
	if u == nil {
		return false
	}
	if u.Role.SeesAll() || w.OwnerID == u.ID {
		return true
	}
	for _, id := range w.Facilitators {
		if id == u.ID {
			return true
		}
	}
	return false
}

const (
	maxField = 200
	maxTags  = 20
	maxTag   = 50
)

// Validate trims and checks the fields a facilitator types.
func (w *Workshop) Validate() error {
	f := map[string]string{}
	w.Title = strings.TrimSpace(w.Title)
	w.Partner = strings.TrimSpace(w.Partner)
	w.Group = strings.TrimSpace(w.Group)
	w.Place = strings.TrimSpace(w.Place)
	if w.Title == "" {
		f["title"] = "le titre est obligatoire"
	}
	for name, v := range map[string]string{"title": w.Title, "partner": w.Partner, "group": w.Group, "place": w.Place} {
		if utf8.RuneCountInString(v) > maxField {
			f[name] = fmt.Sprintf("%d caractères au plus", maxField)
		}
	}
	if w.QuestionnaireID == "" {
		f["questionnaire_id"] = "choisissez un questionnaire"
	}
	if _, err := time.Parse(time.DateOnly, w.Date); err != nil {
		f["date"] = "date attendue au format AAAA-MM-JJ"
	}
	tags := make([]string, 0, len(w.Tags))
	seen := map[string]bool{}
	for _, t := range w.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || seen[t] {
			continue
		}
		if utf8.RuneCountInString(t) > maxTag {
			f["tags"] = fmt.Sprintf("chaque étiquette fait %d caractères au plus", maxTag)
		}
		seen[t] = true
		tags = append(tags, t)
	}
	if len(tags) > maxTags {
		f["tags"] = fmt.Sprintf("%d étiquettes au plus", maxTags)
	}
	w.Tags = tags
	if w.Attendance < 0 || w.Attendance > MaxAttendance {
		f["attendance"] = fmt.Sprintf("nombre de jeunes présents entre 0 et %d", MaxAttendance)
	}
	if w.Phase == "" {
		w.Phase = PhaseClosed
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "L'atelier n'est pas valide.", Fields: f}
	}
	return nil
}

// CheckTyped refuses control characters and bidirectional overrides in
// what staff just typed for a workshop: the fields named (title,
// partner, group, place, tags), at creation all of them, at a correction
// those changed. Validate leaves them alone, so that a workshop stored
// before the rule, and its dumps, stay readable and correctable.
func (w *Workshop) CheckTyped(fields ...string) error {
	f := map[string]string{}
	values := map[string][]string{"title": {w.Title}, "partner": {w.Partner}, "group": {w.Group}, "place": {w.Place}, "tags": w.Tags}
	for _, name := range fields {
		for _, v := range values[name] {
			if strings.ContainsFunc(v, unsafeInLabel) {
				f[name] = "caractères de contrôle interdits"
			}
		}
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "L'atelier n'est pas valide.", Fields: f}
	}
	return nil
}

// unsafeInLabel is a character refused in what staff type for a
// workshop: controls (a NUL breaks exports), bidirectional overrides and
// isolates (they would show a title reversed on the poster and in
// reports) and what broken encodings leave. Other invisible characters
// stay: the zero-width joiner builds emoji such as 👩‍🏫.
func unsafeInLabel(r rune) bool {
	return unicode.Is(unicode.Cc, r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == utf8.RuneError
}

// codeAlphabet leaves out letters and digits that look alike (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NewCode returns a short code that pupils can type from a projector.
func NewCode() string {
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode makes a typed code comparable: upper case, no spaces or dashes.
func NormalizeCode(s string) string {
	// strings.Map, not a Replacer: a Replacer builds a 6 KB table at its
	// first use, and this runs for every answer.
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}
