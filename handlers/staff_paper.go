package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/templates"
)

// paperPhase is the phase a paper page is for: ?phase= (or the form
// field), else the open phase, else PRE.
func paperPhase(c *gin.Context, w *surveys.Workshop) surveys.Phase {
	switch p := surveys.Phase(c.Request.FormValue("phase")); p {
	case surveys.PhasePre, surveys.PhasePost:
		return p
	}
	if w.Phase == surveys.PhasePost {
		return surveys.PhasePost
	}
	return surveys.PhasePre
}

// maxPrintedSheets bounds one print run.
const maxPrintedSheets = 200

// paperPage is the printable questionnaire of one phase: numbered A4
// sheets, one pupil each (GET /app/workshops/{id}/paper.html).
func (s *server) paperPage(c *gin.Context) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	q := data["Questionnaire"].(*surveys.Questionnaire)
	p := paperPhase(c, w)
	lang := c.Query("lang")
	if !q.Offers(lang) {
		lang = q.Language
	}
	n := 30
	if w.Attendance > 0 {
		n = w.Attendance
	}
	if v, err := strconv.Atoi(c.Query("feuilles")); err == nil && v > 0 {
		n = min(v, maxPrintedSheets)
	}
	first := 1
	if v, err := strconv.Atoi(c.Query("debut")); err == nil && v > 0 && v <= maxSheet {
		first = v
	}
	sheets := make([]int, 0, n)
	for i := first; i < first+n && i <= maxSheet; i++ {
		sheets = append(sheets, i)
	}
	var langs []langLink
	for _, l := range q.FormLanguages() {
		langs = append(langs, langLink{Code: l, Name: cmpOr(languageNames[l], l)})
	}
	data["Phase"], data["Lang"], data["Languages"] = p, lang, langs
	data["Blocks"], data["Sheets"], data["Count"], data["FirstSheet"] = paperBlocks(paperItems(q, p, lang)), sheets, n, first
	data["QTitle"] = q.Title.In(lang)
	s.render(c, http.StatusOK, "staff/paper", data)
}

// paperEntry is what the data-entry page shows.
type paperEntry struct {
	Phase   surveys.Phase
	Items   []paperItem
	Row     paperRow
	Sheets  []int // the sheets of this phase typed already, in order
	Next    int   // the sheet number offered for the next row
	Saved   int   // the sheet just stored, 0 for none
	Problem []errorLink
}

