package charts

import (
	"fmt"
	"io"
	"math"

	"declic/surveys"
	"declic/surveys/fr"
)

// Bar is one row of a PRE/POST chart: an item or a scale.
type Bar struct {
	Label       string   // item question text or scale title; wrapped, never cut
	Pre, Post   *float64 // means; nil, NaN or ±Inf = no data for that phase
	NPre, NPost int
	Min, Max    float64 // the row's answer scale; 0..1 is shown as a percentage
	// The means' 95 % confidence intervals, as the results give them
	// (surveys.PhaseSummary.CI95), drawn as whiskers; nil draws none.
	CIPre, CIPost *[2]float64
}

// PrePost is a chart of means before and after a workshop, one row per bar.
type PrePost struct {
	Title string // the chart adds "n = 18 avant, 17 après" under it
	Bars  []Bar
	// Caption is the source line under the chart; "" draws none.
	Caption string
	// Width is the chart's logical width in pixels: 0 is 900 (screens,
	// print), NarrowWidth for a phone.
	Width float64
}

// prePostOptions let other charts (knowledge) reuse the pre/post layout.
type prePostOptions struct {
	defaultTitle string
	note         string // replaces the scale note over the bars
	emptyHint    string
}

// DefaultPrePostTitle is used when PrePost.Title is empty.
const DefaultPrePostTitle = "Avant / après l'atelier"

// RenderPrePost writes c as a horizontal grouped-bar chart: the wrapped label
// on the left, an "Avant" and an "Après" bar on the right, each row drawn on
// its own Min..Max scale. scale 1 is for screens (900 px wide), 2 for print.
// A chart with nothing to show says "Pas encore de réponses" instead. It
// never panics; errors come only from an unknown format or from w.
func RenderPrePost(w io.Writer, c PrePost, f Format, scale float64) error {
	return renderPrePostWith(w, c, f, scale, prePostOptions{})
}

func renderPrePostWith(w io.Writer, c PrePost, f Format, scale float64, opts prePostOptions) error {
	return renderLayout(w, f, "pre/post", withCaption(c.Caption, func() (layout, error) { return layoutPrePost(c, scale, opts) }))
}

// MeasurePrePost returns the pixel size RenderPrePost will produce, for
// width and height attributes that keep a page from jumping as it loads.
func MeasurePrePost(c PrePost, scale float64) (Size, error) {
	return measureLayout(withCaption(c.Caption, func() (layout, error) { return layoutPrePost(c, scale, prePostOptions{}) }))
}

func (l *prePostLayout) size() (float64, float64, float64) { return l.width, l.height, l.scale }
func (l *prePostLayout) svgTitle() string                  { return l.head.plain }
func (l *prePostLayout) fontMeasurer() *measurer           { return l.measurer }

// Limits that keep hostile or broken input from producing a huge image.
const (
	maxRows       = 80
	maxLabelRunes = 400
	maxTitleRunes = 200
	maxPixels     = 24_000_000 // about 96 MB of RGBA
	minScale      = 0.5
	maxScale      = 4
)

// Layout, in logical pixels.
const (
	chartWidth = 900.0
	margin     = 28.0

	titleSize   = 20.0
	titleLineH  = 26.0
	nSize       = 13.5
	nLineH      = 24.0
	legendSize  = 13.0
	legendGap   = 14.0
	labelSize   = 13.5
	labelLineH  = 18.0
	valueSize   = 12.5
	tickSize    = 11.0
	tickBand    = 17.0
	missingSize = 11.5

	labelShare = 0.42 // of the content width

	// SVG viewers without Roboto draw another font: Arial is as wide, DejaVu
	// Sans (Linux) 13 % wider. Text is wrapped this far short of its column
	// so that it still stays clear of the bars and of the right edge.
	labelSlack = 0.94
	titleSlack = 0.88
	columnGap  = 22.0
	valueRoom  = 58.0 // right of the bars, for "100 %"
	barH       = 15.0
	barGap     = 3.0
	rowPad     = 11.0
)

