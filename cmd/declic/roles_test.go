package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
)

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// lockedBuffer collects the server's logs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// mustOpenClocked starts Déclic like mustOpenMain, on a clock the test
// controls, with its logs kept in the returned buffer.
func mustOpenClocked(t testing.TB) (*testServer, *testClock, *lockedBuffer) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	logs := &lockedBuffer{}
	cfg := testConfig(t)
	cfg.Now = clock.Now
	cfg.TrustedProxies = "127.0.0.1" // tests speak for several clients with X-Forwarded-For
	m, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	return &testServer{Main: m, URL: "http://" + m.Addr()}, clock, logs
}

// account is a user made through the API, past the first-login password change.
type account struct {
	ID, Email, Password, Token string
}

// apiNewAccount has the admin create a user, then logs in with the one-time
// password and replaces it, as a new user does.
func apiNewAccount(t testing.TB, ts *testServer, adminToken, email, role string) account {
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

// apiLoginAs logs a user in through the API and returns the session token.
func apiLoginAs(t testing.TB, ts *testServer, email, password string) string {
	t.Helper()
	var out struct{ Token string }
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &out); status != http.StatusOK || out.Token == "" {
		t.Fatalf("login %s = %d, want 200 and a token", email, status)
	}
	return out.Token
}

// noRedirect is a client without cookies that shows redirects.
var noRedirect = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// credential is how a caller in the access table presents itself.
type credential struct {
	bearer string // Authorization: Bearer
	cookie string // declic_session cookie
}

