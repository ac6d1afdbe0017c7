package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// questionComparison is one question or scale over two periods: the share
// who progressed and the mean change.
type questionComparison struct {
	Key, Text string
	Improved  comparisonRow
	Change    comparisonRow
}

// compareQuestions sets every item and scale of q over two periods, as
// share_improved and mean_change indicators would.
func (s *server) compareQuestions(ctx context.Context, q *surveys.Questionnaire, first, second surveys.WorkshopFilter) ([]questionComparison, error) {
	var out []questionComparison
	add := func(key, text string, ind surveys.Indicator) error {
		qc := questionComparison{Key: key, Text: text}
		for _, m := range []surveys.Measure{surveys.ShareImproved, surveys.MeanChange} {
			ind.Measure = m
			i := ind
			cmp, err := s.compareIndicator(ctx, &i, first, second)
			if err != nil {
				return err
			}
			row := comparisonRow{logframeRow: logframeRow{Indicator: &i, Value: cmp.Second}, Name: text, Cmp: cmp}
			if m == surveys.ShareImproved {
				qc.Improved = row
			} else {
				qc.Change = row
			}
		}
		out = append(out, qc)
		return nil
	}
	for _, it := range q.Items {
		if it.Scored() && (it.Retrospective() || it.AskedIn(surveys.PhasePre) && it.AskedIn(surveys.PhasePost)) {
			if err := add(it.Key, it.Text.String(), surveys.Indicator{QuestionnaireID: q.ID, Item: it.Key}); err != nil {
				return nil, err
			}
		}
	}
	for _, sc := range q.Scales {
		if err := add(sc.Key, "Échelle : "+sc.Title.String(), surveys.Indicator{QuestionnaireID: q.ID, Scale: sc.Key}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// comparePage sets two periods side by side (by default the last two
// school years): every indicator, then every question of a questionnaire.
func (s *server) comparePage(c *gin.Context) {
	ctx := c.Request.Context()
	data := gin.H{"User": currentUser(c), "Query": c.Request.URL.Query()}
	first, second, err := comparePeriods(c, s.now())
	if err != nil {
		data["Problems"] = fieldsOrMessage(err)
		s.render(c, http.StatusBadRequest, "staff/compare", data)
		return
	}
	data["First"], data["Second"] = first, second
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	var rows []comparisonRow
	for _, ind := range inds {
		cmp, err := s.compareIndicator(ctx, ind, first, second)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		row := comparisonRow{logframeRow: logframeRow{Indicator: ind, Value: cmp.Second}, Name: ind.Name, Cmp: cmp}
		if q, err := s.Store.Questionnaire(ctx, ind.QuestionnaireID); err == nil {
			row.Describe = ind.Describe(q)
		}
		rows = append(rows, row)
	}
	data["Rows"] = rows
	qs, err := s.Store.Questionnaires(ctx)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data["Questionnaires"] = qs
	qid := c.Query("questionnaire_id")
	if qid == "" {
		qid = s.mostUsedQuestionnaire(ctx, surveys.WorkshopFilter{OwnerID: first.OwnerID})
	}
	data["QuestionnaireID"] = qid
	if qid != "" {
		q, err := s.Store.Questionnaire(ctx, qid)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		qcs, err := s.compareQuestions(ctx, q, first, second)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		data["Questionnaire"], data["Questions"] = q, qcs
	}
	s.render(c, http.StatusOK, "staff/compare", data)
}
