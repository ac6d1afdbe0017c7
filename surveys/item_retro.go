package surveys

import (
	"math/rand/v2"
	"net/url"
	"strings"
)

// Retro is a retrospective ("then-test") item, asked only at the end:
// "Avant l'atelier, …" and "Aujourd'hui, …" on one min..max scale. Its
// answer is {"before": n, "now": n}, analysed as a pair. Pupils judge
// their "before" with what the workshop taught them, which removes the
// response-shift bias of a PRE answered without that yardstick.
const Retro ItemType = "retro"

func init() {
	register(Retro, retro{}, traits{scored: true, ranged: true, postOnly: true, retrospective: true,
		label: "Avant / aujourd'hui (rétrospective)", rank: 7})
}

type retro struct{}

// RetroField is the form field of one half of a retrospective item.
func RetroField(key, part string) string { return FormField(key) + "." + part }

func (retro) check(it *Item) string {
	if msg := checkRange(it); msg != "" {
		return msg
	}
	if it.AskedIn(PhasePre) {
		return "une question rétrospective (retro) se pose seulement à la fin : phases [\"post\"]"
	}
	return ""
}

// decode checks {"before": n, "now": n}: both halves, in range.
func (retro) decode(it *Item, v any) (Answer, string) {
	const want = `deux réponses sont attendues : {"before": avant l'atelier, "now": aujourd'hui}`
	m, ok := v.(map[string]any)
	if !ok {
		return Answer{}, want
	}
	for k := range m {
		if k != RetroBefore && k != RetroNow {
			return Answer{}, want
		}
	}
	lo, hi := it.ScoreRange()
	var halves [2]int
	given := 0
	for i, part := range []string{RetroBefore, RetroNow} {
		x := m[part]
		if s, isStr := x.(string); x == nil || isStr && strings.TrimSpace(s) == "" {
			continue
		}
		n, ok := integer(x)
		if !ok {
			return Answer{}, "un nombre entier est attendu pour « avant l'atelier » et pour « aujourd'hui »"
		}
		if float64(n) < lo || float64(n) > hi {
			return Answer{}, "les réponses doivent être comprises entre " + fmtG(lo) + " et " + fmtG(hi)
		}
		halves[i] = n
		given++
	}
	switch given {
	case 0:
		return Answer{}, ""
	case 1:
		return Answer{}, "il faut répondre pour « avant l'atelier » et pour « aujourd'hui »"
	}
	return PairAnswer(halves[0], halves[1]), ""
}

func (retro) fromForm(it *Item, form url.Values) any {
	pair := map[string]any{}
	for _, part := range []string{RetroBefore, RetroNow} {
		if v := numberField(form, RetroField(it.Key, part)); v != nil {
			pair[part] = v
		}
	}
	return pair
}

// score is the "now" half; RetroScores gives both.
func (retro) score(_ *Item, a Answer) (float64, bool) {
	if a.Kind != AnswerPair {
		return 0, false
	}
	return float64(a.Number), true
}

func (retro) choices(it *Item) []Choice { return rangeChoices(it, true) }

// columns: two, "r1 (avant)" and "r1 (aujourd'hui)".
func (retro) columns(it *Item) []Column {
	half := func(before bool) func(Answer) any {
		return func(a Answer) any {
			if a.Kind != AnswerPair {
				return nil
			}
			if before {
				return a.Before
			}
			return a.Number
		}
	}
	return []Column{{Header: it.Key + " (avant)", Cell: half(true)}, {Header: it.Key + " (aujourd'hui)", Cell: half(false)}}
}

func (retro) example(it *Item, rng *rand.Rand, level, gain float64) Answer {
	before := exampleOnRange(it, rng, level-0.6)
	now := clampRound(float64(before)+gain+0.3+rng.NormFloat64()*0.6, it.Scale.Min, it.Scale.Max)
	if it.Reverse {
		now = clampRound(float64(before)-gain-0.3+rng.NormFloat64()*0.6, it.Scale.Min, it.Scale.Max)
	}
	return PairAnswer(before, now)
}
