package surveys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Code is a pupil's self-generated code (contract): answers they give the
// same way twice, that name no one. Mere is the first letter of their
// mother's (or carer's) first name, Jour and Mois their day and month of
// birth, Lettre2 the second letter of their own first name.
type Code struct {
	Mere    string `json:"mere"`
	Jour    int    `json:"jour"`
	Mois    int    `json:"mois"`
	Lettre2 string `json:"lettre2"`
}

// CodeElements names the code's elements in order, as the contract does.
var CodeElements = [4]string{"mere", "jour", "mois", "lettre2"}

// Check normalises the letters (upper case, accents dropped) and tells
// what is wrong with each element, keyed "code.mere", "code.jour", …
func (c *Code) Check() map[string]string {
	f := map[string]string{}
	var ok bool
	if c.Mere, ok = codeLetter(c.Mere); !ok {
		f["code.mere"] = "une seule lettre est attendue (la première lettre du prénom de ta mère ou de la personne qui t'élève)"
	}
	if c.Jour < 1 || c.Jour > 31 {
		f["code.jour"] = "le jour de naissance va de 1 à 31"
	}
	if c.Mois < 1 || c.Mois > 12 {
		f["code.mois"] = "le mois de naissance va de 1 à 12"
	}
	if ImpossibleDate(c.Jour, c.Mois) {
		// « 31 février » is a slip of the finger: the same pupil would type
		// another day at the end of the workshop, and lose the pair.
		f["code.jour"] = fmt.Sprintf("le %d/%d n'existe pas : vérifie le jour et le mois de naissance", c.Jour, c.Mois)
	}
	if c.Lettre2, ok = codeLetter(c.Lettre2); !ok {
		f["code.lettre2"] = "une seule lettre est attendue (la deuxième lettre de ton prénom)"
	}
	return f
}

// daysIn is the longest each month can be (29 February is a birthday).
var daysIn = [12]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// ImpossibleDate tells whether day and month are each in range but
// make no date, as 31/2.
func ImpossibleDate(day, month int) bool {
	return day >= 1 && day <= 31 && month >= 1 && month <= 12 && day > daysIn[month-1]
}

// parts are the code's elements as hashed, in CodeElements order.
func (c Code) parts() [4]string {
	return [4]string{c.Mere, strconv.Itoa(c.Jour), strconv.Itoa(c.Mois), c.Lettre2}
}

// String writes the code for reading back to the pupil: "M 12/03 A".
func (c Code) String() string {
	return fmt.Sprintf("%s %02d/%02d %s", c.Mere, c.Jour, c.Mois, c.Lettre2)
}

// codeLetter forgives case, accents and spaces: " é" is "E". It accepts
// exactly one letter.
func codeLetter(s string) (string, bool) {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	out := b.String()
	if utf8.RuneCountInString(out) != 1 {
		return out, false
	}
	r, _ := utf8.DecodeRuneInString(out)
	return out, unicode.IsLetter(r)
}

// Pseudonym is what a response keeps of its pupil: keyed hashes only.
type Pseudonym struct {
	Participant string
	CodeParts   []string // nil for an opaque participant
	Device      string
}

// Pseudonymizer turns codes into keyed hashes. The key never leaves the
// server, so a leaked database does not reveal codes, and the workshop id
// in every hash keeps one pupil's workshops unlinkable.
type Pseudonymizer struct {
	key []byte
	// macs keeps keyed HMACs for reuse: making one hashes the key twice,
	// and every answer takes six of them.
	macs sync.Pool
}

// NewPseudonymizer returns a Pseudonymizer with a secret key of 32 bytes or more.
func NewPseudonymizer(key []byte) *Pseudonymizer { return &Pseudonymizer{key: key} }

// partLength is how many hex digits of each element's hash are kept: 64
// bits, far more than a workshop needs to tell its pupils apart, and each
// element on its own has at most 31 values anyway.
const partLength = 16

// OfCode is the pseudonym of a checked code within one workshop.
func (p *Pseudonymizer) OfCode(workshopID string, c Code, device string) Pseudonym {
	parts := c.parts()
	ps := Pseudonym{
		Participant: p.mac("participant", workshopID, "code", parts[0], parts[1], parts[2], parts[3]),
		CodeParts:   make([]string, len(parts)),
		Device:      p.Device(workshopID, device),
	}
	for i, v := range parts {
		ps.CodeParts[i] = p.mac("part", workshopID, CodeElements[i], v)[:partLength]
	}
	return ps
}

// OfParticipant is the pseudonym of an opaque participant string, which
// pairs only on exact equality.
func (p *Pseudonymizer) OfParticipant(workshopID, participant, device string) Pseudonym {
	return Pseudonym{Participant: p.mac("participant", workshopID, "opaque", participant), Device: p.Device(workshopID, device)}
}

// Device is the keyed hash of a device id within a workshop; "" for none.
func (p *Pseudonymizer) Device(workshopID, device string) string {
	if device == "" {
		return ""
	}
	return p.mac("device", workshopID, device)[:32]
}

// Mark is a short keyed hash of parts, for what a phone remembers (that it
// answered a phase) without saying what.
func (p *Pseudonymizer) Mark(parts ...string) string {
	return p.mac("mark", parts...)[:16]
}

// Sign is value followed by a keyed hash of it for purpose ("value.mark"),
// for what the server hands a browser and must get back unchanged: a
// display time, the kiosk cookie. value holds no ".".
func (p *Pseudonymizer) Sign(purpose, value string) string {
	return value + "." + p.Mark(purpose, value)
}

// Verify returns the value of signed if Sign made it for purpose. The
// marks are compared in constant time, so that timing tells nothing of
// the right one.
func (p *Pseudonymizer) Verify(purpose, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '.')
	if i < 0 {
		return "", false
	}
	value, mark := signed[:i], signed[i+1:]
	if !hmac.Equal([]byte(mark), []byte(p.Mark(purpose, value))) {
		return "", false
	}
	return value, true
}

func (p *Pseudonymizer) mac(purpose string, parts ...string) string {
	h, _ := p.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, p.key)
	} else {
		h.Reset()
	}
	defer p.macs.Put(h)
	io.WriteString(h, purpose)
	for _, s := range parts {
		h.Write([]byte{0})
		io.WriteString(h, s)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// SealCode encrypts a code for the phone to remember it (a cookie): the
// pupil does not retype it at the end, and someone else holding the phone
// cannot read it.
func (p *Pseudonymizer) SealCode(c Code) string {
	aead := p.aead()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	parts := c.parts()
	plain := []byte(strings.Join(parts[:], "\x00"))
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte("declic-code")))
}

// OpenCode reads a code SealCode wrote; false for anything else.
func (p *Pseudonymizer) OpenCode(sealed string) (Code, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	aead := p.aead()
	if err != nil || len(raw) < aead.NonceSize() {
		return Code{}, false
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte("declic-code"))
	if err != nil {
		return Code{}, false
	}
	f := strings.Split(string(plain), "\x00")
	if len(f) != 4 {
		return Code{}, false
	}
	c := Code{Mere: f[0], Lettre2: f[3]}
	c.Jour, _ = strconv.Atoi(f[1])
	c.Mois, _ = strconv.Atoi(f[2])
	if len(c.Check()) > 0 {
		return Code{}, false
	}
	return c, true
}

func (p *Pseudonymizer) aead() cipher.AEAD {
	key := hmac.New(sha256.New, p.key)
	key.Write([]byte("cookie-key"))
	block, _ := aes.NewCipher(key.Sum(nil))
	aead, _ := cipher.NewGCM(block)
	return aead
}
