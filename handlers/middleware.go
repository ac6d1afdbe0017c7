package handlers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// recovery turns a panic into a 500 and one log line, never a stack trace
// on the wire.
func (s *server) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err := fmt.Errorf("panic: %v", v)
			if isAPI(c) {
				s.apiFail(c, err)
				return
			}
			s.pageFail(c, err)
		}
	}()
	c.Next()
}

// logRequests logs each request once. No client address is logged: pupils
// are minors and Déclic stores no IP address for them. The pupils' routes
// are logged by their pattern (no workshop code) and to the hour (see
// hourHandler).
func (s *server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(none)"
	}
	s.log(c).Info("http", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"ms", float64(time.Since(start).Microseconds())/1000)
}

// healthz tells whether Déclic can store an answer now: 200 when the store
// answers a ping within two seconds, 503 otherwise, with which store it is.
func (s *server) healthz(c *gin.Context) {
	store := s.StoreKind
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Store.Ping(ctx); err != nil {
		s.Logger.Warn("health check: store does not answer", "store", store, "err", err)
		c.Header("Retry-After", retryAfter)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "store": store, "store_ok": false})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "store": store, "store_ok": true,
		"store_ms": float64(time.Since(start).Microseconds()) / 1000})
}
