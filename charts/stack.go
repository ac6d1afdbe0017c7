package charts

import (
	"declic/surveys/fr"
	"math"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// A stacked chart is the engine behind the likert and change charts: rows of
// one or more horizontal bars, each bar split into answer shares, either
// from a left axis (100 % stacked) or around a centre line (diverging).

type stackChart struct {
	width         float64 // 0 for chartWidth
	title         string
	fallbackTitle string
	nText         string
	note          string // what the bars are, under the title
	emptyHint     string
	missing       string // in a bar with no data
	diverging     bool
	groups        []stackGroup
	hiddenRows    int
}

// stackGroup is rows sharing one legend (one answer scale).
type stackGroup struct {
	legend []legendEntry
	rows   []stackRow
}

type stackRow struct {
	label string
	note  string // a second paragraph, drawn in grey
	bars  []stackBar
}

type stackBar struct {
	tag    string    // "Avant" / "Après", or "" for a single bar
	counts []float64 // one per legend entry; never negative
	total  float64
}

// Layout of stacked charts, in logical pixels.
const (
	stackLabelShare = 0.40
	stackBarH       = 19.0
	stackBarGap     = 4.0
	stackNRoom      = 64.0 // right of the bars, for "n = 118"
	stackNSize      = 11.5
	stackPctSize    = 11.0
	stackTagSize    = 11.5
	stackRowPad     = 10.0
	noteSize        = 12.0
	noteLineH       = 16.0
)

type stackLayout struct {
	c        stackChart
	measurer *measurer
	scale    float64
	width    float64
	height   float64

	head      header
	noteLines []string
	noteTop   float64

	empty bool
	panel emptyPanel

	groups         []stackGroupLayout
	extent         float64 // half-width of a diverging axis, as a share
	labelX, labelW float64
	tagX, tagW     float64
	barX0, barX1   float64
	hidden         hiddenNote
}

type stackGroupLayout struct {
	legend         legendGrid
	rows           []stackRowLayout
	colors         []drawing.Color
	plotTop        float64
	plotBottom     float64
	topTicks       bool
	bottomTicksY   float64
	topTicksCentre float64
}

type stackRowLayout struct {
	text     string
	label    []string // wrapped label, then wrapped note
	noteFrom int      // index of the first note line in label
	bars     []stackBar
	top      float64
	bottom   float64
	labelTop float64
	barsTop  float64
}

func (l *stackLayout) size() (float64, float64, float64) { return l.width, l.height, l.scale }
func (l *stackLayout) svgTitle() string                  { return l.head.plain }
func (l *stackLayout) fontMeasurer() *measurer           { return l.measurer }

func (b stackBar) hasData() bool { return b.total > 0 }

// newStackBar keeps only finite, positive counts, one per answer.
func newStackBar(tag string, counts []float64, k int) stackBar {
	b := stackBar{tag: tag, counts: make([]float64, k)}
	for i := 0; i < k && i < len(counts); i++ {
		if v := counts[i]; isFinite(v) && v > 0 {
			b.counts[i] = v
			b.total += v
		}
	}
	if !isFinite(b.total) {
		b.counts, b.total = make([]float64, k), 0
	}
	return b
}

func layoutStack(c stackChart, scale float64) (*stackLayout, error) {
	font, err := defaultFont()
	if err != nil {
		return nil, err
	}
	m := newMeasurer(font)
	l := &stackLayout{c: c, measurer: m, width: widthOf(c.width)}
	contentW := l.width - 2*margin

	l.empty = true
	for _, g := range c.groups {
		for _, r := range g.rows {
			for _, b := range r.bars {
				if b.hasData() {
					l.empty = false
				}
			}
		}
	}
	nText := c.nText
	if l.empty {
		nText = ""
	}
	var y float64
	l.head, y = newHeader(m, c.title, c.fallbackTitle, nText, l.width)
	if l.empty {
		l.panel, y = newEmptyPanel(m, y, c.emptyHint, l.width)
		l.height = math.Ceil(y)
		l.scale = clampScale(scale, l.width, l.height)
		return l, nil
	}

	l.noteLines = m.wrap(c.note, noteSize, contentW*labelSlack)
	l.noteTop = y + 2
	y = l.noteTop + float64(len(l.noteLines))*noteLineH + 10

	l.labelX = margin
	l.labelW = math.Floor(contentW * stackLabelShare)
	l.tagX = margin + l.labelW + columnGap
	hasTags := false
	for _, g := range c.groups {
		for _, r := range g.rows {
			for _, b := range r.bars {
				if b.tag != "" {
					hasTags = true
					l.tagW = math.Max(l.tagW, m.width(b.tag, stackTagSize)/labelSlack+10)
				}
			}
		}
	}
	if !hasTags {
		l.tagW = 0
	}
	l.barX0 = l.tagX + l.tagW
	l.barX1 = l.width - margin - stackNRoom

	l.extent = 1
	if c.diverging {
		l.extent = divergingExtent(c.groups)
	}

	nRows := 0
	for gi, g := range c.groups {
		gl := stackGroupLayout{colors: make([]drawing.Color, len(g.legend))}
		for i, e := range g.legend {
			gl.colors[i] = e.color
		}
		if gi > 0 {
			y += 18
		}
		gl.legend = newLegendGrid(m, g.legend, margin, contentW, y)
		y += gl.legend.height + 12
		gl.topTicks = len(g.rows) > 8
		if gl.topTicks {
			gl.topTicksCentre = y + tickBand/2
			y += tickBand
		}
		gl.plotTop = y
		for _, r := range g.rows {
			rl := stackRowLayout{bars: r.bars, text: cleanText(r.label, maxLabelRunes, true)}
			rl.label = m.wrap(rl.text, labelSize, l.labelW*labelSlack)
			if len(rl.label) == 0 {
				rl.label = []string{noData}
			}
			rl.noteFrom = len(rl.label)
			rl.label = append(rl.label, m.wrap(cleanText(r.note, maxLabelRunes, false), labelSize, l.labelW*labelSlack)...)
			labelH := float64(len(rl.label)) * labelLineH
			barsH := float64(len(r.bars))*stackBarH + float64(max(len(r.bars)-1, 0))*stackBarGap
			rl.top = y
			inner := y + stackRowPad
			if labelH <= barsH {
				rl.barsTop = inner
				rl.labelTop = inner + barsH/2 - labelH/2
				rl.bottom = inner + barsH + stackRowPad
			} else {
				rl.labelTop = inner
				rl.barsTop = inner + labelH/2 - barsH/2
				rl.bottom = inner + labelH + stackRowPad
			}
			y = rl.bottom
			gl.rows = append(gl.rows, rl)
			nRows++
		}
		gl.plotBottom = y
		gl.bottomTicksY = y + tickBand/2 + 1
		y += tickBand
		l.groups = append(l.groups, gl)
	}
	l.hidden = hiddenNote{rows: c.hiddenRows}
	y = l.hidden.place(y)
	l.height = math.Ceil(y + margin)
	l.scale = clampScale(scale, l.width, l.height)
	return l, nil
}

// divergingExtent is the half-width of the axis: the largest side of any bar
// (with half of the middle answer), rounded up to a quarter, at least half.
func divergingExtent(groups []stackGroup) float64 {
	most := 0.0
	for _, g := range groups {
		for _, r := range g.rows {
			for _, b := range r.bars {
				if !b.hasData() {
					continue
				}
				neg, pos := divergingSides(b)
				most = math.Max(most, math.Max(neg, pos))
			}
		}
	}
	ext := math.Ceil(most*4-1e-9) / 4
	return min(max(ext, 0.5), 1)
}

// divergingSides are the shares left and right of the centre.
func divergingSides(b stackBar) (neg, pos float64) {
	k := len(b.counts)
	half := k / 2
	for i, v := range b.counts {
		share := v / b.total
		switch {
		case i < half:
			neg += share
		case k%2 == 1 && i == half:
			neg += share / 2
			pos += share / 2
		default:
			pos += share
		}
	}
	return neg, pos
}

// x maps a share on the axis (−extent..extent when diverging, else 0..1).
func (l *stackLayout) x(v float64) float64 {
	if l.c.diverging {
		f := (v + l.extent) / (2 * l.extent)
		return l.barX0 + min(max(f, 0), 1)*(l.barX1-l.barX0)
	}
	return l.barX0 + min(max(v, 0), 1)*(l.barX1-l.barX0)
}

func (l *stackLayout) ticks() []float64 {
	var ts []float64
	lo := 0.0
	if l.c.diverging {
		lo = -l.extent
	}
	for v := lo; v <= l.extent+1e-9; v += 0.25 {
		ts = append(ts, math.Round(v*100)/100)
	}
	return ts
}

func (l *stackLayout) draw(s *surface) {
	l.head.draw(s)
	if l.empty {
		l.panel.draw(s)
		return
	}
	for i, line := range l.noteLines {
		s.text(line, margin, baseline(l.noteTop+noteLineH*(float64(i)+0.5), noteSize), noteSize, colorMuted)
	}
	for gi := range l.groups {
		g := &l.groups[gi]
		g.legend.draw(s)
		l.drawGrid(s, g.plotTop, g.plotBottom)
		l.drawTickLabels(s, g.bottomTicksY)
		if g.topTicks {
			l.drawTickLabels(s, g.topTicksCentre)
		}
		for i, r := range g.rows {
			if i < len(g.rows)-1 {
				s.hrule(margin, l.width-margin, r.bottom, 1, colorRule)
			}
			for j, line := range r.label {
				c := colorInk
				if j >= r.noteFrom {
					c = colorMuted
				}
				s.text(line, l.labelX, baseline(r.labelTop+labelLineH*(float64(j)+0.5), labelSize), labelSize, c)
			}
			for j, b := range r.bars {
				l.drawBar(s, b, g.colors, r.barsTop+float64(j)*(stackBarH+stackBarGap))
			}
		}
	}
	l.hidden.draw(s)
}

func (l *stackLayout) drawGrid(s *surface, top, bottom float64) {
	for _, t := range l.ticks() {
		s.vrule(l.x(t), top, bottom, 1, colorGrid)
	}
	if l.c.diverging {
		s.vrule(l.x(0), top, bottom, 1.5, colorAxis)
	} else {
		s.vrule(l.barX0, top, bottom, 1.2, colorAxis)
	}
}

func (l *stackLayout) drawTickLabels(s *surface, centre float64) {
	for _, t := range l.ticks() {
		txt := fr.Percent(math.Abs(t))
		w := l.measurer.width(txt, tickSize)
		s.text(txt, l.x(t)-w/2, baseline(centre, tickSize), tickSize, colorMuted)
	}
}

func (l *stackLayout) drawBar(s *surface, b stackBar, colors []drawing.Color, top float64) {
	centre := top + stackBarH/2
	if b.tag != "" {
		s.text(b.tag, l.tagX, baseline(centre, stackTagSize), stackTagSize, colorInk)
	}
	if !b.hasData() {
		s.text(l.c.missing, l.barX0+6, baseline(centre, missingSize), missingSize, colorMuted)
		return
	}
	// Segment edges as shares on the axis, in answer order.
	start := 0.0
	if l.c.diverging {
		neg, _ := divergingSides(b)
		start = -neg
	}
	edge := start
	for i, v := range b.counts {
		share := v / b.total
		x0, x1 := l.x(edge), l.x(edge+share)
		edge += share
		if share <= 0 {
			continue
		}
		c := colors[i%len(colors)]
		s.rect(x0, top, x1-x0, stackBarH, c)
		txt := fr.Number(share*100, 0)
		if w := l.measurer.width(txt, stackPctSize); x1-x0 >= w+6 {
			s.text(txt, (x0+x1)/2-w/2, baseline(centre, stackPctSize), stackPctSize, textOn(c))
		}
	}
	n := "n = " + fr.Number(b.total, 0)
	s.text(n, l.barX1+8, baseline(centre, stackNSize), stackNSize, colorMuted)
}
