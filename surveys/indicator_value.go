package surveys

import (
	"math"

	"declic/surveys/stats"
)

// MeasureScores are the scores an indicator's value comes from: the PRE
// and POST scores of each pair (for a retrospective item, the "before"
// and "now" of each POST answer), and every POST score. Pairing and
// duplicate rules are those of Results.
type MeasureScores struct {
	Pre, Post []float64 // pairs, in the same order
	PostAll   []float64
}

// Append adds o's scores: workshops of another version of the questionnaire.
func (m *MeasureScores) Append(o MeasureScores) {
	m.Pre = append(m.Pre, o.Pre...)
	m.Post = append(m.Post, o.Post...)
	m.PostAll = append(m.PostAll, o.PostAll...)
}

// Scores are the scores of the item or scale key over the responses added
// so far; ok is false when the questionnaire does not measure key.
func (b *ResultsBuilder) Scores(key string) (MeasureScores, bool) {
	j := -1
	for i, m := range b.measures {
		if m.key() == key {
			j = i
			break
		}
	}
	if j < 0 {
		return MeasureScores{}, false
	}
	pairs, posts := pairsOf(b.pupils())
	var out MeasureScores
	if it := b.measures[j].item; it != nil && it.Retrospective() {
		out.Pre, out.Post = b.retroScores(j, posts)
		var all []int
		for i, r := range b.rows.all() {
			if r.post {
				all = append(all, i)
			}
		}
		_, out.PostAll = b.retroScores(j, all)
		return out, true
	}
	out.Pre, out.Post = b.pairedScores(j, pairs)
	for i, v := range b.scores[j].all() {
		if b.rows.at(i).post && !math.IsNaN(v) {
			out.PostAll = append(out.PostAll, v)
		}
	}
	return out, true
}

// IndicatorValue is an indicator's figure over some workshops (contract).
type IndicatorValue struct {
	Value *float64    `json:"value"`
	CI95  *[2]float64 `json:"ci95"`
	// N counts pairs (share_improved, mean_change) or POST answers
	// (share_at_least); X the pupils or answers counted in a share.
	N         int      `json:"n"`
	X         *int     `json:"x,omitempty"`
	Baseline  *float64 `json:"baseline"`
	Target    *float64 `json:"target"`
	TargetMet *bool    `json:"target_met"`
	Workshops int      `json:"workshops"`
	// From and To are the period the value covers, "" when open.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// MinIndicatorN is the n under which an indicator does not say whether
// its target is met, and pages show no figure.
const MinIndicatorN = 5

// Value computes the indicator over scores: a share with its Wilson 95 %
// interval (R's prop.test(x, n, correct = FALSE)), or the mean paired
// difference with its t interval (R's t.test(post, pre, paired = TRUE)).
// The target is met when the value reaches it, in the direction from the
// baseline to the target (down when the target is below the baseline);
// TargetMet is nil under MinIndicatorN or without a target.
func (ind *Indicator) Value(sc MeasureScores) IndicatorValue {
	v := IndicatorValue{Baseline: ind.Baseline, Target: ind.Target}
	switch ind.Measure {
	case ShareImproved, ShareAtLeast:
		x, n := ind.count(sc)
		v.N, v.X = n, &x
		if n > 0 {
			p, ci := stats.Wilson(x, n)
			v.Value, v.CI95 = &p, ci
		}
	case MeanChange:
		p := stats.ComparePaired(sc.Pre, sc.Post)
		v.N = p.N
		if p.N > 0 {
			v.Value = number(p.MeanDiff)
			v.CI95 = p.CI95
		}
	}
	if v.Value != nil && ind.Target != nil && v.N >= MinIndicatorN {
		down := ind.Baseline != nil && *ind.Target < *ind.Baseline
		met := *v.Value >= *ind.Target-1e-12
		if down {
			met = *v.Value <= *ind.Target+1e-12
		}
		v.TargetMet = &met
	}
	return v
}

// count is a share's numerator and denominator.
func (ind *Indicator) count(sc MeasureScores) (x, n int) {
	if ind.Measure == ShareAtLeast {
		if ind.Threshold == nil {
			return 0, 0
		}
		for _, s := range sc.PostAll {
			if s >= *ind.Threshold-1e-9 {
				x++
			}
		}
		return x, len(sc.PostAll)
	}
	p := stats.ComparePaired(sc.Pre, sc.Post)
	return p.Improved, p.N
}

// IndicatorComparison sets an indicator's value in two periods side by
// side: Diff is the second minus the first, with its 95 % interval and
// p-value; BeyondChance when p < 0.05.
type IndicatorComparison struct {
	First        IndicatorValue `json:"first"`
	Second       IndicatorValue `json:"second"`
	Diff         *float64       `json:"diff"`
	CI95         *[2]float64    `json:"ci95"`
	P            *float64       `json:"p"`
	BeyondChance *bool          `json:"beyond_chance"`
}

// Compare sets the indicator over two periods' scores: for a share, R's
// prop.test(c(x2, x1), c(n2, n1), correct = FALSE) (stats.CompareShares);
// for a mean change, Welch's t-test of the paired differences of the two
// periods (stats.CompareMeans).
func (ind *Indicator) Compare(a, b MeasureScores) IndicatorComparison {
	c := IndicatorComparison{First: ind.Value(a), Second: ind.Value(b)}
	var d *stats.Difference
	if ind.Measure.Share() {
		x1, n1 := ind.count(a)
		x2, n2 := ind.count(b)
		d = stats.CompareShares(x1, n1, x2, n2)
	} else {
		d = stats.CompareMeans(differences(a), differences(b))
	}
	if d != nil {
		c.Diff, c.CI95, c.P = number(d.Diff), d.CI95, d.P
		if d.P != nil {
			beyond := *d.P < 0.05
			c.BeyondChance = &beyond
		}
	}
	return c
}

func differences(sc MeasureScores) []float64 {
	out := make([]float64, 0, len(sc.Pre))
	for i := range min(len(sc.Pre), len(sc.Post)) {
		out = append(out, sc.Post[i]-sc.Pre[i])
	}
	return out
}
