package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"declic/cmd/internal/app"
	"declic/templates"
)

// bilingual is a questionnaire written in French and Portuguese (and
// English), with an item of each kind a pupil sees.
const bilingual = `{
  "title": {"fr": "Regards sur le monde", "pt": "Olhares sobre o mundo", "en": "Looking at the world"},
  "language": "fr", "languages": ["fr", "pt", "en"],
  "items": [
    {"key": "q1", "type": "likert", "text": {"fr": "Je me sens capable d'agir.", "pt": "Sinto-me capaz de agir.", "en": "I feel able to act."},
     "scale": {"min": 1, "max": 5, "labels": [{"fr": "Pas du tout d'accord", "pt": "Discordo totalmente", "en": "Strongly disagree"}, "", "", "",
       {"fr": "Tout à fait d'accord", "pt": "Concordo totalmente", "en": "Strongly agree"}]}},
    {"key": "y1", "type": "yesno", "text": {"fr": "As-tu déjà voyagé ?", "pt": "Já viajaste?", "en": "Have you travelled?"}},
    {"key": "t1", "type": "text", "text": {"fr": "Un mot ?", "pt": "Uma palavra?", "en": "A word?"}, "phases": ["post"]},
    {"key": "r1", "type": "retro", "text": {"fr": "Avant et maintenant", "pt": "Antes e agora", "en": "Before and now"}, "scale": {"min": 1, "max": 5}}
  ]
}`

// A pupil form in Portuguese, every page of it: the code step, its
// errors, the questions, their errors, the thanks; in the form's words
// and in Déclic's own.
func TestBrowserPupilFormPortuguese(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, bilingual)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil (pt)", phone)

	p.open(w.FormURL)
	p.waitVisible("#code")
	p.click(`.langs a[lang=pt]`)
	p.waitVisible(`.langs a[lang=pt][aria-current]`)
	lang := func() string { return evalJS[string](p, `document.documentElement.lang`) }
	if got := lang(); got != "pt" {
		t.Fatalf("code step after picking Português: <html lang=%q>", got)
	}
	for sel, want := range map[string]string{
		".phase": "Início da oficina", "#code legend": "O teu código secreto", "label[for=code_jour]": "O teu dia de nascimento",
		"#continuer": "Continuar", ".grand-label": "Letra maior",
	} {
		if got := p.text(sel); got != want {
			t.Errorf("code step in Portuguese: %s = %q, want %q", sel, got, want)
		}
	}
	if got := evalJS[string](p, `document.querySelector("#code_mois option[value='3']").textContent`); got != "março" {
		t.Errorf("month 3 in Portuguese = %q, want março", got)
	}
	p.checkAxe(axe, "code step (pt)")
	if got := p.submit("#continuer"); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty code step: status %d, want 422", got)
	}
	if got := p.text(".summary h2"); got != "4 respostas por completar" {
		t.Errorf("code step errors heading = %q, want « 4 respostas por completar »", got)
	}
	if got := p.text("#err-code_jour"); got != "escolhe o teu dia de nascimento" {
		t.Errorf("day missing: %q", got)
	}
	if got := lang(); got != "pt" {
		t.Errorf("code step with errors: <html lang=%q>, want pt", got)
	}
	p.fillCode(selfCodeAnswers{"M", "12", "3", "L"})
	if got := p.text("#code-readback"); got != "O teu código: M · 12 março · L" {
		t.Errorf("code read back while typing = %q", got)
	}
	if got := p.submit("#continuer"); got != http.StatusOK {
		t.Fatalf("code step: status %d", got)
	}
	p.waitVisible("#envoyer")
	for sel, want := range map[string]string{
		".code-shown": "M · 12 março · L", "#envoyer": "Enviar as minhas respostas", "#q-q1 legend": "1. Sinto-me capaz de agir.",
		"label[for=a_q1_0]": "Discordo totalmente", "label[for=a_y1_0]": "Sim",
	} {
		if got := p.text(sel); got != want {
			t.Errorf("questions in Portuguese: %s = %q, want %q", sel, got, want)
		}
	}
	p.checkAxe(axe, "questions (pt)")
	p.checkFormStructureIn("questions (pt)", "pt")
	// Read aloud: one « Ouvir » per question, in the page's language.
	if got := evalJS[[]string](p, `[...document.querySelectorAll("button.listen")].map(b => b.textContent + (b.hidden ? " (caché)" : ""))`); len(got) != 2 || got[0] != "Ouvir" {
		t.Errorf("read-aloud buttons %q, want one « Ouvir » per question", got)
	}
	if got := p.submit("#envoyer"); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d", got)
	}
	if got, want := p.text(".summary h2"), "2 respostas por completar"; got != want {
		t.Errorf("form errors heading = %q, want %q", got, want)
	}
	if got := p.text("#err-q1"); got != "Resposta obrigatória" {
		t.Errorf("required answer message = %q", got)
	}
	p.screenshot("pupil-form-pt-errors", false)
	p.answer(3, "", "")
	p.checkThanksIn(p.submit("#envoyer"), "pre", "Obrigado, está enviado!", "pt")
	p.checkAxe(axe, "thanks (pt)")

	// The same device in English at the end.
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	p.open(w.FormURL + "?lang=en")
	p.waitVisible("#envoyer")
	if got := p.text(".phase"); got != "End of the workshop" {
		t.Errorf("POST in English: phase %q", got)
	}
	if got := p.text("#retro"); got != "To finish: compare before and today" {
		t.Errorf("retrospective step in English: %q", got)
	}
	p.answer(1, "peace", "")
	p.checkThanksIn(p.submit("#envoyer"), "post", "Thank you, it's sent!", "en")
}

