package handlers

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// decodeJSON reads the body strictly: one value, no unknown fields.
func decodeJSON(c *gin.Context, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return errTooLarge(err)
	}
	return surveys.DecodeStrict(body, v)
}

func (s *server) apiListQuestionnaires(c *gin.Context) {
	qs, err := s.Store.Questionnaires(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"questionnaires": qs})
}

func (s *server) apiQuestionnaire(c *gin.Context) {
	q, err := s.Store.Questionnaire(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, q)
}

func (s *server) apiCreateQuestionnaire(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.apiFail(c, errTooLarge(err))
		return
	}
	q, err := s.createQuestionnaire(c, body)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": q.ID})
}

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
