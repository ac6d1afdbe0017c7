package surveys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"declic/surveys"
)

// fuzzDefinition has every item type, single and multiple choice, a
// negative scale, optional and phase-limited items.
const fuzzDefinition = `{
  "title": "Fuzz", "language": "fr",
  "items": [
    {"key": "l1", "type": "likert", "text": "Likert", "scale": {"min": 1, "max": 5, "labels": ["a", "", "", "", "e"]}},
    {"key": "l2", "type": "likert", "text": "Inversée", "scale": {"min": -2, "max": 2}, "reverse": true},
    {"key": "l3", "type": "likert", "text": "Autre", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "n1", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10}, "required": false},
    {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "Oui ou non", "phases": ["pre"]},
    {"key": "s1", "type": "choice", "text": "Un choix", "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]},
    {"key": "c1", "type": "choice", "text": "Plusieurs", "multiple": true, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}]},
    {"key": "t1", "type": "text", "text": "Texte", "phases": ["post"]},
    {"key": "t2", "type": "text", "text": "Texte obligatoire", "required": true}
  ],
  "scales": [{"key": "sc", "title": "Échelle", "items": ["l1", "l3"]}]
}`

func mustFuzzQuestionnaire(t testing.TB) *surveys.Questionnaire {
	t.Helper()
	q, err := surveys.ParseDefinition([]byte(fuzzDefinition))
	if err != nil {
		t.Fatalf("ParseDefinition(fuzzDefinition): %v", err)
	}
	return q
}

// FuzzParseDefinition: any bytes either give a clear EINVALID error or a
// definition that is valid and survives a JSON round trip unchanged.
func FuzzParseDefinition(f *testing.F) {
	libs, _ := filepath.Glob("library/*.json")
	for _, name := range libs {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		fuzzDefinition,
		"title: Court\nitems:\n  - key: q1\n    type: likert\n    text: Oui ?\n    scale: {min: 1, max: 5}\n",
		"title: Ancres\nitems:\n  - &i {key: q1, type: yesno, text: Oui ?}\n  - *i\n",
		"a: &a [1, 2]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n",
		"title: Types\nitems:\n  - key: 1\n    type: yesno\n    text: 2020-01-01\n",
		"? [a]\n: b\n",
		"{}", "[]", "null", "", " ", "\xef\xbb\xbf{\"title\": \"BOM\"}",
		`{"title": "T", "items": [{"key": "q", "type": "likert", "text": "x", "scale": {"min": 1, "max": 5}, "phases": []}]}`,
		`{"title": "T", "items": [{"key": "q", "type": "quiz", "text": "x", "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}], "correct": "a"}]}`,
		`{"title": "T", "items": [{"key": "q", "type": "likert", "text": "x", "scale": {"min": 1e309, "max": 5}}]}`,
		`{"title": "T", "items": [{"key": "q", "type": "text", "text": "x"}], "scales": [{"key": "q", "title": "S", "items": ["q", "q"]}]}`,
		`{"title": {"$gt": ""}, "items": []}`,
		`{"title": "T\u202e\u200b", "items": [{"key": "q", "type": "yesno", "text": "\u0000"}]} trailing`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := surveys.ParseDefinition(data)
		if err != nil {
			var e *surveys.Error
			if !errors.As(err, &e) || e.Code != surveys.EINVALID || e.Message == "" {
				t.Fatalf("error %v (%T): want an *surveys.Error with code invalid and a message", err, err)
			}
			for k, msg := range e.Fields {
				if k == "" || msg == "" {
					t.Fatalf("error fields %q: every field needs a name and a message", e.Fields)
				}
			}
			return
		}
		if err := q.Validate(); err != nil {
			t.Fatalf("accepted definition fails Validate: %v", err)
		}
		if q.ID != "" || q.Builtin || q.OwnerID != "" {
			t.Fatalf("parsed definition kept id %q builtin %v owner %q; want them cleared", q.ID, q.Builtin, q.OwnerID)
		}
		enc, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("encode accepted definition: %v", err)
		}
		again, err := surveys.ParseDefinition(enc)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", enc, err)
		}
		enc2, _ := json.Marshal(again)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the definition:\nfirst  %s\nsecond %s", enc, enc2)
		}
	})
}

