package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserEditor builds a questionnaire from nothing in the editor (one
// item of each type, a scale, a Portuguese translation), previews it,
// starts a workshop with it and answers it as a pupil in Portuguese.
func TestBrowserEditor(t *testing.T) {
	ts := mustOpenMain(t)
	b := mustOpenBrowser(t, ts.URL)
	axe := axeSource(t)
	s := b.newTab("education officer", laptop)
	s.open("/login")
	s.typeInto("#email", testAdminEmail)
	s.typeInto("#password", testAdminPassword)
	s.submit(`form[action="/login"] button[type=submit]`)

	if st := s.open("/app/questionnaires/new"); st != http.StatusOK {
		t.Fatalf("new questionnaire = %d", st)
	}
	s.checkAxe(axe, "empty editor")
	s.typeInto("#title", "Vivre ensemble")
	s.click(`input[name=languages][value=pt]`)
	s.submit(`button[value=refresh]`)
	for _, typ := range []string{"likert", "scale", "yesno", "quiz", "choice", "text", "retro", "likert"} {
		if st := s.submit(fmt.Sprintf(`button[value="add:%s"]`, typ)); st != http.StatusOK {
			t.Fatalf("add %s = %d", typ, st)
		}
		// The new item's question box has the focus: typing goes there.
		if id := evalJS[string](s, `document.activeElement.id`); !strings.HasSuffix(id, "-text") {
			t.Errorf("after adding a %s item the focus is on %q, want its question", typ, id)
		}
	}
	texts := []struct{ fr, pt string }{
		{"Je peux agir pour ma planète.", "Posso agir pelo meu planeta."},
		{"Quelle note donnes-tu à ta journée ?", "Que nota dás ao teu dia?"},
		{"As-tu déjà participé à une action solidaire ?", "Já participaste numa ação solidária?"},
		{"Combien y a-t-il d'ODD ?", "Quantos ODS existem?"},
		{"Quel âge as-tu ?", "Que idade tens?"},
		{"Qu'as-tu retenu ?", "O que retiveste?"},
		{"Je sais vers qui me tourner.", "Sei a quem recorrer."},
		{"Les autres cultures m'intéressent.", "As outras culturas interessam-me."},
	}
	for i, tx := range texts {
		s.typeInto(fmt.Sprintf("#i%d-text", i), tx.fr)
		s.typeInto(fmt.Sprintf("#i%d-text-pt", i), tx.pt)
	}
	s.typeInto("#title-pt", "Viver juntos")
	s.submit(`#i3-addopt`)
	if id := evalJS[string](s, `document.activeElement.id`); id != "i3-opt2" {
		t.Errorf("after adding an answer the focus is on %q, want i3-opt2", id)
	}
	for j, l := range []string{"8", "17", "100"} {
		s.typeInto(fmt.Sprintf("#i3-opt%d", j), l)
	}
	s.click(`input[name="i3.correct"][value="1"]`)
	s.typeInto("#i4-opt0", "Moins de 15 ans")
	s.typeInto("#i4-opt0-pt", "Menos de 15 anos")
	s.typeInto("#i4-opt1", "15 ans et plus")
	s.typeInto("#i4-opt1-pt", "15 anos ou mais")
	s.click(`input[name="i4.profile"]`)
	s.click(`input[name="i4.pre"]`) // the age, asked once, at the end
	s.click(`input[name="i7.reverse"]`)

	// The live preview follows the typing.
	if !s.waitJS(`document.getElementById('preview').contentDocument.body.textContent.includes('Les autres cultures')`, 5*time.Second) {
		t.Errorf("the preview did not follow the typing")
	}
	s.submit(`#addscale`)
	s.typeInto("#s0-title", "Ouverture")
	s.click(`input[name="s0.items"][value=q1]`)
	s.click(`input[name="s0.items"][value=q8]`)

	// Keyboard only: move the last question up and keep the focus on it.
	s.do("focus", chromedp.Focus(chromedp.CSS(`#i7-up`)))
	s.do("press Enter", chromedp.KeyEvent(kb.Enter))
	if !s.waitJS(`document.activeElement && document.activeElement.id === 'i6-up'`, 5*time.Second) {
		t.Errorf("after moving up with the keyboard the focus is on %q, want i6-up", evalJS[string](s, `document.activeElement.id`))
	}
	if got := evalJS[string](s, `document.getElementById('i6-text').value`); got != texts[7].fr {
		t.Errorf("question 7 after the move = %q", got)
	}

	// Preview PRE and POST: the age and the retrospective only at the end.
	s.click(`input[name=pv_phase][value=post]`)
	if !s.waitJS(`document.getElementById('preview').contentDocument.body.textContent.includes('Fin de l')`, 5*time.Second) {
		t.Errorf("the preview did not switch to POST")
	}
	nPost := evalJS[int](s, `document.getElementById('preview').contentDocument.querySelectorAll('fieldset.q').length`)
	s.click(`input[name=pv_phase][value=pre]`)
	s.waitJS(`document.getElementById('preview').contentDocument.body.textContent.includes('Début de l')`, 5*time.Second)
	nPre := evalJS[int](s, `document.getElementById('preview').contentDocument.querySelectorAll('fieldset.q').length`)
	if nPre != 6 || nPost != 8 {
		t.Errorf("preview shows %d questions before and %d after, want 6 and 8 (the age and the retrospective after only)", nPre, nPost)
	}
	s.checkAxe(axe, "editor with 8 questions")
	s.screenshot("editor-laptop", false)
	s.setViewport(tablet)
	s.screenshot("editor-tablet", false)
	if evalJS[bool](s, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Errorf("the editor scrolls sideways on a tablet")
	}
	s.setViewport(laptop)

	// A mistake is shown beside its question, with nothing lost.
	s.do("clear", chromedp.SetValue(chromedp.CSS(`#i1-max`), "99"))
	if st := s.submit(`#save`); st != http.StatusBadRequest {
		t.Fatalf("invalid save = %d, want 400", st)
	}
	if !s.exists("#i1-err") || !strings.Contains(s.text("#erreurs"), "Question 2") {
		t.Errorf("no error beside question 2")
	}
	if evalJS[string](s, `document.activeElement.id`) != "erreurs" {
		t.Errorf("the error summary does not get the focus")
	}
	s.checkAxe(axe, "editor with an error")
	s.screenshot("editor-error", false)
	s.do("fix", chromedp.SetValue(chromedp.CSS(`#i1-max`), "10"))
	if st := s.submit(`#save`); st != http.StatusOK || !strings.Contains(s.text(".ok"), "Enregistré") {
		t.Fatalf("save = %d, notice %q", st, s.text(".ok"))
	}
	id := strings.TrimSuffix(strings.TrimPrefix(s.location().Path, "/app/questionnaires/"), "/edit")

	// A workshop with it, opened for PRE.
	s.open("/app/workshops/new?questionnaire=" + id)
	s.typeInto("#title", "Vivre ensemble en 5e")
	s.submit(`form[action="/app/workshops"] button[type=submit]`)
	code := s.text(".code")
	s.submit(`button[value=pre]`)

	// The list of questionnaires and the workshop's correction page.
	workshopPath := s.location().Path
	s.open(workshopPath + "/edit")
	s.checkAxe(axe, "workshop correction page")
	s.screenshot("workshop-edit", true)
	s.open("/app/questionnaires")
	if !strings.Contains(s.text("main"), "Vivre ensemble") || !strings.Contains(s.text("main"), "bibliothèque") {
		t.Errorf("the questionnaires page lacks the new one or the library")
	}
	s.checkAxe(axe, "questionnaires page")
	s.screenshot("questionnaires", false)
	s.setViewport(tablet)
	s.open("/app/questionnaires/" + id + "/edit")
	s.screenshot("editor-tablet-top", false)
	s.setViewport(laptop)

	p := b.newTab("pupil", phone)
	if st := p.open("/f/" + code + "?lang=pt"); st != http.StatusOK {
		t.Fatalf("pupil form = %d", st)
	}
	p.typeCode(selfCodeAnswers{mere: "M", jour: "12", mois: "3", lettre2: "A"})
	if lang := evalJS[string](p, `document.documentElement.lang`); lang != "pt" {
		t.Errorf("pupil form lang = %q, want pt", lang)
	}
	if body := p.text("main"); !strings.Contains(body, "Posso agir pelo meu planeta.") || !strings.Contains(body, "Já participaste") {
		t.Errorf("the form is not in Portuguese: %.300s", body)
	}
	p.screenshot("editor-pupil-pt", true)
	p.answer(1, "", "")
	p.checkThanksIn(p.submit("#envoyer"), "pre", "Obrigado, está enviado!", "pt")

	token := ts.token(t)
	var res struct {
		NPre int `json:"n_pre"`
	}
	var w struct {
		Workshops []struct {
			ID              string `json:"id"`
			QuestionnaireID string `json:"questionnaire_id"`
		} `json:"workshops"`
	}
	ts.do(t, token, "GET", "/api/v1/workshops", nil, &w)
	if len(w.Workshops) != 1 || w.Workshops[0].QuestionnaireID == "" {
		t.Fatalf("workshops = %+v", w.Workshops)
	}
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.Workshops[0].ID+"/results", nil, &res)
	if res.NPre != 1 {
		t.Errorf("n_pre = %d after the Portuguese answer, want 1", res.NPre)
	}
}
