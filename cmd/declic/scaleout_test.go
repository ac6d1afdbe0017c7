package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"declic/surveys/mongodb/mongotest"
)

// TestScaleOut runs two declic processes on one store, as two servers behind
// a load balancer would: nothing that one of them knows is missing from the
// other, and an answer sent to both is counted once.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("scale-out test skipped with -short: it builds declic and starts two processes")
	}
	bin := filepath.Join(t.TempDir(), "declic")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// MongoDB is TEST_MONGODB_URI, or a FerretDB this test starts (MongoDB's
	// wire protocol, on SQLite files); both servers reach it by URI.
	srv := mongotest.Start(t)
	uri, database := srv.URI, mongotest.Database()
	mongotest.Drop(t, uri, database)
	secret := hex.EncodeToString(scaleRandBytes(32))

	p1 := startDeclic(t, bin, uri, database, secret)
	p1.waitHealthy(t)
	// The second starts once the first created the admin: both would
	// otherwise race to create it on the empty store.
	p2 := startDeclic(t, bin, uri, database, secret)
	p2.waitHealthy(t)

	// A login on one is a login on the other: API token and browser cookie.
	var login struct{ Token string }
	if st := scaleCall(t, p1.url, "", "POST", "/api/v1/auth/login", map[string]string{"email": testAdminEmail, "password": testAdminPassword}, &login); st != http.StatusOK {
		t.Fatalf("login on 1: status %d", st)
	}
	if st := scaleCall(t, p2.url, login.Token, "GET", "/api/v1/workshops", nil, nil); st != http.StatusOK {
		t.Fatalf("token from 1 used on 2: status %d, want 200", st)
	}
	cookie := scaleBrowserLogin(t, p1.url)
	req, _ := http.NewRequest("GET", p2.url+"/app", nil)
	req.AddCookie(cookie)
	res, err := scaleNoRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("session cookie from 1 on 2's /app: status %d (Location %q), want 200", res.StatusCode, res.Header.Get("Location"))
	}

	// A questionnaire and a workshop made on 1, PRE opened on 1.
	def := map[string]any{"title": "Deux serveurs", "items": []map[string]any{
		{"key": "q1", "type": "likert", "text": "Je me sens capable d'agir.", "scale": map[string]int{"min": 1, "max": 5}},
		{"key": "q2", "type": "likert", "text": "J'écoute les autres.", "scale": map[string]int{"min": 1, "max": 5}},
	}}
	var q struct{ ID string }
	if st := scaleCall(t, p1.url, login.Token, "POST", "/api/v1/questionnaires", def, &q); st != http.StatusCreated {
		t.Fatalf("questionnaire on 1: status %d", st)
	}
	var w struct{ ID, Code string }
	if st := scaleCall(t, p1.url, login.Token, "POST", "/api/v1/workshops", map[string]any{
		"questionnaire_id": q.ID, "title": "Atelier partagé", "date": "2026-03-12", "partner": "Collège Verlaine", "group": "4e B",
	}, &w); st != http.StatusCreated {
		t.Fatalf("workshop on 1: status %d", st)
	}
	setPhase := func(p *declicProcess, phase string) {
		t.Helper()
		if st := scaleCall(t, p.url, login.Token, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": phase}, nil); st != http.StatusOK {
			t.Fatalf("phase %s: status %d", phase, st)
		}
	}
	setPhase(p1, "pre")

	answer := func(p *declicProcess, submission, participant, phase string) (int, string) {
		t.Helper()
		var out struct{ ID string }
		st := scaleCall(t, p.url, "", "POST", "/api/v1/forms/"+w.Code+"/responses", map[string]any{
			"submission_id": submission, "participant": participant, "phase": phase,
			"answers": map[string]int{"q1": 2, "q2": 3},
		}, &out)
		return st, out.ID
	}
	// The workshop made on 1 is answered on 2, and the retry on 1 finds it.
	st, id := answer(p2, "sub-a", "eleve-a", "pre")
	if st != http.StatusCreated {
		t.Fatalf("answer on 2: status %d, want 201", st)
	}
	if st, again := answer(p1, "sub-a", "eleve-a", "pre"); st != http.StatusOK || again != id {
		t.Errorf("same submission on 1: %d %q, want 200 %q", st, again, id)
	}
	// The same submission sent to both at once is stored once.
	var wg sync.WaitGroup
	results := make([][2]any, 2)
	for i, p := range []*declicProcess{p1, p2} {
		wg.Go(func() {
			st, id := answer(p, "sub-b", "eleve-b", "pre")
			results[i] = [2]any{st, id}
		})
	}
	wg.Wait()
	created := 0
	for _, r := range results {
		if r[0] == http.StatusCreated {
			created++
		}
	}
	if created != 1 || results[0][1] != results[1][1] || results[0][1] == "" {
		t.Errorf("one submission sent to both at once: %v, want one 201 and one 200 with the same id", results)
	}
	if st, _ := answer(p1, "sub-c", "eleve-c", "pre"); st != http.StatusCreated {
		t.Errorf("answer on 1: status %d", st)
	}

	// POST opened through 2 is open on 1 at once; pairs span both servers.
	setPhase(p2, "post")
	if st, _ := answer(p1, "sub-a2", "eleve-a", "post"); st != http.StatusCreated {
		t.Errorf("POST answer on 1 right after 2 opened POST: status %d, want 201", st)
	}
	if st, _ := answer(p2, "sub-b2", "eleve-b", "post"); st != http.StatusCreated {
		t.Errorf("POST answer on 2: status %d, want 201", st)
	}
	if st, _ := answer(p1, "sub-late", "eleve-d", "pre"); st != http.StatusConflict {
		t.Errorf("PRE answer on 1 after 2 opened POST: status %d, want 409", st)
	}

	for i, p := range []*declicProcess{p1, p2} {
		var res struct {
			NPre        int `json:"n_pre"`
			NPost       int `json:"n_post"`
			NPaired     int `json:"n_paired"`
			NDuplicates int `json:"n_duplicates"`
		}
		if st := scaleCall(t, p.url, login.Token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &res); st != http.StatusOK {
			t.Fatalf("results on %d: status %d", i+1, st)
		}
		if res.NPre != 3 || res.NPost != 2 || res.NPaired != 2 || res.NDuplicates != 0 {
			t.Errorf("results on %d: n_pre %d n_post %d n_paired %d n_duplicates %d, want 3 2 2 0",
				i+1, res.NPre, res.NPost, res.NPaired, res.NDuplicates)
		}
	}

	for i, p := range []*declicProcess{p1, p2} {
		if err := p.stop(); err != nil {
			t.Errorf("declic %d after SIGTERM: %v\n%s", i+1, err, p.stderr.String())
		} else if !strings.Contains(p.stderr.String(), "shutting down") {
			t.Errorf("declic %d did not log its shutdown:\n%s", i+1, p.stderr.String())
		}
	}
}

