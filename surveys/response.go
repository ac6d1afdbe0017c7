package surveys

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Response is one submitted questionnaire. Nothing in it names the pupil:
// their code is kept only as keyed hashes (see Pseudonymizer), and the day
// is the only time kept.
type Response struct {
	ID           string `json:"id"`
	SubmissionID string `json:"submission_id"`
	WorkshopID   string `json:"workshop_id"`
	Phase        Phase  `json:"phase"`
	// Participant is the keyed hash of the pupil's whole code (or of an
	// opaque participant an API client sent); CodeParts the keyed hash of
	// each of the code's four elements, for near matches (nil for an
	// opaque participant); Device the keyed hash of the device id, if any.
	Participant string   `json:"participant"`
	CodeParts   []string `json:"code_parts,omitempty"`
	Device      string   `json:"device,omitempty"`
	// Source is where the answers come from: "" for a phone or the API,
	// SourcePaper for a paper sheet typed in by a facilitator.
	Source Source `json:"source,omitempty"`
	// Day is the day the answer was stored (YYYY-MM-DD): no time of day.
	Day string `json:"day"`
	// Flags are the quality flags set when the answer was stored.
	Flags []Flag `json:"flags,omitempty"`
	// Excluded answers stay stored but leave every statistic.
	Excluded bool    `json:"excluded,omitempty"`
	Answers  Answers `json:"answers"`
}

// Source is where a response comes from.
type Source string

// SourcePaper marks answers typed in from a paper questionnaire.
const SourcePaper Source = "paper"

// Flag is a quality warning on a response.
type Flag string

// Quality flags (contract).
const (
	FlagTooFast        Flag = "too_fast"
	FlagStraightLine   Flag = "straight_line"
	FlagOverAttendance Flag = "over_attendance"
)

const maxSubmissionID = 100

// ValidateSubmission checks a submission ID.
func ValidateSubmission(submissionID string) map[string]string {
	if submissionID == "" {
		return map[string]string{"submission_id": "identifiant de soumission obligatoire"}
	}
	if msg := CheckOpaque(submissionID); msg != "" {
		return map[string]string{"submission_id": msg}
	}
	return nil
}

// CheckOpaque checks an identifier a client makes (submission ID,
// participant, device): "" when fine, else what is wrong.
func CheckOpaque(s string) string {
	switch {
	case s == "":
		return ""
	case strings.TrimSpace(s) == "":
		return "ne peut pas être fait que d'espaces"
	case len(s) > maxSubmissionID || !utf8.ValidString(s):
		return fmt.Sprintf("%d caractères au plus", maxSubmissionID)
	case strings.ContainsFunc(s, hiddenRune):
		// "P1" and "P1" with a zero-width space would be two pupils.
		return "caractères invisibles ou de contrôle interdits"
	}
	return ""
}

// MinReadingTime is the least time anyone takes to read and answer n
// questions: a response sent sooner is flagged too_fast. A 12-year-old
// reads a short statement and taps an answer in 3 to 8 seconds; 1.5 s a
// question only catches answers given without reading.
func MinReadingTime(n int) time.Duration {
	return time.Duration(n) * 1500 * time.Millisecond
}

// hiddenRune is a character no one types in an identifier: controls,
// invisible formatting (zero-width, bidi overrides) and the replacement
// character that broken encodings leave.
func hiddenRune(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// controlRune is a control character that has no place in a text answer;
// tabs and line breaks do.
func controlRune(r rune) bool {
	return unicode.Is(unicode.Cc, r) && r != '\t' && r != '\n' && r != '\r'
}

// CheckAnswers validates answers decoded from JSON (numbers as json.Number
// or float64, strings, lists, objects) against the items asked in phase p
// and returns them checked. Every problem is named in the error's Fields
// by item key.
func (q *Questionnaire) CheckAnswers(p Phase, answers map[string]any) (Answers, error) {
	f := map[string]string{}
	out := make(Answers, len(answers))
	for k, v := range answers {
		it, ok := q.Item(k)
		if !ok {
			f[truncateKey(k)] = "question inconnue"
			continue
		}
		if !it.AskedIn(p) {
			f[k] = "cette question n'est pas posée à cette phase"
			continue
		}
		if v == nil {
			continue
		}
		a, msg := it.Decode(v)
		if msg != "" {
			f[k] = msg
			continue
		}
		if !a.IsZero() {
			out[k] = a
		}
	}
	for _, it := range q.ItemsFor(p) {
		if _, ok := out[it.Key]; !ok && it.IsRequired() && f[it.Key] == "" {
			f[it.Key] = MsgRequired
		}
	}
	if len(f) > 0 {
		return nil, &Error{Code: EINVALID, Message: "Certaines réponses ne sont pas valides.", Fields: f}
	}
	return out, nil
}

// MsgRequired is the message of a required question left unanswered.
const MsgRequired = "Réponse obligatoire"

// CheckForm validates the answers of an HTML form, where every value is a
// string and a multiple choice a list of strings.
func (q *Questionnaire) CheckForm(p Phase, form url.Values) (Answers, error) {
	answers := map[string]any{}
	for _, it := range q.ItemsFor(p) {
		k, ok := it.kind()
		if !ok {
			continue
		}
		if v := k.fromForm(it, form); v != nil {
			answers[it.Key] = v
		}
	}
	return q.CheckAnswers(p, answers)
}

func truncateKey(k string) string {
	if len(k) > 40 || !utf8.ValidString(k) {
		return strconv.QuoteToASCII(k[:min(len(k), 40)])
	}
	return k
}

func jsonNumber(s string) json.Number { return json.Number(s) }

// integer accepts whole numbers in any numeric form JSON or a form gives.
func integer(v any) (int, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err == nil {
			return clampInt(n)
		}
		g, err := x.Float64()
		if err != nil {
			return 0, false
		}
		f = g
	case float64:
		f = x
	case int:
		return x, true
	case int64:
		return clampInt(x)
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return int(f), true
}

func clampInt(n int64) (int, bool) {
	if n > 1e9 || n < -1e9 {
		return 0, false
	}
	return int(n), true
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Clone is a deep copy, for callers of EachResponse that keep a response.
func (r *Response) Clone() *Response {
	c := *r
	c.CodeParts = slices.Clone(r.CodeParts)
	c.Flags = slices.Clone(r.Flags)
	c.Answers = make(Answers, len(r.Answers))
	for k, a := range r.Answers {
		a.List = slices.Clone(a.List)
		c.Answers[k] = a
	}
	return &c
}
