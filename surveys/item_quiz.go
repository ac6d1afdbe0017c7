package surveys

import (
	"math"
	"math/rand/v2"
	"net/url"
)

// Quiz is a knowledge question with one correct option: it scores 1 when
// answered right, else 0 (« Je ne sais pas » included).
const Quiz ItemType = "quiz"

func init() {
	register(Quiz, quiz{}, traits{scored: true, binary: true, options: true, label: "Quiz (une bonne réponse)", rank: 4})
}

type quiz struct{}

func (quiz) check(it *Item) string {
	if msg := checkOptions(it); msg != "" {
		return msg
	}
	if it.Multiple {
		return "un quiz a une seule bonne réponse (multiple non permis)"
	}
	if !hasOption(it.Options, it.Correct) {
		return "« correct » doit être la valeur d'une des options"
	}
	return ""
}

func (quiz) decode(it *Item, v any) (Answer, string) { return decodeOption(it, v) }
func (quiz) fromForm(it *Item, form url.Values) any  { return firstValue(form, FormField(it.Key)) }

func (quiz) score(it *Item, a Answer) (float64, bool) {
	if a.Kind != AnswerOption {
		return 0, false
	}
	if a.Text == it.Correct {
		return 1, true
	}
	return 0, true
}

func (quiz) choices(it *Item) []Choice { return optionChoices(it) }
func (quiz) columns(it *Item) []Column { return oneColumn(it) }

func (quiz) example(it *Item, rng *rand.Rand, level, _ float64) Answer {
	if rng.Float64() < 0.3+0.35*math.Max(-0.5, math.Min(1, level)) {
		return OptionAnswer(it.Correct)
	}
	return OptionAnswer(it.Options[rng.IntN(len(it.Options))].Value)
}
