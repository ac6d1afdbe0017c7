package charts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/math/fixed"
)

// Charts are laid out in logical pixels (a 900 px wide screen chart) and
// multiplied by the scale only when drawn, so a print chart (scale 2) is the
// screen chart with twice the pixels, never a different layout.

// go-chart sizes PNG text as points*dpi/64 but SVG text as points*dpi/72
// (v2.1.2), so each format gets the DPI that makes one point one pixel.
const (
	pngDPI = 64
	svgDPI = 72
)

// screenDPI is the resolution written into PNGs at scale 1, so a print PNG
// (scale 2) pastes into Word at the same physical size as a screen one.
const screenDPI = 96

// Palette: Okabe-Ito sky blue and blue stay apart for every colour-vision
// deficiency and, being light and dark, in greyscale print too.
var (
	colorPre        = drawing.ColorFromHex("56B4E9")
	colorPost       = drawing.ColorFromHex("0072B2")
	colorInk        = drawing.ColorFromHex("1F1F1F")
	colorMuted      = drawing.ColorFromHex("5C5C5C") // 6.6:1 on white
	colorGrid       = drawing.ColorFromHex("E3E3E3")
	colorAxis       = drawing.ColorFromHex("8A8A8A")
	colorRule       = drawing.ColorFromHex("D6D6D6")
	colorPanel      = drawing.ColorFromHex("F3F4F6")
	colorBackground = drawing.ColorWhite
)

// defaultFont returns go-chart's embedded Roboto, so output does not depend on
// the fonts installed on the server.
func defaultFont() (*truetype.Font, error) {
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, fmt.Errorf("charts: load font: %w", err)
	}
	return f, nil
}

// measurer gives text widths in logical pixels, the same for PNG and SVG.
// It adds glyph advances and kerning as go-chart's renderers do when they
// draw, without building a font face per call as their MeasureText does,
// which made a 40-row chart take a second.
type measurer struct {
	font *truetype.Font
}

func newMeasurer(font *truetype.Font) *measurer { return &measurer{font: font} }

// measurePrecision: metrics come in 1/64 px; measure at a larger size and
// scale down to keep sub-pixel precision for small text.
const measurePrecision = 16

// width is the advance width of text at a font size in logical pixels.
func (m *measurer) width(text string, size float64) float64 {
	scale := fixed.Int26_6(math.Round(size * 64 * measurePrecision))
	var w fixed.Int26_6
	prev, hasPrev := truetype.Index(0), false
	for _, r := range text {
		i := m.font.Index(r)
		if hasPrev {
			w += m.font.Kern(scale, prev, i)
		}
		w += m.font.HMetric(scale, i).AdvanceWidth
		prev, hasPrev = i, true
	}
	return float64(w) / 64 / measurePrecision
}

// wrap breaks text into lines no wider than maxWidth at the given size.
// It breaks at spaces, keeps explicit line breaks, and splits a word only
// when the word alone is wider than a line, so no text is ever lost.
func (m *measurer) wrap(text string, size, maxWidth float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		words := wrapUnits(para)
		if len(words) == 0 {
			continue
		}
		line := ""
		for _, word := range words {
			candidate := word
			if line != "" {
				candidate = line + " " + word
			}
			if m.width(candidate, size) <= maxWidth {
				line = candidate
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			for m.width(word, size) > maxWidth {
				head, tail := m.splitWord(word, size, maxWidth)
				lines = append(lines, head)
				word = tail
			}
			line = word
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// breakableFields splits s at blanks where a line may break: no-break
// spaces (U+00A0, U+202F, U+2007) hold their neighbours together.
func breakableFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2007'
	})
}

