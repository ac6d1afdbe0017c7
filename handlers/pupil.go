package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

const (
	deviceCookie    = "declic_code"
	deviceCookieAge = 180 * 24 * time.Hour
)

var deviceTokenPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// selfCode is the self-generated code: answers a pupil gives the same way
// twice, that name no one, and that a classmate cannot guess.
type selfCode struct{ Mother, Day, Town string }

func (sc selfCode) check() (string, bool) {
	letter := func(s string) bool {
		s = strings.TrimSpace(s)
		return len([]rune(s)) == 1 && isLetter([]rune(s)[0])
	}
	day, err := strconv.Atoi(strings.TrimSpace(sc.Day))
	if !letter(sc.Mother) || !letter(sc.Town) || err != nil || day < 1 || day > 31 {
		return "", false
	}
	return strconv.Itoa(day), true
}

func isLetter(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0xC0 && r <= 0x17F)
}

type choiceView struct {
	Value, Label string
	Checked      bool
}

type itemView struct {
	*surveys.Item
	Num     int
	Value   string
	Choices []choiceView
	Ends    []string
	Error   string
	// Halves of a retrospective item: "Avant l'atelier" and "Aujourd'hui".
	Halves []halfView
}

type halfView struct {
	Field, Legend string
	Choices       []choiceView
}

type errorLink struct{ ID, Label, Message string }

type formView struct {
	Workshop     *surveys.Workshop
	Phase        surveys.Phase
	Action       string
	SubmissionID string
	AskCode      bool
	Code         selfCode
	CodeError    string
	Items        []itemView
	Errors       []errorLink
	Notice       Notice
}

func newSubmissionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// deviceToken is the code this device remembers, if any.
func deviceToken(c *gin.Context) string {
	t, err := c.Cookie(deviceCookie)
	if err != nil || !deviceTokenPattern.MatchString(t) {
		return ""
	}
	return t
}

func (s *server) enterCode(c *gin.Context) {
	if code := surveys.NormalizeCode(c.Query("code")); code != "" {
		if len(code) <= 12 {
			c.Redirect(http.StatusSeeOther, "/f/"+code)
			return
		}
	}
	s.render(c, http.StatusOK, "pupil/unknown", gin.H{})
}

// pupilWorkshop finds the workshop of the code in the path, or renders the
// friendly page for an unknown code. Unless whenClosed is set, a workshop
// with no open phase gets the closed page.
func (s *server) pupilWorkshop(c *gin.Context, whenClosed bool) (*surveys.Workshop, *surveys.Questionnaire, bool) {
	code := surveys.NormalizeCode(c.Param("code"))
	w, err := s.Store.WorkshopByCode(c.Request.Context(), code)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		if len(code) > 12 {
			code = code[:12]
		}
		s.render(c, http.StatusNotFound, "pupil/unknown", gin.H{"Code": code})
		return nil, nil, false
	}
	if err != nil {
		s.pupilError(c, err)
		return nil, nil, false
	}
	if !whenClosed && w.Phase != surveys.PhasePre && w.Phase != surveys.PhasePost {
		s.render(c, http.StatusOK, "pupil/closed", gin.H{"Workshop": w})
		return nil, nil, false
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		s.pupilError(c, err)
		return nil, nil, false
	}
	return w, q, true
}

// pupilError logs err once and tells the pupil, in plain words, to retry.
// A sent form comes back as hidden fields, so one tap resends the same
// answers with the same submission id, which the store keeps only once.
func (s *server) pupilError(c *gin.Context, err error) {
	s.Logger.Error("pupil request failed", "route", c.FullPath(), "err", err)
	code := surveys.NormalizeCode(c.Param("code"))
	data := gin.H{"Code": code}
	if c.Request.Method == http.MethodPost && c.Request.ParseForm() == nil && code != "" {
		if kept := keptFields(c.Request.PostForm); len(kept) > 0 {
			data["Action"], data["Kept"] = "/f/"+code, kept
		}
	}
	c.Header("Retry-After", retryAfter)
	s.render(c, http.StatusServiceUnavailable, "pupil/unavailable", data)
}

type keptField struct{ Name, Value string }

var keptFieldName = regexp.MustCompile(`^(submission_id|phase|code_mere|code_jour|code_ville|a_[a-z0-9_]{1,40}(\.[a-z]{1,10})?)$`)

