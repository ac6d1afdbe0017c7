package surveys

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// pooledBench is 100,000 responses of 20 answers in 400 workshops of 250
// (PRE and POST of 125 pupils each), as a large pooled report reads them.
func pooledBench(b *testing.B) (*Questionnaire, []*Response) {
	b.Helper()
	q := &Questionnaire{Title: NewText("Bench"), Language: "fr"}
	for i := 1; i <= 12; i++ {
		q.Items = append(q.Items, Item{Key: fmt.Sprintf("q%02d", i), Type: Likert, Text: NewText("Q"), Scale: &Range{Min: 1, Max: 5}})
	}
	abc := []Option{{Value: "a", Label: NewText("A")}, {Value: "b", Label: NewText("B")}, {Value: "c", Label: NewText("C")}}
	q.Items = append(q.Items,
		Item{Key: "s1", Type: Rating, Text: NewText("S"), Scale: &Range{Min: 0, Max: 10}},
		Item{Key: "s2", Type: Rating, Text: NewText("S"), Scale: &Range{Min: 0, Max: 10}},
		Item{Key: "k1", Type: Quiz, Text: NewText("K"), Options: abc, Correct: "b"},
		Item{Key: "k2", Type: Quiz, Text: NewText("K"), Options: abc, Correct: "a"},
		Item{Key: "y1", Type: YesNo, Text: NewText("Y")},
		Item{Key: "c1", Type: Select, Text: NewText("C"), Multiple: true, Options: abc},
		Item{Key: "r1", Type: Retro, Text: NewText("R"), Scale: &Range{Min: 1, Max: 5}},
		Item{Key: "t1", Type: FreeText, Text: NewText("T")},
	)
	q.Scales = []Scale{{Key: "agir", Title: NewText("Agir"), Items: []string{"q01", "q02", "q03", "q04"}}}
	if err := q.Validate(); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	hex := func() string { return fmt.Sprintf("%016x", rng.Uint64()) }
	var rs []*Response
	for w := range 400 {
		wid := fmt.Sprintf("w%03d", w)
		for p := range 125 {
			participant, parts, device := hex()+hex()+hex()+hex(), []string{hex(), hex(), hex(), hex()}, ""
			if p%3 != 0 {
				device = hex() + hex()
			}
			for _, ph := range []Phase{PhasePre, PhasePost} {
				a := make(Answers, 20)
				for i := 1; i <= 12; i++ {
					a[fmt.Sprintf("q%02d", i)] = NumberAnswer(1 + rng.IntN(5))
				}
				a["s1"], a["s2"] = NumberAnswer(rng.IntN(11)), NumberAnswer(rng.IntN(11))
				a["k1"], a["k2"] = OptionAnswer([]string{"a", "b", "c"}[rng.IntN(3)]), OptionAnswer([]string{"a", "b", "c"}[rng.IntN(3)])
				a["y1"] = NumberAnswer(rng.IntN(2))
				a["c1"] = OptionsAnswer([]string{"a", "c"})
				if ph == PhasePost {
					a["r1"] = PairAnswer(1+rng.IntN(5), 1+rng.IntN(5))
				}
				a["t1"] = TextAnswer("J'ai appris que nous pouvons agir ensemble.")
				rs = append(rs, &Response{ID: hex(), WorkshopID: wid, Phase: ph, Participant: participant, CodeParts: parts, Device: device, Answers: a})
			}
		}
	}
	return q, rs
}

// BenchmarkResultsPooled is the statistics of a pooled report over
// 100,000 responses, without reading them: Add, then Report.
func BenchmarkResultsPooled(b *testing.B) {
	q, rs := pooledBench(b)
	ws := make([]*Workshop, 400)
	for i := range ws {
		ws[i] = &Workshop{ID: fmt.Sprintf("w%03d", i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		rb := NewResultsBuilder(q)
		for _, r := range rs {
			rb.Add(r)
		}
		if rep := rb.Report(ws); rep.NPaired != 50000 {
			b.Fatalf("n_paired = %d, want 50000", rep.NPaired)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}
