package handlers

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiListQuestionnaires(c *gin.Context) {
	qs, err := s.questionnairesFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"questionnaires": qs})
}

func (s *server) apiQuestionnaire(c *gin.Context) {
	q, err := s.questionnaireFor(c, c.Param("id"))
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
	q, err := s.createQuestionnaire(c, body, false)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": q.ID})
}
