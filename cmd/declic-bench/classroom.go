package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// classroomConfig is the -scenario classroom load: pupils of several
// workshops answer PRE, then POST, as a room of phones would, some of them
// sending their answer twice.
type classroomConfig struct {
	Pupils, Workshops int
	// Window spreads the pupils' first send of a phase over this long; 0
	// sends them all at once.
	Window time.Duration
	// Double is the share of answers sent twice with the same
	// submission_id: half at the same time (a double tap), half after the
	// acknowledgement (a reload).
	Double float64
}

func (c *classroomConfig) register(fs *flag.FlagSet) {
	fs.IntVar(&c.Pupils, "pupils", 500, "with -scenario classroom: pupils, each answering PRE then POST")
	fs.IntVar(&c.Workshops, "workshops", 20, "with -scenario classroom: workshops the pupils are spread over")
	fs.DurationVar(&c.Window, "window", 30*time.Second, "with -scenario classroom: each phase's first sends are spread over this long (0: all at once)")
	fs.Float64Var(&c.Double, "double", 0.1, "with -scenario classroom: share of answers sent twice with the same submission_id")
}

func (c *classroomConfig) validate() error {
	switch {
	case c.Workshops < 1 || c.Pupils < c.Workshops:
		return errors.New("-workshops must be at least 1, and -pupils at least -workshops")
	case c.Window < 0:
		return errors.New("-window must not be negative")
	case c.Double < 0 || c.Double > 1:
		return errors.New("-double must be between 0 and 1")
	}
	return nil
}

// classroom is one run of the scenario.
type classroom struct {
	*bench
	cc        classroomConfig
	workshops []struct{ ID, Code string }

	mu        sync.Mutex
	acked     map[string]string // submission_id → acknowledged id
	latencies []time.Duration
	requests  int
	statuses  map[int]int // non-2xx statuses, and 0 for network errors
	firstErr  error
}

func runClassroom(ctx context.Context, cfg config, t *target, stdout io.Writer) error {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	c := &classroom{
		bench: &bench{cfg: cfg, t: t, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}},
		cc:    cfg.Class, acked: map[string]string{}, statuses: map[int]int{},
	}
	if err := c.setup(ctx); err != nil {
		return err
	}
	defer c.cleanup()
	cc := c.cc
	fmt.Fprintf(stdout, "classroom: %d pupils in %d workshops answer PRE, then POST (10 Likert items); each phase's first sends spread over %s; "+
		"%.0f%% of answers sent twice with the same submission_id (half at once, half after the acknowledgement); "+
		"a failed send is retried with the same submission_id until acknowledged\n",
		cc.Pupils, cc.Workshops, cc.Window, cc.Double*100)

	codes := make([]string, cc.Pupils) // a pupil's pseudonymous code, the same in PRE and POST
	for i := range codes {
		codes[i] = randHex(8)
	}
	start := time.Now()
	for _, phase := range []string{"pre", "post"} {
		for _, w := range c.workshops {
			if err := c.api(ctx, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": phase}, http.StatusOK, nil); err != nil {
				return fmt.Errorf("open %s: %w", phase, err)
			}
		}
		c.mu.Lock()
		n0, r0 := len(c.acked), c.requests
		c.mu.Unlock()
		began := time.Now()
		var wg sync.WaitGroup
		for i, code := range codes {
			wg.Go(func() { c.pupil(ctx, c.workshops[i%len(c.workshops)].Code, code, phase) })
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
		c.mu.Lock()
		fmt.Fprintf(stdout, "%-4s %d answers acknowledged in %.1f s, %d requests\n", phase, len(c.acked)-n0, time.Since(began).Seconds(), c.requests-r0)
		c.mu.Unlock()
	}
	elapsed := time.Since(start)

	lost, extra, err := c.verify(ctx)
	if err != nil {
		return err
	}
	pairsOK, err := c.checkPairs(ctx, codes)
	if err != nil {
		return err
	}
	lat := slices.Sorted(slices.Values(c.latencies))
	rate := float64(len(c.acked)) / elapsed.Seconds()
	fmt.Fprintf(stdout, "latency of a request: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; failed sends (retried): %v\n",
		ms(percentile(lat, 0.5)), ms(percentile(lat, 0.9)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1)), c.statuses)
	if c.firstErr != nil {
		fmt.Fprintf(stdout, "first failed send: %v\n", c.firstErr)
	}
	fmt.Fprintf(stdout, "check: %d answers acknowledged, each stored exactly once under its id except %d; %d stored but not acknowledged; "+
		"results: %d of %d workshops with every pupil paired and no duplicate\n", len(c.acked), lost, extra, pairsOK, len(c.workshops))
	fmt.Fprintf(stdout, "classroom: answers=%d requests=%d in %.1fs throughput=%.1f/s p50=%.1fms p99=%.1fms lost=%d pairs_ok=%d/%d\n",
		len(c.acked), c.requests, elapsed.Seconds(), rate, ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), lost, pairsOK, len(c.workshops))
	if lost > 0 || extra > 0 || pairsOK != len(c.workshops) {
		return errors.New("classroom: an acknowledged answer is missing or stored twice")
	}
	return nil
}

