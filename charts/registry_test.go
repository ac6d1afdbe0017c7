package charts

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"declic/surveys"
)

// registryResults is a workshop's results as the results builder gives
// them: a likert item, a reversed one, a quiz, a yes/no and a scale.
func registryResults() *surveys.Results {
	f := func(v float64) *float64 { return &v }
	ci := func(lo, hi float64) *[2]float64 { return &[2]float64{lo, hi} }
	return &surveys.Results{
		NPre: 12, NPost: 11, NPaired: 10,
		Items: []surveys.ItemResult{
			{Key: "q1", Type: surveys.Likert, Text: "Je peux agir.", Min: 1, Max: 5,
				Pre:    surveys.PhaseSummary{N: 12, Mean: f(2.5), SD: f(1), CI95: ci(1.86, 3.14), Counts: map[string]int{"1": 2, "2": 4, "3": 4, "4": 2, "5": 0}},
				Post:   surveys.PhaseSummary{N: 11, Mean: f(3.4), SD: f(1), CI95: ci(2.73, 4.07), Counts: map[string]int{"1": 0, "2": 2, "3": 4, "4": 3, "5": 2}},
				Paired: surveys.Paired{N: 10, Improved: 6, Unchanged: 3, Declined: 1}},
			{Key: "q2", Type: surveys.Likert, Text: "Les problèmes sont trop grands pour moi.", Min: 1, Max: 5, Reverse: true,
				Pre:    surveys.PhaseSummary{N: 12, Mean: f(2.8), Counts: map[string]int{"1": 0, "2": 1, "3": 2, "4": 3, "5": 6}},
				Post:   surveys.PhaseSummary{N: 11, Mean: f(3.9), Counts: map[string]int{"1": 5, "2": 3, "3": 2, "4": 1, "5": 0}},
				Paired: surveys.Paired{N: 10, Improved: 7, Unchanged: 2, Declined: 1}},
			{Key: "k1", Type: surveys.Quiz, Text: "Combien d'ODD ?", Min: 0, Max: 1,
				Pre: surveys.PhaseSummary{N: 12, Mean: f(0.25)}, Post: surveys.PhaseSummary{N: 11, Mean: f(0.8)}},
			{Key: "y1", Type: surveys.YesNo, Text: "Connais-tu une association ?", Min: 0, Max: 1,
				Pre: surveys.PhaseSummary{N: 12, Mean: f(0.5)}, Post: surveys.PhaseSummary{N: 11, Mean: f(0.6)}},
		},
		Scales: []surveys.ScaleResult{{Key: "agir", Title: "Pouvoir agir", Min: 1, Max: 5,
			Pre: surveys.PhaseSummary{N: 12, Mean: f(2.6)}, Post: surveys.PhaseSummary{N: 11, Mean: f(3.6)},
			Paired: surveys.Paired{N: 10, Improved: 8, Unchanged: 1, Declined: 1}}},
	}
}

