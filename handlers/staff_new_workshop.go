package handlers

import (
	"declic/surveys"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
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
	all, qerr := s.questionnairesFor(c)
	if qerr != nil {
		s.pageFail(c, qerr)
		return
	}
	qs := latestVersions(all, form.QuestionnaireID)
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
	if err == nil && file.Size > 4 {
		if f, ferr := file.Open(); ferr == nil {
			head := make([]byte, 4)
			_, _ = f.Read(head)
			f.Close()
			if string(head) == "PK\x03\x04" || strings.HasSuffix(strings.ToLower(file.Filename), ".xlsx") {
				s.uploadXLSForm(c, file)
				return
			}
		}
	}
	if err != nil {
		s.renderNewWorkshop(c, http.StatusBadRequest, workshopForm{workshopRequest: workshopRequest{Date: time.Now().Format(time.DateOnly)}},
			errTooLargeOr(err, surveys.Errorf(surveys.EINVALID, "Choisissez un fichier XLSForm (.xlsx), JSON ou YAML.")))
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
	q, err := s.createQuestionnaire(c, body, c.PostForm("shared") == "1")
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
		return errUploadTooLarge()
	}
	return otherwise
}

// latestVersions keeps the newest version of each questionnaire, and the
// one asked for by name.
func latestVersions(qs []*surveys.Questionnaire, keep string) []*surveys.Questionnaire {
	newest := map[string]int{}
	for _, q := range qs {
		f, n := surveys.FamilyOf(q)
		newest[f] = max(newest[f], n)
	}
	out := qs[:0:0]
	for _, q := range qs {
		if f, n := surveys.FamilyOf(q); n == newest[f] || q.ID == keep {
			out = append(out, q)
		}
	}
	return out
}

// uploadXLSForm imports an XLSForm sent from the questionnaires page and
// shows what was left out, row by row.
func (s *server) uploadXLSForm(c *gin.Context, file *multipart.FileHeader) {
	f, err := file.Open()
	if err != nil {
		s.pageFail(c, err)
		return
	}
	defer f.Close()
	data, err := readUpload(f)
	if err == nil {
		var q *surveys.Questionnaire
		var warnings []string
		q, warnings, err = s.importXLSForm(c, data)
		if err == nil {
			s.render(c, http.StatusCreated, "staff/imported", gin.H{"User": currentUser(c), "Imported": q, "Warnings": warnings})
			return
		}
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		s.pageFail(c, err)
		return
	}
	msg := surveys.ErrorMessage(err)
	for _, k := range sortedFieldKeys(surveys.ErrorFields(err)) {
		msg += " " + surveys.ErrorFields(err)[k] + "."
	}
	s.pageFail(c, surveys.Errorf(surveys.EINVALID, "%s", msg))
}

func sortedFieldKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
