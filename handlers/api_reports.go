package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys/export"
)

func (s *server) apiReport(c *gin.Context) {
	r, err := s.buildReport(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, r.Report)
}

// reportChart serves /api/v1/reports/charts/{name}.png|.svg.
func (s *server) reportChart(c *gin.Context) {
	r, err := s.buildReport(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChart(c, c.Param("file"), r.charts(s.organisation(c.Request.Context()), s.now()))
}

// reportExport serves /api/v1/reports/responses.csv and .xlsx.
func (s *server) reportExport(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, err := s.buildReport(c)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		org := s.organisation(c.Request.Context())
		stamp := export.Stamp{Title: "Réponses — " + r.Questionnaire.Title.String(), Organisation: org.OrganisationName,
			Scope: r.scope(), Produced: s.now()}
		s.writeExport(c, format, r.Questionnaire, r.Matching, r.Results, r.fileName(format), stamp)
	}
}

// reportChartPack serves every chart of a report as one ZIP.
func (s *server) reportChartPack(c *gin.Context) {
	r, err := s.buildReport(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChartPack(c, r.fileName("zip"), r.charts(s.organisation(c.Request.Context()), s.now()))
}
