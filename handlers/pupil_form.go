package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/templates"
)

type errorLink struct{ ID, Label, Message string }

type langLink struct{ Code, Name string }

// languageNames names the languages a pupil may pick, in their own words.
var languageNames = map[string]string{"fr": "Français", "pt": "Português", "en": "English", "es": "Español", "ar": "العربية"}

type formView struct {
	Workshop     *surveys.Workshop
	Phase        surveys.Phase
	Action       string
	Lang         string
	Languages    []langLink
	SubmissionID string
	CodeToken    string
	CodeShown    string
	Shown        string
	Items        []templates.ItemView
	Errors       []errorLink
	Notice       Notice
}

func newSubmissionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// pupilWorkshop finds the workshop of the code in the path, or renders the
// page for a code that opens nothing. Unless whenClosed is set, a
// workshop with no open phase gets that same page. A code that matches no
// workshop is charged to the client's answer limit, so that codes cannot
// be tried faster than answers can be sent.
func (s *server) pupilWorkshop(c *gin.Context, whenClosed bool) (*surveys.Workshop, *surveys.Questionnaire, bool) {
	code := surveys.NormalizeCode(c.Param("code"))
	w, err := s.Store.WorkshopByCode(c.Request.Context(), code)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		if err := s.limitAnswer(c, nil); err != nil {
			s.pupilBusy(c, err)
			return nil, nil, false
		}
		s.notOpen(c, http.StatusNotFound)
		return nil, nil, false
	}
	if err != nil {
		s.pupilError(c, err)
		return nil, nil, false
	}
	if !whenClosed && !w.Phase.Open() {
		s.notOpen(c, http.StatusNotFound)
		return nil, nil, false
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		s.pupilError(c, err)
		return nil, nil, false
	}
	return w, q, true
}

