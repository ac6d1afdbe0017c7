package handlers_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"declic/surveys"
)

// Finding 3: X-Forwarded-For was believed from any private address, so a
// phone on the classroom network escaped the per-client limit by
// rotating it. Now only DECLIC_TRUSTED_PROXIES speak for others.
func TestForwardedForBelievedOnlyFromTrustedProxies(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "prof@example.org", surveys.RoleFacilitator, "le-bon-mot-de-passe")
	// A phone on the school Wi-Fi tries 20 e-mails, each from a "new" address.
	for i := range 20 {
		rec := ts.request(request{method: "POST", path: "/api/v1/auth/login", from: "10.0.0.23",
			body:   `{"email": "x` + strconv.Itoa(i) + `@example.org", "password": "devine"}`,
			header: map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)}})
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("try %d = %d, want 401", i+1, rec.Code)
		}
	}
	rec := ts.request(request{method: "POST", path: "/api/v1/auth/login", from: "10.0.0.23",
		body:   `{"email": "y@example.org", "password": "devine"}`,
		header: map[string]string{"X-Forwarded-For": "198.51.100.99"}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("21st try with yet another X-Forwarded-For = %d (Retry-After %q), want 429: the header must be ignored from an untrusted peer",
			rec.Code, rec.Header().Get("Retry-After"))
	}

	// Behind a trusted proxy, the forwarded address is the client.
	ts = newTestServer(t, withoutAdmin, at(march2), trustProxies("127.0.0.1, 10.1.0.0/16"))
	ts.userWithPassword(t, "prof@example.org", surveys.RoleFacilitator, "le-bon-mot-de-passe")
	for i := range 20 {
		ts.request(request{method: "POST", path: "/api/v1/auth/login", from: "10.1.2.3",
			body: `{"email": "x` + strconv.Itoa(i) + `@example.org", "password": "devine"}`, header: map[string]string{"X-Forwarded-For": "203.0.113.7"}})
	}
	// The client's own left-most entry is not believed: the proxy appended the real one.
	rec = ts.request(request{method: "POST", path: "/api/v1/auth/login", from: "10.1.2.3",
		body: `{"email": "prof@example.org", "password": "le-bon-mot-de-passe"}`, header: map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}})
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("blocked client behind the proxy, spoofing an address on the left = %d, want 429", rec.Code)
	}
	rec = ts.request(request{method: "POST", path: "/api/v1/auth/login", from: "10.1.2.3",
		body: `{"email": "prof@example.org", "password": "le-bon-mot-de-passe"}`, header: map[string]string{"X-Forwarded-For": "203.0.113.8"}})
	if rec.Code != http.StatusOK {
		t.Errorf("another client behind the same proxy = %d, want 200", rec.Code)
	}
}

// Finding 4: five bad tries by anyone locked the owner out for up to 15
// minutes. Now failures count per (e-mail, client): the owner's right
// password from their own machine always works.
func TestLoginThrottleSparesTheOwner(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "admin@example.org", surveys.RoleAdmin, "le-bon-mot-de-passe")
	for range 8 {
		ts.loginFrom("203.0.113.66", "admin@example.org", "devine")
	}
	if code, _ := ts.loginFrom("203.0.113.66", "admin@example.org", "le-bon-mot-de-passe"); code != http.StatusTooManyRequests {
		t.Errorf("the attacker's client, right password = %d, want 429", code)
	}
	if code, tok := ts.loginFrom("192.0.2.44", "admin@example.org", "le-bon-mot-de-passe"); code != http.StatusOK || tok == "" {
		t.Errorf("the owner from their own machine = %d, want 200", code)
	}
	// An IPv6 client counts as its /64: changing the last bits changes nothing.
	for i := range 5 {
		ts.loginFrom("2001:db8:1:2::"+strconv.Itoa(i+1), "admin@example.org", "devine")
	}
	if code, _ := ts.loginFrom("2001:db8:1:2::ff", "admin@example.org", "le-bon-mot-de-passe"); code != http.StatusTooManyRequests {
		t.Errorf("another address in the same IPv6 /64 = %d, want 429", code)
	}
	// No address in the logs.
	for _, ip := range []string{"203.0.113.66", "192.0.2.44", "2001:db8"} {
		if strings.Contains(ts.Logs.String(), ip) {
			t.Errorf("the logs contain the client address %s", ip)
		}
	}
}

// Finding 1: next=/%09/evil.example passed the check, and browsers drop
// the tab and follow //evil.example.
func TestLoginNextStaysOnSite(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "admin@example.org", surveys.RoleAdmin, "le-bon-mot-de-passe")
	for _, next := range []string{"/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", "\r\n//evil.example"} {
		rec := ts.request(request{method: "POST", path: "/login", from: "192.0.2.1",
			body: form("email", "admin@example.org", "password", "le-bon-mot-de-passe", "next", next)})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/app" {
			t.Errorf("login with next=%q = %d to %q, want 303 to /app", next, rec.Code, rec.Header().Get("Location"))
		}
	}
	rec := ts.request(request{method: "POST", path: "/login", from: "192.0.2.1",
		body: form("email", "admin@example.org", "password", "le-bon-mot-de-passe", "next", "/app/workshops/new?x=1")})
	if rec.Header().Get("Location") != "/app/workshops/new?x=1" {
		t.Errorf("a genuine next goes to %q, want /app/workshops/new?x=1", rec.Header().Get("Location"))
	}
}

// Cookies are Secure when the request came over HTTPS: directly, or said
// so by a trusted proxy; an untrusted X-Forwarded-Proto says nothing.
func TestSecureCookiesAndHSTS(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), trustProxies("127.0.0.1"))
	ts.userWithPassword(t, "admin@example.org", surveys.RoleAdmin, "le-bon-mot-de-passe")
	for _, tt := range []struct {
		name   string
		from   string
		secure bool
	}{{"trusted proxy", "127.0.0.1", true}, {"anyone else", "192.0.2.9", false}} {
		rec := ts.request(request{method: "POST", path: "/login", from: tt.from, header: map[string]string{"X-Forwarded-Proto": "https"},
			body: form("email", "admin@example.org", "password", "le-bon-mot-de-passe")})
		c := cookieOf(rec, "declic_session")
		if c == nil || c.Secure != tt.secure {
			t.Errorf("%s saying https: cookie %+v, want Secure=%v", tt.name, c, tt.secure)
		}
		if got := rec.Header().Get("Strict-Transport-Security"); (got != "") != tt.secure {
			t.Errorf("%s saying https: HSTS %q, want it only over HTTPS", tt.name, got)
		}
	}
}
