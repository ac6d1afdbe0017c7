package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/handlers"
	"declic/surveys"
)

// First run without reading the README: an empty store gets a one-time
// setup link; the page creates the first admin, then is gone.
func TestSetupCreatesFirstAdminOnce(t *testing.T) {
	const token = "jeton-de-premier-demarrage-0123456789"
	ts := newTestServer(t, withoutAdmin, at(march2), withDeps(func(d *handlers.Deps) { d.Setup = handlers.NewSetup(token) }))
	rec := ts.request(request{method: "GET", path: "/login"})
	if !strings.Contains(rec.Body.String(), "Aucun compte n&#39;existe encore") && !strings.Contains(rec.Body.String(), "Aucun compte n'existe encore") {
		t.Errorf("login page of an empty store does not send to the terminal: %.400s", rec.Body)
	}
	for _, bad := range []string{"/setup", "/setup?token=", "/setup?token=devine"} {
		if rec := ts.request(request{method: "GET", path: bad}); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, rec.Code)
		}
	}
	if rec := ts.request(request{method: "GET", path: "/setup?token=" + token}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Créer le compte administrateur") {
		t.Fatalf("GET /setup with the token = %d", rec.Code)
	}
	rec = ts.request(request{method: "POST", path: "/setup", body: form("token", token, "email", "moi@example.org", "password", "court", "confirm", "court")})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "10 caractères") {
		t.Errorf("setup with a short password = %d, want 400 naming the rule", rec.Code)
	}
	rec = ts.request(request{method: "POST", path: "/setup", body: form("token", "devine", "email", "moi@example.org", "password", "une phrase assez longue", "confirm", "une phrase assez longue")})
	if rec.Code != http.StatusNotFound {
		t.Errorf("setup with a wrong token = %d, want 404", rec.Code)
	}
	rec = ts.request(request{method: "POST", path: "/setup", body: form("token", token, "email", "Moi@Example.org", "password", "une phrase assez longue", "confirm", "une phrase assez longue")})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/app" || cookieOf(rec, "declic_session") == nil {
		t.Fatalf("setup = %d to %q, want 303 to /app, logged in", rec.Code, rec.Header().Get("Location"))
	}
	u, err := ts.Store.UserByEmail(context.Background(), "moi@example.org")
	if err != nil || u.Role != surveys.RoleAdmin || u.MustChangePassword {
		t.Fatalf("first user = %+v, %v; want an admin", u, err)
	}
	if code, _ := ts.loginFrom("192.0.2.1", "moi@example.org", "une phrase assez longue"); code != http.StatusOK {
		t.Errorf("login as the new admin = %d", code)
	}
	for _, r := range []request{{method: "GET", path: "/setup?token=" + token},
		{method: "POST", path: "/setup", body: form("token", token, "email", "autre@example.org", "password", "une phrase assez longue", "confirm", "une phrase assez longue")}} {
		if rec := ts.request(r); rec.Code != http.StatusNotFound {
			t.Errorf("%s /setup after the first admin = %d, want 404", r.method, rec.Code)
		}
	}
	if n, _ := ts.Store.CountUsers(context.Background()); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	if rec := ts.request(request{method: "GET", path: "/login"}); strings.Contains(rec.Body.String(), "Aucun compte") {
		t.Errorf("login page still says no account exists")
	}
}

