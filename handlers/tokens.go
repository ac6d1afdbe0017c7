package handlers

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type tokenRequest struct {
	Name string `json:"name"`
	// ExpiresOn is the last day the token works (YYYY-MM-DD), at most
	// tokenMaxLifetime ahead; empty is that maximum.
	ExpiresOn string `json:"expires_on"`
}

// tokenMaxLifetime is how long an API token works at most: a forgotten
// token in an old script stops by itself.
const tokenMaxLifetime = 365 * 24 * time.Hour

// tokenView is a token as the API shows it; Secret only in the answer that
// made it.
type tokenView struct {
	*surveys.Token
	Secret string `json:"token,omitempty"`
	// Expired tells the list which tokens no longer work.
	Expired bool `json:"expired,omitempty"`
}

// createToken makes an API token for the current user. Only the SHA-256 of
// the secret is stored: the secret is returned here, once.
func (s *server) createToken(c *gin.Context, req tokenRequest) (*surveys.Token, string, error) {
	t := &surveys.Token{UserID: currentUser(c).ID, Name: req.Name}
	if err := t.Validate(); err != nil {
		return nil, "", err
	}
	today := s.now()
	last := today.Add(tokenMaxLifetime).Format(time.DateOnly)
	t.ExpiresOn = last
	if e := strings.TrimSpace(req.ExpiresOn); e != "" {
		if !validDate(e) || e <= today.Format(time.DateOnly) || e > last {
			return nil, "", &surveys.Error{Code: surveys.EINVALID, Message: "Le jeton n'est pas valide.",
				Fields: map[string]string{"expires_on": "une date AAAA-MM-JJ après aujourd'hui, au plus tard le " + last}}
		}
		t.ExpiresOn = e
	}
	secret := apiTokenPrefix + newSecret()
	t.Hash = hashToken(secret)
	if err := s.Store.CreateToken(c.Request.Context(), t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// tokenExpiry is the last day a token works: its ExpiresOn, or, for a token
// made before tokens expired, one year after it was made.
func tokenExpiry(t *surveys.Token) string {
	if t.ExpiresOn != "" {
		return t.ExpiresOn
	}
	made, err := time.Parse(time.DateOnly, t.CreatedOn)
	if err != nil {
		return ""
	}
	return made.Add(tokenMaxLifetime).Format(time.DateOnly)
}

// tokenViews lists tokens with their expiry filled in.
func (s *server) tokenViews(ts []*surveys.Token) []tokenView {
	today := s.now().Format(time.DateOnly)
	out := make([]tokenView, 0, len(ts))
	for _, t := range ts {
		t.ExpiresOn = tokenExpiry(t)
		out = append(out, tokenView{Token: t, Expired: t.ExpiresOn != "" && t.ExpiresOn < today})
	}
	return out
}
