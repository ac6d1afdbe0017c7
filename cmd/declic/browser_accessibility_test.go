package main

import (
	"net/http"
	"testing"
)

func TestBrowserAccessibility(t *testing.T) {
	chromiumPath(t)
	axe := axeSource(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	id, _, formURL := openWorkshop(t, ts, token, "")
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)

	p.open("/login")
	p.waitVisible("#email")
	p.checkAxe(axe, "login page")

	p.open(formURL)
	if got := p.text("h1"); got != "Le questionnaire n'est pas ouvert" {
		t.Errorf("closed workshop: h1 %q, want %q", got, "Le questionnaire n'est pas ouvert")
	}
	p.checkAxe(axe, "closed page")

	p.open("/f/ZZZZZZ")
	p.checkAxe(axe, "unknown code page")
	p.open("/f")
	p.checkAxe(axe, "enter-code page")

	if st := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": "pre"}, nil); st != http.StatusOK {
		t.Fatalf("PUT phase pre = %d, want 200", st)
	}
	p.open(formURL)
	p.waitVisible("#code")
	p.checkAxe(axe, "code step")
	if got := p.submit(`#continuer`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty code step: status %d, want 422", got)
	}
	p.checkAxe(axe, "code step with errors")
	p.typeCode(selfCodeAnswers{"É", "7", "4", "l"})
	p.checkAxe(axe, "pupil form")
	p.checkFormStructure("pupil form")

	if got := p.submit(`form button.send[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d, want 422", got)
	}
	p.waitVisible(".summary")
	p.checkAxe(axe, "pupil form with errors")
	p.checkFormStructure("pupil form with errors")

	p.answer(1, "", "")
	p.checkThanks(p.submit(`form button.send[type=submit]`), "pre")
	p.checkAxe(axe, "thank-you page")

	// POST on the same device: the form without the code questions.
	if st := ts.do(t, token, "PUT", "/api/v1/workshops/"+id+"/phase", map[string]string{"phase": "post"}, nil); st != http.StatusOK {
		t.Fatalf("PUT phase post = %d, want 200", st)
	}
	p.open(formURL)
	p.waitVisible(".remembered")
	p.checkAxe(axe, "POST form, code remembered")
	p.checkFormStructure("POST form, code remembered")

	// The facilitator's pages, on a laptop.
	s := b.newTab("facilitator", laptop)
	s.open("/login")
	s.typeInto("#email", testAdminEmail)
	s.typeInto("#password", testAdminPassword)
	s.submit(`form[action="/login"] button[type=submit]`)
	for _, page := range []string{"/app", "/app/workshops/new", "/app/workshops/" + id, "/app/workshops/" + id + "/results", "/app/workshops/" + id + "/poster"} {
		if st := s.open(page); st != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", page, st)
			continue
		}
		s.waitImages()
		s.checkAxe(axe, page)
	}
}
