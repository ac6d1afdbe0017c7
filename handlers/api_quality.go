package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// apiResponses lists a workshop's responses with their quality flags:
// never a code, a pseudonym or an answer.
func (s *server) apiResponses(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out, surpluses, err := s.responseViews(c, w)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if surpluses == nil {
		surpluses = []surveys.Surplus{}
	}
	c.JSON(http.StatusOK, gin.H{"responses": out, "surpluses": surpluses})
}

type exclusionRequest struct {
	Excluded *bool  `json:"excluded"`
	Reason   string `json:"reason"`
}

// apiSetExcluded excludes a response from every statistic, or restores it.
func (s *server) apiSetExcluded(c *gin.Context) {
	var req exclusionRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	if req.Excluded == nil {
		s.apiFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "La demande est incomplète.",
			Fields: map[string]string{"excluded": "true pour exclure la réponse, false pour la rétablir"}})
		return
	}
	w, changed, err := s.setExcluded(c, c.Param("rid"), *req.Excluded, req.Reason)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	list, _, err := s.responseViews(c, w)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	for _, r := range list {
		if r.ID == c.Param("rid") {
			c.JSON(http.StatusOK, gin.H{"response": r, "changed": changed})
			return
		}
	}
	s.apiFail(c, surveys.Errorf(surveys.ENOTFOUND, "Réponse introuvable."))
}
