package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiListTokens(c *gin.Context) {
	ts, err := s.Store.Tokens(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": s.tokenViews(ts)})
}

func (s *server) apiCreateToken(c *gin.Context) {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	t, secret, err := s.createToken(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, tokenView{Token: t, Secret: secret})
}

func (s *server) apiDeleteToken(c *gin.Context) {
	if err := s.Store.DeleteToken(c.Request.Context(), currentUser(c).ID, c.Param("id")); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
