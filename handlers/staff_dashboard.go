package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) dashboard(c *gin.Context) {
	f, err := workshopFilter(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	ws, err := s.Store.Workshops(c.Request.Context(), f)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	// Answers per workshop: how much each one will weigh in a report.
	counts := make(map[string]map[string]int, len(ws))
	for _, w := range ws {
		n, err := s.Store.CountResponses(c.Request.Context(), w.ID)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		counts[w.ID] = countsView(n)
	}
	s.render(c, http.StatusOK, "staff/dashboard", gin.H{"User": currentUser(c), "Workshops": ws, "Counts": counts})
}
