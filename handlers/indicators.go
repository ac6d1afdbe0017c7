package handlers

import (
	"context"
	"math"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/fr"
)

// indicatorRequest is an indicator as the API and the pages send it.
type indicatorRequest struct {
	Name            string   `json:"name"`
	QuestionnaireID string   `json:"questionnaire_id"`
	Item            string   `json:"item"`
	Scale           string   `json:"scale"`
	Measure         string   `json:"measure"`
	Threshold       *float64 `json:"threshold"`
	Baseline        *float64 `json:"baseline"`
	Target          *float64 `json:"target"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Verification    string   `json:"verification"`
}

// checkIndicator turns a request into an indicator checked against its
// questionnaire: an unknown item, or one that is not scored, is a 400
// naming it.
func (s *server) checkIndicator(ctx context.Context, req indicatorRequest) (*surveys.Indicator, *surveys.Questionnaire, error) {
	ind := &surveys.Indicator{
		Name: req.Name, QuestionnaireID: strings.TrimSpace(req.QuestionnaireID), Item: req.Item, Scale: req.Scale,
		Measure: surveys.Measure(strings.TrimSpace(req.Measure)), Threshold: req.Threshold, Baseline: req.Baseline,
		Target: req.Target, From: req.From, To: req.To, Verification: req.Verification,
	}
	var q *surveys.Questionnaire
	if ind.QuestionnaireID != "" {
		var err error
		q, err = s.Store.Questionnaire(ctx, ind.QuestionnaireID)
		if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return nil, nil, err
		}
	}
	if err := ind.Validate(q); err != nil {
		return nil, nil, err
	}
	return ind, q, nil
}

// createIndicator stores a new indicator owned by the current user.
func (s *server) createIndicator(c *gin.Context, req indicatorRequest) (*surveys.Indicator, error) {
	ind, _, err := s.checkIndicator(c.Request.Context(), req)
	if err != nil {
		return nil, err
	}
	ind.OwnerID = currentUser(c).ID
	return ind, s.Store.CreateIndicator(c.Request.Context(), ind)
}

// updateIndicator replaces the definition of indicator id.
func (s *server) updateIndicator(c *gin.Context, id string, req indicatorRequest) (*surveys.Indicator, error) {
	ctx := c.Request.Context()
	if _, err := s.Store.Indicator(ctx, id); err != nil {
		return nil, err
	}
	ind, _, err := s.checkIndicator(ctx, req)
	if err != nil {
		return nil, err
	}
	ind.ID = id
	return ind, s.Store.UpdateIndicator(ctx, ind)
}

// indicatorPeriod is the filter of an indicator's value: the query's
// dates, or else the indicator's own period.
func indicatorPeriod(ind *surveys.Indicator, f surveys.WorkshopFilter) surveys.WorkshopFilter {
	if f.From == "" && f.To == "" {
		f.From, f.To = ind.From, ind.To
	}
	return f
}

// indicatorScores gathers ind's scores over the workshops f selects, in
// every version of its questionnaire where its item is unchanged, with
// the workshops they come from. Scores are kept by the versions of the
// workshops read, as results are.
func (s *server) indicatorScores(ctx context.Context, ind *surveys.Indicator, f surveys.WorkshopFilter) (surveys.MeasureScores, []*surveys.Workshop, error) {
	var all surveys.MeasureScores
	ref, err := s.Store.Questionnaire(ctx, ind.QuestionnaireID)
	if err != nil {
		return all, nil, err
	}
	qs, err := s.Store.Questionnaires(ctx)
	if err != nil {
		return all, nil, err
	}
	counted := []*surveys.Workshop{}
	for _, q := range qs {
		if !ind.MeasuredBy(ref, q) {
			continue
		}
		f.QuestionnaireID = q.ID
		ws, err := s.Store.Workshops(ctx, f)
		if err != nil {
			return all, nil, err
		}
		if len(ws) == 0 {
			continue
		}
		ids, versions := workshopVersions(ws)
		v, err := s.cache.get(versionKey("scores", []string{q.ID}, ids, versions), func() (any, error) {
			b := surveys.NewResultsBuilder(q)
			if err := s.addResponses(ctx, b, ws); err != nil {
				return nil, err
			}
			return allScores(q, b), nil
		})
		if err != nil {
			return all, nil, err
		}
		all.Append(v.(map[string]surveys.MeasureScores)[ind.MeasureKey()])
		counted = append(counted, ws...)
	}
	return all, counted, nil
}

// allScores are the scores of every item and scale q measures.
func allScores(q *surveys.Questionnaire, b *surveys.ResultsBuilder) map[string]surveys.MeasureScores {
	out := map[string]surveys.MeasureScores{}
	keys := make([]string, 0, len(q.Items)+len(q.Scales))
	for _, it := range q.Items {
		keys = append(keys, it.Key)
	}
	for _, sc := range q.Scales {
		keys = append(keys, sc.Key)
	}
	for _, k := range keys {
		if sc, ok := b.Scores(k); ok {
			out[k] = sc
		}
	}
	return out
}

// indicatorValue is ind's value over the workshops f selects (the
// indicator's own period when f has no dates).
func (s *server) indicatorValue(ctx context.Context, ind *surveys.Indicator, f surveys.WorkshopFilter) (surveys.IndicatorValue, error) {
	f = indicatorPeriod(ind, f)
	sc, ws, err := s.indicatorScores(ctx, ind, f)
	if err != nil {
		return surveys.IndicatorValue{}, err
	}
	v := ind.Value(sc)
	v.Workshops, v.From, v.To = len(ws), f.From, f.To
	return v, nil
}

// logframeRow is one indicator of the « Cadre logique », as pages and
// exports show it.
type logframeRow struct {
	Indicator     *surveys.Indicator
	Questionnaire string // its title
	Measured      string // the item's wording or the scale's title
	Describe      string // what the measure counts, in words
	Value         surveys.IndicatorValue
}

// Shown tells whether the value may be published: n of at least 5.
func (r logframeRow) Shown() bool {
	return r.Value.Value != nil && r.Value.N >= surveys.MinIndicatorN
}

// Figure writes a value of the indicator: « 62 % » or « +0,4 point ».
func (r logframeRow) Figure(v *float64) string {
	if v == nil {
		return fr.None
	}
	if r.Indicator.Measure.Share() {
		return fr.Percent(*v)
	}
	return fr.Signed(*v, 2) + " " + fr.PluralOf(*v, 2, "point", "points")
}

// Interval writes the value's 95 % interval: « [51 % ; 72 %] ».
func (r logframeRow) Interval() string {
	ci := r.Value.CI95
	if ci == nil {
		return ""
	}
	if r.Indicator.Measure.Share() {
		return "[" + fr.Percent(ci[0]) + " ; " + fr.Percent(ci[1]) + "]"
	}
	return "[" + fr.Signed(ci[0], 2) + " ; " + fr.Signed(ci[1], 2) + "]"
}

// PeriodText is the period the value covers, in French.
func (r logframeRow) PeriodText() string { return periodOrAll(r.Value.From, r.Value.To) }

// Met is « atteinte », « non atteinte » or « — ».
func (r logframeRow) Met() string {
	switch m := r.Value.TargetMet; {
	case m == nil:
		return fr.None
	case *m:
		return "atteinte"
	}
	return "non atteinte"
}

// Bar places baseline, value, interval and target on a 0..100 track for
// the page's small bar: shares on 0..100 %, changes on −span..+span
// around a zero line.
func (r logframeRow) Bar() logframeBar {
	lo, hi := 0.0, 1.0
	if !r.Indicator.Measure.Share() {
		span := 1.0
		for _, v := range []*float64{r.Value.Value, r.Indicator.Baseline, r.Indicator.Target} {
			if v != nil {
				span = max(span, abs(*v))
			}
		}
		if ci := r.Value.CI95; ci != nil {
			span = max(span, abs(ci[0]), abs(ci[1]))
		}
		lo, hi = -span, span
	}
	pos := func(v float64) float64 { return math.Round((min(max(v, lo), hi)-lo)/(hi-lo)*1000) / 10 }
	b := logframeBar{Zero: pos(0)}
	if v := r.Indicator.Baseline; v != nil {
		b.Baseline = ptr(pos(*v))
	}
	if v := r.Indicator.Target; v != nil {
		b.Target = ptr(pos(*v))
	}
	if r.Shown() {
		v := pos(*r.Value.Value)
		b.From, b.Width = min(b.Zero, v), abs(v-b.Zero)
		b.HasValue = true
		if ci := r.Value.CI95; ci != nil {
			b.CILeft, b.CIWidth = pos(ci[0]), pos(ci[1])-pos(ci[0])
			b.HasCI = true
		}
	}
	return b
}

// logframeBar is the small bar of a logframe row, in % of its track: the
// value as a bar from zero, its interval as a line, the baseline and the
// target as marks.
type logframeBar struct {
	Zero, From, Width, CILeft, CIWidth float64
	HasValue, HasCI                    bool
	Baseline, Target                   *float64
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// logframe computes every indicator's row over the workshops f selects
// (each indicator's own period when f has no dates).
func (s *server) logframe(ctx context.Context, f surveys.WorkshopFilter) ([]logframeRow, error) {
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]logframeRow, 0, len(inds))
	for _, ind := range inds {
		row := logframeRow{Indicator: ind}
		q, err := s.Store.Questionnaire(ctx, ind.QuestionnaireID)
		if err != nil {
			return nil, err
		}
		row.Questionnaire = q.Title.String()
		row.Measured, row.Describe = measuredText(q, ind), ind.Describe(q)
		if row.Value, err = s.indicatorValue(ctx, ind, f); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// measuredText is the wording of the indicator's item, or its scale's title.
func measuredText(q *surveys.Questionnaire, ind *surveys.Indicator) string {
	if it, ok := q.Item(ind.Item); ok && ind.Item != "" {
		return it.Text.String()
	}
	for _, sc := range q.Scales {
		if sc.Key == ind.Scale {
			return "Échelle : " + sc.Title.String()
		}
	}
	return ind.MeasureKey()
}
