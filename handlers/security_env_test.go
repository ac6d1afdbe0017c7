package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"declic/handlers"
	"declic/surveys"
	"declic/surveys/sqlite"
	"declic/templates"
)

// secEnv is a router on a real in-memory store, with a clock the test
// moves and the logs it wrote, for the security tests.
type secEnv struct {
	t     *testing.T
	store *sqlite.Store
	h     http.Handler
	clock *secClock
	logs  *syncBuffer
	deps  handlers.Deps
}

type secClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *secClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *secClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newSecEnv(t *testing.T, configure func(*handlers.Deps)) *secEnv {
	t.Helper()
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	e := &secEnv{t: t, clock: &secClock{t: time.Date(2026, 3, 2, 9, 41, 27, 0, time.UTC)}, logs: &syncBuffer{}}
	// The store runs on the test's clock too: sessions and days follow it.
	store, err := sqlite.Open(context.Background(), sqlite.Config{Memory: true, Now: e.clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	e.store = store
	e.deps = handlers.Deps{Store: e.store, StoreKind: "sqlite", Pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))),
		Templates: tmpl, Logger: slog.New(slog.NewJSONHandler(e.logs, nil)), Now: e.clock.Now}
	if configure != nil {
		configure(&e.deps)
	}
	e.h = handlers.NewRouter(e.deps)
	return e
}

// request is one HTTP request from a client at address from.
type request struct {
	method, path, body string
	from               string            // peer address; "" is 192.0.2.10
	header             map[string]string // extra headers
	cookies            []*http.Cookie
}

func (e *secEnv) do(r request) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	req.RemoteAddr = "192.0.2.10:40000"
	if r.from != "" {
		req.RemoteAddr = r.from + ":40000"
		if strings.Contains(r.from, ":") {
			req.RemoteAddr = "[" + r.from + "]:40000"
		}
	}
	switch {
	case strings.HasPrefix(r.body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case r.body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// user stores an account with a password, past its first login.
func (e *secEnv) user(email string, role surveys.Role, password string) *surveys.User {
	e.t.Helper()
	hash, err := surveys.HashPassword(password)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &surveys.User{Email: email, Role: role, PasswordHash: hash}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// login logs in through the API from an address and returns the status
// and the session token.
func (e *secEnv) login(from, email, password string) (int, string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	rec := e.do(request{method: "POST", path: "/api/v1/auth/login", body: string(body), from: from})
	var out struct{ Token string }
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out.Token
}

func (e *secEnv) api(token, method, path, body string, out any) int {
	e.t.Helper()
	rec := e.do(request{method: method, path: path, body: body, header: map[string]string{"Authorization": "Bearer " + token}})
	if out != nil && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s = %d, decode %q: %v", method, path, rec.Code, rec.Body.String(), err)
		}
	}
	return rec.Code
}

// workshop stores a one-question workshop owned by owner, in phase p.
func (e *secEnv) workshop(owner *surveys.User, title string, p surveys.Phase) *surveys.Workshop {
	e.t.Helper()
	ctx := context.Background()
	q, err := surveys.ParseDefinition([]byte(`{"title": "Une question", "items": [{"key": "q1", "type": "likert", "text": "Ça va ?", "scale": {"min": 1, "max": 5}}]}`))
	if err != nil {
		e.t.Fatal(err)
	}
	q.OwnerID = owner.ID
	if err := e.store.CreateQuestionnaire(ctx, q); err != nil {
		e.t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: title, Date: "2026-03-02", OwnerID: owner.ID}
	if err := e.store.CreateWorkshop(ctx, w); err != nil {
		e.t.Fatal(err)
	}
	if p != surveys.PhaseClosed {
		if _, err := e.store.SetPhase(ctx, w.ID, p); err != nil {
			e.t.Fatal(err)
		}
		w.Phase = p
	}
	return w
}

// answerAPI sends one answer through the public API.
func (e *secEnv) answerAPI(from, code, submission string) *httptest.ResponseRecorder {
	e.t.Helper()
	body := `{"submission_id": "` + submission + `", "code": {"mere": "M", "jour": 12, "mois": 3, "lettre2": "A"}, "phase": "pre", "answers": {"q1": 4}}`
	return e.do(request{method: "POST", path: "/api/v1/forms/" + code + "/responses", body: body, from: from})
}

// countAnswers is how many answers the store holds for w.
func (e *secEnv) countAnswers(w *surveys.Workshop) int {
	e.t.Helper()
	n, err := e.store.CountResponses(context.Background(), w.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return n[surveys.PhasePre] + n[surveys.PhasePost]
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func cookieOf(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
