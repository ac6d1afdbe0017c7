package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

type pupilCase struct {
	name string
	code selfCodeAnswers
	pre  int // option index chosen in every PRE choice question
	post int // same for POST; -1 when the pupil does not answer POST
}

func TestBrowserWorkshopFlow(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	b := mustOpenBrowser(t, ts.URL)

	// The facilitator, on a phone: login, new workshop, open PRE.
	staff := b.newTab("facilitator", phone)
	if got := staff.open("/app"); got != http.StatusOK {
		t.Fatalf("GET /app without session: status %d after redirect, want 200 (login page)", got)
	}
	if loc := staff.location(); loc.Path != "/login" {
		t.Fatalf("GET /app without session ended on %s, want /login", loc)
	}
	staff.waitVisible("#email")
	staff.typeInto("#email", testAdminEmail)
	staff.typeInto("#password", "not-the-password")
	if got := staff.submit(`form[action="/login"] button[type=submit]`); got != http.StatusUnauthorized {
		t.Errorf("login with a wrong password: status %d, want 401", got)
	}
	if got := staff.text(".err"); !strings.Contains(got, "incorrect") {
		t.Errorf("login with a wrong password: error %q, want it to say incorrect", got)
	}
	if got := evalJS[string](staff, `document.querySelector('#email').value`); got != testAdminEmail {
		t.Errorf("after a failed login, e-mail field = %q, want it kept: %q", got, testAdminEmail)
	}
	staff.typeInto("#password", testAdminPassword)
	if got := staff.submit(`form[action="/login"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("login: status %d, want 200", got)
	}
	if loc := staff.location(); loc.Path != "/app" {
		t.Fatalf("after login: at %s, want /app", loc)
	}
	if got := staff.text("h1"); got != "Ateliers" {
		t.Errorf("dashboard h1 = %q, want %q", got, "Ateliers")
	}

	staff.submit(`main a[href="/app/workshops/new"]`)
	staff.waitVisible(`input[name=questionnaire_id][value="odd-v2"]`)
	staff.click(`input[name=questionnaire_id][value="odd-v2"]`)
	staff.typeInto("#title", "Les ODD au quotidien")
	staff.do("set date", chromedp.SetValue(chromedp.CSS("#date"), "2026-03-12"))
	staff.typeInto("#partner", "Collège Jean Macé")
	staff.typeInto("#group", "4e B")
	staff.typeInto("#tags", "odd, programme-2026")
	if got := staff.submit(`form[action="/app/workshops"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create workshop: status %d, want 200; page: %s", got, evalJS[string](staff, `document.body.innerText`))
	}
	wsPath := staff.location().Path
	id, ok := strings.CutPrefix(wsPath, "/app/workshops/")
	if !ok || id == "" || strings.Contains(id, "/") {
		t.Fatalf("after creating the workshop: at %s, want /app/workshops/{id}", wsPath)
	}
	if got := staff.text("h1"); got != "Les ODD au quotidien" {
		t.Errorf("workshop h1 = %q, want %q", got, "Les ODD au quotidien")
	}

	token := ts.token(t)
	var ws struct {
		Code, Date, Partner, Group, Phase string
		Tags                              []string
	}
	if st := ts.do(t, token, "GET", "/api/v1/workshops/"+id, nil, &ws); st != http.StatusOK {
		t.Fatalf("GET /api/v1/workshops/%s = %d, want 200", id, st)
	}
	if ws.Date != "2026-03-12" || ws.Partner != "Collège Jean Macé" || ws.Group != "4e B" || strings.Join(ws.Tags, ",") != "odd,programme-2026" || ws.Phase != "closed" {
		t.Errorf("stored workshop = date %q partner %q group %q tags %q phase %q, want 2026-03-12, Collège Jean Macé, 4e B, [odd programme-2026], closed",
			ws.Date, ws.Partner, ws.Group, ws.Tags, ws.Phase)
	}
	formURL := evalJS[string](staff, `document.querySelector('.link-big a').href`)
	if want := ts.URL + "/f/" + ws.Code; formURL != want {
		t.Errorf("form link on the workshop page = %q, want %q", formURL, want)
	}
	if got := staff.text(".qr .code"); got != ws.Code {
		t.Errorf("code shown = %q, want %q", got, ws.Code)
	}

	staff.submit(`button[name=phase][value=pre]`)
	if got := staff.text("#phase"); got != "Avant (PRE)" {
		t.Fatalf("after opening PRE: phase shown %q, want %q", got, "Avant (PRE)")
	}
	staff.screenshot("staff-workshop-phone", true)

	pupils := []pupilCase{
		{name: "pupil A", code: selfCodeAnswers{"M", "12", "3", "L"}, pre: 1, post: 3},
		{name: "pupil B", code: selfCodeAnswers{"S", "3", "11", "R"}, pre: 2, post: 4},
		{name: "pupil C", code: selfCodeAnswers{"A", "28", "7", "T"}, pre: 0, post: -1},
	}
	devices := map[string]*tab{}

	// Pupil A: an empty form first.
	a := b.newTab(pupils[0].name, phone)
	devices[a.name] = a
	if got := a.open(formURL); got != http.StatusOK {
		t.Fatalf("pupil form: status %d, want 200", got)
	}
	a.waitVisible("#code")
	if got := a.text(".phase"); got != "Début de l'atelier" {
		t.Errorf("pupil form phase line = %q, want %q", got, "Début de l'atelier")
	}
	a.screenshot("pupil-code-step", true)
	// The code step sent empty: each element says what it wants.
	if got := a.submit(`#continuer`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty code step: status %d, want 422", got)
	}
	if got, want := a.summaryLinks(), []string{"#code_mere", "#code_jour", "#code_mois", "#code_lettre2"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("empty code step: summary links = %v, want %v", got, want)
	}
	a.screenshot("pupil-code-step-errors", true)
	// With JavaScript, the code is read back as it is typed.
	a.fillCode(pupils[0].code)
	if got := a.text("#code-readback"); !strings.Contains(got, "M · 12 mars · L") {
		t.Errorf("code read back while typing = %q, want it to show M · 12 mars · L", got)
	}
	if got := a.submit(`#continuer`); got != http.StatusOK {
		t.Fatalf("code step: status %d, want 200", got)
	}
	if got := a.text(".code-shown"); got != "M · 12 mars · L" {
		t.Errorf("questions page reads the code back as %q, want M · 12 mars · L", got)
	}
	a.screenshot("pupil-form-top", false)
	a.screenshot("pupil-form", true)
	before := a.formState()
	if got := a.submit(`form button.send[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d, want 422", got)
	}
	a.waitVisible(".summary")
	a.screenshot("pupil-form-errors", true)
	if title := evalJS[string](a, `document.title`); !strings.HasPrefix(title, "Erreur") {
		t.Errorf("empty form: title %q, want it to start with Erreur", title)
	}
	qs := a.questions()
	links := a.summaryLinks()
	var wantLinks []string
	for _, q := range qs {
		if q.Optional {
			if q.Bad {
				t.Errorf("empty form: optional question %s marked in error", q.Key)
			}
			continue
		}
		if !q.Bad {
			t.Errorf("empty form: required question %s not marked in error", q.Key)
		}
		if !a.exists(fmt.Sprintf("#err-%s", q.Key)) {
			t.Errorf("empty form: no message #err-%s", q.Key)
		}
		wantLinks = append(wantLinks, "#q-"+q.Key)
	}
	if strings.Join(links, " ") != strings.Join(wantLinks, " ") {
		t.Errorf("empty form: error summary links = %v, want %v", links, wantLinks)
	}
	if got, want := a.text(".summary h2"), fmt.Sprintf("%d réponses à compléter", len(wantLinks)); got != want {
		t.Errorf("empty form: summary heading %q, want %q", got, want)
	}
	if after := a.formState(); after.SubmissionID != before.SubmissionID {
		t.Errorf("submission_id changed on a validation error: %q, then %q; a resend would be stored twice", before.SubmissionID, after.SubmissionID)
	}
	a.answer(pupils[0].pre, "", "")
	a.checkThanks(a.submit(`form button.send[type=submit]`), "pre")
	a.screenshot("pupil-thanks", true)

	// Pupil B forgets the last question: everything else must stay.
	bb := b.newTab(pupils[1].name, phone)
	devices[bb.name] = bb
	bb.open(formURL)
	bb.waitVisible("#code")
	bb.typeCode(pupils[1].code)
	qs = bb.questions()
	var last formQuestion // the last required choice question
	for _, q := range qs {
		if !q.Optional && !q.Text {
			last = q
		}
	}
	bb.answer(pupils[1].pre, "", last.Key)
	filled := bb.formState()
	if got := bb.submit(`form button.send[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("form without %s: status %d, want 422", last.Key, got)
	}
	bb.screenshot("pupil-form-kept-answers", true)
	kept := bb.formState()
	if fmt.Sprint(kept.Checked) != fmt.Sprint(filled.Checked) {
		t.Errorf("after a validation error, checked answers = %v, want them kept: %v", kept.Checked, filled.Checked)
	}
	if got := bb.text(".code-shown"); got != "S · 3 novembre · R" {
		t.Errorf("after a validation error, the code read back is %q, want S · 3 novembre · R", got)
	}
	if kept.SubmissionID != filled.SubmissionID {
		t.Errorf("after a validation error, submission_id = %q, want it kept: %q", kept.SubmissionID, filled.SubmissionID)
	}
	if got, want := bb.summaryLinks(), []string{"#q-" + last.Key}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("form without %s: summary links = %v, want %v", last.Key, got, want)
	}
	if !bb.exists("#q-" + last.Key + ".bad") {
		t.Errorf("form without %s: want only that question marked in error", last.Key)
	}
	bb.click(fmt.Sprintf(`label[for=%q]`, last.Inputs[pupils[1].pre%len(last.Inputs)]))
	bb.checkThanks(bb.submit(`form button.send[type=submit]`), "pre")

	// Pupil C's phone runs no JavaScript: the form must not need it.
	c := b.newTab(pupils[2].name+" (no JavaScript)", phone)
	if _, err := chromedp.Call(c.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	c.open(formURL)
	c.waitVisible("#code")
	if src := evalJS[[]string](c, `[...document.scripts].map(s => s.getAttribute("src") ?? "inline")`); len(src) != 1 || !strings.HasPrefix(src[0], "/static/pupil.js") {
		t.Errorf("pupil form scripts %q, want only /static/pupil.js, which this phone does not run", src)
	}
	c.typeCode(pupils[2].code)
	c.answer(pupils[2].pre, "", "")
	c.checkThanks(c.submit(`form button.send[type=submit]`), "pre")

	// The workshop page counts live (staff.js polls), without a reload.
	waitCount(t, staff, "n-pre", 3)

	// POST.
	staff.submit(`button[name=phase][value=post]`)
	if got := staff.text("#phase"); got != "Après (POST)" {
		t.Fatalf("after opening POST: phase shown %q, want %q", got, "Après (POST)")
	}

	// Pupil A on the same phone: the code is remembered.
	a.open(formURL)
	a.waitVisible("form")
	if a.exists("#code") {
		t.Errorf("POST on the same device: the code questions are asked again, want them remembered")
	}
	if got := a.text(".remembered"); !strings.Contains(got, "M · 12 mars · L") {
		t.Errorf("POST on the same device: remembered note = %q", got)
	}
	if got := a.text(".phase"); got != "Fin de l'atelier" {
		t.Errorf("POST form phase line = %q, want %q", got, "Fin de l'atelier")
	}
	qs = a.questions()
	var textKeys []string
	for _, q := range qs {
		if q.Text {
			textKeys = append(textKeys, q.Key)
		}
	}
	if len(textKeys) == 0 {
		t.Errorf("POST form of odd-v2 has no free-text question, want the POST-only ones")
	}
	const wordsA = "Qu'il y a 17 ODD — et qu'on peut agir « à notre échelle »."
	a.answer(pupils[0].post, wordsA, qs[0].Key)
	if got := a.submit(`form button.send[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("POST form without %s: status %d, want 422", qs[0].Key, got)
	}
	if a.exists("#code") {
		t.Errorf("POST validation error on a remembered device: the code questions appear, want them still hidden")
	}
	if got, want := a.summaryLinks(), []string{"#q-" + qs[0].Key}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("POST form without %s: summary links = %v, want %v", qs[0].Key, got, want)
	}
	if got := evalJS[string](a, fmt.Sprintf(`document.querySelector('#a_%s').value`, textKeys[0])); got != wordsA {
		t.Errorf("after a validation error, free text = %q, want it kept: %q", got, wordsA)
	}
	a.click(fmt.Sprintf(`label[for=%q]`, qs[0].Inputs[pupils[0].post%len(qs[0].Inputs)]))
	a.checkThanks(a.submit(`form button.send[type=submit]`), "post")
	// Opening the form again on the same phone thanks the pupil instead of
	// inviting a second answer that would drop them from the pairs.
	a.open(formURL)
	a.waitVisible(".card h1")
	if got := a.text(".card h1"); got != "Tu as déjà répondu" {
		t.Errorf("form reopened after answering: heading %q, want %q", got, "Tu as déjà répondu")
	}
	if !a.exists(`a[href$="?nouveau=1"]`) {
		t.Errorf("already-answered page has no link for another pupil on a shared device")
	}
	a.screenshot("pupil-already-answered", false)

	// Pupil B on another device, typing the code in lower case.
	b2 := b.newTab(pupils[1].name+" (new device)", phone)
	b2.open(formURL)
	b2.waitVisible("#code")
	lower := pupils[1].code
	lower.mere, lower.lettre2 = strings.ToLower(lower.mere), strings.ToLower(lower.lettre2)
	b2.typeCode(lower)
	b2.answer(pupils[1].post, "", "")
	b2.checkThanks(b2.submit(`form button.send[type=submit]`), "post")

	waitCount(t, staff, "n-post", 2)
	staff.screenshot("staff-workshop-phone-post", true)
	staff.setViewport(laptop)
	staff.open(wsPath)
	staff.waitImages()
	staff.screenshot("staff-workshop", true)

	// Results page.
	staff.open(wsPath + "/results")
	staff.waitVisible("#r-paired")
	for sel, want := range map[string]string{"#r-pre": "3", "#r-post": "2", "#r-paired": "2"} {
		if got := staff.text(sel); got != want {
			t.Errorf("results page %s = %q, want %q", sel, got, want)
		}
	}
	staff.waitImages()
	if got := evalJS[int](staff, `document.querySelector('img.chart').naturalWidth`); got == 0 {
		t.Errorf("results chart did not load")
	}
	rows := evalJS[int](staff, `document.querySelectorAll('table.results:not(.stats) tbody tr').length`)
	quotes := evalJS[[]string](staff, `[...document.querySelectorAll('.quotes li')].map(li => li.textContent.trim())`)
	if len(quotes) != 1 || quotes[0] != wordsA {
		t.Errorf("results page quotes = %q, want the one free-text answer %q", quotes, wordsA)
	}
	staff.screenshot("staff-results", true)
	staff.setViewport(phone)
	staff.open(wsPath + "/results")
	staff.waitImages()
	staff.screenshot("staff-results-phone", true)
	staff.setViewport(laptop)
	staff.open(wsPath + "/poster")
	staff.waitImages()
	if got := staff.text(".poster .code"); got != ws.Code {
		t.Errorf("poster code = %q, want %q", got, ws.Code)
	}
	if got := staff.text(".poster .url"); got != formURL {
		t.Errorf("poster address = %q, want %q", got, formURL)
	}
	staff.screenshot("staff-poster", true)

	// The JSON results say the same.
	var res apiResults
	if st := ts.do(t, token, "GET", "/api/v1/workshops/"+id+"/results", nil, &res); st != http.StatusOK {
		t.Fatalf("GET results = %d, want 200", st)
	}
	if res.NPre != 3 || res.NPost != 2 || res.NPaired != 2 || res.NDuplicates != 0 {
		t.Errorf("API results n_pre/n_post/n_paired/n_duplicates = %d/%d/%d/%d, want 3/2/2/0",
			res.NPre, res.NPost, res.NPaired, res.NDuplicates)
	}
	if len(res.Items)+len(res.Scales) != rows {
		t.Errorf("results table has %d rows, want %d items + %d scales", rows, len(res.Items), len(res.Scales))
	}
	checkResultMeans(t, res, pupils)

	// Closing the workshop: pupils get the friendly page.
	staff.open(wsPath)
	staff.submit(`button[name=phase][value=closed]`)
	if got := staff.text("#phase"); got != "Fermé" {
		t.Errorf("after closing: phase shown %q, want %q", got, "Fermé")
	}
	a.open(formURL)
	if got := a.text("h1"); got != "Le questionnaire n'est pas ouvert" {
		t.Errorf("closed workshop: pupil sees h1 %q, want %q", got, "Le questionnaire n'est pas ouvert")
	}
	a.screenshot("pupil-closed", true)
}

// waitCount waits until the workshop page's live counter shows n.
func waitCount(t *testing.T, staff *tab, id string, n int) {
	t.Helper()
	js := fmt.Sprintf(`document.getElementById(%q).textContent.trim() === %q`, id, fmt.Sprint(n))
	if !staff.waitJS(js, 10*time.Second) {
		t.Fatalf("workshop page #%s never showed %d without a reload (shows %q)", id, n, staff.text("#"+id))
	}
}

type apiPhaseSummary struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean"`
}

type apiResults struct {
	NPre        int `json:"n_pre"`
	NPost       int `json:"n_post"`
	NPaired     int `json:"n_paired"`
	NDuplicates int `json:"n_duplicates"`
	Items       []struct {
		Key     string          `json:"key"`
		Type    string          `json:"type"`
		Min     float64         `json:"min"`
		Max     float64         `json:"max"`
		Reverse bool            `json:"reverse"`
		Pre     apiPhaseSummary `json:"pre"`
		Post    apiPhaseSummary `json:"post"`
		Paired  struct {
			N        int      `json:"n"`
			MeanPre  *float64 `json:"mean_pre"`
			MeanPost *float64 `json:"mean_post"`
			MeanDiff *float64 `json:"mean_diff"`
			Improved int      `json:"improved"`
			Declined int      `json:"declined"`
		} `json:"paired"`
	} `json:"items"`
	Scales []struct {
		Key string `json:"key"`
	} `json:"scales"`
}

// checkResultMeans checks every Likert item against the options the pupils
// tapped: option i of a 1-5 item is the answer i+1, scored 6-(i+1) when
// the item is reverse-coded.
func checkResultMeans(t *testing.T, res apiResults, pupils []pupilCase) {
	t.Helper()
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	near := func(p *float64, want float64) bool { return p != nil && *p > want-1e-9 && *p < want+1e-9 }
	show := func(p *float64) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprint(*p)
	}
	likert := 0
	for _, it := range res.Items {
		// A retrospective item is asked at the end only: its "before" and
		// "now" both come from the 2 POST answers.
		wantPre := 3
		if it.Type == "retro" {
			wantPre = 2
		}
		if it.Pre.N != wantPre || it.Post.N != 2 || it.Paired.N != 2 {
			t.Errorf("item %s: n pre/post/paired = %d/%d/%d, want %d/2/2", it.Key, it.Pre.N, it.Post.N, it.Paired.N, wantPre)
		}
		for _, m := range []*float64{it.Pre.Mean, it.Post.Mean} {
			if m == nil || *m < it.Min || *m > it.Max {
				t.Errorf("item %s: mean %s outside [%g, %g]", it.Key, show(m), it.Min, it.Max)
			}
		}
		if it.Type != "likert" {
			continue
		}
		likert++
		score := func(option int) float64 {
			if it.Reverse {
				return it.Min + it.Max - (it.Min + float64(option))
			}
			return it.Min + float64(option)
		}
		var pre, post, pairedPre []float64
		for _, p := range pupils {
			pre = append(pre, score(p.pre))
			if p.post >= 0 {
				post = append(post, score(p.post))
				pairedPre = append(pairedPre, score(p.pre))
			}
		}
		if !near(it.Pre.Mean, mean(pre)) || !near(it.Post.Mean, mean(post)) {
			t.Errorf("item %s (reverse %v): means pre/post = %s/%s, want %g/%g", it.Key, it.Reverse, show(it.Pre.Mean), show(it.Post.Mean), mean(pre), mean(post))
		}
		if !near(it.Paired.MeanPre, mean(pairedPre)) || !near(it.Paired.MeanDiff, mean(post)-mean(pairedPre)) {
			t.Errorf("item %s (reverse %v): paired mean_pre/mean_diff = %s/%s, want %g/%g", it.Key, it.Reverse,
				show(it.Paired.MeanPre), show(it.Paired.MeanDiff), mean(pairedPre), mean(post)-mean(pairedPre))
		}
		wantImproved, wantDeclined := 2, 0
		if it.Reverse {
			wantImproved, wantDeclined = 0, 2
		}
		if it.Paired.Improved != wantImproved || it.Paired.Declined != wantDeclined {
			t.Errorf("item %s (reverse %v): improved/declined = %d/%d, want %d/%d", it.Key, it.Reverse,
				it.Paired.Improved, it.Paired.Declined, wantImproved, wantDeclined)
		}
	}
	if likert == 0 {
		t.Errorf("results have no Likert item, want the questionnaire's")
	}
}

// --- accessibility ---
