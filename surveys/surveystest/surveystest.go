// Package surveystest builds domain values for tests in other packages.
package surveystest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"declic/surveys"
)

// Answers builds answers from plain values, as tests write them: an int is
// a number, a string an option, a []string several options, {"before":
// b, "now": n} a retrospective pair, and a surveys.Answer is kept as is
// (use surveys.TextAnswer for free text).
func Answers(m map[string]any) surveys.Answers {
	out := surveys.Answers{}
	for k, v := range m {
		switch x := v.(type) {
		case surveys.Answer:
			out[k] = x
		case int:
			out[k] = surveys.NumberAnswer(x)
		case string:
			out[k] = surveys.OptionAnswer(x)
		case []string:
			out[k] = surveys.OptionsAnswer(x)
		case map[string]any:
			out[k] = surveys.PairAnswer(x[surveys.RetroBefore].(int), x[surveys.RetroNow].(int))
		default:
			panic(fmt.Sprintf("surveystest.Answers: %s: unsupported %T", k, v))
		}
	}
	return out
}

// Texts are wordings in one language.
func Texts(ss ...string) []surveys.Text {
	out := make([]surveys.Text, len(ss))
	for i, s := range ss {
		out[i] = surveys.NewText(s)
	}
	return out
}

// Clock is a clock a test moves; unset, it is the real one. Stores and
// routers take its Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the time set, or the real time when none was.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock by d, from the real time when none was set.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		c.t = time.Now()
	}
	c.t = c.t.Add(d)
}

// Responses are a workshop's responses as the store keeps them.
func Responses(t testing.TB, st surveys.ResponseStore, workshopID string) []*surveys.Response {
	t.Helper()
	var out []*surveys.Response
	err := st.EachResponse(context.Background(), []string{workshopID}, func(r *surveys.Response) error {
		out = append(out, r.Clone())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
