package surveys

import (
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"declic/surveys/stats"
)

// Results is the impact of one workshop, or of a pool of workshops that used
// one questionnaire. Undefined statistics are nil (JSON null), never NaN.
type Results struct {
	NPre        int `json:"n_pre"`
	NPost       int `json:"n_post"`
	NPaired     int `json:"n_paired"`
	NDuplicates int `json:"n_duplicates"`
	// NExcluded counts the responses a facilitator excluded: they leave
	// every statistic.
	NExcluded int `json:"n_excluded"`
	// NFlagged counts the responses still in the statistics that carry a
	// quality flag (too_fast, straight_line, over_attendance).
	NFlagged int `json:"n_flagged"`
	// Pairing says how PRE and POST answers were matched (contract).
	Pairing   PairingStats  `json:"pairing"`
	Items     []ItemResult  `json:"items"`
	Scales    []ScaleResult `json:"scales"`
	Texts     []TextAnswers `json:"texts,omitempty"`
	Workshops *int          `json:"workshops,omitempty"`
}

// PhaseSummary describes every answer given in one phase.
type PhaseSummary struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean"`
	SD   *float64 `json:"sd"`
	// CI95 is the mean's 95 % t interval, R's t.test(x)$conf.int; null
	// where R has none (fewer than 2 answers, or all answers equal).
	CI95   *[2]float64    `json:"ci95"`
	Counts map[string]int `json:"counts,omitempty"`
}

// TTest is a two-sided t-test; PHolm is set for paired tests across items.
type TTest struct {
	T     float64  `json:"t"`
	DF    float64  `json:"df"`
	P     float64  `json:"p"`
	PHolm *float64 `json:"p_holm,omitempty"`
}

// Wilcoxon is the signed-rank test of paired differences.
type Wilcoxon struct {
	V      float64  `json:"v"`
	P      float64  `json:"p"`
	Method string   `json:"method"`
	PHolm  *float64 `json:"p_holm,omitempty"`
}

// MannWhitney is the rank-sum test of PRE against POST answers.
type MannWhitney struct {
	W      float64 `json:"w"`
	P      float64 `json:"p"`
	Method string  `json:"method"`
}

// Paired compares the PRE and POST scores of the same participants.
type Paired struct {
	N            int         `json:"n"`
	MeanPre      *float64    `json:"mean_pre"`
	MeanPost     *float64    `json:"mean_post"`
	MeanDiff     *float64    `json:"mean_diff"`
	SDDiff       *float64    `json:"sd_diff"`
	CI95         *[2]float64 `json:"ci95"`
	T            *TTest      `json:"t"`
	Wilcoxon     *Wilcoxon   `json:"wilcoxon"`
	EffectSizeDz *float64    `json:"effect_size_dz"`
	Improved     int         `json:"improved"`
	Unchanged    int         `json:"unchanged"`
	Declined     int         `json:"declined"`
	// MDEDz is the smallest d_z these N pairs detect with 80 % power at
	// α = 0.05 (R's power.t.test); nil below 2 pairs.
	MDEDz *float64 `json:"mde_dz"`
}

// Attrition compares, on PRE, the pupils who were paired with those who
// answered PRE but could not be paired: when they differ, the paired
// change speaks only for the pupils who stayed.
type Attrition struct {
	NPaired      int      `json:"n_paired"`
	NUnpaired    int      `json:"n_unpaired"`
	MeanPaired   *float64 `json:"mean_paired"`
	MeanUnpaired *float64 `json:"mean_unpaired"`
	// D is (mean paired − mean unpaired) / pooled SD
	// (stats.StandardizedDifference), nil when undefined.
	D *float64 `json:"d"`
	// Warning is set, in French, when |D| > MaxAttritionD and at least
	// MinUnpairedForAttrition pupils are unpaired.
	Warning string `json:"warning,omitempty"`
}

// Attrition thresholds: a gap of more than 0.3 SD between paired and
// unpaired pupils, with at least 5 unpaired, gets a warning.
const (
	MaxAttritionD           = 0.3
	MinUnpairedForAttrition = 5
)

// Unpaired compares everyone who answered PRE with everyone who answered POST.
type Unpaired struct {
	Welch       *TTest       `json:"welch"`
	MannWhitney *MannWhitney `json:"mann_whitney"`
}

