package stats

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// Fixtures come from testdata/stats/make_fixtures.R (GNU R 4.2.2).
const fixtures = "../../testdata/stats"

// row is one CSV record keyed by column name.
type row map[string]string

func readCSV(t *testing.T, name string) []row {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if len(records) < 2 {
		t.Fatalf("%s: no data rows", name)
	}
	var rows []row
	for _, rec := range records[1:] {
		r := row{}
		for i, col := range records[0] {
			r[col] = rec[i]
		}
		rows = append(rows, r)
	}
	return rows
}

// num reads a figure; R's NA is nil.
func (r row) num(t *testing.T, col string) *float64 {
	t.Helper()
	s, ok := r[col]
	if !ok {
		t.Fatalf("no column %q", col)
	}
	if s == "NA" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("column %q: %v", col, err)
	}
	return &v
}

func (r row) int(t *testing.T, col string) int {
	t.Helper()
	v := r.num(t, col)
	if v == nil {
		t.Fatalf("column %q: NA where a count is expected", col)
	}
	return int(*v)
}

type sample struct{ pre, post []float64 }

func readSamples(t *testing.T) map[string]*sample {
	t.Helper()
	out := map[string]*sample{}
	for _, r := range readCSV(t, "samples.csv") {
		s := out[r["case"]]
		if s == nil {
			s = &sample{}
			out[r["case"]] = s
		}
		v := *r.num(t, "value")
		switch r["phase"] {
		case "pre":
			s.pre = append(s.pre, v)
		case "post":
			s.post = append(s.post, v)
		default:
			t.Fatalf("unknown phase %q", r["phase"])
		}
	}
	return out
}

// agrees is 1e-6 relative, or 1e-9 absolute near 0.
func agrees(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 1e-9 || d <= 1e-6*math.Abs(want)
}

func checkNum(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil:
		t.Errorf("%s: got nil, want %.10g", name, *want)
	case want == nil:
		t.Errorf("%s: got %.10g, want nil (R: NA)", name, *got)
	case !agrees(*got, *want):
		t.Errorf("%s: got %.12g, want %.12g", name, *got, *want)
	}
}

func checkInt(t *testing.T, name string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %d, want %d", name, got, want)
	}
}

// checkPresent fails unless got and want are both nil or both set, and
// tells whether there is more to compare.
func checkPresent(t *testing.T, name string, gotNil bool, want *float64) bool {
	t.Helper()
	if gotNil != (want == nil) {
		t.Errorf("%s: got nil = %v, want nil = %v", name, gotNil, want == nil)
		return false
	}
	return !gotNil
}

// checkFinite walks v and fails on any NaN or infinite float.
func checkFinite(t *testing.T, v any) {
	t.Helper()
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Float64:
			if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("%s = %v, want a finite number", path, f)
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Array, reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		}
	}
	walk(reflect.TypeOf(v).String(), reflect.ValueOf(v))
}

func TestComparePairedMatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "paired.csv") {
		t.Run(r["case"], func(t *testing.T) {
			s := samples[r["case"]]
			got := ComparePaired(s.pre, s.post)
			checkFinite(t, got)

			checkInt(t, "n", got.N, r.int(t, "n"))
			checkNum(t, "mean_pre", &got.MeanPre, r.num(t, "mean_pre"))
			checkNum(t, "mean_post", &got.MeanPost, r.num(t, "mean_post"))
			checkNum(t, "mean_diff", &got.MeanDiff, r.num(t, "mean_diff"))
			checkNum(t, "sd_diff", got.SDDiff, r.num(t, "sd_diff"))
			checkNum(t, "effect_size_dz", got.EffectSizeDz, r.num(t, "dz"))
			checkInt(t, "improved", got.Improved, r.int(t, "improved"))
			checkInt(t, "unchanged", got.Unchanged, r.int(t, "unchanged"))
			checkInt(t, "declined", got.Declined, r.int(t, "declined"))

			if checkPresent(t, "ci95", got.CI95 == nil, r.num(t, "ci_lo")) {
				checkNum(t, "ci95[0]", &got.CI95[0], r.num(t, "ci_lo"))
				checkNum(t, "ci95[1]", &got.CI95[1], r.num(t, "ci_hi"))
			}
			if checkPresent(t, "t", got.T == nil, r.num(t, "t")) {
				checkNum(t, "t.t", &got.T.T, r.num(t, "t"))
				checkNum(t, "t.df", &got.T.DF, r.num(t, "df"))
				checkNum(t, "t.p", &got.T.P, r.num(t, "p_t"))
			}
			if checkPresent(t, "wilcoxon", got.Wilcoxon == nil, r.num(t, "p_v")) {
				checkNum(t, "wilcoxon.v", &got.Wilcoxon.V, r.num(t, "v"))
				checkNum(t, "wilcoxon.p", &got.Wilcoxon.P, r.num(t, "p_v"))
				if got.Wilcoxon.Method != r["method_v"] {
					t.Errorf("wilcoxon.method: got %q, want %q", got.Wilcoxon.Method, r["method_v"])
				}
			}
		})
	}
}

func TestCompareUnpairedMatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "unpaired.csv") {
		t.Run(r["case"], func(t *testing.T) {
			s := samples[r["case"]]
			got := CompareUnpaired(s.pre, s.post)
			checkFinite(t, got)

			if checkPresent(t, "welch", got.Welch == nil, r.num(t, "welch_t")) {
				checkNum(t, "welch.t", &got.Welch.T, r.num(t, "welch_t"))
				checkNum(t, "welch.df", &got.Welch.DF, r.num(t, "welch_df"))
				checkNum(t, "welch.p", &got.Welch.P, r.num(t, "welch_p"))
			}
			if checkPresent(t, "mann_whitney", got.MannWhitney == nil, r.num(t, "p_w")) {
				checkNum(t, "mann_whitney.w", &got.MannWhitney.W, r.num(t, "w"))
				checkNum(t, "mann_whitney.p", &got.MannWhitney.P, r.num(t, "p_w"))
				if got.MannWhitney.Method != r["method_w"] {
					t.Errorf("mann_whitney.method: got %q, want %q", got.MannWhitney.Method, r["method_w"])
				}
			}
		})
	}
}

func TestMcNemarMatchesR(t *testing.T) {
	samples := readSamples(t)
	for _, r := range readCSV(t, "mcnemar.csv") {
		t.Run(r["case"], func(t *testing.T) {
			s := samples[r["case"]]
			got := McNemarTest(s.pre, s.post)
			checkFinite(t, got)
			checkInt(t, "b", got.B, r.int(t, "b"))
			checkInt(t, "c", got.C, r.int(t, "c"))
			checkNum(t, "statistic", got.Statistic, r.num(t, "statistic"))
			checkNum(t, "p", got.P, r.num(t, "p"))
		})
	}
}

func TestCronbachAlphaMatchesR(t *testing.T) {
	items := map[string][][]float64{}
	for _, r := range readCSV(t, "alpha_items.csv") {
		j := r.int(t, "item") - 1
		it := items[r["case"]]
		for len(it) <= j {
			it = append(it, nil)
		}
		it[j] = append(it[j], *r.num(t, "value"))
		items[r["case"]] = it
	}
	for _, r := range readCSV(t, "alpha.csv") {
		t.Run(r["case"], func(t *testing.T) {
			checkNum(t, "alpha", CronbachAlpha(items[r["case"]]), r.num(t, "alpha"))
		})
	}
}