// FuzzCheckAnswers decodes arbitrary bytes the way the API does (strict
// JSON, floats; and with json.Number, as the form path gives) and checks
// that CheckAnswers either accepts answers of the right type and range or
// names what is wrong.
func FuzzCheckAnswers(f *testing.F) {
	for _, s := range []string{
		`{"l1": 3, "l2": -2, "l3": 1, "k1": "b", "y1": 1, "t2": "ok"}`,
		`{"l1": 3, "l2": 0, "l3": 5, "n1": 10, "k1": "a", "s1": "x", "c1": ["a", "c", "a"], "t1": "merci", "t2": "  x  "}`,
		`{"l1": 5.0, "l2": -0, "l3": 2.0, "k1": "b", "y1": 0, "t2": "é"}`,
		`{"l1": 4.0000000001, "l2": 1e309, "k1": ["b"], "y1": true}`,
		`{"l1": {"$gt": ""}, "k1": {"$ne": "a"}, "t2": {"$regex": ".*"}}`,
		`{"$where": "1", "a.b": 1, "": 2, "l1\u0000": 3}`,
		`{"l1": null, "k1": "", "c1": [], "t2": "   "}`,
		`{"c1": [null, 1, {}, []], "s1": ["x"], "n1": "7"}`,
		`{"l1": 9007199254740993, "l2": -9223372036854775809, "n1": 1e9, "y1": 1e-400}`,
		`{"t2": "\u202eRTL\u200b\ufeff", "t1": "` + strings.Repeat("é", 2001) + `"}`,
		`{"l1": [[[[[[1]]]]]]}`,
		`[]`, `null`, `"x"`, `{"l1": 3} {}`, `{"l1": 3`, "\xef\xbb\xbf{}", "{\"t2\": \"\xff\xfe\"}",
	} {
		f.Add([]byte(s), true, false)
		f.Add([]byte(s), false, true)
	}
	q := mustFuzzQuestionnaire(f)
	f.Fuzz(func(t *testing.T, data []byte, post, useNumber bool) {
		phase := surveys.PhasePre
		if post {
			phase = surveys.PhasePost
		}
		var answers map[string]any
		if useNumber {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			if dec.Decode(&answers) != nil {
				return
			}
		} else if surveys.DecodeStrict(data, &answers) != nil {
			return
		}
		out, err := q.CheckAnswers(phase, answers)
		if err != nil {
			checkNamedError(t, q, phase, answers, err)
			return
		}
		checkAccepted(t, q, phase, out)
	})
}

// checkNamedError asserts a refusal names each problem by an item key or by
// a key the input gave.
func checkNamedError(t *testing.T, q *surveys.Questionnaire, p surveys.Phase, given map[string]any, err error) {
	t.Helper()
	var e *surveys.Error
	if !errors.As(err, &e) || e.Code != surveys.EINVALID {
		t.Fatalf("error %v (%T): want *surveys.Error with code invalid", err, err)
	}
	if len(e.Fields) == 0 {
		t.Fatalf("error %v names no field", err)
	}
	for k, msg := range e.Fields {
		if msg == "" {
			t.Fatalf("field %q has no message", k)
		}
		if _, ok := q.Item(k); ok {
			continue
		}
		if _, ok := given[k]; ok && utf8.ValidString(k) && len(k) <= 40 {
			continue
		}
		if !utf8.ValidString(k) || strings.HasPrefix(k, `"`) && len(k) <= 120 {
			continue // an odd key, quoted and cut so that it can be shown
		}
		t.Fatalf("field %q is neither an item nor a key of the answers", k)
	}
}

