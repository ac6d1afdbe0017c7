package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiCreateWorkshop(c *gin.Context) {
	var req workshopRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.createWorkshop(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

func (s *server) apiWorkshop(c *gin.Context) {
	w, counts, err := s.workshopCounts(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w), Counts: counts})
}

func (s *server) apiListWorkshops(c *gin.Context) {
	f, err := workshopFilter(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	ws, err := s.Store.Workshops(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := make([]workshopView, len(ws))
	for i, w := range ws {
		out[i] = workshopView{Workshop: w, links: s.linksOf(c, w)}
	}
	c.JSON(http.StatusOK, gin.H{"workshops": out})
}

func (s *server) apiSetPhase(c *gin.Context) {
	var req phaseRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.setPhase(c, req.Phase)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

func (s *server) apiResults(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	_, res, err := s.results(c, w, c.Query("texts") != "0")
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *server) apiSetAttendance(c *gin.Context) {
	var req attendanceRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.setAttendance(c, req.Attendance)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

func (s *server) apiDeleteWorkshop(c *gin.Context) {
	w, n, err := s.deleteWorkshop(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": w.ID, "deleted": true, "responses_deleted": n})
}

// apiUpdateWorkshop serves PUT /api/v1/workshops/{id}: a correction of
// its title, date, partner, group, place or tags (fields left out stay).
func (s *server) apiUpdateWorkshop(c *gin.Context) {
	var req workshopEdit
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.updateWorkshop(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}