// prePostLayout is everything RenderPrePost draws, already measured and placed.
type prePostLayout struct {
	scale         float64
	width, height float64

	head      header
	legendY   float64 // centre line of the legend
	scaleNote string
	// noteLines: the scale note on lines of its own, under the legend,
	// when it does not fit beside it (a narrow chart); noteTop their top.
	noteLines []string
	noteTop   float64

	empty     bool
	emptyTop  float64
	emptyHint string

	hasCI     bool    // draw the whisker legend line
	ciLegendY float64 // its centre line

	rows           []rowLayout
	plotTop        float64
	plotBottom     float64
	shared         *rowScale // one axis for every row, or nil
	sharedTopTicks bool
	hidden         hiddenNote
	barX0, barX1   float64
	labelX, labelW float64
	measurer       *measurer
}

type rowLayout struct {
	text      string   // cleaned label
	label     []string // text wrapped to the label column
	pre, post *float64
	preCI     *interval // clipped to the scale
	postCI    *interval
	scale     rowScale
	top       float64
	bottom    float64
	labelTop  float64
	pairTop   float64 // top of the "Avant" bar
}

// rowScale is a row's answer scale with its grid ticks.
type rowScale struct {
	min, max float64
	percent  bool
	ticks    []float64
	decimals int // for tick labels
}

func (rs rowScale) equal(o rowScale) bool {
	return rs.min == o.min && rs.max == o.max && rs.percent == o.percent
}

func (rs rowScale) valueText(v float64) string {
	if rs.percent {
		return fr.Percent(v)
	}
	return fr.Number(v, 1)
}

func (rs rowScale) tickText(v float64) string {
	if rs.percent {
		return fr.Percent(v)
	}
	return fr.Number(v, rs.decimals)
}

func layoutPrePost(c PrePost, scale float64, opts prePostOptions) (*prePostLayout, error) {
	font, err := defaultFont()
	if err != nil {
		return nil, err
	}
	m := newMeasurer(font)
	l := &prePostLayout{measurer: m, width: widthOf(c.Width)}
	contentW := l.width - 2*margin

	fallbackTitle := DefaultPrePostTitle
	if opts.defaultTitle != "" {
		fallbackTitle = opts.defaultTitle
	}
	l.emptyHint = opts.emptyHint
	if l.emptyHint == "" {
		l.emptyHint = "Le graphique apparaîtra dès les premières réponses au questionnaire."
	}
	bars := c.Bars
	if len(bars) > maxRows {
		l.hidden.rows = len(bars) - maxRows
		bars = bars[:maxRows]
	}
	rows, nPre, nPost := cleanRows(bars)
	if !hasData(rows) {
		l.empty = true
		rows = nil
		l.hidden.rows = 0
	}
	nText := ""
	if !l.empty {
		nText = fmt.Sprintf("n = %d avant, %d après", nPre, nPost)
	}
	var y float64
	l.head, y = newHeader(m, c.Title, fallbackTitle, nText, l.width)

	if l.empty {
		l.emptyTop = y + 12
		l.height = l.emptyTop + 150 + margin
		l.scale = clampScale(scale, l.width, l.height)
		return l, nil
	}

	// Legend, and a line for the whiskers when there are any.
	y += 8
	l.legendY = y + legendSize/2 + 2
	y += legendSize + 4 + 14
	for _, r := range rows {
		if r.preCI != nil || r.postCI != nil {
			l.hasCI = true
		}
	}
	if l.hasCI {
		l.ciLegendY = y - 6 + legendSize/2
		y += legendSize + 10
	}

	// Columns.
	l.labelX = margin
	l.labelW = math.Floor(contentW * labelShare)
	l.barX0 = margin + l.labelW + columnGap
	l.barX1 = l.width - margin - valueRoom

	// One shared axis when every row uses the same scale, else one per row.
	shared := true
	for _, r := range rows[1:] {
		if !r.scale.equal(rows[0].scale) {
			shared = false
			break
		}
	}
	if shared {
		s := rows[0].scale
		l.shared = &s
		l.sharedTopTicks = len(rows) > 8
		l.scaleNote = scaleNote(s)
	} else {
		l.scaleNote = "Moyennes, chaque ligne sur sa propre échelle de réponse"
	}
	if opts.note != "" {
		l.scaleNote = opts.note
	}
	legendEnd := margin
	for _, label := range []string{"Avant", "Après"} {
		legendEnd += 2*legendSize + 7 + m.width(label, legendSize) + legendGap*2
	}
	if math.Max(legendEnd, l.barX0)+m.width(l.scaleNote, legendSize) > l.width-margin {
		l.noteLines = m.wrap(l.scaleNote, legendSize, contentW*titleSlack)
		l.noteTop = y - 4
		y += float64(len(l.noteLines))*(legendSize+5) + 6
	}
	if l.sharedTopTicks {
		y += tickBand
	}

	l.plotTop = y
	pairH := 2*barH + barGap
	for i := range rows {
		r := &rows[i]
		r.label = m.wrap(r.text, labelSize, l.labelW*labelSlack)
		if len(r.label) == 0 {
			r.label = []string{noData}
		}
		labelH := float64(len(r.label)) * labelLineH
		under := 0.0
		if l.shared == nil {
			under = tickBand
		}
		r.top = y
		inner := y + rowPad
		if labelH <= pairH+under {
			// Short label: centred on the pair of bars.
			r.pairTop = inner
			r.labelTop = inner + pairH/2 - labelH/2
			r.bottom = inner + pairH + under + rowPad
		} else {
			// Long label: bars centred on it, tick labels kept inside the row.
			r.labelTop = inner
			r.pairTop = inner + labelH/2 - pairH/2
			r.bottom = math.Max(inner+labelH, r.pairTop+pairH+under) + rowPad
		}
		if r.labelTop < inner {
			r.labelTop = inner
		}
		y = r.bottom
	}
	l.rows = rows
	l.plotBottom = y
	if l.shared != nil {
		y += tickBand
	}
	y = l.hidden.place(y)
	l.height = math.Ceil(y + margin)
	l.scale = clampScale(scale, l.width, l.height)
	return l, nil
}

