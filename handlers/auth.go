package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/handlers/httpx"
	"declic/surveys"
	"declic/templates"
)

const (
	sessionCookie   = "declic_session"
	sessionLifetime = 14 * 24 * time.Hour
	// apiTokenPrefix tells API tokens from session tokens, and lets secret
	// scanners spot a Déclic token pasted where it should not be.
	apiTokenPrefix = "dcl_"
)

// codeTokenExpired answers an API token past its last day (401).
const codeTokenExpired = "token_expired"

// codePasswordChange answers API calls of a user who must first replace a
// one-time password.
const codePasswordChange = "password_change_required"

type authMode int

const (
	pageAuth authMode = iota // redirect to the login page
	apiAuth                  // answer 401 JSON
)

func (s *server) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// authenticate returns the user for an e-mail and password, or EUNAUTHORIZED.
func (s *server) authenticate(c *gin.Context, email, password string) (*surveys.User, error) {
	wrong := surveys.Errorf(surveys.EUNAUTHORIZED, "Adresse e-mail ou mot de passe incorrect.")
	email, ok := surveys.NormalizeEmail(email)
	if !ok || len(password) > 200 {
		surveys.SpendPasswordCheck(password)
		return nil, wrong
	}
	u, err := s.Store.UserByEmail(c.Request.Context(), email)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		surveys.SpendPasswordCheck(password)
		return nil, wrong
	}
	if err != nil {
		return nil, err
	}
	if !u.PasswordMatches(password) || u.Disabled {
		return nil, wrong
	}
	return u, nil
}

// login is authenticate behind the login throttle: too many failures for
// this e-mail from this client, or from this client whatever the e-mail,
// answer too_many_requests (429).
func (s *server) login(c *gin.Context, email, password string) (*surveys.User, error) {
	keys := s.loginKeys(c, email)
	if wait := s.logins.Begin(keys); wait > 0 {
		return nil, tooManyTries(c, wait)
	}
	release, err := s.passwordWork(c)
	if err != nil {
		s.logins.End(keys, httpx.TryError)
		return nil, err
	}
	u, err := s.authenticate(c, email, password)
	release()
	switch {
	case err == nil:
		s.logins.End(keys, httpx.TryOK)
	case surveys.ErrorCode(err) == surveys.EUNAUTHORIZED:
		s.logins.End(keys, httpx.TryFailed)
	default:
		s.logins.End(keys, httpx.TryError)
	}
	return u, err
}

// Login throttling (see httpx.Throttle and the README's Security section).
// Failures are counted on (e-mail, client) and on the client alone: an
// attacker slows themselves down, never the account's owner trying from
// their own machine.
const (
	emailFreeFailures  = 5
	clientFreeFailures = 20
)

const codeTooManyRequests = "too_many_requests"

// loginKeys are the keys of a login attempt: the e-mail from this client
// (when it is an e-mail) and the client. Both are keyed hashes.
func (s *server) loginKeys(c *gin.Context, email string) []httpx.Key {
	client := s.Proxies.ClientKey(c.Request)
	keys := []httpx.Key{{Name: s.hasher.Sum("c\x00" + client), Free: clientFreeFailures}}
	if e, ok := surveys.NormalizeEmail(email); ok {
		keys = append(keys, httpx.Key{Name: s.hasher.Sum("ec\x00" + e + "\x00" + client), Free: emailFreeFailures, Forget: true})
	}
	return keys
}

// passwordWaitLimit is how long a password check waits for a free slot
// before the try is refused with 429.
const passwordWaitLimit = 5 * time.Second

// passwordWork waits for one of the few slots of password hashing (bcrypt,
// about 65 ms of a core each), so that a flood of logins cannot take the
// processor from the pupils' answers. It returns the slot's release.
func (s *server) passwordWork(c *gin.Context) (func(), error) {
	release := func() { s.passwords.Release(1) }
	if s.passwords.TryAcquire(1) {
		return release, nil
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.passwordWait)
	defer cancel()
	if err := s.passwords.Acquire(ctx, 1); err != nil {
		c.Header("Retry-After", "2")
		return nil, surveys.Errorf(codeTooManyRequests, "Trop de connexions en même temps. Réessayez dans quelques secondes.")
	}
	return release, nil
}

// tooManyTries is the error of a throttled login; it also sets Retry-After.
func tooManyTries(c *gin.Context, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Header("Retry-After", strconv.Itoa(secs))
	return surveys.Errorf(codeTooManyRequests, "Trop de tentatives de connexion. Réessayez dans %s.", frenchWait(secs))
}

func frenchWait(secs int) string { return templates.WaitIn("fr", secs) }

