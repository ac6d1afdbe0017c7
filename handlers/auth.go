package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"declic/surveys"
)

const (
	sessionCookie   = "declic_session"
	sessionLifetime = 14 * 24 * time.Hour
)

type authMode int

const (
	pageAuth authMode = iota // redirect to the login page
	apiAuth                  // answer 401 JSON
)

// dummyHash is compared against when an e-mail is unknown, so that a wrong
// address takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("declic-dummy-password"), bcrypt.DefaultCost)

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// authenticate returns the user for an e-mail and password, or EUNAUTHORIZED.
func (s *server) authenticate(c *gin.Context, email, password string) (*surveys.User, error) {
	wrong := surveys.Errorf(surveys.EUNAUTHORIZED, "Adresse e-mail ou mot de passe incorrect.")
	email, ok := surveys.NormalizeEmail(email)
	if !ok || len(password) > 200 {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, wrong
	}
	u, err := s.Store.UserByEmail(c.Request.Context(), email)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, wrong
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil || u.Disabled {
		return nil, wrong
	}
	return u, nil
}

// newSession stores a login and returns its token; only its hash is kept.
func (s *server) newSession(c *gin.Context, u *surveys.User) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := time.Now().UTC()
	err := s.Store.CreateSession(c.Request.Context(), &surveys.Session{
		ID: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(sessionLifetime),
	})
	return token, err
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

func requestToken(c *gin.Context) string {
	if h := c.GetHeader("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	t, _ := c.Cookie(sessionCookie)
	return t
}

// requireUser lets a request through only with a valid session or token.
func (s *server) requireUser(mode authMode) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, err := s.userFromRequest(c)
		if err == nil {
			c.Set("user", u)
			c.Next()
			return
		}
		if surveys.ErrorCode(err) == surveys.EINTERNAL {
			if mode == apiAuth {
				s.apiFail(c, err)
			} else {
				s.pageFail(c, err)
			}
			return
		}
		if mode == apiAuth {
			s.apiFail(c, surveys.Errorf(surveys.EUNAUTHORIZED, "Connexion requise : envoyez « Authorization: Bearer <jeton> »."))
			return
		}
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
	}
}

func (s *server) userFromRequest(c *gin.Context) (*surveys.User, error) {
	token := requestToken(c)
	if token == "" || len(token) > 200 {
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Connexion requise.")
	}
	sess, err := s.Store.Session(c.Request.Context(), hashToken(token))
	if err != nil {
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Session expirée.")
		}
		return nil, err
	}
	u, err := s.Store.User(c.Request.Context(), sess.UserID)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Compte introuvable.")
		}
		return nil, err
	}
	if u.Disabled {
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Compte désactivé.")
	}
	return u, nil
}

func currentUser(c *gin.Context) *surveys.User {
	v, ok := c.Get("user")
	if !ok {
		return nil
	}
	u, _ := v.(*surveys.User)
	return u
}

// workshopFor loads a workshop the current user may see. Facilitators see
// their own; for others the workshop does not exist.
func (s *server) workshopFor(c *gin.Context) (*surveys.Workshop, error) {
	w, err := s.Store.Workshop(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	if u == nil || (!u.Role.SeesAll() && w.OwnerID != u.ID) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	return w, nil
}

// secure tells whether cookies should carry the Secure flag.
func (s *server) secure(c *gin.Context) bool {
	return c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" || strings.HasPrefix(s.BaseURL, "https://")
}

func (s *server) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode,
	})
}

func (s *server) showLogin(c *gin.Context) {
	if u, err := s.userFromRequest(c); err == nil && u != nil {
		c.Redirect(http.StatusSeeOther, "/app")
		return
	}
	s.render(c, http.StatusOK, "staff/login", gin.H{"Next": safeNext(c.Query("next"))})
}

func (s *server) submitLogin(c *gin.Context) {
	email, password, next := c.PostForm("email"), c.PostForm("password"), safeNext(c.PostForm("next"))
	u, err := s.authenticate(c, email, password)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
			s.render(c, http.StatusUnauthorized, "staff/login", gin.H{"Error": surveys.ErrorMessage(err), "Email": email, "Next": next})
			return
		}
		s.pageFail(c, err)
		return
	}
	token, err := s.newSession(c, u)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.setSessionCookie(c, token, int(sessionLifetime/time.Second))
	c.Redirect(http.StatusSeeOther, next)
}

func (s *server) logout(c *gin.Context) {
	if t, err := c.Cookie(sessionCookie); err == nil && t != "" {
		s.Store.DeleteSession(c.Request.Context(), hashToken(t))
	}
	s.setSessionCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/app"
	}
	return next
}

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
	u, err := s.authenticate(c, req.Email, req.Password)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	token, err := s.newSession(c, u)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_at": time.Now().UTC().Add(sessionLifetime)})
}
