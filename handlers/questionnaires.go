package handlers

import (
	"declic/surveys"

	"github.com/gin-gonic/gin"
)

// createQuestionnaire parses a JSON or YAML definition and stores it.
func (s *server) createQuestionnaire(c *gin.Context, body []byte) (*surveys.Questionnaire, error) {
	q, err := surveys.ParseDefinition(body)
	if err != nil {
		return nil, err
	}
	q.OwnerID = currentUser(c).ID
	if err := s.Store.CreateQuestionnaire(c.Request.Context(), q); err != nil {
		return nil, err
	}
	return q, nil
}
