package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The manager's report, on demo data: key figures, charts that load, no
// sideways scrolling, no accessibility violation; then its print layout
// (A4, without filters or buttons) and a PDF as a browser prints it.
func TestBrowserReport(t *testing.T) {
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

	if st := s.open("/app/reports?questionnaire_id=odd-v1&tag=programme-afd"); st != http.StatusOK {
		t.Fatalf("report page = %d", st)
	}
	s.waitImages()
	if got := s.text("#k-workshops"); got != "4" {
		t.Errorf("workshops shown = %q, want 4 (the ODD workshops tagged programme-afd)", got)
	}
	if n := evalJS[int](s, `document.querySelectorAll('.charts img').length`); n != 4 {
		t.Errorf("%d charts on the report, want 4", n)
	}
	if evalJS[bool](s, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Errorf("report page scrolls sideways on a laptop")
	}
	s.checkAxe(axe, "report page")
	s.screenshot("report-laptop", true)

	// Print: filters and buttons vanish, the charts fit the A4 width.
	if _, err := chromedp.Call(s.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	s.setViewport(viewport{width: 794, height: 1123, scale: 1}) // A4 at 96 dpi
	if evalJS[bool](s, `getComputedStyle(document.querySelector('.filters')).display !== 'none' || getComputedStyle(document.querySelector('.downloads')).display !== 'none'`) {
		t.Errorf("print layout still shows the filters or the download buttons")
	}
	if w := evalJS[float64](s, `Math.max(...[...document.querySelectorAll('.charts img')].map(i => i.getBoundingClientRect().right))`); w > 794 {
		t.Errorf("a chart ends at %.0f px, past the A4 page width", w)
	}
	s.screenshot("report-print", true)
	preferCSS := true
	printed, err := chromedp.Call(s.ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &preferCSS})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pdf := printed.Data
	if len(pdf) < 20_000 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("PDF of the report: %d bytes", len(pdf))
	}
	if dir := os.Getenv("DECLIC_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report.pdf"), pdf, 0o644)
	}
}
