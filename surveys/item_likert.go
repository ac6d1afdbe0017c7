package surveys

import (
	"math/rand/v2"
	"net/url"
)

// Likert is agreement on min..max, each value labelled ("Pas du tout
// d'accord" … "Tout à fait d'accord"), or smileys for the youngest.
const Likert ItemType = "likert"

func init() {
	register(Likert, likert{}, traits{scored: true, ranged: true, label: "Accord (Likert)", rank: 1})
}

type likert struct{}

func (likert) check(it *Item) string                    { return checkRange(it) }
func (likert) decode(it *Item, v any) (Answer, string)  { return decodeInRange(it, v) }
func (likert) fromForm(it *Item, form url.Values) any   { return numberField(form, FormField(it.Key)) }
func (likert) score(it *Item, a Answer) (float64, bool) { return numberScore(it, a) }
func (likert) choices(it *Item) []Choice                { return rangeChoices(it, true) }
func (likert) columns(it *Item) []Column                { return oneColumn(it) }
func (likert) example(it *Item, rng *rand.Rand, level, _ float64) Answer {
	return NumberAnswer(exampleOnRange(it, rng, level))
}

// exampleOnRange is a made-up answer on a ranged item: above the middle
// for a pupil with a positive level, reversed items answered the other way.
func exampleOnRange(it *Item, rng *rand.Rand, level float64) int {
	lo, hi := float64(it.Scale.Min), float64(it.Scale.Max)
	span := hi - lo
	v := lo + span*0.55 + (level+rng.NormFloat64()*0.8)*span/4
	if it.Reverse {
		v = lo + hi - v
	}
	return clampRound(v, it.Scale.Min, it.Scale.Max)
}