func TestHolmMatchesR(t *testing.T) {
	var order []string
	in, want := map[string][]*float64{}, map[string][]*float64{}
	for _, r := range readCSV(t, "holm.csv") {
		c := r["case"]
		if _, ok := in[c]; !ok {
			order = append(order, c)
		}
		in[c] = append(in[c], r.num(t, "p"))
		want[c] = append(want[c], r.num(t, "adjusted"))
	}
	for _, c := range order {
		t.Run(c, func(t *testing.T) {
			got := Holm(in[c])
			if len(got) != len(want[c]) {
				t.Fatalf("len: got %d, want %d", len(got), len(want[c]))
			}
			for i := range got {
				checkNum(t, fmt.Sprintf("p[%d]", i), got[i], want[c][i])
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name     string
		x        []float64
		wantN    int
		wantMean *float64
		wantSD   *float64
	}{
		{"empty", nil, 0, nil, nil},
		{"one", []float64{3}, 1, ptr(3.0), nil},
		{"constant", []float64{2, 2, 2}, 3, ptr(2.0), ptr(0.0)},
		{"likert", []float64{1, 2, 3, 4, 5}, 5, ptr(3.0), ptr(math.Sqrt(2.5))},
		{"non-finite left out", []float64{1, nan, 3, inf}, 2, ptr(2.0), ptr(math.Sqrt2)},
		{"only NaN", []float64{nan, nan}, 0, nil, nil},
		{"thirds", []float64{7.0 / 3, 2.0/3 + 5.0/3, 7.0 / 3}, 3, ptr(7.0 / 3), ptr(0.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.x)
			checkFinite(t, got)
			checkInt(t, "n", got.N, tt.wantN)
			checkNum(t, "mean", got.Mean, tt.wantMean)
			checkNum(t, "sd", got.SD, tt.wantSD)
		})
	}
}

func TestComparePairedEdges(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                       string
		pre, post                  []float64
		wantN                      int
		wantSD, wantT, wantWilco   bool
		wantImp, wantUnch, wantDec int
	}{
		{name: "empty"},
		{name: "nil post", pre: []float64{1, 2}},
		{name: "one pair", pre: []float64{1}, post: []float64{3}, wantN: 1, wantWilco: true, wantImp: 1},
		{name: "all equal", pre: []float64{1, 2, 3}, post: []float64{1, 2, 3}, wantN: 3, wantSD: true, wantUnch: 3},
		{name: "constant shift", pre: []float64{1, 2, 3}, post: []float64{2, 3, 4}, wantN: 3, wantSD: true, wantWilco: true, wantImp: 3},
		{
			name: "thirds tie", pre: []float64{1.0 / 3, 2.0 / 3, 1}, post: []float64{1, 2.0/3 + 2.0/3, 5.0 / 3},
			wantN: 3, wantSD: true, wantWilco: true, wantImp: 3,
		},
		{
			name: "missing sides left out", pre: []float64{1, nan, 3, 2, 4}, post: []float64{2, 5, math.Inf(-1), 2, 1},
			wantN: 3, wantSD: true, wantT: true, wantWilco: true, wantImp: 1, wantUnch: 1, wantDec: 1,
		},
		{
			name: "longer post ignored", pre: []float64{1, 2, 3}, post: []float64{2, 2, 5, 9, 9},
			wantN: 3, wantSD: true, wantT: true, wantWilco: true, wantImp: 2, wantUnch: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComparePaired(tt.pre, tt.post)
			checkFinite(t, got)
			checkInt(t, "n", got.N, tt.wantN)
			checkSet(t, "sd_diff", got.SDDiff != nil, tt.wantSD)
			checkSet(t, "t", got.T != nil, tt.wantT)
			checkSet(t, "ci95", got.CI95 != nil, tt.wantT)
			checkSet(t, "effect_size_dz", got.EffectSizeDz != nil, tt.wantT)
			checkSet(t, "wilcoxon", got.Wilcoxon != nil, tt.wantWilco)
			checkInt(t, "improved", got.Improved, tt.wantImp)
			checkInt(t, "unchanged", got.Unchanged, tt.wantUnch)
			checkInt(t, "declined", got.Declined, tt.wantDec)
		})
	}
}

// A shift by thirds must tie: |d| are all 2/3 however they were rounded,
// so V is 6 with ties (normal path), not an exact test on broken ties.
func TestComparePairedThirdsTie(t *testing.T) {
	pre := []float64{4.0 / 3, 5.0 / 3, 2.0 / 3, 7.0 / 3}
	post := []float64{6.0 / 3, 7.0 / 3, 4.0 / 3, 9.0 / 3}
	got := ComparePaired(pre, post)
	if got.Wilcoxon == nil {
		t.Fatal("wilcoxon: got nil")
	}
	if got.Wilcoxon.Method != MethodNormal || got.Wilcoxon.V != 10 {
		t.Errorf("wilcoxon: got V=%v %s, want V=10 normal", got.Wilcoxon.V, got.Wilcoxon.Method)
	}
	if got.T != nil {
		t.Errorf("t: got %+v, want nil (essentially constant)", *got.T)
	}
}

func checkSet(t *testing.T, name string, got, want bool) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got set = %v, want set = %v", name, got, want)
	}
}

func TestCompareUnpairedEdges(t *testing.T) {
	tests := []struct {
		name             string
		pre, post        []float64
		wantWelch, wantW bool
	}{
		{"empty", nil, nil, false, false},
		{"empty pre", nil, []float64{1, 2}, false, false},
		{"one each", []float64{1}, []float64{2}, false, true},
		{"all tied", []float64{3, 3}, []float64{3, 3, 3}, false, false},
		{"constant groups apart", []float64{1, 1}, []float64{2, 2}, false, true},
		{"NaN only", []float64{math.NaN()}, []float64{math.NaN()}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareUnpaired(tt.pre, tt.post)
			checkFinite(t, got)
			checkSet(t, "welch", got.Welch != nil, tt.wantWelch)
			checkSet(t, "mann_whitney", got.MannWhitney != nil, tt.wantW)
		})
	}
}

