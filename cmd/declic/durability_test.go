package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/mongodb"
	"declic/surveys/mongodb/mongotest"
	"declic/surveys/sqlite"
)

// The tests here show that Déclic loses no answer it acknowledged: when its
// store stops and starts again, when it is killed with SIGKILL, and when it
// is stopped with SIGTERM in the middle of a request.

// stoppableStore is an embedded store in this test process, reached through
// a relay on a fixed loopback port. stop closes the store, and every
// connection to it; start opens it again on the same files, at the same
// address, as a restarted database server would be.
type stoppableStore struct {
	t        *testing.T
	dir      string // the database server's files
	database string
	ln       net.Listener

	mu      sync.Mutex
	store   *mongodb.Store
	stopSrv func()
	backend string // host:port of the running store; "" while stopped
	conns   map[net.Conn]bool
}

func mustStoppableStore(t *testing.T) *stoppableStore {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &stoppableStore{t: t, ln: ln, conns: map[net.Conn]bool{}, dir: t.TempDir(), database: "declic"}
	go s.relay()
	s.start()
	t.Cleanup(func() {
		ln.Close()
		s.stop()
	})
	return s
}

// uri is the address Déclic is given: the relay's.
func (s *stoppableStore) uri() string { return "mongodb://" + s.ln.Addr().String() + "/" }

func (s *stoppableStore) relay() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		backend := s.backend
		s.mu.Unlock()
		if backend == "" {
			c.Close() // the store is stopped: nothing answers
			continue
		}
		b, err := net.Dial("tcp", backend)
		if err != nil {
			c.Close()
			continue
		}
		s.mu.Lock()
		s.conns[c], s.conns[b] = true, true
		s.mu.Unlock()
		go func() { io.Copy(b, c); b.Close() }()
		go func() { io.Copy(c, b); c.Close() }()
	}
}

func (s *stoppableStore) start() {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	uri, stopSrv, err := mongotest.Launch(s.dir)
	if err != nil {
		s.t.Fatal(err)
	}
	store, err := mongodb.Open(ctx, mongodb.Config{URI: uri, Database: s.database})
	if err != nil {
		stopSrv()
		s.t.Fatalf("open the store: %v", err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		s.t.Fatal(err)
	}
	s.mu.Lock()
	s.store, s.stopSrv, s.backend = store, stopSrv, u.Host
	s.mu.Unlock()
}

func (s *stoppableStore) stop() {
	s.mu.Lock()
	store, stopSrv := s.store, s.stopSrv
	s.store, s.stopSrv, s.backend = nil, nil, ""
	for c := range s.conns {
		c.Close()
	}
	clear(s.conns)
	s.mu.Unlock()
	if store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := store.Close(ctx); err != nil {
			s.t.Errorf("close the store: %v", err)
		}
		stopSrv()
	}
}

// stored counts the responses of a workshop per submission_id, read from
// the store itself.
func (s *stoppableStore) stored(t *testing.T, workshopID string) map[string][]string {
	t.Helper()
	s.mu.Lock()
	store := s.store
	s.mu.Unlock()
	return storedSubmissions(t, store, workshopID)
}

func storedSubmissions(t *testing.T, store surveys.Store, workshopID string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := store.EachResponse(context.Background(), []string{workshopID}, func(r *surveys.Response) error {
		out[r.SubmissionID] = append(out[r.SubmissionID], r.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("read the stored responses: %v", err)
	}
	return out
}

// openMainOnStore starts Déclic in this process on the stoppable store.
func openMainOnStore(t *testing.T, s *stoppableStore) *testServer {
	t.Helper()
	ts, _ := openMainAt(t, app.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), MongoURI: s.uri(), Database: s.database,
		AdminEmail: testAdminEmail, AdminPassword: testAdminPassword,
	})
	return ts
}