// McNemar tests the change of a 0/1 score; B counts 0 → 1, C counts 1 → 0.
type McNemar struct {
	B         int      `json:"b"`
	C         int      `json:"c"`
	Statistic *float64 `json:"statistic"`
	P         *float64 `json:"p"`
}

// ItemResult is the impact on one scored item asked in both phases.
type ItemResult struct {
	Key      string       `json:"key"`
	Type     ItemType     `json:"type"`
	Text     string       `json:"text"`
	Min      float64      `json:"min"`
	Max      float64      `json:"max"`
	Reverse  bool         `json:"reverse,omitempty"`
	Pre      PhaseSummary `json:"pre"`
	Post     PhaseSummary `json:"post"`
	Paired   Paired       `json:"paired"`
	Unpaired Unpaired     `json:"unpaired"`
	McNemar  *McNemar     `json:"mcnemar,omitempty"`
	// Attrition is nil for a retrospective item, answered only at the end.
	Attrition *Attrition `json:"attrition,omitempty"`
	// ResponseShift, for a retrospective item linked to a PRE item
	// (Item.Of), compares the pupils' "before", given at the end, with
	// their own PRE answer.
	ResponseShift *ResponseShift `json:"response_shift,omitempty"`
	Reading       string         `json:"reading"`
}

// ResponseShift is "then − PRE": for each paired pupil who answered both,
// the "before" half of a retrospective item minus their PRE answer to the
// item it repeats. A negative shift means pupils rated themselves higher
// at the start than they later judged they were: the PRE/POST change then
// understates what changed.
type ResponseShift struct {
	Of      string `json:"of"`
	Paired  Paired `json:"paired"`
	Reading string `json:"reading"`
}

// ScaleResult is the impact on a scale score (the mean of its items).
type ScaleResult struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Items    []string `json:"items"`
	Min      float64  `json:"min"`
	Max      float64  `json:"max"`
	AlphaPre *float64 `json:"alpha_pre"`
	// Unreliable: AlphaPre is below MinAlpha, so the reading does not
	// judge the scale's change.
	Unreliable bool         `json:"unreliable,omitempty"`
	Pre        PhaseSummary `json:"pre"`
	Post       PhaseSummary `json:"post"`
	Paired     Paired       `json:"paired"`
	Unpaired   Unpaired     `json:"unpaired"`
	Attrition  *Attrition   `json:"attrition,omitempty"`
	Reading    string       `json:"reading"`
}

// TextAnswers lists the free-text answers to one item.
type TextAnswers struct {
	Key     string           `json:"key"`
	Text    string           `json:"text"`
	Answers []TextItemAnswer `json:"answers"`
}

// TextItemAnswer is one pupil's own words.
type TextItemAnswer struct {
	Phase Phase  `json:"phase"`
	Text  string `json:"text"`
}

// measure is one column of the score table: an item or a scale.
type measure struct {
	item  *Item
	scale *Scale
	parts []int // for a scale, the columns of its items
	retro bool  // item.Retrospective(), asked once
	of    *Item // the item a retrospective one repeats (Item.Of), if any
	lo    int   // the lowest answer of an item with a scale
}

type row struct {
	key PairKey
	// flags are the quality flags known from the response alone (stored
	// ones and straight_line), as flagBits.
	flags flagBits
	// profile holds the answers to the questionnaire's profile items
	// (age band, gender), "" when not given; nil without any.
	profile  []string
	workshop int32 // in ResultsBuilder.workshops: pairs never cross workshops
	post     bool  // else PRE
}

func (r *row) phase() Phase {
	if r.post {
		return PhasePost
	}
	return PhasePre
}

