package handlers

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
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
	q, err := s.createQuestionnaire(c, body, false)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": q.ID})
}

// apiUpdateQuestionnaire serves PUT /api/v1/questionnaires/{id}: the
// definition replaces that version while no workshop has used it, and
// otherwise becomes a new version (new_version, its id).
func (s *server) apiUpdateQuestionnaire(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.apiFail(c, errTooLarge(err))
		return
	}
	q, err := surveys.ParseDefinition(body)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	created, err := s.saveQuestionnaire(c, c.Param("id"), q)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	family, version := surveys.FamilyOf(q)
	c.JSON(http.StatusOK, gin.H{"id": q.ID, "family": family, "version": version, "new_version": created})
}

// apiDeleteQuestionnaire serves DELETE /api/v1/questionnaires/{id}: only a
// version no workshop has used; else 409.
func (s *server) apiDeleteQuestionnaire(c *gin.Context) {
	if err := s.deleteQuestionnaire(c, c.Param("id")); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
