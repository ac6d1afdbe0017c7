package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiListUsers(c *gin.Context) {
	us, err := s.Store.Users(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": us})
}

func (s *server) apiUser(c *gin.Context) {
	u, err := s.Store.User(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *server) apiCreateUser(c *gin.Context) {
	var req userRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	u, password, err := s.createUser(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, userView{User: u, Password: password})
}

func (s *server) apiChangeUser(c *gin.Context) {
	var p userPatch
	if err := decodeJSON(c, &p); err != nil {
		s.apiFail(c, err)
		return
	}
	u, password, err := s.changeUser(c, c.Param("id"), p)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, userView{User: u, Password: password})
}
