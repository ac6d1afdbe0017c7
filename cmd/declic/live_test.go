package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// projector is a 1920×1080 video projector.
var projector = viewport{width: 1920, height: 1080, scale: 1}

// livePromise is how soon the live page shows a new answer (the contract
// says 5 s).
const livePromise = 5 * time.Second

// phone answers the ODD form as a phone without JavaScript does: the code
// step, then every choice question with option i (free text when given).
func answerByPhone(t *testing.T, formURL string, i int, text string) {
	t.Helper()
	phone := browserClient(t)
	code := url.Values{"code_mere": {string(rune('A' + i%26))}, "code_jour": {fmt.Sprint(1 + i%28)}, "code_mois": {fmt.Sprint(1 + i%12)}, "code_lettre2": {"E"}}
	res, body := pagePost(t, phone, formURL+"/code", code, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("phone %d: code step %d", i, res.StatusCode)
	}
	f := hiddenFields(body)
	// Every radio group of the page: option i of it.
	seen := map[string]bool{}
	for _, m := range radioRe.FindAllStringSubmatch(body, -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		values := radioValues(body, name)
		f.Set(name, values[i%len(values)])
	}
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		if text != "" {
			f.Set(m[1], fmt.Sprintf(text, i))
		}
	}
	res, body = pagePost(t, phone, formURL, f, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/merci") {
		t.Fatalf("phone %d: send %d\n%.400s", i, res.StatusCode, body)
	}
}

var (
	radioRe    = regexp.MustCompile(`type="radio" id="[^"]+" name="([^"]+)"`)
	textareaRe = regexp.MustCompile(`<textarea id="[^"]+" name="([^"]+)"`)
)

func radioValues(body, name string) []string {
	re := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]+)"`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The live page on a projector during a class of 12 phones: nothing
