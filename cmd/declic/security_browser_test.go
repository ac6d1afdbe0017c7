package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"declic/handlers"
)

// A pupil whose answer meets the answer limit (429) sees why in French,
// and pupil.js sends it again by itself after Retry-After: stored once.
func TestBrowserRetriesAfterRateLimit(t *testing.T) {
	chromiumPath(t)
	cfg := testConfig(t)
	cfg.RateLimits = handlers.RateLimits{PerClient: 60} // one answer a second once the minute's burst is spent
	ts, _ := openMainAt(t, cfg)
	id, code, formURL := openWorkshop(t, ts, ts.token(t), "pre")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)
	p.open(formURL)
	p.waitVisible("#code")
	p.typeCode(selfCodeAnswers{"M", "14", "2", "R"})
	p.answer(1, "J'ai appris plein de choses.", "")

	// Another client behind the same address spends the limit (each try
	// counts, stored or not).
	spent := 0
	for i := 0; ; i++ {
		status := ts.do(t, "", "POST", "/api/v1/forms/"+code+"/responses", submission{fmt.Sprintf("other-%d", i), fmt.Sprintf("P%d", i), "pre", validPre()}, nil)
		if status == http.StatusTooManyRequests {
			break
		}
		if spent++; spent > 200 {
			t.Fatal("no 429 after 200 answers from one client")
		}
	}
	before, _ := storedCounts(t, ts, id)
	p.click("#envoyer")
	p.waitText("#envoi", "Beaucoup de réponses arrivent en même temps", 10*time.Second)
	p.screenshot("rate-limited", false)
	if !p.waitJS(`location.pathname.endsWith("/merci")`, 20*time.Second) {
		t.Fatalf("the answer was not sent again after Retry-After (page %s)", p.location())
	}
	if pre, _ := storedCounts(t, ts, id); pre != before+1 {
		t.Errorf("stored %d answers, want %d: this one, once", pre, before+1)
	}
}
