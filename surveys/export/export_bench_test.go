package export

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"declic/surveys"
)

// benchSource is 10,000 responses (5,000 pupils, PRE and POST) to a 20-item
// questionnaire: 16 Likert items, a quiz, a yes/no, a multiple choice and a
// free text. Responses are generated one at a time, as a store streams them.
func benchSource(n int) Source {
	q := &surveys.Questionnaire{Title: surveys.NewText("Bench")}
	for i := range 16 {
		q.Items = append(q.Items, surveys.Item{Key: fmt.Sprint("q", i), Type: surveys.Likert, Text: surveys.NewText("Question"), Scale: &surveys.Range{Min: 1, Max: 5}, Reverse: i%5 == 0})
	}
	opts := []surveys.Option{{Value: "a", Label: surveys.NewText("A")}, {Value: "b", Label: surveys.NewText("B")}, {Value: "c", Label: surveys.NewText("C")}}
	q.Items = append(q.Items,
		surveys.Item{Key: "k1", Type: surveys.Quiz, Text: surveys.NewText("Quiz"), Options: opts, Correct: "b"},
		surveys.Item{Key: "y1", Type: surveys.YesNo, Text: surveys.NewText("Oui ou non")},
		surveys.Item{Key: "c1", Type: surveys.Select, Text: surveys.NewText("Choix"), Multiple: true, Options: opts},
		surveys.Item{Key: "t1", Type: surveys.FreeText, Text: surveys.NewText("Texte")},
	)
	q.Scales = []surveys.Scale{{Key: "s", Title: surveys.NewText("S"), Items: []string{"q0", "q1", "q2"}}}
	ws := []*surveys.Workshop{{ID: "w1", Code: "ABC234", Title: "Atelier de mesure", Date: "2026-03-12", Partner: "Collège", Group: "4e B", Tags: []string{"odd"}}}
	texts := []string{"", "J'ai appris beaucoup de choses sur les ODD.", "=1+1", "Rien; vraiment \"rien\"\nà dire"}
	created := "2026-03-12"
	responses := func(yield func(*surveys.Response) error) error {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range n {
			a := make(surveys.Answers, 20)
			for j := range 16 {
				a[q.Items[j].Key] = surveys.NumberAnswer(1 + rng.IntN(5))
			}
			a["k1"] = surveys.OptionAnswer(opts[rng.IntN(3)].Value)
			a["y1"] = surveys.NumberAnswer(rng.IntN(2))
			a["c1"] = surveys.OptionsAnswer([]string{"a", "c"})
			if s := texts[rng.IntN(len(texts))]; s != "" {
				a["t1"] = surveys.TextAnswer(s)
			}
			phase := surveys.PhasePre
			if i%2 == 1 {
				phase = surveys.PhasePost
			}
			r := &surveys.Response{WorkshopID: "w1", Phase: phase, Participant: fmt.Sprintf("%064x", i/2), Answers: a, Day: created}
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
	b := surveys.NewResultsBuilder(q)
	responses(func(r *surveys.Response) error { b.Add(r); return nil })
	return Source{Questionnaire: q, Workshops: ws, Responses: responses, Results: b.Results()}
}

const benchResponses = 10_000

// countingWriter discards bytes and counts them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

func benchExport(b *testing.B, write func(io.Writer, Source) error) {
	src := benchSource(benchResponses)
	var size int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var w countingWriter
		if err := write(&w, src); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(benchResponses)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
	b.ReportMetric(float64(size), "file-bytes")
}

// BenchmarkExportCSV10000x20 streams 10,000 responses of 20 items to CSV.
func BenchmarkExportCSV10000x20(b *testing.B) { benchExport(b, WriteCSV) }

// BenchmarkExportXLSX10000x20 builds and writes the three-sheet workbook.
func BenchmarkExportXLSX10000x20(b *testing.B) { benchExport(b, WriteXLSX) }

// BenchmarkExportSourceOnly10000x20 is the generator alone, to subtract from
// the two above.
func BenchmarkExportSourceOnly10000x20(b *testing.B) {
	benchExport(b, func(_ io.Writer, src Source) error {
		return src.Responses(func(*surveys.Response) error { return nil })
	})
}
