package surveys

import (
	"fmt"
	"math"
	"strings"

	"declic/surveys/fr"
)

// MinPairsToConclude is the number of matched pupils under which Déclic
// gives no p-value and says there is too little data.
const MinPairsToConclude = 5

// EffectWords names |d_z| with the usual thresholds (0.2, 0.5, 0.8).
func EffectWords(dz float64) string {
	switch a := math.Abs(dz); {
	case a < 0.2:
		return "un effet négligeable"
	case a < 0.5:
		return "un petit effet"
	case a < 0.8:
		return "un effet moyen"
	}
	return "un effet important"
}

// reading says in plain French what the paired comparison shows. binary
// items (quiz, yes/no) speak of shares; others of points on their scale.
// p is the p-value to report (Holm-adjusted for items), mcnemar for binary.
func reading(p Paired, lo, hi float64, binary bool, pValue *float64) string {
	if p.N == 0 {
		return "Aucun jeune n'a répondu avant et après : pas de comparaison possible pour l'instant."
	}
	who := fmt.Sprintf("Sur les %d jeunes qui ont répondu avant et après", p.N)
	if p.N == 1 {
		who = "Sur le seul jeune qui a répondu avant et après"
	}
	return readingFor(who, p, lo, hi, binary, pValue)
}

// retroReading is the reading of a retrospective item, where each pupil
// rated, at the end, how they were before and how they are now.
func retroReading(p Paired, lo, hi float64, pValue *float64) string {
	if p.N == 0 {
		return "Aucun jeune n'a encore dit, en fin d'atelier, où il en était avant et où il en est aujourd'hui."
	}
	who := fmt.Sprintf("Avec le recul, sur les %d jeunes qui ont comparé en fin d'atelier avant et aujourd'hui", p.N)
	if p.N == 1 {
		who = "Avec le recul, sur le seul jeune qui a comparé en fin d'atelier avant et aujourd'hui"
	}
	return readingFor(who, p, lo, hi, false, pValue)
}

func readingFor(who string, p Paired, lo, hi float64, binary bool, pValue *float64) string {
	var b strings.Builder
	if binary {
		fmt.Fprintf(&b, "%s, %d %s la bonne réponse (ou « oui ») après et pas avant, %d l'inverse. La part passe de %s à %s.",
			who, p.Improved, fr.Plural(p.Improved, "donne", "donnent"), p.Declined,
			fr.Percent(deref(p.MeanPre)), fr.Percent(deref(p.MeanPost)))
	} else {
		fmt.Fprintf(&b, "%s, %d %s progressé, %d %s pas changé, %d %s reculé. Le changement moyen est de %s %s sur une échelle de %s à %s",
			who, p.Improved, fr.Plural(p.Improved, "a", "ont"), p.Unchanged, fr.Plural(p.Unchanged, "n'a", "n'ont"),
			p.Declined, fr.Plural(p.Declined, "a", "ont"), fr.Signed(deref(p.MeanDiff), 1), fr.PluralOf(deref(p.MeanDiff), 1, "point", "points"), fr.Number(lo, 0), fr.Number(hi, 0))
		if p.EffectSizeDz != nil {
			b.WriteString(" : " + EffectWords(*p.EffectSizeDz))
		}
	}
	if p.N < MinPairsToConclude {
		if !binary {
			b.WriteString(".")
		}
		b.WriteString(" Trop peu de réponses appariées pour conclure.")
		return b.String()
	}
	var verdict string
	switch {
	case pValue == nil:
		verdict = "pas de test possible (aucune variation)."
	case *pValue < 0.05:
		verdict = "peu probable par hasard (" + fr.PText(*pValue) + ")."
	default:
		verdict = "qui pourrait être dû au hasard (" + fr.PText(*pValue) + ")."
	}
	if binary {
		if pValue != nil {
			verdict = "un changement " + verdict
		}
		b.WriteString(" " + strings.ToUpper(verdict[:1]) + verdict[1:])
	} else {
		b.WriteString(", " + verdict)
	}
	return b.String()
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// HowToRead is the short note shown beside results.
const HowToRead = `Chaque jeune est comparé à lui-même : sa réponse d'avant et sa réponse d'après sont reliées par son code secret, sans nom. « Progressé » veut dire un score plus haut après (pour une question formulée à l'envers, le score est inversé). La taille de l'effet (d de Cohen pour données appariées) se lit ainsi : moins de 0,2 négligeable, 0,2 petit, 0,5 moyen, 0,8 important. « Peu probable par hasard » veut dire p < 0,05 après correction de Holm pour le nombre de questions. Une question rétrospective est posée seulement à la fin : chaque jeune y dit où il en était avant l'atelier et où il en est aujourd'hui, avec le même regard sur les deux. En dessous de 5 jeunes appariés, Déclic ne conclut pas.`
