package handlers

import (
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
