package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAPILogin(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name string
		body any
		want int
	}{
		{"ok", map[string]string{"email": testAdminEmail, "password": testAdminPassword}, http.StatusOK},
		{"ok with upper-case e-mail", map[string]string{"email": strings.ToUpper(testAdminEmail), "password": testAdminPassword}, http.StatusOK},
		{"wrong password", map[string]string{"email": testAdminEmail, "password": "pas-le-bon-mot-de-passe"}, http.StatusUnauthorized},
		{"unknown e-mail", map[string]string{"email": "personne@example.org", "password": testAdminPassword}, http.StatusUnauthorized},
		{"empty", map[string]string{}, http.StatusUnauthorized},
		{"malformed JSON", `{"email": "admin@example.org", "password": `, http.StatusBadRequest},
		{"not an object", `["admin@example.org"]`, http.StatusBadRequest},
		{"operator as password", `{"email": "admin@example.org", "password": {"$ne": ""}}`, http.StatusBadRequest},
		{"unknown field", `{"email": "admin@example.org", "password": "x", "role": "admin"}`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out map[string]any
			got := ts.do(t, "", "POST", "/api/v1/auth/login", tt.body, &out)
			if got != tt.want {
				t.Fatalf("status = %d, want %d (body %v)", got, tt.want, out)
			}
			if tt.want == http.StatusOK {
				if tok, _ := out["token"].(string); len(tok) < 20 {
					t.Errorf("token = %q, want a long token", tok)
				}
				return
			}
			b, _ := json.Marshal(out)
			e := mustDecodeError(t, b)
			if tt.want == http.StatusUnauthorized && e.Error.Code != "unauthorized" {
				t.Errorf("code = %q, want unauthorized", e.Error.Code)
			}
		})
	}
}

func TestAPIAuthRequired(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier", "date": "2026-03-12"})
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/questionnaires", ""},
		{"POST", "/api/v1/questionnaires", impactDefinition},
		{"GET", "/api/v1/questionnaires/odd-v1", ""},
		{"GET", "/api/v1/workshops", ""},
		{"POST", "/api/v1/workshops", `{"questionnaire_id": "odd-v1", "title": "x", "date": "2026-03-12"}`},
		{"GET", "/api/v1/workshops/" + w.ID, ""},
		{"PUT", "/api/v1/workshops/" + w.ID + "/phase", `{"phase": "pre"}`},
		{"GET", "/api/v1/workshops/" + w.ID + "/results", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/qr.png", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/qr.svg", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts/prepost.png", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts/prepost.svg", ""},
		{"GET", "/api/v1/workshops/unknown/results", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/charts.zip", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/responses.csv", ""},
		{"GET", "/api/v1/workshops/" + w.ID + "/responses.xlsx", ""},
		{"PUT", "/api/v1/workshops/" + w.ID + "/attendance", `{"attendance": 12}`},
		{"DELETE", "/api/v1/workshops/" + w.ID, ""},
		{"GET", "/api/v1/reports?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/charts/likert.svg?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/charts.zip?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/responses.csv?questionnaire_id=odd-v1", ""},
		{"GET", "/api/v1/reports/responses.xlsx?questionnaire_id=odd-v1", ""},
	}
	credentials := []struct {
		name   string
		header string
	}{
		{"no token", ""},
		{"bad token", "Bearer " + strings.Repeat("x", 43)},
		{"empty bearer", "Bearer "},
		{"basic auth", "Basic YWRtaW46YWRtaW4="},
		{"token without scheme", token},
		{"huge token", "Bearer " + strings.Repeat("a", 5000)},
	}
	for _, r := range routes {
		for _, c := range credentials {
			t.Run(r.method+" "+r.path+" "+c.name, func(t *testing.T) {
				h := http.Header{"Content-Type": {"application/json"}}
				if c.header != "" {
					h.Set("Authorization", c.header)
				}
				res, data := ts.raw(t, nil, r.method, ts.URL+r.path, "", h, strings.NewReader(r.body))
				if res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status = %d, want 401 (body %s)", res.StatusCode, data)
				}
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type = %q, want JSON", ct)
				}
				if e := mustDecodeError(t, data); e.Error.Code != "unauthorized" {
					t.Errorf("code = %q, want unauthorized", e.Error.Code)
				}
			})
		}
	}
	// Nothing was changed by the refused requests.
	var got workshopOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
	if got.Phase != "closed" {
		t.Errorf("phase after refused PUT = %q, want closed", got.Phase)
	}
}
