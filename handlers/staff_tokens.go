package handlers

import (
	"declic/surveys"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

func (s *server) renderTokens(c *gin.Context, status int, extra gin.H) {
	ts, err := s.Store.Tokens(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Tokens": s.tokenViews(ts)}
	for k, v := range extra {
		data[k] = v
	}
	s.render(c, status, "staff/tokens", data)
}

func (s *server) tokensPage(c *gin.Context) { s.renderTokens(c, http.StatusOK, nil) }

func (s *server) createTokenPage(c *gin.Context) {
	req := tokenRequest{Name: c.PostForm("name")}
	if days, err := strconv.Atoi(c.PostForm("days")); err == nil && days > 0 && days < 365 {
		req.ExpiresOn = s.now().AddDate(0, 0, days).Format(time.DateOnly)
	}
	t, secret, err := s.createToken(c, req)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == surveys.ECONFLICT {
			s.renderTokens(c, statusOf[code], gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err), "Name": c.PostForm("name")})
			return
		}
		s.pageFail(c, err)
		return
	}
	s.renderTokens(c, http.StatusOK, gin.H{"Created": tokenView{Token: t, Secret: secret}})
}

func (s *server) deleteTokenPage(c *gin.Context) {
	name := "ce jeton"
	if ts, err := s.Store.Tokens(c.Request.Context(), currentUser(c).ID); err == nil {
		for _, t := range ts {
			if t.ID == c.Param("id") {
				name = "le jeton « " + t.Name + " »"
			}
		}
	}
	if !s.confirmed(c, confirmation{
		Title:  "Révoquer " + name + " ?",
		Lines:  []string{"Les scripts et tableurs qui l'utilisent n'auront plus accès à l'API, tout de suite et pour de bon.", "Un jeton révoqué ne se rétablit pas : il faudra en créer un nouveau et le recopier partout où il sert."},
		Action: "/app/tokens/" + c.Param("id") + "/delete", Yes: "Oui, révoquer", No: "Non, le garder", Back: "/app/tokens",
	}) {
		return
	}
	if err := s.Store.DeleteToken(c.Request.Context(), currentUser(c).ID, c.Param("id")); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/tokens")
}