// newSecret returns 32 random bytes, URL-safe.
func newSecret() string {
	raw := make([]byte, 32)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// newSession stores a login and returns its token; only its hash is kept.
func (s *server) newSession(c *gin.Context, u *surveys.User) (string, error) {
	token := newSecret()
	for strings.HasPrefix(token, apiTokenPrefix) {
		token = newSecret() // would be looked up as an API token
	}
	now := s.now()
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

// passwordChangeRoutes stay open to a user who must change a one-time
// password; every other route sends them there first.
var passwordChangeRoutes = map[string]bool{
	"/app/password":         true,
	"/api/v1/auth/password": true,
	"/api/v1/auth/logout":   true,
}

// requireUser lets a request through only with a valid session or token.
func (s *server) requireUser(mode authMode) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, err := s.userFromRequest(c)
		if err != nil {
			if surveys.ErrorCode(err) == surveys.EINTERNAL {
				s.fail(c, mode, err)
				return
			}
			if mode == apiAuth {
				if surveys.ErrorCode(err) != codeTokenExpired {
					err = surveys.Errorf(surveys.EUNAUTHORIZED, "Connexion requise : envoyez « Authorization: Bearer <jeton> ».")
				}
				s.apiFail(c, err)
				return
			}
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		c.Set("user", u)
		if u.MustChangePassword && !passwordChangeRoutes[c.FullPath()] {
			if mode == apiAuth {
				s.apiFail(c, surveys.Errorf(codePasswordChange,
					"Choisissez d'abord un nouveau mot de passe : PUT /api/v1/auth/password, ou la page /app/password."))
				return
			}
			c.Redirect(http.StatusSeeOther, "/app/password")
			c.Abort()
			return
		}
		c.Next()
	}
}

// requireRole lets through only users with one of roles; others get 403.
// It runs after requireUser.
func (s *server) requireRole(mode authMode, roles ...surveys.Role) gin.HandlerFunc {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = strings.ToLower(r.Label())
	}
	what := "Cette action est réservée"
	if mode == pageAuth {
		what = "Cette page est réservée"
	}
	denied := surveys.Errorf(surveys.EFORBIDDEN, "%s aux comptes %s.", what, strings.Join(names, " ou "))
	return func(c *gin.Context) {
		u := currentUser(c)
		for _, r := range roles {
			if u != nil && u.Role == r {
				c.Next()
				return
			}
		}
		s.fail(c, mode, denied)
	}
}

func (s *server) fail(c *gin.Context, mode authMode, err error) {
	if mode == apiAuth {
		s.apiFail(c, err)
		return
	}
	s.pageFail(c, err)
}

// userFromRequest finds the user of the request's session or API token.
// It reads the user on every request, so that a disabled account or a
// changed role takes effect at once.
func (s *server) userFromRequest(c *gin.Context) (*surveys.User, error) {
	ctx := c.Request.Context()
	token := requestToken(c)
	if token == "" || len(token) > 200 {
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Connexion requise.")
	}
	var userID string
	var apiToken *surveys.Token
	if strings.HasPrefix(token, apiTokenPrefix) {
		t, err := s.Store.TokenByHash(ctx, hashToken(token))
		if err != nil {
			if surveys.ErrorCode(err) == surveys.ENOTFOUND {
				return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Jeton inconnu ou révoqué.")
			}
			return nil, err
		}
		userID, apiToken = t.UserID, t
	} else {
		sess, err := s.Store.Session(ctx, hashToken(token))
		if err != nil {
			if surveys.ErrorCode(err) == surveys.ENOTFOUND {
				return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Session expirée.")
			}
			return nil, err
		}
		userID = sess.UserID
		c.Set("session", sess.ID)
	}
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Compte introuvable.")
		}
		return nil, err
	}
	if u.Disabled {
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "Compte désactivé.")
	}
	if apiToken != nil {
		day := s.now().Format(time.DateOnly)
		if exp := tokenExpiry(apiToken); exp != "" && exp < day {
			return nil, surveys.Errorf(codeTokenExpired, "Ce jeton a expiré le %s : créez-en un autre (page « Jetons d'API »).", exp)
		}
		if apiToken.LastUsedOn != day {
			if err := s.Store.TouchToken(ctx, apiToken.ID, day); err != nil {
				s.Logger.Warn("token last use not recorded", "err", err)
			}
		}
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

// currentSession is the hash of the request's session token, or "" when
// the request came with an API token.
func currentSession(c *gin.Context) string {
	return c.GetString("session")
}

// workshopFor loads a workshop the current user may see. To anyone else
// the workshop does not exist: 404, not 403, so that IDs cannot be probed.
func (s *server) workshopFor(c *gin.Context) (*surveys.Workshop, error) {
	w, err := s.Store.Workshop(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if !w.VisibleTo(currentUser(c)) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Atelier introuvable.")
	}
	return w, nil
}

// workshopAndQuestionnaire is workshopFor with the workshop's questionnaire.
func (s *server) workshopAndQuestionnaire(c *gin.Context) (*surveys.Workshop, *surveys.Questionnaire, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	return w, q, nil
}

// workshopCounts is workshopFor with the workshop's responses counted by
// phase.
func (s *server) workshopCounts(c *gin.Context) (*surveys.Workshop, map[surveys.Phase]int, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
	if err != nil {
		return nil, nil, err
	}
	return w, counts, nil
}

// secure tells whether cookies should carry the Secure flag: the request
// came over HTTPS (directly, or said so by a trusted proxy), or the site's
// public address is HTTPS.
func (s *server) secure(c *gin.Context) bool {
	return s.Proxies.HTTPS(c.Request) || strings.HasPrefix(s.BaseURL, "https://")
}

// setSessionCookie sets the session cookie: never readable by scripts, not
// sent on cross-site subrequests or POSTs, and only over HTTPS when the
// site is served over HTTPS.
func (s *server) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode,
	})
}
