package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"declic/surveys"
)

type passwordRequest struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// changePassword replaces the current user's password. The current one is
// asked again, behind the login throttle, so that an open session left on
// a shared computer is not enough to take the account. Other sessions end.
func (s *server) changePassword(c *gin.Context, req passwordRequest, confirm *string) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	keys := loginKeys(c, u.Email)
	if wait := s.logins.begin(keys); wait > 0 {
		return tooManyTries(c, wait)
	}
	f := map[string]string{}
	if len(req.Current) > 200 || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(req.Current)) != nil {
		s.logins.end(keys, tryFailed)
		f["current_password"] = "mot de passe actuel incorrect"
	} else {
		s.logins.end(keys, tryOK)
	}
	if msg := surveys.CheckPassword(req.New); msg != "" {
		f["new_password"] = msg
	} else if req.New == req.Current {
		f["new_password"] = "choisissez un mot de passe différent de l'actuel"
	}
	if confirm != nil && *confirm != req.New {
		f["confirm"] = "les deux saisies ne sont pas identiques"
	}
	if len(f) > 0 {
		return &surveys.Error{Code: surveys.EINVALID, Message: "Le mot de passe n'a pas été changé.", Fields: f}
	}
	hash, err := HashPassword(req.New)
	if err != nil {
		return err
	}
	no := false
	if _, err := s.Store.UpdateUser(ctx, u.ID, surveys.UserUpdate{PasswordHash: &hash, MustChangePassword: &no}); err != nil {
		return err
	}
	return s.Store.DeleteSessionsOf(ctx, u.ID, currentSession(c))
}

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

func (s *server) apiChangePassword(c *gin.Context) {
	var req passwordRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	if err := s.changePassword(c, req, nil); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
