package handlers

import (
	"declic/surveys"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

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
	data := gin.H{"User": currentUser(c), "Questionnaires": qs, "Form": form, "Suggestions": s.suggestions(c.Request.Context())}
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
