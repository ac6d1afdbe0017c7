package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestUserAPI covers /api/v1/users for an admin.
func TestUserAPI(t *testing.T) {
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
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

	res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/users", admin, nil, nil)
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
		res, data := ts.raw(t, nil, tt.method, ts.URL+tt.path, admin, http.Header{"Content-Type": {"application/json"}}, strings.NewReader(tt.body))
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
