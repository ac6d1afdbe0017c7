package surveys

import "testing"

func TestColumn(t *testing.T) {
	var c column[int]
	const n = 3*chunkLen + 17
	for i := range n {
		c.add(i * 7)
	}
	if c.len() != n {
		t.Fatalf("len = %d, want %d", c.len(), n)
	}
	for _, i := range []int{0, 63, 64, chunkLen - 1, chunkLen, 2*chunkLen + 5, n - 1} {
		if got := *c.at(i); got != i*7 {
			t.Errorf("at(%d) = %d, want %d", i, got, i*7)
		}
	}
	next := 0
	for i, v := range c.all() {
		if i != next || v != i*7 {
			t.Fatalf("all yields %d: %d, want %d: %d", i, v, next, next*7)
		}
		next++
	}
	if next != n {
		t.Errorf("all yielded %d values, want %d", next, n)
	}
	if len(c.chunks[0]) != chunkLen || cap(c.chunks[1]) != chunkLen {
		t.Errorf("chunks of %d (cap %d), want %d each", len(c.chunks[0]), cap(c.chunks[1]), chunkLen)
	}
}