// waitHealthz polls /healthz until it answers want, and returns its body.
func waitHealthz(t *testing.T, base string, want int) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			last = fmt.Sprintf("%d %s", res.StatusCode, data)
			if res.StatusCode == want {
				var body map[string]any
				if err := json.Unmarshal(data, &body); err != nil {
					t.Fatalf("/healthz body %q: %v", data, err)
				}
				return body
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("/healthz did not answer %d within 30 s; last answer: %s", want, last)
	return nil
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

func TestStoreDownAnswer503(t *testing.T) {
	s := mustStoppableStore(t)
	ts := openMainOnStore(t, s)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
	if body := waitHealthz(t, ts.URL, http.StatusOK); body["store"] != "mongodb" || body["store_ok"] != true {
		t.Errorf("/healthz with the store up = %v, want store mongodb, store_ok true", body)
	}

	s.stop()
	start := time.Now()
	apiBody := mustJSON(t, submission{"down-api", "P1", "pre", validPre()})
	answerURL := ts.URL + "/api/v1/forms/" + w.Code + "/responses"
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	res, data := apiRaw(t, nil, "POST", answerURL, "", jsonHeader, strings.NewReader(apiBody))
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("answer with the store down = %d %s, want 503", res.StatusCode, data)
	}
	t.Logf("503 after %v", time.Since(start).Round(time.Millisecond))
	if got := res.Header.Get("Retry-After"); got == "" {
		t.Errorf("503 without Retry-After")
	}
	if e := mustDecodeError(t, data); e.Error.Code != "unavailable" {
		t.Errorf("error code %q, want unavailable", e.Error.Code)
	}

	// The HTML form: a friendly page that keeps the answers for one tap.
	sent := url.Values{
		"submission_id": {"down-form"}, "phase": {"pre"}, "code_mere": {"M"}, "code_jour": {"7"}, "code_mois": {"3"}, "code_lettre2": {"L"},
		"a_q1": {"4"}, "a_q2": {"2"}, "a_q3": {"5"}, "a_k1": {"b"}, "a_y1": {"1"}, "a_c1": {"climat", "droits"},
	}
	client := browserClient(t)
	res, err := client.PostForm(ts.URL+"/f/"+w.Code, sent)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("form sent with the store down = %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !bytes.Contains(page, []byte("réessaie dans un instant")) || !bytes.Contains(page, []byte(`action="/f/`+w.Code+`"`)) {
		t.Errorf("form sent with the store down: page without the retry form:\n%s", page)
	}
	kept := url.Values{}
	for _, m := range hiddenInput.FindAllSubmatch(page, -1) {
		kept.Add(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	if kept.Encode() != sent.Encode() {
		t.Errorf("answers kept on the page:\n %s\nwant\n %s", kept.Encode(), sent.Encode())
	}
	if body := waitHealthz(t, ts.URL, http.StatusServiceUnavailable); body["store_ok"] != false || body["status"] != "unavailable" {
		t.Errorf("/healthz with the store down = %v, want status unavailable, store_ok false", body)
	}

	s.start()
	waitHealthz(t, ts.URL, http.StatusOK)
	if got := s.stored(t, w.ID); len(got) != 0 {
		t.Fatalf("stored while the store was down: %v, want nothing", got)
	}
	// The same submission_id, sent again: stored once.
	var first struct{ ID string }
	if st := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", apiBody, &first); st != http.StatusCreated {
		t.Errorf("resend after the restart = %d, want 201", st)
	}
	var again struct{ ID string }
	if st := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", apiBody, &again); st != http.StatusOK || again.ID != first.ID {
		t.Errorf("second resend = %d id %q, want 200 id %q", st, again.ID, first.ID)
	}
	for range 2 { // one tap, then a second one
		res, err := client.PostForm(ts.URL+"/f/"+w.Code, kept)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/f/"+w.Code+"/merci") {
			t.Errorf("kept answers sent again = %d to %q, want 303 to the thank-you page", res.StatusCode, loc)
		}
	}
	got := s.stored(t, w.ID)
	if len(got) != 2 || len(got["down-api"]) != 1 || len(got["down-form"]) != 1 || got["down-api"][0] != first.ID {
		t.Errorf("stored after the restart: %v, want down-api once (id %s) and down-form once", got, first.ID)
	}
}

