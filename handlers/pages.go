package handlers

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
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

type workshopForm struct {
	workshopRequest
	TagsText string
}

func (s *server) newWorkshop(c *gin.Context) {
	form := workshopForm{workshopRequest: workshopRequest{Date: time.Now().Format(time.DateOnly), QuestionnaireID: c.Query("questionnaire")}}
	s.renderNewWorkshop(c, http.StatusOK, form, nil)
}

func (s *server) renderNewWorkshop(c *gin.Context, status int, form workshopForm, err error) {
	qs, qerr := s.Store.Questionnaires(c.Request.Context())
	if qerr != nil {
		s.pageFail(c, qerr)
		return
	}
	if form.QuestionnaireID == "" && len(qs) > 0 {
		form.QuestionnaireID = qs[0].ID
	}
	data := gin.H{"User": currentUser(c), "Questionnaires": qs, "Form": form}
	if err != nil {
		data["Error"] = surveys.ErrorMessage(err)
		data["Fields"] = surveys.ErrorFields(err)
	}
	s.render(c, status, "staff/new_workshop", data)
}

func (s *server) createWorkshopPage(c *gin.Context) {
	form := workshopForm{
		workshopRequest: workshopRequest{
			QuestionnaireID: c.PostForm("questionnaire_id"), Title: c.PostForm("title"), Date: c.PostForm("date"),
			Partner: c.PostForm("partner"), Group: c.PostForm("group"), Place: c.PostForm("place"),
		},
		TagsText: c.PostForm("tags"),
	}
	form.Tags = strings.Split(form.TagsText, ",")
	w, err := s.createWorkshop(c, form.workshopRequest)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			s.renderNewWorkshop(c, http.StatusBadRequest, form, err)
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID)
}

func (s *server) uploadQuestionnaire(c *gin.Context) {
	file, err := c.FormFile("definition")
	if err != nil {
		s.renderNewWorkshop(c, http.StatusBadRequest, workshopForm{workshopRequest: workshopRequest{Date: time.Now().Format(time.DateOnly)}},
			errTooLargeOr(err, surveys.Errorf(surveys.EINVALID, "Choisissez un fichier JSON ou YAML.")))
		return
	}
	f, err := file.Open()
	if err != nil {
		s.pageFail(c, err)
		return
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, 512<<10))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	q, err := s.createQuestionnaire(c, body)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			s.renderNewWorkshop(c, http.StatusBadRequest, workshopForm{workshopRequest: workshopRequest{Date: time.Now().Format(time.DateOnly)}}, err)
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/new?questionnaire="+q.ID)
}

func errTooLargeOr(err, otherwise error) error {
	if e := errTooLarge(err); e != err {
		return e
	}
	return otherwise
}

// workshopPageData loads what the workshop, poster and results pages share.
func (s *server) workshopPageData(c *gin.Context) (gin.H, *surveys.Workshop, bool) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.pageFail(c, err)
		return nil, nil, false
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		s.pageFail(c, err)
		return nil, nil, false
	}
	return gin.H{"User": currentUser(c), "Workshop": w, "Questionnaire": q, "Links": s.linksOf(c, w)}, w, true
}

func (s *server) workshopPage(c *gin.Context) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data["Counts"] = map[string]int{"pre": counts[surveys.PhasePre], "post": counts[surveys.PhasePost]}
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
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"phase": w.Phase, "pre": counts[surveys.PhasePre], "post": counts[surveys.PhasePost]})
}

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
	// The chart URL changes with the answers, so the browser never shows a stale one.
	data["Version"] = res.NPre*100003 + res.NPost
	data["Charts"] = reportCharts
	s.render(c, http.StatusOK, "staff/results", data)
}
