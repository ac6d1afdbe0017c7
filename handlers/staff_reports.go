package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
)

// reportPage is the manager's report: filters, key figures, one row per
// workshop, charts and readings, printable on A4.
func (s *server) reportPage(c *gin.Context) {
	ctx := c.Request.Context()
	qs, err := s.Store.Questionnaires(ctx)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Questionnaires": qs, "Query": c.Request.URL.Query(), "Charts": charts.All()}
	r, err := s.buildReport(c)
	switch {
	case err == nil:
		data["Report"] = r
		data["Version"] = r.NPre*100003 + r.NPost
	case surveys.ErrorCode(err) == surveys.EINVALID:
		// Filters to fix, or a questionnaire to choose: the page says which.
		data["Problems"] = surveys.ErrorFields(err)
	default:
		s.pageFail(c, err)
		return
	}
	s.render(c, http.StatusOK, "staff/report", data)
}