func (c credential) header() http.Header {
	h := http.Header{}
	if c.bearer != "" {
		h.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.cookie != "" {
		h.Set("Cookie", "declic_session="+c.cookie)
	}
	return h
}

// TestRoleAccess checks, for each kind of caller, every page and API route
// that depends on who asks.
func TestRoleAccess(t *testing.T) {
	ts, _, _ := mustOpenClocked(t)
	admin := ts.token(t)
	manager := apiNewAccount(t, ts, admin, "responsable@example.org", "manager")
	owner := apiNewAccount(t, ts, admin, "proprio@example.org", "facilitator")
	added := apiNewAccount(t, ts, admin, "ajoute@example.org", "facilitator")
	other := apiNewAccount(t, ts, admin, "autre@example.org", "facilitator")
	disabled := apiNewAccount(t, ts, admin, "parti@example.org", "facilitator")

	// W1 belongs to owner, who gets added as a co-facilitator; W0 to the admin.
	w1 := apiNewWorkshop(t, ts, owner.Token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'animatrice", "date": "2026-03-10"})
	w0 := apiNewWorkshop(t, ts, admin, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'admin", "date": "2026-03-11"})
	var shared struct {
		Facilitators []string `json:"facilitators"`
	}
	if status := ts.do(t, admin, "PUT", "/api/v1/workshops/"+w1.ID+"/facilitators", map[string]any{"user_ids": []string{added.ID, added.ID}}, &shared); status != http.StatusOK || len(shared.Facilitators) != 1 || shared.Facilitators[0] != added.ID {
		t.Fatalf("PUT facilitators = %d %+v, want 200 with [%s]", status, shared, added.ID)
	}

	// A token of the disabled account, and a revoked token.
	var dtok struct{ Token string }
	ts.do(t, disabled.Token, "POST", "/api/v1/tokens", map[string]string{"name": "script"}, &dtok)
	var rtok struct{ ID, Token string }
	if status := ts.do(t, other.Token, "POST", "/api/v1/tokens", map[string]string{"name": "vieux script"}, &rtok); status != http.StatusCreated {
		t.Fatalf("POST /api/v1/tokens = %d, want 201", status)
	}
	if status := ts.do(t, other.Token, "DELETE", "/api/v1/tokens/"+rtok.ID, nil, nil); status != http.StatusNoContent {
		t.Fatalf("DELETE token = %d, want 204", status)
	}
	if status := ts.do(t, admin, "PATCH", "/api/v1/users/"+disabled.ID, map[string]bool{"disabled": true}, nil); status != http.StatusOK {
		t.Fatalf("disable = %d, want 200", status)
	}

	// Each caller sees exactly its workshops in the lists.
	t.Run("lists", func(t *testing.T) {
		for _, c := range []struct {
			name, token string
			want        []string
		}{
			{"admin", admin, []string{w0.ID, w1.ID}},
			{"manager", manager.Token, []string{w0.ID, w1.ID}},
			{"owner", owner.Token, []string{w1.ID}},
			{"added facilitator", added.Token, []string{w1.ID}},
			{"other facilitator", other.Token, nil},
		} {
			var list struct{ Workshops []workshopOut }
			if status := ts.do(t, c.token, "GET", "/api/v1/workshops", nil, &list); status != http.StatusOK {
				t.Fatalf("%s: GET /api/v1/workshops = %d", c.name, status)
			}
			var got []string
			for _, w := range list.Workshops {
				got = append(got, w.ID)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("%s sees workshops %v, want %v", c.name, got, c.want)
			}
			res, body := apiRaw(t, noRedirect, "GET", ts.URL+"/app", "", credential{cookie: c.token}.header(), nil)
			checkPage(t, c.name+" dashboard", res, string(body), http.StatusOK)
			for _, w := range []workshopOut{w0, w1} {
				if shown, want := strings.Contains(string(body), "/app/workshops/"+w.ID), strings.Contains(strings.Join(c.want, ","), w.ID); shown != want {
					t.Errorf("%s dashboard shows %s: %v, want %v", c.name, w.ID, shown, want)
				}
			}
			if hasLink := strings.Contains(string(body), `href="/app/users"`); hasLink != (c.name == "admin") {
				t.Errorf("%s: link to the users page shown = %v", c.name, hasLink)
			}
		}
	})

	callers := []struct {
		name string
		cred credential
	}{
		{"admin", credential{bearer: admin}},
		{"manager", credential{bearer: manager.Token}},
		{"owner", credential{bearer: owner.Token}},
		{"added", credential{bearer: added.Token}},
		{"other", credential{bearer: other.Token}},
		{"disabled session", credential{bearer: disabled.Token}},
		{"disabled token", credential{bearer: dtok.Token}},
		{"revoked token", credential{bearer: rtok.Token}},
		{"no auth", credential{}},
	}
	const (
		ok   = http.StatusOK
		made = http.StatusCreated
		bad  = http.StatusBadRequest
		no   = http.StatusForbidden
		nf   = http.StatusNotFound
		out  = http.StatusUnauthorized
	)
	// want lists the status per caller, in the order of callers above.
	apiRoutes := []struct {
		method, path, body string
		want               [9]int
	}{
		{"GET", "/api/v1/workshops", "", [9]int{ok, ok, ok, ok, ok, out, out, out, out}},
		{"POST", "/api/v1/workshops", `{"questionnaire_id": "odd-v1", "title": "Nouveau", "date": "2026-03-12"}`, [9]int{made, made, made, made, made, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w1.ID, "", [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w0.ID, "", [9]int{ok, ok, nf, nf, nf, out, out, out, out}},
		{"PUT", "/api/v1/workshops/" + w1.ID + "/phase", `{"phase": "closed"}`, [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"PUT", "/api/v1/workshops/" + w0.ID + "/phase", `{"phase": "closed"}`, [9]int{ok, ok, nf, nf, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w1.ID + "/results", "", [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w0.ID + "/results", "", [9]int{ok, ok, nf, nf, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w1.ID + "/qr.svg", "", [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w1.ID + "/charts/prepost.svg", "", [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"GET", "/api/v1/workshops/" + w1.ID + "/responses.csv", "", [9]int{ok, ok, ok, ok, nf, out, out, out, out}},
		{"PUT", "/api/v1/workshops/" + w1.ID + "/facilitators", `{"user_ids": ["` + added.ID + `"]}`, [9]int{ok, ok, no, no, no, out, out, out, out}},
		{"PUT", "/api/v1/workshops/" + w0.ID + "/facilitators", `{"user_ids": ["000000000000000000000000"]}`, [9]int{bad, bad, no, no, no, out, out, out, out}},
		{"GET", "/api/v1/questionnaires", "", [9]int{ok, ok, ok, ok, ok, out, out, out, out}},
		{"GET", "/api/v1/tokens", "", [9]int{ok, ok, ok, ok, ok, out, out, out, out}},
		{"GET", "/api/v1/users", "", [9]int{ok, no, no, no, no, out, out, out, out}},
		{"GET", "/api/v1/users/" + other.ID, "", [9]int{ok, no, no, no, no, out, out, out, out}},
		{"POST", "/api/v1/users", `{"email": "pas une adresse", "role": "chef"}`, [9]int{bad, no, no, no, no, out, out, out, out}},
		{"PATCH", "/api/v1/users/" + other.ID, `{"role": "facilitator"}`, [9]int{ok, no, no, no, no, out, out, out, out}},
	}
	for _, r := range apiRoutes {
		for i, c := range callers {
			res, data := apiRaw(t, nil, r.method, ts.URL+r.path, "", c.cred.header(), strings.NewReader(r.body))
			if res.StatusCode != r.want[i] {
				t.Errorf("%s %s as %s = %d, want %d (%.200s)", r.method, r.path, c.name, res.StatusCode, r.want[i], data)
				continue
			}
			if res.StatusCode >= 400 {
				e := mustDecodeError(t, data)
				if res.StatusCode == no && (e.Error.Code != "forbidden" || !strings.Contains(e.Error.Message, "réservée")) {
					t.Errorf("%s %s as %s: error %+v, want forbidden with a French message", r.method, r.path, c.name, e.Error)
				}
			}
		}
	}

	// Pages, with the session cookie (or the token for the revoked one).
	pageCallers := []struct {
		name string
		cred credential
	}{
		{"admin", credential{cookie: admin}},
		{"manager", credential{cookie: manager.Token}},
		{"owner", credential{cookie: owner.Token}},
		{"added", credential{cookie: added.Token}},
		{"other", credential{cookie: other.Token}},
		{"disabled session", credential{cookie: disabled.Token}},
		{"disabled token", credential{bearer: dtok.Token}},
		{"revoked token", credential{bearer: rtok.Token}},
		{"no auth", credential{}},
	}
	const login = http.StatusSeeOther
	pages := []struct {
		method, path string
		form         url.Values
		want         [9]int
	}{
		{"GET", "/app", nil, [9]int{ok, ok, ok, ok, ok, login, login, login, login}},
		{"GET", "/app/workshops/new", nil, [9]int{ok, ok, ok, ok, ok, login, login, login, login}},
		{"GET", "/app/workshops/" + w1.ID, nil, [9]int{ok, ok, ok, ok, nf, login, login, login, login}},
		{"GET", "/app/workshops/" + w0.ID, nil, [9]int{ok, ok, nf, nf, nf, login, login, login, login}},
		{"GET", "/app/workshops/" + w1.ID + "/results", nil, [9]int{ok, ok, ok, ok, nf, login, login, login, login}},
		{"GET", "/app/workshops/" + w0.ID + "/results", nil, [9]int{ok, ok, nf, nf, nf, login, login, login, login}},
		{"GET", "/app/workshops/" + w1.ID + "/poster", nil, [9]int{ok, ok, ok, ok, nf, login, login, login, login}},
		{"POST", "/app/workshops/" + w1.ID + "/phase", url.Values{"phase": {"closed"}}, [9]int{login, login, login, login, nf, login, login, login, login}},
		{"GET", "/app/users", nil, [9]int{ok, no, no, no, no, login, login, login, login}},
		{"POST", "/app/users", url.Values{"email": {"pas une adresse"}, "role": {"facilitator"}}, [9]int{bad, no, no, no, no, login, login, login, login}},
		{"POST", "/app/users/" + other.ID, url.Values{"action": {"role"}, "role": {"facilitator"}}, [9]int{login, no, no, no, no, login, login, login, login}},
		{"GET", "/app/password", nil, [9]int{ok, ok, ok, ok, ok, login, login, login, login}},
		{"GET", "/app/tokens", nil, [9]int{ok, ok, ok, ok, ok, login, login, login, login}},
	}
	for _, p := range pages {
		for i, c := range pageCallers {
			h := c.cred.header()
			var body *strings.Reader
			if p.form != nil {
				h.Set("Content-Type", "application/x-www-form-urlencoded")
				body = strings.NewReader(p.form.Encode())
			} else {
				body = strings.NewReader("")
			}
			res, data := apiRaw(t, noRedirect, p.method, ts.URL+p.path, "", h, body)
			what := p.method + " " + p.path + " as " + c.name
			if res.StatusCode != p.want[i] {
				t.Errorf("%s = %d, want %d (%.200s)", what, res.StatusCode, p.want[i], data)
				continue
			}
			switch res.StatusCode {
			case login:
				loc := res.Header.Get("Location")
				if i >= 5 && !strings.HasPrefix(loc, "/login") {
					t.Errorf("%s: redirected to %q, want the login page", what, loc)
				}
			case no:
				checkPage(t, what, res, string(data), no, "Accès refusé", "réservée aux comptes administrateur")
			default:
				checkPage(t, what, res, string(data), p.want[i])
			}
		}
	}
}

var oneTimePasswordRe = regexp.MustCompile(`id="one-time-password">([^<]+)<`)

// TestUserManagementPage follows an admin creating an account on the page
// and the new user's first login, which must change the password.
func TestUserManagementPage(t *testing.T) {
	ts, _, _ := mustOpenClocked(t)
	adminToken := ts.token(t)
	admin := pageLogin(t, ts)

	res, body := pageGet(t, admin, ts.URL+"/app/users")
	checkPage(t, "users page", res, body, http.StatusOK, "Utilisateurs", testAdminEmail, "Créer un compte", "Administrateur·rice")

	res, body = pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {" Nouvelle@Example.org "}, "role": {"facilitator"}}, nil)
	checkPage(t, "create user", res, body, http.StatusOK, "Compte créé", "nouvelle@example.org", "ne sera plus jamais affiché")
	m := oneTimePasswordRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", body)
	}
	otp := m[1]
	if !regexp.MustCompile(`^[a-z2-9]{4}(-[a-z2-9]{4}){3}$`).MatchString(otp) {
		t.Errorf("one-time password %q, want 4 groups of 4", otp)
	}
	// Shown once: the list does not show it again, and the store keeps only a hash.
	_, body = pageGet(t, admin, ts.URL+"/app/users")
	if strings.Contains(body, otp) {
		t.Errorf("the users page shows the one-time password again")
	}
	u, err := ts.Store.UserByEmail(context.Background(), "nouvelle@example.org")
	if err != nil || u.Role != surveys.RoleFacilitator || !u.MustChangePassword || strings.Contains(u.PasswordHash, otp) {
		t.Fatalf("stored user = %+v, %v; want a facilitator who must change a hashed password", u, err)
	}

	t.Run("invalid and duplicate", func(t *testing.T) {
		res, body := pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {"<b>pas-une-adresse</b>"}, "role": {"chef"}}, nil)
		checkPage(t, "invalid user", res, body, http.StatusBadRequest, "pas été créé", "adresse e-mail invalide", "&lt;b&gt;pas-une-adresse&lt;/b&gt;")
		res, body = pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {"nouvelle@example.org"}, "role": {"manager"}}, nil)
		checkPage(t, "duplicate user", res, body, http.StatusConflict, "existe déjà")
	})

	// First login: every page leads to the password change, the API refuses.
	user := browserClient(t)
	res, _ = pagePost(t, user, ts.URL+"/login", url.Values{"email": {"nouvelle@example.org"}, "password": {otp}, "next": {"/app/workshops/new"}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password" {
		t.Fatalf("first login = %d to %q, want 303 to /app/password", res.StatusCode, loc)
	}
	for _, p := range []string{"/app", "/app/workshops/new", "/app/tokens", "/app/users"} {
		res, _ := pageGet(t, user, ts.URL+p)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password" {
			t.Errorf("GET %s before the change = %d to %q, want 303 to /app/password", p, res.StatusCode, loc)
		}
	}
	res, data := apiRaw(t, user, "GET", ts.URL+"/api/v1/workshops", "", nil, nil)
	if e := mustDecodeError(t, data); res.StatusCode != http.StatusForbidden || e.Error.Code != "password_change_required" {
		t.Errorf("API before the change = %d %s, want 403 password_change_required", res.StatusCode, e.Error.Code)
	}
	res, body = pageGet(t, user, ts.URL+"/app/password")
	checkPage(t, "password page", res, body, http.StatusOK, "Choisissez votre mot de passe pour continuer", "Mot de passe actuel")

	const newPassword = "une phrase assez longue"
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"wrong current", url.Values{"current_password": {"pas-le-bon"}, "new_password": {newPassword}, "confirm": {newPassword}}, "mot de passe actuel incorrect"},
		{"too short", url.Values{"current_password": {otp}, "new_password": {"court"}, "confirm": {"court"}}, "10 caractères au moins"},
		{"same as before", url.Values{"current_password": {otp}, "new_password": {otp}, "confirm": {otp}}, "différent de"},
		{"confirm differs", url.Values{"current_password": {otp}, "new_password": {newPassword}, "confirm": {newPassword + "!"}}, "pas identiques"},
		{"too long", url.Values{"current_password": {otp}, "new_password": {strings.Repeat("é", 40)}, "confirm": {strings.Repeat("é", 40)}}, "72 octets au plus"},
	} {
		res, body := pagePost(t, user, ts.URL+"/app/password", tt.form, nil)
		checkPage(t, tt.name, res, body, http.StatusBadRequest, "pas été changé", tt.want)
	}
	// A second session opened with the one-time password ends with the change.
	var other struct{ Token string }
	ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": otp}, &other)

	res, _ = pagePost(t, user, ts.URL+"/app/password", url.Values{"current_password": {otp}, "new_password": {newPassword}, "confirm": {newPassword}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password?fait=1" {
		t.Fatalf("password change = %d to %q, want 303 to /app/password?fait=1", res.StatusCode, loc)
	}
	res, body = pageGet(t, user, ts.URL+"/app/password?fait=1")
	checkPage(t, "password changed", res, body, http.StatusOK, "a été changé", "Jetons d'API")
	res, body = pageGet(t, user, ts.URL+"/app")
	checkPage(t, "dashboard after the change", res, body, http.StatusOK, "Ateliers", "Mon compte")
	if strings.Contains(body, `href="/app/users"`) {
		t.Errorf("a facilitator sees the users link")
	}
	if status := ts.do(t, other.Token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("the other session after the change = %d, want 401", status)
	}
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": otp}, nil); status != http.StatusUnauthorized {
		t.Errorf("login with the old one-time password = %d, want 401", status)
	}
	userToken := apiLoginAs(t, ts, "nouvelle@example.org", newPassword)

	t.Run("role change applies at once", func(t *testing.T) {
		w := apiNewWorkshop(t, ts, adminToken, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'admin", "date": "2026-03-11"})
		if status := ts.do(t, userToken, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
			t.Fatalf("facilitator GET admin's workshop = %d, want 404", status)
		}
		res, _ := pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"manager"}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/users" {
			t.Fatalf("role change = %d to %q, want 303 to /app/users", res.StatusCode, res.Header.Get("Location"))
		}
		if status := ts.do(t, userToken, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusOK {
			t.Errorf("manager GET admin's workshop = %d, want 200", status)
		}
		_, body := pageGet(t, admin, ts.URL+"/app/users")
		if !strings.Contains(body, `<option value="manager" selected>`) {
			t.Errorf("users page does not show the new role")
		}
		res, body = pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"roi"}}, nil)
		checkPage(t, "unknown role", res, body, http.StatusBadRequest, "Rôle inconnu")
		res, body = pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"supprimer"}}, nil)
		checkPage(t, "unknown action", res, body, http.StatusBadRequest, "Action inconnue")
		res, body = pagePost(t, admin, ts.URL+"/app/users/000000000000000000000000", url.Values{"action": {"disable"}}, nil)
		checkPage(t, "unknown user", res, body, http.StatusNotFound, "introuvable")
	})

	t.Run("disable and enable", func(t *testing.T) {
		var tok struct{ Token string }
		ts.do(t, userToken, "POST", "/api/v1/tokens", map[string]string{"name": "script"}, &tok)
		if status := ts.do(t, tok.Token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
			t.Fatalf("token before disabling = %d, want 200", status)
		}
		res, _ := pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"disable"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable = %d, want 303", res.StatusCode)
		}
		for name, tk := range map[string]string{"session": userToken, "token": tok.Token} {
			if status := ts.do(t, tk, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
				t.Errorf("%s of a disabled user = %d, want 401", name, status)
			}
		}
		if res, _ := pageGet(t, user, ts.URL+"/app"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("page of a disabled user = %d to %q, want 303 to login", res.StatusCode, res.Header.Get("Location"))
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": newPassword}, nil); status != http.StatusUnauthorized {
			t.Errorf("login of a disabled user = %d, want 401", status)
		}
		_, body := pageGet(t, admin, ts.URL+"/app/users")
		if !strings.Contains(body, "Désactivé") || !strings.Contains(body, `value="enable"`) {
			t.Errorf("users page does not show the account disabled")
		}
		pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"enable"}}, nil)
		apiLoginAs(t, ts, "nouvelle@example.org", newPassword)
		// Enabling does not revive what disabling ended.
		for name, tk := range map[string]string{"session": userToken, "token": tok.Token} {
			if status := ts.do(t, tk, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
				t.Errorf("old %s after enabling again = %d, want 401", name, status)
			}
		}
	})

	t.Run("reset password", func(t *testing.T) {
		res, body := pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"reset"}}, nil)
		checkPage(t, "reset", res, body, http.StatusOK, "Nouveau mot de passe provisoire", "nouvelle@example.org")
		m := oneTimePasswordRe.FindStringSubmatch(body)
		if m == nil || m[1] == otp {
			t.Fatalf("reset shows no new one-time password")
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": newPassword}, nil); status != http.StatusUnauthorized {
			t.Errorf("login with the password before the reset = %d, want 401", status)
		}
		var login struct {
			MustChangePassword bool `json:"must_change_password"`
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": m[1]}, &login); status != http.StatusOK || !login.MustChangePassword {
			t.Errorf("login with the reset password = %d %+v, want 200 and must_change_password", status, login)
		}
	})

	t.Run("last admin", func(t *testing.T) {
		me, _ := ts.Store.UserByEmail(context.Background(), testAdminEmail)
		for _, action := range []url.Values{{"action": {"disable"}}, {"action": {"role"}, "role": {"manager"}}} {
			res, body := pagePost(t, admin, ts.URL+"/app/users/"+me.ID, action, nil)
			checkPage(t, "last admin "+action.Get("action"), res, body, http.StatusConflict, "dernier compte administrateur actif")
		}
		if me, _ := ts.Store.User(context.Background(), me.ID); me.Role != surveys.RoleAdmin || me.Disabled {
			t.Errorf("last admin after refused changes = %+v, want an active admin", me)
		}
		// With a second admin, the first may step down, and then loses the page.
		pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"admin"}}, nil)
		res, _ := pagePost(t, admin, ts.URL+"/app/users/"+me.ID, url.Values{"action": {"role"}, "role": {"manager"}}, nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app" {
			t.Errorf("stepping down = %d to %q, want 303 to /app", res.StatusCode, loc)
		}
		res, body := pageGet(t, admin, ts.URL+"/app/users")
		checkPage(t, "users page after stepping down", res, body, http.StatusForbidden, "Accès refusé")
	})
}

