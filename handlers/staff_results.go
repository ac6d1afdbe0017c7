package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys/export"
)

func (s *server) resultsPage(c *gin.Context) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	_, res, err := s.results(c, w, true)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data["Results"] = res
	quality, err := s.qualityPanel(c, w)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data["Quality"] = quality
	// The chart URL changes with the answers, so the browser never shows a stale one.
	data["Version"] = w.Version
	data["Charts"] = charts.All()
	data["ChartBase"] = export.Slug(w.Title)
	s.render(c, http.StatusOK, "staff/results", data)
}
