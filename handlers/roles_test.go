package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

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
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
	admin := ts.token(t)
	manager := ts.newAccount(t, admin, "responsable@example.org", "manager")
	owner := ts.newAccount(t, admin, "proprio@example.org", "facilitator")
	added := ts.newAccount(t, admin, "ajoute@example.org", "facilitator")
	other := ts.newAccount(t, admin, "autre@example.org", "facilitator")
	disabled := ts.newAccount(t, admin, "parti@example.org", "facilitator")

	// W1 belongs to owner, who gets added as a co-facilitator; W0 to the admin.
	w1 := ts.newWorkshop(t, owner.Token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'animatrice", "date": "2026-03-10"})
	w0 := ts.newWorkshop(t, admin, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'admin", "date": "2026-03-11"})
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
			res, body := ts.raw(t, ts.client(testPeer), "GET", ts.URL+"/app", "", credential{cookie: c.token}.header(), nil)
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
			res, data := ts.raw(t, nil, r.method, ts.URL+r.path, "", c.cred.header(), strings.NewReader(r.body))
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
			res, data := ts.raw(t, ts.client(testPeer), p.method, ts.URL+p.path, "", h, body)
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