// wrapUnits are the pieces a line may break between: words, with French
// punctuation written after a plain space ("solidarité ?", "« oui »") kept
// on the line of the word it belongs to.
func wrapUnits(para string) []string {
	var units []string
	glueNext := false
	for _, w := range breakableFields(para) {
		switch {
		case glueNext && len(units) > 0:
			units[len(units)-1] += " " + w
		case len(units) > 0 && startsWithAny(w, "?!:;»%") && onlyPunctuation(w):
			units[len(units)-1] += " " + w
		default:
			units = append(units, w)
		}
		glueNext = strings.HasSuffix(w, "«") && onlyPunctuation(w)
	}
	return units
}

func startsWithAny(w, chars string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return strings.ContainsRune(chars, r)
}

func onlyPunctuation(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// splitWord cuts the longest prefix of word (at least one rune) that fits
// with a hyphen after it.
func (m *measurer) splitWord(word string, size, maxWidth float64) (head, tail string) {
	cut := 0
	for i := range word {
		if i > 0 && m.width(word[:i]+"-", size) > maxWidth {
			break
		}
		cut = i
	}
	if cut == 0 {
		_, n := utf8.DecodeRuneInString(word)
		cut = n
	}
	return word[:cut] + "-", word[cut:]
}

// cleanText makes user text safe to measure and draw: valid UTF-8, no
// control characters (invalid in SVG), runs of blanks collapsed, and at most
// maxRunes runes so a runaway label cannot produce a kilometre-high image.
// Line breaks are kept when keepNewlines is true.
func cleanText(s string, maxRunes int, keepNewlines bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines:
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			r = ' '
		}
		if n == maxRunes {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(breakableFields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// surface draws on a go-chart Renderer in logical pixels.
type surface struct {
	r      chart.Renderer
	m      *measurer
	format Format
	scale  float64
	width  int // pixels
	height int // pixels
	title  string
	// textWidths are the Roboto widths of the SVG's <text> elements, in
	// order, so viewers without Roboto can be held to the same layout.
	textWidths []float64
}

func newSurface(f Format, m *measurer, width, height, scale float64, title string) (*surface, error) {
	s := &surface{
		m:      m,
		format: f,
		scale:  scale,
		width:  int(math.Round(width * scale)),
		height: int(math.Round(height * scale)),
		title:  title,
	}
	var err error
	switch f {
	case PNG:
		s.r, err = chart.PNG(s.width, s.height)
		if err == nil {
			s.r.SetDPI(pngDPI)
		}
	case SVG:
		s.r, err = chart.SVG(s.width, s.height)
		if err == nil {
			s.r.SetDPI(svgDPI)
		}
	default:
		return nil, fmt.Errorf("charts: unknown format %q", f)
	}
	if err != nil {
		return nil, fmt.Errorf("charts: new %s renderer: %w", f, err)
	}
	s.r.SetFont(m.font)
	// PNG starts transparent, and a transparent chart pasted on a dark slide
	// loses its text.
	s.rect(0, 0, width, height, colorBackground)
	return s, nil
}

func (s *surface) px(v float64) int { return int(math.Round(v * s.scale)) }

// rect fills a rectangle. Edges are rounded to whole pixels once, so
// adjacent shapes meet exactly and thin rules stay crisp in PNG.
func (s *surface) rect(x, y, w, h float64, c drawing.Color) {
	x0, y0, x1, y1 := s.px(x), s.px(y), s.px(x+w), s.px(y+h)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	s.r.ResetStyle() // SVG paths also stroke with any stale stroke colour
	s.r.SetFillColor(c)
	s.r.MoveTo(x0, y0)
	s.r.LineTo(x1, y0)
	s.r.LineTo(x1, y1)
	s.r.LineTo(x0, y1)
	s.r.Close()
	s.r.Fill()
}

// hrule and vrule draw lines at least one device pixel thick.
func (s *surface) hrule(x0, x1, y, thickness float64, c drawing.Color) {
	t := math.Max(thickness, 1/s.scale)
	s.rect(x0, y-t/2, x1-x0, t, c)
}

func (s *surface) vrule(x, y0, y1, thickness float64, c drawing.Color) {
	t := math.Max(thickness, 1/s.scale)
	s.rect(x-t/2, y0, t, y1-y0, c)
}

// text draws one line with its left end at x and its baseline at y.
func (s *surface) text(str string, x, baseline, size float64, c drawing.Color) {
	if str == "" {
		return
	}
	s.r.ResetStyle()
	s.r.SetFontSize(size * s.scale)
	s.r.SetFontColor(c)
	if s.format == SVG {
		s.textWidths = append(s.textWidths, s.m.width(str, size)*s.scale)
		// go-chart writes SVG text verbatim; a label with "&" or "<" would
		// otherwise break the whole document.
		str = html.EscapeString(str)
	}
	s.r.Text(str, s.px(x), s.px(baseline))
}

// save writes the finished image.
func (s *surface) save(w io.Writer) error {
	var buf bytes.Buffer
	if err := s.r.Save(&buf); err != nil {
		return fmt.Errorf("charts: encode %s: %w", s.format, err)
	}
	out := buf.Bytes()
	switch s.format {
	case SVG:
		out = finishSVG(out, s.width, s.height, s.title, s.textWidths)
	case PNG:
		out = withPNGResolution(out, screenDPI*s.scale)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("charts: write %s: %w", s.format, err)
	}
	return nil
}

// finishSVG gives go-chart's SVG what a report needs: an explicit size (Word
// and browsers otherwise guess), an accessible title, fallback fonts for
// viewers without Roboto, and each text's Roboto width as textLength, so a
// wider fallback font is squeezed to fit instead of running into the bars.
func finishSVG(svg []byte, width, height int, title string, textWidths []float64) []byte {
	svg = withTextLengths(svg, textWidths)
	open := fmt.Sprintf(`viewBox="0 0 %d %d">`, width, height)
	head := fmt.Sprintf(`viewBox="0 0 %d %d" width="%d" height="%d" role="img"><title>%s</title>`,
		width, height, width, height, html.EscapeString(title))
	svg = bytes.Replace(svg, []byte(open), []byte(head), 1)
	svg = bytes.ReplaceAll(svg,
		[]byte(`font-family:'Roboto Medium',sans-serif`),
		[]byte(`font-family:'Roboto Medium',Roboto,'Helvetica Neue',Arial,sans-serif;font-weight:500`))
	// Every colour here is opaque; plain rgb() is understood by SVG 1.1
	// readers (Word, older Inkscape) that reject CSS3 rgba().
	return opaqueRGBA.ReplaceAll(svg, []byte("rgb($1)"))
}

// withTextLengths adds textLength to the n-th <text> element, in order.
// User text is escaped, so "<text " only ever starts an element.
func withTextLengths(svg []byte, widths []float64) []byte {
	const tag = "<text "
	if bytes.Count(svg, []byte(tag)) != len(widths) {
		return svg // not the document we drew; leave it alone
	}
	var out bytes.Buffer
	out.Grow(len(svg) + len(widths)*48)
	for _, w := range widths {
		i := bytes.Index(svg, []byte(tag))
		out.Write(svg[:i+len(tag)])
		fmt.Fprintf(&out, `textLength="%.1f" lengthAdjust="spacingAndGlyphs" `, w)
		svg = svg[i+len(tag):]
	}
	out.Write(svg)
	return out.Bytes()
}

var opaqueRGBA = regexp.MustCompile(`rgba\((\d+,\d+,\d+),1\.0\)`)

// withPNGResolution inserts a pHYs chunk after IHDR. The PNG is returned
// unchanged if it does not look like one.
func withPNGResolution(png []byte, dpi float64) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, then IHDR length, type, data, CRC
	if len(png) < ihdrEnd || string(png[12:16]) != "IHDR" || dpi <= 0 {
		return png
	}
	ppm := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 4+4+9+4)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))

	out := make([]byte, 0, len(png)+len(chunk))
	out = append(out, png[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, png[ihdrEnd:]...)
}
