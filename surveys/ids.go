package surveys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// NewID is a random identifier for a workshop, questionnaire, user or
// token: 24 hex digits, like a MongoDB ObjectID but unordered, so that it
// tells nothing of when it was made.
func NewID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ResponseID is a response's ID, derived from its submission ID so that
// every store finds a retried submission by its primary key.
func ResponseID(submissionID string) string {
	sum := sha256.Sum256([]byte("declic-response\x00" + submissionID))
	return hex.EncodeToString(sum[:12])
}
