package handlers

import (
	"crypto/rand"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// otpAlphabet leaves out letters and digits that look alike (0/o, 1/l/i).
const otpAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// oneTimePassword returns a random password an admin passes on by hand:
// 16 characters (about 79 bits) in groups of four.
func oneTimePassword() string {
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 16; {
		rand.Read(buf)
		if int(buf[0]) >= 256/len(otpAlphabet)*len(otpAlphabet) {
			continue // keep the draw uniform
		}
		if n > 0 && n%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(otpAlphabet[int(buf[0])%len(otpAlphabet)])
		n++
	}
	return b.String()
}

type userRequest struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// userPatch changes an account; absent fields stay as they are.
type userPatch struct {
	Role          *string `json:"role"`
	Disabled      *bool   `json:"disabled"`
	ResetPassword bool    `json:"reset_password"`
}

// userView is a user as the API shows it; Password is the one-time
// password, present only in the answer that made it.
type userView struct {
	*surveys.User
	Password string `json:"password,omitempty"`
}

var roleField = "admin, manager ou facilitator"

// createUser stores a new account with a one-time password, returned once.
func (s *server) createUser(c *gin.Context, req userRequest) (*surveys.User, string, error) {
	f := map[string]string{}
	email, ok := surveys.NormalizeEmail(req.Email)
	if !ok {
		f["email"] = "adresse e-mail invalide"
	}
	role, ok := surveys.ParseRole(strings.TrimSpace(req.Role))
	if !ok {
		f["role"] = roleField
	}
	if len(f) > 0 {
		return nil, "", &surveys.Error{Code: surveys.EINVALID, Message: "Le compte n'a pas été créé.", Fields: f}
	}
	password := oneTimePassword()
	hash, err := surveys.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u := &surveys.User{Email: email, Role: role, PasswordHash: hash, MustChangePassword: true}
	if err := s.Store.CreateUser(c.Request.Context(), u); err != nil {
		return nil, "", err
	}
	s.Logger.Info("user created", "by", currentUser(c).ID, "user", u.ID, "role", role)
	return u, password, nil
}

// changeUser applies an admin's change to an account. No change may leave
// Déclic without an active admin. Disabling ends the account's sessions and
// revokes its tokens; a reset does too, and gives a new one-time password.
func (s *server) changeUser(c *gin.Context, id string, p userPatch) (*surveys.User, string, error) {
	ctx := c.Request.Context()
	target, err := s.Store.User(ctx, id)
	if err != nil {
		return nil, "", err
	}
	var up surveys.UserUpdate
	if p.Role != nil {
		role, ok := surveys.ParseRole(strings.TrimSpace(*p.Role))
		if !ok {
			return nil, "", &surveys.Error{Code: surveys.EINVALID, Message: "Rôle inconnu.", Fields: map[string]string{"role": roleField}}
		}
		up.Role = &role
	}
	up.Disabled = p.Disabled
	if up.Role == nil && up.Disabled == nil && !p.ResetPassword {
		return nil, "", surveys.Errorf(surveys.EINVALID, "Rien à changer : indiquez role, disabled ou reset_password.")
	}
	losesAdmin := target.Role == surveys.RoleAdmin && !target.Disabled &&
		(up.Role != nil && *up.Role != surveys.RoleAdmin || up.Disabled != nil && *up.Disabled)
	if losesAdmin {
		n, err := s.Store.CountActiveAdmins(ctx)
		if err != nil {
			return nil, "", err
		}
		if n <= 1 {
			return nil, "", surveys.Errorf(surveys.ECONFLICT, "C'est le dernier compte administrateur actif : nommez d'abord un autre administrateur.")
		}
	}
	var password string
	if p.ResetPassword {
		password = oneTimePassword()
		hash, err := surveys.HashPassword(password)
		if err != nil {
			return nil, "", err
		}
		must := true
		up.PasswordHash, up.MustChangePassword = &hash, &must
	}
	u, err := s.Store.UpdateUser(ctx, id, up)
	if err != nil {
		return nil, "", err
	}
	// The account is already refused on every request; this also forgets
	// the sessions and tokens, so that enabling it again revives none.
	keep := ""
	if id == currentUser(c).ID {
		keep = currentSession(c)
	}
	if u.Disabled || p.ResetPassword {
		if err := s.Store.DeleteSessionsOf(ctx, id, keep); err != nil {
			return nil, "", err
		}
	}
	if u.Disabled || p.ResetPassword {
		if err := s.Store.DeleteTokensOf(ctx, id); err != nil {
			return nil, "", err
		}
	}
	s.Logger.Info("user changed", "by", currentUser(c).ID, "user", id, "role", u.Role, "disabled", u.Disabled, "password_reset", p.ResetPassword)
	return u, password, nil
}
