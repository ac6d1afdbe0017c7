package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser tests drive a real Chromium through the pages a facilitator and
// pupils use. CI installs Chromium and axe-core (.ci/run) and sets
// DECLIC_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping.

// browserBudget bounds a whole browser test: the browser dies with it, so a
// hung page fails the test instead of hanging it.
const browserBudget = 50 * time.Second

// pupilFormBudget is the most the pupil form of 10 Likert items (HTML and
// everything it loads) may weigh, uncompressed: pupils answer on low-end
// phones over 3G. For comparison, Formbricks' survey bundle alone is about
// 260 KB gzipped.
const pupilFormBudget = 30 << 10

type viewport struct {
	width, height int64
	scale         float64
	mobile        bool
}

var (
	phone  = viewport{width: 390, height: 844, scale: 2, mobile: true}
	laptop = viewport{width: 1280, height: 800, scale: 1}
)

// skipOrFail skips, or fails when CI requires the browser tests to run.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("DECLIC_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (DECLIC_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipOrFail(t, "chromium not installed: apt-get install chromium (see .ci/run)")
	return ""
}

// axeSource is axe-core's script, from DECLIC_AXE_JS or the cache folder
// .ci/run installs it into.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("DECLIC_AXE_JS")
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			skipOrFail(t, "axe-core not found: no cache folder: "+err.Error())
		}
		path = filepath.Join(cache, "declic", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		skipOrFail(t, fmt.Sprintf("axe-core not found at %s: npm install --prefix ~/.cache/declic/axe axe-core@4 (see .ci/run)", path))
	}
	return string(src)
}

// browser is one headless Chromium; each tab gets its own browser context,
// so its own cookies, like a separate device.
type browser struct {
	t      *testing.T
	ctx    context.Context
	origin string
}

func mustOpenBrowser(t *testing.T, origin string) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := context.WithTimeout(context.Background(), browserBudget)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		bcancel()
		acancel()
		cancel()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return &browser{t: t, ctx: bctx, origin: origin}
}

// tab is a page in its own browser context. Every request it makes is
// recorded, and the test fails if one leaves the server's origin.
type tab struct {
	t      *testing.T
	ctx    context.Context
	origin string
	name   string

	mu       sync.Mutex
	requests []string
}

func (b *browser) newTab(name string, vp viewport) *tab {
	t := b.t
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb := &tab{t: t, ctx: ctx, origin: b.origin, name: name}
	t.Cleanup(cancel)
	t.Cleanup(tb.checkOrigins)
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			tb.mu.Lock()
			tb.requests = append(tb.requests, e.Request.URL)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	tb.setViewport(vp)
	return tb
}

func (tb *tab) checkOrigins() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, u := range tb.requests {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "about:") {
			continue
		}
		if !strings.HasPrefix(u, tb.origin+"/") {
			tb.t.Errorf("%s: request to another origin %q, want only %s", tb.name, u, tb.origin)
		}
	}
}

func (tb *tab) setViewport(vp viewport) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(vp.scale)}
	if vp.mobile {
		opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...)); err != nil {
		tb.t.Fatalf("%s: viewport %dx%d: %v", tb.name, vp.width, vp.height, err)
	}
}

func (tb *tab) abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return tb.origin + path
}

// open loads a page and returns its HTTP status.
func (tb *tab) open(path string) int {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.abs(path)))
	if err != nil {
		tb.t.Fatalf("%s: open %s: %v", tb.name, path, err)
	}
	return int(resp.Status)
}

// submit clicks a button that loads a new page (a form post and its
// redirect) and returns the status of the page shown.
func (tb *tab) submit(sel string) int {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: click %s: %v", tb.name, sel, err)
	}
	if resp == nil {
		tb.t.Fatalf("%s: click %s: no page loaded", tb.name, sel)
	}
	return int(resp.Status)
}

func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (tb *tab) waitVisible(sel string) {
	tb.t.Helper()
	tb.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// text is the trimmed text of the first element that matches sel, or ""
// when there is none: it never waits, so it also checks absence.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return evalJS[string](tb, fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? "").replace(/\s+/g, " ").trim()`, sel))
}