// TestUserAPI covers /api/v1/users for an admin.
func TestUserAPI(t *testing.T) {
	ts, _, _ := mustOpenClocked(t)
	admin := ts.token(t)
	var created struct {
		ID       string `json:"id"`
		Email    string `json:"email"`
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	if status := ts.do(t, admin, "POST", "/api/v1/users", map[string]string{"email": "Resp@Example.org", "role": "manager"}, &created); status != http.StatusCreated || created.Email != "resp@example.org" || created.Role != "manager" || len(created.Password) != 19 {
		t.Fatalf("POST /api/v1/users = %d %+v", status, created)
	}

	res, data := apiRaw(t, nil, "GET", ts.URL+"/api/v1/users", admin, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/users = %d", res.StatusCode)
	}
	for _, secret := range []string{`"password"`, "password_hash", "$2a$", created.Password} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the user list contains %q: %s", secret, data)
		}
	}
	var list struct {
		Users []struct {
			ID, Email, Role    string
			Disabled           bool
			MustChangePassword bool      `json:"must_change_password"`
			CreatedAt          time.Time `json:"created_at"`
		}
	}
	json.Unmarshal(data, &list)
	if len(list.Users) != 2 || list.Users[0].Email != testAdminEmail || list.Users[1].ID != created.ID || !list.Users[1].MustChangePassword || !list.Users[1].CreatedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("users = %+v, want the admin then the new manager (must change, created at the test clock)", list.Users)
	}

	me, _ := ts.Store.UserByEmail(context.Background(), testAdminEmail)
	tests := []struct {
		name, method, path, body string
		want                     int
		code                     string
	}{
		{"duplicate", "POST", "/api/v1/users", `{"email": "resp@example.org", "role": "facilitator"}`, http.StatusConflict, "conflict"},
		{"bad e-mail and role", "POST", "/api/v1/users", `{"email": "x", "role": "chef"}`, http.StatusBadRequest, "invalid"},
		{"operator as e-mail", "POST", "/api/v1/users", `{"email": {"$gt": ""}, "role": "admin"}`, http.StatusBadRequest, "invalid"},
		{"unknown field", "POST", "/api/v1/users", `{"email": "y@example.org", "role": "admin", "password": "choisi"}`, http.StatusBadRequest, "invalid"},
		{"nothing to change", "PATCH", "/api/v1/users/" + created.ID, `{}`, http.StatusBadRequest, "invalid"},
		{"unknown role", "PATCH", "/api/v1/users/" + created.ID, `{"role": "roi"}`, http.StatusBadRequest, "invalid"},
		{"wrong type", "PATCH", "/api/v1/users/" + created.ID, `{"disabled": "oui"}`, http.StatusBadRequest, "invalid"},
		{"unknown user", "PATCH", "/api/v1/users/000000000000000000000000", `{"disabled": true}`, http.StatusNotFound, "not_found"},
		{"unknown user GET", "GET", "/api/v1/users/nope", ``, http.StatusNotFound, "not_found"},
		{"last admin disabled", "PATCH", "/api/v1/users/" + me.ID, `{"disabled": true}`, http.StatusConflict, "conflict"},
		{"last admin demoted", "PATCH", "/api/v1/users/" + me.ID, `{"role": "facilitator"}`, http.StatusConflict, "conflict"},
	}
	for _, tt := range tests {
		res, data := apiRaw(t, nil, tt.method, ts.URL+tt.path, admin, http.Header{"Content-Type": {"application/json"}}, strings.NewReader(tt.body))
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, res.StatusCode, tt.want, data)
			continue
		}
		if e := mustDecodeError(t, data); e.Error.Code != tt.code {
			t.Errorf("%s: code %q, want %q", tt.name, e.Error.Code, tt.code)
		}
	}

	var reset struct {
		Password           string `json:"password"`
		MustChangePassword bool   `json:"must_change_password"`
		Disabled           bool   `json:"disabled"`
	}
	if status := ts.do(t, admin, "PATCH", "/api/v1/users/"+created.ID, map[string]any{"reset_password": true, "disabled": true}, &reset); status != http.StatusOK || reset.Password == "" || reset.Password == created.Password || !reset.MustChangePassword || !reset.Disabled {
		t.Errorf("PATCH reset and disable = %d %+v", status, reset)
	}
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "resp@example.org", "password": reset.Password}, nil); status != http.StatusUnauthorized {
		t.Errorf("login of the disabled user = %d, want 401", status)
	}
}