// The default privacy notice is the catalogue's French one, so that the
// form can show it in the pupil's language.
func TestDefaultNoticeTranslated(t *testing.T) {
	if app.DefaultNotice != templates.T("fr", "notice.default") {
		t.Errorf("app.DefaultNotice and the catalogue's notice.default differ: the form would show it in French only")
	}
}

// checkThanksIn is checkThanks for a form in another language.
func (tb *tab) checkThanksIn(status int, phase, h1, lang string) {
	tb.t.Helper()
	if status != http.StatusOK {
		tb.t.Fatalf("%s: thank-you page status %d", tb.name, status)
	}
	tb.waitVisible("h1")
	if got := tb.text("h1"); got != h1 {
		tb.t.Errorf("%s: thank-you h1 %q, want %q", tb.name, got, h1)
	}
	if got := evalJS[string](tb, `document.documentElement.lang`); got != lang {
		tb.t.Errorf("%s: thank-you page <html lang=%q>, want %s", tb.name, got, lang)
	}
	if loc := tb.location(); loc.Query().Get("phase") != phase {
		tb.t.Errorf("%s: thank-you page at %s, want phase %s", tb.name, loc, phase)
	}
}

// checkFormStructureIn is checkFormStructure for a form in lang.
func (tb *tab) checkFormStructureIn(page, lang string) {
	tb.t.Helper()
	got := evalJS[formA11y](tb, formA11yJS)
	if got.Lang != lang {
		tb.t.Errorf("%s: <html lang=%q>, want %s", page, got.Lang, lang)
	}
	if len(got.SmallTargets) > 0 || got.HorizScroll || got.MinFontPixels < 14 {
		tb.t.Errorf("%s: small targets %v, sideways scroll %v, smallest text %.0f px", page, got.SmallTargets, got.HorizScroll, got.MinFontPixels)
	}
}

