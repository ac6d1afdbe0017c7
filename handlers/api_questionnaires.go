package handlers

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

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
	if isXLSForm(c) {
		data, err := readUpload(c.Request.Body)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		q, warnings, err := s.importXLSForm(c, data)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": q.ID, "warnings": warnings})
		return
	}
	// A definition is small: the larger limit is the XLSForm's.
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, 1<<20+1))
	if err == nil && len(body) > 1<<20 {
		err = &http.MaxBytesError{Limit: 1 << 20}
	}
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
