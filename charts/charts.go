// Package charts draws Déclic's result charts for screens and funding reports:
// data in, PNG or SVG bytes out. It knows nothing of HTTP or storage, and
// computes no statistic: intervals come with the results (package stats).
// Every chart is one file and one line of the registry (registry.go).
//
// Charts are laid out by hand on go-chart's low-level Renderer rather than with
// its chart types, so that long French labels can be wrapped and every row sized
// to fit: nothing is cut or overlaps, whatever the input.
package charts

import (
	"fmt"
	"math"
	"strings"

	"declic/surveys/fr"
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

// noData stands for a label or figure that is missing.
const noData = fr.None

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
