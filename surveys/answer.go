package surveys

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// AnswerKind is the shape of a stored answer; an item's type decides it.
type AnswerKind uint8

// Answer shapes. The zero Answer is no answer.
const (
	NoAnswer      AnswerKind = iota
	AnswerNumber             // likert, scale, yesno: Number
	AnswerOption             // quiz, single choice: Text holds the option value
	AnswerOptions            // multiple choice: List holds option values
	AnswerText               // free text: Text
	AnswerPair               // retrospective: Before and Number ("now")
)

// Answer is one checked answer, as stores keep it and statistics read it.
// Stores convert it to and from their own encoding at their boundary.
type Answer struct {
	Kind   AnswerKind
	Number int      // AnswerNumber; the "now" half of AnswerPair
	Before int      // the "before" half of AnswerPair
	Text   string   // AnswerOption, AnswerText
	List   []string // AnswerOptions
}

// Answers are a response's answers by item key; unanswered items are absent.
type Answers map[string]Answer

// NumberAnswer, OptionAnswer, … build answers of each shape.
func NumberAnswer(n int) Answer         { return Answer{Kind: AnswerNumber, Number: n} }
func OptionAnswer(v string) Answer      { return Answer{Kind: AnswerOption, Text: v} }
func OptionsAnswer(v []string) Answer   { return Answer{Kind: AnswerOptions, List: v} }
func TextAnswer(s string) Answer        { return Answer{Kind: AnswerText, Text: s} }
func PairAnswer(before, now int) Answer { return Answer{Kind: AnswerPair, Before: before, Number: now} }

// Equal tells whether two answers are the same.
func (a Answer) Equal(b Answer) bool {
	return a.Kind == b.Kind && a.Number == b.Number && a.Before == b.Before && a.Text == b.Text && slices.Equal(a.List, b.List)
}

// IsZero tells whether there is no answer.
func (a Answer) IsZero() bool { return a.Kind == NoAnswer }

// Label is the answer as a count key or a cell: "4", "b", "a|c", the text.
func (a Answer) Label() string {
	switch a.Kind {
	case AnswerNumber:
		return itoa(a.Number)
	case AnswerOption, AnswerText:
		return a.Text
	case AnswerOptions:
		out := ""
		for i, v := range a.List {
			if i > 0 {
				out += "|"
			}
			out += v
		}
		return out
	case AnswerPair:
		return fmt.Sprintf("%d → %d", a.Before, a.Number)
	}
	return ""
}

// smallInts are the labels of the answers scales allow, made once: results
// count every answer under its label.
var smallInts = func() [201]string {
	var out [201]string
	for i := range out {
		out[i] = strconv.Itoa(i - 100)
	}
	return out
}()

func itoa(n int) string {
	if n >= -100 && n <= 100 {
		return smallInts[n+100]
	}
	return strconv.Itoa(n)
}

// MarshalJSON writes the answer as the API takes it: 4, "b", ["a"], "…",
// {"before": 2, "now": 4}; no answer is null.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case AnswerNumber:
		return strconv.AppendInt(nil, int64(a.Number), 10), nil
	case AnswerOption, AnswerText:
		return json.Marshal(a.Text)
	case AnswerOptions:
		if a.List == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(a.List)
	case AnswerPair:
		return json.Marshal(map[string]int{RetroBefore: a.Before, RetroNow: a.Number})
	}
	return []byte("null"), nil
}

// Value is the answer as JSON decodes it (json.Number, string, []any,
// map[string]any), so that an item's decode can check it again.
func (a Answer) Value() any {
	switch a.Kind {
	case AnswerNumber:
		return json.Number(strconv.Itoa(a.Number))
	case AnswerOption, AnswerText:
		return a.Text
	case AnswerOptions:
		out := make([]any, len(a.List))
		for i, v := range a.List {
			out[i] = v
		}
		return out
	case AnswerPair:
		return map[string]any{RetroBefore: json.Number(strconv.Itoa(a.Before)), RetroNow: json.Number(strconv.Itoa(a.Number))}
	}
	return nil
}

// The two halves of a retrospective answer, and their form fields.
const (
	RetroBefore = "before"
	RetroNow    = "now"
)
