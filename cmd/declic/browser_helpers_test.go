package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser tests drive a real Chromium through the pages a facilitator and
// pupils use. CI installs Chromium and axe-core (.ci/run) and sets
// DECLIC_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping.
// This file holds what they share: the browser and its tabs, the pupil
// form driven as a pupil does, the accessibility checks; the tests are in
// browser_<page family>_test.go and the other *_test.go files that open a
// browser.

// browserBudget bounds a whole browser test: the browser dies with it, so a
// hung page fails the test instead of hanging it.
const browserBudget = 50 * time.Second

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
