package charts

import (
	"declic/surveys/fr"
	"fmt"
	"io"
	"math"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// This file holds what every chart shares: the title block, the "no data"
// panel, the legend, the palette and the render entry point.

// layout is a chart measured and placed, ready to draw at any format.
type layout interface {
	size() (width, height, scale float64)
	svgTitle() string
	fontMeasurer() *measurer
	draw(s *surface)
}

// renderLayout draws the chart that build lays out. Like RenderPrePost it
// never panics: a font or rasteriser bug on odd input becomes an error.
func renderLayout(w io.Writer, f Format, what string, build func() (layout, error)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("charts: render %s: %v", what, p)
		}
	}()
	if f != PNG && f != SVG {
		return fmt.Errorf("charts: unknown format %q", f)
	}
	l, err := build()
	if err != nil {
		return err
	}
	width, height, scale := l.size()
	s, err := newSurface(f, l.fontMeasurer(), width, height, scale, l.svgTitle())
	if err != nil {
		return err
	}
	l.draw(s)
	return s.save(w)
}

// measureLayout is the pixel size renderLayout will produce.
func measureLayout(build func() (layout, error)) (Size, error) {
	l, err := build()
	if err != nil {
		return Size{}, err
	}
	w, h, scale := l.size()
	return Size{Width: int(math.Round(w * scale)), Height: int(math.Round(h * scale))}, nil
}

// Caption lines, under the chart.
const (
	captionSize  = 12.0
	captionLineH = 16.0
	captionGap   = 10.0 // between the chart and its rule
)

// captioned is a chart with its source line under it: « Source :
// questionnaires avant/après Déclic, n = …, période … ». It is part of the
// image, so that a chart pasted into a report keeps it.
type captioned struct {
	layout
	lines []string
	top   float64 // of the rule above the caption
}

func (c *captioned) size() (float64, float64, float64) {
	w, h, scale := c.layout.size()
	return w, h + captionGap + float64(len(c.lines))*captionLineH, scale
}

func (c *captioned) draw(s *surface) {
	c.layout.draw(s)
	w, _, _ := c.layout.size()
	s.hrule(margin, w-margin, c.top, 1, colorRule)
	for i, line := range c.lines {
		y := c.top + 8 + captionLineH*(float64(i)+0.5)
		s.text(line, margin, baseline(y, captionSize), captionSize, colorMuted)
	}
}

// withCaption adds caption under the chart build lays out; an empty
// caption leaves the chart as it is.
func withCaption(caption string, build func() (layout, error)) func() (layout, error) {
	caption = cleanText(caption, maxLabelRunes, false)
	if caption == "" {
		return build
	}
	return func() (layout, error) {
		l, err := build()
		if err != nil {
			return nil, err
		}
		w, h, _ := l.size()
		lines := l.fontMeasurer().wrap(caption, captionSize, (w-2*margin)*labelSlack)
		// The chart's bottom margin is kept: the caption goes into it.
		return &captioned{layout: l, lines: lines, top: h - margin + captionGap}, nil
	}
}

// header is the title, wrapped, and the "n = …" line under it.
type header struct {
	plain string // title and n on one line, for the SVG <title>
	lines []string
	nText string
	top   float64
}

// newHeader lays out the title block from y = margin and returns where the
// next block may start.
func newHeader(m *measurer, title, fallback, nText string, width float64) (header, float64) {
	t := cleanText(title, maxTitleRunes, false)
	if t == "" {
		t = fallback
	}
	h := header{plain: t, nText: nText, top: margin}
	if nText != "" {
		h.plain += " (" + nText + ")"
	}
	h.lines = m.wrap(t, titleSize, (width-2*margin)*titleSlack)
	y := margin + float64(len(h.lines))*titleLineH
	if nText != "" {
		// n gets a line of its own: placed after the title, it would
		// collide with it in an SVG viewer that draws a wider font.
		y += nLineH
	}
	return h, y
}

func (h header) draw(s *surface) {
	for i, line := range h.lines {
		s.text(line, margin, baseline(h.top+titleLineH*(float64(i)+0.5), titleSize), titleSize, colorInk)
	}
	if h.nText != "" {
		y := h.top + titleLineH*float64(len(h.lines)) + nLineH/2
		s.text(h.nText, margin, baseline(y, nSize), nSize, colorMuted)
	}
}

// hiddenNote says how many rows past maxRows a chart leaves out.
type hiddenNote struct {
	rows int
	y    float64 // its baseline
}

// place puts the note under y when rows were left out, and returns where
// the next block may start.
func (n *hiddenNote) place(y float64) float64 {
	if n.rows <= 0 {
		return y
	}
	y += 10
	n.y = y + 12
	return y + 18
}

func (n hiddenNote) draw(s *surface) {
	if n.rows <= 0 {
		return
	}
	note := fr.Number(float64(n.rows), 0) + " lignes de plus ne sont pas affichées."
	if n.rows == 1 {
		note = "1 ligne de plus n'est pas affichée."
	}
	s.text("… "+note, margin, n.y, labelSize, colorMuted)
}

// The "no data" panel, under the title.
const (
	emptyPanelH   = 150.0
	emptyMessage  = "Pas encore de réponses"
	emptyHintSize = labelSize
)

// emptyPanel is the grey panel that replaces a chart with nothing to show.
type emptyPanel struct {
	top  float64
	hint []string // wrapped
	// w is the chart's width.
	w float64
}