func (tb *tab) exists(sel string) bool {
	tb.t.Helper()
	return evalJS[bool](tb, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

func (tb *tab) location() *url.URL {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("%s: location: %v", tb.name, err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("%s: location %q: %v", tb.name, loc, err)
	}
	return u
}

// waitJS waits until the expression is true. It polls with Evaluate, which
// runs in the page's current document even right after a navigation.
func (tb *tab) waitJS(js string, timeout time.Duration) bool {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

func (tb *tab) waitImages() {
	tb.t.Helper()
	// Lazy images below the fold would wait for a scroll that never comes.
	evalJS[any](tb, `document.querySelectorAll("img[loading=lazy]").forEach(i => i.loading = "eager"); null`)
	if !tb.waitJS(`[...document.images].every(i => i.complete && i.naturalWidth > 0)`, 10*time.Second) {
		tb.t.Fatalf("%s: images not loaded on %s: %s", tb.name, tb.location(),
			evalJS[string](tb, `[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src).join(" ")`))
	}
}

// screenshot saves a PNG of the page into DECLIC_SCREENSHOTS, if set.
func (tb *tab) screenshot(name string, full bool) {
	tb.t.Helper()
	dir := os.Getenv("DECLIC_SCREENSHOTS")
	if dir == "" {
		return
	}
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(tb.ctx, shot)
	if err != nil {
		tb.t.Fatalf("%s: screenshot %s: %v", tb.name, name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot %s", path)
}

func evalJS[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %.80q: %v", tb.name, js, err)
	}
	return v
}

// --- the pupil form ---

// formQuestion is one question fieldset of the pupil form as the page shows it.
type formQuestion struct {
	Key      string   `json:"key"`
	Text     bool     `json:"text"`
	Inputs   []string `json:"inputs"`
	Legend   string   `json:"legend"`
	Optional bool     `json:"optional"`
	Bad      bool     `json:"bad"`
	// Halves are the two option groups of a retrospective question.
	Halves [][]string `json:"halves"`
}

const formQuestionsJS = `[...document.querySelectorAll('form fieldset.q:not(#code)')].map(f => ({
	key: f.id.replace(/^q-/, ''),
	text: f.querySelector('textarea') !== null,
	inputs: [...f.querySelectorAll('input[type=radio], input[type=checkbox], textarea')].map(i => i.id),
	legend: f.querySelector(':scope > legend')?.textContent.trim() ?? '',
	optional: f.querySelector('legend .opt') !== null,
	bad: f.classList.contains('bad'),
	halves: [...f.querySelectorAll('fieldset.half')].map(h => [...h.querySelectorAll('input[type=radio]')].map(i => i.id)),
}))`

func (tb *tab) questions() []formQuestion {
	tb.t.Helper()
	qs := evalJS[[]formQuestion](tb, formQuestionsJS)
	if len(qs) == 0 {
		tb.t.Fatalf("%s: no question on %s", tb.name, tb.location())
	}
	return qs
}

// formState is what a pupil has entered: checked options by input name,
// text fields by id.
type formState struct {
	Checked      map[string][]string `json:"checked"`
	Fields       map[string]string   `json:"fields"`
	SubmissionID string              `json:"submission_id"`
}

const formStateJS = `(() => {
	const checked = {};
	for (const i of document.querySelectorAll('form input:checked')) (checked[i.name] ??= []).push(i.value);
	const fields = {};
	for (const i of document.querySelectorAll('form input[type=text], form input:not([type]), form textarea')) fields[i.id] = i.value;
	return {checked, fields, submission_id: document.querySelector('input[name=submission_id]')?.value ?? ''};
})()`

func (tb *tab) formState() formState {
	tb.t.Helper()
	return evalJS[formState](tb, formStateJS)
}

type selfCodeAnswers struct{ mere, jour, mois, lettre2 string }

// fillCode fills the code step: two letters typed, day and month picked.
func (tb *tab) fillCode(c selfCodeAnswers) {
	tb.t.Helper()
	tb.typeInto("#code_mere", c.mere)
	tb.do("pick the day", chromedp.SetValue(chromedp.CSS("#code_jour"), c.jour))
	tb.do("pick the month", chromedp.SetValue(chromedp.CSS("#code_mois"), c.mois))
	tb.typeInto("#code_lettre2", c.lettre2)
}

// typeCode goes through the code step to the questions.
func (tb *tab) typeCode(c selfCodeAnswers) {
	tb.t.Helper()
	tb.fillCode(c)
	if got := tb.submit(`#continuer`); got != http.StatusOK {
		tb.t.Fatalf("%s: code step: status %d, want 200 and the questions", tb.name, got)
	}
	tb.waitVisible("#envoyer")
}

// answer taps, in every choice question but skip, the option at index
// choice (modulo the number of options), and types text into the first
// free-text question, leaving the others empty.
func (tb *tab) answer(choice int, text string, skip string) {
	tb.t.Helper()
	for _, q := range tb.questions() {
		if q.Key == skip || len(q.Inputs) == 0 {
			continue
		}
		if q.Text {
			if text != "" {
				tb.typeInto("#"+q.Inputs[0], text)
				text = ""
			}
			continue
		}
		if len(q.Halves) > 0 {
			for _, h := range q.Halves {
				tb.click(fmt.Sprintf(`label[for=%q]`, h[choice%len(h)]))
			}
			continue
		}
		tb.click(fmt.Sprintf(`label[for=%q]`, q.Inputs[choice%len(q.Inputs)]))
	}
}

// checkThanks checks the page after a successful answer.
func (tb *tab) checkThanks(status int, phase string) {
	tb.t.Helper()
	if status != http.StatusOK {
		tb.t.Fatalf("%s: thank-you page status %d, want 200", tb.name, status)
	}
	tb.waitVisible("h1")
	if got, want := tb.text("h1"), "Merci, c'est envoyé !"; got != want {
		tb.t.Fatalf("%s: after sending, h1 = %q, want %q (page %s)", tb.name, got, want, tb.location())
	}
	if loc := tb.location(); !strings.HasSuffix(loc.Path, "/merci") || loc.Query().Get("phase") != phase {
		tb.t.Errorf("%s: thank-you page at %s, want /f/…/merci?phase=%s", tb.name, loc, phase)
	}
}

// summaryLinks are the targets of the error summary's links.
func (tb *tab) summaryLinks() []string {
	tb.t.Helper()
	return evalJS[[]string](tb, `[...document.querySelectorAll('.summary a')].map(a => a.getAttribute('href'))`)
}

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

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeReport struct {
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(r => ({
	passes: r.passes.length,
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary || ''})),
	})),
}))`

// checkAxe runs axe-core on the page and fails on serious or critical
// violations; it logs the others.
func (tb *tab) checkAxe(axe, page string) {
	tb.t.Helper()
	if !evalJS[bool](tb, `typeof axe !== 'undefined'`) {
		// DevTools evaluation is not subject to the page's CSP.
		evalJS[bool](tb, axe+"\n;true")
	}
	rep, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeReport](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: axe on %s: %v", tb.name, page, err)
	}
	if rep.Passes == 0 {
		tb.t.Fatalf("%s: axe on %s passed no rule; did it run?", tb.name, page)
	}
	for _, v := range rep.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s on %s: %s (%s)", v.Impact, page, v.ID, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t%s\t%s\n\t\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", " "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(b.String())
		} else {
			tb.t.Log(b.String())
		}
	}
	tb.t.Logf("axe on %s: %d rules passed, %d violations", page, rep.Passes, len(rep.Violations))
}

type formA11y struct {
	Lang          string   `json:"lang"`
	LooseInputs   []string `json:"loose_inputs"`
	SmallTargets  []string `json:"small_targets"`
	Choices       int      `json:"choices"`
	BadDescribed  []string `json:"bad_described"`
	HorizScroll   bool     `json:"horiz_scroll"`
	SendHeight    float64  `json:"send_height"`
	MinFontPixels float64  `json:"min_font"`
	MinFontOf     string   `json:"min_font_of"`
	// Narrow are questions whose answers do not span the question's width
	// (the question and its answers side by side on a phone).
	Narrow []string `json:"narrow"`
}

const formA11yJS = `(() => {
	const out = {lang: document.documentElement.lang, loose_inputs: [], small_targets: [], bad_described: []};
	for (const i of document.querySelectorAll('form input[type=radio], form input[type=checkbox], form textarea')) {
		const f = i.closest('fieldset');
		const legend = f?.querySelector(':scope > legend');
		if (!legend || legend.textContent.trim() === '') out.loose_inputs.push(i.id || i.name);
	}
	const choices = document.querySelectorAll('label.choice');
	out.choices = choices.length;
	for (const l of choices) {
		const r = l.getBoundingClientRect();
		if (r.height < 44 || r.width < 44) out.small_targets.push(l.htmlFor + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
	}
	for (const f of document.querySelectorAll('fieldset.bad')) {
		const ids = (f.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
		const ok = ids.length > 0 && ids.every(id => document.getElementById(id));
		const codeOk = f.id === 'code' && f.querySelector('.err') && f.querySelector('[aria-describedby]');
		if (!ok && !codeOk) out.bad_described.push(f.id);
	}
	out.narrow = [];
	for (const f of document.querySelectorAll('form fieldset.q')) {
		const box = f.querySelector('.choices') || f.querySelector('textarea');
		if (box && box.getBoundingClientRect().width < 0.8 * f.getBoundingClientRect().width) out.narrow.push(f.id);
	}
	out.horiz_scroll = document.documentElement.scrollWidth > window.innerWidth;
	out.send_height = document.querySelector('button.send')?.getBoundingClientRect().height ?? 0;
	let min = 1e9;
	for (const e of document.querySelectorAll('label, legend, p, button, a')) {
		const s = parseFloat(getComputedStyle(e).fontSize);
		if (e.textContent.trim() && s < min) { min = s; out.min_font_of = e.outerHTML.slice(0, 120); }
	}
	out.min_font = min;
	return out;
})()`

// checkFormStructure checks what axe does not: each question is a fieldset
// with a legend, tap targets are at least 44 px, the page fits a phone.
func (tb *tab) checkFormStructure(page string) {
	tb.t.Helper()
	for _, q := range tb.questions() {
		if q.Legend == "" {
			tb.t.Errorf("%s: question %s has no legend", page, q.Key)
		}
	}
	got := evalJS[formA11y](tb, formA11yJS)
	if got.Lang != "fr" {
		tb.t.Errorf("%s: <html lang=%q>, want fr", page, got.Lang)
	}
	if len(got.LooseInputs) > 0 {
		tb.t.Errorf("%s: answers outside a fieldset with a legend: %v", page, got.LooseInputs)
	}
	if got.Choices == 0 {
		tb.t.Errorf("%s: no label.choice tap target", page)
	}
	if len(got.SmallTargets) > 0 {
		tb.t.Errorf("%s: tap targets smaller than 44x44 px: %v", page, got.SmallTargets)
	}
	if len(got.BadDescribed) > 0 {
		tb.t.Errorf("%s: fieldsets in error whose message is not linked by aria-describedby: %v", page, got.BadDescribed)
	}
	if len(got.Narrow) > 0 {
		tb.t.Errorf("%s: answers squeezed beside their question instead of under it: %v", page, got.Narrow)
	}
	if got.HorizScroll {
		tb.t.Errorf("%s: the page scrolls sideways on a %d px wide phone", page, phone.width)
	}
	if got.SendHeight < 44 {
		tb.t.Errorf("%s: send button %.0f px high, want at least 44", page, got.SendHeight)
	}
	if got.MinFontPixels < 14 {
		tb.t.Errorf("%s: smallest text is %.1f px, want at least 14 on a phone: %s", page, got.MinFontPixels, got.MinFontOf)
	}
}

// openWorkshop creates a workshop of the ODD questionnaire through the API.
func openWorkshop(t *testing.T, ts *testServer, token, phase string) (id, code, formURL string) {
	t.Helper()
	var w struct {
		ID, Code string
		FormURL  string `json:"form_url"`
	}
	body := map[string]any{"questionnaire_id": "odd-v1", "title": "Vivre ensemble, ici et ailleurs", "date": "2026-03-12", "partner": "Centre social", "group": "Ados 12-14"}
	if st := ts.do(t, token, "POST", "/api/v1/workshops", body, &w); st != http.StatusCreated {
		t.Fatalf("POST /api/v1/workshops = %d, want 201", st)
	}
	if phase != "" {
		if st := ts.do(t, token, "PUT", "/api/v1/workshops/"+w.ID+"/phase", map[string]string{"phase": phase}, nil); st != http.StatusOK {
			t.Fatalf("PUT phase %s = %d, want 200", phase, st)
		}
	}
	return w.ID, w.Code, w.FormURL
}

func TestBrowserAccessibility(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	id, _, formURL := openWorkshop(t, ts, token, "")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)

	p.open("/login")
	p.waitVisible("#email")
	p.checkAxe(axe, "login page")

	p.open(formURL)
	if got := p.text("h1"); got != "Le questionnaire n'est pas ouvert" {
		t.Errorf("closed workshop: h1 %q, want %q", got, "Le questionnaire n'est pas ouvert")
	}
	p.checkAxe(axe, "closed page")

	p.open("/f/ZZZZZZ")
	p.checkAxe(axe, "unknown code page")
	p.open("/f")
	p.checkAxe(axe, "enter-code page")

	if st := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": "pre"}, nil); st != http.StatusOK {
		t.Fatalf("PUT phase pre = %d, want 200", st)
	}
	p.open(formURL)
	p.waitVisible("#code")
	p.checkAxe(axe, "code step")
	if got := p.submit(`#continuer`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty code step: status %d, want 422", got)
	}
	p.checkAxe(axe, "code step with errors")
	p.typeCode(selfCodeAnswers{"É", "7", "4", "l"})
	p.checkAxe(axe, "pupil form")
	p.checkFormStructure("pupil form")

	if got := p.submit(`form button.send[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d, want 422", got)
	}
	p.waitVisible(".summary")
	p.checkAxe(axe, "pupil form with errors")
	p.checkFormStructure("pupil form with errors")

	p.answer(1, "", "")
	p.checkThanks(p.submit(`form button.send[type=submit]`), "pre")
	p.checkAxe(axe, "thank-you page")

	// POST on the same device: the form without the code questions.
	if st := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": "post"}, nil); st != http.StatusOK {
		t.Fatalf("PUT phase post = %d, want 200", st)
	}
	p.open(formURL)
	p.waitVisible(".remembered")
	p.checkAxe(axe, "POST form, code remembered")
	p.checkFormStructure("POST form, code remembered")

	// The facilitator's pages, on a laptop.
	s := b.newTab("facilitator", laptop)
	s.open("/login")
	s.typeInto("#email", testAdminEmail)
	s.typeInto("#password", testAdminPassword)
	s.submit(`form[action="/login"] button[type=submit]`)
	for _, page := range []string{"/app", "/app/workshops/new", "/app/workshops/" + id, "/app/workshops/" + id + "/results", "/app/workshops/" + id + "/poster"} {
		if st := s.open(page); st != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", page, st)
			continue
		}
		s.waitImages()
		s.checkAxe(axe, page)
	}
}

// TestBrowserPupilFormWeight measures what a phone downloads to show the
// pupil form, and checks that nothing comes from another site.
func TestBrowserPupilFormWeight(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	// The budget's reference: 10 labelled Likert items, and the code questions.
	var items []string
	for i := range 10 {
		items = append(items, fmt.Sprintf(`{"key": "q%d", "type": "likert", "text": "Je me sens capable d'agir, à mon niveau, pour un monde plus juste et plus durable (%d).",
		  "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord", "Tout à fait d'accord"]}}`, i, i))
	}
	qid := apiNewQuestionnaire(t, ts, token, `{"title": "Dix questions", "items": [`+strings.Join(items, ",")+`]}`)
	formURL := apiOpenWorkshop(t, ts, token, qid, "pre").FormURL
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)
	p.open(formURL)
	p.waitVisible("#code")

	type entry struct {
		Name     string  `json:"name"`
		Transfer float64 `json:"transfer"`
		Decoded  float64 `json:"decoded"`
	}
	entries := evalJS[[]entry](p, `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
		.map(e => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}))`)
	if len(entries) == 0 {
		t.Fatal("no performance entry for the pupil form")
	}
	sort.SliceStable(entries[1:], func(i, j int) bool { return entries[1+i].Name < entries[1+j].Name })
	var decoded, transfer float64
	for _, e := range entries {
		if !strings.HasPrefix(e.Name, ts.URL+"/") {
			t.Errorf("the pupil form loads %s from another origin, want only %s", e.Name, ts.URL)
		}
		decoded += e.Decoded
		transfer += e.Transfer
		t.Logf("  %6.0f B  (%6.0f B on the wire)  %s", e.Decoded, e.Transfer, strings.TrimPrefix(e.Name, ts.URL))
	}
	t.Logf("pupil form weight: %.0f bytes uncompressed in %d requests (%.0f bytes on the wire, headers included)", decoded, len(entries), transfer)
	if decoded > pupilFormBudget {
		t.Errorf("pupil form weighs %.0f bytes, want at most %d", decoded, pupilFormBudget)
	}
	if decoded == 0 {
		t.Errorf("pupil form weighs 0 bytes; the Performance API gave no sizes")
	}
}
