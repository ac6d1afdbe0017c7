package handlers

import (
	"declic/surveys"
	"net/http"

	"github.com/gin-gonic/gin"
)

// renderUsers shows the user management page; extra carries what the last
// action left to show (a one-time password, an error).
func (s *server) renderUsers(c *gin.Context, status int, extra gin.H) {
	us, err := s.Store.Users(c.Request.Context())
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Users": us, "Roles": surveys.Roles, "Form": userRequest{Role: string(surveys.RoleFacilitator)}}
	for k, v := range extra {
		data[k] = v
	}
	s.render(c, status, "staff/users", data)
}

func (s *server) usersPage(c *gin.Context) { s.renderUsers(c, http.StatusOK, nil) }

func (s *server) createUserPage(c *gin.Context) {
	req := userRequest{Email: c.PostForm("email"), Role: c.PostForm("role")}
	u, password, err := s.createUser(c, req)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == surveys.ECONFLICT {
			s.renderUsers(c, statusOf[code], gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err), "Form": req})
			return
		}
		s.pageFail(c, err)
		return
	}
	// The password is in this answer only, never in a URL or a log.
	s.renderUsers(c, http.StatusOK, gin.H{"Created": userView{User: u, Password: password}})
}

func (s *server) changeUserPage(c *gin.Context) {
	var p userPatch
	yes, no := true, false
	switch c.PostForm("action") {
	case "role":
		role := c.PostForm("role")
		p.Role = &role
	case "disable":
		p.Disabled = &yes
	case "enable":
		p.Disabled = &no
	case "reset":
		p.ResetPassword = true
	default:
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Action inconnue."))
		return
	}
	u, password, err := s.changeUser(c, c.Param("id"), p)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == surveys.ECONFLICT {
			s.renderUsers(c, statusOf[code], gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err)})
			return
		}
		s.pageFail(c, err)
		return
	}
	if password != "" {
		s.renderUsers(c, http.StatusOK, gin.H{"Created": userView{User: u, Password: password}, "Reset": true})
		return
	}
	if u.ID == currentUser(c).ID && (u.Disabled || !u.Role.ManagesUsers()) {
		c.Redirect(http.StatusSeeOther, "/app") // no longer theirs to see
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/users")
}