// Finding 7: nothing warned a facilitator whose poster pointed at
// 127.0.0.1.
func TestQRWarningOnLocalAddresses(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), withDeps(func(d *handlers.Deps) {
		d.ReachableAt = []string{"http://192.168.1.20:8080/", "http://127.0.0.1:8080/"}
	}))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhaseClosed)
	_, session := ts.loginFrom("192.0.2.1", "anim@example.org", "mot-de-passe-anim")
	page := func(host, path string) string {
		req := request{method: "GET", path: path, cookies: []*http.Cookie{{Name: "declic_session", Value: session}}, header: map[string]string{"Host": host}}
		rec := ts.request(req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s on %s = %d", path, host, rec.Code)
		}
		return rec.Body.String()
	}
	for _, host := range []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "mon-portable.local:8080"} {
		body := page(host, "/app/workshops/"+w.ID)
		if !strings.Contains(body, "ce code QR ne marchera pas") || !strings.Contains(body, "DECLIC_BASE_URL") {
			t.Errorf("workshop page on %s: no warning about the QR code", host)
		}
		if !strings.Contains(body, "http://192.168.1.20:8080/app/workshops/"+w.ID) {
			t.Errorf("workshop page on %s does not offer the network address", host)
		}
		if body := page(host, "/app/workshops/"+w.ID+"/poster"); !strings.Contains(body, "ne trouveront pas") {
			t.Errorf("poster on %s: no warning", host)
		}
	}
	if body := page("192.168.1.20:8080", "/app/workshops/"+w.ID); strings.Contains(body, "ce code QR ne marchera pas") {
		t.Errorf("workshop page on a network address warns")
	}
}

// Finding 7: results and exports with free text had no Cache-Control.
func TestAPIAnswersNotCached(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhasePre)
	_, session := ts.loginFrom("192.0.2.1", "anim@example.org", "mot-de-passe-anim")
	for _, path := range []string{"/api/v1/workshops/" + w.ID + "/results", "/api/v1/workshops/" + w.ID, "/api/v1/workshops",
		"/api/v1/workshops/" + w.ID + "/responses.csv", "/api/v1/tokens", "/api/v1/questionnaires"} {
		rec := ts.request(request{method: "GET", path: path, header: map[string]string{"Authorization": "Bearer " + session}})
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d, Cache-Control %q; want no-store", path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	rec := ts.request(request{method: "POST", path: "/api/v1/auth/login", body: `{"email": "anim@example.org", "password": "mot-de-passe-anim"}`})
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("login answer (a token) Cache-Control %q, want no-store", rec.Header().Get("Cache-Control"))
	}
}

// Finding 7: custom questionnaires were visible to every user.
func TestQuestionnairesVisibleToAuthorManagersOrShared(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "resp@example.org", surveys.RoleManager, "mot-de-passe-resp")
	ts.userWithPassword(t, "auteur@example.org", surveys.RoleFacilitator, "mot-de-passe-auteur")
	ts.userWithPassword(t, "autre@example.org", surveys.RoleFacilitator, "mot-de-passe-autre")
	_, author := ts.loginFrom("192.0.2.1", "auteur@example.org", "mot-de-passe-auteur")
	_, other := ts.loginFrom("192.0.2.2", "autre@example.org", "mot-de-passe-autre")
	_, manager := ts.loginFrom("192.0.2.3", "resp@example.org", "mot-de-passe-resp")
	def := `{"title": "%s", %s "items": [{"key": "q1", "type": "likert", "text": "Ça va ?", "scale": {"min": 1, "max": 5}}]}`
	var private, shared struct{ ID string }
	if code := ts.do(t, author, "POST", "/api/v1/questionnaires", strings.Replace(strings.Replace(def, "%s", "Privé", 1), "%s", "", 1), &private); code != http.StatusCreated {
		t.Fatalf("create = %d", code)
	}
	if code := ts.do(t, author, "POST", "/api/v1/questionnaires", strings.Replace(strings.Replace(def, "%s", "Partagé", 1), "%s", `"shared": true,`, 1), &shared); code != http.StatusCreated {
		t.Fatalf("create shared = %d", code)
	}
	titles := func(token string) map[string]bool {
		var out struct {
			Questionnaires []struct {
				ID    string          `json:"id"`
				Title json.RawMessage `json:"title"`
			}
		}
		ts.do(t, token, "GET", "/api/v1/questionnaires", "", &out)
		m := map[string]bool{}
		for _, q := range out.Questionnaires {
			m[q.ID] = true
		}
		return m
	}
	for _, tt := range []struct {
		who            string
		token          string
		private, share bool
	}{{"author", author, true, true}, {"manager", manager, true, true}, {"another facilitator", other, false, true}} {
		got := titles(tt.token)
		if got[private.ID] != tt.private || got[shared.ID] != tt.share || !got["odd-v1"] && len(got) < 1 {
			t.Errorf("%s sees private %v, shared %v; want %v, %v", tt.who, got[private.ID], got[shared.ID], tt.private, tt.share)
		}
	}
	if code := ts.do(t, other, "GET", "/api/v1/questionnaires/"+private.ID, "", nil); code != http.StatusNotFound {
		t.Errorf("another facilitator reads the private questionnaire = %d, want 404", code)
	}
	if code := ts.do(t, other, "POST", "/api/v1/workshops", `{"questionnaire_id": "`+private.ID+`", "title": "x", "date": "2026-03-02"}`, nil); code != http.StatusBadRequest {
		t.Errorf("another facilitator runs a workshop with it = %d, want 400", code)
	}
	if code := ts.do(t, other, "POST", "/api/v1/workshops", `{"questionnaire_id": "`+shared.ID+`", "title": "x", "date": "2026-03-02"}`, nil); code != http.StatusCreated {
		t.Errorf("another facilitator runs a workshop with the shared one = %d, want 201", code)
	}
	rec := ts.request(request{method: "GET", path: "/app/workshops/new", cookies: []*http.Cookie{{Name: "declic_session", Value: other}}})
	if strings.Contains(rec.Body.String(), "Privé") || !strings.Contains(rec.Body.String(), "Partagé") {
		t.Errorf("new-workshop page of another facilitator: want the shared questionnaire only")
	}
}

