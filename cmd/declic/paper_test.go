package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"declic/surveys"
)

// a4 is an A4 page at 96 dpi, as a browser lays out a printed page.
var a4 = viewport{width: 794, height: 1123, scale: 1}

// keys types on the focused element, as a person at a keyboard does.
func (tb *tab) keys(what, keys string) {
	tb.t.Helper()
	tb.do(what, chromedp.KeyEvent(keys))
}

// focused is the id of the element that has the keyboard.
func (tb *tab) focused() string {
	tb.t.Helper()
	return evalJS[string](tb, `document.activeElement?.id ?? ""`)
}

// sheetKeys are the keys that type one ODD PRE sheet: the code, then a
// digit per question, Tab between cells and Enter at the end. The sheet
// number is already offered by the page.
func sheetKeys(code [4]string, digits string) string {
	var b strings.Builder
	for _, c := range code {
		b.WriteString(c + "\t")
	}
	for i, d := range digits {
		if i > 0 {
			b.WriteString("\t")
		}
		b.WriteRune(d)
	}
	b.WriteString("\r")
	return b.String()
}

// Ten paper sheets typed in by keyboard only: each row stored on Enter,
// the count running, an out-of-range cell and a sheet typed twice
// refused as typed, at their cell, with the rule.
func TestBrowserPaperEntryTenSheets(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	id, _, _ := openWorkshop(t, ts, ts.token(t), "")
	b := mustOpenBrowser(t, ts.URL)
	desk := b.newTab("data entry", laptop)
	desk.staffLogin("/app/workshops/" + id + "/saisie?phase=pre")
	desk.waitVisible("#entry")
	if got := desk.focused(); got != "cell-code_mere" {
		t.Fatalf("the entry page starts with the keyboard on %q, want the code (the sheet number offered)", got)
	}
	if got := evalJS[string](desk, `document.querySelector("#cell-sheet").value`); got != "1" {
		t.Errorf("first sheet number offered %q, want 1", got)
	}
	desk.checkAxe(axe, "paper entry page")
	count := func(n int) string { return fmt.Sprintf(`document.querySelector("#n-sheets").textContent == "%d"`, n) }

	type sheet struct {
		code   [4]string
		digits string // 11 questions: 6 Likert, 3 quiz, age, gender
	}
	sheets := []sheet{
		{[4]string{"M", "12", "3", "L"}, "45342421213"},
		{[4]string{"S", "3", "11", "R"}, "33333311122"},
		{[4]string{"A", "28", "7", "T"}, "54544523331"},
		{[4]string{"E", "7", "4", "L"}, "22212114412"},
		{[4]string{"Z", "1", "1", "O"}, "11111133341"},
		{[4]string{"B", "19", "9", "A"}, "44444412221"},
		{[4]string{"K", "30", "12", "I"}, "55555522212"},
		{[4]string{"N", "4", "6", "U"}, "32132123132"},
		{[4]string{"", "", "", ""}, "4 4 4 4 4 4"}, // no code, blanks
		{[4]string{"P", "22", "2", "E"}, "23452341422"},
	}
	keystrokes := 0
	for i, s := range sheets {
		n := i + 1
		switch n {
		case 4:
			// Q1 typed 7: refused at once, at its cell, with the rule;
			// Enter does not store the row.
			desk.keys("code", sheetKeys(s.code, "")[:len(sheetKeys(s.code, ""))-1])
			desk.keys("Q1 out of range", "7")
			if got := desk.text("#msg-s_odd_expliquer"); got != "« 7 » : 1 à 5" {
				t.Errorf("Q1 = 7: message at the cell %q, want « 7 » : 1 à 5", got)
			}
			if !evalJS[bool](desk, `document.querySelector("#cell-s_odd_expliquer").getAttribute("aria-invalid") == "true"`) {
				t.Errorf("Q1 = 7: the cell is not marked invalid")
			}
			desk.keys("Enter on a bad row", "\r")
			if got := desk.focused(); got != "cell-s_odd_expliquer" {
				t.Errorf("Enter on a bad row: keyboard on %q, want back on the bad cell", got)
			}
			desk.screenshot("paper-entry-refused-cell", false)
			desk.keys("correct Q1", "\b"+s.digits[:1])
			if got := desk.text("#msg-s_odd_expliquer"); got != "" {
				t.Errorf("Q1 corrected: message %q stays", got)
			}
			desk.keys("rest of sheet 4", "\t"+sheetKeys([4]string{}, s.digits[1:])[4:])
		case 6:
			// Sheet 3 again: refused as soon as the number is typed.
			desk.do("back to the sheet number", chromedp.KeyEvent("\t", chromedp.KeyModifiers(chromedp.ModifierShift)))
			if got := desk.focused(); got != "cell-sheet" {
				t.Fatalf("Shift+Tab from the code: keyboard on %q, want the sheet number", got)
			}
			desk.keys("sheet 3 again", "\b3")
			if got := desk.text("#msg-sheet"); !strings.Contains(got, "déjà saisie") {
				t.Errorf("sheet 3 typed again: message %q, want « déjà saisie »", got)
			}
			desk.keys("sheet 6", "\b6\t")
			keys := sheetKeys(s.code, s.digits)
			keystrokes = max(keystrokes, len([]rune(keys)))
			desk.keys("sheet 6", keys)
		default:
			keys := sheetKeys(s.code, s.digits)
			keystrokes = max(keystrokes, len([]rune(keys)))
			desk.keys(fmt.Sprintf("sheet %d", n), keys)
		}
		if !desk.waitJS(count(n), 5*time.Second) {
			t.Fatalf("sheet %d: the count shows %q, want %d (status %q)", n, desk.text("#n-sheets"), n, desk.text("#entry-status"))
		}
		if got := desk.focused(); got != "cell-code_mere" {
			t.Fatalf("after sheet %d the keyboard is on %q, want the next sheet's code", n, got)
		}
	}
	t.Logf("a sheet of 11 questions takes %d keystrokes (code, digits, Tab, Enter; the sheet number is offered)", keystrokes)
	if keystrokes > 32 {
		t.Errorf("a sheet takes %d keystrokes, want at most 32", keystrokes)
	}
	if rows := evalJS[int](desk, `document.querySelectorAll("#entered tbody tr").length`); rows != 10 {
		t.Errorf("%d rows in « Saisies de cette séance », want 10", rows)
	}
	desk.screenshot("paper-entry", true)

	rs := storedResponses(t, ts, id)
	if len(rs) != 10 {
		t.Fatalf("%d responses stored for 10 sheets, want 10", len(rs))
	}
	noCode := 0
	for _, r := range rs {
		if r.Source != surveys.SourcePaper || r.Device != "" || r.Phase != surveys.PhasePre || r.Day != "2026-03-12" {
			t.Errorf("paper response %+v, want source paper, no device, PRE, the workshop's day", r)
		}
		if r.CodeParts == nil {
			noCode++
			if len(r.Answers) != 6 {
				t.Errorf("the sheet with blanks has %d answers, want 6", len(r.Answers))
			}
		}
	}
	if noCode != 1 {
		t.Errorf("%d sheets stored without a code, want 1", noCode)
	}
}

