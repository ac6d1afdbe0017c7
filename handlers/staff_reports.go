package handlers

import (
	"declic/surveys"
	"net/http"

	"github.com/gin-gonic/gin"
)

// reportCharts are the report page's figures, in reading order.
var reportCharts = []struct{ Name, Title string }{
	{"prepost", "Moyennes avant / après"},
	{"change", "Qui a progressé ?"},
	{"likert", "Répartition des réponses"},
	{"knowledge", "Connaissances : part de bonnes réponses"},
}

// reportPage is the manager's report: filters, key figures, one row per
// workshop, charts and readings, printable on A4.
func (s *server) reportPage(c *gin.Context) {
	ctx := c.Request.Context()
	qs, err := s.Store.Questionnaires(ctx)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Questionnaires": qs, "Query": c.Request.URL.Query(), "Charts": reportCharts}
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
