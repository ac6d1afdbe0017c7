package handlers

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/handlers/httpx"
	"declic/surveys"
	"declic/surveys/export"
)

// apiQuestionnaireXLSForm serves GET /api/v1/questionnaires/{id}/xlsform.
func (s *server) apiQuestionnaireXLSForm(c *gin.Context) {
	q, err := s.questionnaireFor(c, c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := export.WriteXLSForm(&buf, q); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+export.FileName("xlsx", "xlsform", q.Title.String())+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, export.XLSFormContentType, buf.Bytes())
}

// isXLSForm tells whether a request carries an XLSForm workbook.
func isXLSForm(c *gin.Context) bool {
	t, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return t == export.XLSFormContentType
}

// readUpload reads an uploaded workbook; one over the limit is the
// import's own 400, not a 413, since a form that big is a mistaken file.
func readUpload(r io.Reader) ([]byte, error) {
	data, err := httpx.ReadAtMost(r, export.MaxXLSForm)
	if errors.Is(err, httpx.ErrTooLarge) {
		return nil, errUploadTooLarge()
	}
	return data, err
}

// errUploadTooLarge answers a questionnaire file over the limit, whether
// the file or the request around it was cut.
func errUploadTooLarge() error {
	return surveys.Errorf(surveys.EINVALID, "Le fichier dépasse %d Mo : un formulaire XLSForm en fait rarement plus d'un.", export.MaxXLSForm>>20)
}

// importXLSForm stores the questionnaire an XLSForm makes, with the
// import's warnings.
func (s *server) importXLSForm(c *gin.Context, data []byte) (*surveys.Questionnaire, []string, error) {
	imp, err := export.ReadXLSForm(data)
	if err != nil {
		return nil, nil, err
	}
	q := imp.Questionnaire
	q.OwnerID = currentUser(c).ID
	if err := s.Store.CreateQuestionnaire(c.Request.Context(), q); err != nil {
		return nil, nil, err
	}
	s.Logger.Info("xlsform imported", "questionnaire", q.ID, "items", len(q.Items), "warnings", len(imp.Warnings), "by", currentUser(c).ID)
	return q, imp.Warnings, nil
}

// bodyLimit caps request bodies at 1 MB, and an uploaded questionnaire
// (an XLSForm) at its own limit plus room for a multipart envelope.
func bodyLimit(c *gin.Context) {
	n := int64(1 << 20)
	if c.Request.Method == http.MethodPost {
		switch c.FullPath() {
		case "/api/v1/questionnaires", "/app/questionnaires":
			n = export.MaxXLSForm + 64<<10
		}
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
	c.Next()
}
