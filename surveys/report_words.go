package surveys

import "strings"

// profileNouns name the usual profile questions by what they ask.
var profileNouns = map[string]string{
	"age": "l'âge", "tranche_age": "l'âge", "genre": "le genre", "sexe": "le genre",
	"classe": "la classe", "niveau": "le niveau", "statut": "le statut",
}

// Title heads a breakdown in a report: « Selon l'âge », « Selon le
// genre », else « Selon la réponse à « … » » with the question's wording,
// its closing colon dropped.
func (b Breakdown) Title() string {
	if n, ok := profileNouns[b.Key]; ok {
		return "Selon " + n
	}
	text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(b.Text), ":"))
	return "Selon la réponse à « " + text + " »"
}
