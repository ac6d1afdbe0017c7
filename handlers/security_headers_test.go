package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPageSecurity(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	client := ts.pageLogin(t)
	w := ts.openWorkshop(t, token, "odd-v1", "pre")

	for _, p := range []string{"/app", "/login", "/f/" + w.Code, "/f/ZZZZZZ", "/api/v1/workshops"} {
		t.Run("headers "+p, func(t *testing.T) {
			res, _ := ts.pageGet(t, client, ts.URL+p)
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline code", csp)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if got := h.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options = %q, want DENY", got)
			}
		})
	}

	cross := []struct {
		name   string
		header http.Header
	}{
		{"Sec-Fetch-Site cross-site", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"Sec-Fetch-Site same-site", http.Header{"Sec-Fetch-Site": {"same-site"}}},
		{"foreign Origin", http.Header{"Origin": {"https://evil.example"}}},
	}
	for _, c := range cross {
		t.Run("cross-site "+c.name, func(t *testing.T) {
			res, _ := ts.pagePost(t, client, ts.URL+"/app/workshops", url.Values{"questionnaire_id": {"odd-v1"}, "title": {"CSRF"}, "date": {"2026-03-12"}}, c.header)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST /app/workshops = %d, want 403", res.StatusCode)
			}
			res, _ = ts.pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/phase", url.Values{"phase": {"closed"}}, c.header)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST phase = %d, want 403", res.StatusCode)
			}
			res, _ = ts.pagePost(t, client, ts.URL+"/f/"+w.Code, url.Values{"a_odd_expliquer": {"1"}, "code_mere": {"A"}, "code_jour": {"1"}, "code_mois": {"3"}, "code_lettre2": {"B"}}, c.header)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST to the pupil form = %d, want 403", res.StatusCode)
			}
		})
	}
	var list struct{ Workshops []workshopOut }
	ts.do(t, token, "GET", "/api/v1/workshops", nil, &list)
	if len(list.Workshops) != 1 || list.Workshops[0].Phase != "pre" {
		t.Errorf("after cross-site POSTs: %d workshops, phase %q; want 1 in pre", len(list.Workshops), list.Workshops[0].Phase)
	}

	// The same request from the site itself is accepted.
	res, _ := ts.pagePost(t, client, ts.URL+"/app/workshops", url.Values{"questionnaire_id": {"odd-v1"}, "title": {"Même site"}, "date": {"2026-03-12"}},
		http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {ts.URL}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST /app/workshops = %d, want 303", res.StatusCode)
	}
}
