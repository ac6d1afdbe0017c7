package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"declic/handlers"
	"declic/handlers/httpx"
	"declic/surveys"
	"declic/surveys/library"
	"declic/surveys/sqlite"
	"declic/surveys/surveystest"
	"declic/templates"

	"golang.org/x/crypto/bcrypt"
)

// The handler tests' one harness: the real router (handlers.NewRouter, as
// cmd/internal/app wires it) over the real embedded store kept in memory,
// driven in the same process: no socket, no second process. Requests go
// through ts.serve (an httptest recorder) or through an http.Client whose
// transport calls the router (ts.browser, ts.raw), so cookies, redirects
// and streamed answers behave as they do for a browser.

const (
	// The first admin, as DECLIC_ADMIN_EMAIL and DECLIC_ADMIN_PASSWORD make it.
	testAdminEmail    = "admin@example.org"
	testAdminPassword = "motdepasse-de-test"
	// testPassword is the password of the accounts ts.user makes.
	testPassword = "un-long-mot-de-passe"
	// testPeer is the address the router sees requests come from.
	testPeer = "192.0.2.10"
)

// march2 is the clock of the tests that need a date of their own.
var march2 = time.Date(2026, 3, 2, 9, 41, 27, 0, time.UTC)

// testServer is Déclic's router on an in-memory store.
type testServer struct {
	// URL is where the router answers for ts.browser and ts.raw; links,
	// form_url and QR codes are made from it.
	URL    string
	Store  *sqlite.Store
	Clock  *testClock
	Logs   *syncBuffer // the JSON logs the router wrote
	Pseudo *surveys.Pseudonymizer
	Deps   handlers.Deps
	// Admin is the first admin (testAdminEmail), nil withoutAdmin.
	Admin   *surveys.User
	Handler http.Handler
	// Stop ends the event streams as a server shutting down does; the
	// test's end calls it too.
	Stop    func()
	noAdmin bool
}

// option changes the server before its router is built.
type option func(*testServer)

// withDeps edits the router's dependencies.
func withDeps(edit func(*handlers.Deps)) option { return func(ts *testServer) { edit(&ts.Deps) } }

// at sets the clock: the store's and the router's.
func at(now time.Time) option { return func(ts *testServer) { ts.Clock.Set(now) } }

// withoutAdmin leaves the store without any account, as a first start.
func withoutAdmin(ts *testServer) { ts.noAdmin = true }

