package surveys

import "iter"

// chunkBits sets the chunk of a column: 4,096 values.
const chunkBits = 12

const chunkLen = 1 << chunkBits

// column is a growing list kept in chunks: past its first chunk it grows
// without copying what it holds, and the room it leaves unused is less
// than a chunk. A pooled report's score table is a hundred thousand rows;
// a slice growing by append would allocate several times that.
type column[T any] struct {
	chunks [][]T
	n      int
}

func (c *column[T]) add(v T) {
	k := c.n >> chunkBits
	if k == len(c.chunks) {
		size := chunkLen
		if k == 0 {
			size = 64 // a workshop's table stays small
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
	}
	// The first chunk grows as a slice up to chunkLen values; n>>chunkBits
	// moves to the next one before it holds more.
	c.chunks[k] = append(c.chunks[k], v)
	c.n++
}

func (c *column[T]) len() int { return c.n }

// at is the i-th value, by reference.
func (c *column[T]) at(i int) *T { return &c.chunks[i>>chunkBits][i&(chunkLen-1)] }

// all yields every index and value, in order.
func (c *column[T]) all() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for k, ch := range c.chunks {
			base := k << chunkBits
			for o, v := range ch {
				if !yield(base+o, v) {
					return
				}
			}
		}
	}
}