// TestStoreDownUnderLoad stops the store while pupils keep answering, and
// starts it again: some answers get a 503, are sent again with the same
// submission_id, and every acknowledged answer is stored exactly once.
func TestStoreDownUnderLoad(t *testing.T) {
	s := mustStoppableStore(t)
	ts := openMainOnStore(t, s)
	token := ts.token(t)
	w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")

	const writers, perWriter = 6, 30
	var mu sync.Mutex
	acked := map[string]string{} // submission_id → acknowledged id
	var n503, retried, acks atomic.Int64
	var bad []string
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 20 * time.Second}
	answer := func(sub, participant string) (int, string, error) {
		body := mustJSON(t, submission{sub, participant, "pre", validPre()})
		req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/v1/forms/"+w.Code+"/responses", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		var out struct{ ID string }
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out.ID, nil
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for j := range perWriter {
				sub, participant := fmt.Sprintf("load-%d-%d", i, j), fmt.Sprintf("P%d-%d", i, j)
				for try := 0; ctx.Err() == nil; try++ {
					st, id, err := answer(sub, participant)
					if err == nil && (st == http.StatusCreated || st == http.StatusOK) {
						mu.Lock()
						acked[sub] = id
						mu.Unlock()
						acks.Add(1)
						if try > 0 {
							retried.Add(1)
						}
						break
					}
					if err == nil && st != http.StatusServiceUnavailable {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("%s: status %d", sub, st))
						mu.Unlock()
						break
					}
					if st == http.StatusServiceUnavailable {
						n503.Add(1)
					}
					time.Sleep(300 * time.Millisecond)
				}
			}
		})
	}
	for acks.Load() < writers*5 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()
	// The store stays down until answers have been refused with a 503,
	// which takes the answering path's wait for the store (5 s).
	for n503.Load() == 0 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	s.start()
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("writers not done within 90 s: %d acknowledged", acks.Load())
	}
	for _, b := range bad {
		t.Errorf("unexpected answer %s, want only 201, 200 or 503", b)
	}
	if n503.Load() == 0 || retried.Load() == 0 {
		t.Errorf("%d answers got a 503 and %d were acknowledged after a retry; want some of each while the store was down", n503.Load(), retried.Load())
	}
	stored := s.stored(t, w.ID)
	if len(acked) != writers*perWriter {
		t.Errorf("%d submissions acknowledged, want %d", len(acked), writers*perWriter)
	}
	for sub, id := range acked {
		if ids := stored[sub]; len(ids) != 1 || ids[0] != id {
			t.Errorf("acknowledged %s as %s, stored as %v; want exactly once under that id", sub, id, ids)
		}
	}
	if len(stored) != len(acked) {
		t.Errorf("%d submissions stored, %d acknowledged", len(stored), len(acked))
	}
	t.Logf("%d writers, %d answers acknowledged; %d answers got a 503 while the store was down, %d acknowledged after a retry",
		writers, len(acked), n503.Load(), retried.Load())
}

// --- the declic binary, killed and stopped ---