// TestTokenLifecycle creates, uses and revokes API tokens, in the API and
// on the page.
func TestTokenLifecycle(t *testing.T) {
	ts, clock, _ := mustOpenClocked(t)
	admin := ts.token(t)
	fac := apiNewAccount(t, ts, admin, "anim@example.org", "facilitator")
	other := apiNewAccount(t, ts, admin, "autre@example.org", "facilitator")

	var tok struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Token      string `json:"token"`
		CreatedOn  string `json:"created_on"`
		LastUsedOn string `json:"last_used_on"`
	}
	if status := ts.do(t, fac.Token, "POST", "/api/v1/tokens", map[string]string{"name": "  Tableur du rapport  "}, &tok); status != http.StatusCreated {
		t.Fatalf("POST /api/v1/tokens = %d, want 201", status)
	}
	if !strings.HasPrefix(tok.Token, "dcl_") || len(tok.Token) < 40 || tok.Name != "Tableur du rapport" || tok.CreatedOn != "2026-03-02" || tok.LastUsedOn != "" {
		t.Fatalf("token = %+v, want dcl_…, the trimmed name, created 2026-03-02, never used", tok)
	}
	// Only the SHA-256 is stored.
	sum := sha256.Sum256([]byte(tok.Token))
	stored, err := ts.Store.TokenByHash(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil || stored.ID != tok.ID || stored.Hash == tok.Token {
		t.Fatalf("stored token = %+v, %v; want it found by its SHA-256", stored, err)
	}

	// The token works like a session, with the user's rights.
	w := apiNewWorkshop(t, ts, tok.Token, map[string]any{"questionnaire_id": "odd-v1", "title": "Par jeton", "date": "2026-03-12"})
	if status := ts.do(t, other.Token, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("another facilitator GET the token's workshop = %d, want 404", status)
	}
	clock.Add(24 * time.Hour)
	ts.do(t, tok.Token, "GET", "/api/v1/workshops", nil, nil)
	res, data := apiRaw(t, nil, "GET", ts.URL+"/api/v1/tokens", fac.Token, nil, nil)
	if strings.Contains(string(data), tok.Token) || strings.Contains(string(data), stored.Hash) {
		t.Errorf("the token list shows the secret or its hash: %s", data)
	}
	var list struct {
		Tokens []struct{ ID, Name, LastUsedOn string }
	}
	json.Unmarshal(data, &list)
	if res.StatusCode != http.StatusOK || len(list.Tokens) != 1 || list.Tokens[0].ID != tok.ID {
		t.Fatalf("GET /api/v1/tokens = %d %s", res.StatusCode, data)
	}
	if !strings.Contains(string(data), `"last_used_on":"2026-03-03"`) {
		t.Errorf("last use = %s, want 2026-03-03", data)
	}
	// Another user's list is empty, and they cannot revoke it.
	if status := ts.do(t, other.Token, "GET", "/api/v1/tokens", nil, &list); status != http.StatusOK || len(list.Tokens) != 0 {
		t.Errorf("other user's tokens = %d %+v, want none", status, list.Tokens)
	}
	if status := ts.do(t, other.Token, "DELETE", "/api/v1/tokens/"+tok.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("other user DELETE = %d, want 404", status)
	}

	for _, body := range []string{`{"name": ""}`, `{"name": "` + strings.Repeat("n", 81) + `"}`, `{"name": ["x"]}`, `{}`, `{"name": "x", "user_id": "` + other.ID + `"}`} {
		res, data := apiRaw(t, nil, "POST", ts.URL+"/api/v1/tokens", fac.Token, nil, strings.NewReader(body))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST /api/v1/tokens %.40s = %d, want 400 (%s)", body, res.StatusCode, data)
		}
	}

	// The page: create shows the secret once; revoke stops it at once.
	client := browserClient(t)
	res, _ = pagePost(t, client, ts.URL+"/login", url.Values{"email": {fac.Email}, "password": {fac.Password}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", res.StatusCode)
	}
	res, body := pageGet(t, client, ts.URL+"/app/tokens")
	checkPage(t, "tokens page", res, body, http.StatusOK, "Jetons d'API", "Tableur du rapport", "3 mars 2026", "Révoquer")
	res, body = pagePost(t, client, ts.URL+"/app/tokens", url.Values{"name": {"<b>Sauvegarde</b>"}}, nil)
	checkPage(t, "token created", res, body, http.StatusOK, "&lt;b&gt;Sauvegarde&lt;/b&gt;", "ne sera plus jamais affiché", "jamais")
	secret := regexp.MustCompile(`id="new-token">(dcl_[A-Za-z0-9_-]+)<`).FindStringSubmatch(body)
	if secret == nil {
		t.Fatalf("no token on the page")
	}
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
		t.Errorf("token from the page = %d, want 200", status)
	}
	_, body = pageGet(t, client, ts.URL+"/app/tokens")
	if strings.Contains(body, secret[1]) {
		t.Errorf("the tokens page shows the secret again")
	}
	res, body = pagePost(t, client, ts.URL+"/app/tokens", url.Values{"name": {"  "}}, nil)
	checkPage(t, "token without a name", res, body, http.StatusBadRequest, "donnez un nom")

	res, _ = pagePost(t, client, ts.URL+"/app/tokens/"+tok.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/tokens" {
		t.Errorf("revoke = %d to %q, want 303 to /app/tokens", res.StatusCode, res.Header.Get("Location"))
	}
	res, data = apiRaw(t, nil, "GET", ts.URL+"/api/v1/workshops", tok.Token, nil, nil)
	if e := mustDecodeError(t, data); res.StatusCode != http.StatusUnauthorized || e.Error.Code != "unauthorized" {
		t.Errorf("revoked token = %d %s, want 401 unauthorized", res.StatusCode, e.Error.Code)
	}
	res, body = pagePost(t, client, ts.URL+"/app/tokens/"+tok.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	checkPage(t, "revoke twice", res, body, http.StatusNotFound, "introuvable")
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
		t.Errorf("the other token after revoking one = %d, want 200", status)
	}
	// A token can list and revoke itself.
	var mine struct{ Tokens []struct{ ID, Name string } }
	if status := ts.do(t, secret[1], "GET", "/api/v1/tokens", nil, &mine); status != http.StatusOK || len(mine.Tokens) != 1 || mine.Tokens[0].Name != "<b>Sauvegarde</b>" {
		t.Fatalf("GET /api/v1/tokens = %d %+v, want the one token left", status, mine.Tokens)
	}
	if status := ts.do(t, secret[1], "DELETE", "/api/v1/tokens/"+mine.Tokens[0].ID, nil, nil); status != http.StatusNoContent {
		t.Errorf("a token revoking itself = %d, want 204", status)
	}
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("token after revoking itself = %d, want 401", status)
	}
}

