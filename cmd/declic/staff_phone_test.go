package main

import (
	"fmt"
	"testing"
)

// gapJS is the space in px between two elements, 0 when they touch or
// overlap (vertically or horizontally, whichever separates them).
const gapJS = `((a, b) => {
	const r = document.querySelector(a).getBoundingClientRect(), s = document.querySelector(b).getBoundingClientRect();
	return Math.max(0, s.left - r.right, r.left - s.right, s.top - r.bottom, r.top - s.bottom);
})(%q, %q)`

// The facilitator's pages on a phone: no sideways scrolling on the
// workshop and results pages, controls apart, the current phase said in
// words rather than by a focus-like outline, charts drawn for the phone.
func TestBrowserStaffPagesOnAPhone(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	id, _, formURL := openWorkshop(t, ts, token, "pre")
	for i := range 3 {
		answerByPhone(t, formURL, i, "")
	}
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("facilitator", phone)
	p.open("/login")
	p.waitVisible("#email")
	if gap := evalJS[float64](p, fmt.Sprintf(gapJS, "#password", `form[action="/login"] button`)); gap < 8 {
		t.Errorf("login: the button is %.0f px from the password field, want them apart", gap)
	}
	p.staffLogin("/app/workshops/" + id)
	p.waitVisible("#phase")
	sideways := `document.documentElement.scrollWidth - innerWidth`
	if w := evalJS[float64](p, sideways); w > 0 {
		t.Errorf("workshop page on a phone scrolls sideways by %.0f px", w)
	}
	if gap := evalJS[float64](p, fmt.Sprintf(gapJS, `a[href$="/results"]`, `.actions a[href$="`+id+`"]`)); gap < 8 {
		t.Errorf("« Voir les résultats » and « Rafraîchir » are %.0f px apart, want them apart", gap)
	}
	current := evalJS[map[string]string](p, `(() => { const b = document.querySelector(".phases [aria-current]"); const s = getComputedStyle(b);
		return {text: b.textContent.trim(), outline: s.outlineStyle, bg: s.backgroundColor}; })()`)
	if current["text"] != "✓ Avant (PRE) ouvert" && current["text"] != "Avant (PRE) ouvert" || current["outline"] != "none" {
		t.Errorf("current phase button %v, want it to say « Avant (PRE) ouvert » without a focus-like outline", current)
	}
	for _, sel := range []string{"#phase", "#n-pre", `.qr img`, `button[name=phase][value=post]`, `a[href$="/live"]`, `a[href*="paper.html"]`} {
		if !evalJS[bool](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })()`, sel)) {
			t.Errorf("workshop page on a phone: %s is not within the screen's width", sel)
		}
	}
	p.open("/app/workshops/" + id + "/results")
	p.waitImages()
	if w := evalJS[float64](p, sideways); w > 0 {
		t.Errorf("results page on a phone scrolls sideways by %.0f px", w)
	}
	charts := evalJS[[]map[string]float64](p, `[...document.querySelectorAll("img.chart")].map(i => ({
		shown: i.getBoundingClientRect().width, box: i.closest(".scroll").clientWidth, scroll: i.closest(".scroll").scrollWidth,
		phone: i.currentSrc.includes("largeur=telephone") ? 1 : 0, natural: i.naturalWidth}))`)
	if len(charts) == 0 {
		t.Fatal("no chart on the results page")
	}
	for i, c := range charts {
		if c["scroll"] > c["box"] || c["phone"] != 1 || c["shown"] < 0.7*c["natural"] {
			t.Errorf("chart %d on a phone: %v, want the phone layout, shown at 70 %% of its size or more, with no scroller", i, c)
		}
	}
	p.screenshot("staff-results-phone-charts", false)
}
