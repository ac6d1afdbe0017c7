package surveys

import (
	"math"
	"runtime"
	"sort"
	"strconv"
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
	// Pairing says how PRE and POST answers were matched (contract).
	Pairing   PairingStats  `json:"pairing"`
	Items     []ItemResult  `json:"items"`
	Scales    []ScaleResult `json:"scales"`
	Texts     []TextAnswers `json:"texts,omitempty"`
	Workshops *int          `json:"workshops,omitempty"`
}

// PhaseSummary describes every answer given in one phase.
type PhaseSummary struct {
	N      int            `json:"n"`
	Mean   *float64       `json:"mean"`
	SD     *float64       `json:"sd"`
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
}

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
	Reading  string       `json:"reading"`
}

// ScaleResult is the impact on a scale score (the mean of its items).
type ScaleResult struct {
	Key      string       `json:"key"`
	Title    string       `json:"title"`
	Items    []string     `json:"items"`
	Min      float64      `json:"min"`
	Max      float64      `json:"max"`
	AlphaPre *float64     `json:"alpha_pre"`
	Pre      PhaseSummary `json:"pre"`
	Post     PhaseSummary `json:"post"`
	Paired   Paired       `json:"paired"`
	Unpaired Unpaired     `json:"unpaired"`
	Reading  string       `json:"reading"`
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
	lo    int   // the lowest answer of an item with a scale
}

type row struct {
	key PairKey
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
	// ("now" for a retrospective item); before[j] the "before" half of a
	// retrospective item, nil for other measures. A column per measure:
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
	hasRetro     bool
	profiles     []*Item
	// CollectTexts keeps free-text answers, for a workshop's own page.
	CollectTexts bool
}

// NewResultsBuilder prepares the score table for q.
func NewResultsBuilder(q *Questionnaire) *ResultsBuilder {
	b := &ResultsBuilder{q: q, texts: map[string][]TextItemAnswer{}}
	col := map[string]int{}
	for i := range q.Items {
		it := &q.Items[i]
		if it.Retrospective() || it.Scored() && it.AskedIn(PhasePre) && it.AskedIn(PhasePost) {
			col[it.Key] = len(b.measures)
			b.measures = append(b.measures, measure{item: it, retro: it.Retrospective()})
			b.hasRetro = b.hasRetro || it.Retrospective()
		}
		if it.Profile {
			b.profiles = append(b.profiles, it)
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

// Add scores one response.
func (b *ResultsBuilder) Add(r *Response) {
	if r.Phase != PhasePre && r.Phase != PhasePost {
		return
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
			if before, now, ok := m.item.RetroScores(a); ok && r.Phase == PhasePost {
				sv, bv = now, before
				b.counts[PhasePre][j][strconv.FormatFloat(m.item.Raw(before), 'f', -1, 64)]++
				b.counts[PhasePost][j][strconv.FormatFloat(m.item.Raw(now), 'f', -1, 64)]++
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
	b.rows.add(row{workshop: b.workshopIndex(r.WorkshopID), key: key, post: r.Phase == PhasePost, profile: profile})
	b.pupilsMemo = nil
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
					b.counts[p][j][strconv.Itoa(b.measures[j].lo+k)] += c
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
	res.NPaired = len(pairs)
	res.Pairing = b.pairingStats
	// Measures are independent of each other: computed side by side.
	out := make([]measureResult, len(b.measures))
	parallel(len(b.measures), func(j int) { out[j] = b.measureResult(j, res.NPre, res.NPost, pairs, posts) })
	var tP, wP []*float64
	for _, o := range out {
		if o.item != nil {
			res.Items = append(res.Items, *o.item)
			tP = append(tP, testP(o.item.Paired.T))
			wP = append(wP, wilcoxonP(o.item.Paired.Wilcoxon))
		} else {
			res.Scales = append(res.Scales, *o.scale)
		}
	}
	tH, wH := stats.Holm(tP), stats.Holm(wP)
	for i := range res.Items {
		if t := res.Items[i].Paired.T; t != nil {
			t.PHolm = finiteOrNil(tH[i])
		}
		if w := res.Items[i].Paired.Wilcoxon; w != nil {
			w.PHolm = finiteOrNil(wH[i])
		}
		it := &res.Items[i]
		if qi, _ := b.q.Item(it.Key); qi.Retrospective() {
			it.Reading = retroReading(it.Paired, it.Min, it.Max, finiteOrNil(tH[i]))
		} else if it.McNemar != nil {
			it.Reading = reading(it.Paired, it.Min, it.Max, true, it.McNemar.P)
		} else {
			it.Reading = reading(it.Paired, it.Min, it.Max, false, finiteOrNil(tH[i]))
		}
	}
	for i := range res.Scales {
		sc := &res.Scales[i]
		sc.Reading = reading(sc.Paired, sc.Min, sc.Max, false, testP(sc.Paired.T))
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

// measureResult computes measure j over the rows (nPre and nPost of them)
// and the pairs.
func (b *ResultsBuilder) measureResult(j, nPre, nPost int, pairs [][2]int, posts []int) measureResult {
	m := b.measures[j]
	if m.retro {
		ir := b.retroResult(j, m.item, posts)
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
	paired := convertPaired(stats.ComparePaired(pPre, pPost))
	unpaired := convertUnpaired(stats.CompareUnpaired(pre, post))
	if m.item != nil {
		lo, hi := m.item.ScoreRange()
		ir := ItemResult{
			Key: m.item.Key, Type: m.item.Type, Text: m.item.Text.String(), Min: lo, Max: hi, Reverse: m.item.Reverse,
			Pre:    summarize(pre, b.counts[PhasePre][j]),
			Post:   summarize(post, b.counts[PhasePost][j]),
			Paired: paired, Unpaired: unpaired,
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
		Paired: paired, Unpaired: unpaired,
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

// pupil is one young person of one workshop, as pairing sees them: a
// pair, a participant who answered a phase more than once, or one
// unpaired answer. Pupils never cross workshops.
type pupil struct {
	workshop  string
	pre, post []int // row indexes
	rows      []int // all of them, PRE first
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
			out = append(out, &pupil{workshop: w, pre: []int{a}, post: []int{c}, rows: []int{a, c}})
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
		Paired: convertPaired(stats.ComparePaired(pBefore, pNow)),
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
	return PhaseSummary{N: s.N, Mean: finiteOrNil(s.Mean), SD: finiteOrNil(s.SD), Counts: counts}
}

func convertPaired(p stats.Paired) Paired {
	out := Paired{
		N: p.N, SDDiff: finiteOrNil(p.SDDiff), EffectSizeDz: finiteOrNil(p.EffectSizeDz),
		Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined,
	}
	if p.N > 0 {
		out.MeanPre, out.MeanPost, out.MeanDiff = number(p.MeanPre), number(p.MeanPost), number(p.MeanDiff)
	}
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
