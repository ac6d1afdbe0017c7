package surveys

import (
	"fmt"
	"math"
	"strings"

	"declic/surveys/fr"
	"declic/surveys/stats"
)

// MinPairsToConclude is the number of matched pupils under which Déclic
// gives no p-value and says there is too little data.
const MinPairsToConclude = 5

// TypicalEffect is the effect d_z that programmes like these usually reach:
// a result whose detectable effect is larger than this is « non concluant »
// rather than "no effect".
const TypicalEffect = 0.3

// MinAlpha is the Cronbach's alpha on PRE under which a scale's items do
// not measure one thing well enough for its score to be read.
const MinAlpha = 0.6

// PairsForTypicalEffect is how many pairs detect TypicalEffect with 80 %
// power at α = 0.05 (R's power.t.test, rounded up).
func PairsForTypicalEffect() int {
	if n := stats.PairsNeeded(TypicalEffect); n != nil {
		return *n
	}
	return 0
}

// formatP is the p every sentence quotes: the adjusted one the tables show.
func formatP(p float64) string {
	s := fr.P(p)
	if strings.HasPrefix(s, "<") || strings.HasPrefix(s, ">") {
		return "p corrigé " + s
	}
	return "p corrigé" + fr.NBSP + "=" + fr.NBSP + s
}

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

// answerKind says how a reading speaks of an item's answers.
type answerKind uint8

const (
	pointsKind  answerKind = iota // points on a min..max scale
	correctKind                   // right answers to a knowledge question
	yesKind                       // « oui » to a yes/no question
)

// kindOf picks the words of an item's reading from its traits.
func kindOf(it *Item) answerKind {
	switch {
	case it == nil || !it.Binary():
		return pointsKind
	case it.HasOptions():
		return correctKind
	}
	return yesKind
}

// reading says in plain French what the paired comparison shows. pValue
// is the p the tables beside it show: Holm-adjusted over the items, or
// over the scales for a scale.
func reading(p Paired, lo, hi float64, kind answerKind, pValue *float64) string {
	if p.N == 0 {
		return "Aucun jeune n'a répondu avant et après : pas de comparaison possible pour l'instant."
	}
	who := fmt.Sprintf("Sur les %d jeunes qui ont répondu avant et après", p.N)
	if p.N == 1 {
		who = "Sur le seul jeune qui a répondu avant et après"
	}
	return readingFor(who, p, lo, hi, kind, pValue)
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
	return readingFor(who, p, lo, hi, pointsKind, pValue)
}

func readingFor(who string, p Paired, lo, hi float64, kind answerKind, pValue *float64) string {
	var b strings.Builder
	if kind == pointsKind {
		fmt.Fprintf(&b, "%s, %d %s progressé, %d %s pas changé, %d %s reculé. ",
			who, p.Improved, fr.Plural(p.Improved, "a", "ont"), p.Unchanged, fr.Plural(p.Unchanged, "n'a", "n'ont"),
			p.Declined, fr.Plural(p.Declined, "a", "ont"))
		if p.Improved == 0 && p.Declined == 0 {
			b.WriteString("Personne n'a changé de réponse.")
			return b.String()
		}
		fmt.Fprintf(&b, "Le changement moyen est de %s %s sur une échelle de %s à %s.",
			fr.Signed(deref(p.MeanDiff), 1), fr.PluralOf(deref(p.MeanDiff), 1, "point", "points"), fr.Number(lo, 0), fr.Number(hi, 0))
	} else {
		share := "la part de bonnes réponses"
		gave := fr.Plural(p.Improved, "donne", "donnent") + " la bonne réponse"
		if kind == yesKind {
			share = "la part de « oui »"
			gave = fr.Plural(p.Improved, "répond", "répondent") + " « oui »"
		}
		before, after := fr.Percent(deref(p.MeanPre)), fr.Percent(deref(p.MeanPost))
		if p.Improved == 0 && p.Declined == 0 {
			fmt.Fprintf(&b, "%s, personne n'a changé de réponse : %s reste de %s.", who, share, before)
			return b.String()
		}
		fmt.Fprintf(&b, "%s, %d %s après et pas avant, %d l'inverse. ", who, p.Improved, gave, p.Declined)
		if before == after {
			fmt.Fprintf(&b, "%s reste de %s.", capitalize(share), before)
		} else {
			fmt.Fprintf(&b, "%s passe de %s à %s.", capitalize(share), before, after)
		}
	}
	b.WriteString(" " + verdict(p, pValue))
	return b.String()
}

// verdict judges a paired change with the p the table shows, and says
// « non concluant » rather than "no effect" when too few pairs could have
// seen an effect of the usual size.
func verdict(p Paired, pValue *float64) string {
	switch {
	case p.N < MinPairsToConclude:
		return "Trop peu de réponses appariées pour conclure."
	case pValue == nil:
		return "Pas de test possible : tous les écarts sont identiques."
	case *pValue < 0.05:
		effect := "un changement"
		if p.EffectSizeDz != nil {
			effect = EffectWords(*p.EffectSizeDz)
		}
		return fmt.Sprintf("C'est %s, peu probable par hasard (%s).", effect, formatP(*pValue))
	case p.CI95 != nil && (p.CI95[0] > 0 || p.CI95[1] < 0):
		// Significant alone, not once the number of questions is counted.
		return fmt.Sprintf("Ce changement pourrait être dû au hasard, compte tenu du nombre de questions (%s).", formatP(*pValue))
	case p.MDEDz != nil && *p.MDEDz > TypicalEffect:
		return fmt.Sprintf("Résultat non concluant (%s) : avec %d jeunes appariés, seul un effet d'au moins %s (d de Cohen apparié) avait 80\u00a0%% de chances d'être repéré ; un effet plus petit, comme ceux qu'on attend souvent d'un atelier (autour de %s), peut passer inaperçu.",
			formatP(*pValue), p.N, fr.Number(*p.MDEDz, 2), fr.Number(TypicalEffect, 1))
	}
	return fmt.Sprintf("Pas de changement net (%s) : avec %d jeunes appariés, un effet de %s aurait eu au moins 80\u00a0%% de chances d'être repéré.",
		formatP(*pValue), p.N, fr.Number(TypicalEffect, 1))
}

