package httpx

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleBackoff(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	keys := []Key{{Name: "e:a@example.org", Free: 3, Forget: true}}

	for i := range 3 {
		if wait := th.Begin(keys); wait != 0 {
			t.Fatalf("try %d: wait %v, want 0", i+1, wait)
		}
		th.End(keys, TryFailed)
	}
	// The waits double after each further failure, up to the cap.
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second} {
		if got := th.Begin(keys); got != want {
			t.Fatalf("wait = %v, want %v", got, want)
		}
		now = now.Add(want)
		if got := th.Begin(keys); got != 0 {
			t.Fatalf("after waiting %v: wait = %v, want 0", want, got)
		}
		th.End(keys, TryFailed)
	}
	if got := backoff(30); got != throttleMaxWait {
		t.Errorf("backoff(30) = %v, want the cap %v", got, throttleMaxWait)
	}
	if got := backoff(9); got != throttleMaxWait {
		t.Errorf("backoff(9) = %v, want the cap %v", got, throttleMaxWait)
	}

	// A try that failed for another reason does not count.
	now = now.Add(time.Hour)
	th.Begin(keys)
	th.End(keys, TryError)
	if got := th.Begin(keys); got != 0 {
		t.Errorf("after a store error: wait %v, want 0", got)
	}
	th.End(keys, TryOK)
	if len(th.entries) != 0 {
		t.Errorf("after a success: %d entries, want 0", len(th.entries))
	}
}

// Failures left alone for an hour are forgotten.
func TestThrottleForgets(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	keys := []Key{{Name: "c:192.0.2.1", Free: 2}}
	for range 2 {
		th.Begin(keys)
		th.End(keys, TryFailed)
	}
	if th.Begin(keys) == 0 {
		t.Fatal("not blocked after 2 failures")
	}
	now = now.Add(throttleForget)
	if got := th.Begin(keys); got != 0 {
		t.Errorf("after an hour: wait %v, want 0", got)
	}
	th.End(keys, TryFailed)
	if e := th.entries["c:192.0.2.1"]; e == nil || e.failures != 1 {
		t.Errorf("after an hour the count restarts: %+v, want 1 failure", e)
	}
}

// The map never grows past its bound; the oldest entries leave first.
func TestThrottleBounded(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	th.max = 100
	victim := []Key{{Name: "e:victim@example.org", Free: 1, Forget: true}}
	for i := range 1000 {
		now = now.Add(time.Millisecond)
		k := []Key{{Name: fmt.Sprintf("c:198.51.100.%d", i), Free: 5}}
		th.Begin(k)
		th.End(k, TryFailed)
		if i == 950 {
			th.Begin(victim)
			th.End(victim, TryFailed)
		}
		if len(th.entries) > th.max {
			t.Fatalf("%d entries after %d keys, want at most %d", len(th.entries), i+1, th.max)
		}
	}
	if th.entries["c:198.51.100.0"] != nil {
		t.Errorf("the oldest entry is still there")
	}
	if th.Begin(victim) == 0 {
		t.Errorf("a recent block was evicted")
	}
}
