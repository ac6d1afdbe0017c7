package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"declic/surveys"
)

type tokenList struct {
	Tokens []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		CreatedOn  string `json:"created_on"`
		LastUsedOn string `json:"last_used_on"`
		ExpiresOn  string `json:"expires_on"`
		Expired    bool   `json:"expired"`
	}
}

// Finding 2: after an admin reset a password, the old token answered 403
// only until the new password was set, then worked again; a password
// change kept tokens too; tokens never expired.
func TestTokensRevokedOnPasswordReset(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "admin@example.org", surveys.RoleAdmin, "le-bon-mot-de-passe")
	fac := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	_, admin := ts.loginFrom("192.0.2.1", "admin@example.org", "le-bon-mot-de-passe")
	_, session := ts.loginFrom("192.0.2.2", "anim@example.org", "mot-de-passe-anim")
	var tok struct{ Token string }
	if code := ts.do(t, session, "POST", "/api/v1/tokens", `{"name": "tableur"}`, &tok); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/tokens = %d", code)
	}
	var reset struct{ Password string }
	if code := ts.do(t, admin, "PATCH", "/api/v1/users/"+fac.ID, `{"reset_password": true}`, &reset); code != http.StatusOK || reset.Password == "" {
		t.Fatalf("reset = %d %+v", code, reset)
	}
	// The user sets a new password with the one-time one...
	_, fresh := ts.loginFrom("192.0.2.2", "anim@example.org", reset.Password)
	if code := ts.do(t, fresh, "PUT", "/api/v1/auth/password", `{"current_password": "`+reset.Password+`", "new_password": "un tout nouveau mot"}`, nil); code != http.StatusNoContent {
		t.Fatalf("new password = %d", code)
	}
	// ...and the token made before the reset still does not work.
	if code := ts.do(t, tok.Token, "GET", "/api/v1/workshops", "", nil); code != http.StatusUnauthorized {
		t.Errorf("token made before the reset, once a new password is set = %d, want 401", code)
	}
	if code := ts.do(t, session, "GET", "/api/v1/workshops", "", nil); code != http.StatusUnauthorized {
		t.Errorf("session from before the reset = %d, want 401", code)
	}
}

func TestTokensRevokedOnPasswordChange(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	_, session := ts.loginFrom("192.0.2.2", "anim@example.org", "mot-de-passe-anim")
	_, other := ts.loginFrom("192.0.2.3", "anim@example.org", "mot-de-passe-anim")
	var tok struct{ Token string }
	ts.do(t, session, "POST", "/api/v1/tokens", `{"name": "tableur"}`, &tok)
	if code := ts.do(t, session, "PUT", "/api/v1/auth/password", `{"current_password": "mot-de-passe-anim", "new_password": "un tout nouveau mot"}`, nil); code != http.StatusNoContent {
		t.Fatalf("change = %d", code)
	}
	if code := ts.do(t, tok.Token, "GET", "/api/v1/workshops", "", nil); code != http.StatusUnauthorized {
		t.Errorf("token after a password change = %d, want 401", code)
	}
	if code := ts.do(t, other, "GET", "/api/v1/workshops", "", nil); code != http.StatusUnauthorized {
		t.Errorf("another session after a password change = %d, want 401", code)
	}
	if code := ts.do(t, session, "GET", "/api/v1/workshops", "", nil); code != http.StatusOK {
		t.Errorf("the session that made the change = %d, want 200", code)
	}
}

func TestTokensExpire(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	_, session := ts.loginFrom("192.0.2.2", "anim@example.org", "mot-de-passe-anim")
	var year, month struct {
		Token     string `json:"token"`
		ExpiresOn string `json:"expires_on"`
	}
	if code := ts.do(t, session, "POST", "/api/v1/tokens", `{"name": "un an"}`, &year); code != http.StatusCreated || year.ExpiresOn != "2027-03-02" {
		t.Fatalf("POST token = %d, expires_on %q; want 201 and 2027-03-02 (one year)", code, year.ExpiresOn)
	}
	if code := ts.do(t, session, "POST", "/api/v1/tokens", `{"name": "un mois", "expires_on": "2026-04-01"}`, &month); code != http.StatusCreated || month.ExpiresOn != "2026-04-01" {
		t.Fatalf("POST token with expires_on = %d %q", code, month.ExpiresOn)
	}
	for _, bad := range []string{"2026-03-02", "2028-01-01", "demain"} {
		if code := ts.do(t, session, "POST", "/api/v1/tokens", `{"name": "x", "expires_on": "`+bad+`"}`, nil); code != http.StatusBadRequest {
			t.Errorf("expires_on %q = %d, want 400", bad, code)
		}
	}
	// Last use is kept to the day.
	ts.Clock.Add(3 * time.Hour)
	if code := ts.do(t, year.Token, "GET", "/api/v1/workshops", "", nil); code != http.StatusOK {
		t.Fatalf("fresh token = %d", code)
	}
	var list tokenList
	ts.do(t, session, "GET", "/api/v1/tokens", "", &list)
	for _, tk := range list.Tokens {
		if tk.Name == "un an" && (tk.LastUsedOn != "2026-03-02" || tk.ExpiresOn != "2027-03-02") {
			t.Errorf("listed token %+v, want last use 2026-03-02 (a day, no time) and expiry 2027-03-02", tk)
		}
	}
	// The last day still works, the next does not.
	ts.Clock.Add(30 * 24 * time.Hour) // 2026-04-01
	if code := ts.do(t, month.Token, "GET", "/api/v1/workshops", "", nil); code != http.StatusOK {
		t.Errorf("token on its last day = %d, want 200", code)
	}
	ts.Clock.Add(24 * time.Hour)
	rec := ts.request(request{method: "GET", path: "/api/v1/workshops", header: map[string]string{"Authorization": "Bearer " + month.Token}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "expiré") {
		t.Errorf("token the day after its expiry = %d %s, want 401 saying it expired", rec.Code, rec.Body)
	}
	_, session = ts.loginFrom("192.0.2.2", "anim@example.org", "mot-de-passe-anim")
	list = tokenList{}
	ts.do(t, session, "GET", "/api/v1/tokens", "", &list)
	for _, tk := range list.Tokens {
		if tk.Name == "un mois" && !tk.Expired {
			t.Errorf("listed expired token %+v, want expired: true", tk)
		}
	}
	// The page shows the expiry.
	rec = ts.request(request{method: "GET", path: "/app/tokens", cookies: []*http.Cookie{{Name: "declic_session", Value: session}}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Expire le") || !strings.Contains(rec.Body.String(), "expiré") {
		t.Errorf("tokens page = %d, want the expiry column and the expired mark", rec.Code)
	}
}
