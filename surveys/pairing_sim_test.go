package surveys

// A pairing simulation: classes and festivals of pupils whose code elements
// are drawn from French statistics (testdata/pairing/README.md says where
// each table comes from and what is approximated), answering PRE and POST the
// way the product expects. Run it with
//
//	go test -run XXX -bench Pairing ./surveys/
//
// and read recovered_pct (true pairs made / pupils), false_pct (wrong pairs /
// pairs made), ambiguous_pct (ambiguous responses / responses) and
// duplicate_pct (pupils left out because another pupil has the same code).

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// weighted draws one of values with probability proportional to its weight.
type weighted struct {
	values []string
	cum    []float64
}

func (w *weighted) add(v string, weight float64) {
	total := 0.0
	if n := len(w.cum); n > 0 {
		total = w.cum[n-1]
	}
	w.values = append(w.values, v)
	w.cum = append(w.cum, total+weight)
}

func (w *weighted) draw(r *rand.Rand) string {
	x := r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.values[lo]
}

// drawOther draws a value other than v: a pupil who mistypes an element
// types another plausible value, not a random string.
func (w *weighted) drawOther(r *rand.Rand, v string) string {
	for {
		if x := w.draw(r); x != v {
			return x
		}
	}
}

// codeTables are the distributions a simulated pupil's code is drawn from.
type codeTables struct {
	mere    weighted // first letter of the mother's first name
	lettre2 weighted // second letter of the pupil's first name
	date    weighted // "day/month" of birth, drawn jointly
	day     weighted // marginal of date, for mistypes
	month   weighted
	town    weighted // old code: initial of the birth town (assumed, see README)
}

// Births on public holidays and on 29 February, relative to an ordinary day
// of the same month: INSEE, births 2015-2024 (study of 18 September 2025).
var holidayBirths = map[[2]int]float64{
	{1, 1}: 0.83, {1, 5}: 0.89, {8, 5}: 0.91, {1, 11}: 0.91, {11, 11}: 0.93, {25, 12}: 0.78,
	{29, 2}: 0.90,
}

func loadCodeTables(tb testing.TB) *codeTables {
	tb.Helper()
	t := &codeTables{}
	for _, row := range readTSV(tb, "mere.tsv") {
		t.mere.add(row[0], mustFloat(tb, row[1]))
	}
	for _, row := range readTSV(tb, "lettre2.tsv") {
		t.lettre2.add(row[0], mustFloat(tb, row[1]))
	}
	perDay := map[int]float64{} // mean births a day in each month, 2015-2019
	for _, row := range readTSV(tb, "naissances_par_jour.tsv") {
		m, _ := strconv.Atoi(row[0])
		for _, v := range row[1:] {
			perDay[m] += mustFloat(tb, v) / float64(len(row)-1)
		}
	}
	daysIn := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	dayW, monthW := map[int]float64{}, map[int]float64{}
	for m := 1; m <= 12; m++ {
		for d := 1; d <= daysIn[m]; d++ {
			w := perDay[m]
			if f, ok := holidayBirths[[2]int{d, m}]; ok {
				w *= f
			}
			if d == 29 && m == 2 {
				w /= 4 // one year in four
			}
			t.date.add(fmt.Sprintf("%d/%d", d, m), w)
			dayW[d] += w
			monthW[m] += w
		}
	}
	for d := 1; d <= 31; d++ {
		t.day.add(strconv.Itoa(d), dayW[d])
	}
	for m := 1; m <= 12; m++ {
		t.month.add(strconv.Itoa(m), monthW[m])
	}
	// Old code only: no published table; an assumption about maternity
	// towns around Lille (README).
	for _, lw := range []struct {
		l string
		w float64
	}{{"L", 55}, {"R", 12}, {"T", 10}, {"V", 5}, {"C", 5}, {"S", 3}, {"A", 3}} {
		t.town.add(lw.l, lw.w)
	}
	for _, l := range "BDEFGHIJKMNOPQUWXYZ" {
		t.town.add(string(l), 7.0/19)
	}
	return t
}

