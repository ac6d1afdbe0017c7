package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/mongodb"
)

const items = 10 // Likert items in the bench questionnaire

type config struct {
	URL, MongoURI, Database string
	Email, Password         string
	Concurrency             int
	Phase, Warmup           time.Duration
	Rounds                  int
	RetryShare              float64
	CPUProfile, MemProfile  string
	// Scenario "classroom" runs the classroom load instead (classroom.go),
	// "report" the pooled report (report.go), "coldstart" the start of the
	// binary (coldstart.go).
	Scenario  string
	Class     classroomConfig
	Responses int    // report: responses loaded
	Binary    string // coldstart: the declic binary; empty builds one
	Runs      int    // coldstart: starts timed
}

const usage = `Usage: declic-bench [flags]

By default (-scenario compare) measures, at the same concurrency and in
alternating phases:
  (a) store: raw durable single-row inserts, one transaction each, into a
      scratch SQLite database in a temporary folder with the responses table
      of the embedded store and its settings (WAL, synchronous=FULL);
  (b) http:  full answers (10 Likert items) through POST /api/v1/forms/{code}/responses;
then checks, through the store, that every acknowledged answer is stored
exactly once.
The in-process Déclic runs with the rate limits off (DECLIC_RATE_LIMITS=0).
With -url, start that Déclic with DECLIC_RATE_LIMITS=0 and MONGODB_URI, and
give the same URI with -mongodb: the stored answers are read there.
The last line is: ratio=R http=N/s store=M/s p50=Xms p99=Yms lost=L
where R is the median over the rounds of http/store within each round
(the machine's disk is noisy: a round's two phases are seconds apart).

With -scenario classroom, it plays pupils of several workshops answering
PRE then POST, some twice, and checks every answer is stored once and paired.

With -scenario report, it loads -responses answers (20 items each) in
workshops of 250 with ImportResponses, then times GET /api/v1/reports over
all of them and one workshop's results, each after a new answer so that no
cache answers; last line: report: ... seconds=S rss_mb=M (peak RSS of this
process, server included).

With -scenario coldstart, it starts the declic binary (-binary, or one built
with the release flags) -runs times on a new empty data folder and times
each start to the first 200 of /healthz.

Flags:
`

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var quick bool
	fs := flag.NewFlagSet("declic-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.URL, "url", "", "base URL of a running Déclic (default: start one in-process on a temporary embedded store)")
	fs.StringVar(&cfg.MongoURI, "mongodb", "", "with -url: the MongoDB URI of that Déclic's store")
	fs.StringVar(&cfg.Database, "db", "declic", "with -url: the database name (DECLIC_DB)")
	fs.StringVar(&cfg.Email, "email", os.Getenv("DECLIC_ADMIN_EMAIL"), "with -url: an admin or facilitator e-mail")
	fs.StringVar(&cfg.Password, "password", os.Getenv("DECLIC_ADMIN_PASSWORD"), "with -url: its password")
	fs.IntVar(&cfg.Concurrency, "c", 16, "concurrent clients, the same for (a) and (b)")
	fs.DurationVar(&cfg.Phase, "d", 10*time.Second, "duration of each measured phase")
	fs.IntVar(&cfg.Rounds, "rounds", 3, "rounds; each runs one (a) and one (b) phase")
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "unmeasured warm-up of each kind before the first round")
	fs.Float64Var(&cfg.RetryShare, "retry", 0.05, "share of acknowledged answers sent again with the same submission_id")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured phases to this file")
	fs.StringVar(&cfg.MemProfile, "memprofile", "", "write a heap (and allocation) profile to this file at the end")
	fs.StringVar(&cfg.Scenario, "scenario", "compare", "compare (store vs http, above), classroom, report or coldstart")
	cfg.Class.register(fs)
	fs.IntVar(&cfg.Responses, "responses", 100000, "with -scenario report: responses loaded (in workshops of 250)")
	fs.StringVar(&cfg.Binary, "binary", "", "with -scenario coldstart: the declic binary (default: build ./cmd/declic with the release flags)")
	fs.IntVar(&cfg.Runs, "runs", 5, "with -scenario coldstart: starts timed")
	fs.BoolVar(&quick, "quick", false, "short run (8 rounds of 1.5 s, 1 s warm-up): well under a minute")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["d"] {
			cfg.Phase = 1500 * time.Millisecond
		}
		if !set["warmup"] {
			cfg.Warmup = time.Second
		}
		if !set["rounds"] {
			cfg.Rounds = 8
		}
	}
	switch {
	case cfg.Concurrency < 1:
		return cfg, errors.New("-c must be at least 1")
	case cfg.Rounds < 1:
		return cfg, errors.New("-rounds must be at least 1")
	case cfg.Phase <= 0:
		return cfg, errors.New("-d must be positive")
	case cfg.RetryShare < 0 || cfg.RetryShare > 1:
		return cfg, errors.New("-retry must be between 0 and 1")
	case cfg.URL != "" && (cfg.MongoURI == "" || cfg.Email == "" || cfg.Password == ""):
		return cfg, errors.New("-url needs -mongodb, -email and -password (the store is read to check what was stored)")
	case cfg.URL == "" && cfg.MongoURI != "":
		return cfg, errors.New("-mongodb needs -url: without it the bench starts its own embedded store")
	case cfg.Scenario != "compare" && cfg.Scenario != "classroom" && cfg.Scenario != "report" && cfg.Scenario != "coldstart":
		return cfg, fmt.Errorf("-scenario %q: want compare, classroom, report or coldstart", cfg.Scenario)
	case cfg.Scenario == "report" && cfg.Responses < 1:
		return cfg, errors.New("-responses must be at least 1")
	case cfg.Scenario == "coldstart" && cfg.Runs < 1:
		return cfg, errors.New("-runs must be at least 1")
	case cfg.Scenario == "classroom":
		if err := cfg.Class.validate(); err != nil {
			return cfg, err
		}
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	return cfg, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if cfg.Scenario == "coldstart" {
		return runColdStart(ctx, cfg, stdout)
	}
	t, err := openTarget(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer t.close()
	switch cfg.Scenario {
	case "classroom":
		return runClassroom(ctx, cfg, t, stdout)
	case "report":
		return runReport(ctx, cfg, t, stdout)
	}

	b, err := newBench(ctx, cfg, t)
	if err != nil {
		return err
	}
	defer b.cleanup()

	stopProfile, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		return err
	}
	sum, err := b.measure(ctx, stdout)
	stopProfile()
	if err != nil {
		return err
	}
	if cfg.MemProfile != "" {
		f, err := os.Create(cfg.MemProfile)
		if err != nil {
			return err
		}
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	lost, err := b.verify(ctx, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ratio=%.2f http=%d/s store=%d/s p50=%.1fms p99=%.1fms lost=%d\n",
		sum.ratio, int(sum.http+0.5), int(sum.store+0.5), ms(sum.p50), ms(sum.p99), lost)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// target is the Déclic under load and a direct connection to its store,
// through which the bench checks what was stored.
type target struct {
	baseURL         string
	email, password string
	store           surveys.Store
	close           func()
}

func openTarget(ctx context.Context, cfg config, stdout io.Writer) (*target, error) {
	var closers []func()
	t := &target{baseURL: cfg.URL, email: cfg.Email, password: cfg.Password}
	t.close = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if cfg.URL != "" {
		st, err := mongodb.Open(ctx, mongodb.Config{URI: cfg.MongoURI, Database: cfg.Database})
		if err != nil {
			return nil, fmt.Errorf("store at %s does not answer: %w", redact(cfg.MongoURI), err)
		}
		closers = append(closers, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			st.Close(ctx)
		})
		t.store = st
		fmt.Fprintf(stdout, "target: Déclic at %s, its store at %s (database %s); start it with DECLIC_RATE_LIMITS=0\n", t.baseURL, redact(cfg.MongoURI), cfg.Database)
		return t, nil
	}
	dir, err := os.MkdirTemp("", "declic-bench-")
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() { os.RemoveAll(dir) })
	t.email, t.password = "bench@example.org", "bench-"+randHex(12)
	// The configuration a server reads from its environment, with the
	// public routes' rate limits off: the bench is one client.
	env := map[string]string{
		"DECLIC_ADDR": "127.0.0.1:0", "DECLIC_DATA": filepath.Join(dir, "data"),
		"DECLIC_ADMIN_EMAIL": t.email, "DECLIC_ADMIN_PASSWORD": t.password,
		"DECLIC_RATE_LIMITS": "0",
	}
	// Logs are formatted as in production, then dropped.
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	m, err := app.Open(ctx, app.ConfigFrom(func(k string) string { return env[k] }), logger)
	if err != nil {
		t.close()
		return nil, err
	}
	serveCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(serveCtx) }()
	closers = append(closers, func() {
		stop()
		<-done
		m.Close()
	})
	t.baseURL = "http://" + m.Addr()
	t.store = m.Store
	fmt.Fprintf(stdout, "target: Déclic in this process at %s on a temporary embedded store (%s) in %s\n", t.baseURL, m.StoreKind, dir)
	return t, nil
}

