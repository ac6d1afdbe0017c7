package surveys

import (
	"math/rand/v2"
	"net/url"
)

// Rating is a numeric scale, e.g. 0 to 10, labelled at its ends only.
const Rating ItemType = "scale"

func init() {
	register(Rating, rating{}, traits{scored: true, ranged: true, label: "Note sur une échelle (0 à 10)", rank: 2})
}

type rating struct{}

func (rating) check(it *Item) string                    { return checkRange(it) }
func (rating) decode(it *Item, v any) (Answer, string)  { return decodeInRange(it, v) }
func (rating) fromForm(it *Item, form url.Values) any   { return numberField(form, FormField(it.Key)) }
func (rating) score(it *Item, a Answer) (float64, bool) { return numberScore(it, a) }
func (rating) choices(it *Item) []Choice                { return rangeChoices(it, false) }
func (rating) columns(it *Item) []Column                { return oneColumn(it) }
func (rating) example(it *Item, rng *rand.Rand, level, _ float64) Answer {
	return NumberAnswer(exampleOnRange(it, rng, level))
}

// Ends are the labels of a rating's two ends, when it has labels.
func (it *Item) Ends() (low, high Text, ok bool) {
	if it.Type != Rating || it.Scale == nil || len(it.Scale.Labels) == 0 {
		return Text{}, Text{}, false
	}
	return it.Scale.Labels[0], it.Scale.Labels[len(it.Scale.Labels)-1], true
}
