package surveys

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkResults500x20 is one workshop-sized results computation: 500
// participants answering 20 Likert items before and after.
func BenchmarkResults500x20(b *testing.B) {
	q := &Questionnaire{Title: NewText("Bench")}
	for i := range 20 {
		q.Items = append(q.Items, Item{Key: fmt.Sprint("q", i), Type: Likert, Text: NewText("Q"), Scale: &Range{Min: 1, Max: 5}, Reverse: i%5 == 0})
	}
	q.Scales = []Scale{{Key: "s", Title: NewText("S"), Items: []string{"q0", "q1", "q2"}}}
	rng := rand.New(rand.NewPCG(1, 2))
	var responses []*Response
	for p := range 500 {
		for _, ph := range []Phase{PhasePre, PhasePost} {
			a := Answers{}
			for i := range 20 {
				a[fmt.Sprint("q", i)] = NumberAnswer(1 + rng.IntN(5))
			}
			responses = append(responses, &Response{WorkshopID: "w", Participant: fmt.Sprint("p", p), Phase: ph, Answers: a})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		rb := NewResultsBuilder(q)
		for _, r := range responses {
			rb.Add(r)
		}
		if res := rb.Results(); res.NPaired != 500 {
			b.Fatalf("n_paired = %d", res.NPaired)
		}
	}
}
