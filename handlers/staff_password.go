package handlers

import (
	"declic/surveys"
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) passwordPage(c *gin.Context) {
	s.render(c, http.StatusOK, "staff/password", gin.H{"User": currentUser(c), "Done": c.Query("fait") == "1"})
}

func (s *server) submitPasswordPage(c *gin.Context) {
	confirm := c.PostForm("confirm")
	err := s.changePassword(c, passwordRequest{Current: c.PostForm("current_password"), New: c.PostForm("new_password")}, &confirm)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == codeTooManyRequests {
			s.render(c, statusOf[code], "staff/password", gin.H{"User": currentUser(c), "Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err)})
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/password?fait=1")
}
