package handlers

import (
	"github.com/gin-gonic/gin"

	"declic/handlers/httpx"
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
	keys := s.loginKeys(c, u.Email)
	if wait := s.logins.Begin(keys); wait > 0 {
		return tooManyTries(c, wait)
	}
	release, err := s.passwordWork(c)
	if err != nil {
		s.logins.End(keys, httpx.TryError)
		return err
	}
	matches := len(req.Current) <= 200 && u.PasswordMatches(req.Current)
	release()
	f := map[string]string{}
	if !matches {
		s.logins.End(keys, httpx.TryFailed)
		f["current_password"] = "mot de passe actuel incorrect"
	} else {
		s.logins.End(keys, httpx.TryOK)
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
	hash, err := surveys.HashPassword(req.New)
	if err != nil {
		return err
	}
	no := false
	if _, err := s.Store.UpdateUser(ctx, u.ID, surveys.UserUpdate{PasswordHash: &hash, MustChangePassword: &no}); err != nil {
		return err
	}
	// Whoever knew the old password may have made tokens or logged in
	// elsewhere: every API token goes (the one used here included), and
	// every session but the one making the change.
	if err := s.Store.DeleteTokensOf(ctx, u.ID); err != nil {
		return err
	}
	return s.Store.DeleteSessionsOf(ctx, u.ID, currentSession(c))
}
