package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"declic/surveys"
)

// failingNetwork answers the form's fetch() posts in the browser itself:
// as a lost network, as a server that says 503, or by letting them through
// to Déclic. Page loads are never touched.
type failingNetwork struct {
	t    *testing.T
	mu   sync.Mutex
	mode string   // "offline", "503" or "pass"
	sent []string // submission_id of every post, in order
}

func interceptPosts(t *testing.T, tb *tab, path string) *failingNetwork {
	t.Helper()
	n := &failingNetwork{t: t, mode: "offline"}
	paused := make(chan *fetch.EventRequestPaused, 64)
	ctx, cancel := context.WithCancel(tb.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- e
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-paused:
				n.answer(ctx, tb, e)
			}
		}
	}()
	_, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*" + path, ResourceType: network.ResourceTypeFetch},
	}})
	if err != nil {
		t.Fatalf("intercept %s: %v", path, err)
	}
	return n
}

func (n *failingNetwork) answer(ctx context.Context, tb *tab, e *fetch.EventRequestPaused) {
	var body strings.Builder
	for _, p := range e.Request.PostDataEntries {
		body.Write(p.Bytes)
	}
	form, _ := url.ParseQuery(body.String())
	n.mu.Lock()
	mode := n.mode
	if e.Request.Method == http.MethodPost {
		n.sent = append(n.sent, form.Get("submission_id"))
	}
	n.mu.Unlock()
	var err error
	switch {
	case e.Request.Method != http.MethodPost || mode == "pass":
		_, err = chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
	case mode == "offline":
		_, err = chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
	default:
		_, err = chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
			RequestID: e.RequestID, ResponseCode: http.StatusServiceUnavailable,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Retry-After", Value: "1"}, {Name: "Content-Type", Value: "text/html; charset=utf-8"}},
			Body:            []byte("<!doctype html><title>Service indisponible</title>"),
		})
	}
	if err != nil && ctx.Err() == nil {
		n.t.Logf("answer the intercepted %s %s: %v", e.Request.Method, e.Request.URL, err)
	}
}

func (n *failingNetwork) set(mode string) {
	n.mu.Lock()
	n.mode = mode
	n.mu.Unlock()
}

func (n *failingNetwork) posts() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.sent)
}

// kept is what the form keeps in localStorage: key → stored JSON.
func (tb *tab) kept() map[string]string {
	tb.t.Helper()
	return evalJS[map[string]string](tb, `Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith("declic:")).map(k => [k, localStorage.getItem(k)]))`)
}

