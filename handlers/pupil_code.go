package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// codeInput is the code as the pupil typed it, to show it again.
type codeInput struct {
	Mere, Lettre2 string
	Jour, Mois    int
}

type codeView struct {
	Workshop   *surveys.Workshop
	Phase      surveys.Phase
	Action     string
	Typed      codeInput
	CodeErrors map[string]string // by element: mere, jour, mois, lettre2; "" for the whole form
	Errors     []errorLink
	// Kept are answers sent without a valid code, sent again with it.
	Kept   []keptField
	Notice Notice
}

var codeLabels = map[string]string{"mere": "Lettre de ta mère", "jour": "Jour de naissance", "mois": "Mois de naissance", "lettre2": "Deuxième lettre de ton prénom"}

// typedCode reads the code fields of a form; ok is false when none was sent.
func typedCode(form url.Values) (surveys.Code, bool) {
	in := codeInputOf(form)
	sent := false
	for _, k := range surveys.CodeElements {
		sent = sent || form.Has("code_"+k)
	}
	return surveys.Code{Mere: in.Mere, Jour: in.Jour, Mois: in.Mois, Lettre2: in.Lettre2}, sent
}

func codeInputOf(form url.Values) codeInput {
	in := codeInput{Mere: form.Get("code_mere"), Lettre2: form.Get("code_lettre2")}
	in.Jour, _ = strconv.Atoi(strings.TrimSpace(form.Get("code_jour")))
	in.Mois, _ = strconv.Atoi(strings.TrimSpace(form.Get("code_mois")))
	return in
}

// elementErrors keys Code.Check's errors by element: "mere", "jour"…
func elementErrors(bad map[string]string) map[string]string {
	errs := map[string]string{}
	for k, v := range bad {
		errs[strings.TrimPrefix(k, "code.")] = v
	}
	return errs
}

// renderCodeStep asks the pupil's code: its own short page before the
// questions, so that the questions page can read the code back to them.
func (s *server) renderCodeStep(c *gin.Context, status int, w *surveys.Workshop, in codeInput, errs map[string]string, kept []keptField) {
	v := codeView{Workshop: w, Phase: w.Phase, Action: "/f/" + w.Code + "/code", Typed: in, CodeErrors: errs, Notice: s.Notice}
	for _, f := range kept {
		if !strings.HasPrefix(f.Name, "code_") {
			v.Kept = append(v.Kept, f)
		}
	}
	if msg := errs[""]; msg != "" {
		v.Errors = append(v.Errors, errorLink{ID: "continuer", Label: "Envoi", Message: msg})
	}
	for _, k := range surveys.CodeElements {
		if msg := errs[k]; msg != "" {
			v.Errors = append(v.Errors, errorLink{ID: "code_" + k, Label: codeLabels[k], Message: msg})
		}
	}
	s.render(c, status, "pupil/code", v)
}

// submitCode checks the code; when right, the device remembers it (sealed)
// and the questions follow at once.
func (s *server) submitCode(c *gin.Context) {
	w, q, ok := s.pupilWorkshop(c, false)
	if !ok {
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.renderCodeStep(c, http.StatusBadRequest, w, codeInput{}, map[string]string{"mere": "ton code n'a pas pu être lu, réponds à nouveau"}, nil)
		return
	}
	code, _ := typedCode(c.Request.PostForm)
	if bad := code.Check(); len(bad) > 0 {
		s.renderCodeStep(c, http.StatusUnprocessableEntity, w, codeInputOf(c.Request.PostForm), elementErrors(bad), keptFields(c.Request.PostForm))
		return
	}
	s.setPupilCookie(c, codeCookie, s.Pseudo.SealCode(code), cookieAge)
	lang := s.pupilLang(c, q)
	if kept := c.Request.PostForm; kept.Has("submission_id") {
		// Answers that came without a code: show them again, to send.
		v := s.formView(w, q, code, lang, kept, nil)
		v.SubmissionID = kept.Get("submission_id")
		s.render(c, http.StatusOK, "pupil/form", v)
		return
	}
	s.formOrThanks(c, w, q, code, lang)
}