// paperSheets lists the sheets of phase p typed already.
func (s *server) paperSheets(c *gin.Context, w *surveys.Workshop, p surveys.Phase) ([]int, error) {
	var out []int
	err := s.Store.EachResponse(c.Request.Context(), []string{w.ID}, func(r *surveys.Response) error {
		if n, ok := paperSheetOf(w, p, r.SubmissionID); ok && r.Source == surveys.SourcePaper {
			out = append(out, n)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

func (s *server) paperEntryPage(c *gin.Context) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	q := data["Questionnaire"].(*surveys.Questionnaire)
	p := paperPhase(c, w)
	e := paperEntry{Phase: p, Items: paperItems(q, p, q.Language), Row: paperRow{Cells: map[string]string{}, Errors: map[string]string{}}}
	var err error
	if e.Sheets, err = s.paperSheets(c, w, p); err != nil {
		s.pageFail(c, err)
		return
	}
	e.Saved, _ = strconv.Atoi(c.Query("enregistree"))
	e.Next = nextSheet(e.Sheets, e.Saved)
	e.Row.Sheet = strconv.Itoa(e.Next)
	data["Entry"] = e
	s.render(c, http.StatusOK, "staff/paper_entry", data)
}

// nextSheet is the number most likely on the next sheet: the one after
// the sheet just typed, unless typed already.
func nextSheet(done []int, last int) int {
	n := last + 1
	if last == 0 && len(done) > 0 {
		n = done[len(done)-1] + 1
	}
	for slices.Contains(done, n) {
		n++
	}
	return max(n, 1)
}

// submitPaperRow stores one typed sheet like any answer: no device,
// source "paper", the workshop's day. Answered with JSON for the page's
// script (Accept: application/json), else with the page again.
func (s *server) submitPaperRow(c *gin.Context) {
	wantsJSON := strings.Contains(c.GetHeader("Accept"), "application/json")
	mode := pageAuth
	if wantsJSON {
		mode = apiAuth
	}
	w, q, err := s.workshopAndQuestionnaire(c)
	if err != nil {
		s.fail(c, mode, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Workshop": w, "Questionnaire": q, "Links": s.linksOf(c, w)}
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, mode, errTooLarge(err))
		return
	}
	if typed := c.Request.FormValue("phase"); typed != "" && typed != string(surveys.PhasePre) && typed != string(surveys.PhasePost) {
		// A sheet is stored for the phase it says, never a guess.
		s.fail(c, mode, &surveys.Error{Code: surveys.EINVALID, Message: "Phase inconnue : la feuille est celle du début (pre) ou de la fin (post) de l'atelier.",
			Fields: map[string]string{"phase": "pre ou post"}})
		return
	}
	p := paperPhase(c, w)
	items := paperItems(q, p, q.Language)
	row := readPaperRow(c.Request.PostForm, items)
	n, code, answers := row.check(q, p, items)
	if len(row.Errors) == 0 {
		r := &surveys.Response{SubmissionID: paperSubmission(w, p, n), WorkshopID: w.ID, Phase: p,
			Source: surveys.SourcePaper, Day: paperDay(w, s.now()), Answers: answers}
		who := s.Pseudo.OfParticipant(w.ID, r.SubmissionID, "")
		if code != nil {
			who = s.Pseudo.OfCode(w.ID, *code, "")
		}
		r.Participant, r.CodeParts = who.Participant, who.CodeParts
		err := s.Store.ImportResponses(c.Request.Context(), []*surveys.Response{r})
		switch {
		case surveys.ErrorCode(err) == surveys.ECONFLICT:
			part := map[surveys.Phase]string{surveys.PhasePre: "début", surveys.PhasePost: "fin"}[p]
			row.Errors["sheet"] = "la feuille n° " + strconv.Itoa(n) + " (" + part + " de l'atelier) est déjà saisie : rien n'a été enregistré"
		case err != nil:
			s.fail(c, mode, err)
			return
		}
	}
	sheets, err := s.paperSheets(c, w, p)
	if err != nil {
		s.fail(c, mode, err)
		return
	}
	if len(row.Errors) == 0 {
		s.Logger.Info("paper sheet typed", "workshop", w.ID, "phase", p, "sheet", n, "by", currentUser(c).ID)
		if wantsJSON {
			c.JSON(http.StatusCreated, gin.H{"sheet": n, "count": len(sheets), "next": nextSheet(sheets, n), "sheets": sheets})
			return
		}
		c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID+"/saisie?phase="+string(p)+"&enregistree="+strconv.Itoa(n))
		return
	}
	if wantsJSON {
		c.JSON(http.StatusUnprocessableEntity, gin.H{"errors": row.Errors, "count": len(sheets)})
		return
	}
	e := paperEntry{Phase: p, Items: items, Row: row, Sheets: sheets}
	e.Problem = paperProblems(row, items)
	data["Entry"] = e
	s.render(c, http.StatusUnprocessableEntity, "staff/paper_entry", data)
}

// paperProblems lists a row's errors in the order of its cells.
func paperProblems(row paperRow, items []paperItem) []errorLink {
	var out []errorLink
	add := func(name, label string) {
		if msg := row.Errors[name]; msg != "" {
			out = append(out, errorLink{ID: "cell-" + name, Label: label, Message: msg})
		}
	}
	add("sheet", "N° de feuille")
	for i, name := range codeCells {
		add(name, templates.T("fr", "code.short."+surveys.CodeElements[i]))
	}
	for _, it := range items {
		for _, c := range it.Cells {
			add(c.Name, c.Head)
		}
	}
	return out
}

// paperDay is the day a paper sheet was answered: the workshop's, unless
// that is still to come.
func paperDay(w *surveys.Workshop, now time.Time) string {
	today := now.Format(time.DateOnly)
	if validDate(w.Date) && w.Date < today {
		return w.Date
	}
	return today
}
