package surveys

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Response is one submitted questionnaire. Participant is a keyed hash, never
// the code a pupil typed; nothing else about the pupil is stored.
type Response struct {
	ID           string         `json:"id" bson:"_id"`
	SubmissionID string         `json:"submission_id" bson:"submission_id"`
	WorkshopID   string         `json:"workshop_id" bson:"workshop_id"`
	Phase        Phase          `json:"phase" bson:"phase"`
	Participant  string         `json:"participant" bson:"participant"`
	Answers      map[string]any `json:"answers" bson:"answers"`
	CreatedAt    time.Time      `json:"created_at" bson:"created_at"`
}

const maxSubmissionID = 100

// ValidateSubmission checks the envelope of a submission.
func ValidateSubmission(submissionID, participant string) map[string]string {
	f := map[string]string{}
	switch {
	case strings.TrimSpace(submissionID) == "":
		f["submission_id"] = "identifiant de soumission obligatoire"
	case len(submissionID) > maxSubmissionID || !utf8.ValidString(submissionID):
		f["submission_id"] = fmt.Sprintf("%d caractères au plus", maxSubmissionID)
	case strings.ContainsFunc(submissionID, hiddenRune):
		f["submission_id"] = "caractères invisibles ou de contrôle interdits"
	}
	switch {
	case strings.TrimSpace(participant) == "":
		f["participant"] = "code participant obligatoire"
	case len(participant) > maxSubmissionID || !utf8.ValidString(participant):
		f["participant"] = fmt.Sprintf("%d caractères au plus", maxSubmissionID)
	case strings.ContainsFunc(participant, hiddenRune):
		// "P1" and "P1" with a zero-width space would be two pupils.
		f["participant"] = "caractères invisibles ou de contrôle interdits"
	}
	return f
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

// CheckAnswers validates answers decoded from JSON (numbers as json.Number or
// float64, strings, lists) against the items asked in phase p. It returns the
// answers normalised for storage: int for numbers, string, []string.
// Every problem is named in the error's Fields by item key.
func (q *Questionnaire) CheckAnswers(p Phase, answers map[string]any) (map[string]any, error) {
	f := map[string]string{}
	out := make(map[string]any, len(answers))
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
		val, present, msg := it.normalize(v)
		if msg != "" {
			f[k] = msg
			continue
		}
		if present {
			out[k] = val
		}
	}
	for _, it := range q.ItemsFor(p) {
		if _, ok := out[it.Key]; !ok && it.IsRequired() && f[it.Key] == "" {
			f[it.Key] = "réponse obligatoire"
		}
	}
	if len(f) > 0 {
		return nil, &Error{Code: EINVALID, Message: "Certaines réponses ne sont pas valides.", Fields: f}
	}
	return out, nil
}

// CheckForm validates answers from an HTML form, where every value is a
// string and a multiple choice is a list of strings.
func (q *Questionnaire) CheckForm(p Phase, form map[string][]string) (map[string]any, error) {
	answers := map[string]any{}
	for _, it := range q.ItemsFor(p) {
		if it.Type == Retro {
			pair := map[string]any{}
			for _, part := range []string{RetroBefore, RetroNow} {
				if v := strings.TrimSpace(first(form[RetroField(it.Key, part)])); v != "" {
					pair[part] = json.Number(v)
				}
			}
			answers[it.Key] = pair
			continue
		}
		vals := form["a_"+it.Key]
		switch {
		case len(vals) == 0:
		case it.Type == Choice && it.Multiple:
			answers[it.Key] = anySlice(vals)
		case it.Type == Likert || it.Type == Rating || it.Type == YesNo:
			if strings.TrimSpace(vals[0]) == "" {
				continue
			}
			answers[it.Key] = json.Number(strings.TrimSpace(vals[0]))
		default:
			answers[it.Key] = vals[0]
		}
	}
	return q.CheckAnswers(p, answers)
}

// The two halves of a retrospective answer, and their form fields.
const (
	RetroBefore = "before"
	RetroNow    = "now"
)

// RetroField is the form field of one half of a retrospective item.
func RetroField(key, part string) string { return "a_" + key + "." + part }

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func truncateKey(k string) string {
	if len(k) > 40 || !utf8.ValidString(k) {
		return strconv.QuoteToASCII(k[:min(len(k), 40)])
	}
	return k
}

