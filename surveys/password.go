package surveys

import (
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// PasswordMatches tells whether pw is the user's password.
func (u *User) PasswordMatches(pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)) == nil
}

// dummyHash is made on the first login with an unknown e-mail, not at
// start: bcrypt takes tens of milliseconds, which every start (and every
// healthcheck process) would pay.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("declic-dummy-password"), bcrypt.DefaultCost)
	return h
})

// SpendPasswordCheck does the work of checking pw against a hash, for an
// unknown e-mail, so that it takes as long as a wrong password.
func SpendPasswordCheck(pw string) {
	bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
}
