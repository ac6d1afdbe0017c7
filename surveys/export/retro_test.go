package export

import (
	"bytes"
	"testing"

	"declic/surveys"
	"declic/surveys/surveystest"
)

// A retrospective answer is two numbers: the export gives each its column.
func TestWriteCSVRetro(t *testing.T) {
	q := &surveys.Questionnaire{Title: surveys.NewText("R"), Items: []surveys.Item{
		{Key: "r1", Type: surveys.Retro, Text: surveys.NewText("Je sais expliquer les ODD."), Scale: &surveys.Range{Min: 1, Max: 5}},
	}}
	src := Source{Questionnaire: q, Workshops: testWorkshops(), Responses: stream([]*surveys.Response{
		{WorkshopID: "w1", Phase: surveys.PhasePost, Participant: "aaaaaaaaaaaa", Day: day1, Answers: surveystest.Answers(map[string]any{"r1": map[string]any{"before": 2, "now": 4}})},
		{WorkshopID: "w1", Phase: surveys.PhasePost, Participant: "bbbbbbbbbbbb", Day: day1, Answers: surveystest.Answers(map[string]any{"r1": map[string]any{"before": 1, "now": 5}})},
		{WorkshopID: "w1", Phase: surveys.PhasePost, Participant: "cccccccccccc", Day: day1, Answers: surveystest.Answers(map[string]any{})},
	})}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, src); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	head := rows[0]
	if got := head[len(head)-2:]; got[0] != "r1 (avant)" || got[1] != "r1 (aujourd'hui)" {
		t.Fatalf("header ends with %q, want the two halves of r1", got)
	}
	want := [][2]string{{"2", "4"}, {"1", "5"}, {"", ""}}
	for i, w := range want {
		row := rows[i+1]
		if got := [2]string{row[len(row)-2], row[len(row)-1]}; got != w {
			t.Errorf("row %d r1 = %q, want %q", i+1, got, w)
		}
	}
}