type declicProcess struct {
	url    string
	cmd    *exec.Cmd
	stderr *procLog
	done   chan error
}

func startDeclic(t *testing.T, bin, uri, database, secret string) *declicProcess {
	t.Helper()
	return runDeclic(t, bin, "DECLIC_DATA="+t.TempDir(), "MONGODB_URI="+uri, "DECLIC_DB="+database, "DECLIC_SECRET="+secret)
}

// runDeclic starts the declic binary on a free loopback port with the first
// admin and env (which replaces any MONGODB_URI of the test's own
// environment), and kills it when the test ends if it is still running.
func runDeclic(t *testing.T, bin string, env ...string) *declicProcess {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := &declicProcess{url: "http://" + addr, stderr: &procLog{}, done: make(chan error, 1)}
	p.cmd = exec.Command(bin)
	base := slices.DeleteFunc(os.Environ(), func(v string) bool { return strings.HasPrefix(v, "MONGODB_URI=") })
	// A load test: every request comes from 127.0.0.1, so no answer limit.
	p.cmd.Env = append(append(base, "DECLIC_ADDR="+addr, "DECLIC_ADMIN_EMAIL="+testAdminEmail, "DECLIC_ADMIN_PASSWORD="+testAdminPassword, "DECLIC_RATE_LIMITS=0"), env...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			select {
			case <-p.done:
			default:
				p.cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			t.Logf("declic at %s logged:\n%s", addr, p.stderr.String())
		}
	})
	return p
}

func (p *declicProcess) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("declic exited before answering: %v\n%s", err, p.stderr.String())
		default:
		}
		if res, err := http.Get(p.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("declic at %s not healthy after 20 s:\n%s", p.url, p.stderr.String())
}

// stop sends SIGTERM and wants a clean exit within 15 s.
func (p *declicProcess) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-p.done:
		return err
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("still running 15 s after SIGTERM")
	}
}

var scaleNoRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// browserLogin logs in through the login form and returns the session cookie.
func scaleBrowserLogin(t *testing.T, base string) *http.Cookie {
	t.Helper()
	form := url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}
	res, err := scaleNoRedirect.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Value != "" && c.MaxAge >= 0 && strings.Contains(c.Name, "session") {
			return c
		}
	}
	t.Fatalf("login form: status %d, no session cookie in %q", res.StatusCode, res.Header.Values("Set-Cookie"))
	return nil
}

// call sends a JSON request and decodes a JSON answer into out.
func scaleCall(t *testing.T, base, token, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s%s: %v", method, base, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

func scaleRandBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// procLog collects a child's stderr while the test reads it.
type procLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *procLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *procLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
