package app

import (
	"context"
	"strings"
	"sync"
	"testing"

	"declic/surveys"
	"declic/surveys/sqlite"
)

func keyed(c byte) *surveys.Pseudonymizer {
	return surveys.NewPseudonymizer([]byte(strings.Repeat(string(c), 32)))
}

func memoryStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// On a store several processes may serve, two keys never both pass,
// whether the processes start at the same moment or one after the other
// (the code review found both passing on a store without answers).
func TestCheckKeyTwoProcessesTwoKeys(t *testing.T) {
	ctx := context.Background()
	for _, together := range []bool{true, false} {
		st := memoryStore(t)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, k := range []byte{'a', 'b'} {
			run := func() { errs[i] = checkKey(ctx, st, true, keyed(k), nil) }
			if together {
				wg.Go(run)
			} else {
				run()
			}
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("started together=%v with two keys: errors %v and %v, want exactly one refused", together, errs[0], errs[1])
		}
		// The same key again is always fine.
		winner := byte('a')
		if errs[0] != nil {
			winner = 'b'
		}
		if err := checkKey(ctx, st, true, keyed(winner), nil); err != nil {
			t.Errorf("the recorded key refused: %v", err)
		}
	}
}

// An embedded store, which one process only serves, takes a new key while
// it holds no answer.
func TestCheckKeyEmbeddedStoreWithoutAnswersTakesANewKey(t *testing.T) {
	ctx := context.Background()
	st := memoryStore(t)
	if err := checkKey(ctx, st, false, keyed('a'), nil); err != nil {
		t.Fatal(err)
	}
	if err := checkKey(ctx, st, false, keyed('b'), nil); err != nil {
		t.Errorf("a new key on an embedded store without answers: %v", err)
	}
	if got, _ := st.KeyCheck(ctx); got != keyed('b').Mark("key-check") {
		t.Errorf("the check after the new key = %q, want b's", got)
	}
}
