package main

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// pageLogin logs the admin in through the login form and returns a browser
// that carries the session cookie.
func pageLogin(t testing.TB, ts *testServer) *http.Client {
	t.Helper()
	client := browserClient(t)
	res, _ := pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("POST /login = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
	}
	return client
}

func pageGet(t testing.TB, client *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, data := apiRaw(t, client, "GET", u, "", nil, nil)
	return res, string(data)
}

func pagePost(t testing.TB, client *http.Client, u string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for k, v := range header {
		h[k] = v
	}
	res, data := apiRaw(t, client, "POST", u, "", h, strings.NewReader(form.Encode()))
	return res, string(data)
}

// cookieNamed finds a cookie the answer sets.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// checkPage fails on a broken page: template errors, missing values, no French.
func checkPage(t testing.TB, what string, res *http.Response, body string, wantStatus int, want ...string) {
	t.Helper()
	if res.StatusCode != wantStatus {
		t.Errorf("%s: status = %d, want %d\n%.500s", what, res.StatusCode, wantStatus, body)
		return
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type = %q, want text/html", what, ct)
	}
	for _, bad := range []string{"<no value>", "Erreur interne", "template:", "%!"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	if !strings.Contains(body, `<html lang="fr">`) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Errorf("%s: not a whole French page:\n%.300s", what, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page does not contain %q", what, w)
		}
	}
}

