package handlers

import (
	"declic/surveys"
	"net/http"

	"github.com/gin-gonic/gin"
)

// logframePage is the « Cadre logique »: every indicator as a row,
// baseline → value [interval] against target, with a small bar, for the
// filter's workshops (each indicator's own period without dates).
func (s *server) logframePage(c *gin.Context) {
	f, err := workshopFilter(c)
	data := gin.H{"User": currentUser(c), "Query": c.Request.URL.Query()}
	if err != nil {
		data["Problems"] = fieldsOrMessage(err)
		s.render(c, http.StatusBadRequest, "staff/logframe", data)
		return
	}
	rows, err := s.logframe(c.Request.Context(), f)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data["Rows"] = rows
	data["Filtered"] = f.From != "" || f.To != ""
	data["Export"] = c.Request.URL.Query().Encode()
	s.render(c, http.StatusOK, "staff/logframe", data)
}

// fieldsOrMessage is what a page lists of a refused request: its fields,
// or its message.
func fieldsOrMessage(err error) map[string]string {
	if f := surveys.ErrorFields(err); len(f) > 0 {
		return f
	}
	return map[string]string{"": surveys.ErrorMessage(err)}
}