// TestLoginThrottle: failures per e-mail and per client lead to 429 with
// Retry-After; after the wait (on the test clock) a good password works.
func TestLoginThrottle(t *testing.T) {
	ts, clock, logs := mustOpenClocked(t)
	admin := ts.token(t)
	fac := apiNewAccount(t, ts, admin, "anim@example.org", "facilitator")

	login := func(client, email, password string) (*http.Response, []byte) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"email": email, "password": password})
		return apiRaw(t, nil, "POST", ts.URL+"/api/v1/auth/login", "", http.Header{"Content-Type": {"application/json"}, "X-Forwarded-For": {client}}, bytes.NewReader(body))
	}
	expect := func(what string, res *http.Response, data []byte, want int, retryAfter string) {
		t.Helper()
		if res.StatusCode != want {
			t.Fatalf("%s = %d, want %d (%s)", what, res.StatusCode, want, data)
		}
		if want == http.StatusTooManyRequests {
			e := mustDecodeError(t, data)
			if e.Error.Code != "too_many_requests" || !strings.Contains(e.Error.Message, "Trop de tentatives") {
				t.Errorf("%s: error %+v, want too_many_requests in French", what, e.Error)
			}
			if got := res.Header.Get("Retry-After"); got != retryAfter {
				t.Errorf("%s: Retry-After = %q, want %q", what, got, retryAfter)
			}
		}
	}

	t.Run("per e-mail", func(t *testing.T) {
		for i := range 5 {
			res, data := login("198.51.100.1", fac.Email, "mauvais")
			expect("failure "+string(rune('1'+i)), res, data, http.StatusUnauthorized, "")
		}
		// Blocked, even with the right password; but never another client
		// (the contract: someone else's failures do not lock the owner out).
		res, data := login("198.51.100.1", fac.Email, fac.Password)
		expect("right password while blocked", res, data, http.StatusTooManyRequests, "2")
		res, data = login("198.51.100.2", strings.ToUpper(fac.Email), fac.Password)
		expect("another client while blocked", res, data, http.StatusOK, "")
		// Other accounts are not blocked.
		res, data = login("198.51.100.1", testAdminEmail, testAdminPassword)
		expect("another account", res, data, http.StatusOK, "")

		clock.Add(2 * time.Second)
		res, data = login("198.51.100.1", fac.Email, "encore mauvais")
		expect("sixth failure", res, data, http.StatusUnauthorized, "")
		res, data = login("198.51.100.1", fac.Email, fac.Password)
		expect("after the sixth failure", res, data, http.StatusTooManyRequests, "4")
		clock.Add(3 * time.Second)
		res, data = login("198.51.100.1", fac.Email, fac.Password)
		expect("one second early", res, data, http.StatusTooManyRequests, "1")
		clock.Add(time.Second)
		res, data = login("198.51.100.1", fac.Email, fac.Password)
		expect("after the wait", res, data, http.StatusOK, "")

		// A success starts the count again.
		for range 4 {
			res, data := login("198.51.100.1", fac.Email, "mauvais")
			expect("failure after a success", res, data, http.StatusUnauthorized, "")
		}
		res, data = login("198.51.100.1", fac.Email, fac.Password)
		expect("fifth try, right password", res, data, http.StatusOK, "")
	})

	t.Run("per client", func(t *testing.T) {
		for i := range 20 {
			res, data := login("203.0.113.7", "inconnu"+string(rune('a'+i))+"@example.org", "mauvais")
			expect("spray", res, data, http.StatusUnauthorized, "")
		}
		res, data := login("203.0.113.7", testAdminEmail, testAdminPassword)
		expect("good account from the spraying client", res, data, http.StatusTooManyRequests, "2")
		res, data = login("203.0.113.8", testAdminEmail, testAdminPassword)
		expect("good account from another client", res, data, http.StatusOK, "")
		clock.Add(2 * time.Second)
		res, data = login("203.0.113.7", testAdminEmail, testAdminPassword)
		expect("spraying client after the wait", res, data, http.StatusOK, "")
	})

	t.Run("login page", func(t *testing.T) {
		client := browserClient(t)
		h := http.Header{"X-Forwarded-For": {"192.0.2.50"}}
		for range 5 {
			res, body := pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {"mauvais"}}, h)
			checkPage(t, "page failure", res, body, http.StatusUnauthorized, "incorrect")
		}
		res, body := pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, h)
		checkPage(t, "throttled page", res, body, http.StatusTooManyRequests, "Trop de tentatives de connexion. Réessayez dans 2 secondes.", testAdminEmail)
		if res.Header.Get("Retry-After") != "2" || cookieNamed(res, "declic_session") != nil {
			t.Errorf("throttled page: Retry-After %q, cookie %v; want 2 and no session", res.Header.Get("Retry-After"), cookieNamed(res, "declic_session"))
		}
		clock.Add(2 * time.Second)
		res, _ = pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, h)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("page login after the wait = %d, want 303", res.StatusCode)
		}
	})

	t.Run("password change is throttled too", func(t *testing.T) {
		tok := apiLoginAs(t, ts, fac.Email, fac.Password)
		for range 5 {
			if status := ts.do(t, tok, "PUT", "/api/v1/auth/password", map[string]string{"current_password": "devine", "new_password": "une autre phrase"}, nil); status != http.StatusBadRequest {
				t.Fatalf("wrong current password = %d, want 400", status)
			}
		}
		if status := ts.do(t, tok, "PUT", "/api/v1/auth/password", map[string]string{"current_password": fac.Password, "new_password": "une autre phrase"}, nil); status != http.StatusTooManyRequests {
			t.Errorf("password change after 5 wrong ones = %d, want 429", status)
		}
	})

	// The client addresses were only in memory.
	for _, ip := range []string{"198.51.100.1", "203.0.113.7", "192.0.2.50"} {
		if strings.Contains(logs.String(), ip) {
			t.Errorf("the logs contain the client address %s", ip)
		}
	}
}

