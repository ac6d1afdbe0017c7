package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLoginThrottle: failures per e-mail and per client lead to 429 with
// Retry-After; after the wait (on the test clock) a good password works.
func TestLoginThrottle(t *testing.T) {
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
	clock, logs := ts.Clock, ts.Logs
	admin := ts.token(t)
	fac := ts.newAccount(t, admin, "anim@example.org", "facilitator")

	login := func(client, email, password string) (*http.Response, []byte) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"email": email, "password": password})
		return ts.raw(t, nil, "POST", ts.URL+"/api/v1/auth/login", "", http.Header{"Content-Type": {"application/json"}, "X-Forwarded-For": {client}}, bytes.NewReader(body))
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
		client := ts.browser()
		h := http.Header{"X-Forwarded-For": {"192.0.2.50"}}
		for range 5 {
			res, body := ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {"mauvais"}}, h)
			checkPage(t, "page failure", res, body, http.StatusUnauthorized, "incorrect")
		}
		res, body := ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, h)
		checkPage(t, "throttled page", res, body, http.StatusTooManyRequests, "Trop de tentatives de connexion. Réessayez dans 2 secondes.", testAdminEmail)
		if res.Header.Get("Retry-After") != "2" || cookieNamed(res, "declic_session") != nil {
			t.Errorf("throttled page: Retry-After %q, cookie %v; want 2 and no session", res.Header.Get("Retry-After"), cookieNamed(res, "declic_session"))
		}
		clock.Add(2 * time.Second)
		res, _ = ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, h)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("page login after the wait = %d, want 303", res.StatusCode)
		}
	})

	t.Run("password change is throttled too", func(t *testing.T) {
		tok := ts.login(t, fac.Email, fac.Password)
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
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
	clock := ts.Clock
	form := url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}
	for _, tt := range []struct {
		name   string
		header http.Header
		secure bool
	}{
		{"plain HTTP", nil, false},
		{"behind an HTTPS proxy", http.Header{"X-Forwarded-Proto": {"https"}}, true},
	} {
		res, _ := ts.pagePost(t, ts.browser(), ts.URL+"/login", form, tt.header)
		c := cookieNamed(res, "declic_session")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure || c.MaxAge != 14*24*3600 {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, 14 days", tt.name, c, tt.secure)
		}
	}

	client := ts.pageLogin(t)
	token := ts.token(t)
	clock.Add(14*24*time.Hour - time.Minute)
	if res, _ := ts.pageGet(t, client, ts.URL+"/app"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /app just before expiry = %d, want 200", res.StatusCode)
	}
	clock.Add(2 * time.Minute)
	if res, _ := ts.pageGet(t, client, ts.URL+"/app"); res.StatusCode != http.StatusSeeOther {
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
