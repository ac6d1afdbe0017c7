package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/fr"
)

// schoolYear is the school year (1 September to 31 August) holding day t,
// shifted by back years.
func schoolYear(t time.Time, back int) (from, to string) {
	y := t.Year()
	if t.Month() < time.September {
		y--
	}
	y -= back
	return fmt.Sprintf("%d-09-01", y), fmt.Sprintf("%d-08-31", y+1)
}

// comparePeriods reads the two periods of a year-on-year comparison,
// from1..to1 and from2..to2, with the query's tag and partner; without any
// date, the previous school year and the current one.
func comparePeriods(c *gin.Context, now time.Time) (first, second surveys.WorkshopFilter, err error) {
	base, err := workshopFilter(c)
	if err != nil {
		return first, second, err
	}
	base.From, base.To = "", ""
	first, second = base, base
	dates := map[string]*string{"from1": &first.From, "to1": &first.To, "from2": &second.From, "to2": &second.To}
	bad := map[string]string{}
	given := false
	for name, p := range dates {
		*p = c.Query(name)
		if *p != "" {
			given = true
			if !validDate(*p) {
				bad[name] = "date attendue au format AAAA-MM-JJ"
			}
		}
	}
	if !given {
		first.From, first.To = schoolYear(now, 1)
		second.From, second.To = schoolYear(now, 0)
	}
	for _, p := range []struct {
		name string
		f    surveys.WorkshopFilter
	}{{"to1", first}, {"to2", second}} {
		if bad[p.name] == "" && p.f.From != "" && p.f.To != "" && p.f.From > p.f.To {
			bad[p.name] = "la fin de la période est avant son début"
		}
	}
	if len(bad) > 0 {
		return first, second, &surveys.Error{Code: surveys.EINVALID, Message: "Périodes invalides.", Fields: bad}
	}
	return first, second, nil
}

// compareIndicator sets ind's value over two periods side by side.
func (s *server) compareIndicator(ctx context.Context, ind *surveys.Indicator, first, second surveys.WorkshopFilter) (surveys.IndicatorComparison, error) {
	a, wa, err := s.indicatorScores(ctx, ind, first)
	if err != nil {
		return surveys.IndicatorComparison{}, err
	}
	b, wb, err := s.indicatorScores(ctx, ind, second)
	if err != nil {
		return surveys.IndicatorComparison{}, err
	}
	cmp := ind.Compare(a, b)
	cmp.First.Workshops, cmp.First.From, cmp.First.To = len(wa), first.From, first.To
	cmp.Second.Workshops, cmp.Second.From, cmp.Second.To = len(wb), second.From, second.To
	return cmp, nil
}

// comparisonRow is one line of the year-on-year page.
type comparisonRow struct {
	logframeRow // the second period's value, for its figures
	Name        string
	Cmp         surveys.IndicatorComparison
}

// FirstRow is the same row seen over the first period.
func (r comparisonRow) FirstRow() logframeRow {
	row := r.logframeRow
	row.Value = r.Cmp.First
	return row
}

// DiffText writes the difference, « +12 points de % » or « +0,35 point ».
func (r comparisonRow) DiffText() string {
	if r.Cmp.Diff == nil || !r.comparable() {
		return fr.None
	}
	d := *r.Cmp.Diff
	if r.Indicator.Measure.Share() {
		return fr.Signed(100*d, 0) + " " + fr.PluralOf(100*d, 0, "point", "points") + " de %"
	}
	return fr.Signed(d, 2) + " " + fr.PluralOf(d, 2, "point", "points")
}

// DiffInterval is the difference's 95 % interval, in the same units.
func (r comparisonRow) DiffInterval() string {
	ci := r.Cmp.CI95
	if ci == nil || !r.comparable() {
		return ""
	}
	if r.Indicator.Measure.Share() {
		return "[" + fr.Signed(100*ci[0], 0) + " ; " + fr.Signed(100*ci[1], 0) + "]"
	}
	return "[" + fr.Signed(ci[0], 2) + " ; " + fr.Signed(ci[1], 2) + "]"
}

// Verdict says whether the difference is beyond chance, in words.
func (r comparisonRow) Verdict() string {
	switch {
	case !r.comparable():
		return "trop peu de réponses pour comparer"
	case r.Cmp.P == nil:
		return "pas de test possible"
	case *r.Cmp.P < 0.05:
		return "au-delà du hasard (" + fr.PText(*r.Cmp.P) + ")"
	}
	return "pourrait être dû au hasard (" + fr.PText(*r.Cmp.P) + ")"
}

// comparable: both periods have at least MinIndicatorN.
func (r comparisonRow) comparable() bool {
	return r.Cmp.First.N >= surveys.MinIndicatorN && r.Cmp.Second.N >= surveys.MinIndicatorN
}
