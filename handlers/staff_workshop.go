package handlers

import (
	"declic/surveys"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

func (s *server) setAttendancePage(c *gin.Context) {
	n, err := strconv.Atoi(strings.TrimSpace(c.PostForm("attendance")))
	if err != nil {
		n = -1
	}
	w, err := s.setAttendance(c, n)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID)
}

// workshopPageData loads what the workshop, poster and results pages share.
func (s *server) workshopPageData(c *gin.Context) (gin.H, *surveys.Workshop, bool) {
	w, q, err := s.workshopAndQuestionnaire(c)
	if err != nil {
		s.pageFail(c, err)
		return nil, nil, false
	}
	links := s.linksOf(c, w)
	return gin.H{"User": currentUser(c), "Workshop": w, "Questionnaire": q, "Links": links,
		"QRWarning": s.qrWarningFor(c, links.FormURL)}, w, true
}

// workshopPageCounts is workshopPageData with the workshop's response
// counts (Counts).
func (s *server) workshopPageCounts(c *gin.Context) (gin.H, *surveys.Workshop, bool) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return nil, nil, false
	}
	counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
	if err != nil {
		s.pageFail(c, err)
		return nil, nil, false
	}
	data["Counts"] = countsView(counts)
	return data, w, true
}

// countsView is a workshop's response counts as pages read them
// ({{.Counts.pre}}).
func countsView(n map[surveys.Phase]int) map[string]int {
	return map[string]int{"pre": n[surveys.PhasePre], "post": n[surveys.PhasePost]}
}

func (s *server) workshopPage(c *gin.Context) {
	data, w, ok := s.workshopPageCounts(c)
	if !ok {
		return
	}
	data["Facilitators"], data["Addable"] = s.facilitatorData(c, w)
	data["Corrected"] = c.Query("corrige") != ""
	s.render(c, http.StatusOK, "staff/workshop", data)
}

func (s *server) posterPage(c *gin.Context) {
	data, _, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "staff/poster", data)
}

func (s *server) setPhasePage(c *gin.Context) {
	if c.PostForm("phase") == string(surveys.PhasePre) && c.PostForm("confirm") != "oui" {
		// Going back from POST to PRE is almost always a mis-tap, and it
		// would file the next answers as "before": ask first.
		w, err := s.workshopFor(c)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		if w.Phase == surveys.PhasePost {
			s.render(c, http.StatusOK, "staff/confirm_phase", gin.H{"User": currentUser(c), "Workshop": w})
			return
		}
	}
	w, err := s.setPhase(c, c.PostForm("phase"))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID)
}

func (s *server) countsJSON(c *gin.Context) {
	w, counts, err := s.workshopCounts(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"phase": w.Phase, "pre": counts[surveys.PhasePre], "post": counts[surveys.PhasePost]})
}

// deleteWorkshopPage asks for confirmation first; only the confirmation
// form, which carries confirm=oui, deletes.
func (s *server) deleteWorkshopPage(c *gin.Context) {
	if c.PostForm("confirm") != "oui" {
		data, _, ok := s.workshopPageCounts(c)
		if !ok {
			return
		}
		s.render(c, http.StatusOK, "staff/delete_workshop", data)
		return
	}
	if _, _, err := s.deleteWorkshop(c); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app?supprime=1")
}