// Found in the acceptance sweep: a private questionnaire's list entry and
// GET were hidden from another facilitator, but its XLSForm, PUT, DELETE,
// editor pages and report were not. Each route now answers as if it did
// not exist; a shared questionnaire is read by all but changed or deleted
// only by its author, managers and admins (403 naming the way out).
func TestQuestionnaireOfAnotherAccountOnEveryRoute(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	ts.userWithPassword(t, "resp@example.org", surveys.RoleManager, "mot-de-passe-resp")
	ts.userWithPassword(t, "auteur@example.org", surveys.RoleFacilitator, "mot-de-passe-auteur")
	ts.userWithPassword(t, "autre@example.org", surveys.RoleFacilitator, "mot-de-passe-autre")
	_, author := ts.loginFrom("192.0.2.1", "auteur@example.org", "mot-de-passe-auteur")
	_, other := ts.loginFrom("192.0.2.2", "autre@example.org", "mot-de-passe-autre")
	_, manager := ts.loginFrom("192.0.2.3", "resp@example.org", "mot-de-passe-resp")
	def := func(title, extra string) string {
		return `{"title": "` + title + `", ` + extra + ` "items": [{"key": "q1", "type": "likert", "text": "Texte secret de l'auteur", "scale": {"min": 1, "max": 5}}]}`
	}
	var private, shared struct{ ID string }
	if code := ts.do(t, author, "POST", "/api/v1/questionnaires", def("Privé", ""), &private); code != http.StatusCreated {
		t.Fatalf("create = %d", code)
	}
	if code := ts.do(t, author, "POST", "/api/v1/questionnaires", def("Partagé", `"shared": true,`), &shared); code != http.StatusCreated {
		t.Fatalf("create shared = %d", code)
	}
	editor := func(id string) url.Values {
		rec := ts.call(author, "GET", "/app/questionnaires/"+id+"/edit", "", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("author's editor = %d", rec.Code)
		}
		f := editorForm(t, rec.Body.String())
		f.Set("do", "save")
		return f
	}
	privateForm, sharedForm := editor(private.ID), editor(shared.ID)
	type try struct {
		method, path, ctype, body string
	}
	routes := func(id string, form url.Values) []try {
		return []try{
			{"GET", "/api/v1/questionnaires/" + id, "", ""},
			{"GET", "/api/v1/questionnaires/" + id + "/xlsform", "", ""},
			{"PUT", "/api/v1/questionnaires/" + id, "application/json", def("Piraté", "")},
			{"DELETE", "/api/v1/questionnaires/" + id, "", ""},
			{"GET", "/app/questionnaires/" + id + "/edit", "", ""},
			{"GET", "/app/questionnaires/new?from=" + id, "", ""},
			{"POST", "/app/questionnaires/" + id + "/edit", "application/x-www-form-urlencoded", form.Encode()},
			{"POST", "/app/questionnaires/" + id + "/delete", "application/x-www-form-urlencoded", "confirm=oui"},
			{"GET", "/api/v1/reports?questionnaire_id=" + id, "", ""},
		}
	}
	for _, r := range routes(private.ID, privateForm) {
		rec := ts.call(other, r.method, r.path, r.ctype, []byte(r.body))
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "Texte secret") {
			t.Errorf("another facilitator: %s %s = %d, want 404 without the questionnaire's text", r.method, r.path, rec.Code)
		}
	}
	list := ts.call(other, "GET", "/app/questionnaires", "", nil).Body.String()
	if strings.Contains(list, private.ID) || strings.Contains(list, "Privé") || !strings.Contains(list, "Partagé") {
		t.Errorf("another facilitator's questionnaires page: want the shared questionnaire only")
	}
	if strings.Contains(list, "/app/questionnaires/"+shared.ID+"/delete") || !strings.Contains(list, `href="/app/questionnaires/`+shared.ID+`/edit">Voir`) {
		t.Errorf("another facilitator's questionnaires page offers to change or delete the shared questionnaire")
	}
	if page := ts.call(other, "GET", "/app/reports", "", nil).Body.String(); strings.Contains(page, "Privé") || !strings.Contains(page, "Partagé") {
		t.Errorf("another facilitator's reports page: want the shared questionnaire only in its choice")
	} else if !strings.Contains(page, `value="odd-v2">Les Objectifs de développement durable (ODD) (version 2)</option>`) {
		t.Errorf("the reports page does not tell the library's versions apart")
	}
	// The shared one: read, copied, reported on; never changed or deleted.
	for _, r := range routes(shared.ID, sharedForm) {
		rec := ts.call(other, r.method, r.path, r.ctype, []byte(r.body))
		want := http.StatusOK
		switch {
		case r.method == "PUT" || r.method == "DELETE" || r.method == "POST":
			want = http.StatusForbidden
		}
		if rec.Code != want {
			t.Errorf("another facilitator, shared: %s %s = %d, want %d", r.method, r.path, rec.Code, want)
		}
		if want == http.StatusForbidden && !strings.Contains(rec.Body.String(), "copie") {
			t.Errorf("%s %s: the refusal does not say to make a copy: %.300s", r.method, r.path, rec.Body.String())
		}
	}
	var got struct {
		Title json.RawMessage `json:"title"`
	}
	ts.do(t, author, "GET", "/api/v1/questionnaires/"+shared.ID, "", &got)
	if !strings.Contains(string(got.Title), "Partagé") {
		t.Errorf("the shared questionnaire changed: title %s", got.Title)
	}
	// Its author and a manager still change it, and the author deletes it.
	if code := ts.do(t, manager, "PUT", "/api/v1/questionnaires/"+shared.ID, def("Partagé, relu", `"shared": true,`), nil); code != http.StatusOK {
		t.Errorf("manager PUT = %d, want 200", code)
	}
	if code := ts.do(t, author, "PUT", "/api/v1/questionnaires/"+private.ID, def("Privé, relu", ""), nil); code != http.StatusOK {
		t.Errorf("author PUT = %d, want 200", code)
	}
	if code := ts.do(t, author, "DELETE", "/api/v1/questionnaires/"+private.ID, "", nil); code != http.StatusNoContent {
		t.Errorf("author DELETE = %d, want 204", code)
	}
	// The same confirmed page form that another facilitator was refused
	// deletes for the author.
	rec := ts.call(author, "POST", "/app/questionnaires/"+shared.ID+"/delete", "application/x-www-form-urlencoded", []byte("confirm=oui"))
	if rec.Code != http.StatusSeeOther {
		t.Errorf("author's confirmed delete page = %d, want 303", rec.Code)
	}
	if code := ts.do(t, author, "GET", "/api/v1/questionnaires/"+shared.ID, "", nil); code != http.StatusNotFound {
		t.Errorf("the shared questionnaire after its author deleted it: %d, want 404", code)
	}
}

