package handlers

import (
	"crypto/rand"
	"net/http"
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
	hash, err := HashPassword(password)
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
// revokes its tokens; a reset gives a new one-time password.
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
		hash, err := HashPassword(password)
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
	if u.Disabled {
		if err := s.Store.DeleteTokensOf(ctx, id); err != nil {
			return nil, "", err
		}
	}
	s.Logger.Info("user changed", "by", currentUser(c).ID, "user", id, "role", u.Role, "disabled", u.Disabled, "password_reset", p.ResetPassword)
	return u, password, nil
}

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

// renderUsers shows the user management page; extra carries what the last
// action left to show (a one-time password, an error).
func (s *server) renderUsers(c *gin.Context, status int, extra gin.H) {
	us, err := s.Store.Users(c.Request.Context())
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Users": us, "Roles": surveys.Roles, "Form": userRequest{Role: string(surveys.RoleFacilitator)}}
	for k, v := range extra {
		data[k] = v
	}
	s.render(c, status, "staff/users", data)
}

func (s *server) usersPage(c *gin.Context) { s.renderUsers(c, http.StatusOK, nil) }

func (s *server) createUserPage(c *gin.Context) {
	req := userRequest{Email: c.PostForm("email"), Role: c.PostForm("role")}
	u, password, err := s.createUser(c, req)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == surveys.ECONFLICT {
			s.renderUsers(c, statusOf[code], gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err), "Form": req})
			return
		}
		s.pageFail(c, err)
		return
	}
	// The password is in this answer only, never in a URL or a log.
	s.renderUsers(c, http.StatusOK, gin.H{"Created": userView{User: u, Password: password}})
}

func (s *server) changeUserPage(c *gin.Context) {
	var p userPatch
	yes, no := true, false
	switch c.PostForm("action") {
	case "role":
		role := c.PostForm("role")
		p.Role = &role
	case "disable":
		p.Disabled = &yes
	case "enable":
		p.Disabled = &no
	case "reset":
		p.ResetPassword = true
	default:
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Action inconnue."))
		return
	}
	u, password, err := s.changeUser(c, c.Param("id"), p)
	if err != nil {
		if code := surveys.ErrorCode(err); code == surveys.EINVALID || code == surveys.ECONFLICT {
			s.renderUsers(c, statusOf[code], gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err)})
			return
		}
		s.pageFail(c, err)
		return
	}
	if password != "" {
		s.renderUsers(c, http.StatusOK, gin.H{"Created": userView{User: u, Password: password}, "Reset": true})
		return
	}
	if u.ID == currentUser(c).ID && (u.Disabled || !u.Role.ManagesUsers()) {
		c.Redirect(http.StatusSeeOther, "/app") // no longer theirs to see
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/users")
}
