package surveys

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Pseudonymizer turns participant codes into keyed hashes. The key never
// leaves the server, so a leaked database does not reveal codes, and the
// workshop id in the hash keeps one pupil's workshops unlinkable.
type Pseudonymizer struct{ key []byte }

// NewPseudonymizer returns a Pseudonymizer with a secret key of 32 bytes or more.
func NewPseudonymizer(key []byte) *Pseudonymizer { return &Pseudonymizer{key: key} }

// Participant is the stored pseudonym of code within one workshop.
func (p *Pseudonymizer) Participant(workshopID, code string) string {
	return p.mac("participant", workshopID, code)
}

// DeviceToken is what a pupil's device remembers: derived from the
// self-generated code answers, so answering them again on another device
// gives the same token.
func (p *Pseudonymizer) DeviceToken(answers ...string) string {
	for i, a := range answers {
		answers[i] = normalizeCodeAnswer(a)
	}
	return p.mac("device", answers...)[:32]
}

func (p *Pseudonymizer) mac(purpose string, parts ...string) string {
	h := hmac.New(sha256.New, p.key)
	h.Write([]byte(purpose))
	for _, s := range parts {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalizeCodeAnswer forgives case, accents and spaces: "é" and "E" match.
func normalizeCodeAnswer(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}
