package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiOrganisation(c *gin.Context) {
	c.JSON(http.StatusOK, viewOrganisation(s.organisation(c.Request.Context())))
}

type organisationRequest struct {
	Name *string `json:"name"`
}

// apiSetOrganisation serves PUT /organisation {"name"}.
func (s *server) apiSetOrganisation(c *gin.Context) {
	var req organisationRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	st, err := s.saveOrganisation(c, req.Name, logoChange{})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewOrganisation(st))
}

// apiSetLogo serves PUT /organisation/logo: the PNG or SVG file as the body.
func (s *server) apiSetLogo(c *gin.Context) {
	logo, err := readLogo(c.Request.Body)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	st, err := s.saveOrganisation(c, nil, logoChange{Replace: true, Data: logo})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewOrganisation(st))
}

func (s *server) apiDeleteLogo(c *gin.Context) {
	st, err := s.saveOrganisation(c, nil, logoChange{Remove: true})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewOrganisation(st))
}