func TestPageLoginLogout(t *testing.T) {
	ts := mustOpenMain(t)

	t.Run("pages need a session", func(t *testing.T) {
		client := browserClient(t)
		for _, p := range []string{"/app", "/app/workshops/new", "/app/workshops/abc", "/app/workshops/abc/results", "/app/workshops/abc/poster", "/app/workshops/abc/counts"} {
			res, _ := pageGet(t, client, ts.URL+p)
			if want := "/login?next=" + url.QueryEscape(p); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Errorf("GET %s = %d to %q, want 303 to %q", p, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		res, _ := pagePost(t, client, ts.URL+"/app/workshops", url.Values{"title": {"x"}}, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("POST /app/workshops without session = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = pageGet(t, client, ts.URL+"/")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
			t.Errorf("GET / = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := pageGet(t, client, ts.URL+"/login?next=/app/workshops/new")
		checkPage(t, "login page", res, body, http.StatusOK, "Se connecter", "Mot de passe", `name="next" value="/app/workshops/new"`)
	})

	t.Run("wrong credentials", func(t *testing.T) {
		client := browserClient(t)
		for _, form := range []url.Values{
			{"email": {testAdminEmail}, "password": {"mauvais-mot-de-passe"}},
			{"email": {"inconnu@example.org"}, "password": {testAdminPassword}},
			{},
		} {
			res, body := pagePost(t, client, ts.URL+"/login", form, nil)
			checkPage(t, "wrong login", res, body, http.StatusUnauthorized, "incorrect")
			if cookieNamed(res, "declic_session") != nil {
				t.Errorf("a failed login set a session cookie")
			}
		}
	})

	t.Run("login, use, logout", func(t *testing.T) {
		client := browserClient(t)
		res, _ := pagePost(t, client, ts.URL+"/login", url.Values{"email": {" " + strings.ToUpper(testAdminEmail)}, "password": {testAdminPassword}, "next": {"/app/workshops/new"}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/workshops/new" {
			t.Fatalf("POST /login = %d to %q, want 303 to /app/workshops/new", res.StatusCode, res.Header.Get("Location"))
		}
		c := cookieNamed(res, "declic_session")
		if c == nil || !c.HttpOnly || c.Value == "" || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v, want HttpOnly, Path /, SameSite Lax", c)
		}
		res, body := pageGet(t, client, ts.URL+"/app")
		checkPage(t, "dashboard", res, body, http.StatusOK, "Ateliers", testAdminEmail, "Se déconnecter")
		// The browser session also opens the API.
		res, _ = pageGet(t, client, ts.URL+"/api/v1/workshops")
		if res.StatusCode != http.StatusOK {
			t.Errorf("API with the session cookie = %d, want 200", res.StatusCode)
		}
		res, _ = pageGet(t, client, ts.URL+"/login")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
			t.Errorf("GET /login when logged in = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
		}

		res, _ = pagePost(t, client, ts.URL+"/logout", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("POST /logout = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
		}
		if gone := cookieNamed(res, "declic_session"); gone == nil || gone.MaxAge >= 0 {
			t.Errorf("logout cookie = %+v, want it deleted", gone)
		}
		res, _ = pageGet(t, client, ts.URL+"/app")
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("GET /app after logout = %d, want 303 to login", res.StatusCode)
		}
		// The old token is dead on the server too, not only in this browser.
		stolen := browserClient(t)
		res, _ = apiRaw(t, stolen, "GET", ts.URL+"/app", "", http.Header{"Cookie": {"declic_session=" + c.Value}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("GET /app with the logged-out cookie = %d, want 303 to login", res.StatusCode)
		}
	})

	t.Run("next stays on this site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			client := browserClient(t)
			res, _ := pagePost(t, client, ts.URL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}, "next": {next}}, nil)
			if loc := res.Header.Get("Location"); loc != "/app" {
				t.Errorf("next %q: Location = %q, want /app", next, loc)
			}
		}
	})
}

func TestPageStaffPages(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	client := pageLogin(t, ts)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	const evil = `<script>alert("x")</script> & Cie`
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": qid, "title": evil, "date": "2026-03-12",
		"partner": `Collège "Jean Macé"`, "group": "<b>4e B</b>", "tags": []string{"<i>odd</i>"}})
	empty := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier vide", "date": "2026-03-13"})
	apiSetPhaseTo(t, ts, token, w.ID, "pre")
	apiAnswer(t, ts, w.Code, submission{"s-pre", "P1", "pre", validPre()})
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	post := validPre()
	post["t1"] = "<img src=x onerror=alert(1)> génial"
	apiAnswer(t, ts, w.Code, submission{"s-post", "P1", "post", post})

	base := ts.URL + "/app/workshops/" + w.ID
	pages := []struct {
		name string
		url  string
		want []string
	}{
		{"dashboard", ts.URL + "/app", []string{"Ateliers", "Nouvel atelier", "Atelier vide", "12 mars 2026"}},
		{"new workshop", ts.URL + "/app/workshops/new", []string{"Nouvel atelier", "Titre de l'atelier", "Les Objectifs de développement durable", "Regards sur le monde", "importer un questionnaire"}},
		{"workshop", base, []string{"Phase", "Après (POST)", "Code QR", w.Code, w.FormURL, "Affiche A4"}},
		{"empty workshop", ts.URL + "/app/workshops/" + empty.ID, []string{"Atelier vide", "Fermé", empty.Code}},
		{"poster", base + "/poster", []string{"Donne ton avis", w.Code, w.FormURL, "/qr.svg"}},
		{"results", base + "/results", []string{"Résultats", "réponses avant", "jeunes appariés", "Je peux agir à mon échelle.", "Échelle : Ouverture aux autres", "Les mots des jeunes", "charts/prepost.svg"}},
		{"empty results", ts.URL + "/app/workshops/" + empty.ID + "/results", []string{"Résultats", "Atelier vide"}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			res, body := pageGet(t, client, p.url)
			checkPage(t, p.name, res, body, http.StatusOK, p.want...)
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>4e B</b>") || strings.Contains(body, "<i>odd</i>") || strings.Contains(body, "<img src=x") {
				t.Errorf("user text is not escaped:\n%s", body)
			}
			if strings.Contains(body, w.ID) && p.name != "dashboard" && !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Cie") {
				t.Errorf("escaped title missing")
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store on a staff page", cc)
			}
		})
	}

	t.Run("results texts escaped", func(t *testing.T) {
		_, body := pageGet(t, client, base+"/results")
		if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt; génial") {
			t.Errorf("the free text is missing or not escaped")
		}
	})

	t.Run("counts", func(t *testing.T) {
		res, body := pageGet(t, client, base+"/counts")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("counts = %d %q, want 200 JSON", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var c struct {
			Phase     string
			Pre, Post int
		}
		if err := json.Unmarshal([]byte(body), &c); err != nil || c.Phase != "post" || c.Pre != 1 || c.Post != 1 {
			t.Errorf("counts = %s (%v), want phase post, 1 pre, 1 post", body, err)
		}
	})

	t.Run("unknown workshop", func(t *testing.T) {
		for _, p := range []string{"/app/workshops/nope", "/app/workshops/nope/results", "/app/workshops/nope/poster"} {
			res, body := pageGet(t, client, ts.URL+p)
			checkPage(t, p, res, body, http.StatusNotFound, "introuvable")
		}
	})

	t.Run("create through the form", func(t *testing.T) {
		res, body := pagePost(t, client, ts.URL+"/app/workshops", url.Values{
			"questionnaire_id": {"odd-v1"}, "title": {"Atelier du formulaire"}, "date": {"2026-04-02"},
			"partner": {"Mission locale"}, "group": {"Jeunes"}, "tags": {"ODD, programme-2026,,"},
		}, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/app/workshops/") {
			t.Fatalf("POST /app/workshops = %d to %q, want 303 to the workshop\n%.500s", res.StatusCode, res.Header.Get("Location"), body)
		}
		id := strings.TrimPrefix(res.Header.Get("Location"), "/app/workshops/")
		var got workshopOut
		if status := ts.do(t, token, "GET", "/api/v1/workshops/"+id, nil, &got); status != http.StatusOK || got.Title != "Atelier du formulaire" || strings.Join(got.Tags, ",") != "odd,programme-2026" {
			t.Errorf("created workshop = %d %+v", status, got)
		}
		res, _ = pagePost(t, client, ts.URL+"/app/workshops/"+id+"/phase", url.Values{"phase": {"pre"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("POST phase = %d, want 303", res.StatusCode)
		}
		ts.do(t, token, "GET", "/api/v1/workshops/"+id, nil, &got)
		if got.Phase != "pre" {
			t.Errorf("phase after the page button = %q, want pre", got.Phase)
		}
		res, body = pagePost(t, client, ts.URL+"/app/workshops/"+id+"/phase", url.Values{"phase": {"bientôt"}}, nil)
		checkPage(t, "bad phase", res, body, http.StatusBadRequest)

		// Invalid: the form comes back with the problems and what was typed.
		res, body = pagePost(t, client, ts.URL+"/app/workshops", url.Values{
			"questionnaire_id": {"odd-v1"}, "title": {""}, "date": {"demain"}, "partner": {"<b>Partenaire</b>"},
		}, nil)
		checkPage(t, "invalid workshop form", res, body, http.StatusBadRequest, "Nouvel atelier", "title", "date", "&lt;b&gt;Partenaire&lt;/b&gt;")
	})
}

var fieldsetRe = regexp.MustCompile(`<fieldset[ >]`)

func TestPageForm(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiNewWorkshop(t, ts, token, map[string]any{"questionnaire_id": qid, "title": `Atelier <script>alert(1)</script>`, "date": "2026-03-12"})
	form := ts.URL + "/f/" + w.Code

	t.Run("entry and unknown pages", func(t *testing.T) {
		client := browserClient(t)
		res, body := pageGet(t, client, form)
		// A closed workshop looks like an unknown code: 404, no title.
		checkPage(t, "closed form", res, body, http.StatusNotFound, "n'est pas ouvert", "Réessayer")
		if strings.Contains(body, "<form method=\"post\" action=\"/f/") {
			t.Errorf("a closed workshop shows the form")
		}
		res, body = pageGet(t, client, ts.URL+"/f/ZZZZZZ")
		checkPage(t, "unknown code", res, body, http.StatusNotFound, "Code inconnu", "ZZZZZZ", `action="/f"`)
		res, _ = pageGet(t, client, ts.URL+"/f?code=xyz")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/XYZ" {
			t.Errorf("GET /f?code=xyz = %d to %q, want 303 to /f/XYZ", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = pageGet(t, client, ts.URL+"/f?code="+url.QueryEscape(" "+strings.ToLower(w.Code[:3])+"-"+w.Code[3:]))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/"+w.Code {
			t.Errorf("GET /f?code=<typed code> = %d to %q, want 303 to /f/%s", res.StatusCode, res.Header.Get("Location"), w.Code)
		}
		res, body = pageGet(t, client, ts.URL+"/f")
		checkPage(t, "entry page", res, body, http.StatusOK, "Rejoindre un atelier", "Code de l'atelier")
		res, body = pageGet(t, client, ts.URL+"/f/nope!<b>")
		checkPage(t, "unknown odd code", res, body, http.StatusNotFound, "Code inconnu")
		if strings.Contains(body, "<b>") {
			t.Errorf("the typed code is not escaped")
		}
	})

	apiSetPhaseTo(t, ts, token, w.ID, "pre")
	device := browserClient(t)
	var page url.Values // the hidden fields of the questions page

	t.Run("PRE code step", func(t *testing.T) {
		res, body := pageGet(t, device, form)
		checkPage(t, "code step", res, body, http.StatusOK, "Début de l'atelier", "Ton code secret", `name="code_mere"`,
			`<select id="code_jour" name="code_jour"`, `<option value="31">31</option>`, `<select id="code_mois" name="code_mois"`,
			`<option value="3">mars</option>`, `name="code_lettre2"`, "Continuer", `class="notice"`)
		if strings.Contains(body, `name="a_q1"`) {
			t.Errorf("the questions come before the code")
		}
		res, body = pagePost(t, device, form+"/code", url.Values{"code_mere": {"A"}, "code_jour": {"32"}, "code_mois": {"3"}, "code_lettre2": {"7"}}, nil)
		checkPage(t, "bad code", res, body, http.StatusUnprocessableEntity, "2 réponses à corriger", `href="#code_jour"`, "de 1 à 31",
			`href="#code_lettre2"`, "une seule lettre", `value="A"`)
		if cookieNamed(res, "declic_code") != nil {
			t.Errorf("a refused code set the code cookie")
		}
	})

	t.Run("PRE form", func(t *testing.T) {
		res, body := pagePost(t, device, form+"/code", url.Values{"code_mere": {"a"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}}, nil)
		checkPage(t, "PRE form", res, body, http.StatusOK, "Début de l'atelier", "Ton code secret : <strong class=\"code-shown\">A · 12 mars · L</strong>",
			"Envoyer mes réponses", "Pas du tout d&#39;accord", "(facultatif)", `class="notice"`)
		c := cookieNamed(res, "declic_code")
		if c == nil || !c.HttpOnly || c.Value == "" || c.MaxAge <= 0 || c.Path != "/f" {
			t.Fatalf("code cookie = %+v, want a lasting HttpOnly cookie on /f", c)
		}
		if strings.Contains(c.Value, "A") && strings.Contains(c.Value, "12") {
			t.Errorf("code cookie %q holds the code in clear", c.Value)
		}
		// One fieldset per PRE item (t1 is POST only).
		if got, want := len(fieldsetRe.FindAllString(body, -1)), 7; got != want {
			t.Errorf("%d fieldsets, want %d", got, want)
		}
		for _, key := range []string{"q1", "q2", "q3", "k1", "y1", "r1", "c1"} {
			if !strings.Contains(body, `id="q-`+key+`"`) {
				t.Errorf("no fieldset for %s", key)
			}
		}
		if strings.Contains(body, `id="q-t1"`) {
			t.Errorf("the POST-only item is asked in PRE")
		}
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "Atelier &lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("workshop title not escaped on the pupil form")
		}
		page = hiddenFields(body)
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(page.Get("submission_id")) || page.Get("code_token") == "" || page.Get("shown") == "" {
			t.Fatalf("hidden fields = %v, want submission_id, code_token and shown", page)
		}
		// pupil.js only keeps and resends answers; without it the form is
		// a plain post (TestBrowserWorkshopFlow answers with scripts off).
		if scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1); len(scripts) != 1 ||
			!strings.Contains(scripts[0], `src="/static/pupil.js`) || !strings.Contains(scripts[0], " defer") {
			t.Errorf("the pupil form loads scripts %q, want only a deferred /static/pupil.js, no inline script", scripts)
		}
	})

	answers := url.Values{"a_q1": {"4"}, "a_q3": {"2"}, "a_k1": {"b"}, "a_y1": {"0"}, "a_c1": {"climat", "droits"}}
	withPage := func(f url.Values) url.Values {
		for k, v := range page {
			f[k] = v
		}
		return f
	}

	t.Run("missing answer", func(t *testing.T) {
		res, body := pagePost(t, device, form, withPage(cloneValues(answers)), nil)
		checkPage(t, "form with a missing answer", res, body, http.StatusUnprocessableEntity, "1 réponse à compléter", `href="#q-q2"`, "Réponse obligatoire")
		for _, want := range []string{
			`name="a_q1" value="4" checked`, `name="a_q3" value="2" checked`, `name="a_k1" value="b" checked`,
			`name="a_y1" value="0" checked`, `name="a_c1" value="climat" checked`, `name="a_c1" value="droits" checked`,
			`name="submission_id" value="` + page.Get("submission_id") + `"`, "A · 12 mars · L",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the answers given are lost: no %s", want)
			}
		}
		if !regexp.MustCompile(`<fieldset class="q t-likert bad" id="q-q2"`).MatchString(body) {
			t.Errorf("q2 is not marked as wrong")
		}
		if pre, _ := storedCounts(t, ts, w.ID); pre != 0 {
			t.Errorf("stored %d after a refused form, want 0", pre)
		}
	})

	t.Run("code typed with the answers, wrong", func(t *testing.T) {
		f := cloneValues(answers)
		f.Set("a_q2", "1")
		f.Set("submission_id", "typed-code")
		f.Set("code_mere", "A")
		f.Set("code_jour", "45")
		f.Set("code_mois", "3")
		f.Set("code_lettre2", "L")
		res, body := pagePost(t, browserClient(t), form, f, nil)
		checkPage(t, "answers with a bad code", res, body, http.StatusUnprocessableEntity, "Ton code secret", `href="#code_jour"`, "de 1 à 31",
			`<input type="hidden" name="a_q2" value="1">`, `<input type="hidden" name="submission_id" value="typed-code">`)
		if pre, _ := storedCounts(t, ts, w.ID); pre != 0 {
			t.Errorf("stored %d after a refused code, want 0", pre)
		}
	})

	t.Run("valid", func(t *testing.T) {
		f := withPage(cloneValues(answers))
		f.Set("a_q2", "1")
		res, body := pagePost(t, device, form, f, nil)
		if want := "/f/" + w.Code + "/merci?phase=pre"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("valid POST = %d to %q, want 303 to %s\n%.1000s", res.StatusCode, res.Header.Get("Location"), want, body)
		}
		if c := cookieNamed(res, "declic_appareil"); c == nil || !c.HttpOnly || len(c.Value) != 32 {
			t.Errorf("device cookie = %+v, want a random id", c)
		}
		if pre, _ := storedCounts(t, ts, w.ID); pre != 1 {
			t.Errorf("stored %d, want 1", pre)
		}
		// The same submission again (a double tap, a retry): not stored twice.
		res, _ = pagePost(t, device, form, f, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("second POST = %d, want 303", res.StatusCode)
		}
		if pre, _ := storedCounts(t, ts, w.ID); pre != 1 {
			t.Errorf("stored %d after a retry, want 1", pre)
		}
		res, body = pageGet(t, device, ts.URL+res.Header.Get("Location"))
		checkPage(t, "thanks", res, body, http.StatusOK, "Merci", "à nouveau", "/f/"+w.Code+"/oublier")
	})

	t.Run("device that already answered", func(t *testing.T) {
		// Answering twice would make the pupil a duplicate: the device is thanked instead.
		res, body := pageGet(t, device, form)
		checkPage(t, "form after answering", res, body, http.StatusOK, "déjà répondu", "?nouveau=1")
		if strings.Contains(body, `name="a_q1"`) {
			t.Errorf("the form is shown again to a device that answered this phase")
		}
		res, body = pageGet(t, device, form+"?nouveau=1")
		checkPage(t, "code step for another pupil", res, body, http.StatusOK, `name="code_mere"`)
	})

	// A second pupil on another phone, answering in one post.
	other := browserClient(t)
	res, _ := pagePost(t, other, form, url.Values{"a_q1": {"2"}, "a_q2": {"2"}, "a_q3": {"2"}, "a_k1": {"a"}, "a_y1": {"1"},
		"code_mere": {"B"}, "code_jour": {"3"}, "code_mois": {"3"}, "code_lettre2": {"M"}, "submission_id": {"other-pre"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second pupil PRE = %d, want 303", res.StatusCode)
	}

	apiSetPhaseTo(t, ts, token, w.ID, "post")

	t.Run("POST with the remembered code", func(t *testing.T) {
		res, body := pageGet(t, device, form)
		checkPage(t, "POST form", res, body, http.StatusOK, "Fin de l'atelier", "Qu&#39;as-tu retenu ?", "A · 12 mars · L", "Ce n'est pas ton code ?")
		if strings.Contains(body, `name="code_mere"`) {
			t.Errorf("the form asks the code again although the device remembers it")
		}
		if got := len(fieldsetRe.FindAllString(body, -1)); got != 8 {
			t.Errorf("%d fieldsets, want 8 (7 items + t1)", got)
		}
		f := hiddenFields(body)
		for k, v := range (url.Values{"a_q1": {"5"}, "a_q2": {"1"}, "a_q3": {"3"}, "a_k1": {"b"}, "a_y1": {"1"}, "a_t1": {"J'ai appris des choses"}}) {
			f[k] = v
		}
		res, _ = pagePost(t, device, form, f, nil)
		if want := "/f/" + w.Code + "/merci?phase=post"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("POST answer = %d to %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}
	})

	t.Run("POST on another device, code typed differently", func(t *testing.T) {
		tablet := browserClient(t)
		res, _ := pagePost(t, tablet, form, url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"3"}, "a_k1": {"b"}, "a_y1": {"1"},
			"code_mere": {"b"}, "code_jour": {"03"}, "code_mois": {"3"}, "code_lettre2": {" m"}, "submission_id": {"other-post"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second pupil POST = %d, want 303", res.StatusCode)
		}
		r := apiResultsOf(t, ts, token, w.ID)
		if r.NPre != 2 || r.NPost != 2 || r.NPaired != 2 || r.NDuplicates != 0 {
			t.Errorf("n_pre %d n_post %d n_paired %d n_duplicates %d; want 2 2 2 0", r.NPre, r.NPost, r.NPaired, r.NDuplicates)
		}
		if len(r.Texts) != 1 || len(r.Texts[0].Answers) != 1 || r.Texts[0].Answers[0].Text != "J'ai appris des choses" {
			t.Errorf("texts = %+v, want the pupil's words", r.Texts)
		}

		// Forgetting the code on the tablet.
		res, _ = pagePost(t, tablet, form+"/oublier", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/"+w.Code {
			t.Errorf("oublier = %d to %q, want 303 to the form", res.StatusCode, res.Header.Get("Location"))
		}
		if c := cookieNamed(res, "declic_code"); c == nil || c.MaxAge >= 0 {
			t.Errorf("oublier cookie = %+v, want it deleted", c)
		}
		_, body := pageGet(t, tablet, form)
		if !strings.Contains(body, `name="code_mere"`) {
			t.Errorf("after oublier, the form does not ask the code")
		}
	})

	t.Run("closed again", func(t *testing.T) {
		apiSetPhaseTo(t, ts, token, w.ID, "closed")
		res, body := pageGet(t, device, form)
		checkPage(t, "closed form", res, body, http.StatusNotFound, "n'est pas ouvert")
		res, body = pagePost(t, device, form, url.Values{"a_q1": {"5"}, "a_q2": {"1"}, "a_q3": {"3"}, "a_k1": {"b"}, "a_y1": {"1"}, "submission_id": {"late"}}, nil)
		if res.StatusCode >= 500 || res.StatusCode == http.StatusSeeOther {
			t.Errorf("POST to a closed workshop = %d, want the closed page", res.StatusCode)
		}
		if !strings.Contains(body, "n'est pas ouvert") {
			t.Errorf("POST to a closed workshop does not say it is closed")
		}
		if pre, post := storedCounts(t, ts, w.ID); pre != 2 || post != 2 {
			t.Errorf("stored %d pre, %d post; want 2, 2", pre, post)
		}
	})
}

var hiddenFieldRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hiddenFields are the hidden inputs of a page, as its form sends them.
func hiddenFields(body string) url.Values {
	out := url.Values{}
	for _, m := range hiddenFieldRe.FindAllStringSubmatch(body, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	return out
}

// pupilForm goes through the code step with code and returns the
// questions page's hidden fields.
func pupilForm(t testing.TB, client *http.Client, formURL string, code url.Values) url.Values {
	t.Helper()
	res, body := pagePost(t, client, formURL+"/code", code, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="code_token"`) {
		t.Fatalf("code step = %d, want the questions\n%.500s", res.StatusCode, body)
	}
	return hiddenFields(body)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestPageSecurity(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	client := pageLogin(t, ts)
	w := apiOpenWorkshop(t, ts, token, "odd-v1", "pre")

	for _, p := range []string{"/app", "/login", "/f/" + w.Code, "/f/ZZZZZZ", "/api/v1/workshops"} {
		t.Run("headers "+p, func(t *testing.T) {
			res, _ := pageGet(t, client, ts.URL+p)
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
			res, _ := pagePost(t, client, ts.URL+"/app/workshops", url.Values{"questionnaire_id": {"odd-v1"}, "title": {"CSRF"}, "date": {"2026-03-12"}}, c.header)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST /app/workshops = %d, want 403", res.StatusCode)
			}
			res, _ = pagePost(t, client, ts.URL+"/app/workshops/"+w.ID+"/phase", url.Values{"phase": {"closed"}}, c.header)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST phase = %d, want 403", res.StatusCode)
			}
			res, _ = pagePost(t, client, ts.URL+"/f/"+w.Code, url.Values{"a_odd_expliquer": {"1"}, "code_mere": {"A"}, "code_jour": {"1"}, "code_mois": {"3"}, "code_lettre2": {"B"}}, c.header)
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
	res, _ := pagePost(t, client, ts.URL+"/app/workshops", url.Values{"questionnaire_id": {"odd-v1"}, "title": {"Même site"}, "date": {"2026-03-12"}},
		http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {ts.URL}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST /app/workshops = %d, want 303", res.StatusCode)
	}
}

// A PRE form sent after the facilitator opened POST is not stored as POST
// answers; a PRE form already stored and sent again is still thanked.
func TestPageFormLateSubmit(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	form := ts.URL + "/f/" + w.Code
	answers := url.Values{"a_q1": {"4"}, "a_q2": {"1"}, "a_q3": {"2"}, "a_k1": {"b"}, "a_y1": {"0"},
		"code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}, "phase": {"pre"}}

	stored := cloneValues(answers)
	stored.Set("submission_id", "0123456789abcdef0123456789abcdef")
	if res, body := pagePost(t, browserClient(t), form, stored, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("PRE form = %d, want 303\n%.500s", res.StatusCode, body)
	}
	late := cloneValues(answers)
	late.Set("submission_id", "fedcba9876543210fedcba9876543210")
	apiSetPhaseTo(t, ts, token, w.ID, "post")

	res, body := pagePost(t, browserClient(t), form, late, nil)
	checkPage(t, "PRE form sent during POST", res, body, http.StatusConflict, "n'est pas ouvert")
	res, _ = pagePost(t, browserClient(t), form, stored, nil)
	if want := "/f/" + w.Code + "/merci?phase=pre"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Errorf("stored PRE form sent again during POST = %d to %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	if pre, post := storedCounts(t, ts, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored pre %d post %d, want 1 and 0", pre, post)
	}

	// An unreadable body: from a device that knows its code, the questions
	// again; from one that does not, the code step; both say what happened.
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	raw, data := apiRaw(t, browserClient(t), "POST", form, "", h, strings.NewReader("a_q1=%zz"))
	checkPage(t, "unreadable form", raw, string(data), http.StatusBadRequest, "pas pu être lues", `href="#continuer"`, `name="code_mere"`)
	device := browserClient(t)
	pupilForm(t, device, form, url.Values{"code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}})
	raw, data = apiRaw(t, device, "POST", form, "", h, strings.NewReader("a_q1=%zz"))
	checkPage(t, "unreadable form", raw, string(data), http.StatusBadRequest, "pas pu être lues", `href="#envoyer"`, "Envoyer mes réponses")
}
