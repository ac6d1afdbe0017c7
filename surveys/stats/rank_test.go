package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRankFewAgreesWithSorting checks the one-pass ranking against the
// sort on data shaped like answers: few values, ties, near-equal means.
func TestRankFewAgreesWithSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	third := 1.0 / 3
	for n, gen := range []func() float64{
		func() float64 { return float64(1 + rng.IntN(5)) },                              // Likert
		func() float64 { return float64(rng.IntN(9) - 4) },                              // differences, zeros included
		func() float64 { return []float64{1, 2*third + third, 1 + 1e-12}[rng.IntN(3)] }, // equal within tol
		func() float64 { return float64(rng.IntN(13)) / 4 },                             // means of four items
		func() float64 { return float64(rng.IntN(300)) },                                // too many values: falls back
	} {
		for _, size := range []int{0, 1, 2, 7, 50, 1000} {
			v := make([]float64, size)
			for i := range v {
				v[i] = gen()
			}
			want, wantTies := rankSorted(v)
			got, gotTies := rank(v)
			if !slices.Equal(got, want) || !slices.Equal(gotTies, wantTies) {
				t.Errorf("data %d, size %d: rank = %v ties %v, want %v ties %v", n, size, got, gotTies, want, wantTies)
			}
		}
	}
}