// pdfPages counts the pages of a PDF Chromium printed.
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// The printed paper sheets: one A4 page a pupil, PRE and POST, readable in
// black and white.
func TestBrowserPaperSheetsPrint(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	id, code, _ := openWorkshop(t, ts, ts.token(t), "")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("printer", a4)
	p.staffLogin("/app/workshops/" + id + "/paper.html?phase=pre&feuilles=3")
	p.waitVisible(".sheet")
	for _, phase := range []string{"pre", "post"} {
		p.open("/app/workshops/" + id + "/paper.html?feuilles=3&phase=" + phase)
		p.waitVisible(".sheet")
		pdf, err := chromedp.Call(p.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
		if err != nil {
			t.Fatalf("print %s: %v", phase, err)
		}
		if n := pdfPages(pdf.Data); n != 3 {
			t.Errorf("%s: 3 sheets print on %d pages, want one page each", phase, n)
		}
		if !bytes.HasPrefix(pdf.Data, []byte("%PDF")) {
			t.Errorf("%s: not a PDF", phase)
		}
	}
	// What a pupil gets: the first PRE sheet, as printed.
	p.open("/app/workshops/" + id + "/paper.html?feuilles=1&phase=pre")
	p.waitVisible(".sheet")
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := p.text(".sheet-code"); got != code {
		t.Errorf("printed sheet shows workshop code %q, want %q", got, code)
	}
	if got := evalJS[int](p, `document.querySelectorAll(".sheet .cell").length`); got != 6 {
		t.Errorf("%d code boxes on the sheet, want 6 (1 + 2 + 2 + 1)", got)
	}
	if evalJS[bool](p, `getComputedStyle(document.querySelector(".bar")).display != "none"`) {
		t.Errorf("the staff menu prints on the sheet")
	}
	colours := evalJS[[]string](p, `[...new Set([...document.querySelectorAll(".sheet *")].flatMap(e => {
		const s = getComputedStyle(e); return [s.color, s.borderTopColor].filter(c => e.textContent.trim() || s.borderTopStyle != "none");
	}))]`)
	for _, c := range colours {
		if !grey(c) {
			t.Errorf("the sheet prints in colour %s, want black, white and greys", c)
		}
	}
	p.screenshot("paper-sheet-print", true)
	p.open("/app/workshops/" + id + "/paper.html?feuilles=1&phase=post")
	p.waitVisible(".sheet")
	p.screenshot("paper-sheet-print-post", true)
}

// grey tells whether a CSS rgb() colour has equal channels.
func grey(css string) bool {
	var r, g, b int
	if n, _ := fmt.Sscanf(strings.ReplaceAll(css, " ", ""), "rgb(%d,%d,%d)", &r, &g, &b); n != 3 {
		n, _ = fmt.Sscanf(strings.ReplaceAll(css, " ", ""), "rgba(%d,%d,%d", &r, &g, &b)
		if n != 3 {
			return false
		}
	}
	return r == g && g == b
}
