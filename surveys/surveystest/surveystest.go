// Package surveystest builds domain values for tests in other packages.
package surveystest

import (
	"fmt"

	"declic/surveys"
)

// Answers builds answers from plain values, as tests write them: an int is
// a number, a string an option, a []string several options, {"before":
// b, "now": n} a retrospective pair, and a surveys.Answer is kept as is
// (use surveys.TextAnswer for free text).
func Answers(m map[string]any) surveys.Answers {
	out := surveys.Answers{}
	for k, v := range m {
		switch x := v.(type) {
		case surveys.Answer:
			out[k] = x
		case int:
			out[k] = surveys.NumberAnswer(x)
		case string:
			out[k] = surveys.OptionAnswer(x)
		case []string:
			out[k] = surveys.OptionsAnswer(x)
		case map[string]any:
			out[k] = surveys.PairAnswer(x[surveys.RetroBefore].(int), x[surveys.RetroNow].(int))
		default:
			panic(fmt.Sprintf("surveystest.Answers: %s: unsupported %T", k, v))
		}
	}
	return out
}

// Texts are wordings in one language.
func Texts(ss ...string) []surveys.Text {
	out := make([]surveys.Text, len(ss))
	for i, s := range ss {
		out[i] = surveys.NewText(s)
	}
	return out
}