func TestRegistryRendersEveryChart(t *testing.T) {
	caption := "Source : questionnaires avant/après Déclic, n = 10 jeunes appariés (12 avant, 11 après), atelier « Test » le 12 mars 2026. Association Solidarités Lille, produit le 29 novembre 2026."
	d := Data{Results: registryResults(), Caption: caption}
	says := map[string][]string{
		"prepost":   {"Je peux agir.", "Échelle : Pouvoir agir", "Intervalle de confiance à 95 % de la moyenne"},
		"change":    {"n = 10 jeunes appariés (ont répondu avant et après)", "Les problèmes sont trop grands pour moi. (score inversé)"},
		"likert":    {"Je peux agir.", "1", ReverseNote},
		"knowledge": {"Combien d'ODD ?", "Connais-tu une association ? (part de «\u00a0oui\u00a0»)"},
	}
	var names []string
	for _, ch := range All() {
		names = append(names, ch.Name)
		if ch.File == "" || ch.Title == "" {
			t.Errorf("chart %s has no file name or title", ch.Name)
		}
		var svg, plain bytes.Buffer
		if err := Render(&svg, ch.Name, d, SVG, 1); err != nil {
			t.Fatalf("Render(%s): %v", ch.Name, err)
		}
		texts := strings.Join(svgTexts(svg.String()), " ")
		for _, want := range append(says[ch.Name], "Source : questionnaires avant/après Déclic", "produit le 29 novembre 2026.") {
			if !strings.Contains(texts, want) {
				t.Errorf("%s does not say %q; it says %q", ch.Name, want, texts)
			}
		}
		// The caption is part of the picture, under the chart.
		if err := Render(&plain, ch.Name, Data{Results: d.Results}, SVG, 1); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plain.String(), "Source :") {
			t.Errorf("%s without a caption draws one", ch.Name)
		}
		var withPNG, withoutPNG bytes.Buffer
		if err := Render(&withPNG, ch.Name, d, PNG, 1); err != nil {
			t.Fatal(err)
		}
		if err := Render(&withoutPNG, ch.Name, Data{Results: d.Results}, PNG, 1); err != nil {
			t.Fatal(err)
		}
		a, errA := png.Decode(&withPNG)
		b, errB := png.Decode(&withoutPNG)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if a.Bounds().Dy() <= b.Bounds().Dy() || a.Bounds().Dx() != 900 {
			t.Errorf("%s: %v with a caption, %v without: want the same width, taller with it", ch.Name, a.Bounds(), b.Bounds())
		}
	}
	if got := strings.Join(names, " "); got != "prepost change likert knowledge" {
		t.Errorf("registry = %s", got)
	}
	if err := Render(&bytes.Buffer{}, "camembert", d, PNG, 1); surveys.ErrorCode(err) != surveys.ENOTFOUND ||
		!strings.Contains(surveys.ErrorMessage(err), "prepost, change, likert, knowledge") {
		t.Errorf("unknown chart: %v", err)
	}
	if err := Render(&bytes.Buffer{}, "prepost", Data{}, SVG, 1); err != nil {
		t.Errorf("chart of no results: %v", err)
	}
}

// A reversed question's favourable answers are its low ones: they are
// drawn on the right, in the favourable (blue) colours, like the high
// answers of the other questions.
func TestLikertReversedItemFavourableColours(t *testing.T) {
	c := Likert{Items: []LikertItem{
		{Label: "droite", Answers: agreement, Pre: []int{1, 1, 1, 1, 1}, Post: []int{0, 0, 0, 1, 4}},
		{Label: "envers", Answers: agreement, Reverse: true, Pre: []int{1, 1, 1, 1, 1}, Post: []int{4, 1, 0, 0, 0}},
	}}
	sc := likertStack(c)
	if len(sc.groups) != 2 {
		t.Fatalf("%d legend groups, want one for each direction", len(sc.groups))
	}
	straight, reversed := sc.groups[0], sc.groups[1]
	if got := reversed.legend[len(reversed.legend)-1]; got.text != agreement[0] || got.color != colorPosStrong {
		t.Errorf("reversed item's last legend entry = %q in %v, want %q in the strong favourable colour", got.text, got.color, agreement[0])
	}
	if got := reversed.legend[0]; got.text != agreement[4] || got.color != colorNegStrong {
		t.Errorf("reversed item's first legend entry = %q in %v, want %q in the strong unfavourable colour", got.text, got.color, agreement[4])
	}
	// Both rows' POST bars put their favourable answers on the right.
	_, posStraight := divergingSides(straight.rows[0].bars[1])
	_, posReversed := divergingSides(reversed.rows[0].bars[1])
	if posStraight != posReversed || posReversed < 0.99 {
		t.Errorf("favourable side: %v for the straight row, %v for the reversed one; want the same", posStraight, posReversed)
	}
}