func readTSV(tb testing.TB, name string) [][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "pairing", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header { // the column names
			header = false
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func mustFloat(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// simCode is one pupil's code: four elements, or three for the old code
// (mere, day, town initial).
type simCode []string

func (t *codeTables) newCode(r *rand.Rand, old bool) simCode {
	d, m, _ := strings.Cut(t.date.draw(r), "/")
	if old {
		return simCode{t.mere.draw(r), d, t.town.draw(r)}
	}
	return simCode{t.mere.draw(r), d, m, t.lettre2.draw(r)}
}

// mistype changes exactly one element, chosen at random, to another value.
func (t *codeTables) mistype(r *rand.Rand, c simCode) simCode {
	out := append(simCode(nil), c...)
	i := r.IntN(len(c))
	tables := []*weighted{&t.mere, &t.day, &t.month, &t.lettre2}
	if len(c) == 3 {
		tables = []*weighted{&t.mere, &t.day, &t.town}
	}
	out[i] = tables[i].drawOther(r, c[i])
	return out
}

// key is what the server would store: a hash per element (here the element
// itself, tagged by position: pairing only compares for equality) and the
// hash of the whole code. The old code had no element hashes.
func (c simCode) key(device string) PairKey {
	k := PairKey{Participant: strings.Join(c, "|"), Device: device}
	if len(c) == 4 {
		for i, v := range c {
			k.Parts[i] = strconv.Itoa(i) + v
		}
	}
	return k
}

type simScenario struct {
	name      string
	pupils    int     // per class
	classes   int     // simulated classes
	newDevice float64 // share answering POST on a new device (they retype the code)
	mistype   float64 // share of those who mistype exactly one element
	old       bool    // the old 3-element code, paired on equality only, no device
}

type simResult struct {
	pupils, truePairs, falsePairs, ambiguous, duplicatePupils int
	stats                                                     PairingStats
}

func (s simResult) recoveredPct() float64 { return 100 * float64(s.truePairs) / float64(s.pupils) }
func (s simResult) falsePct() float64 {
	if made := s.truePairs + s.falsePairs; made > 0 {
		return 100 * float64(s.falsePairs) / float64(made)
	}
	return 0
}
func (s simResult) ambiguousPct() float64 { return 100 * float64(s.ambiguous) / float64(2*s.pupils) }
func (s simResult) duplicatePct() float64 {
	return 100 * float64(s.duplicatePupils) / float64(s.pupils)
}

// simulate runs sc.classes workshops: every pupil answers PRE on their own
// phone; most answer POST on the same phone, which remembers the code; the
// others answer on a new device and retype it, some with one element wrong.
func simulate(t *codeTables, sc simScenario, seed uint64) simResult {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var res simResult
	pre := make([]PairKey, sc.pupils)
	post := make([]PairKey, sc.pupils)
	for range sc.classes {
		for p := range sc.pupils {
			code := t.newCode(r, sc.old)
			phone := fmt.Sprintf("phone-%d", p)
			if sc.old {
				phone = "" // the old code had no device rule
			}
			pre[p] = code.key(phone)
			if r.Float64() >= sc.newDevice {
				post[p] = code.key(phone)
				continue
			}
			typed := code
			if r.Float64() < sc.mistype {
				typed = t.mistype(r, code)
			}
			device := fmt.Sprintf("new-%d", p)
			if sc.old {
				device = ""
			}
			post[p] = typed.key(device)
		}
		// Pupil p owns pre[p] and post[p].
		got := PairResponses(pre, post)
		for _, pr := range got.Pairs {
			if pr.Pre == pr.Post {
				res.truePairs++
			} else {
				res.falsePairs++
			}
		}
		for _, o := range got.Pre {
			if o.Duplicate {
				res.duplicatePupils++
			}
		}
		res.pupils += sc.pupils
		res.ambiguous += got.Stats.Ambiguous
		res.stats.Device += got.Stats.Device
		res.stats.Code += got.Stats.Code
		res.stats.FuzzyCode += got.Stats.FuzzyCode
	}
	return res
}

var simScenarios = []simScenario{
	{name: "class30", pupils: 30, classes: 2000, newDevice: 0.10, mistype: 0.05},
	{name: "festival200", pupils: 200, classes: 2000, newDevice: 0.10, mistype: 0.05},
	// Harder than expected in the field: every POST on a new device, one
	// pupil in ten mistyping, so that fuzzy_code and ambiguity show.
	{name: "class30_all_new_devices", pupils: 30, classes: 2000, newDevice: 1, mistype: 0.10},
	{name: "festival200_all_new_devices", pupils: 200, classes: 2000, newDevice: 1, mistype: 0.10},
	// The old code (mere, day of birth, birth town initial), paired on
	// equality only, for comparison.
	{name: "old_code_class30", pupils: 30, classes: 2000, newDevice: 0.10, mistype: 0.05, old: true},
	{name: "old_code_festival200", pupils: 200, classes: 2000, newDevice: 0.10, mistype: 0.05, old: true},
}

func BenchmarkPairingSimulation(b *testing.B) {
	tables := loadCodeTables(b)
	for _, sc := range simScenarios {
		b.Run(sc.name, func(b *testing.B) {
			var res simResult
			for b.Loop() {
				res = simulate(tables, sc, 1)
			}
			b.ReportMetric(res.recoveredPct(), "recovered_pct")
			b.ReportMetric(res.falsePct(), "false_pct")
			b.ReportMetric(res.ambiguousPct(), "ambiguous_pct")
			b.ReportMetric(res.duplicatePct(), "duplicate_pct")
		})
	}
}

// TestPairingSimulationTargets holds the pairing to its targets on fewer
// simulated classes than the benchmark.
func TestPairingSimulationTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	tables := loadCodeTables(t)
	for _, tc := range []struct {
		sc                    simScenario
		minRecovered, maxFals float64
	}{
		{simScenarios[0], 98, 0.5},
		{simScenarios[1], 95, 1},
	} {
		sc := tc.sc
		sc.classes = 300
		res := simulate(tables, sc, 2)
		if res.recoveredPct() < tc.minRecovered || res.falsePct() > tc.maxFals {
			t.Errorf("%s: recovered %.2f %%, false %.3f %%; want >= %v %% and <= %v %%",
				sc.name, res.recoveredPct(), res.falsePct(), tc.minRecovered, tc.maxFals)
		}
	}
}

// BenchmarkPairing1000 pairs a festival workshop of 1,000 pupils a phase.
func BenchmarkPairing1000(b *testing.B) {
	tables := loadCodeTables(b)
	r := rand.New(rand.NewPCG(3, 3))
	pre := make([]PairKey, 1000)
	post := make([]PairKey, 1000)
	for p := range pre {
		code := tables.newCode(r, false)
		phone := fmt.Sprintf("phone-%d", p)
		pre[p] = code.key(phone)
		switch x := r.Float64(); {
		case x < 0.8:
			post[p] = code.key(phone)
		case x < 0.9:
			post[p] = code.key("")
		default:
			post[p] = tables.mistype(r, code).key("")
		}
	}
	for b.Loop() {
		PairResponses(pre, post)
	}
}
