package surveys

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role decides what a user may see and do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin       Role = "admin"
	RoleManager     Role = "manager"
	RoleFacilitator Role = "facilitator"
)

// Roles lists the roles in the order pages show them.
var Roles = []Role{RoleAdmin, RoleManager, RoleFacilitator}

// ParseRole accepts the three role names.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleAdmin, RoleManager, RoleFacilitator:
		return r, true
	}
	return "", false
}

// SeesAll reports whether the role sees every workshop, not only its own.
func (r Role) SeesAll() bool { return r == RoleAdmin || r == RoleManager }

// ManagesUsers reports whether the role creates, changes and disables accounts.
func (r Role) ManagesUsers() bool { return r == RoleAdmin }

// Label is the role's French name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrateur·rice"
	case RoleManager:
		return "Responsable de programme"
	case RoleFacilitator:
		return "Animateur·rice"
	}
	return string(r)
}

// User is a staff member or volunteer who logs in. Pupils are never users.
type User struct {
	ID           string `json:"id"`
	Email        string `json:"email"`
	Role         Role   `json:"role"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
	// MustChangePassword is set on accounts created or reset by an admin:
	// the one-time password works only to choose a new one.
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

// UserUpdate changes some fields of a user; nil fields stay as they are.
type UserUpdate struct {
	Role               *Role
	Disabled           *bool
	PasswordHash       *string
	MustChangePassword *bool
}

// NormalizeEmail lower-cases and checks an address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", false
	}
	return s, true
}

// Password length bounds. bcrypt reads at most 72 bytes, so longer
// passwords would silently lose their end.
const (
	MinPassword = 10
	MaxPassword = 72
)

// CheckPassword tells what is wrong with a new password, in French, or "".
func CheckPassword(pw string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPassword:
		return "10 caractères au moins"
	case len(pw) > MaxPassword:
		return "72 octets au plus (environ 70 caractères)"
	}
	return ""
}

// Session is a login. Only the SHA-256 of its token is stored, so a read of
// the database does not give working tokens.
type Session struct {
	ID        string    `json:"-"`
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Token is an API token a user made for a script. Like sessions, only the
// SHA-256 of the secret is stored; the secret is shown once.
type Token struct {
	ID     string `json:"id"`
	Hash   string `json:"-"`
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	// CreatedOn and LastUsedOn are days (YYYY-MM-DD): enough to spot an
	// unused token without keeping a trail of each request.
	CreatedOn  string `json:"created_on"`
	LastUsedOn string `json:"last_used_on,omitempty"`
	// ExpiresOn is the last day the token works (YYYY-MM-DD); "" never.
	ExpiresOn string `json:"expires_on,omitempty"`
}

// MaxTokens bounds the tokens of one user.
const MaxTokens = 20

// Validate trims and checks the name a user gives a token.
func (t *Token) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return &Error{Code: EINVALID, Message: "Le jeton n'est pas valide.", Fields: map[string]string{"name": "donnez un nom au jeton"}}
	case utf8.RuneCountInString(t.Name) > 80:
		return &Error{Code: EINVALID, Message: "Le jeton n'est pas valide.", Fields: map[string]string{"name": "80 caractères au plus"}}
	}
	return nil
}