// redact hides a password in a MongoDB URI.
func redact(uri string) string {
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return uri
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, ok := strings.Cut(rest[:at], ":"); ok {
			return scheme + "://" + user + ":***@" + rest[at+1:]
		}
	}
	return uri
}

// bench holds the workshop under load and what was acknowledged.
type bench struct {
	cfg        config
	t          *target
	http       *http.Client
	token      string
	workshopID string
	code       string
	scratch    *scratch

	mu    sync.Mutex
	acked []ack // every 200/201, retries included
}

type ack struct{ submission, id string }

func newBench(ctx context.Context, cfg config, t *target) (*bench, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = cfg.Concurrency + 4
	b := &bench{cfg: cfg, t: t, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	if err := b.setup(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// setup logs in, creates the questionnaire and the workshop through the API,
// opens PRE, and creates the scratch collection with the indexes of responses.
func (b *bench) setup(ctx context.Context) error {
	var login struct{ Token string }
	if err := b.api(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": b.t.email, "password": b.t.password}, http.StatusOK, &login); err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	b.token = login.Token

	def := map[string]any{"title": "declic-bench", "language": "fr"}
	list := make([]map[string]any, items)
	for i := range list {
		list[i] = map[string]any{
			"key": fmt.Sprintf("q%d", i+1), "type": "likert", "text": fmt.Sprintf("Affirmation n° %d", i+1),
			"scale": map[string]any{"min": 1, "max": 5, "labels": []string{"Pas du tout d'accord", "", "", "", "Tout à fait d'accord"}},
		}
	}
	def["items"] = list
	var q struct{ ID string }
	if err := b.api(ctx, "POST", "/api/v1/questionnaires", def, http.StatusCreated, &q); err != nil {
		return fmt.Errorf("create the questionnaire: %w", err)
	}
	var w struct{ ID, Code string }
	err := b.api(ctx, "POST", "/api/v1/workshops", map[string]any{
		"questionnaire_id": q.ID, "title": "declic-bench " + time.Now().Format(time.DateTime),
		"date": time.Now().Format(time.DateOnly), "partner": "declic-bench", "group": "charge", "tags": []string{"declic-bench"},
	}, http.StatusCreated, &w)
	if err != nil {
		return fmt.Errorf("create the workshop: %w", err)
	}
	b.workshopID, b.code = w.ID, w.Code
	if err := b.api(ctx, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": "pre"}, http.StatusOK, nil); err != nil {
		return fmt.Errorf("open PRE: %w", err)
	}
	b.scratch, err = openScratch(ctx)
	if err != nil {
		return fmt.Errorf("scratch database: %w", err)
	}
	return nil
}

// cleanup removes the scratch database and closes the workshop.
func (b *bench) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if b.scratch != nil {
		b.scratch.close()
	}
	b.api(ctx, "PUT", "/api/v1/workshops/"+b.workshopID+"/phase", map[string]string{"phase": "closed"}, http.StatusOK, nil)
}

// api sends one JSON request and wants the given status.
func (b *bench) api(ctx context.Context, method, path string, body any, want int, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, b.t.baseURL+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	res, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// phaseResult is one measured phase of one kind.
type phaseResult struct {
	n, errs, resent int
	elapsed         time.Duration
	latencies       []time.Duration
	firstErr        error
}

func (p phaseResult) rate() float64 { return float64(p.n) / p.elapsed.Seconds() }

type summary struct {
	http, store, ratio float64
	p50, p99           time.Duration
}

// measure runs the warm-up, then the rounds, alternating the order of (a)
// and (b) from one round to the next so that drift on a noisy machine
// weighs on both; rates are the medians over the rounds.
func (b *bench) measure(ctx context.Context, stdout io.Writer) (summary, error) {
	cfg := b.cfg
	fmt.Fprintf(stdout, "machine: %d CPUs, GOMAXPROCS %d; concurrency %d for both kinds\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), cfg.Concurrency)
	fmt.Fprintf(stdout, "(a) store: raw INSERT of one response row (%d answers) per transaction into a scratch copy of the responses table in %s (WAL, synchronous=FULL, one connection)\n", items, b.scratch.dir)
	fmt.Fprintf(stdout, "(b) http:  POST /api/v1/forms/%s/responses, a pupil's code, a device and %d Likert answers each; %.0f%% sent again with the same submission_id (counted in the rate)\n", b.code, items, cfg.RetryShare*100)
	fmt.Fprintf(stdout, "schedule: %s warm-up of each, then %d rounds of %s per kind, order alternated (a b, b a, ...); rates are medians over the rounds, "+
		"the ratio the median of each round's http/store\n", cfg.Warmup, cfg.Rounds, cfg.Phase)
	if cfg.Warmup > 0 {
		if _, err := b.runPhase(ctx, "b", cfg.Warmup); err != nil {
			return summary{}, err
		}
		if _, err := b.runPhase(ctx, "a", cfg.Warmup); err != nil {
			return summary{}, err
		}
	}
	var storeRates, httpRates, ratios []float64
	var lat []time.Duration
	for round := range cfg.Rounds {
		order := []string{"a", "b"}
		if round%2 == 1 {
			order = []string{"b", "a"}
		}
		for _, kind := range order {
			p, err := b.runPhase(ctx, kind, cfg.Phase)
			if err != nil {
				return summary{}, err
			}
			if kind == "a" {
				storeRates = append(storeRates, p.rate())
				fmt.Fprintf(stdout, "round %d  (a) store %6.0f inserts/s  n=%d errors=%d\n", round+1, p.rate(), p.n, p.errs)
			} else {
				httpRates = append(httpRates, p.rate())
				lat = append(lat, p.latencies...)
				fmt.Fprintf(stdout, "round %d  (b) http  %6.0f answers/s  n=%d (resent %d) errors=%d\n", round+1, p.rate(), p.n, p.resent, p.errs)
			}
			if p.firstErr != nil {
				fmt.Fprintf(stdout, "          first error: %v\n", p.firstErr)
			}
		}
		if a := storeRates[len(storeRates)-1]; a > 0 {
			ratios = append(ratios, httpRates[len(httpRates)-1]/a)
		}
	}
	slices.Sort(lat)
	s := summary{store: median(storeRates), http: median(httpRates), ratio: median(ratios), p50: percentile(lat, 0.50), p99: percentile(lat, 0.99)}
	slices.Sort(ratios)
	fmt.Fprintf(stdout, "store: median %.0f inserts/s; http: median %.0f answers/s, latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "+
		"http/store per round: median %.2f (lowest %.2f, highest %.2f)\n",
		s.store, s.http, ms(s.p50), ms(percentile(lat, 0.90)), ms(s.p99), ms(percentile(lat, 1)), s.ratio, ratios[0], ratios[len(ratios)-1])
	return s, nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// runPhase runs Concurrency workers of one kind for d.
func (b *bench) runPhase(ctx context.Context, kind string, d time.Duration) (phaseResult, error) {
	results := make([]phaseResult, b.cfg.Concurrency)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			if kind == "a" {
				results[i] = b.storeWorker(ctx, deadline)
			} else {
				results[i] = b.httpWorker(ctx, deadline)
			}
		})
	}
	wg.Wait()
	total := phaseResult{elapsed: time.Since(start)}
	for _, r := range results {
		total.n += r.n
		total.errs += r.errs
		total.resent += r.resent
		total.latencies = append(total.latencies, r.latencies...)
		if total.firstErr == nil {
			total.firstErr = r.firstErr
		}
	}
	if err := ctx.Err(); err != nil {
		return total, err
	}
	if total.n == 0 {
		return total, fmt.Errorf("(%s) nothing succeeded: %v", kind, total.firstErr)
	}
	return total, nil
}

// answers are what a client sends: an integer per Likert item.
func answers() map[string]any {
	a := make(map[string]any, items)
	for i := range items {
		a[fmt.Sprintf("q%d", i+1)] = 1 + rand.IntN(5)
	}
	return a
}

// storeAnswers are what CheckAnswers hands the store for answers().
func storeAnswers() surveys.Answers {
	a := make(surveys.Answers, items)
	for i := range items {
		a[fmt.Sprintf("q%d", i+1)] = surveys.NumberAnswer(1 + rand.IntN(5))
	}
	return a
}

// storeWorker inserts response rows, one durable transaction each.
func (b *bench) storeWorker(ctx context.Context, deadline time.Time) phaseResult {
	var p phaseResult
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if err := b.scratch.insert(ctx); err != nil {
			p.errs++
			if p.firstErr == nil {
				p.firstErr = err
			}
			continue
		}
		p.n++
	}
	return p
}

type submission struct {
	SubmissionID string         `json:"submission_id"`
	Code         *pupilCode     `json:"code,omitempty"`
	Participant  string         `json:"participant,omitempty"`
	Device       string         `json:"device,omitempty"`
	Phase        string         `json:"phase"`
	Answers      map[string]any `json:"answers"`
}

// pupilCode is the code a pupil makes up (contract).
type pupilCode struct {
	Mere    string `json:"mere"`
	Jour    int    `json:"jour"`
	Mois    int    `json:"mois"`
	Lettre2 string `json:"lettre2"`
}

func randomCode() *pupilCode {
	letter := func() string { return string(rune('A' + rand.IntN(26))) }
	return &pupilCode{Mere: letter(), Jour: 1 + rand.IntN(28), Mois: 1 + rand.IntN(12), Lettre2: letter()}
}

// httpWorker answers the whole questionnaire as a client would, and sends
// some answers twice to exercise idempotency.
func (b *bench) httpWorker(ctx context.Context, deadline time.Time) phaseResult {
	var p phaseResult
	var acked []ack
	url := b.t.baseURL + "/api/v1/forms/" + b.code + "/responses"
	send := func(body []byte, sub string) (int, bool) {
		start := time.Now()
		status, id, err := b.submit(ctx, url, body)
		p.latencies = append(p.latencies, time.Since(start))
		if err == nil && status != http.StatusCreated && status != http.StatusOK {
			err = fmt.Errorf("status %d: %s", status, id)
		}
		if err != nil {
			p.errs++
			if p.firstErr == nil {
				p.firstErr = err
			}
			return status, false
		}
		p.n++
		acked = append(acked, ack{sub, id})
		return status, true
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		sub := randHex(16)
		body, _ := json.Marshal(submission{SubmissionID: sub, Code: randomCode(), Device: randHex(16), Phase: "pre", Answers: answers()})
		if _, ok := send(body, sub); ok && rand.Float64() < b.cfg.RetryShare {
			p.resent++
			send(body, sub)
		}
	}
	b.mu.Lock()
	b.acked = append(b.acked, acked...)
	b.mu.Unlock()
	return p
}

// submit posts one answer and returns the status and the acknowledged ID
// (or the error body).
func (b *bench) submit(ctx context.Context, url string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := b.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", err
	}
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		return res.StatusCode, string(bytes.TrimSpace(data)), nil
	}
	var out struct{ ID string }
	if err := json.Unmarshal(data, &out); err != nil || out.ID == "" {
		return res.StatusCode, "", fmt.Errorf("status %d without an id: %q", res.StatusCode, data)
	}
	return res.StatusCode, out.ID, nil
}

