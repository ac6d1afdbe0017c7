package handlers

import (
	"declic/surveys"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

func (s *server) showLogin(c *gin.Context) {
	if u, err := s.userFromRequest(c); err == nil && u != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	s.render(c, http.StatusOK, "staff/login", gin.H{"Next": safeNext(c.Query("next"))})
}

func (s *server) submitLogin(c *gin.Context) {
	email, password, next := c.PostForm("email"), c.PostForm("password"), safeNext(c.PostForm("next"))
	u, err := s.login(c, email, password)
	if err != nil {
		switch code := surveys.ErrorCode(err); code {
		case surveys.EUNAUTHORIZED, codeTooManyRequests:
			s.render(c, statusOf[code], "staff/login", gin.H{"Error": surveys.ErrorMessage(err), "Email": email, "Next": next})
		default:
			s.pageFail(c, err)
		}
		return
	}
	token, err := s.newSession(c, u)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.setSessionCookie(c, token, int(sessionLifetime/time.Second))
	if u.MustChangePassword {
		next = "/app/password"
	}
	c.Redirect(http.StatusSeeOther, next)
}

func (s *server) logout(c *gin.Context) {
	if t, err := c.Cookie(sessionCookie); err == nil && t != "" && len(t) <= 200 {
		if err := s.Store.DeleteSession(c.Request.Context(), hashToken(t)); err != nil {
			s.pageFail(c, err)
			return
		}
	}
	s.setSessionCookie(c, "", -1)
	// A facilitator who just made a tablet a kiosk hands it over on the
	// pupil form.
	if next := c.PostForm("next"); strings.HasPrefix(next, "/f/") {
		c.Redirect(http.StatusSeeOther, safeNext(next))
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/app"
	}
	return next
}
