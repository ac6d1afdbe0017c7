package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb"
	"declic/surveys/mongodb/mongotest"
)

// CountResponses stays exact through new answers, resends, imports,
// deletions and purges, and while answers arrive as it counts (the
// embedded store keeps the counts in memory; MongoDB counts each time).
func TestCountResponsesStaysExact(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	// submissions lists a workshop's stored answers; asking for two
	// workshops reads the store itself, never the embedded store's cache
	// of one workshop's answers.
	submissions := func(ids ...string) (map[surveys.Phase]int, string) {
		t.Helper()
		n := map[surveys.Phase]int{surveys.PhasePre: 0, surveys.PhasePost: 0}
		var subs []string
		if err := s.EachResponse(ctx, ids, func(r *surveys.Response) error {
			n[r.Phase]++
			subs = append(subs, r.SubmissionID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(subs)
		return n, strings.Join(subs, " ")
	}
	check := func(what, w string) {
		t.Helper()
		got, err := s.CountResponses(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		want, stored := submissions(w, "no-such-workshop")
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: counts %v, stored %v", what, got, want)
		}
		for range 2 { // read, then served from memory
			if _, one := submissions(w); one != stored {
				t.Errorf("%s: the workshop's answers read alone are %q, stored %q", what, one, stored)
			}
		}
	}
	add := func(w, sub string, p surveys.Phase) {
		t.Helper()
		r := &surveys.Response{SubmissionID: sub, WorkshopID: w, Phase: p, Participant: sub, Answers: map[string]any{"q": 1}}
		if _, err := s.AddResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	check("empty", "w1")
	add("w1", "a", surveys.PhasePre)
	add("w1", "b", surveys.PhasePost)
	check("two answers", "w1")
	add("w1", "a", surveys.PhasePre) // a resend
	check("after a resend", "w1")

	// Concurrent answers while the page polls the counts.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 15 {
				r := &surveys.Response{SubmissionID: fmt.Sprintf("c%d-%d", g, i), WorkshopID: "w1", Phase: surveys.PhasePost,
					Participant: fmt.Sprintf("c%d-%d", g, i), Answers: map[string]any{"q": 1}}
				if _, err := s.AddResponse(ctx, r); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 20 {
				if _, err := s.CountResponses(ctx, "w1"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	check("after concurrent answers and counts", "w1")

	old := &surveys.Response{SubmissionID: "old", WorkshopID: "w1", Phase: surveys.PhasePre, Participant: "old",
		Answers: map[string]any{"q": 1}, CreatedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.ImportResponses(ctx, []*surveys.Response{old}); err != nil {
		t.Fatal(err)
	}
	check("after an import", "w1")
	if _, err := s.PurgeResponses(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	check("after a purge", "w1")
	if _, err := s.DeleteResponses(ctx, "w1"); err != nil {
		t.Fatal(err)
	}
	check("after deleting the workshop's answers", "w1")
}

// seedAnswers stores 20,000 answers in workshops of 25.
func seedAnswers(b *testing.B, s interface {
	ImportResponses(context.Context, []*surveys.Response) error
}) {
	b.Helper()
	var rs []*surveys.Response
	for i := range 20_000 {
		rs = append(rs, &surveys.Response{SubmissionID: fmt.Sprint("s", i), WorkshopID: fmt.Sprint("w", i/25), Phase: surveys.PhasePre,
			Participant: fmt.Sprint("p", i), Answers: map[string]any{"q1": 3, "q2": 4, "q3": 2}})
	}
	if err := s.ImportResponses(context.Background(), rs); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCountResponses is the workshop page's live count once 20,000
// answers are stored: the first count reads the store, the next ones (on
// the embedded store) come from memory.
//
//	go test -run XXX -bench 'CountResponses|WorkshopAnswers' ./surveys/mongodb/
func BenchmarkCountResponses(b *testing.B) {
	s := mongotest.Open(b)
	ctx := context.Background()
	seedAnswers(b, s)
	start := time.Now()
	if n, err := s.CountResponses(ctx, "w7"); err != nil || n[surveys.PhasePre] != 25 {
		b.Fatalf("counts %v, %v", n, err)
	}
	first := time.Since(start)
	for b.Loop() {
		if _, err := s.CountResponses(ctx, "w7"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(first.Microseconds())/1000, "first-count-ms")
}

// BenchmarkWorkshopAnswers reads one workshop's answers, as its results
// page and each of its charts do, once 20,000 answers are stored.
func BenchmarkWorkshopAnswers(b *testing.B) {
	s := mongotest.Open(b)
	ctx := context.Background()
	seedAnswers(b, s)
	read := func() {
		n := 0
		if err := s.EachResponse(ctx, []string{"w7"}, func(*surveys.Response) error { n++; return nil }); err != nil || n != 25 {
			b.Fatalf("%d answers, %v", n, err)
		}
	}
	start := time.Now()
	read()
	first := time.Since(start)
	for b.Loop() {
		read()
	}
	b.ReportMetric(float64(first.Microseconds())/1000, "first-read-ms")
}

// Once the embedded store's address is handed to another client, this
// process no longer sees every write: it stops answering from memory.
func TestSharedStoreCountsFromTheStore(t *testing.T) {
	cfg := mongotest.Config(t)
	if cfg.URI != "" {
		t.Skip("only the embedded store keeps counts in memory")
	}
	ctx := context.Background()
	s, err := mongodb.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if _, err := s.CountResponses(ctx, "w1"); err != nil { // cached: none
		t.Fatal(err)
	}
	other, err := mongodb.Open(ctx, mongodb.Config{URI: s.URI(), Database: cfg.Database})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	r := &surveys.Response{SubmissionID: "x", WorkshopID: "w1", Phase: surveys.PhasePre, Participant: "p", Answers: map[string]any{"q": 1}}
	if _, err := other.AddResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountResponses(ctx, "w1"); err != nil || n[surveys.PhasePre] != 1 {
		t.Errorf("counts after another client's answer = %v, %v; want 1 PRE", n, err)
	}
	seen := 0
	s.EachResponse(ctx, []string{"w1"}, func(*surveys.Response) error { seen++; return nil })
	if seen != 1 {
		t.Errorf("the workshop's answers after another client's answer: %d, want 1", seen)
	}
}