// clampScale keeps scale sensible and the bitmap within maxPixels.
func clampScale(scale, width, height float64) float64 {
	if math.IsNaN(scale) || math.IsInf(scale, 0) || scale <= 0 {
		scale = 1
	}
	scale = math.Min(math.Max(scale, minScale), maxScale)
	if area := width * height * scale * scale; area > maxPixels {
		scale *= math.Sqrt(maxPixels / area)
	}
	return scale
}

// cleanRows turns bars into rows with finite means and a usable scale, and
// returns the largest n of each phase, which is what the title reports.
func cleanRows(bars []Bar) (rows []rowLayout, nPre, nPost int) {
	for _, b := range bars {
		r := rowLayout{
			text: cleanText(b.Label, maxLabelRunes, true),
			pre:  finite(b.Pre),
			post: finite(b.Post),
		}
		r.scale = newRowScale(b.Min, b.Max, r.pre, r.post)
		if r.pre != nil {
			r.preCI = clippedCI(b.CIPre, r.scale)
		}
		if r.post != nil {
			r.postCI = clippedCI(b.CIPost, r.scale)
		}
		rows = append(rows, r)
		nPre = max(nPre, b.NPre)
		nPost = max(nPost, b.NPost)
	}
	return rows, nPre, nPost
}

// interval is a mean's 95 % confidence interval on a row's scale.
type interval struct {
	lo, hi         float64
	clipLo, clipHi bool // the interval goes on past the scale's end
}

// clippedCI is the mean's 95 % interval within the row's scale, or nil.
func clippedCI(ci *[2]float64, rs rowScale) *interval {
	if ci == nil || !isFinite(ci[0]) || !isFinite(ci[1]) || ci[0] > ci[1] {
		return nil
	}
	lo, hi := ci[0], ci[1]
	return &interval{
		lo: min(max(lo, rs.min), rs.max), hi: min(max(hi, rs.min), rs.max),
		clipLo: lo < rs.min, clipHi: hi > rs.max,
	}
}

