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
	s.render(c, http.StatusOK, "staff/dashboard", gin.H{"User": currentUser(c), "Workshops": ws})
}