// ResultsBuilder computes results from responses streamed one at a time. It
// keeps only a compact score table, never the responses themselves.
type ResultsBuilder struct {
	q        *Questionnaire
	measures []measure
	rows     column[row]
	// workshops are the workshops of the rows, in the order met.
	workshops []string
	workshopN map[string]int32
	// scores[j][i] is measure j's score in row i, NaN where unanswered
	// ("now" for a retrospective item); before[j], for a retrospective
	// item, its "before" half on POST rows and, on PRE rows, the PRE score
	// of the item it repeats (Item.Of); empty for other measures. A column per measure:
	// every statistic reads one measure over many rows, and a column of
	// floats is one allocation the garbage collector never scans.
	scores, before []column[float64]
	counts         map[Phase][]map[string]int
	// tally counts the number answers of items with a scale, PRE then
	// POST, by answer minus the scale's min: cheaper than counts' map,
	// which foldTallies brings them into.
	tally    [2][][]int
	texts    map[string][]TextItemAnswer
	excluded int
	// pupilsMemo is the pairing of the rows added so far.
	pupilsMemo   []*pupil
	pairingStats PairingStats
	// overMemo marks the rows flagged over_attendance, with pupilsMemo.
	overMemo []bool
	// mde remembers stats.MDEPaired by number of pairs.
	mde      map[int]*float64
	mdeMu    sync.Mutex
	hasRetro bool
	profiles []*Item
	// ranged lists, per phase, the items a straight line is looked for in.
	ranged map[Phase][]*Item
	// attendance is the head count of each workshop that has one.
	attendance map[string]int
	// listed is every response added, excluded ones included, when
	// ListResponses is set.
	listed []listedResponse
	// CollectTexts keeps free-text answers, for a workshop's own page.
	CollectTexts bool
	// ListResponses keeps, for every response, what Responses lists.
	ListResponses bool
}

// listedResponse is what Responses needs of a response: row is its index
// in rows, -1 for an excluded one.
type listedResponse struct {
	id, workshop, day string
	phase             Phase
	flags             flagBits
	row               int
}

// NewResultsBuilder prepares the score table for q.
func NewResultsBuilder(q *Questionnaire) *ResultsBuilder {
	b := &ResultsBuilder{q: q, texts: map[string][]TextItemAnswer{}}
	col := map[string]int{}
	for i := range q.Items {
		it := &q.Items[i]
		if it.Retrospective() || it.Scored() && it.AskedIn(PhasePre) && it.AskedIn(PhasePost) {
			col[it.Key] = len(b.measures)
			m := measure{item: it, retro: it.Retrospective()}
			if m.retro && it.Of != "" {
				m.of, _ = q.Item(it.Of)
			}
			b.measures = append(b.measures, m)
			b.hasRetro = b.hasRetro || it.Retrospective()
		}
		if it.Profile {
			b.profiles = append(b.profiles, it)
		}
	}
	b.ranged = map[Phase][]*Item{}
	for _, p := range []Phase{PhasePre, PhasePost} {
		for _, it := range q.ItemsFor(p) {
			if it.Ranged() && !it.Retrospective() {
				b.ranged[p] = append(b.ranged[p], it)
			}
		}
	}
	for i := range q.Scales {
		s := &q.Scales[i]
		m := measure{scale: s}
		for _, k := range s.Items {
			c, ok := col[k]
			if !ok {
				m.parts = nil
				break
			}
			m.parts = append(m.parts, c)
		}
		if m.parts != nil {
			b.measures = append(b.measures, m)
		}
	}
	b.scores = make([]column[float64], len(b.measures))
	b.before = make([]column[float64], len(b.measures))
	b.workshopN = map[string]int32{}
	b.counts = map[Phase][]map[string]int{}
	for ph, p := range []Phase{PhasePre, PhasePost} {
		b.counts[p] = make([]map[string]int, len(b.measures))
		b.tally[ph] = make([][]int, len(b.measures))
		for j, m := range b.measures {
			if m.item != nil {
				b.counts[p][j] = m.item.emptyCounts()
				if sc := m.item.Scale; sc != nil && !m.retro && sc.Max >= sc.Min && sc.Max-sc.Min <= 100 {
					b.measures[j].lo = sc.Min
					b.tally[ph][j] = make([]int, sc.Max-sc.Min+1)
				}
			}
		}
	}
	return b
}

// SetAttendance gives the head count of a workshop, for the
// over_attendance flag; 0 means not entered.
func (b *ResultsBuilder) SetAttendance(workshopID string, n int) {
	if b.attendance == nil {
		b.attendance = map[string]int{}
	}
	b.attendance[workshopID] = n
}

