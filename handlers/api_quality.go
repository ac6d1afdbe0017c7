package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// responseView is one response of GET /responses: the contract's fields
// and the audit trail of its exclusions.
type responseView struct {
	surveys.ResponseQuality
	History []exclusionView `json:"history,omitempty"`
}

// apiResponses lists a workshop's responses with their quality flags:
// never a code, a pseudonym or an answer.
func (s *server) apiResponses(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	list, err := s.responseQuality(c, w)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	history, err := s.exclusionHistory(c.Request.Context(), w.ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := make([]responseView, len(list.Responses))
	for i, r := range list.Responses {
		out[i] = responseView{ResponseQuality: r, History: history[r.ID]}
	}
	surpluses := list.Surpluses
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
	list, err := s.responseQuality(c, w)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	history, err := s.exclusionHistory(c.Request.Context(), w.ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	for _, r := range list.Responses {
		if r.ID == c.Param("rid") {
			c.JSON(http.StatusOK, gin.H{"response": responseView{ResponseQuality: r, History: history[r.ID]}, "changed": changed})
			return
		}
	}
	s.apiFail(c, surveys.Errorf(surveys.ENOTFOUND, "Réponse introuvable."))
}
