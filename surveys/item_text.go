package surveys

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"unicode/utf8"
)

// FreeText is free text, at most MaxTextAnswer characters; not scored.
const FreeText ItemType = "text"

func init() { register(FreeText, freeText{}, traits{label: "Texte libre", rank: 6}) }

type freeText struct{}

func (freeText) check(it *Item) string { return checkNoExtras(it) }

func (freeText) decode(_ *Item, v any) (Answer, string) {
	s, ok := v.(string)
	if !ok {
		return Answer{}, "un texte est attendu"
	}
	if !utf8.ValidString(s) {
		return Answer{}, "texte illisible (encodage)"
	}
	if strings.ContainsFunc(s, controlRune) {
		return Answer{}, "texte illisible (caractère de contrôle)"
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return Answer{}, ""
	}
	if utf8.RuneCountInString(s) > MaxTextAnswer {
		return Answer{}, fmt.Sprintf("%d caractères au plus", MaxTextAnswer)
	}
	return TextAnswer(s), ""
}

func (freeText) fromForm(it *Item, form url.Values) any { return firstValue(form, FormField(it.Key)) }
func (freeText) score(*Item, Answer) (float64, bool)    { return 0, false }
func (freeText) choices(*Item) []Choice                 { return nil }
func (freeText) columns(it *Item) []Column              { return oneColumn(it) }

// exampleTexts are what pupils write at the end of a workshop, for demo data.
var exampleTexts = []string{
	"J'ai appris plein de choses sur les autres pays.",
	"Le jeu de rôle m'a fait réfléchir à ma façon de consommer.",
	"J'ai aimé débattre avec les autres, même quand on n'était pas d'accord.",
	"Je ne savais pas que les droits de l'enfant existaient partout dans le monde.",
	"Un peu long, mais intéressant.",
	"Je vais en parler à ma famille.",
	"Ça m'a donné envie de m'engager dans une association.",
	"On devrait faire ça plus souvent en classe.",
	"J'ai compris que mes choix ont un impact loin d'ici.",
	"Rien de spécial.",
}

func (freeText) example(_ *Item, rng *rand.Rand, _, _ float64) Answer {
	if rng.Float64() < 0.45 {
		return TextAnswer(exampleTexts[rng.IntN(len(exampleTexts))])
	}
	return Answer{}
}
