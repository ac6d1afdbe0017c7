package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// tablet is a shared classroom tablet, held upright.
var tablet = viewport{width: 800, height: 1280, scale: 1.5, mobile: true}

// staffLogin logs the admin in on this tab through the login page, which
// then goes to next.
func (tb *tab) staffLogin(next string) {
	tb.t.Helper()
	tb.open("/login?next=" + url.QueryEscape(next))
	tb.waitVisible("#email")
	tb.typeInto("#email", testAdminEmail)
	tb.typeInto("#password", testAdminPassword)
	if got := tb.submit(`form[action="/login"] button[type=submit]`); got != http.StatusOK {
		tb.t.Fatalf("%s: login: status %d", tb.name, got)
	}
}

// cookieNames are the cookies the tab holds, HttpOnly ones included.
func (tb *tab) cookieNames() []string {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tb.origin + "/f/", tb.origin + "/"}})
	if err != nil {
		tb.t.Fatalf("%s: cookies: %v", tb.name, err)
	}
	var out []string
	for _, c := range res.Cookies {
		out = append(out, c.Name)
	}
	return out
}

// pageText is everything the page shows, form values included.
func (tb *tab) pageText() string {
	tb.t.Helper()
	return evalJS[string](tb, `document.body.innerText + " " + [...document.querySelectorAll("input, select, textarea")].map(i => i.type == "radio" || i.type == "checkbox" ? (i.checked ? "coché:" + i.id : "") : i.value).join(" ")`)
}

// Two pupils in a row on one shared tablet, then a third whose answers
// cannot leave: nothing of one is visible to the next, every answer is
// stored, the tablet keeps no pupil's code or device.
func TestBrowserKioskTwoPupils(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	id, code, _ := openWorkshop(t, ts, ts.token(t), "pre")
	b := mustOpenBrowser(t, ts.URL)
	tb := b.newTab("tablet", tablet)
	nw := interceptPosts(t, tb, "/f/"+code)
	nw.set("pass")

	// The facilitator scans the kiosk QR: log in, then the activation page.
	tb.staffLogin("/f/" + code + "?kiosk=1")
	if got := tb.text("h1"); got != "Tablette partagée activée" {
		t.Fatalf("after login with next=?kiosk=1: h1 %q, want the activation page", got)
	}
	tb.screenshot("kiosk-activated", false)
	tb.checkAxe(axe, "kiosk activation page")
	if got := tb.submit("#passer"); got != http.StatusOK {
		t.Fatalf("log out and hand over: status %d", got)
	}
	if loc := tb.location(); loc.Path != "/f/"+code {
		t.Fatalf("after handing over: at %s, want the pupil form", loc)
	}
	for _, name := range tb.cookieNames() {
		if name == "declic_session" {
			t.Errorf("the staff session is still on the tablet handed to pupils")
		}
	}

	pupils := []struct {
		code   selfCodeAnswers
		shown  string
		choice int
	}{
		{selfCodeAnswers{"Z", "29", "11", "Q"}, "Z · 29 novembre · Q", 0},
		{selfCodeAnswers{"M", "3", "2", "A"}, "M · 3 février · A", 4},
	}
	for i, p := range pupils {
		tb.waitVisible("#code")
		if text := tb.pageText(); i > 0 && (strings.Contains(text, pupils[0].shown) || strings.Contains(text, "Z") && strings.Contains(text, "Q ")) {
			t.Errorf("pupil %d's code step shows something of the pupil before: %q", i+1, text)
		}
		if got := evalJS[string](tb, `[...document.querySelectorAll("#code input, #code select")].map(e => e.value).join("")`); got != "" {
			t.Errorf("pupil %d: the code step is not blank: %q", i+1, got)
		}
		if !tb.exists(".kiosk-note") {
			t.Errorf("pupil %d: no shared-tablet note on the code step", i+1)
		}
		tb.typeCode(p.code)
		if got := tb.text(".code-shown"); got != p.shown {
			t.Errorf("pupil %d: code read back %q, want %q", i+1, got, p.shown)
		}
		if i > 0 {
			if checked := evalJS[int](tb, `document.querySelectorAll("form input:checked").length`); checked != 0 {
				t.Errorf("pupil %d: %d answers already ticked on a new form", i+1, checked)
			}
		}
		tb.answer(p.choice, "", "")
		if got := tb.submit("#envoyer"); got != http.StatusOK {
			t.Fatalf("pupil %d: send: status %d", i+1, got)
		}
		tb.waitVisible("#au-suivant")
		if got := tb.text(".next h1"); got != "Merci, c'est envoyé !" {
			t.Errorf("pupil %d: after sending, h1 %q", i+1, got)
		}
		if i == 0 {
			tb.screenshot("kiosk-next", false)
			tb.checkAxe(axe, "« Au suivant » screen")
		}
		for _, name := range tb.cookieNames() {
			if name == "declic_code" || name == "declic_fait" || name == "declic_appareil" {
				t.Errorf("pupil %d: the tablet keeps the cookie %s", i+1, name)
			}
		}
		if kept := tb.kept(); len(kept) != 0 {
			t.Errorf("pupil %d: answers left on the tablet after they were stored: %v", i+1, kept)
		}
		tb.submit("#au-suivant")
	}
	if pre, _ := storedCounts(t, ts, id); pre != 2 {
		t.Fatalf("%d responses stored for two pupils, want 2", pre)
	}

	// A third pupil sends with no network: the tablet keeps the answers,
	// hides them, lets the next pupil start, and sends them once it can.
	tb.waitVisible("#code")
	tb.typeCode(selfCodeAnswers{"L", "8", "8", "O"})
	tb.answer(2, "", "")
	nw.set("offline")
	tb.click("#envoyer")
	tb.waitVisible("#garde")
	if evalJS[bool](tb, `!document.querySelector("form[data-keep]").hidden`) {
		t.Errorf("the third pupil's answers stay on screen after handing over")
	}
	if shown := evalJS[string](tb, `document.body.innerText`); strings.Contains(shown, "L · 8 août · O") {
		t.Errorf("the third pupil's code stays on screen after handing over: %q", shown)
	}
	if got := evalJS[int](tb, `document.querySelectorAll("form input:checked").length`); got != 0 {
		t.Errorf("%d answers still ticked in the hidden form, want it emptied", got)
	}
	if kept := tb.kept(); len(kept) != 1 {
		t.Fatalf("%d answers kept on the tablet while offline, want 1", len(kept))
	}
	tb.screenshot("kiosk-offline-handover", false)
	nw.set("pass")
	tb.submit("#garde a")
	tb.waitVisible("#code")
	if text := tb.pageText(); strings.Contains(text, "L · 8 août · O") {
		t.Errorf("the next pupil's code step shows the third pupil's code")
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if pre, _ := storedCounts(t, ts, id); pre == 3 && len(tb.kept()) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if pre, _ := storedCounts(t, ts, id); pre != 3 || len(tb.kept()) != 0 {
		t.Fatalf("after the network came back: %d stored, %d kept; want 3 stored, none kept", pre, len(tb.kept()))
	}
	for _, r := range storedResponses(t, ts, id) {
		if r.Device != "" {
			t.Errorf("a kiosk response carries a device: %+v", r)
		}
	}
	participants := map[string]bool{}
	for _, r := range storedResponses(t, ts, id) {
		participants[r.Participant] = true
	}
	if len(participants) != 3 {
		t.Errorf("%d participants for three pupils, want 3", len(participants))
	}
	if _, err := ts.Store.Workshop(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}