// verify reads the workshop's responses straight from the store and counts
// acknowledgements whose submission is not stored exactly once under the
// acknowledged ID.
func (b *bench) verify(ctx context.Context, stdout io.Writer) (int, error) {
	stored, total, err := storedSubmissions(ctx, b.t.store, []string{b.workshopID})
	if err != nil {
		return 0, err
	}
	lost, distinct := 0, map[string]bool{}
	for _, a := range b.acked {
		distinct[a.submission] = true
		if ids := stored[a.submission]; len(ids) != 1 || ids[0] != a.id {
			lost++
		}
	}
	unacked := 0
	for sub := range stored {
		if !distinct[sub] {
			unacked++
		}
	}
	var w struct {
		Counts map[string]int `json:"counts"`
	}
	counted := "?"
	if err := b.api(ctx, "GET", "/api/v1/workshops/"+b.workshopID, nil, http.StatusOK, &w); err == nil {
		counted = fmt.Sprint(w.Counts["pre"])
	}
	fmt.Fprintf(stdout, "check: %d acknowledgements (%d distinct submissions, the rest resent); %d responses stored for the workshop, Déclic counts %s; "+
		"acknowledged but not stored exactly once under the acknowledged id: %d; stored but never acknowledged: %d\n",
		len(b.acked), len(distinct), total, counted, lost, unacked)
	return lost, nil
}

// storedSubmissions reads the workshops' responses from the store: the
// IDs stored under each submission, and how many responses in all.
func storedSubmissions(ctx context.Context, st surveys.Store, workshopIDs []string) (map[string][]string, int, error) {
	stored, total := map[string][]string{}, 0
	err := st.EachResponse(ctx, workshopIDs, func(r *surveys.Response) error {
		stored[r.SubmissionID] = append(stored[r.SubmissionID], r.ID)
		total++
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read the stored responses: %w", err)
	}
	return stored, total, nil
}

func randHex(n int) string {
	buf := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := rand.Uint64()
		for j := i; j < min(i+8, n); j++ {
			buf[j] = byte(v)
			v >>= 8
		}
	}
	return hex.EncodeToString(buf)
}

// startCPUProfile writes a CPU profile to path ("" for none) until stop.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
