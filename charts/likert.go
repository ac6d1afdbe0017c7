package charts

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LikertItem is the distribution of one question's answers before and after.
type LikertItem struct {
	Label string
	// Reverse marks a question worded the other way round: the chart keeps
	// the answers as pupils gave them and says that low answers are the
	// desired ones.
	Reverse bool
	// Answers are the legend's texts, one per possible answer from the
	// lowest to the highest (e.g. "1 · Pas du tout d'accord", "2", …).
	// Empty means the numbers 1..k.
	Answers   []string
	Pre, Post []int // how many chose each answer, in the order of Answers
}

// Likert is a chart of answer distributions, PRE above POST, one pair of
// bars per question, split around a centre line.
type Likert struct {
	Title string // the chart adds "n = 18 avant, 17 après" under it
	Items []LikertItem
	// Width is the chart's logical width, as PrePost.Width.
	Width float64
}

// DefaultLikertTitle is used when Likert.Title is empty.
const DefaultLikertTitle = "Répartition des réponses avant / après l'atelier"

// maxAnswers is the most answers a likert row shows (a 0..20 scale).
const maxAnswers = 21

// ReverseNote is added under the question of a reverse-coded item.
const ReverseNote = "(score inversé : question formulée à l'envers, les réponses basses vont dans le sens souhaité)"

// RenderLikert writes c as diverging stacked bars: the answers below the
// middle of the scale left of a centre line, those above it right, the
// middle answer split across it, in percent of each phase's answers.
// Questions with the same answers share a legend. scale 1 is for screens
// (900 px wide), 2 for print. It never panics.
func RenderLikert(w io.Writer, c Likert, f Format, scale float64) error {
	return renderLayout(w, f, "likert", func() (layout, error) { return layoutStack(likertStack(c), scale) })
}

// MeasureLikert returns the pixel size RenderLikert will produce.
func MeasureLikert(c Likert, scale float64) (Size, error) {
	return measureLayout(func() (layout, error) { return layoutStack(likertStack(c), scale) })
}

func likertStack(c Likert) stackChart {
	sc := stackChart{
		width:         c.Width,
		title:         c.Title,
		fallbackTitle: DefaultLikertTitle,
		note: "En % des réponses de chaque phase. À gauche du trait central, les réponses du bas de l'échelle ; " +
			"à droite, celles du haut ; la réponse du milieu est partagée entre les deux.",
		emptyHint: "Le graphique apparaîtra dès les premières réponses au questionnaire.",
		missing:   "pas de réponses",
		diverging: true,
	}
	if len(c.Items) == 0 {
		sc.emptyHint = "Ce questionnaire n'a pas de question à échelle posée avant et après l'atelier."
	}
	items := c.Items
	if len(items) > maxRows {
		sc.hiddenRows = len(items) - maxRows
		items = items[:maxRows]
	}
	byAnswers := map[string]int{}
	nPre, nPost := 0, 0
	for _, it := range items {
		answers := likertAnswers(it)
		key := strings.Join(answers, "\x00")
		gi, ok := byAnswers[key]
		if !ok {
			gi = len(sc.groups)
			byAnswers[key] = gi
			colors := divergingColors(len(answers))
			g := stackGroup{}
			for i, a := range answers {
				g.legend = append(g.legend, legendEntry{color: colors[i], text: cleanText(a, maxLabelRunes, false)})
			}
			sc.groups = append(sc.groups, g)
		}
		row := stackRow{label: it.Label}
		if it.Reverse {
			row.note = ReverseNote
		}
		pre := newStackBar("Avant", floats(it.Pre), len(answers))
		post := newStackBar("Après", floats(it.Post), len(answers))
		row.bars = []stackBar{pre, post}
		nPre, nPost = max(nPre, int(pre.total)), max(nPost, int(post.total))
		sc.groups[gi].rows = append(sc.groups[gi].rows, row)
	}
	sc.nText = fmt.Sprintf("n = %d avant, %d après", nPre, nPost)
	return sc
}

// likertAnswers are the item's legend texts, at most maxAnswers, numbers
// where none is given.
func likertAnswers(it LikertItem) []string {
	k := len(it.Answers)
	if k == 0 {
		k = max(len(it.Pre), len(it.Post), 1)
	}
	k = min(k, maxAnswers)
	out := make([]string, k)
	for i := range out {
		if i < len(it.Answers) && strings.TrimSpace(it.Answers[i]) != "" {
			out[i] = it.Answers[i]
		} else {
			out[i] = strconv.Itoa(i + 1)
		}
	}
	return out
}

func floats(counts []int) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = float64(c)
	}
	return out
}
