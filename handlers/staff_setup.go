package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// Setup is the one-time creation of the first admin on an empty store.
// Its token is shown only in the terminal that started Déclic; once an
// account exists, /setup answers 404 for good.
type Setup struct {
	hash [32]byte
	mu   sync.Mutex // one creation at a time
	done atomic.Bool
}

// NewSetup arms the setup page with its token.
func NewSetup(token string) *Setup { return &Setup{hash: sha256.Sum256([]byte(token))} }

// Pending tells whether the setup page still works.
func (st *Setup) Pending() bool { return st != nil && !st.done.Load() }

func (st *Setup) matches(token string) bool {
	sum := sha256.Sum256([]byte(token))
	return st.Pending() && len(token) <= 200 && subtle.ConstantTimeCompare(sum[:], st.hash[:]) == 1
}

// setupOpen tells whether the setup page may be shown to this token: the
// token is right and no account exists yet (another process sharing the
// store may have made one).
func (s *server) setupOpen(c *gin.Context, token string) (bool, error) {
	if !s.Setup.matches(token) {
		return false, nil
	}
	n, err := s.Store.CountUsers(c.Request.Context())
	if err != nil {
		return false, err
	}
	if n > 0 {
		s.Setup.done.Store(true)
		return false, nil
	}
	return true, nil
}

func (s *server) setupPage(c *gin.Context) {
	open, err := s.setupOpen(c, c.Query("token"))
	switch {
	case err != nil:
		s.pageFail(c, err)
	case !open:
		s.notFound(c)
	default:
		s.render(c, http.StatusOK, "staff/setup", gin.H{"Token": c.Query("token")})
	}
}

func (s *server) submitSetup(c *gin.Context) {
	if s.Setup == nil {
		s.notFound(c)
		return
	}
	s.Setup.mu.Lock()
	defer s.Setup.mu.Unlock()
	token := c.PostForm("token")
	open, err := s.setupOpen(c, token)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	if !open {
		s.notFound(c)
		return
	}
	email, password, confirm := c.PostForm("email"), c.PostForm("password"), c.PostForm("confirm")
	f := map[string]string{}
	normalized, ok := surveys.NormalizeEmail(email)
	if !ok {
		f["email"] = "adresse e-mail invalide"
	}
	if msg := surveys.CheckPassword(password); msg != "" {
		f["password"] = msg
	} else if confirm != password {
		f["confirm"] = "les deux saisies ne sont pas identiques"
	}
	if len(f) > 0 {
		s.render(c, http.StatusBadRequest, "staff/setup", gin.H{"Token": token, "Email": email,
			"Error": "Le compte n'a pas été créé.", "Fields": f})
		return
	}
	hash, err := surveys.HashPassword(password)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	u := &surveys.User{Email: normalized, Role: surveys.RoleAdmin, PasswordHash: hash}
	if err := s.Store.CreateUser(c.Request.Context(), u); err != nil {
		s.pageFail(c, err)
		return
	}
	s.Setup.done.Store(true)
	s.Logger.Info("first admin created from the setup page", "user", u.ID)
	session, err := s.newSession(c, u)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.setSessionCookie(c, session, int(sessionLifetime/time.Second))
	c.Redirect(http.StatusSeeOther, "/app")
}

// awaitingSetup tells the login page of an empty store to send the
// visitor to the terminal.
func (s *server) awaitingSetup(c *gin.Context) bool {
	if !s.Setup.Pending() {
		return false
	}
	n, err := s.Store.CountUsers(c.Request.Context())
	return err == nil && n == 0
}
