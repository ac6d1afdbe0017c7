package handlers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// statusOf is the one table from domain codes to HTTP statuses.
var statusOf = map[string]int{
	surveys.EINVALID:      http.StatusBadRequest,
	surveys.ENOTFOUND:     http.StatusNotFound,
	surveys.ECONFLICT:     http.StatusConflict,
	surveys.EPHASECLOSED:  http.StatusConflict,
	surveys.EUNAUTHORIZED: http.StatusUnauthorized,
	surveys.EFORBIDDEN:    http.StatusForbidden,
	surveys.EINTERNAL:     http.StatusInternalServerError,
	codeTooLarge:          http.StatusRequestEntityTooLarge,
	codeTooManyRequests:   http.StatusTooManyRequests,
	codePasswordChange:    http.StatusForbidden,
	codeTokenExpired:      http.StatusUnauthorized,
	codeUnavailable:       http.StatusServiceUnavailable,
}

// codeUnavailable is a store that does not answer or cannot write (a full
// disk): nothing was stored, and the same request may be sent again
// (answers carry their submission_id). Every 503 carries Retry-After.
const codeUnavailable = surveys.EUNAVAILABLE

// retryAfter is the Retry-After of a 503, in seconds: a restarted store or
// a replica set election is usually over by then.
const retryAfter = "5"

// storeTimeout bounds the store calls of a request on the answering path: a
// pupil is better told to retry than left waiting on a store that is down.
const storeTimeout = 5 * time.Second

var errUnavailable = &surveys.Error{Code: codeUnavailable,
	Message: "Le service est momentanément indisponible. Réessayez dans un instant : une réponse renvoyée avec le même submission_id n'est enregistrée qu'une fois."}

// unavailable turns an internal error into codeUnavailable when the store
// timed out or does not answer a ping; anything else stays internal.
func (s *server) unavailable(c *gin.Context, err error) error {
	if surveys.ErrorCode(err) != surveys.EINTERNAL {
		return err
	}
	// The driver retries until the deadline and then returns its last
	// network error, so a request past its deadline is enough to tell.
	if !errors.Is(err, context.DeadlineExceeded) && c.Request.Context().Err() == nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), time.Second)
		defer cancel()
		if s.Store.Ping(ctx) == nil {
			return err
		}
	}
	return errors.Join(errUnavailable, err)
}

const codeTooLarge = "too_large"

type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// errTooLarge turns a body over its limit into a clear 413.
func errTooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &surveys.Error{Code: codeTooLarge, Message: "La requête est trop volumineuse."}
	}
	return err
}

// failure is what answering err takes, for a JSON error and an error page
// alike: its code, its HTTP status and err as answered (a store that does
// not answer becomes codeUnavailable). Internal errors are logged here,
// once; a 503 carries Retry-After.
func (s *server) failure(c *gin.Context, err error) (string, int, error) {
	err = s.unavailable(c, errTooLarge(err))
	code := surveys.ErrorCode(err)
	status := statusOf[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log(c).Error("request failed", "method", c.Request.Method, "route", c.FullPath(), "err", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfter)
	}
	return code, status, err
}

// apiFail writes err as the contract's JSON error. Users only see a
// generic sentence for an internal error.
func (s *server) apiFail(c *gin.Context, err error) {
	code, status, err := s.failure(c, err)
	c.AbortWithStatusJSON(status, gin.H{"error": apiError{Code: code, Message: surveys.ErrorMessage(err), Fields: surveys.ErrorFields(err)}})
}

// pageFail renders err as a French page.
func (s *server) pageFail(c *gin.Context, err error) {
	code, status, err := s.failure(c, err)
	title := "Une erreur est survenue"
	switch code {
	case codeUnavailable:
		title = "Service momentanément indisponible"
	case surveys.ENOTFOUND:
		title = "Page introuvable"
	case surveys.EFORBIDDEN:
		title = "Accès refusé"
	case surveys.EINVALID:
		title = "Demande invalide"
	}
	s.render(c, status, "staff/error", gin.H{"Title": title, "Message": surveys.ErrorMessage(err), "User": currentUser(c)})
	c.Abort()
}

// render writes a page; the template engine buffers it, so a failure can
// still become a clean error response.
func (s *server) render(c *gin.Context, status int, name string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	var buf bufferWriter
	if err := s.Templates.Render(&buf, name, data); err != nil {
		s.log(c).Error("render failed", "page", name, "err", err)
		c.Status(http.StatusInternalServerError)
		c.Writer.WriteString("Erreur interne.")
		return
	}
	c.Status(status)
	c.Writer.Write(buf.b)
}

type bufferWriter struct{ b []byte }

func (w *bufferWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

func (s *server) notFound(c *gin.Context) {
	err := surveys.Errorf(surveys.ENOTFOUND, "Cette adresse n'existe pas.")
	if isAPI(c) {
		s.apiFail(c, err)
		return
	}
	s.pageFail(c, err)
}

func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return len(p) >= 7 && p[:7] == "/api/v1"
}

// decodeJSON reads the body strictly: one value, no unknown fields.
func decodeJSON(c *gin.Context, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return errTooLarge(err)
	}
	return surveys.DecodeStrict(body, v)
}