// Add scores one response.
func (b *ResultsBuilder) Add(r *Response) {
	if r.Phase != PhasePre && r.Phase != PhasePost {
		return
	}
	flags := flagsOf(r.Flags)
	if StraightLined(b.ranged[r.Phase], r.Answers) {
		flags |= flagStraightLine
	}
	if b.ListResponses {
		row := b.rows.len()
		if r.Excluded {
			row = -1
		}
		b.listed = append(b.listed, listedResponse{id: r.ID, workshop: r.WorkshopID, day: r.Day, phase: r.Phase, flags: flags, row: row})
	}
	if r.Excluded {
		b.excluded++
		return
	}
	i := b.rows.len()
	counts, tally := b.counts[r.Phase], b.tally[0]
	if r.Phase == PhasePost {
		tally = b.tally[1]
	}
	for j, m := range b.measures {
		if m.item == nil {
			b.scores[j].add(b.scaleScore(i, m.parts))
			continue
		}
		a := r.Answers[m.item.Key]
		if m.retro {
			// The "before" half is counted under PRE, "now" under POST.
			sv, bv := math.NaN(), math.NaN()
			if r.Phase == PhasePre && m.of != nil {
				// On PRE rows, the column holds the PRE score of the item
				// the retrospective one repeats: the response shift's
				// baseline.
				if v, ok := m.of.Score(r.Answers[m.of.Key]); ok {
					bv = v
				}
			}
			if before, now, ok := m.item.RetroScores(a); ok && r.Phase == PhasePost {
				sv, bv = now, before
				b.counts[PhasePre][j][itoa(int(m.item.Raw(before)))]++
				b.counts[PhasePost][j][itoa(int(m.item.Raw(now)))]++
			}
			b.scores[j].add(sv)
			b.before[j].add(bv)
			continue
		}
		v, ok := m.item.Score(a)
		if !ok {
			b.scores[j].add(math.NaN())
			continue
		}
		b.scores[j].add(v)
		if t := tally[j]; t != nil && a.Kind == AnswerNumber && a.Number >= m.lo && a.Number-m.lo < len(t) {
			t[a.Number-m.lo]++
		} else {
			counts[j][a.Label()]++
		}
	}
	var profile []string
	if len(b.profiles) > 0 {
		profile = make([]string, len(b.profiles))
		for k, it := range b.profiles {
			if a := r.Answers[it.Key]; a.Kind == AnswerOption {
				profile[k] = a.Text
			}
		}
	}
	key := PairKey{Participant: r.Participant, Device: r.Device}
	if len(r.CodeParts) == len(key.Parts) {
		copy(key.Parts[:], r.CodeParts)
	}
	b.rows.add(row{workshop: b.workshopIndex(r.WorkshopID), key: key, post: r.Phase == PhasePost, flags: flags, profile: profile})
	b.pupilsMemo, b.overMemo = nil, nil
	if b.CollectTexts {
		for _, it := range b.q.Items {
			if a := r.Answers[it.Key]; a.Kind == AnswerText && it.AskedIn(r.Phase) {
				b.texts[it.Key] = append(b.texts[it.Key], TextItemAnswer{Phase: r.Phase, Text: a.Text})
			}
		}
	}
}

// workshopIndex numbers a workshop ID: rows come grouped by workshop, so
// the last one is the usual answer, and each ID is kept once.
func (b *ResultsBuilder) workshopIndex(id string) int32 {
	if n := len(b.workshops); n > 0 && b.workshops[n-1] == id {
		return int32(n - 1)
	}
	w, ok := b.workshopN[id]
	if !ok {
		w = int32(len(b.workshops))
		b.workshops = append(b.workshops, id)
		b.workshopN[id] = w
	}
	return w
}

// scaleScore is the mean of the item scores of a row, or NaN if one is
// missing.
func (b *ResultsBuilder) scaleScore(row int, parts []int) float64 {
	sum := 0.0
	for _, c := range parts {
		v := *b.scores[c].at(row)
		if math.IsNaN(v) {
			return math.NaN()
		}
		sum += v
	}
	return sum / float64(len(parts))
}

// emptyCounts lists every possible answer with a zero count, so that tables
// and charts show the answers nobody chose.
func (it *Item) emptyCounts() map[string]int {
	c := map[string]int{}
	for _, ch := range it.Choices() {
		c[ch.Value] = 0
	}
	return c
}