// checkAccepted asserts accepted answers are in their checked form: a
// whole number in range, a known option, distinct known options, a trimmed
// valid text, a pair in range; and that checking them again changes nothing.
func checkAccepted(t *testing.T, q *surveys.Questionnaire, p surveys.Phase, out surveys.Answers) {
	t.Helper()
	for k, a := range out {
		it, ok := q.Item(k)
		if !ok || !it.AskedIn(p) {
			t.Fatalf("accepted answer for %q, not an item asked in %s", k, p)
		}
		if again, msg := it.Decode(a.Value()); msg != "" || !again.Equal(a) {
			t.Fatalf("%s = %+v checks again as %+v (%s)", k, a, again, msg)
		}
		isOption := func(s string) bool {
			return slices.ContainsFunc(it.Options, func(o surveys.Option) bool { return o.Value == s })
		}
		lo, hi := it.ScoreRange()
		inRange := func(n int) bool { return float64(n) >= lo && float64(n) <= hi }
		switch a.Kind {
		case surveys.AnswerNumber:
			if !inRange(a.Number) || it.HasOptions() || it.Retrospective() {
				t.Fatalf("%s (%s) = %d, want a number in [%g, %g] for a numeric item", k, it.Type, a.Number, lo, hi)
			}
		case surveys.AnswerOption:
			if !isOption(a.Text) {
				t.Fatalf("%s = %q, want an option", k, a.Text)
			}
		case surveys.AnswerOptions:
			seen := map[string]bool{}
			for _, s := range a.List {
				if seen[s] || !isOption(s) {
					t.Fatalf("%s = %v: unknown or repeated option %q", k, a.List, s)
				}
				seen[s] = true
			}
			if len(a.List) == 0 || !it.Multiple {
				t.Fatalf("%s = %v, want a non-empty list for a multiple choice", k, a.List)
			}
		case surveys.AnswerText:
			s := a.Text
			if s == "" || s != strings.TrimSpace(s) || !utf8.ValidString(s) || utf8.RuneCountInString(s) > surveys.MaxTextAnswer {
				t.Fatalf("%s = %.80q, want a trimmed, valid, non-empty text of at most %d characters", k, s, surveys.MaxTextAnswer)
			}
		case surveys.AnswerPair:
			if !it.Retrospective() || !inRange(a.Before) || !inRange(a.Number) {
				t.Fatalf("%s = %+v, want a retrospective pair in range", k, a)
			}
		default:
			t.Fatalf("%s: accepted an empty answer", k)
		}
	}
	for _, it := range q.ItemsFor(p) {
		if _, ok := out[it.Key]; it.IsRequired() && !ok {
			t.Fatalf("accepted answers without required %s", it.Key)
		}
	}
}

// yamlAliasBomb is a few hundred bytes whose aliases expand to 9^levels
// values ("billion laughs").
func yamlAliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a"
	for i := range levels {
		name := "b" + strings.Repeat("x", i)
		b.WriteString(name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 8) + "*" + prev + "]\n")
		prev = name
	}
	return b.String()
}

// A YAML alias bomb is refused at once instead of being expanded into
// gigabytes of JSON (found while writing the fuzz seeds: 7 levels took 1.4 s
// and hundreds of megabytes, 9 levels would take hours).
func TestParseDefinitionRefusesYAMLAliasBomb(t *testing.T) {
	bomb := yamlAliasBomb(9)
	done := make(chan error, 1)
	go func() {
		_, err := surveys.ParseDefinition([]byte(bomb))
		done <- err
	}()
	select {
	case err := <-done:
		if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(surveys.ErrorMessage(err), "alias") {
			t.Errorf("ParseDefinition(alias bomb) = %v, want invalid naming the aliases", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ParseDefinition(alias bomb) still running after 10 s")
	}
	// Aliases within reason still work.
	ok := "title: Ancres\nitems:\n" +
		"  - {key: q1, type: likert, text: Un, scale: &s {min: 1, max: 4, labels: [Non, Plutôt non, Plutôt oui, Oui]}}\n" +
		"  - {key: q2, type: likert, text: Deux, scale: *s}\n"
	q, err := surveys.ParseDefinition([]byte(ok))
	if err != nil {
		t.Fatalf("ParseDefinition(small aliases) = %v, want it accepted", err)
	}
	if got := q.Items[1].Scale.Labels; len(got) != 4 || got[3].String() != "Oui" {
		t.Errorf("q2 labels through the alias = %q, want the 4 labels of q1", got)
	}
}
