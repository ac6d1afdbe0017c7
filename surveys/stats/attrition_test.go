package stats

import (
	"math"
	"testing"
)

func TestStandardizedDifferenceMatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "std_diff.csv") {
		s := samples[r["case"]]
		checkNum(t, r["case"], StandardizedDifference(s.pre, s.post), r.num(t, "d"))
	}
}

func TestStandardizedDifferenceEdges(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want *float64
	}{
		{"empty", nil, []float64{1, 2, 3}, nil},
		{"two values in all", []float64{1}, []float64{2}, nil},
		{"constant", []float64{2, 2}, []float64{2, 2, 2}, nil},
		{"thirds", []float64{7.0 / 3, 2.0/3 + 5.0/3}, []float64{7.0 / 3}, nil},
		{"NaN left out", []float64{1, 3, math.NaN()}, []float64{4}, ptr(-math.Sqrt2)},
	}
	for _, tt := range tests {
		checkNum(t, tt.name, StandardizedDifference(tt.a, tt.b), tt.want)
	}
}
