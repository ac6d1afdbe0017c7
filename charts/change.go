package charts

import (
	"fmt"
	"io"
)

// ChangeRow is how many paired participants scored higher, the same or lower
// after the workshop on one item or scale.
type ChangeRow struct {
	Label                         string
	Improved, Unchanged, Declined int
}

// Change is a chart of individual change, one 100 % bar per row.
type Change struct {
	Title string // the chart adds "n = 15 jeunes appariés …" under it
	Rows  []ChangeRow
	// NPaired is the n of the title; 0 means the largest row. A
	// retrospective row can count more pupils than were paired PRE/POST.
	NPaired int
	// Caption is the source line under the chart; "" draws none.
	Caption string
	// Width is the chart's logical width, as PrePost.Width.
	Width float64
}

// DefaultChangeTitle is used when Change.Title is empty.
const DefaultChangeTitle = "Évolution de chaque jeune entre avant et après l'atelier"

// RenderChange writes c as 100 % stacked bars: declined, unchanged and
// improved shares of the participants who answered both phases, with the
// number of pairs per row. scale 1 is for screens, 2 for print. It never
// panics.
func RenderChange(w io.Writer, c Change, f Format, scale float64) error {
	return renderLayout(w, f, "change", withCaption(c.Caption, func() (layout, error) { return layoutStack(changeStack(c), scale) }))
}

// MeasureChange returns the pixel size RenderChange will produce.
func MeasureChange(c Change, scale float64) (Size, error) {
	return measureLayout(withCaption(c.Caption, func() (layout, error) { return layoutStack(changeStack(c), scale) }))
}

func changeStack(c Change) stackChart {
	sc := stackChart{
		width:         c.Width,
		title:         c.Title,
		fallbackTitle: DefaultChangeTitle,
		note: "En % des jeunes qui ont répondu avant et après : score plus bas, égal ou plus haut après l'atelier " +
			"(les questions formulées à l'envers sont comptées sur leur score inversé, plus haut = mieux).",
		missing:   "aucun jeune apparié",
		emptyHint: "Ce graphique compte les jeunes qui ont répondu avant et après l'atelier.",
	}
	if len(c.Rows) == 0 {
		sc.emptyHint = "Ce questionnaire n'a pas de question notée posée avant et après l'atelier."
	}
	rows := c.Rows
	if len(rows) > maxRows {
		sc.hiddenRows = len(rows) - maxRows
		rows = rows[:maxRows]
	}
	g := stackGroup{legend: []legendEntry{
		{color: colorNegStrong, text: "En recul"},
		{color: colorNeutral, text: "Sans changement"},
		{color: colorPosStrong, text: "En progrès"},
	}}
	pairs := 0
	for _, r := range rows {
		b := newStackBar("", []float64{float64(r.Declined), float64(r.Unchanged), float64(r.Improved)}, 3)
		pairs = max(pairs, int(b.total))
		g.rows = append(g.rows, stackRow{label: r.Label, bars: []stackBar{b}})
	}
	sc.groups = []stackGroup{g}
	if c.NPaired > 0 {
		pairs = c.NPaired
	}
	sc.nText = fmt.Sprintf("n = %d jeunes appariés (ont répondu avant et après)", pairs)
	if pairs == 1 {
		sc.nText = "n = 1 jeune apparié (a répondu avant et après)"
	}
	return sc
}

// drawChange counts the paired pupils who moved, item by item then scale
// by scale; scores are after reversal, so up is always better.
func drawChange(w io.Writer, d Data, f Format, scale float64) error {
	c := Change{NPaired: d.Results.NPaired, Caption: d.Caption, Width: d.Width}
	for _, it := range d.Results.Items {
		p := it.Paired
		c.Rows = append(c.Rows, ChangeRow{Label: itemLabel(it, " (score inversé)"), Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined})
	}
	for _, sc := range d.Results.Scales {
		p := sc.Paired
		c.Rows = append(c.Rows, ChangeRow{Label: "Échelle : " + sc.Title, Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined})
	}
	return RenderChange(w, c, f, scale)
}