// A facilitator's edit of a library questionnaire is their own version:
// other facilitators are still offered the library's (the code review
// found a facilitator's « shared » odd-v3 offered to everyone instead of
// odd-v2). A manager's version is the organisation's.
func TestLibraryVersionOfAFacilitatorStaysTheirs(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	other := ts.facilitatorToken(t, "autre@example.org")
	lib := ts.call(tok[surveys.RoleFacilitator], "GET", "/api/v1/questionnaires/odd-v2", "", nil).Body.String()
	def := strings.Replace(strings.Replace(lib, `"builtin":true`, `"builtin":false`, 1), `{"id":`, `{"shared":true,"id":`, 1)
	var saved struct {
		ID string `json:"id"`
	}
	ts.json(t, tok[surveys.RoleFacilitator], "PUT", "/api/v1/questionnaires/odd-v2", rawJSON(def), 200, &saved)
	if saved.ID != "odd-v3" {
		t.Fatalf("PUT odd-v2 by a facilitator = %q, want odd-v3", saved.ID)
	}
	if code := ts.do(t, other, "GET", "/api/v1/questionnaires/odd-v3", "", nil); code != http.StatusNotFound {
		t.Errorf("another facilitator reads the first one's library version: %d, want 404", code)
	}
	page := ts.call(other, "GET", "/app/workshops/new", "", nil).Body.String()
	if strings.Contains(page, `value="odd-v3"`) || !strings.Contains(page, `value="odd-v2"`) {
		t.Errorf("another facilitator's new-workshop page does not offer the library's odd-v2 alone")
	}
	// A manager's version is everyone's.
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/odd-v2", rawJSON(strings.Replace(lib, `"builtin":true`, `"builtin":false`, 1)), 200, &saved)
	if code := ts.do(t, other, "GET", "/api/v1/questionnaires/"+saved.ID, "", nil); code != http.StatusOK {
		t.Errorf("a facilitator reads the manager's version %s: %d, want 200", saved.ID, code)
	}
}

