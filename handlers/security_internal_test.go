package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"declic/surveys"
	"declic/surveys/sqlite"
	"declic/templates"
)

// The tricks that turn a "path" into another site, once a browser has
// read it. Each must come back as /app.
func TestSafeNextTricks(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/app/workshops/new", "/app/workshops/new"},
		{"/app/reports?from=2026-01-01&partner=Coll%C3%A8ge", "/app/reports?from=2026-01-01&partner=Coll%C3%A8ge"},
		{"/f/ABC234#haut", "/f/ABC234#haut"},
		{"", "/app"},
		{"app", "/app"},
		{"//evil.example", "/app"},
		{"///evil.example", "/app"},
		{"/\\evil.example", "/app"},
		{"\\\\evil.example", "/app"},
		{"/\t/evil.example", "/app"},     // a tab browsers drop
		{"/%09/evil.example", "/app"},    // the same tab, still encoded
		{"/\r\n/evil.example", "/app"},   // CR/LF
		{"/%0d%0a/evil.example", "/app"}, // encoded CR/LF
		{"\x00//evil.example", "/app"},   // NUL first
		{" //evil.example", "/app"},      // leading space browsers trim
		{"/%2F/evil.example", "/app"},    // encoded slash
		{"/%2f%2fevil.example", "/app"},  // encoded slashes, lower case
		{"/%5Cevil.example", "/app"},     // encoded backslash
		{"/%5c%5cevil.example", "/app"},  // both, lower case
		{"https://evil.example/app", "/app"},
		{"http:evil.example", "/app"},
		{"javascript:alert(1)", "/app"},
		{"data:text/html,<script>", "/app"},
		{"/app\\..\\..\\evil", "/app"},
		{"/%zz", "/app"},
		{"/" + strings.Repeat("a", 3000), "/app"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

// Failed logins cannot take the processor: password checks wait for one
// of a few slots, and a try that finds none in time gets 429, uncounted.
func TestPasswordChecksBounded(t *testing.T) {
	store, err := sqlite.Open(context.Background(), sqlite.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(Deps{Store: store, Templates: tmpl, Pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if n := passwordSlots(); n < 1 {
		t.Fatalf("passwordSlots = %d", n)
	}
	s.passwordWait = 0
	if !s.passwords.TryAcquire(passwordSlots()) {
		t.Fatal("could not take every slot")
	}
	h := s.routes()
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"email": "a@example.org", "password": "devine"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Trop de connexions en même temps") {
		t.Errorf("login with every slot busy = %d %s (Retry-After %q), want 429 in French", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	s.passwords.Release(passwordSlots())
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"email": "a@example.org", "password": "devine"}`))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("login once a slot is free = %d, want 401", rec.Code)
	}
}
