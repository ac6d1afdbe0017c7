package handlers

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// A results page and its charts ask at once: the answers are read once.
func TestResultsCacheComputesOnce(t *testing.T) {
	rc := newResultsCache(2)
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func() (any, error) {
		calls.Add(1)
		<-release
		return "résultats", nil
	}
	key := versionKey("results", nil, []string{"w1"}, []int64{7})
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := rc.get(key, compute); v != "résultats" || err != nil {
				t.Errorf("get = %v, %v", v, err)
			}
		}()
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("5 requests at once computed %d times, want 1", n)
	}
	rc.get(key, compute)
	if n := calls.Load(); n != 1 {
		t.Errorf("a later request computed again (%d), want the kept result", n)
	}
	// A new version is a new key: computed again.
	if versionKey("results", nil, []string{"w1"}, []int64{8}) == key {
		t.Fatal("a new version gives the same key")
	}
}

func TestResultsCacheBoundedAndKeepsNoErrors(t *testing.T) {
	rc := newResultsCache(2)
	n := 0
	count := func() (any, error) { n++; return n, nil }
	rc.get("a", count)
	rc.get("b", count)
	rc.get("a", count) // a is the most recent
	rc.get("c", count) // b goes
	if _, ok := rc.items["b"]; ok || len(rc.items) != 2 {
		t.Errorf("kept %v, want a and c", rc.items)
	}
	fail := errors.New("store down")
	if _, err := rc.get("d", func() (any, error) { return nil, fail }); !errors.Is(err, fail) {
		t.Errorf("error = %v, want %v", err, fail)
	}
	if v, _ := rc.get("d", count); v != 4 {
		t.Errorf("after an error, get = %v, want a new computation", v)
	}
}