// debugLogs keeps the router's logs down to the debug level.
func debugLogs(ts *testServer) {
	ts.Deps.Logger = slog.New(slog.NewJSONHandler(ts.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// trustProxies believes X-Forwarded-* from these peers (DECLIC_TRUSTED_PROXIES).
func trustProxies(list string) option {
	return func(ts *testServer) {
		p, err := httpx.ParseProxies(list)
		if err != nil {
			panic(err)
		}
		ts.Deps.Proxies = p
	}
}

// withLimits turns the public routes' rate limits on (DECLIC_RATE_LIMITS).
func withLimits(perClient, perWorkshop int) option {
	return func(ts *testServer) {
		ts.Deps.RateLimits = handlers.RateLimits{PerClient: perClient, PerWorkshop: perWorkshop}
	}
}

// newTestServer is a fresh Déclic as a first start leaves it: the
// library's questionnaires and the first admin, on a clock that is the
// real one until the test sets it. The store, the router and its event
// streams stop when the test ends.
func newTestServer(t testing.TB, opts ...option) *testServer {
	t.Helper()
	ts := &testServer{URL: "http://declic.test", Clock: &testClock{}, Logs: &syncBuffer{},
		Pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32)))}
	// The store keeps the handlers' clock: sessions and days follow it.
	store, err := sqlite.Open(context.Background(), sqlite.Config{Memory: true, Now: ts.Clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	ts.Store = store
	tmpl, err := parsedTemplates()
	if err != nil {
		t.Fatal(err)
	}
	stopping := make(chan struct{})
	ts.Stop = sync.OnceFunc(func() { close(stopping) })
	t.Cleanup(ts.Stop)
	ts.Deps = handlers.Deps{Store: store, StoreKind: "sqlite", Pseudo: ts.Pseudo, Templates: tmpl,
		Logger: slog.New(slog.NewJSONHandler(ts.Logs, nil)), Now: ts.Clock.Now, Stopping: stopping,
		// The notice cmd/declic shows when DECLIC_NOTICE is unset (app.DefaultNotice).
		Notice: handlers.Notice{Text: templates.T("fr", "notice.default")}}
	for _, o := range opts {
		o(ts)
	}
	ctx := context.Background()
	lib, err := libraryQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range lib {
		if err := store.EnsureQuestionnaire(ctx, q.Clone()); err != nil {
			t.Fatal(err)
		}
	}
	if !ts.noAdmin {
		ts.Admin = ts.userWithPassword(t, testAdminEmail, surveys.RoleAdmin, testAdminPassword)
	}
	ts.Handler = handlers.NewRouter(ts.Deps)
	return ts
}

// Parsing the templates and the library once is enough: both are only read.
var (
	parsedTemplates       = sync.OnceValues(templates.New)
	libraryQuestionnaires = sync.OnceValues(library.Load)
)

// passwordHashes keeps each test password's bcrypt hash, made at bcrypt's
// lowest cost: the accounts the harness stores check a password in well
// under a millisecond instead of tens (a login is not what most tests
// test). Accounts made through the API or the pages get the product's cost.
var passwordHashes sync.Map

func passwordHash(t testing.TB, password string) string {
	t.Helper()
	if h, ok := passwordHashes.Load(password); ok {
		return h.(string)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	passwordHashes.Store(password, string(h))
	return string(h)
}

// syncBuffer collects logs written from several goroutines.
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

// Accounts.

// user stores an account with testPassword, past its first login.
func (ts *testServer) user(t testing.TB, email string, role surveys.Role) *surveys.User {
	t.Helper()
	return ts.userWithPassword(t, email, role, testPassword)
}

// userWithPassword stores an account with that password.
func (ts *testServer) userWithPassword(t testing.TB, email string, role surveys.Role, password string) *surveys.User {
	t.Helper()
	u := &surveys.User{Email: email, Role: role, PasswordHash: passwordHash(t, password)}
	if err := ts.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// login logs in through the API and returns the session token.
func (ts *testServer) login(t testing.TB, email, password string) string {
	t.Helper()
	var out struct{ Token string }
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &out); status != http.StatusOK || out.Token == "" {
		t.Fatalf("login %s = %d, want 200 and a token", email, status)
	}
	return out.Token
}

// token is the first admin's session token, logged in through the API.
func (ts *testServer) token(t testing.TB) string {
	t.Helper()
	return ts.login(t, testAdminEmail, testAdminPassword)
}

// facilitatorToken stores a facilitator and logs them in through the API.
func (ts *testServer) facilitatorToken(t testing.TB, email string) string {
	t.Helper()
	ts.user(t, email, surveys.RoleFacilitator)
	return ts.login(t, email, testPassword)
}

// account is a user made through the API, past the first-login password change.
type account struct {
	ID, Email, Password, Token string
}

// newAccount has the admin create a user through the API, then logs in
// with the one-time password and replaces it, as a new user does.
func (ts *testServer) newAccount(t testing.TB, adminToken, email, role string) account {
	t.Helper()
	var created struct {
		ID                 string `json:"id"`
		Password           string `json:"password"`
		MustChangePassword bool   `json:"must_change_password"`
	}
	if status := ts.do(t, adminToken, "POST", "/api/v1/users", map[string]string{"email": email, "role": role}, &created); status != http.StatusCreated || created.ID == "" || created.Password == "" || !created.MustChangePassword {
		t.Fatalf("POST /api/v1/users %s = %d %+v; want 201 with an id and a one-time password", email, status, created)
	}
	var login struct {
		Token              string `json:"token"`
		MustChangePassword bool   `json:"must_change_password"`
	}
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": created.Password}, &login); status != http.StatusOK || !login.MustChangePassword {
		t.Fatalf("login with the one-time password = %d %+v; want 200, must_change_password", status, login)
	}
	a := account{ID: created.ID, Email: email, Password: "phrase secrète de " + email, Token: login.Token}
	if status := ts.do(t, a.Token, "PUT", "/api/v1/auth/password", map[string]string{"current_password": created.Password, "new_password": a.Password}, nil); status != http.StatusNoContent {
		t.Fatalf("PUT /api/v1/auth/password = %d, want 204", status)
	}
	return a
}

// apiToken stores an API token of u without going through a login.
func (ts *testServer) apiToken(t testing.TB, u *surveys.User) string {
	t.Helper()
	secret := "dcl_test-" + u.ID
	sum := sha256.Sum256([]byte(secret))
	if err := ts.Store.CreateToken(context.Background(), &surveys.Token{Hash: hex.EncodeToString(sum[:]), UserID: u.ID, Name: "test", CreatedOn: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// roles are an account of each role, with an API token each: the first
// admin, manager@example.org and facilitator@example.org.
func (ts *testServer) roles(t testing.TB) (map[surveys.Role]string, map[surveys.Role]*surveys.User) {
	t.Helper()
	users := map[surveys.Role]*surveys.User{surveys.RoleAdmin: ts.Admin,
		surveys.RoleManager:     ts.user(t, "manager@example.org", surveys.RoleManager),
		surveys.RoleFacilitator: ts.user(t, "facilitator@example.org", surveys.RoleFacilitator)}
	tokens := map[surveys.Role]string{}
	for role, u := range users {
		tokens[role] = ts.apiToken(t, u)
	}
	return tokens, users
}

// sessionToken stores a session of u, as a login would, without
// checking a password; it opens the API (Bearer) and pages (cookie).
func (ts *testServer) sessionToken(t testing.TB, u *surveys.User) string {
	t.Helper()
	token := "session-" + u.ID
	sum := sha256.Sum256([]byte(token))
	now := ts.Clock.Now()
	if err := ts.Store.CreateSession(context.Background(), &surveys.Session{ID: hex.EncodeToString(sum[:]), UserID: u.ID,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return token
}

// session is a browser on which email logged in through the login page.
func (ts *testServer) session(t testing.TB, email, password string) *http.Client {
	t.Helper()
	c := ts.browser()
	res, _ := ts.pagePost(t, c, "/login", url.Values{"email": {email}, "password": {password}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("POST /login %s = %d to %q, want 303 to /app", email, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

// pageLogin is a browser where the first admin logged in.
func (ts *testServer) pageLogin(t testing.TB) *http.Client {
	t.Helper()
	return ts.session(t, testAdminEmail, testAdminPassword)
}

// Requests.

// serve sends one request straight to the router. Without a RemoteAddr
// of its own the request comes from testPeer, to the server's host.
func (ts *testServer) serve(req *http.Request) *httptest.ResponseRecorder {
	if req.RemoteAddr == "" || req.RemoteAddr == "192.0.2.1:1234" { // httptest.NewRequest's
		req.RemoteAddr = testPeer + ":40000"
	}
	if req.Host == "" || req.Host == "example.com" {
		req.Host = strings.TrimPrefix(ts.URL, "http://")
	}
	rec := httptest.NewRecorder()
	ts.Handler.ServeHTTP(rec, req)
	return rec
}

// request is one HTTP request from a client at address from.
type request struct {
	method, path, body string
	from               string            // peer address; "" is testPeer
	header             map[string]string // extra headers; "Host" sets the host
	cookies            []*http.Cookie
}

// request sends r straight to the router; a body starting with "{" is
// JSON, any other a form.
func (ts *testServer) request(r request) *httptest.ResponseRecorder {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	req.RemoteAddr = testPeer + ":40000"
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
	return ts.serve(req)
}

// loginFrom logs in through the API from an address and returns the
// status and the session token.
func (ts *testServer) loginFrom(from, email, password string) (int, string) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	rec := ts.request(request{method: "POST", path: "/api/v1/auth/login", body: string(body), from: from})
	var out struct{ Token string }
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out.Token
}

// send sends a request with token ("" for none). body is sent as JSON,
// unless it is a string (sent as it is, typed JSON), []byte (sent as it
// is, untyped) or url.Values (a form). out, when not nil, receives the
// answer's JSON, whatever the status.
func (ts *testServer) send(t testing.TB, token, method, path string, body, out any) (int, []byte) {
	t.Helper()
	var r io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r, ctype = bytes.NewReader(b), ""
	case url.Values:
		r, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, r)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := ts.serve(req)
	data := rec.Body.Bytes()
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: status %d, decode %.300q: %v", method, path, rec.Code, data, err)
		}
	}
	return rec.Code, data
}

// get is a GET with token that returns the answer's header too.
func (ts *testServer) get(t testing.TB, token, path string) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := ts.serve(req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

// call sends body, typed ctype ("" for none), with token ("" for none).
func (ts *testServer) call(token, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.serve(req)
}

// json sends v as JSON and decodes the answer into out (when not nil),
// failing unless the status is want.
func (ts *testServer) json(t testing.TB, token, method, path string, v any, want int, out any) *httptest.ResponseRecorder {
	t.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	rec := ts.call(token, method, path, "application/json", body)
	if rec.Code != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, rec.Code, rec.Body.String(), want)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, rec.Body.String())
		}
	}
	return rec
}

// do is send for the status only.
func (ts *testServer) do(t testing.TB, token, method, path string, body, out any) int {
	t.Helper()
	status, _ := ts.send(t, token, method, path, body, out)
	return status
}

// browser is a browser of its own: cookies kept, redirects not followed.
func (ts *testServer) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := ts.client(testPeer)
	c.Jar = jar
	return c
}

// client is an HTTP client without cookies, from address peer, that
// does not follow redirects.
func (ts *testServer) client(peer string) *http.Client {
	return &http.Client{Transport: &inProcess{h: ts.Handler, peer: peer}, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// raw sends any request through client (nil: one without cookies that
// follows redirects) to target, an address or a path on the server.
func (ts *testServer) raw(t testing.TB, client *http.Client, method, target, token string, header http.Header, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = ts.URL + target
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if client == nil {
		client = &http.Client{Transport: &inProcess{h: ts.Handler, peer: testPeer}, Timeout: time.Minute}
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, target, err)
	}
	return res, data
}

func (ts *testServer) pageGet(t testing.TB, client *http.Client, target string) (*http.Response, string) {
	t.Helper()
	res, data := ts.raw(t, client, "GET", target, "", nil, nil)
	return res, string(data)
}

func (ts *testServer) pagePost(t testing.TB, client *http.Client, target string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for k, v := range header {
		h[k] = v
	}
	res, data := ts.raw(t, client, "POST", target, "", h, strings.NewReader(form.Encode()))
	return res, string(data)
}

// Questionnaires, workshops and answers, through the API.

// newQuestionnaire stores a definition and returns its id.
func (ts *testServer) newQuestionnaire(t testing.TB, token, definition string) string {
	t.Helper()
	var out struct{ ID string }
	if status := ts.do(t, token, "POST", "/api/v1/questionnaires", definition, &out); status != http.StatusCreated || out.ID == "" {
		t.Fatalf("POST /api/v1/questionnaires = %d, id %q; want 201 and an id", status, out.ID)
	}
	return out.ID
}

// newWorkshop creates a workshop from a request body.
func (ts *testServer) newWorkshop(t testing.TB, token string, body map[string]any) workshopOut {
	t.Helper()
	var w workshopOut
	if status := ts.do(t, token, "POST", "/api/v1/workshops", body, &w); status != http.StatusCreated || w.ID == "" || w.Code == "" {
		t.Fatalf("POST /api/v1/workshops %v = %d, %+v; want 201 with id and code", body, status, w)
	}
	return w
}

// openWorkshop creates a workshop on questionnaire qid and opens phase.
func (ts *testServer) openWorkshop(t testing.TB, token, qid, phase string) workshopOut {
	t.Helper()
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "Atelier de test", "date": "2026-03-12", "partner": "Collège Jean Macé", "group": "4e B"})
	ts.setPhase(t, token, w.ID, phase)
	return w
}

// setPhase opens (or closes) a workshop's phase through the API.
func (ts *testServer) setPhase(t testing.TB, token, id, phase string) {
	t.Helper()
	var out workshopOut
	if status := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": phase}, &out); status != http.StatusOK || out.Phase != phase {
		t.Fatalf("PUT phase %s = %d, phase %q; want 200 and %q", phase, status, out.Phase, phase)
	}
}

// answer posts a response that must be stored (201) and returns its id.
func (ts *testServer) answer(t testing.TB, code string, s submission) string {
	t.Helper()
	var out struct{ ID string }
	if status := ts.do(t, "", "POST", "/api/v1/forms/"+code+"/responses", s, &out); status != http.StatusCreated || out.ID == "" {
		t.Fatalf("POST response %+v = %d, id %q; want 201", s, status, out.ID)
	}
	return out.ID
}

// storedCounts reads the number of responses per phase from the store itself.
func (ts *testServer) storedCounts(t testing.TB, workshopID string) (pre, post int) {
	t.Helper()
	c, err := ts.Store.CountResponses(context.Background(), workshopID)
	if err != nil {
		t.Fatal(err)
	}
	return c[surveys.PhasePre], c[surveys.PhasePost]
}

// responses are a workshop's stored responses.
func (ts *testServer) responses(t testing.TB, workshopID string) []*surveys.Response {
	return surveystest.Responses(t, ts.Store, workshopID)
}

// likertWorkshop stores a one-question workshop owned by owner, in phase p.
func (ts *testServer) likertWorkshop(t testing.TB, owner *surveys.User, title string, p surveys.Phase) *surveys.Workshop {
	t.Helper()
	ctx := context.Background()
	q, err := surveys.ParseDefinition([]byte(`{"title": "Une question", "items": [{"key": "q1", "type": "likert", "text": "Ça va ?", "scale": {"min": 1, "max": 5}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	q.OwnerID = owner.ID
	if err := ts.Store.CreateQuestionnaire(ctx, q); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: title, Date: "2026-03-02", OwnerID: owner.ID}
	if err := ts.Store.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	if p != surveys.PhaseClosed {
		if _, err := ts.Store.SetPhase(ctx, w.ID, p); err != nil {
			t.Fatal(err)
		}
		w.Phase = p
	}
	return w
}

// answerFrom sends one answer to likertWorkshop's question through the
// public API, from an address.
func (ts *testServer) answerFrom(from, code, submission string) *httptest.ResponseRecorder {
	body := `{"submission_id": "` + submission + `", "code": {"mere": "M", "jour": 12, "mois": 3, "lettre2": "A"}, "phase": "pre", "answers": {"q1": 4}}`
	return ts.request(request{method: "POST", path: "/api/v1/forms/" + code + "/responses", body: body, from: from})
}

// count is how many responses the store holds for a workshop.
func (ts *testServer) count(t testing.TB, workshopID string) int {
	t.Helper()
	pre, post := ts.storedCounts(t, workshopID)
	return pre + post
}

// pupilForm goes through the code step with code and returns the
// questions page's hidden fields.
func (ts *testServer) pupilForm(t testing.TB, client *http.Client, formURL string, code url.Values) url.Values {
	t.Helper()
	res, body := ts.pagePost(t, client, formURL+"/code", code, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="code_token"`) {
		t.Fatalf("code step = %d, want the questions\n%.500s", res.StatusCode, body)
	}
	return hiddenFields(body)
}

// multipartFile is a form with one file field.
func multipartFile(t *testing.T, field, name string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// Reading answers.

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkPage fails on a broken page: template errors, missing values, no French.
func checkPage(t testing.TB, what string, res *http.Response, body string, wantStatus int, want ...string) {
	t.Helper()
	if res.StatusCode != wantStatus {
		t.Errorf("%s: status = %d, want %d\n%.500s", what, res.StatusCode, wantStatus, body)
		return
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type = %q, want text/html", what, ct)
	}
	for _, bad := range []string{"<no value>", "Erreur interne", "template:", "%!"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	if !strings.Contains(body, `<html lang="fr">`) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Errorf("%s: not a whole French page:\n%.300s", what, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page does not contain %q", what, w)
		}
	}
}

// mustContain fails for each of want the body lacks.
func mustContain(t testing.TB, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: no %q in the page", what, w)
		}
	}
}

// cookieNamed finds a cookie the answer sets.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// cookieOf finds a cookie a recorded answer sets.
func cookieOf(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var hiddenFieldRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hiddenFields are the hidden inputs of a page, as its form sends them.
func hiddenFields(body string) url.Values {
	out := url.Values{}
	for _, m := range hiddenFieldRe.FindAllStringSubmatch(body, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// form is url-encoded pairs of keys and values.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// testClock is the store's and the router's clock (surveystest.Clock).
type testClock = surveystest.Clock
