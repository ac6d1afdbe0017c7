package charts

import (
	"fmt"
	"strings"

	"declic/surveys/stats"
)

// Fixtures worded as the built-in questionnaires are, long ones included.

var agreement = []string{
	"1 · Pas du tout d'accord", "2 · Plutôt pas d'accord", "3 · Ni d'accord ni pas d'accord",
	"4 · Plutôt d'accord", "5 · Tout à fait d'accord",
}

var likertSample = Likert{
	Title: "Réponses avant / après — atelier « Objectifs de développement durable »",
	Items: []LikertItem{
		{Label: "Je pourrais expliquer à quelqu'un ce que sont les ODD (Objectifs de développement durable).", Answers: agreement, Pre: []int{5, 6, 4, 2, 1}, Post: []int{0, 2, 3, 8, 4}},
		{Label: "Ce que je fais au quotidien peut avoir un effet positif sur le monde.", Answers: agreement, Pre: []int{1, 3, 6, 5, 3}, Post: []int{0, 1, 4, 7, 5}},
		{Label: "Les problèmes du monde sont trop grands pour que mes actions servent à quelque chose.", Reverse: true, Answers: agreement, Pre: []int{2, 4, 5, 4, 3}, Post: []int{5, 6, 3, 2, 1}},
		{Label: "Les jeunes peuvent faire changer les choses autour d'eux.", Answers: agreement, Pre: []int{0, 1, 3, 8, 6}, Post: []int{0, 0, 2, 7, 8}},
		{Label: "Sur une échelle de 0 à 10, à quel point te sens-tu concerné·e par ce qui se passe dans le monde ?",
			Answers: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
			Pre:     []int{1, 0, 1, 2, 2, 4, 3, 2, 2, 1, 0}, Post: []int{0, 0, 0, 1, 1, 3, 3, 4, 3, 1, 1}},
	},
}

var changeSample = Change{
	Title: "Qui a progressé ? — Collège Jean Macé, 4e B",
	Rows: []ChangeRow{
		{Label: "Je pourrais expliquer à quelqu'un ce que sont les ODD (Objectifs de développement durable).", Improved: 11, Unchanged: 4, Declined: 1},
		{Label: "Ce que je fais au quotidien peut avoir un effet positif sur le monde.", Improved: 6, Unchanged: 8, Declined: 2},
		{Label: "Les problèmes du monde sont trop grands pour que mes actions servent à quelque chose. (score inversé)", Improved: 7, Unchanged: 5, Declined: 4},
		{Label: "Combien y a-t-il d'Objectifs de développement durable (ODD) ?", Improved: 9, Unchanged: 7, Declined: 0},
		{Label: "Échelle : Sentiment de pouvoir agir", Improved: 12, Unchanged: 1, Declined: 3},
		{Label: "Question sans paire", Improved: 0, Unchanged: 0, Declined: 0},
	},
}

var knowledgeSample = Knowledge{
	Title: "Bonnes réponses — atelier « Droits de l'enfant »",
	Items: []KnowledgeItem{
		{Label: "Pour la Convention internationale des droits de l'enfant (CIDE), qui est un enfant ?", Pre: ptr(0.44), Post: ptr(0.82), NPre: 18, NPost: 17},
		{Label: "En quelle année l'ONU (Organisation des Nations unies) a-t-elle adopté la CIDE ?", Pre: ptr(0.17), Post: ptr(0.65), NPre: 18, NPost: 17},
		{Label: "Lequel de ces droits fait partie de la CIDE ?", Pre: ptr(0.72), Post: ptr(0.94), NPre: 18, NPost: 17},
		{Label: "Si les droits d'un enfant ne sont pas respectés, sais-tu à qui t'adresser pour demander de l'aide ? (part de « oui »)", Pre: ptr(0.5), Post: ptr(0.71), NPre: 18, NPost: 17},
	},
}

