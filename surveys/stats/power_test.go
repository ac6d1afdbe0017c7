package stats

import (
	"fmt"
	"math"
	"testing"
)

// R's figures are uniroot's approximations, reproduced step by step: they
// agree to 3e-10 (MDE) and 4e-11 (root); 1e-8 leaves room for rounding.
const powerTol = 1e-8

func TestMDEPairedMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "mde.csv") {
		n, want := r.int(t, "n"), *r.num(t, "delta")
		got := MDEPaired(n)
		if got == nil || !closeTo(*got, want, powerTol) {
			t.Errorf("MDEPaired(%d): got %v, want %.17g", n, got, want)
		}
	}
}

func TestPairsNeededMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "pairs_needed.csv") {
		dz, root := *r.num(t, "dz"), *r.num(t, "n_root")
		got := PairsNeeded(dz)
		if got == nil {
			t.Errorf("PairsNeeded(%g): got nil, want %d", dz, r.int(t, "n"))
			continue
		}
		checkInt(t, fmt.Sprintf("PairsNeeded(%g)", dz), *got, r.int(t, "n"))
		if root < 2 {
			continue // two pairs suffice; R's root below 2 is not computed
		}
		if n, ok := pairsRoot(math.Abs(dz)); !ok || !closeTo(n, root, powerTol) {
			t.Errorf("pairsRoot(%g): got %.17g, %v; want %.17g", dz, n, ok, root)
		}
	}
}

// PairsNeeded is the smallest whole n with the power, as its doc says.
func TestPairsNeededIsSmallest(t *testing.T) {
	for _, r := range readCSV(t, "pairs_needed.csv") {
		dz := math.Abs(*r.num(t, "dz"))
		n := float64(*PairsNeeded(dz))
		if p := powerPaired(n, dz); p < powerTarget {
			t.Errorf("dz %g: power %g at n = %g, want >= %g", dz, p, n, powerTarget)
		}
		if n > 2 && powerPaired(n-1, dz) >= powerTarget {
			t.Errorf("dz %g: n - 1 = %g already has the power", dz, n-1)
		}
	}
}

// R's delta is not the exact root: a root finder that did not take R's
// very steps would fail the fixtures. At n = 1e7 the exact root is 2.5 %
// above R's figure.
func TestMDEPairedIsRsApproximation(t *testing.T) {
	const n = 1e7
	var want float64
	for _, r := range readCSV(t, "mde.csv") {
		if r.int(t, "n") == n {
			want = *r.num(t, "delta")
		}
	}
	lo, hi := 1e-7, 1.0
	for range 200 {
		mid := lo + (hi-lo)/2
		if powerPaired(n, mid) < powerTarget {
			lo = mid
		} else {
			hi = mid
		}
	}
	if closeTo(lo, want, 0.01) {
		t.Errorf("exact root %.10g within 1 %% of R's %.10g; the fixture would not tell R's search from any other", lo, want)
	}
	if got := *MDEPaired(n); !closeTo(got, want, powerTol) {
		t.Errorf("MDEPaired(%d): got %.17g, want %.17g", int(n), got, want)
	}
}

func TestPowerEdges(t *testing.T) {
	for _, n := range []int{-3, 0, 1} {
		if got := MDEPaired(n); got != nil {
			t.Errorf("MDEPaired(%d): got %v, want nil", n, *got)
		}
	}
	for _, dz := range []float64{0, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := PairsNeeded(dz); got != nil {
			t.Errorf("PairsNeeded(%v): got %d, want nil", dz, *got)
		}
	}
	if got := PairsNeeded(1e300); got == nil || *got != 2 {
		t.Errorf("PairsNeeded(1e300): got %v, want 2", got)
	}
}
