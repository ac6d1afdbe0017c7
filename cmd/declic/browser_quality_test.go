package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The code step a pupil sees first, and the facilitator's « Qualité des
// réponses » panel, on a phone and on a laptop: readable, without sideways
// scrolling, axe-clean; the panel excludes a response in one click without
// JavaScript, and restores it.
func TestBrowserCodeStepAndQualityPanel(t *testing.T) {
	ts := mustOpenMain(t)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, measureDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	b := mustOpenBrowser(t, ts.URL)
	axe := axeSource(t)

	var pupils []*tab
	for i, vp := range []struct {
		name string
		vp   viewport
	}{{"phone", phone}, {"laptop", laptop}} {
		p := b.newTab("pupil on a "+vp.name, vp.vp)
		pupils = append(pupils, p)
		if st := p.open(w.FormURL); st != http.StatusOK {
			t.Fatalf("%s: form = %d", vp.name, st)
		}
		p.waitVisible("#code_mere")
		p.checkAxe(axe, "code step ("+vp.name+")")
		p.fillCode(selfCodeAnswers{mere: "é", jour: fmt.Sprint(12 + i), mois: "3", lettre2: "a"})
		// pupil.js reads the code back before it is sent.
		p.waitJS(`!document.querySelector('#code-readback').hidden`, 5*time.Second)
		if back, want := p.text("#code-readback"), fmt.Sprintf("Ton code : E · %d mars · A", 12+i); back != want {
			t.Errorf("%s: the code is read back as %q, want %q (accent dropped, month in words)", vp.name, back, want)
		}
		if evalJS[bool](p, `document.documentElement.scrollWidth > window.innerWidth`) {
			t.Errorf("%s: the code step scrolls sideways", vp.name)
		}
		p.screenshot("quality-code-step-"+vp.name, true)
		if got := p.submit("#continuer"); got != http.StatusOK {
			t.Fatalf("%s: code step = %d", vp.name, got)
		}
		p.waitVisible("#envoyer")
		p.answer(1+i, "", "")
		p.checkThanks(p.submit("#envoyer"), "pre")
	}
	// Through the API: a straight line, and four pupils who left early.
	for i, l := range [][]int{{4, 4, 4, 4, 4, 4}, {1, 2, 3, 4, 5, 1}, {2, 3, 4, 3, 2, 3}, {3, 2, 1, 2, 3, 4}, {5, 4, 3, 2, 1, 2}} {
		s := codedSubmission{SubmissionID: fmt.Sprint("api-", i), Code: code("R", 20+i, 5, "E"), Phase: "pre", Answers: measureAnswers("pre", l...)}
		if status := ts.do(t, "", "POST", "/api/v1/forms/"+w.Code+"/responses", s, nil); status != http.StatusCreated {
			t.Fatalf("API answer = %d", status)
		}
	}
	// At the end, each device remembers its pupil's code: straight to the
	// questions, paired by the device.
	apiSetPhaseTo(t, ts, token, w.ID, "post")
	for i, p := range pupils {
		p.open(w.FormURL)
		p.waitVisible("#envoyer")
		p.answer(2+i, "", "")
		p.checkThanks(p.submit("#envoyer"), "post")
	}
	apiSetPhaseTo(t, ts, token, w.ID, "closed")

	for _, vp := range []struct {
		name string
		vp   viewport
	}{{"laptop", laptop}, {"phone", phone}} {
		s := b.newTab("facilitator on a "+vp.name, vp.vp)
		s.open("/login")
		s.typeInto("#email", testAdminEmail)
		s.typeInto("#password", testAdminPassword)
		s.submit(`form[action="/login"] button[type=submit]`)
		results := "/app/workshops/" + w.ID + "/results"
		if st := s.open(results); st != http.StatusOK {
			t.Fatalf("%s: results = %d", vp.name, st)
		}
		// The charts load lazily, below the fold on a phone: not waited for.
		s.waitVisible("#qualite")
		if got := s.text("#appariement li"); !strings.HasPrefix(got, "2 par leur téléphone") {
			t.Errorf("%s: pairing = %q, want the two phones' pupils paired by their device", vp.name, got)
		}
		rows := evalJS[int](s, `document.querySelectorAll('#qualite > .qlist > li').length`)
		if rows < 1 {
			t.Fatalf("%s: no flagged response in the panel", vp.name)
		}
		if evalJS[bool](s, `document.documentElement.scrollWidth > window.innerWidth`) {
			t.Errorf("%s: the results page scrolls sideways", vp.name)
		}
		s.checkAxe(axe, "results with the quality panel ("+vp.name+")")
		s.screenshot("quality-results-"+vp.name, true)
		s.do("scroll to the pairing", chromedp.ScrollIntoView(chromedp.CSS("#appariement")))
		s.screenshot("quality-pairing-"+vp.name, false)
		s.do("scroll to the panel", chromedp.ScrollIntoView(chromedp.CSS("#qualite")))
		s.screenshot("quality-panel-"+vp.name, false)

		// One click excludes the straight-lined answer with its reason.
		sel := `#qualite > .qlist form.exclude button.btn:not(.secondary)`
		if !s.exists(sel) {
			t.Fatalf("%s: no « Exclure » button", vp.name)
		}
		before := evalJS[string](s, `document.querySelector('#qualite > .qlist select')?.value ?? ''`)
		if got := s.submit(sel); got != http.StatusOK {
			t.Fatalf("%s: exclude = %d", vp.name, got)
		}
		s.waitVisible("#qualite")
		if got := s.text("#r-excluded"); got != "1" {
			t.Errorf("%s: excluded tile = %q, want 1", vp.name, got)
		}
		if got := s.text("#qualite .history"); !strings.Contains(got, "Exclue le") || !strings.Contains(got, before) || !strings.Contains(got, testAdminEmail) {
			t.Errorf("%s: history = %q, want who, when and « %s »", vp.name, got, before)
		}
		s.checkAxe(axe, "results after an exclusion ("+vp.name+")")
		s.do("scroll to the panel", chromedp.ScrollIntoView(chromedp.CSS("#qualite")))
		s.screenshot("quality-panel-excluded-"+vp.name, false)
		// Restored in one click: the next viewport starts again from scratch.
		if got := s.submit(`#qualite > .qlist form.exclude button.secondary`); got != http.StatusOK {
			t.Fatalf("%s: restore = %d", vp.name, got)
		}
		if s.exists("#r-excluded") {
			t.Errorf("%s: after the restore, the excluded tile is still shown", vp.name)
		}
	}
}
