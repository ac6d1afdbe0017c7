package handlers

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// hourHandler stamps records with the hour only. The pupils' log lines go
// through it: with the answers' order in the store, a time to the second
// would give back when each pupil answered, which Déclic does not keep.
type hourHandler struct{ slog.Handler }

func (h hourHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Time = r.Time.UTC().Truncate(time.Hour)
	return h.Handler.Handle(ctx, r)
}

func (h hourHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return hourHandler{h.Handler.WithAttrs(as)}
}

func (h hourHandler) WithGroup(name string) slog.Handler {
	return hourHandler{h.Handler.WithGroup(name)}
}

// pupilRoute tells the public routes pupils answer on.
func pupilRoute(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == "/f" || strings.HasPrefix(p, "/f/") || strings.HasPrefix(p, "/api/v1/forms/")
}

// log is the logger for this request: on the pupils' routes, lines carry
// the hour only, and never the workshop code (they name the route
// pattern, /f/:code, not the path).
func (s *server) log(c *gin.Context) *slog.Logger {
	if pupilRoute(c) {
		return s.hourLogger
	}
	return s.Logger
}