// unreliableReading replaces a scale's reading when its items do not hang
// together on PRE: its score is not judged.
func unreliableReading(alpha float64) string {
	return fmt.Sprintf("Les questions de cette échelle ne mesurent pas assez une même chose chez ces jeunes (α de Cronbach avant l'atelier = %s, sous le seuil de %s) : son score n'est pas interprété. Lisez plutôt les questions une à une.",
		fr.Number(alpha, 2), fr.Number(MinAlpha, 1))
}

// attritionWarning is shown when the pupils who could not be paired
// started elsewhere than those who were.
func attritionWarning(a *Attrition, lo, hi float64, kind answerKind) string {
	mean := func(v *float64) string {
		if kind != pointsKind {
			return fr.Percent(deref(v))
		}
		return fr.Number(deref(v), 1)
	}
	what := "une moyenne de"
	if kind == correctKind {
		what = "une part de bonnes réponses de"
	} else if kind == yesKind {
		what = "une part de « oui » de"
	}
	scale := ""
	if kind == pointsKind {
		scale = fmt.Sprintf(" (échelle de %s à %s)", fr.Number(lo, 0), fr.Number(hi, 0))
	}
	return fmt.Sprintf("Attention : avant l'atelier, les %d jeunes qui n'ont pas pu être appariés avaient %s %s, contre %s pour les %d jeunes appariés%s, un écart de %s écart-type. L'évolution mesurée vaut surtout pour les jeunes qui ont répondu les deux fois.",
		a.NUnpaired, what, mean(a.MeanUnpaired), mean(a.MeanPaired), a.NPaired, scale, fr.Number(math.Abs(deref(a.D)), 2))
}

// shiftReading says how the pupils' view of their starting point moved
// between the start (PRE) and the end (the "before" of a retrospective
// item). It judges by the 95 % interval, which the table shows beside it.
func shiftReading(p Paired, lo, hi float64) string {
	if p.N == 0 {
		return "Aucun jeune apparié n'a répondu à la fois à la question du début et à la question rétrospective."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Sur les %d jeunes appariés qui ont répondu aux deux, la note d'« avant » donnée en fin d'atelier est en moyenne de %s, contre %s dans leur réponse du début (échelle de %s à %s) : un décalage de %s point.",
		p.N, fr.Number(deref(p.MeanPost), 1), fr.Number(deref(p.MeanPre), 1), fr.Number(lo, 0), fr.Number(hi, 0), fr.Signed(deref(p.MeanDiff), 1))
	switch {
	case p.N < MinPairsToConclude:
		b.WriteString(" Trop peu de réponses pour conclure.")
	case p.CI95 != nil && p.CI95[1] < 0:
		b.WriteString(" Avec le recul, les jeunes estiment qu'ils partaient de plus bas qu'ils ne le disaient au début : la comparaison avant / après sous-estime sans doute le changement.")
	case p.CI95 != nil && p.CI95[0] > 0:
		b.WriteString(" Avec le recul, les jeunes estiment qu'ils partaient de plus haut qu'ils ne le disaient au début : la comparaison avant / après surestime peut-être le changement.")
	default:
		b.WriteString(" Pas de décalage net entre les deux regards sur le point de départ.")
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// HowToRead is the short note shown beside results.
const HowToRead = `Chaque jeune est comparé à lui-même : sa réponse d'avant et sa réponse d'après sont reliées par son code secret, sans nom. « Progressé » veut dire un score plus haut après (pour une question formulée à l'envers, le score est inversé). La taille de l'effet (d de Cohen pour données appariées, d_z) se lit ainsi : moins de 0,2 négligeable, 0,2 petit, 0,5 moyen, 0,8 important. Toutes les phrases et tous les tableaux citent le même p : celui du test t apparié, corrigé par la méthode de Holm pour le nombre de questions (et, pour les échelles, pour le nombre d'échelles). « Peu probable par hasard » veut dire p corrigé < 0,05. « Non concluant » veut dire que le nombre de jeunes appariés ne permettait de repérer qu'un effet plus grand que 0,3, la taille habituelle des effets de ces ateliers : l'absence de preuve n'est pas la preuve d'une absence d'effet. Une échelle dont les questions ne mesurent pas une même chose (α de Cronbach avant l'atelier sous 0,6) n'est pas interprétée. Une question rétrospective est posée seulement à la fin : chaque jeune y dit où il en était avant l'atelier et où il en est aujourd'hui, avec le même regard sur les deux. En dessous de 5 jeunes appariés, Déclic ne conclut pas.`