func TestMcNemarEdges(t *testing.T) {
	tests := []struct {
		name      string
		pre, post []float64
		wantB     int
		wantC     int
		wantStat  *float64
		wantP     *float64
	}{
		{"empty", nil, nil, 0, 0, nil, nil},
		{"no discordant pair", []float64{0, 1}, []float64{0, 1}, 0, 0, nil, nil},
		{"b equals c", []float64{0, 1}, []float64{1, 0}, 1, 1, ptr(0.0), ptr(1.0)},
		{"one change", []float64{0}, []float64{1}, 1, 0, ptr(0.0), ptr(1.0)},
		{"not 0/1 left out", []float64{0, 2, 0, math.NaN()}, []float64{1, 1, 1, 0}, 2, 0, ptr(0.5), ptr(math.Erfc(0.5))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := McNemarTest(tt.pre, tt.post)
			checkFinite(t, got)
			checkInt(t, "b", got.B, tt.wantB)
			checkInt(t, "c", got.C, tt.wantC)
			checkNum(t, "statistic", got.Statistic, tt.wantStat)
			checkNum(t, "p", got.P, tt.wantP)
		})
	}
}

func TestCronbachAlphaEdges(t *testing.T) {
	tests := []struct {
		name  string
		items [][]float64
		want  *float64
	}{
		{"no item", nil, nil},
		{"one item", [][]float64{{1, 2, 3}}, nil},
		{"no respondent", [][]float64{{}, {}}, nil},
		{"one respondent", [][]float64{{1}, {2}}, nil},
		{"unequal lengths", [][]float64{{1, 2}, {1, 2, 3}}, nil},
		{"constant total", [][]float64{{1, 2, 3}, {3, 2, 1}}, nil},
		{"incomplete respondent left out", [][]float64{{1, 2, 3, math.NaN()}, {1, 2, 3, 5}}, ptr(1.0)},
		{"all constant", [][]float64{{2, 2}, {2, 2}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkNum(t, "alpha", CronbachAlpha(tt.items), tt.want)
		})
	}
}

func TestHolmEdges(t *testing.T) {
	if got := Holm(nil); len(got) != 0 {
		t.Errorf("Holm(nil): got %d entries, want 0", len(got))
	}
	got := Holm([]*float64{nil, ptr(math.NaN()), ptr(0.01)})
	checkNum(t, "p[0]", got[0], nil)
	checkNum(t, "p[1]", got[1], nil)
	checkNum(t, "p[2]", got[2], ptr(0.01))
}

// Random data of every kind must never give NaN or Inf.
func TestNoNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		n := rng.IntN(60)
		pre, post := make([]float64, n), make([]float64, n)
		for j := range n {
			switch i % 3 {
			case 0: // Likert
				pre[j], post[j] = float64(1+rng.IntN(5)), float64(1+rng.IntN(5))
			case 1: // 0/1
				pre[j], post[j] = float64(rng.IntN(2)), float64(rng.IntN(2))
			default: // nearly constant
				pre[j], post[j] = 3, 3+float64(rng.IntN(2))*1e-12
			}
		}
		checkFinite(t, Summarize(pre))
		checkFinite(t, ComparePaired(pre, post))
		checkFinite(t, CompareUnpaired(pre, post[:n/2]))
		checkFinite(t, McNemarTest(pre, post))
		checkFinite(t, CronbachAlpha([][]float64{pre, post}))
		checkFinite(t, CompareMeans(pre, post[:n/2]))
		checkFinite(t, StandardizedDifference(pre, post[:n/2]))
		s := Summarize(pre)
		checkFinite(t, MeanCI95(s.N, s.Mean, s.SD))
		x1, x2 := rng.IntN(n+1), rng.IntN(n+1)
		_, ci := Wilson(x1, n)
		checkFinite(t, ci)
		checkFinite(t, CompareShares(x1, n, x2, n))
		checkFinite(t, MDEPaired(n))
	}
}

func TestDistributions(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		// Values from R 4.2.2.
		{"qt(0.975, 1)", QT(0.975, 1), 12.706204736174694},
		{"qt(0.975, 9)", QT(0.975, 9), 2.2621571627982049},
		{"qt(0.975, 499)", QT(0.975, 499), 1.9647293909876884},
		{"2*pt(-2, 3.5)", pTTwoSided(2, 3.5), 0.12613852257591349},
		{"psignrank(10, 12)", signRankLowerTail(10, 12), 0.010498046875000007},
		{"pwilcox(20, 12, 9)", rankSumLowerTail(20, 12, 9), 0.0073861123396727112},
		{"pwilcox(1200, 49, 49)", rankSumLowerTail(1200, 49, 49), 0.49999999999999767},
	}
	for _, tt := range tests {
		if !agrees(tt.got, tt.want) {
			t.Errorf("%s: got %.15g, want %.15g", tt.name, tt.got, tt.want)
		}
	}
}

func BenchmarkComparePaired(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 500
	pre, post := make([]float64, n), make([]float64, n)
	for i := range n {
		pre[i] = float64(1 + rng.IntN(5))
		post[i] = min(5, pre[i]+float64(rng.IntN(3)-1))
	}
	for b.Loop() {
		ComparePaired(pre, post)
	}
}