// foldTallies moves the tallied answers into counts, labelled as
// Answer.Label labels numbers.
func (b *ResultsBuilder) foldTallies() {
	for ph, p := range []Phase{PhasePre, PhasePost} {
		for j, t := range b.tally[ph] {
			for k, c := range t {
				if c > 0 {
					b.counts[p][j][itoa(b.measures[j].lo+k)] += c
					t[k] = 0
				}
			}
		}
	}
}

// Results computes every statistic from the rows added so far.
func (b *ResultsBuilder) Results() *Results {
	b.foldTallies()
	res := &Results{Items: []ItemResult{}, Scales: []ScaleResult{}, NExcluded: b.excluded}
	for _, r := range b.rows.all() {
		if r.post {
			res.NPost++
		} else {
			res.NPre++
		}
	}
	pupils := b.pupils()
	pairs, posts := pairsOf(pupils)
	for _, p := range pupils {
		if p.duplicate() {
			res.NDuplicates++
		}
	}
	over := b.overAttendance()
	for i, r := range b.rows.all() {
		if r.flags != 0 || over[i] {
			res.NFlagged++
		}
	}
	res.NPaired = len(pairs)
	res.Pairing = b.pairingStats
	unpairedPre := b.unpairedPre(pairs)
	// Measures are independent of each other: computed side by side.
	out := make([]measureResult, len(b.measures))
	parallel(len(b.measures), func(j int) { out[j] = b.measureResult(j, res.NPre, res.NPost, pairs, posts, unpairedPre) })
	var tP, wP, sP []*float64
	for _, o := range out {
		if o.item != nil {
			res.Items = append(res.Items, *o.item)
			tP = append(tP, testP(o.item.Paired.T))
			wP = append(wP, wilcoxonP(o.item.Paired.Wilcoxon))
		} else {
			res.Scales = append(res.Scales, *o.scale)
			sP = append(sP, testP(o.scale.Paired.T))
		}
	}
	// Holm within two families: the items (and retrospective items), which
	// the contract adjusts together, and the scales, each of which sums
	// several items and is read as a headline on its own.
	tH, wH, sH := stats.Holm(tP), stats.Holm(wP), stats.Holm(sP)
	for i := range res.Items {
		if t := res.Items[i].Paired.T; t != nil {
			t.PHolm = finiteOrNil(tH[i])
		}
		if w := res.Items[i].Paired.Wilcoxon; w != nil {
			w.PHolm = finiteOrNil(wH[i])
		}
		it := &res.Items[i]
		qi, _ := b.q.Item(it.Key)
		if qi.Retrospective() {
			it.Reading = retroReading(it.Paired, it.Min, it.Max, finiteOrNil(tH[i]))
		} else {
			it.Reading = reading(it.Paired, it.Min, it.Max, kindOf(qi), finiteOrNil(tH[i]))
		}
	}
	for i := range res.Scales {
		sc := &res.Scales[i]
		if t := sc.Paired.T; t != nil {
			t.PHolm = finiteOrNil(sH[i])
		}
		if sc.AlphaPre != nil && *sc.AlphaPre < MinAlpha {
			sc.Unreliable = true
			sc.Reading = unreliableReading(*sc.AlphaPre)
			continue
		}
		sc.Reading = reading(sc.Paired, sc.Min, sc.Max, pointsKind, finiteOrNil(sH[i]))
	}
	if b.CollectTexts {
		for _, it := range b.q.Items {
			if it.Type == FreeText {
				res.Texts = append(res.Texts, TextAnswers{Key: it.Key, Text: it.Text.String(), Answers: append([]TextItemAnswer{}, b.texts[it.Key]...)})
			}
		}
	}
	return res
}

// measureResult is the result of one measure: an item or a scale.
type measureResult struct {
	item  *ItemResult
	scale *ScaleResult
}

