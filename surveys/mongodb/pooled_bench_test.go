package mongodb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"declic/surveys"
	"declic/surveys/mongodb"
	"declic/surveys/mongodb/mongotest"
)

// benchQuestionnaire is a 20-item questionnaire: 16 Likert items (every
// fifth reversed), 2 quiz, 1 yes/no and a free text, with a 4-item scale.
func benchQuestionnaire() *surveys.Questionnaire {
	q := &surveys.Questionnaire{ID: "bench", Title: "Bench"}
	for i := range 16 {
		q.Items = append(q.Items, surveys.Item{Key: fmt.Sprint("q", i), Type: surveys.Likert, Text: "Q", Scale: &surveys.Range{Min: 1, Max: 5}, Reverse: i%5 == 0})
	}
	opts := []surveys.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}, {Value: "c", Label: "C"}}
	q.Items = append(q.Items,
		surveys.Item{Key: "k1", Type: surveys.Quiz, Text: "K", Options: opts, Correct: "b"},
		surveys.Item{Key: "k2", Type: surveys.Quiz, Text: "K", Options: opts, Correct: "c"},
		surveys.Item{Key: "y1", Type: surveys.YesNo, Text: "Y"},
		surveys.Item{Key: "t1", Type: surveys.Text, Text: "T", Phases: []surveys.Phase{surveys.PhasePost}})
	q.Scales = []surveys.Scale{{Key: "s", Title: "S", Items: []string{"q1", "q2", "q3", "q4"}}}
	return q
}

// seedPooled stores n responses (PRE and POST of n/2 pupils) spread over
// workshops of 25 pupils, as a year of a programme would, and returns the
// workshop IDs.
func seedPooled(b *testing.B, s *mongodb.Store, n int) []string {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	var ids []string
	var batch []*surveys.Response
	for p := 0; p < n/2; p++ {
		if p%25 == 0 {
			ids = append(ids, fmt.Sprintf("w%05d", p/25))
		}
		participant := fmt.Sprintf("%016x%048d", rng.Uint64(), p)
		for _, ph := range []surveys.Phase{surveys.PhasePre, surveys.PhasePost} {
			a := map[string]any{"k1": string(rune('a' + rng.IntN(3))), "k2": string(rune('a' + rng.IntN(3))), "y1": rng.IntN(2)}
			for i := range 16 {
				a["q"+strconv.Itoa(i)] = 1 + rng.IntN(5)
			}
			if ph == surveys.PhasePost {
				a["t1"] = strings.Repeat("J'ai appris beaucoup de choses. ", 1+rng.IntN(4))
			}
			batch = append(batch, &surveys.Response{SubmissionID: fmt.Sprintf("s%d-%s", p, ph), WorkshopID: ids[len(ids)-1],
				Phase: ph, Participant: participant, Answers: a})
		}
		if len(batch) >= 5000 {
			if err := s.ImportResponses(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := s.ImportResponses(ctx, batch); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkPooledResults streams 10,000 and 100,000 responses from the
// store into the results builder, as a pooled report does: cost per
// response should stay flat (linear growth), and the builder keeps only a
// score table, never the documents.
//
//	go test -run XXX -bench PooledResults -benchtime 3x ./surveys/mongodb/
func BenchmarkPooledResults(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := mongotest.Open(b)
			ids := seedPooled(b, s, n)
			q := benchQuestionnaire()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rb := surveys.NewResultsBuilder(q)
				err := s.EachResponse(context.Background(), ids, func(r *surveys.Response) error {
					rb.Add(r)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				if res := rb.Results(); res.NPre+res.NPost != n || res.NPaired != n/2 {
					b.Fatalf("pre %d post %d paired %d, want %d responses and %d pairs", res.NPre, res.NPost, res.NPaired, n, n/2)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/response")
			if hwm := peakRSS(); hwm > 0 {
				b.ReportMetric(hwm, "peak-RSS-MB")
			}
		})
	}
}

// peakRSS is the process's high-water resident memory (Linux), in MB. It
// includes the embedded store, which runs in the same process.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