// before 5 answers, distributions after, PRE and POST side by side at the
// end, and of the pupils' words only those the facilitator approved.
func TestBrowserLiveClassOf12(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	id, _, formURL := openWorkshop(t, ts, token, "pre")
	b := mustOpenBrowser(t, ts.URL)
	wall := b.newTab("projector", projector)
	wall.staffLogin("/app/workshops/" + id + "/live")
	wall.waitVisible("#live-body")
	bars := `document.querySelectorAll("#live-body .lbar").length`
	if n := evalJS[int](wall, bars); n != 0 {
		t.Fatalf("%d bars before any answer", n)
	}
	nPre := func(n int) string {
		return fmt.Sprintf(`document.querySelector("#live-n-pre")?.textContent == "%d"`, n)
	}

	for i := range 4 {
		answerByPhone(t, formURL, i, "")
	}
	if !wall.waitJS(nPre(4), livePromise) {
		t.Fatalf("the live page does not count 4 answers within %s (shows %q)", livePromise, wall.text("#live-n-pre"))
	}
	if n := evalJS[int](wall, bars); n != 0 {
		t.Errorf("%d bars with 4 answers, want none under 5", n)
	}
	if !strings.Contains(wall.text(".live-q .wait"), "encore 1") {
		t.Errorf("4 answers: waiting text %q, want « encore 1 »", wall.text(".live-q .wait"))
	}
	wall.screenshot("live-projector-waiting", false)

	answerByPhone(t, formURL, 4, "")
	if !wall.waitJS(nPre(5)+` && document.querySelectorAll("#live-body .lbar.pre").length > 0`, livePromise) {
		t.Fatalf("no distribution within %s of the 5th answer", livePromise)
	}
	for i := 5; i < 12; i++ {
		answerByPhone(t, formURL, i, "")
	}
	if !wall.waitJS(nPre(12), livePromise) {
		t.Fatalf("the live page does not count 12 answers within %s", livePromise)
	}
	// The first question's shares add up to 100 % of 12 answers.
	pcts := evalJS[[]string](wall, `[...document.querySelectorAll("#live-body .live-q")[0].querySelectorAll(".pct")].map(p => p.textContent)`)
	sum := 0
	for _, p := range pcts {
		var v int
		fmt.Sscanf(p, "%d", &v)
		sum += v
	}
	if len(pcts) != 5 || sum < 98 || sum > 102 {
		t.Errorf("first question's shares %v (sum %d), want 5 bars adding up to 100 %%", pcts, sum)
	}
	shown := evalJS[string](wall, `document.body.innerText`)
	for _, never := range []string{"Quel âge", "Tu es :"} {
		if strings.Contains(shown, never) {
			t.Errorf("the live page shows %q, a profile question", never)
		}
	}
	if code := regexp.MustCompile(`\p{Lu} · \d+ \p{L}+ · \p{Lu}`).FindString(shown); code != "" {
		t.Errorf("the live page shows a pupil's code: %q", code)
	}
	checkProjected(t, wall)
	wall.screenshot("live-projector-pre", false)
	wall.checkAxe(axe, "live page")

	// POST: 12 phones again, with their own words.
	apiSetPhaseTo(t, ts, token, id, "post")
	for i := range 12 {
		answerByPhone(t, formURL, i+1, "Réponse libre n°%d")
	}
	if !wall.waitJS(`document.querySelectorAll("#live-body .lbar.post").length > 0 && document.querySelector("#live-n-post")?.textContent == "12"`, livePromise) {
		t.Fatalf("no PRE/POST comparison within %s of the POST answers", livePromise)
	}
	if got := wall.text("#live-body"); strings.Contains(got, "Réponse libre") {
		t.Fatalf("free text on the live page before any approval")
	}
	// The facilitator approves two answers and hides one, on a phone.
	mod := pageLogin(t, ts)
	_, page := pageGet(t, mod, ts.URL+"/app/workshops/"+id+"/live/textes")
	forms := regexp.MustCompile(`name="item" value="([^"]+)"><input type="hidden" name="response" value="([^"]+)">`).FindAllStringSubmatch(page, -1)
	texts := regexp.MustCompile(`<blockquote>([^<]+)</blockquote>`).FindAllStringSubmatch(page, -1)
	if len(forms) < 3 || len(forms) != len(texts) {
		t.Fatalf("moderation page lists %d answers and %d texts, want the same number and at least 3", len(forms), len(texts))
	}
	var approved []string
	for i, f := range forms[:3] {
		shown := "1"
		if i == 2 {
			shown = "0"
		} else {
			approved = append(approved, texts[i][1])
		}
		if res, _ := pagePost(t, mod, ts.URL+"/app/workshops/"+id+"/live/textes", url.Values{"item": {f[1]}, "response": {f[2]}, "shown": {shown}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: status %d", res.StatusCode)
		}
	}
	if !wall.waitJS(`document.querySelectorAll("#live-body .live-quotes li").length == 2`, livePromise) {
		t.Fatalf("approved texts not on the live page within %s: %q", livePromise, wall.text(".live-quotes"))
	}
	quotes := evalJS[[]string](wall, `[...document.querySelectorAll("#live-body .live-quotes li")].map(li => li.textContent)`)
	for _, q := range quotes {
		if !strings.Contains(q, approved[0]) && !strings.Contains(q, approved[1]) {
			t.Errorf("live page shows %q, which was not approved (approved: %q)", q, approved)
		}
	}
	checkProjected(t, wall)
	// Side by side, a question still fits the screen.
	if h := evalJS[float64](wall, `document.querySelector(".live-q").scrollHeight`); h > float64(projector.height) {
		t.Errorf("a PRE/POST question is %.0f px high, more than the %d px screen", h, projector.height)
	}
	wall.screenshot("live-projector-post", false)
	wall.do("show the free text", chromedp.Evaluate[chromedp.Void](`document.querySelector(".live-quotes").closest(".live-q").scrollIntoView()`))
	wall.screenshot("live-projector-quotes", false)
}

// checkProjected checks what makes a projected page readable from the
// back of a room: large text, nothing wider than the screen.
func checkProjected(t *testing.T, wall *tab) {
	t.Helper()
	sizes := evalJS[map[string]float64](wall, `(() => {
		const px = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
		return {title: px(".live-q h2"), label: px(".bar-label"), pct: px(".pct"), wide: document.documentElement.scrollWidth - innerWidth,
			bar: document.querySelector(".lbar svg").getBoundingClientRect().width};
	})()`)
	if sizes["title"] < 44 || sizes["label"] < 30 || sizes["pct"] < 32 {
		t.Errorf("projected text sizes %v px, want questions ≥ 44, answers ≥ 30, shares ≥ 32 on 1080 lines", sizes)
	}
	if sizes["wide"] > 0 {
		t.Errorf("the live page scrolls sideways by %.0f px", sizes["wide"])
	}
	// A share is read from across the room by its bar as much as its
	// number: the bar's track takes a good part of the screen's width.
	if sizes["bar"] < 600 {
		t.Errorf("the bars' track is %.0f px wide on a 1920 px screen, want 600 or more", sizes["bar"])
	}
}