// ciChart's intervals are R's t.test(x)$conf.int for these means, SDs and
// n (stats.MeanCI95), as the results give them.
var ciChart = PrePost{
	Title: "Moyennes avant / après, avec intervalles de confiance",
	Bars: []Bar{
		{Label: "Je pourrais expliquer à quelqu'un ce que sont les ODD.", Pre: ptr(2.2), Post: ptr(3.6), CIPre: stats.MeanCI95(18, ptr(2.2), ptr(1.1)), CIPost: stats.MeanCI95(17, ptr(3.6), ptr(0.9)), NPre: 18, NPost: 17, Min: 1, Max: 5},
		{Label: "Les jeunes peuvent faire changer les choses autour d'eux.", Pre: ptr(4.1), Post: ptr(4.7), CIPre: stats.MeanCI95(18, ptr(4.1), ptr(0.8)), CIPost: stats.MeanCI95(17, ptr(4.7), ptr(0.6)), NPre: 18, NPost: 17, Min: 1, Max: 5},
		{Label: "Une seule réponse avant : pas d'intervalle.", Pre: ptr(3), Post: ptr(3.5), CIPre: nil, CIPost: stats.MeanCI95(6, ptr(3.5), ptr(1.2)), NPre: 1, NPost: 6, Min: 1, Max: 5},
		{Label: "Tout le monde a répondu pareil (écart-type nul) : pas d'intervalle.", Pre: ptr(4), Post: ptr(1.2), CIPre: stats.MeanCI95(5, ptr(4), ptr(0)), CIPost: stats.MeanCI95(3, ptr(1.2), ptr(3)), NPre: 5, NPost: 3, Min: 1, Max: 5},
	},
}

func manyLikert(n int) Likert {
	c := Likert{Title: fmt.Sprintf("%d questions", n)}
	for i := range n {
		c.Items = append(c.Items, LikertItem{
			Label:   fmt.Sprintf("Question %d : affirmation de test un peu longue pour voir comment elle passe à la ligne", i+1),
			Answers: agreement, Reverse: i%7 == 3,
			Pre: []int{i % 3, 2, 3, 4, i % 5}, Post: []int{0, 1, 2 + i%4, 5, 3},
		})
	}
	return c
}

func manyChange(n int) Change {
	c := Change{Title: fmt.Sprintf("%d questions", n)}
	for i := range n {
		c.Rows = append(c.Rows, ChangeRow{
			Label:    fmt.Sprintf("Question %d : affirmation de test un peu longue pour voir comment elle passe à la ligne", i+1),
			Improved: 3 + i%5, Unchanged: 4, Declined: i % 3,
		})
	}
	return c
}

func manyKnowledge(n int) Knowledge {
	c := Knowledge{Title: fmt.Sprintf("%d questions", n)}
	for i := range n {
		c.Items = append(c.Items, KnowledgeItem{
			Label: fmt.Sprintf("Quiz %d : question de connaissances un peu longue pour voir comment elle passe à la ligne", i+1),
			Pre:   ptr(float64(i%5) / 5), Post: ptr(float64(i%4+1) / 4), NPre: 30, NPost: 28,
		})
	}
	return c
}

var longQuestion = string([]rune(strings.Repeat("Je pense que les jeunes de mon âge peuvent agir pour un monde plus juste & solidaire <vraiment>. ", 4))[:300])

var likertEdge = Likert{
	Title: strings.Repeat("Titre très long d'un atelier qui n'en finit pas ", 4),
	Items: []LikertItem{
		{Label: longQuestion, Answers: agreement, Pre: []int{1, 0, 0, 0, 0}, Post: []int{0, 0, 0, 0, 7}},
		{Label: "Réponses sans libellés, deux de plus que de comptes", Pre: []int{3, -2, 5}, Post: []int{1, 1, 1, 1}},
		{Label: "Libellés très longs", Answers: []string{strings.Repeat("Vraiment pas du tout d'accord avec cette idée ", 3), "", strings.Repeat("Complètement et absolument d'accord ", 3)}, Pre: []int{2, 2, 2}, Post: []int{0, 0, 0}},
		{Label: "Anticonstitutionnellementanticonstitutionnellementanticonstitutionnellementanticonstitutionnellement", Answers: []string{"Non", "Oui"}, Pre: []int{4, 1}, Post: []int{1, 4}, Reverse: true},
		{Label: "", Answers: agreement},
	},
}

var changeEdge = Change{
	Title: "",
	Rows: []ChangeRow{
		{Label: longQuestion, Improved: 1},
		{Label: "Comptes négatifs", Improved: -3, Unchanged: 2, Declined: 1},
		{Label: "", Improved: 5, Unchanged: 5, Declined: 5},
		{Label: "Personne", Improved: 0},
	},
}
