package httpx

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// SecurityHeaders sets the headers every answer carries: no sniffing, no
// framing, same-origin referrers, and a content security policy that allows
// this site's own scripts and styles only.
func SecurityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	c.Next()
}

// ErrTooLarge is ReadAtMost's answer to a body over its limit.
var ErrTooLarge = errors.New("httpx: body over its limit")

// ReadAtMost reads r to its end, or answers ErrTooLarge when it holds more
// than n bytes or LimitBody's cap stopped it first.
func ReadAtMost(r io.Reader, n int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, n+1))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || int64(len(data)) > n {
		return nil, ErrTooLarge
	}
	return data, err
}

// LimitBody caps request bodies; reading past the cap fails with a
// *http.MaxBytesError, which the error handler turns into a 413.
func LimitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}
