package handlers

import (
	"context"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/export"
)

// report is a pooled report with what built it.
type report struct {
	Filter        surveys.WorkshopFilter
	Questionnaire *surveys.Questionnaire
	Matching      []*surveys.Workshop // the pooled workshops
	*surveys.Report
}

// Query is the report's filters as a URL query, for chart and export links;
// built by url.Values, so pages may use it in a URL as it is.
func (r *report) Query() template.URL {
	v := url.Values{}
	for k, s := range map[string]string{"questionnaire_id": r.Questionnaire.ID, "from": r.Filter.From, "to": r.Filter.To, "tag": r.Filter.Tag, "partner": r.Filter.Partner} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return template.URL(v.Encode())
}

// buildReport pools every workshop the user may see that matches the
// query's filters and used the questionnaire questionnaire_id. Without
// questionnaire_id, the matching workshops must all share one.
func (s *server) buildReport(c *gin.Context) (*report, error) {
	f, err := workshopFilter(c)
	if err != nil {
		return nil, err
	}
	f.QuestionnaireID = strings.TrimSpace(c.Query("questionnaire_id"))
	ctx := c.Request.Context()
	if f.QuestionnaireID == "" {
		all, err := s.Store.Workshops(ctx, f)
		if err != nil {
			return nil, err
		}
		ids := questionnaireIDs(all)
		if len(ids) != 1 {
			msg := "choisissez le questionnaire à analyser : aucun atelier ne correspond à ces filtres"
			if len(ids) > 1 {
				msg = "choisissez le questionnaire à analyser : ces ateliers en utilisent " + strconv.Itoa(len(ids)) + " (" + strings.Join(ids, ", ") + ")"
			}
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Questionnaire à préciser.", Fields: map[string]string{"questionnaire_id": msg}}
		}
		f.QuestionnaireID = ids[0]
	}
	q, err := s.Store.Questionnaire(ctx, f.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	ws, err := s.Store.Workshops(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ws))
	versions := make([]int64, len(ws))
	for i, w := range ws {
		ids[i], versions[i] = w.ID, w.Version
	}
	key := versionKey("report", []string{q.ID}, ids, versions)
	v, err := s.cache.get(key, func() (any, error) {
		b := surveys.NewResultsBuilder(q)
		for _, w := range ws {
			b.SetAttendance(w.ID, w.Attendance)
		}
		err := s.Store.EachResponse(context.WithoutCancel(ctx), ids, func(r *surveys.Response) error {
			b.Add(r)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return b.Report(ws), nil
	})
	if err != nil {
		return nil, err
	}
	return &report{Filter: f, Questionnaire: q, Matching: ws, Report: v.(*surveys.Report)}, nil
}

// questionnaireIDs lists the questionnaires the workshops used, sorted.
func questionnaireIDs(ws []*surveys.Workshop) []string {
	var ids []string
	for _, w := range ws {
		if !slices.Contains(ids, w.QuestionnaireID) {
			ids = append(ids, w.QuestionnaireID)
		}
	}
	slices.Sort(ids)
	return ids
}

func (r *report) fileName(ext string) string {
	parts := []string{"rapport", r.Questionnaire.Title.String()}
	for _, p := range []string{r.Filter.From, r.Filter.To, r.Filter.Partner, r.Filter.Tag} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return export.FileName(ext, parts...)
}