// A manager correcting a facilitator's private questionnaire does not
// publish it: in place or as a new version, it stays its author's.
func TestManagerEditKeepsAPrivateQuestionnairePrivate(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	author, other := tok[surveys.RoleFacilitator], ts.facilitatorToken(t, "autre@example.org")
	def := `{"title": "Privé", "items": [{"key": "q1", "type": "likert", "text": "Ça va ?", "scale": {"min": 1, "max": 5}}]}`
	var q struct{ ID string }
	if code := ts.do(t, author, "POST", "/api/v1/questionnaires", def, &q); code != http.StatusCreated {
		t.Fatalf("create = %d", code)
	}
	edited := strings.Replace(def, "Ça va ?", "Comment ça va ?", 1)
	var saved struct {
		ID         string `json:"id"`
		NewVersion bool   `json:"new_version"`
	}
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/"+q.ID, rawJSON(edited), 200, &saved)
	// Used by a workshop, it changes only as a new version.
	if code := ts.do(t, author, "POST", "/api/v1/workshops", `{"questionnaire_id": "`+q.ID+`", "title": "x", "date": "2026-03-02"}`, nil); code != http.StatusCreated {
		t.Fatalf("workshop = %d", code)
	}
	ts.json(t, tok[surveys.RoleManager], "PUT", "/api/v1/questionnaires/"+q.ID, rawJSON(strings.Replace(edited, "Comment", "Alors, comment", 1)), 200, &saved)
	if !saved.NewVersion {
		t.Fatalf("PUT of a used questionnaire made no new version: %+v", saved)
	}
	for _, id := range []string{q.ID, saved.ID} {
		if code := ts.do(t, other, "GET", "/api/v1/questionnaires/"+id, "", nil); code != http.StatusNotFound {
			t.Errorf("another facilitator reads %s after a manager's edit: %d, want 404", id, code)
		}
		if code := ts.do(t, author, "GET", "/api/v1/questionnaires/"+id, "", nil); code != http.StatusOK {
			t.Errorf("the author reads %s after a manager's edit: %d, want 200", id, code)
		}
	}
}
