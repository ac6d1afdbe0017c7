package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *server) apiLogin(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	u, err := s.login(c, req.Email, req.Password)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	token, err := s.newSession(c, u)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_at": s.now().Add(sessionLifetime), "must_change_password": u.MustChangePassword})
}

// apiLogout ends the session the request came with. An API token is not
// ended here: it is revoked with DELETE /api/v1/tokens/{id}.
func (s *server) apiLogout(c *gin.Context) {
	if sess := currentSession(c); sess != "" {
		if err := s.Store.DeleteSession(c.Request.Context(), sess); err != nil {
			s.apiFail(c, err)
			return
		}
		if _, err := c.Cookie(sessionCookie); err == nil {
			s.setSessionCookie(c, "", -1)
		}
	}
	c.Status(http.StatusNoContent)
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
