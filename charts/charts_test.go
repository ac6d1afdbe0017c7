package charts

import (
	"math"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"png", PNG, false},
		{" SVG ", SVG, false},
		{"jpg", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		keep bool
		want string
	}{
		{"  a \t b  ", 100, false, "a b"},
		{"a\nb", 100, true, "a\nb"},
		{"a\nb", 100, false, "a b"},
		{"abcdef", 3, false, "abc…"},
		{"a\x00b\xffc", 100, false, "a b\uFFFDc"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, tt.max, tt.keep); got != tt.want {
			t.Errorf("cleanText(%q, %d, %v) = %q, want %q", tt.in, tt.max, tt.keep, got, tt.want)
		}
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi       float64
		percent      bool
		want         []float64
		wantDecimals int
	}{
		{1, 5, false, []float64{1, 2, 3, 4, 5}, 0},
		{0, 10, false, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0},
		{0, 1, true, []float64{0, 0.25, 0.5, 0.75, 1}, 0},
		{0, 100, false, []float64{0, 20, 40, 60, 80, 100}, 0},
		{1, 4.5, false, []float64{1, 2, 3, 4}, 0},
		{0, 2, false, []float64{0, 1, 2}, 0},
		{-0.5, 0.5, false, []float64{-0.4, -0.2, 0, 0.2, 0.4}, 1},
	}
	for _, tt := range tests {
		got, dec := ticks(tt.lo, tt.hi, tt.percent)
		if !equalFloats(got, tt.want) || dec != tt.wantDecimals {
			t.Errorf("ticks(%v, %v) = %v, %d; want %v, %d", tt.lo, tt.hi, got, dec, tt.want, tt.wantDecimals)
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}
