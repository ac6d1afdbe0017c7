package sqlite

import (
	"errors"
	"fmt"
	"testing"

	"declic/surveys"
)

// TestEachResponseStopsEarly stops a read of more responses than the
// pipeline holds at once: the caller's error comes back, the reading
// goroutine stops, and the store reads again afterwards.
func TestEachResponseStopsEarly(t *testing.T) {
	s := openTest(t, t.TempDir())
	w := seed(t, s)
	rs := make([]*surveys.Response, 3000)
	for i := range rs {
		rs[i] = answer(w, fmt.Sprintf("s%04d", i))
	}
	if err := s.ImportResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	for _, at := range []int{1, inlineRows, inlineRows + 1, inlineRows + batchSize + 1, inlineRows + 3*batchSize + 5, 2999} {
		calls := 0
		err := s.EachResponse(ctx, []string{w.ID}, func(r *surveys.Response) error {
			calls++
			if calls == at {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != at {
			t.Errorf("stopping at %d: %d calls, error %v; want %d calls and the caller's error", at, calls, err, at)
		}
	}
	seen := map[string]bool{}
	prev := ""
	err := s.EachResponse(ctx, []string{w.ID}, func(r *surveys.Response) error {
		if r.ID <= prev || seen[r.SubmissionID] || r.Answers["q1"].Number != 3 {
			return fmt.Errorf("response %s after %s, or seen twice, or answers %v", r.ID, prev, r.Answers)
		}
		prev, seen[r.SubmissionID] = r.ID, true
		return nil
	})
	if err != nil || len(seen) != 3000 {
		t.Errorf("read after early stops: %d responses, %v; want 3000 in ID order", len(seen), err)
	}
}
