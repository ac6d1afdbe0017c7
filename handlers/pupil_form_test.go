package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var fieldsetRe = regexp.MustCompile(`<fieldset[ >]`)

func TestPageForm(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": `Atelier <script>alert(1)</script>`, "date": "2026-03-12"})
	form := ts.URL + "/f/" + w.Code

	t.Run("entry and unknown pages", func(t *testing.T) {
		client := ts.browser()
		res, body := ts.pageGet(t, client, form)
		// A closed workshop looks like an unknown code: 404, no title.
		checkPage(t, "closed form", res, body, http.StatusNotFound, "n'est pas ouvert", "Réessayer")
		if strings.Contains(body, "<form method=\"post\" action=\"/f/") {
			t.Errorf("a closed workshop shows the form")
		}
		res, body = ts.pageGet(t, client, ts.URL+"/f/ZZZZZZ")
		checkPage(t, "unknown code", res, body, http.StatusNotFound, "Code inconnu", "ZZZZZZ", `action="/f"`)
		res, _ = ts.pageGet(t, client, ts.URL+"/f?code=xyz")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/XYZ" {
			t.Errorf("GET /f?code=xyz = %d to %q, want 303 to /f/XYZ", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = ts.pageGet(t, client, ts.URL+"/f?code="+url.QueryEscape(" "+strings.ToLower(w.Code[:3])+"-"+w.Code[3:]))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/"+w.Code {
			t.Errorf("GET /f?code=<typed code> = %d to %q, want 303 to /f/%s", res.StatusCode, res.Header.Get("Location"), w.Code)
		}
		res, body = ts.pageGet(t, client, ts.URL+"/f")
		checkPage(t, "entry page", res, body, http.StatusOK, "Rejoindre un atelier", "Code de l'atelier")
		res, body = ts.pageGet(t, client, ts.URL+"/f/nope!<b>")
		checkPage(t, "unknown odd code", res, body, http.StatusNotFound, "Code inconnu")
		if strings.Contains(body, "<b>") {
			t.Errorf("the typed code is not escaped")
		}
	})

	ts.setPhase(t, token, w.ID, "pre")
	device := ts.browser()
	var page url.Values // the hidden fields of the questions page

	t.Run("PRE code step", func(t *testing.T) {
		res, body := ts.pageGet(t, device, form)
		checkPage(t, "code step", res, body, http.StatusOK, "Début de l'atelier", "Ton code secret", `name="code_mere"`,
			`<select id="code_jour" name="code_jour"`, `<option value="31">31</option>`, `<select id="code_mois" name="code_mois"`,
			`<option value="3">mars</option>`, `name="code_lettre2"`, "Continuer", `class="notice"`)
		if strings.Contains(body, `name="a_q1"`) {
			t.Errorf("the questions come before the code")
		}
		res, body = ts.pagePost(t, device, form+"/code", url.Values{"code_mere": {"A"}, "code_jour": {"32"}, "code_mois": {"3"}, "code_lettre2": {"7"}}, nil)
		checkPage(t, "bad code", res, body, http.StatusUnprocessableEntity, "2 réponses à corriger", `href="#code_jour"`, "de 1 à 31",
			`href="#code_lettre2"`, "une seule lettre", `value="A"`)
		if cookieNamed(res, "declic_code") != nil {
			t.Errorf("a refused code set the code cookie")
		}
	})

	t.Run("PRE form", func(t *testing.T) {
		res, body := ts.pagePost(t, device, form+"/code", url.Values{"code_mere": {"a"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}}, nil)
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
		res, body := ts.pagePost(t, device, form, withPage(cloneValues(answers)), nil)
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
		if pre, _ := ts.storedCounts(t, w.ID); pre != 0 {
			t.Errorf("stored %d after a refused form, want 0", pre)
		}
	})

	t.Run("a wrong answer and a missing one", func(t *testing.T) {
		f := withPage(cloneValues(answers))
		f.Set("a_q1", "9") // out of the scale
		res, body := ts.pagePost(t, device, form, f, nil)
		checkPage(t, "form with a wrong and a missing answer", res, body, http.StatusUnprocessableEntity,
			"1 réponse à corriger et 1 à compléter", "Réponse obligatoire")
		if strings.Contains(body, "2 réponses à corriger") {
			t.Errorf("a missing answer is counted as one to correct")
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
		res, body := ts.pagePost(t, ts.browser(), form, f, nil)
		checkPage(t, "answers with a bad code", res, body, http.StatusUnprocessableEntity, "Ton code secret", `href="#code_jour"`, "de 1 à 31",
			`<input type="hidden" name="a_q2" value="1">`, `<input type="hidden" name="submission_id" value="typed-code">`)
		if pre, _ := ts.storedCounts(t, w.ID); pre != 0 {
			t.Errorf("stored %d after a refused code, want 0", pre)
		}
	})

	t.Run("valid", func(t *testing.T) {
		f := withPage(cloneValues(answers))
		f.Set("a_q2", "1")
		res, body := ts.pagePost(t, device, form, f, nil)
		if want := "/f/" + w.Code + "/merci?phase=pre"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("valid POST = %d to %q, want 303 to %s\n%.1000s", res.StatusCode, res.Header.Get("Location"), want, body)
		}
		if c := cookieNamed(res, "declic_appareil"); c == nil || !c.HttpOnly || len(c.Value) != 32 {
			t.Errorf("device cookie = %+v, want a random id", c)
		}
		if pre, _ := ts.storedCounts(t, w.ID); pre != 1 {
			t.Errorf("stored %d, want 1", pre)
		}
		// The same submission again (a double tap, a retry): not stored twice.
		res, _ = ts.pagePost(t, device, form, f, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("second POST = %d, want 303", res.StatusCode)
		}
		if pre, _ := ts.storedCounts(t, w.ID); pre != 1 {
			t.Errorf("stored %d after a retry, want 1", pre)
		}
		res, body = ts.pageGet(t, device, ts.URL+res.Header.Get("Location"))
		checkPage(t, "thanks", res, body, http.StatusOK, "Merci", "à nouveau", "/f/"+w.Code+"/oublier")
	})

	t.Run("device that already answered", func(t *testing.T) {
		// Answering twice would make the pupil a duplicate: the device is thanked instead.
		res, body := ts.pageGet(t, device, form)
		checkPage(t, "form after answering", res, body, http.StatusOK, "déjà répondu", "?nouveau=1")
		if strings.Contains(body, `name="a_q1"`) {
			t.Errorf("the form is shown again to a device that answered this phase")
		}
		res, body = ts.pageGet(t, device, form+"?nouveau=1")
		checkPage(t, "code step for another pupil", res, body, http.StatusOK, `name="code_mere"`)
	})

	// A second pupil on another phone, answering in one post.
	other := ts.browser()
	res, _ := ts.pagePost(t, other, form, url.Values{"a_q1": {"2"}, "a_q2": {"2"}, "a_q3": {"2"}, "a_k1": {"a"}, "a_y1": {"1"},
		"code_mere": {"B"}, "code_jour": {"3"}, "code_mois": {"3"}, "code_lettre2": {"M"}, "submission_id": {"other-pre"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second pupil PRE = %d, want 303", res.StatusCode)
	}

	ts.setPhase(t, token, w.ID, "post")

	t.Run("POST with the remembered code", func(t *testing.T) {
		res, body := ts.pageGet(t, device, form)
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
		res, _ = ts.pagePost(t, device, form, f, nil)
		if want := "/f/" + w.Code + "/merci?phase=post"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("POST answer = %d to %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}
	})

	t.Run("POST on another device, code typed differently", func(t *testing.T) {
		tablet := ts.browser()
		res, _ := ts.pagePost(t, tablet, form, url.Values{"a_q1": {"3"}, "a_q2": {"2"}, "a_q3": {"3"}, "a_k1": {"b"}, "a_y1": {"1"},
			"code_mere": {"b"}, "code_jour": {"03"}, "code_mois": {"3"}, "code_lettre2": {" m"}, "submission_id": {"other-post"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second pupil POST = %d, want 303", res.StatusCode)
		}
		r := ts.results(t, token, w.ID)
		if r.NPre != 2 || r.NPost != 2 || r.NPaired != 2 || r.NDuplicates != 0 {
			t.Errorf("n_pre %d n_post %d n_paired %d n_duplicates %d; want 2 2 2 0", r.NPre, r.NPost, r.NPaired, r.NDuplicates)
		}
		if len(r.Texts) != 1 || len(r.Texts[0].Answers) != 1 || r.Texts[0].Answers[0].Text != "J'ai appris des choses" {
			t.Errorf("texts = %+v, want the pupil's words", r.Texts)
		}

		// Forgetting the code on the tablet.
		res, _ = ts.pagePost(t, tablet, form+"/oublier", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/f/"+w.Code {
			t.Errorf("oublier = %d to %q, want 303 to the form", res.StatusCode, res.Header.Get("Location"))
		}
		if c := cookieNamed(res, "declic_code"); c == nil || c.MaxAge >= 0 {
			t.Errorf("oublier cookie = %+v, want it deleted", c)
		}
		_, body := ts.pageGet(t, tablet, form)
		if !strings.Contains(body, `name="code_mere"`) {
			t.Errorf("after oublier, the form does not ask the code")
		}
	})

	t.Run("closed again", func(t *testing.T) {
		ts.setPhase(t, token, w.ID, "closed")
		res, body := ts.pageGet(t, device, form)
		checkPage(t, "closed form", res, body, http.StatusNotFound, "n'est pas ouvert")
		res, body = ts.pagePost(t, device, form, url.Values{"a_q1": {"5"}, "a_q2": {"1"}, "a_q3": {"3"}, "a_k1": {"b"}, "a_y1": {"1"}, "submission_id": {"late"}}, nil)
		if res.StatusCode >= 500 || res.StatusCode == http.StatusSeeOther {
			t.Errorf("POST to a closed workshop = %d, want the closed page", res.StatusCode)
		}
		if !strings.Contains(body, "n'est pas ouvert") {
			t.Errorf("POST to a closed workshop does not say it is closed")
		}
		if pre, post := ts.storedCounts(t, w.ID); pre != 2 || post != 2 {
			t.Errorf("stored %d pre, %d post; want 2, 2", pre, post)
		}
	})
}

// A PRE form sent after the facilitator opened POST is not stored as POST
// answers; a PRE form already stored and sent again is still thanked.
func TestPageFormLateSubmit(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	form := ts.URL + "/f/" + w.Code
	answers := url.Values{"a_q1": {"4"}, "a_q2": {"1"}, "a_q3": {"2"}, "a_k1": {"b"}, "a_y1": {"0"},
		"code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}, "phase": {"pre"}}

	stored := cloneValues(answers)
	stored.Set("submission_id", "0123456789abcdef0123456789abcdef")
	if res, body := ts.pagePost(t, ts.browser(), form, stored, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("PRE form = %d, want 303\n%.500s", res.StatusCode, body)
	}
	late := cloneValues(answers)
	late.Set("submission_id", "fedcba9876543210fedcba9876543210")
	ts.setPhase(t, token, w.ID, "post")

	res, body := ts.pagePost(t, ts.browser(), form, late, nil)
	checkPage(t, "PRE form sent during POST", res, body, http.StatusConflict, "n'est pas ouvert")
	res, _ = ts.pagePost(t, ts.browser(), form, stored, nil)
	if want := "/f/" + w.Code + "/merci?phase=pre"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Errorf("stored PRE form sent again during POST = %d to %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	if pre, post := ts.storedCounts(t, w.ID); pre != 1 || post != 0 {
		t.Errorf("stored pre %d post %d, want 1 and 0", pre, post)
	}

	// An unreadable body: from a device that knows its code, the questions
	// again; from one that does not, the code step; both say what happened.
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	raw, data := ts.raw(t, ts.browser(), "POST", form, "", h, strings.NewReader("a_q1=%zz"))
	checkPage(t, "unreadable form", raw, string(data), http.StatusBadRequest, "pas pu être lues", `href="#continuer"`, `name="code_mere"`)
	device := ts.browser()
	ts.pupilForm(t, device, form, url.Values{"code_mere": {"A"}, "code_jour": {"12"}, "code_mois": {"3"}, "code_lettre2": {"L"}})
	raw, data = ts.raw(t, device, "POST", form, "", h, strings.NewReader("a_q1=%zz"))
	checkPage(t, "unreadable form", raw, string(data), http.StatusBadRequest, "pas pu être lues", `href="#envoyer"`, "Envoyer mes réponses")
}
