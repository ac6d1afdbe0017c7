package charts

import (
	"io"

	"declic/surveys"
)

// KnowledgeItem is the share of correct answers (score 1) to one quiz or
// yes/no question, before and after.
type KnowledgeItem struct {
	Label       string
	Pre, Post   *float64 // shares in 0..1; nil, NaN or ±Inf = no data
	NPre, NPost int
}

// Knowledge is a chart of correct answers before and after, in percent.
type Knowledge struct {
	Title string // the chart adds "n = 18 avant, 17 après" under it
	Items []KnowledgeItem
	// Caption is the source line under the chart; "" draws none.
	Caption string
	// Width is the chart's logical width, as PrePost.Width.
	Width float64
}

// DefaultKnowledgeTitle is used when Knowledge.Title is empty.
const DefaultKnowledgeTitle = "Bonnes réponses avant / après l'atelier"

// RenderKnowledge writes c as grouped horizontal bars, "Avant" above
// "Après", on one 0..100 % axis. scale 1 is for screens, 2 for print. It
// never panics.
func RenderKnowledge(w io.Writer, c Knowledge, f Format, scale float64) error {
	return renderPrePostWith(w, knowledgePrePost(c), f, scale, knowledgeOptions(c))
}

// MeasureKnowledge returns the pixel size RenderKnowledge will produce.
func MeasureKnowledge(c Knowledge, scale float64) (Size, error) {
	return measureLayout(withCaption(c.Caption, func() (layout, error) {
		return layoutPrePost(knowledgePrePost(c), scale, knowledgeOptions(c))
	}))
}

func knowledgePrePost(c Knowledge) PrePost {
	p := PrePost{Title: c.Title, Caption: c.Caption, Width: c.Width}
	for _, it := range c.Items {
		p.Bars = append(p.Bars, Bar{Label: it.Label, Pre: share(it.Pre), Post: share(it.Post), NPre: it.NPre, NPost: it.NPost, Min: 0, Max: 1})
	}
	return p
}

func knowledgeOptions(c Knowledge) prePostOptions {
	o := prePostOptions{defaultTitle: DefaultKnowledgeTitle, note: "En % de bonnes réponses (« oui » pour les questions oui/non)"}
	if len(c.Items) == 0 {
		o.emptyHint = "Ce questionnaire n'a pas de question de quiz ou oui/non posée avant et après l'atelier."
	}
	return o
}

// share keeps a proportion within 0..1, so a bad value cannot stretch the axis.
func share(p *float64) *float64 {
	if p == nil || !isFinite(*p) {
		return nil
	}
	v := min(max(*p, 0), 1)
	return &v
}

// drawKnowledge draws the share of right answers to every quiz and yes/no
// item: the mean of a 0/1 score is that share (of « oui » for a yes/no).
func drawKnowledge(w io.Writer, d Data, f Format, scale float64) error {
	c := Knowledge{Caption: d.Caption, Width: d.Width}
	for i := range d.Results.Items {
		it := &d.Results.Items[i]
		if !knowledgeItem(it) {
			continue
		}
		label := it.Text
		if it.Type == surveys.YesNo {
			label += " (part de «\u00a0oui\u00a0»)"
		}
		c.Items = append(c.Items, KnowledgeItem{Label: label, Pre: it.Pre.Mean, Post: it.Post.Mean, NPre: it.Pre.N, NPost: it.Post.N})
	}
	return RenderKnowledge(w, c, f, scale)
}

// knowledgeItem reports whether an item is scored right/wrong (0 or 1).
func knowledgeItem(it *surveys.ItemResult) bool {
	return it.Type.Binary()
}