func newEmptyPanel(m *measurer, top float64, hint string, width float64) (emptyPanel, float64) {
	p := emptyPanel{top: top + 12, w: width, hint: m.wrap(hint, emptyHintSize, (width-2*margin)*0.85)}
	h := emptyPanelH + math.Max(0, float64(len(p.hint)-1))*labelLineH
	return p, p.top + h + margin
}

func (p emptyPanel) draw(s *surface) {
	contentW := p.w - 2*margin
	h := emptyPanelH + math.Max(0, float64(len(p.hint)-1))*labelLineH
	s.rect(margin, p.top, contentW, h, colorPanel)
	block := 22 + 16 + float64(len(p.hint))*labelLineH
	y := p.top + (h-block)/2
	w := s.m.width(emptyMessage, 22)
	s.text(emptyMessage, margin+(contentW-w)/2, baseline(y+11, 22), 22, colorInk)
	y += 22 + 16
	for _, line := range p.hint {
		w = s.m.width(line, emptyHintSize)
		s.text(line, margin+(contentW-w)/2, baseline(y+labelLineH/2, emptyHintSize), emptyHintSize, colorMuted)
		y += labelLineH
	}
}

// Palette for answers and change, after ColorBrewer's RdBu with Okabe-Ito's
// vermillion and blue at its ends: the two sides stay apart for every
// colour-vision deficiency, and light/dark steps survive greyscale print.
var (
	colorNegStrong = drawing.ColorFromHex("C4470B")
	colorNegLight  = drawing.ColorFromHex("F6BE94")
	colorNeutral   = drawing.ColorFromHex("C9C9C9")
	colorPosLight  = drawing.ColorFromHex("A9CFE8")
	colorPosStrong = drawing.ColorFromHex("0B5C99")
)

// divergingColors gives k answer colours from the most negative to the most
// positive; an odd k has a grey middle.
func divergingColors(k int) []drawing.Color {
	if k <= 0 {
		return nil
	}
	half := k / 2
	out := make([]drawing.Color, 0, k)
	for i := range half {
		out = append(out, mix(colorNegStrong, colorNegLight, step(i, half)))
	}
	if k%2 == 1 {
		out = append(out, colorNeutral)
	}
	for i := range half {
		out = append(out, mix(colorPosLight, colorPosStrong, step(i, half)))
	}
	return out
}

// step is i's place in 0..1 among n steps; a lone step sits at the strong
// third so it is neither washed out nor harsh.
func step(i, n int) float64 {
	if n <= 1 {
		return 0.3
	}
	return float64(i) / float64(n-1)
}

func mix(a, b drawing.Color, t float64) drawing.Color {
	lerp := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return drawing.Color{R: lerp(a.R, b.R), G: lerp(a.G, b.G), B: lerp(a.B, b.B), A: 255}
}

// textOn picks ink or white, whichever reads better on background c.
func textOn(c drawing.Color) drawing.Color {
	if contrast(luminance(c), luminance(drawing.ColorWhite)) >= contrast(luminance(c), luminance(colorInk)) {
		return drawing.ColorWhite
	}
	return colorInk
}

func luminance(c drawing.Color) float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

func contrast(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// legendEntry is a swatch and its label.
type legendEntry struct {
	color drawing.Color
	text  string
	lines []string // wrapped
	x, y  float64  // top-left of the swatch
}

// legendGrid places entries left to right, on one line when they fit at
// their natural width, else in equal columns with wrapped labels.
type legendGrid struct {
	entries []legendEntry
	top     float64
	height  float64
}

const (
	legendSwatch   = 13.0
	legendTextGap  = 6.0
	legendLineH    = 16.0
	legendEntryGap = 18.0
	legendMinCol   = 120.0
)

func newLegendGrid(m *measurer, entries []legendEntry, left, width, top float64) legendGrid {
	g := legendGrid{entries: entries, top: top}
	if len(entries) == 0 {
		return g
	}
	natural := 0.0
	for _, e := range entries {
		natural += legendSwatch + legendTextGap + m.width(e.text, legendSize) + legendEntryGap
	}
	if natural-legendEntryGap <= width*labelSlack {
		x := left
		for i := range g.entries {
			e := &g.entries[i]
			e.lines = []string{e.text}
			e.x, e.y = x, top
			x += legendSwatch + legendTextGap + m.width(e.text, legendSize) + legendEntryGap
		}
		g.height = legendLineH
		return g
	}
	cols := len(entries)
	for cols > 1 && width/float64(cols) < legendMinCol {
		cols--
	}
	colW := width / float64(cols)
	textW := (colW - legendSwatch - legendTextGap - 10) * labelSlack
	y := top
	for start := 0; start < len(entries); start += cols {
		lines := 1
		for i := start; i < min(start+cols, len(entries)); i++ {
			e := &g.entries[i]
			e.lines = m.wrap(e.text, legendSize, textW)
			if len(e.lines) == 0 {
				e.lines = []string{noData}
			}
			e.x, e.y = left+float64(i-start)*colW, y
			lines = max(lines, len(e.lines))
		}
		y += float64(lines)*legendLineH + 6
	}
	g.height = y - 6 - top
	return g
}

func (g legendGrid) draw(s *surface) {
	for _, e := range g.entries {
		s.rect(e.x, e.y+(legendLineH-legendSwatch)/2, legendSwatch, legendSwatch, e.color)
		for i, line := range e.lines {
			s.text(line, e.x+legendSwatch+legendTextGap, baseline(e.y+legendLineH*(float64(i)+0.5), legendSize), legendSize, colorInk)
		}
	}
}