func buildDeclic(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped with -short: builds declic and runs it as a process")
	}
	bin := filepath.Join(t.TempDir(), "declic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDeclicOn runs the declic binary on its own embedded store in dataDir.
func startDeclicOn(t *testing.T, bin, dataDir string) *declicProcess {
	t.Helper()
	p := runDeclic(t, bin, "DECLIC_DATA="+dataDir, "DECLIC_SECRET_FILE="+dataDir+"-secret.key")
	p.waitHealthy(t)
	return p
}

// openWorkshopOn creates a two-item questionnaire and a workshop with PRE
// open on a running declic, and returns the workshop's id and code.
func openWorkshopOn(t *testing.T, base string) (id, code string) {
	t.Helper()
	var login struct{ Token string }
	if st := scaleCall(t, base, "", "POST", "/api/v1/auth/login", map[string]string{"email": testAdminEmail, "password": testAdminPassword}, &login); st != http.StatusOK {
		t.Fatalf("login: status %d", st)
	}
	def := map[string]any{"title": "Durabilité", "items": []map[string]any{
		{"key": "q1", "type": "likert", "text": "Je me sens capable d'agir.", "scale": map[string]int{"min": 1, "max": 5}},
		{"key": "q2", "type": "likert", "text": "J'écoute les autres.", "scale": map[string]int{"min": 1, "max": 5}},
	}}
	var q struct{ ID string }
	if st := scaleCall(t, base, login.Token, "POST", "/api/v1/questionnaires", def, &q); st != http.StatusCreated {
		t.Fatalf("questionnaire: status %d", st)
	}
	var w struct{ ID, Code string }
	if st := scaleCall(t, base, login.Token, "POST", "/api/v1/workshops", map[string]any{
		"questionnaire_id": q.ID, "title": "Atelier", "date": "2026-03-12", "partner": "Collège", "group": "4e",
	}, &w); st != http.StatusCreated {
		t.Fatalf("workshop: status %d", st)
	}
	if st := scaleCall(t, base, login.Token, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": "pre"}, nil); st != http.StatusOK {
		t.Fatalf("open PRE: status %d", st)
	}
	return w.ID, w.Code
}

func answerBody(sub string) []byte {
	b, _ := json.Marshal(submission{sub, "P-" + sub, "pre", map[string]any{"q1": 4, "q2": 2}})
	return b
}

// postAnswer sends one answer without failing the test, for goroutines.
func postAnswer(client *http.Client, base, code, sub string) (int, string, error) {
	res, err := client.Post(base+"/api/v1/forms/"+code+"/responses", "application/json", bytes.NewReader(answerBody(sub)))
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var out struct{ ID string }
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.ID, nil
}

// openStoreAt opens the embedded store of a stopped declic, to read it.
func openStoreAt(t *testing.T, dataDir string) *sqlite.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	store, err := sqlite.Open(ctx, sqlite.Config{Dir: dataDir})
	if err != nil {
		t.Fatalf("open the store in %s: %v", dataDir, err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// TestKill9KeepsAcknowledgedAnswers kills declic with SIGKILL while pupils
// answer: after a restart on the same folder, every answer it acknowledged
// is there, exactly once.
func TestKill9KeepsAcknowledgedAnswers(t *testing.T) {
	bin := buildDeclic(t)
	dataDir := t.TempDir()
	p := startDeclicOn(t, bin, dataDir)
	workshopID, code := openWorkshopOn(t, p.url)

	var mu sync.Mutex
	acked := map[string]string{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 6 {
		wg.Go(func() {
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				sub := fmt.Sprintf("kill-%d-%d", i, j)
				st, id, err := postAnswer(client, p.url, code, sub)
				if err != nil {
					return // killed
				}
				if st == http.StatusCreated {
					mu.Lock()
					acked[sub] = id
					mu.Unlock()
				}
			}
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 150 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Mid-load: writers are still sending when the process dies.
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	p.done <- nil
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d answers acknowledged before the kill, want at least 50", len(acked))
	}

	p2 := startDeclicOn(t, bin, dataDir)
	for sub, id := range acked {
		st, got, err := postAnswer(client, p2.url, code, sub)
		if err != nil || st != http.StatusOK || got != id {
			t.Errorf("acknowledged %s as %s before the kill; sent again after the restart: %d %q %v, want 200 and the same id (already stored)", sub, id, st, got, err)
		}
	}
	if err := p2.stop(); err != nil {
		t.Fatalf("declic after SIGTERM: %v", err)
	}
	stored := storedSubmissions(t, openStoreAt(t, dataDir), workshopID)
	for sub, id := range acked {
		if ids := stored[sub]; len(ids) != 1 || ids[0] != id {
			t.Errorf("acknowledged %s as %s, stored as %v; want exactly once", sub, id, ids)
		}
	}
	for sub, ids := range stored {
		if len(ids) != 1 {
			t.Errorf("%s stored %d times", sub, len(ids))
		}
	}
	t.Logf("%d answers acknowledged before kill -9, %d stored after the restart (the rest were in flight)", len(acked), len(stored))
}

// TestSIGTERMFinishesInFlight stops declic while an answer is half sent:
// the answer is still stored and acknowledged, new connections are
// refused, and the process exits 0.
func TestSIGTERMFinishesInFlight(t *testing.T) {
	bin := buildDeclic(t)
	dataDir := t.TempDir()
	p := startDeclicOn(t, bin, dataDir)
	_, code := openWorkshopOn(t, p.url)
	host := strings.TrimPrefix(p.url, "http://")

	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := answerBody("in-flight")
	// With Expect: 100-continue the server says "100 Continue" when the
	// handler starts reading the body: the request is then in flight.
	fmt.Fprintf(conn, "POST /api/v1/forms/%s/responses HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", code, host, len(body))
	reader := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	if line, err := reader.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("waiting for the handler to read the body: %q, %v", line, err)
	}
	reader.ReadString('\n') // the blank line after the interim answer
	conn.Write(body[:len(body)/2])

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	refused := false
	for range 50 {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	if !refused {
		t.Errorf("new connections still accepted 1 s after SIGTERM")
	}
	select {
	case err := <-p.done:
		t.Fatalf("declic exited (%v) before the request in flight was answered", err)
	case <-time.After(500 * time.Millisecond):
	}

	conn.Write(body[len(body)/2:])
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	res, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatalf("request in flight at SIGTERM: %v", err)
	}
	data, _ := io.ReadAll(res.Body)
	var out struct{ ID string }
	json.Unmarshal(data, &out)
	if res.StatusCode != http.StatusCreated || out.ID == "" {
		t.Errorf("request in flight at SIGTERM = %d %s, want 201 with an id", res.StatusCode, data)
	}
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			t.Errorf("declic after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("declic still running 15 s after SIGTERM")
	}
	if !strings.Contains(p.stderr.String(), "shutting down") {
		t.Errorf("declic did not log its shutdown")
	}

	// It was stored before the process exited.
	p2 := startDeclicOn(t, bin, dataDir)
	st, id, err := postAnswer(http.DefaultClient, p2.url, code, "in-flight")
	if err != nil || st != http.StatusOK || id != out.ID {
		t.Errorf("the answer in flight, sent again after a restart = %d %q %v, want 200 %q (already stored)", st, id, err, out.ID)
	}
}