// pupilLang is the form's language: ?lang= when the questionnaire offers
// it (then remembered), else the remembered one, else the main one.
func (s *server) pupilLang(c *gin.Context, q *surveys.Questionnaire) string {
	if l := c.Query("lang"); l != "" && q.Offers(l) {
		s.setPupilCookie(c, langCookie, l, cookieAge)
		return l
	}
	if l := c.PostForm("lang"); l != "" && q.Offers(l) {
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && q.Offers(l) {
		return l
	}
	return q.Language
}

func (s *server) showForm(c *gin.Context) {
	w, q, ok := s.pupilWorkshop(c, false)
	if !ok {
		return
	}
	lang := s.pupilLang(c, q)
	code, known := s.rememberedCode(c)
	if !known || c.Query("nouveau") != "" {
		s.renderCodeStep(c, http.StatusOK, w, codeInput{}, nil, nil)
		return
	}
	s.formOrThanks(c, w, q, code, lang)
}

// formOrThanks shows the questions to a pupil whose code is known, or
// thanks them again if this device already sent this phase for them.
func (s *server) formOrThanks(c *gin.Context, w *surveys.Workshop, q *surveys.Questionnaire, code surveys.Code, lang string) {
	who := s.Pseudo.OfCode(w.ID, code, "")
	if s.answeredHere(c, w, w.Phase, who.Participant) {
		s.render(c, http.StatusOK, "pupil/thanks", gin.H{"Workshop": w, "Phase": w.Phase, "Already": true})
		return
	}
	v := s.formView(w, q, code, lang, nil, nil)
	s.render(c, http.StatusOK, "pupil/form", v)
}

// formView builds the form for the open phase, with the pupil's answers
// and errors when it is shown again.
func (s *server) formView(w *surveys.Workshop, q *surveys.Questionnaire, code surveys.Code, lang string, form url.Values, fields map[string]string) *formView {
	v := &formView{
		Workshop: w, Phase: w.Phase, Action: "/f/" + w.Code, Lang: lang, Notice: s.Notice,
		SubmissionID: newSubmissionID(), CodeToken: s.Pseudo.SealCode(code), CodeShown: codeShown(code), Shown: s.shownStamp(),
	}
	for _, l := range q.FormLanguages() {
		v.Languages = append(v.Languages, langLink{Code: l, Name: cmpOr(languageNames[l], l)})
	}
	retro := false
	for i, it := range q.ItemsFor(w.Phase) {
		iv := templates.ItemView{Item: it, Num: i + 1, Lang: lang, Error: fields[it.Key], Given: form}
		if it.Retrospective() && !retro {
			iv.FirstRetro, retro = true, true
		}
		if iv.Error != "" {
			v.Errors = append(v.Errors, errorLink{ID: "q-" + it.Key, Label: "Question " + strconv.Itoa(iv.Num), Message: iv.Error})
		}
		v.Items = append(v.Items, iv)
	}
	return v
}

// codeShown reads a code back to its pupil: "M · 12 mars · A".
func codeShown(c surveys.Code) string {
	return c.Mere + " · " + strconv.Itoa(c.Jour) + " " + templates.MonthName(c.Mois) + " · " + c.Lettre2
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// submitForm stores the answers of the phase the form was shown for.
func (s *server) submitForm(c *gin.Context) {
	defer withStoreTimeout(c)()
	w, q, ok := s.pupilWorkshop(c, true)
	if !ok {
		return
	}
	if err := s.limitAnswer(c, w); err != nil {
		s.pupilBusy(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.unreadableForm(c, w, q, err)
		return
	}
	form := c.Request.PostForm
	// The phase the form was shown for, not the one open now: a PRE form
	// sent after POST opened must not be stored as POST answers.
	phase := surveys.Phase(form.Get("phase"))
	if !phase.Open() {
		phase = w.Phase
	}
	submissionID := form.Get("submission_id")
	if len(submissionID) > 64 || len(surveys.ValidateSubmission(submissionID)) > 0 {
		submissionID = newSubmissionID()
	}
	if phase != w.Phase || !phase.Open() {
		// record acknowledges a resent, already stored form with its ID,
		// and answers anything else with phase_closed.
		_, _, err := s.record(c.Request.Context(), w, phase, submissionID, surveys.Pseudonym{}, "", nil, nil)
		s.afterRecord(c, w, phase, "", err)
		return
	}
	lang := s.pupilLang(c, q)
	// Who answers: the code sent with the answers (typed in the same
	// form, or sealed by the code step), else the one this device keeps.
	code, known := s.Pseudo.OpenCode(form.Get("code_token"))
	if typed, ok := typedCode(form); ok {
		if bad := typed.Check(); len(bad) > 0 {
			s.renderCodeStep(c, http.StatusUnprocessableEntity, w, codeInputOf(form), elementErrors(bad), keptFields(form))
			return
		}
		code, known = typed, true
	}
	if !known {
		code, known = s.rememberedCode(c)
	}
	if !known {
		// Nothing tells who answers: ask the code, keeping the answers.
		s.renderCodeStep(c, http.StatusUnprocessableEntity, w, codeInput{}, map[string]string{"mere": "ton code secret a été oublié : réponds à nouveau aux quatre questions"}, keptFields(form))
		return
	}
	answers, err := q.CheckForm(phase, form)
	if err != nil {
		fields := surveys.ErrorFields(err)
		if fields == nil {
			s.pupilError(c, err)
			return
		}
		v := s.formView(w, q, code, lang, form, fields)
		v.SubmissionID = submissionID
		s.render(c, http.StatusUnprocessableEntity, "pupil/form", v)
		return
	}
	who := s.Pseudo.OfCode(w.ID, code, s.deviceID(c))
	var flags []surveys.Flag
	if s.tooFast(form.Get("shown"), len(q.ItemsFor(phase))) {
		flags = append(flags, surveys.FlagTooFast)
	}
	_, _, err = s.record(c.Request.Context(), w, phase, submissionID, who, "", flags, func() (surveys.Answers, error) { return answers, nil })
	if err == nil {
		s.setPupilCookie(c, codeCookie, s.Pseudo.SealCode(code), cookieAge)
	}
	s.afterRecord(c, w, phase, who.Participant, err)
}

// afterRecord sends the pupil to the thank-you page, remembering on the
// device that it answered, or explains why nothing was stored.
func (s *server) afterRecord(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, participant string, err error) {
	switch {
	case surveys.ErrorCode(err) == surveys.EPHASECLOSED:
		s.notOpen(c, http.StatusConflict)
		return
	case err != nil:
		s.pupilError(c, err)
		return
	}
	if participant != "" {
		s.rememberAnswered(c, w, phase, participant)
	}
	c.Redirect(http.StatusSeeOther, "/f/"+w.Code+"/merci?phase="+string(phase))
}

// unreadableForm shows the form again with one clear message: a body too
// large or not form-encoded is nothing a pupil typed on purpose.
func (s *server) unreadableForm(c *gin.Context, w *surveys.Workshop, q *surveys.Questionnaire, err error) {
	if !w.Phase.Open() {
		s.notOpen(c, http.StatusConflict)
		return
	}
	status := http.StatusBadRequest
	msg := "tes réponses n'ont pas pu être lues, renvoie le formulaire"
	if surveys.ErrorCode(errTooLarge(err)) == codeTooLarge {
		status, msg = http.StatusRequestEntityTooLarge, "tes réponses sont trop longues, raccourcis les textes"
	}
	code, known := s.rememberedCode(c)
	if !known {
		s.renderCodeStep(c, status, w, codeInput{}, map[string]string{"": msg}, nil)
		return
	}
	v := s.formView(w, q, code, q.Language, nil, nil)
	v.Errors = []errorLink{{ID: "envoyer", Label: "Envoi", Message: msg}}
	s.render(c, status, "pupil/form", v)
}

type keptField struct{ Name, Value string }

var keptFieldName = regexp.MustCompile(`^(submission_id|phase|lang|shown|code_token|code_(mere|jour|mois|lettre2)|a_[a-z0-9_]{1,40}(\.[a-z]{1,10})?)$`)

// keptFields are the form fields worth sending again, in a stable order.
func keptFields(form url.Values) []keptField {
	var out []keptField
	for _, name := range slices.Sorted(maps.Keys(form)) {
		if !keptFieldName.MatchString(name) {
			continue
		}
		for _, v := range form[name] {
			out = append(out, keptField{name, v})
		}
	}
	return out
}
