package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// confirmation is a page that asks before a click that is hard to undo;
// only its form, which carries confirm=oui, goes ahead.
type confirmation struct {
	Title   string
	Lines   []string
	Action  string // where the confirmed form posts
	Yes, No string // button labels
	Back    string // where "No" leads
}

// confirmed tells whether the request carries the confirmation; when not,
// it shows the question.
func (s *server) confirmed(c *gin.Context, q confirmation) bool {
	if c.PostForm("confirm") == "oui" {
		return true
	}
	s.render(c, http.StatusOK, "staff/confirm", gin.H{"User": currentUser(c), "Confirm": q})
	return false
}