// setup logs in and creates the questionnaire and the workshops.
func (c *classroom) setup(ctx context.Context) error {
	var login struct{ Token string }
	if err := c.api(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": c.t.email, "password": c.t.password}, http.StatusOK, &login); err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	c.token = login.Token
	list := make([]map[string]any, items)
	for i := range list {
		list[i] = map[string]any{"key": fmt.Sprintf("q%d", i+1), "type": "likert", "text": fmt.Sprintf("Affirmation n° %d", i+1),
			"scale": map[string]any{"min": 1, "max": 5}}
	}
	var q struct{ ID string }
	if err := c.api(ctx, "POST", "/api/v1/questionnaires", map[string]any{"title": "declic-bench classroom", "items": list}, http.StatusCreated, &q); err != nil {
		return fmt.Errorf("create the questionnaire: %w", err)
	}
	for i := range c.cc.Workshops {
		var w struct{ ID, Code string }
		if err := c.api(ctx, "POST", "/api/v1/workshops", map[string]any{
			"questionnaire_id": q.ID, "title": fmt.Sprintf("declic-bench classe %d", i+1), "date": time.Now().Format(time.DateOnly),
			"partner": "declic-bench", "group": fmt.Sprintf("classe %d", i+1), "tags": []string{"declic-bench"},
		}, http.StatusCreated, &w); err != nil {
			return fmt.Errorf("create a workshop: %w", err)
		}
		c.workshops = append(c.workshops, w)
	}
	return nil
}

func (c *classroom) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, w := range c.workshops {
		c.api(ctx, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": "closed"}, http.StatusOK, nil)
	}
}

// pupil answers one phase: waits for its moment in the window, sends, and
// sometimes sends the same submission again.
func (c *classroom) pupil(ctx context.Context, code, participant, phase string) {
	if c.cc.Window > 0 {
		select {
		case <-ctx.Done():
			return
		case <-time.After(rand.N(c.cc.Window)):
		}
	}
	sub := randHex(16)
	body, _ := json.Marshal(submission{SubmissionID: sub, Participant: participant, Phase: phase, Answers: answers()})
	url := c.t.baseURL + "/api/v1/forms/" + code + "/responses"
	if rand.Float64() >= c.cc.Double {
		c.send(ctx, url, sub, body)
		return
	}
	if rand.IntN(2) == 0 { // a double tap: both at once
		var wg sync.WaitGroup
		wg.Go(func() { c.send(ctx, url, sub, body) })
		wg.Go(func() { c.send(ctx, url, sub, body) })
		wg.Wait()
		return
	}
	c.send(ctx, url, sub, body) // a reload after the thank-you page
	c.send(ctx, url, sub, body)
}

// send posts until the answer is acknowledged, as pupil.js does, and
// checks that every acknowledgement of a submission names the same id.
func (c *classroom) send(ctx context.Context, url, sub string, body []byte) {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		start := time.Now()
		status, id, err := c.submit(ctx, url, body)
		d := time.Since(start)
		c.mu.Lock()
		c.requests++
		c.latencies = append(c.latencies, d)
		ok := err == nil && (status == http.StatusCreated || status == http.StatusOK)
		if ok {
			if prev, seen := c.acked[sub]; seen && prev != id {
				c.statuses[-1]++ // counted as lost by verify: two ids for one submission
				if c.firstErr == nil {
					c.firstErr = fmt.Errorf("submission %s acknowledged as %s and as %s", sub, prev, id)
				}
			}
			c.acked[sub] = id
		} else {
			c.statuses[status]++
			if c.firstErr == nil {
				c.firstErr = fmt.Errorf("status %d: %s %v", status, id, err)
			}
		}
		c.mu.Unlock()
		if ok || (err == nil && status < 500 && status != http.StatusTooManyRequests) {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// verify reads every response of the workshops from the store.
func (c *classroom) verify(ctx context.Context) (lost, extra int, err error) {
	ids := make([]string, len(c.workshops))
	for i, w := range c.workshops {
		ids[i] = w.ID
	}
	stored, _, err := storedSubmissions(ctx, c.t.store, ids)
	if err != nil {
		return 0, 0, err
	}
	for sub, id := range c.acked {
		if got := stored[sub]; len(got) != 1 || got[0] != id {
			lost++
		}
	}
	lost += c.statuses[-1]
	for sub := range stored {
		if _, ok := c.acked[sub]; !ok {
			extra++
		}
	}
	return lost, extra, nil
}

// checkPairs counts the workshops whose results pair every pupil's PRE and
// POST, with no duplicate: what a facilitator sees after the workshop.
func (c *classroom) checkPairs(ctx context.Context, codes []string) (int, error) {
	ok := 0
	for i, w := range c.workshops {
		want := 0
		for j := range codes {
			if j%len(c.workshops) == i {
				want++
			}
		}
		var res struct {
			NPre        int `json:"n_pre"`
			NPost       int `json:"n_post"`
			NPaired     int `json:"n_paired"`
			NDuplicates int `json:"n_duplicates"`
		}
		if err := c.api(ctx, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, http.StatusOK, &res); err != nil {
			return 0, fmt.Errorf("results of %s: %w", w.Code, err)
		}
		if res.NPre == want && res.NPost == want && res.NPaired == want && res.NDuplicates == 0 {
			ok++
		}
	}
	return ok, nil
}
