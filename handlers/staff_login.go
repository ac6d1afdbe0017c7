package handlers

import (
	"declic/surveys"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

func (s *server) showLogin(c *gin.Context) {
	if u, err := s.userFromRequest(c); err == nil && u != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	s.render(c, http.StatusOK, "staff/login", gin.H{"Next": safeNext(c.Query("next")), "Setup": s.awaitingSetup(c)})
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

// safeNext keeps redirects on this site: a path on this origin, checked
// after removing what browsers remove (control characters anywhere, spaces
// around), and again once percent-decoded, so that "/%09/evil.example"
// (a tab browsers drop, leaving //evil.example) or "/\\evil.example"
// (which browsers read as //evil.example) never leave the site.
func safeNext(next string) string {
	const home = "/app"
	next = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, next))
	if len(next) > 2000 || !sameOriginPath(next) {
		return home
	}
	if decoded, err := url.PathUnescape(next); err != nil || !sameOriginPath(strings.TrimSpace(decoded)) ||
		strings.ContainsFunc(decoded, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return home
	}
	return next
}

// sameOriginPath is a path that starts with one slash and has no
// backslash (which browsers read as a slash).
func sameOriginPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, "\\")
}
