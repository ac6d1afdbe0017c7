package main

import (
	"bytes"
	"context"
	"declic/surveys"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A manager's funding report on `declic demo` data, with the demo's
// logframe indicators: the organisation's logo set on its page, the
// report opened without a questionnaire, quotes ticked, then printed to
// PDF as a browser prints it: its page count, and no heading alone at the
// bottom of a page.
func TestBrowserFunderReport(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		skipOrFail(t, "pdftotext not installed: apt-get install poppler-utils (see .ci/run)")
	}
	ts := mustOpenMain(t)
	var out bytes.Buffer
	if err := fillDemo(context.Background(), ts.Main, time.Now(), &out); err != nil {
		t.Fatal(err)
	}
	b := mustOpenBrowser(t, ts.URL)
	axe := axeSource(t)
	s := b.newTab("manager", laptop)
	s.open("/login")
	s.typeInto("#email", testAdminEmail)
	s.typeInto("#password", testAdminPassword)
	s.submit(`form[action="/login"] button[type=submit]`)

	// The organisation: a name and a PNG logo, on the admin's page.
	logo := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(logo, logoPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	s.open("/app/organisation")
	setValue(s, "#name", "")
	s.typeInto("#name", "Solidarités Lille")
	s.do("choose the logo", chromedp.SetUploadFiles("#logo", []string{logo}))
	if st := s.submit(`form[action="/app/organisation"] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("organisation saved: page %d", st)
	}
	s.waitImages()
	if !s.exists(".logo-preview img") {
		t.Errorf("the organisation page does not show the logo just saved")
	}
	s.checkAxe(axe, "organisation page")
	s.screenshot("funder-organisation", true)

	// Rapports without a questionnaire opens on the most used one, by title.
	s.open("/app/reports")
	if q := s.location().Query().Get("questionnaire_id"); q != "odd-v1" {
		t.Errorf("Rapports opened on questionnaire %q, want the most used, odd-v1", q)
	}
	if s.exists(".summary[role=alert]") {
		t.Errorf("Rapports opens on an error box: %s", s.text(".summary"))
	}
	if h := s.text("h1"); !strings.Contains(h, "Les Objectifs de développement durable (ODD)") {
		t.Errorf("report title = %q, want the questionnaire's title", h)
	}

	// The programme's report.
	report := "/app/reports?questionnaire_id=odd-v1&tag=programme-afd"
	s.open(report)
	s.waitImages()
	for sel, want := range map[string]string{
		".report-top .org":        "Solidarités Lille",
		"#report-scope":           "Programme (étiquette) : programme-afd",
		"#summary-sentences":      "ateliers avec",
		"#summary-indicators":     "Part des jeunes qui se sentent davantage capables d'agir",
		"#h-limits + ul":          "pas de groupe de comparaison",
		".report-summary .source": "Source : questionnaires avant/après Déclic, n = ",
	} {
		if got := s.text(sel); !strings.Contains(got, want) {
			t.Errorf("%s says %q, want %q in it", sel, got, want)
		}
	}
	if n := evalJS[int](s, `document.querySelectorAll('#summary-sentences p').length`); n != 3 {
		t.Errorf("the summary has %d sentences, want 3", n)
	}
	if !s.exists(".report-top img.logo") {
		t.Errorf("the report does not show the logo")
	}
	if s.exists(".quote-list blockquote") {
		t.Errorf("quotes shown before any was ticked")
	}
	// Tick two quotes: only they appear, and stay chosen.
	s.click(".quote-picker summary")
	texts := evalJS[[]string](s, `[...document.querySelectorAll('.quote-picker input[name=quote]')].slice(0, 2).map(i => (i.click(), i.closest('label').querySelector('span').firstChild.textContent.trim()))`)
	if len(texts) != 2 {
		t.Fatalf("quote picker offers %d quotes", len(texts))
	}
	s.submit(".quote-picker button[type=submit]")
	s.waitImages()
	if got := evalJS[[]string](s, `[...document.querySelectorAll('.quote-list blockquote p')].map(p => p.textContent.trim())`); strings.Join(got, "|") != strings.Join(texts, "|") {
		t.Errorf("report quotes %q, want the two ticked %q", got, texts)
	}
	if evalJS[bool](s, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Errorf("report page scrolls sideways on a laptop")
	}
	s.checkAxe(axe, "funding report")
	s.screenshot("funder-report-laptop", true)

	// Print: A4, numbered pages, headings kept with what follows.
	pages := printReport(t, s, pdftotext, "funder-report")
	// The demo's report: summary, changes, four charts, two breakdowns,
	// readings with their attrition warnings, response shift, quotes,
	// workshops, limits and method.
	if len(pages) < 4 || len(pages) > 14 {
		t.Errorf("the report prints on %d pages, want 4 to 14", len(pages))
	}
	if first := pages[0]; !strings.Contains(first, "Synthèse") || !strings.Contains(first, "Indicateurs du cadre logique") || strings.Contains(first, "Changement par question") {
		t.Errorf("the first printed page is not the summary alone:\n%s", first)
	}

	// The short version, for a funding file: the summary, the quotes
	// chosen, the workshops, the limits and the method, on a few pages.
	if _, err := chromedp.Call(s.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "screen"}); err != nil {
		t.Fatal(err)
	}
	s.setViewport(laptop)
	s.open(report)
	s.click(`a[href*="synthese=1"]`)
	s.waitImages()
	if !s.exists("#short-note") || s.exists("#h-changes") || s.exists(".charts figure") {
		t.Errorf("the short version shows details, or does not say it is short")
	}
	s.checkAxe(axe, "short report")
	short := printReport(t, s, pdftotext, "funder-report-short")
	text := strings.Join(short, "\n")
	if len(short) > 4 || !strings.Contains(text, "Synthèse") || !strings.Contains(text, "Limites") || !strings.Contains(text, texts[0][:20]) || strings.Contains(text, "Figure 1") {
		t.Errorf("the short version prints on %d pages (want at most 4) with the summary, the chosen quotes and the limits, no figure:\n%.600s", len(short), text)
	}
}

// printReport prints the page open in s to an A4 PDF (kept in
// DECLIC_SCREENSHOTS as name.pdf) and returns its pages' text. It checks
// that every page is numbered « Page n / N » and that no heading ends a
// page.
func printReport(t *testing.T, s *tab, pdftotext, name string) []string {
	t.Helper()
	headings := evalJS[[]string](s, `[...document.querySelectorAll('main h1, main h2, main h3, main caption')].filter(h => h.offsetParent !== null && !h.closest('.noprint')).map(h => h.innerText.replace(/\s+/g, ' ').trim())`)
	if _, err := chromedp.Call(s.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	s.setViewport(viewport{width: 794, height: 1123, scale: 1})
	s.screenshot(name+"-print", true)
	preferCSS := true
	printed, err := chromedp.Call(s.ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &preferCSS})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pdf := filepath.Join(t.TempDir(), name+".pdf")
	if dir := os.Getenv("DECLIC_SCREENSHOTS"); dir != "" {
		pdf = filepath.Join(dir, name+".pdf")
	}
	if err := os.WriteFile(pdf, printed.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	txt, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(txt), "\f\n"), "\f")
	numbered := regexp.MustCompile(`Page (\d+) / (\d+)`)
	for i, p := range pages {
		m := numbered.FindStringSubmatch(p)
		if m == nil || m[1] != fmt.Sprint(i+1) || m[2] != fmt.Sprint(len(pages)) {
			t.Errorf("%s: page %d is not numbered « Page %d / %d »: %q", name, i+1, i+1, len(pages), lastLines(p, 2))
		}
		last := lastContentLine(p)
		for _, h := range headings {
			if last != "" && len(last) > 3 && strings.HasPrefix(h, last) {
				t.Errorf("%s: page %d ends with the heading %q", name, i+1, h)
			}
		}
	}
	return pages
}

// lastContentLine is a printed page's last line of text, the page number
// left out, its spaces collapsed.
func lastContentLine(page string) string {
	lines := strings.Split(page, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.Join(strings.Fields(lines[i]), " ")
		if l == "" || regexp.MustCompile(`^Page \d+ / \d+$`).MatchString(l) {
			continue
		}
		return l
	}
	return ""
}

func lastLines(page string, n int) string {
	lines := strings.Split(strings.TrimSpace(page), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " / ")
}

// logoPNG is a small two-colour logo.
func logoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 240, 96))
	for y := range 96 {
		for x := range 240 {
			c := color.RGBA{0x2f, 0x27, 0x66, 0xff}
			if (x/24+y/24)%2 == 0 {
				c = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The manager's other pages on demo data, as a manager sees them on a
// laptop: the logframe, an indicator refused then saved, the year-on-year
// comparison, a workshop's statistics table, the dashboard's counts.
func TestBrowserFunderPages(t *testing.T) {
	ts := mustOpenMain(t)
	var out bytes.Buffer
	if err := fillDemo(context.Background(), ts.Main, time.Now(), &out); err != nil {
		t.Fatal(err)
	}
	b := mustOpenBrowser(t, ts.URL)
	axe := axeSource(t)
	s := b.newTab("manager", laptop)
	s.open("/login")
	s.typeInto("#email", testAdminEmail)
	s.typeInto("#password", testAdminPassword)
	s.submit(`form[action="/login"] button[type=submit]`)

	if st := s.open("/app/logframe"); st != http.StatusOK {
		t.Fatalf("logframe = %d", st)
	}
	if n := evalJS[int](s, `document.querySelectorAll('table.logframe tbody tr').length`); n != len(demoIndicators) {
		t.Errorf("logframe shows %d indicators, want %d", n, len(demoIndicators))
	}
	if n := evalJS[int](s, `document.querySelectorAll('table.logframe svg.ibar rect.value').length`); n != len(demoIndicators) {
		t.Errorf("%d indicators drawn as a bar, want %d", n, len(demoIndicators))
	}
	for _, link := range []string{"/api/v1/logframe.xlsx", "/api/v1/logframe.csv"} {
		if !s.exists(`a[href^="` + link + `"]`) {
			t.Errorf("logframe page has no %s link", link)
		}
	}
	if evalJS[bool](s, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Errorf("logframe scrolls sideways on a laptop")
	}
	s.checkAxe(axe, "logframe")
	s.screenshot("funder-logframe", true)

	// A new indicator « at least » without its threshold and with a
	// target of 160 %: refused, the form kept, each reason beside its
	// field; then saved once corrected.
	s.open("/app/indicators/new")
	if evalJS[bool](s, `[...document.querySelectorAll('#measured option')].some(o => o.value.endsWith('|retenu'))`) {
		t.Errorf("the form offers a free-text question, which has no score to measure")
	}
	s.typeInto("#name", "Part des jeunes qui peuvent expliquer les ODD")
	setValue(s, "#measured", "odd-v1|item|odd_expliquer")
	s.click(`input[name=measure][value=share_at_least]`)
	s.typeInto("#target", "160")
	if st := s.submit(`form[action="/app/indicators"] button[type=submit]`); st != http.StatusBadRequest {
		t.Errorf("indicator without its threshold: page %d, want 400", st)
	}
	for sel, want := range map[string]string{"#threshold-err": "obligatoire", "#target-err": "entre 0 et 100"} {
		if got := s.text(sel); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	if got := evalJS[string](s, `document.querySelector('#name').value`); got != "Part des jeunes qui peuvent expliquer les ODD" {
		t.Errorf("the name typed was lost: %q", got)
	}
	s.checkAxe(axe, "indicator form with errors")
	s.screenshot("funder-indicator-refused", true)
	setValue(s, "#threshold", "4")
	setValue(s, "#target", "60")
	if st := s.submit(`form[action="/app/indicators"] button[type=submit]`); st != http.StatusOK || s.location().Path != "/app/logframe" {
		t.Errorf("indicator saved: page %d at %s, want the logframe", st, s.location().Path)
	}
	if !strings.Contains(s.text("table.logframe"), "Part des jeunes qui peuvent expliquer les ODD") {
		t.Errorf("the new indicator is not in the logframe")
	}

	// Year on year: by default the last two school years; here the demo's
	// two halves, so that both periods have answers.
	s.open("/app/compare")
	if got := evalJS[string](s, `document.querySelector('#from2').value`); !strings.HasSuffix(got, "-09-01") {
		t.Errorf("the second period starts on %q by default, want a 1 September", got)
	}
	day := func(ago int) string { return time.Now().AddDate(0, 0, -ago).Format(time.DateOnly) }
	s.open("/app/compare?from1=" + day(100) + "&to1=" + day(46) + "&from2=" + day(45) + "&to2=" + day(0))
	if n := evalJS[int](s, `document.querySelectorAll('table.compare tbody tr').length`); n < len(demoIndicators) {
		t.Errorf("comparison shows %d rows", n)
	}
	if got := s.text("table.compare"); !strings.Contains(got, "hasard (p") || strings.Contains(got, "aucun atelier") {
		t.Errorf("the comparison of the demo's two halves gives no verdict: %.300s", got)
	}
	s.checkAxe(axe, "year-on-year comparison")
	s.screenshot("funder-compare", true)

	// A workshop's statistics table fits a laptop once opened.
	ws, err := ts.Store.Workshops(context.Background(), surveys.WorkshopFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatalf("workshops: %v", err)
	}
	s.open("/app/workshops/" + ws[0].ID + "/results") // its charts load lazily
	s.click("details summary")
	if evalJS[bool](s, `(() => { const t = document.querySelector('table.stats'); return t.scrollWidth > t.parentElement.clientWidth + 1; })()`) {
		t.Errorf("the statistics table overflows its box at 1280 px")
	}
	if w := evalJS[float64](s, `document.querySelector('table.stats th[scope=row]').getBoundingClientRect().width`); w < 150 {
		t.Errorf("the statistics table's question column is %.0f px wide: one word per line", w)
	}
	s.screenshot("funder-results-stats", true)

	// The dashboard counts answers per workshop.
	s.open("/app")
	if got := s.text("table.list tbody tr td:nth-child(4)"); !regexp.MustCompile(`^\d+ · \d+$`).MatchString(got) {
		t.Errorf("dashboard answers column = %q, want « avant · après » counts", got)
	}
	s.checkAxe(axe, "dashboard")
}

// setValue sets a field's value as a choice in a list or a cleared box would.
func setValue(tb *tab, sel, v string) {
	tb.t.Helper()
	if !evalJS[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; return e.value === %q; })()`, sel, v, v)) {
		tb.t.Fatalf("%s: %s has no value %q", tb.name, sel, v)
	}
}
