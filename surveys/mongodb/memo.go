package mongodb

import "sync"

// memo is a bounded map for values that never change once stored.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

const memoMax = 1000

func (c *memo[V]) get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= memoMax {
		c.m = map[string]V{}
	}
	c.m[k] = v
}

func (c *memo[V]) forget(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}