// TestUserSessionCookies checks the cookie flags, session expiry and
// logout through the API.
func TestUserSessionCookies(t *testing.T) {
	ts, clock, _ := mustOpenClocked(t)
	form := url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}
	for _, tt := range []struct {
		name   string
		header http.Header
		secure bool
	}{
		{"plain HTTP", nil, false},
		{"behind an HTTPS proxy", http.Header{"X-Forwarded-Proto": {"https"}}, true},
	} {
		res, _ := pagePost(t, browserClient(t), ts.URL+"/login", form, tt.header)
		c := cookieNamed(res, "declic_session")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure || c.MaxAge != 14*24*3600 {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, 14 days", tt.name, c, tt.secure)
		}
	}

	client := pageLogin(t, ts)
	token := ts.token(t)
	clock.Add(14*24*time.Hour - time.Minute)
	if res, _ := pageGet(t, client, ts.URL+"/app"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /app just before expiry = %d, want 200", res.StatusCode)
	}
	clock.Add(2 * time.Minute)
	if res, _ := pageGet(t, client, ts.URL+"/app"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /app after expiry = %d, want 303 to login", res.StatusCode)
	}
	if status := ts.do(t, token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("API after expiry = %d, want 401", status)
	}

	token = ts.token(t)
	if status := ts.do(t, token, "POST", "/api/v1/auth/logout", nil, nil); status != http.StatusNoContent {
		t.Errorf("POST /api/v1/auth/logout = %d, want 204", status)
	}
	if status := ts.do(t, token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("API after logout = %d, want 401", status)
	}
}