// measureResult computes measure j over the rows (nPre and nPost of them),
// the pairs and the PRE rows left unpaired. It runs beside the other
// measures: it reads the builder and writes nothing in it.
func (b *ResultsBuilder) measureResult(j, nPre, nPost int, pairs [][2]int, posts, unpairedPre []int) measureResult {
	m := b.measures[j]
	if m.retro {
		ir := b.retroResult(j, m.item, posts)
		if m.of != nil {
			ir.ResponseShift = b.responseShift(j, m.item, pairs)
		}
		return measureResult{item: &ir}
	}
	pre, post := make([]float64, 0, nPre), make([]float64, 0, nPost)
	for i, v := range b.scores[j].all() {
		if !math.IsNaN(v) {
			if !b.rows.at(i).post {
				pre = append(pre, v)
			} else {
				post = append(post, v)
			}
		}
	}
	pPre, pPost := b.pairedScores(j, pairs)
	paired := b.convertPaired(stats.ComparePaired(pPre, pPost))
	unpaired := convertUnpaired(stats.CompareUnpaired(pre, post))
	if m.item != nil {
		lo, hi := m.item.ScoreRange()
		ir := ItemResult{
			Key: m.item.Key, Type: m.item.Type, Text: m.item.Text.String(), Min: lo, Max: hi, Reverse: m.item.Reverse,
			Pre:    summarize(pre, b.counts[PhasePre][j]),
			Post:   summarize(post, b.counts[PhasePost][j]),
			Paired: paired, Unpaired: unpaired, Attrition: b.attrition(j, pairs, unpairedPre, lo, hi, kindOf(m.item)),
		}
		if m.item.Binary() {
			mc := stats.McNemarTest(pPre, pPost)
			ir.McNemar = &McNemar{B: mc.B, C: mc.C, Statistic: finiteOrNil(mc.Statistic), P: finiteOrNil(mc.P)}
		}
		return measureResult{item: &ir}
	}
	first, _ := b.q.Item(m.scale.Items[0])
	lo, hi := first.ScoreRange()
	return measureResult{scale: &ScaleResult{
		Key: m.scale.Key, Title: m.scale.Title.String(), Items: m.scale.Items, Min: lo, Max: hi,
		AlphaPre: finiteOrNil(stats.CronbachAlpha(b.itemColumns(m.parts, PhasePre))),
		Pre:      summarize(pre, nil), Post: summarize(post, nil),
		Paired: paired, Unpaired: unpaired, Attrition: b.attrition(j, pairs, unpairedPre, lo, hi, pointsKind),
	}}
}

// parallel calls fn(0) … fn(n-1) on as many goroutines as the process
// may run at once, and returns when every call has.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// unpairedPre lists the PRE rows that are in no pair: pupils who left
// before POST, whose code did not match, or who answered twice.
func (b *ResultsBuilder) unpairedPre(pairs [][2]int) []int {
	inPair := make(map[int]bool, len(pairs))
	for _, p := range pairs {
		inPair[p[0]] = true
	}
	var out []int
	for i, r := range b.rows.all() {
		if !r.post && !inPair[i] {
			out = append(out, i)
		}
	}
	return out
}