// keptFields are the form fields worth sending again, in a stable order.
func keptFields(form map[string][]string) []keptField {
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

func (s *server) showForm(c *gin.Context) {
	w, q, ok := s.pupilWorkshop(c, false)
	if !ok {
		return
	}
	token := deviceToken(c)
	if token != "" && c.Query("nouveau") == "" && s.answeredHere(c, w, w.Phase, token) {
		// A second answer would make this pupil a duplicate and drop them
		// from the pairs, so a device that already answered is thanked.
		s.render(c, http.StatusOK, "pupil/thanks", gin.H{"Workshop": w, "Phase": w.Phase, "Already": true})
		return
	}
	v := s.formView(w, q, nil, nil)
	v.SubmissionID = newSubmissionID()
	v.AskCode = token == "" || c.Query("nouveau") != ""
	s.render(c, http.StatusOK, "pupil/form", v)
}

// formView builds the form for the open phase, with the pupil's answers
// and errors when it is shown again.
func (s *server) formView(w *surveys.Workshop, q *surveys.Questionnaire, form map[string][]string, fields map[string]string) *formView {
	v := &formView{Workshop: w, Phase: w.Phase, Action: "/f/" + w.Code, Notice: s.Notice}
	for i, it := range q.ItemsFor(w.Phase) {
		iv := itemView{Item: it, Num: i + 1, Error: fields[it.Key]}
		given := form["a_"+it.Key]
		if len(given) > 0 {
			iv.Value = given[0]
		}
		checked := func(val string) bool {
			for _, g := range given {
				if g == val {
					return true
				}
			}
			return false
		}
		switch it.Type {
		case surveys.Likert, surveys.Rating:
			iv.Choices = scaleChoices(it, given)
		case surveys.Retro:
			for _, h := range []struct{ part, legend string }{
				{surveys.RetroBefore, "Avant l'atelier"}, {surveys.RetroNow, "Aujourd'hui"},
			} {
				field := surveys.RetroField(it.Key, h.part)
				iv.Halves = append(iv.Halves, halfView{Field: field, Legend: h.legend, Choices: scaleChoices(it, form[field])})
			}
			if it.Type == surveys.Rating && len(it.Scale.Labels) > 0 {
				iv.Ends = []string{it.Scale.Labels[0], it.Scale.Labels[len(it.Scale.Labels)-1]}
			}
		case surveys.YesNo:
			iv.Choices = []choiceView{{Value: "1", Label: "Oui", Checked: checked("1")}, {Value: "0", Label: "Non", Checked: checked("0")}}
		case surveys.Quiz, surveys.Choice:
			for _, o := range it.Options {
				iv.Choices = append(iv.Choices, choiceView{Value: o.Value, Label: o.Label, Checked: checked(o.Value)})
			}
		}
		if iv.Error != "" {
			v.Errors = append(v.Errors, errorLink{ID: "q-" + it.Key, Label: "Question " + strconv.Itoa(iv.Num), Message: iv.Error})
		}
		v.Items = append(v.Items, iv)
	}
	return v
}

// scaleChoices lists the answers of a min..max item, labelled where the
// questionnaire has labels, with the pupil's earlier answer checked.
func scaleChoices(it *surveys.Item, given []string) []choiceView {
	var out []choiceView
	for n := it.Scale.Min; n <= it.Scale.Max; n++ {
		v := strconv.Itoa(n)
		label := v
		if it.Type != surveys.Rating && len(it.Scale.Labels) > 0 && it.Scale.Labels[n-it.Scale.Min] != "" {
			label = it.Scale.Labels[n-it.Scale.Min]
		}
		out = append(out, choiceView{Value: v, Label: label, Checked: slices.Contains(given, v)})
	}
	return out
}

func (s *server) submitForm(c *gin.Context) {
	defer withStoreTimeout(c)()
	w, q, ok := s.pupilWorkshop(c, true)
	if !ok {
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
	answerable := phase == surveys.PhasePre || phase == surveys.PhasePost
	if !answerable {
		phase, answerable = w.Phase, w.Phase == surveys.PhasePre || w.Phase == surveys.PhasePost
	}
	if phase != w.Phase || !answerable {
		// record answers a resent, already stored form with its ID, and
		// anything else with phase_closed.
		var err error = surveys.Errorf(surveys.EPHASECLOSED, "Phase fermée.")
		if id := form.Get("submission_id"); answerable && len(surveys.ValidateSubmission(id, "-")) == 0 {
			_, _, err = s.record(c.Request.Context(), w, q, phase, id, "-", nil)
		}
		s.afterRecord(c, w, phase, "", err)
		return
	}
	token := deviceToken(c)
	code := selfCode{Mother: form.Get("code_mere"), Day: form.Get("code_jour"), Town: form.Get("code_ville")}
	asked := form.Has("code_mere") || form.Has("code_jour") || form.Has("code_ville")
	var codeErr string
	if asked || token == "" {
		if day, ok := code.check(); ok {
			token = s.Pseudo.DeviceToken(code.Mother, day, code.Town)
		} else {
			token, codeErr = "", "Réponds aux trois questions du code secret : une lettre, un jour de 1 à 31, une lettre."
		}
	}
	submissionID := form.Get("submission_id")
	if len(submissionID) > 64 || surveys.ValidateSubmission(submissionID, "-")["submission_id"] != "" {
		submissionID = newSubmissionID()
	}
	answers, checkErr := q.CheckForm(w.Phase, form)
	if codeErr != "" || checkErr != nil {
		fields := surveys.ErrorFields(checkErr)
		if checkErr != nil && fields == nil {
			s.pupilError(c, checkErr)
			return
		}
		v := s.formView(w, q, form, fields)
		v.SubmissionID, v.AskCode, v.Code, v.CodeError = submissionID, true, code, codeErr
		if codeErr != "" {
			v.Errors = append([]errorLink{{ID: "code", Label: "Code secret", Message: "à compléter"}}, v.Errors...)
		} else {
			v.AskCode = asked
		}
		s.render(c, http.StatusUnprocessableEntity, "pupil/form", v)
		return
	}
	_, _, err := s.record(c.Request.Context(), w, q, phase, submissionID, token, func() (map[string]any, error) { return answers, nil })
	s.afterRecord(c, w, phase, token, err)
}

// afterRecord sends the pupil to the thank-you page, remembering the code on
// the device, or explains why nothing was stored.
func (s *server) afterRecord(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, token string, err error) {
	switch {
	case surveys.ErrorCode(err) == surveys.EPHASECLOSED:
		s.render(c, http.StatusConflict, "pupil/closed", gin.H{"Workshop": w})
		return
	case err != nil:
		s.pupilError(c, err)
		return
	}
	if token != "" {
		http.SetCookie(c.Writer, &http.Cookie{
			Name: deviceCookie, Value: token, Path: "/f", MaxAge: int(deviceCookieAge / time.Second),
			HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode,
		})
		s.rememberAnswered(c, w, phase, token)
	}
	c.Redirect(http.StatusSeeOther, "/f/"+w.Code+"/merci?phase="+string(phase))
}

// unreadableForm shows the form again with one clear message: a body too
// large or not form-encoded is nothing a pupil typed on purpose.
func (s *server) unreadableForm(c *gin.Context, w *surveys.Workshop, q *surveys.Questionnaire, err error) {
	if w.Phase != surveys.PhasePre && w.Phase != surveys.PhasePost {
		s.render(c, http.StatusOK, "pupil/closed", gin.H{"Workshop": w})
		return
	}
	status := http.StatusBadRequest
	msg := "tes réponses n'ont pas pu être lues, renvoie le formulaire"
	if surveys.ErrorCode(errTooLarge(err)) == codeTooLarge {
		status, msg = http.StatusRequestEntityTooLarge, "tes réponses sont trop longues, raccourcis les textes"
	}
	v := s.formView(w, q, nil, nil)
	v.SubmissionID, v.AskCode = newSubmissionID(), deviceToken(c) == ""
	v.Errors = []errorLink{{ID: "envoyer", Label: "Envoi", Message: msg}}
	s.render(c, status, "pupil/form", v)
}

func (s *server) thanks(c *gin.Context) {
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		c.Redirect(http.StatusSeeOther, "/f")
		return
	}
	phase := surveys.Phase(c.Query("phase"))
	s.render(c, http.StatusOK, "pupil/thanks", gin.H{"Workshop": w, "Phase": phase})
}

// The device remembers, in a cookie, which phases its pupil answered: one
// short keyed hash of (code, workshop, phase) each, the last answeredKeep.
// Asking the store instead would cost a read of every stored answer on the
// embedded store (FerretDB finds by _id only) at each form view, or an
// extra write per answer. A hash of another pupil's code never matches, so
// a shared tablet whose code was forgotten shows the form again.
const (
	answeredCookie = "declic_fait"
	answeredKeep   = 20
)

func (s *server) answeredMark(w *surveys.Workshop, phase surveys.Phase, token string) string {
	return s.Pseudo.Participant(w.ID+"\x00"+string(phase), token)[:16]
}

func answeredMarks(c *gin.Context) []string {
	v, err := c.Cookie(answeredCookie)
	if err != nil {
		return nil
	}
	return strings.Fields(strings.ReplaceAll(v, ".", " "))
}

func (s *server) answeredHere(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, token string) bool {
	return slices.Contains(answeredMarks(c), s.answeredMark(w, phase, token))
}

func (s *server) rememberAnswered(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, token string) {
	mark := s.answeredMark(w, phase, token)
	marks := slices.DeleteFunc(answeredMarks(c), func(m string) bool { return m == mark || len(m) != len(mark) })
	marks = append(marks, mark)
	if len(marks) > answeredKeep {
		marks = marks[len(marks)-answeredKeep:]
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: answeredCookie, Value: strings.Join(marks, "."), Path: "/f", MaxAge: int(deviceCookieAge / time.Second),
		HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode,
	})
}

// forgetDevice clears the remembered code, for shared tablets.
func (s *server) forgetDevice(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: deviceCookie, Value: "", Path: "/f", MaxAge: -1, HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, "/f/"+surveys.NormalizeCode(c.Param("code")))
}
