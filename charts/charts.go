// Package charts draws Déclic's result charts for screens and funding reports:
// data in, PNG or SVG bytes out. It knows nothing of HTTP or storage.
//
// Charts are laid out by hand on go-chart's low-level Renderer rather than with
// its chart types, so that long French labels can be wrapped and every row sized
// to fit: nothing is cut or overlaps, whatever the input.
package charts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Format is an output image format.
type Format string

// Supported formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
)

// ContentType returns the MIME type of the format, or "" if it is unknown.
func (f Format) ContentType() string {
	switch f {
	case PNG:
		return "image/png"
	case SVG:
		return "image/svg+xml"
	}
	return ""
}

// NarrowWidth is the logical width of a chart for a phone's screen: the
// labels wrap into more lines and the whole stays readable at the width of
// a phone, where a 900 px chart would be shrunk to unreadable text. 0, a
// chart's default Width, is 900 px, for screens and print.
const NarrowWidth = 420.0

// widthOf is a chart's logical width: its Width within sensible bounds,
// chartWidth when unset.
func widthOf(w float64) float64 {
	if math.IsNaN(w) || w <= 0 {
		return chartWidth
	}
	return math.Min(math.Max(w, 320), 1600)
}

// Size is the size of a rendered chart in pixels.
type Size struct{ Width, Height int }

// ParseFormat accepts "png" or "svg" in any case.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case PNG, SVG:
		return f, nil
	}
	return "", fmt.Errorf("charts: unknown format %q", s)
}

const (
	nbsp      = "\u00a0" // French puts a no-break space before % and between thousands.
	minusSign = "\u2212"
	noData    = "—"
)

// FormatFR formats v the French way: decimal comma, a true minus sign (U+2212),
// thousands grouped with a no-break space, and never "-0" or "−0,0".
// NaN and infinities, which mean "no value" here, give "—".
func FormatFR(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noData
	}
	decimals = min(max(decimals, 0), 10)
	// Halves round away from zero as people expect (7,25 gives 7,3);
	// strconv alone would round an exact half to even.
	if p := math.Pow10(decimals); math.Abs(v*p) < 1e15 {
		v = math.Round(v*p) / p
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")

	var b strings.Builder
	// Only print a minus when something non-zero survives rounding.
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString(minusSign)
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 && len(intPart) > 3 {
			b.WriteString(nbsp)
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// formatPercent formats a share in 0..1 as a whole percentage, e.g. "62 %".
func formatPercent(share float64) string {
	return FormatFR(share*100, 0) + nbsp + "%"
}