// attrition compares measure j on PRE between paired and unpaired pupils.
func (b *ResultsBuilder) attrition(j int, pairs [][2]int, unpaired []int, lo, hi float64, kind answerKind) *Attrition {
	col := &b.scores[j]
	var in, out []float64
	for _, p := range pairs {
		if v := *col.at(p[0]); !math.IsNaN(v) {
			in = append(in, v)
		}
	}
	for _, i := range unpaired {
		if v := *col.at(i); !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	a := &Attrition{NPaired: len(in), NUnpaired: len(out), D: finiteOrNil(stats.StandardizedDifference(in, out))}
	a.MeanPaired, a.MeanUnpaired = finiteOrNil(stats.Summarize(in).Mean), finiteOrNil(stats.Summarize(out).Mean)
	if a.D != nil && math.Abs(*a.D) > MaxAttritionD && a.NUnpaired >= MinUnpairedForAttrition {
		a.Warning = attritionWarning(a, lo, hi, kind)
	}
	return a
}

// responseShift compares, over the pairs, the "before" half of the
// retrospective item in column j with the PRE score of the item it repeats.
func (b *ResultsBuilder) responseShift(j int, it *Item, pairs [][2]int) *ResponseShift {
	bcol := &b.before[j]
	var pre, then []float64
	for _, p := range pairs {
		a, c := *bcol.at(p[0]), *bcol.at(p[1])
		if !math.IsNaN(a) && !math.IsNaN(c) {
			pre, then = append(pre, a), append(then, c)
		}
	}
	lo, hi := it.ScoreRange()
	shift := b.convertPaired(stats.ComparePaired(pre, then))
	return &ResponseShift{Of: it.Of, Paired: shift, Reading: shiftReading(shift, lo, hi)}
}

// pupil is one young person of one workshop, as pairing sees them: a
// pair, a participant who answered a phase more than once, or one
// unpaired answer. Pupils never cross workshops.
type pupil struct {
	workshop  string
	pre, post []int    // row indexes
	rows      []int    // all of them, PRE first
	by        PairedBy // the rule that paired a pair
}

func (p *pupil) duplicate() bool { return len(p.pre) > 1 || len(p.post) > 1 }

// pupils pairs the rows of each workshop (see PairResponses), once.
func (b *ResultsBuilder) pupils() []*pupil {
	if b.pupilsMemo != nil {
		return b.pupilsMemo
	}
	byWorkshop := make([][]int, len(b.workshops))
	for i, r := range b.rows.all() {
		byWorkshop[r.workshop] = append(byWorkshop[r.workshop], i)
	}
	out := []*pupil{}
	b.pairingStats = PairingStats{}
	for wi, w := range b.workshops {
		var preRows, postRows []int
		for _, i := range byWorkshop[wi] {
			if !b.rows.at(i).post {
				preRows = append(preRows, i)
			} else {
				postRows = append(postRows, i)
			}
		}
		keys := func(rows []int) []PairKey {
			out := make([]PairKey, len(rows))
			for n, i := range rows {
				out[n] = b.rows.at(i).key
			}
			return out
		}
		pg := PairResponses(keys(preRows), keys(postRows))
		st := &b.pairingStats
		st.Device += pg.Stats.Device
		st.Code += pg.Stats.Code
		st.FuzzyCode += pg.Stats.FuzzyCode
		st.Ambiguous += pg.Stats.Ambiguous
		st.UnmatchedPre += pg.Stats.UnmatchedPre
		st.UnmatchedPost += pg.Stats.UnmatchedPost
		for _, p := range pg.Pairs {
			a, c := preRows[p.Pre], postRows[p.Post]
			out = append(out, &pupil{workshop: w, pre: []int{a}, post: []int{c}, rows: []int{a, c}, by: p.By})
		}
		// A duplicate participant is one pupil with all their answers.
		dups := map[string]*pupil{}
		add := func(rows []int, outcomes []PairOutcome, pre bool) {
			for n, i := range rows {
				o := outcomes[n]
				switch {
				case o.With >= 0:
					continue
				case o.Duplicate:
					p := dups[b.rows.at(i).key.Participant]
					if p == nil {
						p = &pupil{workshop: w}
						dups[b.rows.at(i).key.Participant] = p
						out = append(out, p)
					}
					if pre {
						p.pre = append(p.pre, i)
					} else {
						p.post = append(p.post, i)
					}
					p.rows = append(p.rows, i)
				case pre:
					out = append(out, &pupil{workshop: w, pre: []int{i}, rows: []int{i}})
				default:
					out = append(out, &pupil{workshop: w, post: []int{i}, rows: []int{i}})
				}
			}
		}
		add(preRows, pg.Pre, true)
		add(postRows, pg.Post, false)
	}
	b.pupilsMemo = out
	return out
}

// pairsOf returns the (PRE, POST) rows of the pupils who answered each phase
// exactly once, and the POST row of those who answered POST once (the pairs
// of a retrospective item), both in row order so that results do not
// depend on storage order.
func pairsOf(pupils []*pupil) (pairs [][2]int, posts []int) {
	for _, p := range pupils {
		if len(p.pre) == 1 && len(p.post) == 1 {
			pairs = append(pairs, [2]int{p.pre[0], p.post[0]})
		}
		if len(p.post) == 1 {
			posts = append(posts, p.post[0])
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	sort.Ints(posts)
	return pairs, posts
}

// pairedScores is measure j's PRE and POST scores over the pairs where both
// are answered.
func (b *ResultsBuilder) pairedScores(j int, pairs [][2]int) (pre, post []float64) {
	col := &b.scores[j]
	pre, post = make([]float64, 0, len(pairs)), make([]float64, 0, len(pairs))
	for _, p := range pairs {
		a, c := *col.at(p[0]), *col.at(p[1])
		if !math.IsNaN(a) && !math.IsNaN(c) {
			pre, post = append(pre, a), append(post, c)
		}
	}
	return pre, post
}

// retroScores is a retrospective item's "before" and "now" scores over the
// given POST rows.
func (b *ResultsBuilder) retroScores(j int, posts []int) (before, now []float64) {
	col, bcol := &b.scores[j], &b.before[j]
	for _, i := range posts {
		if v := *col.at(i); !math.IsNaN(v) {
			before, now = append(before, *bcol.at(i)), append(now, v)
		}
	}
	return before, now
}

// retroResult analyses a retrospective item: each POST answer is its own
// pair ("before" → "now"); a participant who answered POST twice is left
// out of the pairs, as for other items. There is no unpaired comparison:
// both halves come from the same people.
func (b *ResultsBuilder) retroResult(j int, it *Item, posts []int) ItemResult {
	var all []int
	for i, r := range b.rows.all() {
		if r.post {
			all = append(all, i)
		}
	}
	before, now := b.retroScores(j, all)
	pBefore, pNow := b.retroScores(j, posts)
	lo, hi := it.ScoreRange()
	return ItemResult{
		Key: it.Key, Type: it.Type, Text: it.Text.String(), Min: lo, Max: hi, Reverse: it.Reverse,
		Pre:    summarize(before, b.counts[PhasePre][j]),
		Post:   summarize(now, b.counts[PhasePost][j]),
		Paired: b.convertPaired(stats.ComparePaired(pBefore, pNow)),
	}
}

// itemColumns gives, per item of a scale, its scores on complete rows of phase p.
func (b *ResultsBuilder) itemColumns(parts []int, p Phase) [][]float64 {
	cols := make([][]float64, len(parts))
rows:
	for i, r := range b.rows.all() {
		if r.phase() != p {
			continue
		}
		for _, c := range parts {
			if math.IsNaN(*b.scores[c].at(i)) {
				continue rows
			}
		}
		for k, c := range parts {
			cols[k] = append(cols[k], *b.scores[c].at(i))
		}
	}
	return cols
}

func summarize(x []float64, counts map[string]int) PhaseSummary {
	s := stats.Summarize(x)
	ps := PhaseSummary{N: s.N, Mean: finiteOrNil(s.Mean), SD: finiteOrNil(s.SD), Counts: counts}
	ps.CI95 = stats.MeanCI95(ps.N, ps.Mean, ps.SD)
	return ps
}

func (b *ResultsBuilder) convertPaired(p stats.Paired) Paired {
	out := Paired{
		N: p.N, SDDiff: finiteOrNil(p.SDDiff), EffectSizeDz: finiteOrNil(p.EffectSizeDz),
		Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined,
	}
	if p.N > 0 {
		out.MeanPre, out.MeanPost, out.MeanDiff = number(p.MeanPre), number(p.MeanPost), number(p.MeanDiff)
	}
	out.MDEDz = b.mdePaired(p.N)
	if p.CI95 != nil && isFinite(p.CI95[0]) && isFinite(p.CI95[1]) {
		ci := *p.CI95
		out.CI95 = &ci
	}
	out.T = convertT(p.T)
	if w := p.Wilcoxon; w != nil && isFinite(w.V) && isFinite(w.P) {
		out.Wilcoxon = &Wilcoxon{V: w.V, P: w.P, Method: w.Method}
	}
	return out
}

func convertUnpaired(u stats.Unpaired) Unpaired {
	out := Unpaired{Welch: convertT(u.Welch)}
	if m := u.MannWhitney; m != nil && isFinite(m.W) && isFinite(m.P) {
		out.MannWhitney = &MannWhitney{W: m.W, P: m.P, Method: m.Method}
	}
	return out
}

func convertT(t *stats.TTest) *TTest {
	if t == nil || !isFinite(t.T) || !isFinite(t.DF) || !isFinite(t.P) {
		return nil
	}
	return &TTest{T: t.T, DF: t.DF, P: t.P}
}

func testP(t *TTest) *float64 {
	if t == nil {
		return nil
	}
	return &t.P
}

func wilcoxonP(w *Wilcoxon) *float64 {
	if w == nil {
		return nil
	}
	return &w.P
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func number(v float64) *float64 {
	if !isFinite(v) {
		return nil
	}
	return &v
}

func finiteOrNil(p *float64) *float64 {
	if p == nil || !isFinite(*p) {
		return nil
	}
	v := *p
	return &v
}