func hasData(rows []rowLayout) bool {
	for _, r := range rows {
		if r.pre != nil || r.post != nil {
			return true
		}
	}
	return false
}

func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	v := *p
	return &v
}

// newRowScale validates a row's Min..Max, falling back on the data when the
// caller's range is unusable, and picks grid ticks for it.
func newRowScale(lo, hi float64, pre, post *float64) rowScale {
	if !usableRange(lo, hi) {
		lo, hi = 0, 1
		for _, p := range []*float64{pre, post} {
			if p != nil {
				lo = math.Min(lo, *p)
				hi = math.Max(hi, *p)
			}
		}
		if !usableRange(lo, hi) {
			lo, hi = 0, 1
		}
	}
	rs := rowScale{min: lo, max: hi, percent: lo == 0 && hi == 1}
	rs.ticks, rs.decimals = ticks(lo, hi, rs.percent)
	return rs
}

func usableRange(lo, hi float64) bool {
	span := hi - lo
	return !math.IsNaN(span) && !math.IsInf(span, 0) && span > 0 &&
		span > 1e-9*math.Max(math.Abs(lo), math.Abs(hi))
}

// ticks returns grid positions within lo..hi: every answer of a short integer
// scale (1..5, 0..10), quarters for a percentage, else about five round steps.
func ticks(lo, hi float64, percent bool) (ts []float64, decimals int) {
	if percent {
		return []float64{0, 0.25, 0.5, 0.75, 1}, 0
	}
	span := hi - lo
	step := 1.0
	if !(lo == math.Trunc(lo) && hi == math.Trunc(hi) && span <= 10) {
		raw := span / 5
		mag := math.Pow(10, math.Floor(math.Log10(raw)))
		step = 10 * mag
		for _, k := range []float64{1, 2, 2.5, 5} {
			if k*mag >= raw {
				step = k * mag
				break
			}
		}
	}
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; i < 12; i++ {
		t := first + float64(i)*step
		if t > hi+step*1e-9 {
			break
		}
		ts = append(ts, t)
	}
	for decimals = 0; decimals < 4; decimals++ {
		p := math.Pow(10, float64(decimals))
		if math.Abs(step*p-math.Round(step*p)) < 1e-6 {
			break
		}
	}
	return ts, decimals
}

func scaleNote(s rowScale) string {
	if s.percent {
		return "En % des réponses"
	}
	return fmt.Sprintf("Moyennes sur une échelle de %s à %s", fr.Short(s.min, 2), fr.Short(s.max, 2))
}

// retroNote marks a retrospective item, whose "before" was given at the end.
const retroNote = " (rétrospective : « avant » et « aujourd'hui » donnés à la fin)"

// itemLabel is an item's question with what a reader of the chart must
// know of it: reverseNote when it is reverse-coded, retroNote when it is
// retrospective.
func itemLabel(it surveys.ItemResult, reverseNote string) string {
	label := it.Text
	if it.Reverse {
		label += reverseNote
	}
	if it.Type.Retrospective() {
		label += retroNote
	}
	return label
}

// drawPrePost draws the means of every item, then every scale, with the
// intervals the results give.
func drawPrePost(w io.Writer, d Data, f Format, scale float64) error {
	c := PrePost{Title: "Moyennes avant / après l'atelier", Caption: d.Caption, Width: d.Width}
	for _, it := range d.Results.Items {
		label := itemLabel(it, " (formulée à l'envers : score inversé, plus haut = mieux)")
		c.Bars = append(c.Bars, phaseBar(label, it.Pre, it.Post, it.Min, it.Max))
	}
	for _, sc := range d.Results.Scales {
		c.Bars = append(c.Bars, phaseBar("Échelle : "+sc.Title, sc.Pre, sc.Post, sc.Min, sc.Max))
	}
	return RenderPrePost(w, c, f, scale)
}

func phaseBar(label string, pre, post surveys.PhaseSummary, lo, hi float64) Bar {
	return Bar{Label: label, Pre: pre.Mean, Post: post.Mean, NPre: pre.N, NPost: post.N,
		CIPre: pre.CI95, CIPost: post.CI95, Min: lo, Max: hi}
}