func (tb *tab) waitText(sel, want string, timeout time.Duration) {
	tb.t.Helper()
	if !tb.waitJS(fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? "").includes(%q)`, sel, want), timeout) {
		tb.t.Fatalf("%s: %s says %q, want it to contain %q", tb.name, sel, tb.text(sel), want)
	}
}

// TestBrowserRetryKeepsAnswer sends the pupil form from a phone that loses
// the network, then reaches a server that answers 503, then reloads the
// page: the answers stay on the phone, are resent with the same
// submission_id, and are stored exactly once when the server is back.
func TestBrowserRetryKeepsAnswer(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	id, code, formURL := openWorkshop(t, ts, ts.token(t), "pre")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)
	nw := interceptPosts(t, p, "/f/"+code)

	p.open(formURL)
	p.waitVisible("#code")
	p.typeCode(selfCodeAnswers{"M", "14", "2", "R"})
	p.answer(1, "J'ai appris plein de choses.", "")
	before := p.formState()
	if before.SubmissionID == "" {
		t.Fatal("the form has no submission_id")
	}

	// No network: the answer is kept and retried with the same id.
	p.click("#envoyer")
	p.waitText("#envoi", "Pas de réseau : tes réponses sont gardées sur ce téléphone", 10*time.Second)
	p.screenshot("retry-offline", false)
	kept := p.kept()
	key := "declic:" + code + ":pre:" + before.SubmissionID
	if len(kept) != 1 || kept[key] == "" {
		t.Fatalf("localStorage after a failed send = %v, want one entry %q", kept, key)
	}
	if !strings.Contains(kept[key], `["code_token","`) || !strings.Contains(kept[key], `["a_odd_expliquer","`) || !strings.Contains(kept[key], before.SubmissionID) {
		t.Errorf("kept answer %s does not hold what the pupil entered", kept[key])
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(nw.posts()) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := nw.posts(); len(got) < 2 {
		t.Fatalf("%d sends within 15 s of a failure, want a retry", len(got))
	}

	// The server answers 503: still kept, still retried.
	nw.set("503")
	p.do("back online", chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event("online"))`))
	p.waitText("#envoi", "Le serveur ne répond pas : tes réponses sont gardées sur ce téléphone", 10*time.Second)
	if pre, _ := storedCounts(t, ts, id); pre != 0 {
		t.Fatalf("%d responses stored while every send failed, want 0", pre)
	}

	// A reload shows the kept answers, with their submission_id, and resends them.
	p.open(formURL)
	p.waitText("#envoi", "tes réponses sont gardées sur ce téléphone", 10*time.Second)
	after := p.formState()
	if after.SubmissionID != before.SubmissionID {
		t.Errorf("submission_id after a reload = %q, want the kept %q", after.SubmissionID, before.SubmissionID)
	}
	if a, b := mustJSON(t, after.Checked), mustJSON(t, before.Checked); a != b {
		t.Errorf("answers shown after a reload:\n %s\nwant\n %s", a, b)
	}
	if a, b := mustJSON(t, after.Fields), mustJSON(t, before.Fields); a != b {
		t.Errorf("fields after a reload:\n %s\nwant\n %s", a, b)
	}
	p.screenshot("retry-restored", false)

	// The server is back: the next retry is acknowledged.
	nw.set("pass")
	if !p.waitJS(`location.pathname.endsWith("/merci")`, 20*time.Second) {
		t.Fatalf("no thank-you page within 20 s of the server coming back; page %s says %q", p.location(), p.text("#envoi"))
	}
	p.waitVisible("h1")
	if got := p.text("h1"); got != "Merci, c'est envoyé !" {
		t.Errorf("h1 = %q after the answer was acknowledged", got)
	}
	if kept := p.kept(); len(kept) != 0 {
		t.Errorf("localStorage after the acknowledgement = %v, want empty", kept)
	}
	sent := nw.posts()
	for i, s := range sent {
		if s != before.SubmissionID {
			t.Errorf("send %d had submission_id %q, want %q every time", i+1, s, before.SubmissionID)
		}
	}
	r, err := ts.Store.ResponseBySubmission(context.Background(), before.SubmissionID)
	if err != nil {
		t.Fatalf("the acknowledged answer is not stored: %v", err)
	}
	if pre, post := storedCounts(t, ts, id); pre != 1 || post != 0 {
		t.Errorf("stored %d PRE and %d POST responses, want 1 and 0", pre, post)
	}
	if r.Phase != surveys.PhasePre || len(r.Answers) == 0 {
		t.Errorf("stored response %+v, want PRE answers", r)
	}
	t.Logf("%d sends of the same submission_id, one stored", len(sent))

	// The device code came with the acknowledgement, as without JavaScript:
	// the form's address now says this phone already answered, and nothing
	// is sent again.
	p.open(formURL)
	p.waitVisible("h1")
	if got := p.text("h1"); got != "Tu as déjà répondu" {
		t.Errorf("form address after the acknowledgement: h1 %q, want %q", got, "Tu as déjà répondu")
	}
	// pupil.js forgets what it kept once acknowledged: nothing left to send.
	deadline = time.Now().Add(5 * time.Second)
	for len(p.kept()) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if kept := p.kept(); len(kept) > 0 {
		t.Errorf("answers still kept on the phone after the acknowledgement: %v", kept)
	}
	if got := nw.posts(); len(got) != len(sent) {
		t.Errorf("%d sends after the acknowledgement, want none", len(got)-len(sent))
	}
}
