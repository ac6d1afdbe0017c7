package sqlite

import (
	"fmt"
	"testing"
	"time"
)

// TestCheckpointer shows the background checkpoints copy what the writer
// commits into the database file, and that answers stay readable and
// durable across them.
func TestCheckpointer(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	w := seed(t, s)
	for i := range 50 {
		if _, err := s.AddResponse(ctx, answer(w, fmt.Sprint("c", i))); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.ckpt.mu.Lock()
		runs, frames, copied, err := s.ckpt.runs, s.ckpt.frames, s.ckpt.copied, s.ckpt.err
		s.ckpt.mu.Unlock()
		if err != nil {
			t.Fatalf("checkpoint: %v", err)
		}
		if runs > 0 && frames > 0 && copied == frames {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d checkpoints: %d of %d frames copied, want all", runs, copied, frames)
		}
		s.ckpt.poke()
		time.Sleep(10 * time.Millisecond) // polling a condition, not timing
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	if c, err := s.CountResponses(ctx, w.ID); err != nil || c["pre"] != 50 {
		t.Errorf("after reopening: %v, %v; want 50 answers", c, err)
	}
}
