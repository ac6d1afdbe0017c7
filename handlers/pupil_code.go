package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/templates"
)

// codeInput is the code as the pupil typed it, to show it again.
type codeInput struct {
	Mere, Lettre2 string
	Jour, Mois    int
}

type codeView struct {
	pupilChrome
	Workshop   *surveys.Workshop
	Phase      surveys.Phase
	Action     string
	Typed      codeInput
	CodeErrors map[string]string // by element: mere, jour, mois, lettre2; "" for the whole form
	Errors     []errorLink
	// Heading counts Errors for the summary (errorsHeading).
	Heading string
	// Kept are answers sent without a valid code, sent again with it.
	Kept []keptField
}

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

// codeErrors says, for each element Code.Check refused, what is wrong in
// the pupil's language: missing (« choisis ton jour de naissance ») or
// wrong, quoting what was typed (« 45 » n'est pas un jour). wrong counts
// the elements typed wrong rather than missing.
func codeErrors(lang string, form url.Values, bad map[string]string) (errs map[string]string, wrong int) {
	errs = map[string]string{}
	for k := range bad {
		el := strings.TrimPrefix(k, "code.")
		typed := strings.TrimSpace(form.Get("code_" + el))
		if r := []rune(typed); len(r) > 12 {
			typed = string(r[:12]) + "…"
		}
		kind := el
		if el == "mere" || el == "lettre2" {
			kind = "letter"
		}
		if typed == "" {
			errs[el] = templates.T(lang, "code.empty."+kind)
			continue
		}
		if day, month, ok := typedDate(form); ok && el == "jour" && surveys.ImpossibleDate(day, month) {
			errs[el] = templates.T(lang, "code.bad.date", day, templates.MonthNameIn(lang, month))
			wrong++
			continue
		}
		errs[el] = templates.T(lang, "code.bad."+kind, typed)
		wrong++
	}
	return errs, wrong
}

// errorsHeading is the title of a pupil page's error summary: how many
// answers to complete (missing) and to correct (wrong), in lang.
func errorsHeading(lang string, total, wrong int) string {
	switch {
	case wrong == 0:
		return templates.TN(lang, "errors.missing", total)
	case wrong >= total:
		return templates.TN(lang, "errors.wrong", total)
	}
	return templates.T(lang, "errors.mixed", templates.TN(lang, "errors.wrong", wrong), total-wrong)
}

// typedDate is the day and month typed, when both are numbers.
func typedDate(form url.Values) (day, month int, ok bool) {
	d, err1 := strconv.Atoi(strings.TrimSpace(form.Get("code_jour")))
	m, err2 := strconv.Atoi(strings.TrimSpace(form.Get("code_mois")))
	return d, m, err1 == nil && err2 == nil
}

// renderCodeStep asks the pupil's code: its own short page before the
// questions, so that the questions page can read the code back to them.
func (s *server) renderCodeStep(c *gin.Context, status int, w *surveys.Workshop, q *surveys.Questionnaire, lang string, in codeInput, errs map[string]string, kept []keptField) {
	s.renderCodeStepWrong(c, status, w, q, lang, in, errs, 0, kept)
}

func (s *server) renderCodeStepWrong(c *gin.Context, status int, w *surveys.Workshop, q *surveys.Questionnaire, lang string, in codeInput, errs map[string]string, wrong int, kept []keptField) {
	v := codeView{pupilChrome: s.chrome(w, q, lang, s.inKiosk(c, w)), Workshop: w, Phase: w.Phase, Action: "/f/" + w.Code + "/code",
		Typed: in, CodeErrors: errs}
	for _, f := range kept {
		if !strings.HasPrefix(f.Name, "code_") && f.Name != "lang" {
			v.Kept = append(v.Kept, f)
		}
	}
	if msg := errs[""]; msg != "" {
		v.Errors = append(v.Errors, errorLink{ID: "continuer", Label: templates.T(lang, "errors.send"), Message: msg})
	}
	for _, k := range surveys.CodeElements {
		if msg := errs[k]; msg != "" {
			v.Errors = append(v.Errors, errorLink{ID: "code_" + k, Label: templates.T(lang, "code.short."+k), Message: msg})
		}
	}
	v.Heading = errorsHeading(lang, len(v.Errors), wrong)
	s.render(c, status, "pupil/code", v)
}

// submitCode checks the code; when right, the device remembers it (sealed,
// except on a kiosk) and the questions follow at once.
func (s *server) submitCode(c *gin.Context) {
	w, q, ok := s.pupilWorkshop(c, false)
	if !ok {
		return
	}
	kiosk := s.inKiosk(c, w)
	if err := c.Request.ParseForm(); err != nil {
		lang := s.pupilLang(c, q, kiosk)
		s.renderCodeStep(c, http.StatusBadRequest, w, q, lang, codeInput{}, map[string]string{"mere": templates.T(lang, "code.unreadable")}, nil)
		return
	}
	lang := s.pupilLang(c, q, kiosk)
	code, _ := typedCode(c.Request.PostForm)
	if bad := code.Check(); len(bad) > 0 {
		errs, wrong := codeErrors(lang, c.Request.PostForm, bad)
		s.renderCodeStepWrong(c, http.StatusUnprocessableEntity, w, q, lang, codeInputOf(c.Request.PostForm), errs, wrong, keptFields(c.Request.PostForm))
		return
	}
	if !kiosk {
		s.setPupilCookie(c, codeCookie, s.Pseudo.SealCode(code), cookieAge)
	}
	if kept := c.Request.PostForm; kept.Has("submission_id") {
		// Answers that came without a code: show them again, to send.
		v := s.formView(w, q, code, lang, kiosk, kept, nil)
		v.SubmissionID = kept.Get("submission_id")
		s.render(c, http.StatusOK, "pupil/form", v)
		return
	}
	s.formOrThanks(c, w, q, code, lang, kiosk)
}
