package surveys

import (
	"net/mail"
	"strings"
	"time"
)

// Role decides what a user may see and do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin       Role = "admin"
	RoleManager     Role = "manager"
	RoleFacilitator Role = "facilitator"
)

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

// User is a staff member or volunteer who logs in. Pupils are never users.
type User struct {
	ID           string    `json:"id" bson:"_id"`
	Email        string    `json:"email" bson:"email"`
	Role         Role      `json:"role" bson:"role"`
	PasswordHash string    `json:"-" bson:"password_hash"`
	Disabled     bool      `json:"disabled" bson:"disabled"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
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

// Session is a login. Only the SHA-256 of its token is stored, so a read of
// the database does not give working tokens.
type Session struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"user_id"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}
