package surveys

import (
	"math/rand/v2"
	"net/url"
)

// YesNo is a yes/no question: 1 for yes, 0 for no.
const YesNo ItemType = "yesno"

func init() {
	register(YesNo, yesNo{}, traits{scored: true, binary: true, label: "Oui / non", rank: 3})
}

type yesNo struct{}

var (
	yesLabel = Translated("fr", map[string]string{"fr": "Oui", "pt": "Sim", "en": "Yes"})
	noLabel  = Translated("fr", map[string]string{"fr": "Non", "pt": "Não", "en": "No"})
)

func (yesNo) check(it *Item) string                    { return checkNoExtras(it) }
func (yesNo) decode(it *Item, v any) (Answer, string)  { return decodeInRange(it, v) }
func (yesNo) fromForm(it *Item, form url.Values) any   { return numberField(form, FormField(it.Key)) }
func (yesNo) score(it *Item, a Answer) (float64, bool) { return numberScore(it, a) }
func (yesNo) choices(*Item) []Choice {
	return []Choice{{Value: "1", Label: yesLabel}, {Value: "0", Label: noLabel}}
}
func (yesNo) columns(it *Item) []Column { return oneColumn(it) }
func (yesNo) example(it *Item, rng *rand.Rand, level, _ float64) Answer {
	yes := rng.Float64() < 0.35+0.12*level
	if it.Reverse {
		yes = !yes
	}
	if yes {
		return NumberAnswer(1)
	}
	return NumberAnswer(0)
}