// Read aloud and larger text on the form, and its weight: the questions
// page of 10 Likert items, with everything it loads, within the budget.
func TestBrowserPupilQuestionsReadAloudAndWeight(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
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
	p.typeCode(selfCodeAnswers{"M", "12", "3", "L"})

	// Weight of the questions page, as the phone loaded it (its code step
	// before it cached the same CSS and script).
	type entry struct {
		Name     string  `json:"name"`
		Transfer float64 `json:"transfer"`
		Decoded  float64 `json:"decoded"`
	}
	p.open(formURL)
	p.waitVisible("#envoyer")
	p.do("drop the cache", chromedp.Evaluate[chromedp.Void](`performance.clearResourceTimings()`))
	entries := evalJS[[]entry](p, `[...performance.getEntriesByType('navigation')].map(e => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}))`)
	page := entries[0]
	files := map[string]float64{}
	for _, name := range []string{"pupil.css", "pupil.js"} {
		res, data := apiRaw(t, nil, "GET", ts.URL+evalJS[string](p, fmt.Sprintf(`[...document.querySelectorAll("link[href], script[src]")].map(e => e.getAttribute("href") || e.getAttribute("src")).find(u => u.includes(%q))`, name)), "", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", name, res.StatusCode)
		}
		files[name] = float64(len(data))
	}
	total := page.Decoded + files["pupil.css"] + files["pupil.js"]
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("questions page of 10 items: %.0f B HTML (%.0f B on the wire), %.0f B CSS, %.0f B JS: %.0f B uncompressed",
		page.Decoded, page.Transfer, files["pupil.css"], files["pupil.js"], total)
	if total > pupilFormBudget {
		t.Errorf("the questions page weighs %.0f bytes with its CSS and script, want at most %d", total, pupilFormBudget)
	}

	// « Écouter » on each question; the larger text option.
	listen := evalJS[[]string](p, `[...document.querySelectorAll("fieldset.q > button.listen")].map(b => b.textContent)`)
	if len(listen) != 10 || listen[0] != "Écouter" {
		t.Errorf("read-aloud buttons %q, want 10 « Écouter »", listen)
	}
	said := evalJS[string](p, `(() => {
		let said = "";
		speechSynthesis.speak = u => { said = u.text + " [" + u.lang + "]"; };
		document.querySelector("#q-q2 button.listen").click();
		return said;
	})()`)
	if !strings.HasPrefix(said, "3. Je me sens capable d'agir") || !strings.Contains(said, "(2). Pas du tout d'accord. Plutôt pas d'accord.") || !strings.HasSuffix(said, "[fr]") {
		t.Errorf("« Écouter » on question 3 says %q, want its text and answers, in French", said)
	}
	if got := evalJS[string](p, `document.querySelector("#q-q2 button.listen").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("the button being read is aria-pressed=%q, want true", got)
	}
	before := evalJS[float64](p, `parseFloat(getComputedStyle(document.querySelector("#q-q1 legend")).fontSize)`)
	p.click(".grand-label")
	after := evalJS[float64](p, `parseFloat(getComputedStyle(document.querySelector("#q-q1 legend")).fontSize)`)
	if after < before*1.2 {
		t.Errorf("larger text: questions %.1f px, then %.1f px, want at least 20 %% larger", before, after)
	}
	p.checkFormStructureIn("questions, larger text", "fr")
	p.screenshot("pupil-form-larger-text", false)
	// Remembered on this phone: the next page is larger too.
	p.open(formURL)
	p.waitVisible("#envoyer")
	if !evalJS[bool](p, `document.querySelector("#grand").checked`) {
		t.Errorf("larger text not remembered on the pupil's own phone")
	}
	// A browser without speech synthesis shows no button.
	p.do("no speech", chromedp.Evaluate[chromedp.Void](`void Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true})`))
	if n := evalJS[int](p, `(() => { document.querySelectorAll("button.listen").forEach(b => b.remove()); const s = document.createElement("script"); s.src = document.querySelector("script[src*=pupil]").src + "&again"; document.body.append(s); return 0; })()`); n != 0 {
		t.Fatal(n)
	}
	if !p.waitJS(`performance.getEntriesByType("resource").some(e => e.name.includes("&again"))`, 5*time.Second) {
		t.Fatal("the script did not run again")
	}
	if n := evalJS[int](p, `document.querySelectorAll("button.listen").length`); n != 0 {
		t.Errorf("%d read-aloud buttons without speech synthesis, want none", n)
	}
}
