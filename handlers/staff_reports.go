package handlers

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
)

// reportPage is the manager's report: filters, then a summary page
// (key figures, indicators against targets, three sentences), then the
// details, printable on A4. Without a questionnaire it opens on the one
// most of the workshops used.
func (s *server) reportPage(c *gin.Context) {
	ctx := c.Request.Context()
	if c.Query("questionnaire_id") == "" {
		if f, err := workshopFilter(c); err == nil {
			if id := s.mostUsedQuestionnaire(ctx, f); id != "" {
				q := c.Request.URL.Query()
				q.Set("questionnaire_id", id)
				c.Redirect(http.StatusSeeOther, "/app/reports?"+q.Encode())
				return
			}
		}
	}
	qs, err := s.questionnairesFor(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	u := currentUser(c)
	data := gin.H{"User": u, "QuestionnaireChoices": questionnaireChoices(qs), "Query": c.Request.URL.Query(), "Charts": charts.All(),
		"Short": c.Query("synthese") == "1"}
	r, err := s.buildReport(c)
	switch {
	case err == nil:
		v, err := s.newReportView(ctx, r, u.Role.SeesAll())
		if err != nil {
			s.pageFail(c, err)
			return
		}
		data["Report"] = v
		data["Version"] = r.NPre*100003 + r.NPost
		data["QuotesSaved"] = c.Query("citations") == "1"
	case surveys.ErrorCode(err) == surveys.EINVALID || surveys.ErrorCode(err) == surveys.ENOTFOUND:
		// Filters to fix, or a questionnaire to choose: the page says which.
		data["Problems"] = fieldsOrMessage(err)
	default:
		s.pageFail(c, err)
		return
	}
	s.render(c, http.StatusOK, "staff/report", data)
}

// selectQuotesPage keeps the pupils' words a manager ticked for the
// report of the posted filters; none is quoted until ticked.
func (s *server) selectQuotesPage(c *gin.Context) {
	query, err := url.ParseQuery(c.PostForm("query"))
	if err != nil {
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Filtres du rapport illisibles."))
		return
	}
	c.Request.URL.RawQuery = query.Encode()
	r, err := s.buildReport(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	ids := make([]string, len(r.Matching))
	in := map[string]bool{}
	for i, w := range r.Matching {
		ids[i] = w.ID
		in[w.ID] = true
	}
	var quotes []surveys.Quote
	for _, ref := range c.PostFormArray("quote") {
		q, ok := parseQuoteRef(ref)
		if !ok || !in[q.WorkshopID] {
			s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Citation inconnue dans ce rapport : rechargez la page et cochez de nouveau."))
			return
		}
		quotes = append(quotes, q)
	}
	if err := s.Store.SelectQuotes(c.Request.Context(), ids, quotes); err != nil {
		s.pageFail(c, err)
		return
	}
	query.Set("citations", "1")
	c.Redirect(http.StatusSeeOther, "/app/reports?"+query.Encode()+"#h-quotes")
}

// questionnaireChoice is one questionnaire in a page's list: versions of
// one family share a title, so their number is added.
type questionnaireChoice struct {
	ID, Label string
}

func questionnaireChoices(qs []*surveys.Questionnaire) []questionnaireChoice {
	versions := map[string]int{}
	for _, q := range qs {
		fam, _ := surveys.FamilyOf(q)
		versions[fam]++
	}
	out := make([]questionnaireChoice, 0, len(qs))
	for _, q := range qs {
		fam, n := surveys.FamilyOf(q)
		label := q.Title.String()
		if versions[fam] > 1 {
			label += fmt.Sprintf(" (version %d)", n)
		}
		out = append(out, questionnaireChoice{ID: q.ID, Label: label})
	}
	return out
}
