package surveys

import (
	"math/rand/v2"
	"net/url"
)

// Select is a single or multiple choice among options; not scored. A
// single choice may be a profile item (age band, gender).
const Select ItemType = "choice"

func init() { register(Select, choice{}, traits{options: true, label: "Choix (non noté)", rank: 5}) }

type choice struct{}

func (choice) check(it *Item) string {
	if msg := checkOptions(it); msg != "" {
		return msg
	}
	if it.Correct != "" {
		return "« correct » ne s'applique qu'aux quiz"
	}
	return ""
}

func (choice) decode(it *Item, v any) (Answer, string) {
	if !it.Multiple {
		return decodeOption(it, v)
	}
	list, ok := v.([]any)
	if !ok {
		return Answer{}, "une liste d'options est attendue"
	}
	if len(list) > MaxOptions {
		return Answer{}, "trop d'options"
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok || !hasOption(it.Options, s) {
			return Answer{}, "option inconnue"
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return Answer{}, ""
	}
	return OptionsAnswer(out), ""
}

func (choice) fromForm(it *Item, form url.Values) any {
	vals := form[FormField(it.Key)]
	if !it.Multiple {
		return firstValue(form, FormField(it.Key))
	}
	if len(vals) == 0 {
		return nil
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

func (choice) score(*Item, Answer) (float64, bool) { return 0, false }
func (choice) choices(it *Item) []Choice           { return optionChoices(it) }
func (choice) columns(it *Item) []Column           { return oneColumn(it) }

func (choice) example(it *Item, rng *rand.Rand, _, _ float64) Answer {
	v := it.Options[rng.IntN(len(it.Options))].Value
	if it.Multiple {
		return OptionsAnswer([]string{v})
	}
	return OptionAnswer(v)
}
