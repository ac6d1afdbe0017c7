package charts

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// LikertItem is the distribution of one question's answers before and after.
type LikertItem struct {
	Label string
	// Reverse marks a question worded the other way round, whose low
	// answers are the favourable ones: its answers are drawn from the
	// highest to the lowest, so that, as on every other row, the
	// unfavourable ones are on the left in orange and the favourable ones
	// on the right in blue.
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
	// Caption is the source line under the chart; "" draws none.
	Caption string
	// Width is the chart's logical width, as PrePost.Width.
	Width float64
}

// DefaultLikertTitle is used when Likert.Title is empty.
const DefaultLikertTitle = "Répartition des réponses avant / après l'atelier"

// maxAnswers is the most answers a likert row shows (a 0..20 scale).
const maxAnswers = 21

// ReverseNote is added under the question of a reverse-coded item.
const ReverseNote = "(score inversé : question formulée à l'envers, ses réponses basses sont les favorables, à droite en bleu)"

// RenderLikert writes c as diverging stacked bars: the answers below the
// middle of the scale left of a centre line, those above it right, the
// middle answer split across it, in percent of each phase's answers.
// Questions with the same answers share a legend. scale 1 is for screens
// (900 px wide), 2 for print. It never panics.
func RenderLikert(w io.Writer, c Likert, f Format, scale float64) error {
	return renderLayout(w, f, "likert", withCaption(c.Caption, func() (layout, error) { return layoutStack(likertStack(c), scale) }))
}

// MeasureLikert returns the pixel size RenderLikert will produce.
func MeasureLikert(c Likert, scale float64) (Size, error) {
	return measureLayout(withCaption(c.Caption, func() (layout, error) { return layoutStack(likertStack(c), scale) }))
}

func likertStack(c Likert) stackChart {
	sc := stackChart{
		width:         c.Width,
		title:         c.Title,
		fallbackTitle: DefaultLikertTitle,
		note: "En % des réponses de chaque phase. À gauche du trait central, les réponses défavorables (orange) ; " +
			"à droite, les favorables (bleu) ; la réponse du milieu est partagée entre les deux.",
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
		pre, post := counts(it.Pre, len(answers)), counts(it.Post, len(answers))
		if it.Reverse {
			answers, pre, post = reversed(answers), reversed(pre), reversed(post)
		}
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
		preBar := newStackBar("Avant", pre, len(answers))
		postBar := newStackBar("Après", post, len(answers))
		row.bars = []stackBar{preBar, postBar}
		nPre, nPost = max(nPre, int(preBar.total)), max(nPost, int(postBar.total))
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

// counts are the first k counts as floats, zeros where none is given.
func counts(c []int, k int) []float64 {
	out := make([]float64, k)
	for i := 0; i < k && i < len(c); i++ {
		out[i] = float64(c[i])
	}
	return out
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// drawLikert shows the answers to every item on a min..max scale (likert,
// 0-10 and the like), as pupils gave them, with the questionnaire's labels.
func drawLikert(w io.Writer, d Data, f Format, scale float64) error {
	c := Likert{Caption: d.Caption, Width: d.Width}
	for i := range d.Results.Items {
		it := &d.Results.Items[i]
		if knowledgeItem(it) || !(it.Max > it.Min) || it.Max-it.Min > 100 {
			continue
		}
		lo, hi := int(math.Round(it.Min)), int(math.Round(it.Max))
		var labels []string
		if d.Questionnaire != nil {
			if qi, ok := d.Questionnaire.Item(it.Key); ok && qi.Scale != nil {
				for _, l := range qi.Scale.Labels {
					labels = append(labels, l.String())
				}
			}
		}
		li := LikertItem{Label: it.Text, Reverse: it.Reverse}
		for v := lo; v <= hi; v++ {
			answer := strconv.Itoa(v)
			if k := v - lo; k < len(labels) && strings.TrimSpace(labels[k]) != "" {
				answer += " · " + labels[k]
			}
			li.Answers = append(li.Answers, answer)
			li.Pre = append(li.Pre, it.Pre.Counts[strconv.Itoa(v)])
			li.Post = append(li.Post, it.Post.Counts[strconv.Itoa(v)])
		}
		c.Items = append(c.Items, li)
	}
	return RenderLikert(w, c, f, scale)
}