// normalize returns the stored form of one answer; present is false for an
// empty answer (null, "", []), which only a required check may refuse.
func (it *Item) normalize(v any) (val any, present bool, msg string) {
	if v == nil {
		return nil, false, ""
	}
	switch it.Type {
	case Likert, Rating, YesNo:
		n, ok := integer(v)
		if !ok {
			if s, isStr := v.(string); isStr && strings.TrimSpace(s) == "" {
				return nil, false, ""
			}
			return nil, false, "un nombre entier est attendu"
		}
		lo, hi := it.ScoreRange()
		if float64(n) < lo || float64(n) > hi {
			return nil, false, fmt.Sprintf("la réponse doit être comprise entre %g et %g", lo, hi)
		}
		return n, true, ""
	case Retro:
		return it.normalizeRetro(v)
	case Quiz:
		s, ok := v.(string)
		if !ok {
			return nil, false, "une des options est attendue"
		}
		if s == "" {
			return nil, false, ""
		}
		if !hasOption(it.Options, s) {
			return nil, false, "option inconnue"
		}
		return s, true, ""
	case Choice:
		if !it.Multiple {
			s, ok := v.(string)
			if !ok {
				return nil, false, "une des options est attendue"
			}
			if s == "" {
				return nil, false, ""
			}
			if !hasOption(it.Options, s) {
				return nil, false, "option inconnue"
			}
			return s, true, ""
		}
		list, ok := v.([]any)
		if !ok {
			return nil, false, "une liste d'options est attendue"
		}
		if len(list) > MaxOptions {
			return nil, false, "trop d'options"
		}
		seen := map[string]bool{}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := e.(string)
			if !ok || !hasOption(it.Options, s) {
				return nil, false, "option inconnue"
			}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil, false, ""
		}
		return out, true, ""
	case Text:
		s, ok := v.(string)
		if !ok {
			return nil, false, "un texte est attendu"
		}
		if !utf8.ValidString(s) {
			return nil, false, "texte illisible (encodage)"
		}
		if strings.ContainsFunc(s, controlRune) {
			return nil, false, "texte illisible (caractère de contrôle)"
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, false, ""
		}
		if utf8.RuneCountInString(s) > MaxTextAnswer {
			return nil, false, fmt.Sprintf("%d caractères au plus", MaxTextAnswer)
		}
		return s, true, ""
	}
	return nil, false, "type de question inconnu"
}

// normalizeRetro checks {"before": n, "now": n}: both halves, in range.
func (it *Item) normalizeRetro(v any) (val any, present bool, msg string) {
	const want = `deux réponses sont attendues : {"before": avant l'atelier, "now": aujourd'hui}`
	m, ok := asMap(v)
	if !ok {
		return nil, false, want
	}
	for k := range m {
		if k != RetroBefore && k != RetroNow {
			return nil, false, want
		}
	}
	lo, hi := it.ScoreRange()
	out := map[string]any{}
	for _, part := range []string{RetroBefore, RetroNow} {
		x := m[part]
		if s, isStr := x.(string); x == nil || isStr && strings.TrimSpace(s) == "" {
			continue
		}
		n, ok := integer(x)
		if !ok {
			return nil, false, "un nombre entier est attendu pour « avant l'atelier » et pour « aujourd'hui »"
		}
		if float64(n) < lo || float64(n) > hi {
			return nil, false, fmt.Sprintf("les réponses doivent être comprises entre %g et %g", lo, hi)
		}
		out[part] = n
	}
	switch len(out) {
	case 0:
		return nil, false, ""
	case 1:
		return nil, false, "il faut répondre pour « avant l'atelier » et pour « aujourd'hui »"
	}
	return out, true, ""
}

// asMap reads an object answer, whatever map type decoded it (a JSON
// decoder gives map[string]any, a store may give its own named map type).
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	m := make(map[string]any, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		m[it.Key().String()] = it.Value().Interface()
	}
	return m, true
}

// RetroScores returns the "before" and "now" scores of a stored
// retrospective answer, with reverse applied.
func (it *Item) RetroScores(v any) (before, now float64, ok bool) {
	m, ok := asMap(v)
	if !ok || it.Type != Retro {
		return 0, 0, false
	}
	b, okB := integer(m[RetroBefore])
	n, okN := integer(m[RetroNow])
	if !okB || !okN {
		return 0, 0, false
	}
	before, now = float64(b), float64(n)
	if it.Reverse {
		lo, hi := it.ScoreRange()
		before, now = lo+hi-before, lo+hi-now
	}
	return before, now, true
}

// integer accepts whole numbers in any numeric form JSON or a form can give.
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
	case int32:
		return int(x), true
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

// Score is the item's score for a stored answer: reverse applied, quiz 1 or 0.
// ok is false for a missing answer or an unscored item.
func (it *Item) Score(v any) (float64, bool) {
	switch it.Type {
	case Likert, Rating, YesNo:
		n, ok := integer(v)
		if !ok {
			return 0, false
		}
		s := float64(n)
		if it.Reverse {
			lo, hi := it.ScoreRange()
			s = lo + hi - s
		}
		return s, true
	case Quiz:
		s, ok := v.(string)
		if !ok || s == "" {
			return 0, false
		}
		if s == it.Correct {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}
