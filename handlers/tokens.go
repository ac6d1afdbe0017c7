package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type tokenRequest struct {
	Name string `json:"name"`
}

// tokenView is a token as the API shows it; Secret only in the answer that
// made it.
type tokenView struct {
	*surveys.Token
	Secret string `json:"token,omitempty"`
}

// createToken makes an API token for the current user. Only the SHA-256 of
// the secret is stored: the secret is returned here, once.
func (s *server) createToken(c *gin.Context, name string) (*surveys.Token, string, error) {
	t := &surveys.Token{UserID: currentUser(c).ID, Name: name}
	if err := t.Validate(); err != nil {
		return nil, "", err
	}
	secret := apiTokenPrefix + newSecret()
	t.Hash = hashToken(secret)
	if err := s.Store.CreateToken(c.Request.Context(), t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

func (s *server) apiListTokens(c *gin.Context) {
	ts, err := s.Store.Tokens(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": ts})
}

func (s *server) apiCreateToken(c *gin.Context) {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	t, secret, err := s.createToken(c, req.Name)
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

func (s *server) renderTokens(c *gin.Context, status int, extra gin.H) {
	ts, err := s.Store.Tokens(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Tokens": ts}
	for k, v := range extra {
		data[k] = v
	}
	s.render(c, status, "staff/tokens", data)
}

func (s *server) tokensPage(c *gin.Context) { s.renderTokens(c, http.StatusOK, nil) }

func (s *server) createTokenPage(c *gin.Context) {
	t, secret, err := s.createToken(c, c.PostForm("name"))
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
	if err := s.Store.DeleteToken(c.Request.Context(), currentUser(c).ID, c.Param("id")); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/tokens")
}
