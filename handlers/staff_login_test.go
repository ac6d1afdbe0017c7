package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPageLoginLogout(t *testing.T) {
	ts := newTestServer(t)

	t.Run("pages need a session", func(t *testing.T) {
		client := ts.browser()
		for _, p := range []string{"/app", "/app/workshops/new", "/app/workshops/abc", "/app/workshops/abc/results", "/app/workshops/abc/poster", "/app/workshops/abc/counts"} {
			res, _ := ts.pageGet(t, client, ts.URL+p)
			if want := "/login?next=" + url.QueryEscape(p); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Errorf("GET %s = %d to %q, want 303 to %q", p, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		res, _ := ts.pagePost(t, client, ts.URL+"/app/workshops", url.Values{"title": {"x"}}, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("POST /app/workshops without session = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = ts.pageGet(t, client, ts.URL+"/")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
			t.Errorf("GET / = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := ts.pageGet(t, client, ts.URL+"/login?next=/app/workshops/new")
		checkPage(t, "login page", res, body, http.StatusOK, "Se connecter", "Mot de passe", `name="next" value="/app/workshops/new"`)
	})

	t.Run("wrong credentials", func(t *testing.T) {
		client := ts.browser()
		for _, form := range []url.Values{
			{"email": {testAdminEmail}, "password": {"mauvais-mot-de-passe"}},
			{"email": {"inconnu@example.org"}, "password": {testAdminPassword}},
			{},
		} {
			res, body := ts.pagePost(t, client, ts.URL+"/login", form, nil)
			checkPage(t, "wrong login", res, body, http.StatusUnauthorized, "incorrect")
			if cookieNamed(res, "declic_session") != nil {
				t.Errorf("a failed login set a session cookie")
			}
		}
	})

	t.Run("login, use, logout", func(t *testing.T) {
		client := ts.browser()
		res, _ := ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {" " + strings.ToUpper(testAdminEmail)}, "password": {testAdminPassword}, "next": {"/app/workshops/new"}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/workshops/new" {
			t.Fatalf("POST /login = %d to %q, want 303 to /app/workshops/new", res.StatusCode, res.Header.Get("Location"))
		}
		c := cookieNamed(res, "declic_session")
		if c == nil || !c.HttpOnly || c.Value == "" || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v, want HttpOnly, Path /, SameSite Lax", c)
		}
		res, body := ts.pageGet(t, client, ts.URL+"/app")
		checkPage(t, "dashboard", res, body, http.StatusOK, "Ateliers", testAdminEmail, "Se déconnecter")
		// The browser session also opens the API.
		res, _ = ts.pageGet(t, client, ts.URL+"/api/v1/workshops")
		if res.StatusCode != http.StatusOK {
			t.Errorf("API with the session cookie = %d, want 200", res.StatusCode)
		}
		res, _ = ts.pageGet(t, client, ts.URL+"/login")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
			t.Errorf("GET /login when logged in = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
		}

		res, _ = ts.pagePost(t, client, ts.URL+"/logout", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("POST /logout = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
		}
		if gone := cookieNamed(res, "declic_session"); gone == nil || gone.MaxAge >= 0 {
			t.Errorf("logout cookie = %+v, want it deleted", gone)
		}
		res, _ = ts.pageGet(t, client, ts.URL+"/app")
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("GET /app after logout = %d, want 303 to login", res.StatusCode)
		}
		// The old token is dead on the server too, not only in this browser.
		stolen := ts.browser()
		res, _ = ts.raw(t, stolen, "GET", ts.URL+"/app", "", http.Header{"Cookie": {"declic_session=" + c.Value}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("GET /app with the logged-out cookie = %d, want 303 to login", res.StatusCode)
		}
	})

	t.Run("next stays on this site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			client := ts.browser()
			res, _ := ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}, "next": {next}}, nil)
			if loc := res.Header.Get("Location"); loc != "/app" {
				t.Errorf("next %q: Location = %q, want /app", next, loc)
			}
		}
	})
}
