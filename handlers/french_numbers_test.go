package handlers_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"declic/charts"
	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/fr"
	"declic/templates"
)

// One French number everywhere: a mean of 7,25 shown at one decimal is
// « 7,3 » on pages, in the charts, and a change of 0,25 is « +0,3 » in the
// plain-French reading as on pages; exports write the same rounding at
// their own precision. Package fr rounds halves away from zero, as people
// do; every surface calls it.
func TestFrenchNumbersAgreeEverywhere(t *testing.T) {
	q, err := surveys.ParseDefinition([]byte(`{"title": "Chiffres", "language": "fr", "items": [
		{"key": "n1", "type": "scale", "text": "Note de 0 à 10", "scale": {"min": 0, "max": 10}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// PRE 7, 7, 7, 8 (mean 7,25); POST 8, 7, 7, 8: a mean change of 0,25.
	b := surveys.NewResultsBuilder(q)
	for i, v := range [][2]int{{7, 8}, {7, 7}, {7, 7}, {8, 8}} {
		for j, phase := range []surveys.Phase{surveys.PhasePre, surveys.PhasePost} {
			b.Add(&surveys.Response{ID: fmt.Sprintf("r%d%d", i, j), WorkshopID: "w", Phase: phase,
				Participant: fmt.Sprintf("p%d", i), Answers: surveys.Answers{"n1": surveys.NumberAnswer(v[j])}})
		}
	}
	res := b.Results()
	it := res.Items[0]
	if *it.Pre.Mean != 7.25 || *it.Paired.MeanDiff != 0.25 {
		t.Fatalf("means %v, change %v; want 7,25 and 0,25", *it.Pre.Mean, *it.Paired.MeanDiff)
	}

	// Pages.
	frFunc := templates.Funcs["fr"].(func(float64, int) string)
	signedFunc := templates.Funcs["signed"].(func(*float64, int) string)
	if got := frFunc(*it.Pre.Mean, 1); got != "7,3" {
		t.Errorf("pages: fr 7,25 at one decimal = %q, want 7,3", got)
	}
	if got := signedFunc(it.Paired.MeanDiff, 1); got != "+0,3" {
		t.Errorf("pages: signed 0,25 at one decimal = %q, want +0,3", got)
	}
	// Readings.
	if !strings.Contains(it.Reading, "Le changement moyen est de +0,3 point") {
		t.Errorf("reading: %q, want a change of +0,3 point", it.Reading)
	}
	// Charts: the PRE bar is labelled with its mean at one decimal.
	var svg bytes.Buffer
	if err := charts.Render(&svg, "prepost", charts.Data{Questionnaire: q, Results: res}, charts.SVG, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg.String(), ">7,3</text>") || strings.Contains(svg.String(), ">7,2</text>") {
		t.Errorf("chart: the PRE mean 7,25 is not drawn as 7,3")
	}
	// Exports: four decimals, the same rule (7,00005 → 7,0001), and the
	// mean as it is.
	if got, want := fr.Decimal(7.00005), strings.ReplaceAll(fr.Number(7.00005, 4), "\u00a0", ""); got != want || got != "7,0001" {
		t.Errorf("exports: %q, pages at four decimals: %q; want both 7,0001", got, want)
	}
	var csv bytes.Buffer
	if err := export.WriteChartData(&csv, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), ";avant;4;7,25;") || !strings.Contains(csv.String(), ";évolution;4;0,25;") {
		t.Errorf("donnees.csv does not give 7,25 and 0,25:\n%s", csv.String())
	}
}
