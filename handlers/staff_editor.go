package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/library"
	"declic/templates"
)

// langInput is one language's box of a translatable field.
type langInput struct {
	Field, ID, Lang, Name, Value string
	Main, Missing, Autofocus     bool
}

// textEdit is a translatable field, its languages side by side.
type textEdit struct {
	Label, Help string
	Inputs      []langInput
	Long        bool
}

type optionEdit struct {
	J       int
	Value   string
	Label   textEdit
	Correct bool
}

type itemEdit struct {
	N                                       int
	Key, Type, TypeLabel                    string
	Text, Help                              textEdit
	Ranged, Rating, Options, Quiz, Select   bool
	Scored, Retro                           bool
	Min, Max                                int
	Labels                                  []textEdit
	Opts                                    []optionEdit
	Multiple, Reverse, Required, Pre, Post  bool
	Profile, First, Last, RequiredByDefault bool
	Error                                   string
}

type scaleEdit struct {
	M     int
	Key   string
	Title textEdit
	Items []scaleMember
	Error string
}

type scaleMember struct {
	Key, Text string
	In        bool
}

type langChoice struct {
	Code, Name string
	Checked    bool
}

type missingCount struct {
	Lang, Name string
	N          int
}

type bankGroup struct {
	Title string
	Items []bankEntry
}

type bankEntry struct{ Value, Label string }

// editorView is everything the editor page shows.
type editorView struct {
	User         *surveys.User
	ID           string // the version edited, "" for a new questionnaire
	Action       string
	Heading      string
	Title        textEdit
	Description  textEdit
	Theme        string
	Main         string
	Mains        []langChoice
	Others       []langChoice
	Items        []itemEdit
	Scales       []scaleEdit
	Types        []langChoice // Code = type, Name = label
	Errors       []errorLink
	Top          map[string]string
	Missing      []missingCount
	Preview      string
	PreviewPhase string
	PreviewLang  string
	PreviewLangs []langChoice
	Bank         []bankGroup
	Focus        string
	Notice       string
	Workshops    int
	Builtin      bool
	Scoreable    []scaleMember
}

func langName(code string) string { return cmpOr(languageNames[code], code) }

// text builds the side-by-side boxes of a translatable field.
func (v *editorView) text(field, id, label string, t surveys.Text, others []string, long, needed bool) textEdit {
	te := textEdit{Label: label, Long: long}
	te.Inputs = append(te.Inputs, langInput{Field: field, ID: id, Lang: v.Main, Name: langName(v.Main), Value: t.String(), Main: true})
	for _, l := range others {
		in := langInput{Field: field + "." + l, ID: id + "-" + l, Lang: l, Name: langName(l), Value: tr(t, l)}
		// A number ("17", "2030") reads the same in every language.
		in.Missing = needed && in.Value == "" && strings.Trim(t.String(), "0123456789 .,") != ""
		te.Inputs = append(te.Inputs, in)
	}
	return te
}

func tr(t surveys.Text, l string) string {
	if t.Has(l) {
		return t.In(l)
	}
	return ""
}

// editorData builds the page for a draft; fields are Validate's errors.
func (s *server) editorData(c *gin.Context, q *surveys.Questionnaire, id string, fields map[string]string, focus string) *editorView {
	main, others := draftLanguages(q)
	v := &editorView{User: currentUser(c), ID: id, Main: main, Theme: q.Theme, Focus: focus, Top: map[string]string{}}
	v.Action = "/app/questionnaires/new"
	v.Heading = "Nouveau questionnaire"
	if id != "" {
		v.Action = "/app/questionnaires/" + id + "/edit"
		v.Heading = "Modifier le questionnaire"
	}
	for _, l := range editorLanguages {
		v.Mains = append(v.Mains, langChoice{l, langName(l), l == main})
		if l != main {
			v.Others = append(v.Others, langChoice{l, langName(l), slices.Contains(others, l)})
		}
	}
	for _, l := range others {
		if !slices.Contains(editorLanguages, l) {
			v.Others = append(v.Others, langChoice{l, langName(l), true})
		}
	}
	for _, t := range surveys.ItemTypes() {
		v.Types = append(v.Types, langChoice{string(t), t.Label(), false})
	}
	v.Title = v.text("title", "title", "Titre", q.Title, others, false, true)
	v.Description = v.text("description", "description", "Description (pour l'équipe)", q.Description, others, true, true)
	for _, k := range []string{"title", "description", "language", "languages", "items"} {
		if msg, ok := fields[k]; ok {
			v.Top[k] = msg
			v.Errors = append(v.Errors, errorLink{ID: k, Label: map[string]string{"title": "Titre", "description": "Description", "language": "Langue", "languages": "Langues", "items": "Questions"}[k], Message: msg})
		}
	}
	for i := range q.Items {
		it := &q.Items[i]
		p := fmt.Sprintf("i%d", i)
		e := itemEdit{N: i, Key: it.Key, Type: string(it.Type), TypeLabel: it.Type.Label(), Ranged: it.Ranged(), Rating: it.Type == surveys.Rating,
			Options: it.HasOptions(), Quiz: it.Type == surveys.Quiz, Select: it.Type == surveys.Select, Scored: it.Scored(), Retro: it.Retrospective(),
			Multiple: it.Multiple, Reverse: it.Reverse, Required: it.IsRequired(), Pre: it.AskedIn(surveys.PhasePre), Post: it.AskedIn(surveys.PhasePost),
			Profile: it.Profile, First: i == 0, Last: i == len(q.Items)-1}
		e.RequiredByDefault = (&surveys.Item{Type: it.Type}).IsRequired()
		e.Text = v.text(p+".text", p+"-text", "Question", it.Text, others, true, true)
		e.Help = v.text(p+".help", p+"-help", "Aide (facultative)", it.Help, others, false, true)
		if it.Scale != nil {
			e.Min, e.Max = it.Scale.Min, it.Scale.Max
			span := it.Scale.Max - it.Scale.Min
			if span >= 0 && span <= 20 {
				for j := 0; j <= span; j++ {
					var l surveys.Text
					if j < len(it.Scale.Labels) {
						l = it.Scale.Labels[j]
					}
					if e.Rating && j > 0 && j < span {
						continue
					}
					field, id, label := fmt.Sprintf("%s.label%d", p, j), fmt.Sprintf("%s-label%d", p, j), fmt.Sprintf("Libellé de %d", it.Scale.Min+j)
					if e.Rating && j == span && span > 0 {
						field, id = p+".label_high", p+"-label_high"
					}
					e.Labels = append(e.Labels, v.text(field, id, label, l, others, false, true))
				}
			}
		}
		for j, o := range it.Options {
			e.Opts = append(e.Opts, optionEdit{J: j, Value: o.Value, Correct: it.Correct == o.Value,
				Label: v.text(fmt.Sprintf("%s.opt%d.label", p, j), fmt.Sprintf("%s-opt%d", p, j), fmt.Sprintf("Réponse %d", j+1), o.Label, others, false, true)})
		}
		msg := fields[it.Key]
		if m, ok := fields[fmt.Sprintf("items[%d]", i)]; ok {
			msg = m
		}
		if msg != "" {
			e.Error = msg
			v.Errors = append(v.Errors, errorLink{ID: p, Label: fmt.Sprintf("Question %d", i+1), Message: msg})
		}
		v.Items = append(v.Items, e)
		if it.Scored() && !it.Retrospective() && !it.HasOptions() {
			v.Scoreable = append(v.Scoreable, scaleMember{Key: it.Key, Text: it.Text.String()})
		}
	}
	for m, sc := range q.Scales {
		p := fmt.Sprintf("s%d", m)
		se := scaleEdit{M: m, Key: sc.Key, Title: v.text(p+".title", p+"-title", "Titre de l'échelle", sc.Title, others, false, true)}
		for _, k := range v.Scoreable {
			se.Items = append(se.Items, scaleMember{Key: k.Key, Text: k.Text, In: slices.Contains(sc.Items, k.Key)})
		}
		msg := fields["scales."+sc.Key]
		if mm, ok := fields[fmt.Sprintf("scales[%d]", m)]; ok {
			msg = mm
		}
		if msg != "" {
			se.Error = msg
			v.Errors = append(v.Errors, errorLink{ID: p, Label: "Échelle " + strconv.Itoa(m+1), Message: msg})
		}
		v.Scales = append(v.Scales, se)
	}
	for _, l := range others {
		n := 0
		count := func(te textEdit) {
			for _, in := range te.Inputs {
				if in.Lang == l && in.Missing {
					n++
				}
			}
		}
		count(v.Title)
		count(v.Description)
		for _, it := range v.Items {
			count(it.Text)
			count(it.Help)
			for _, lb := range it.Labels {
				count(lb)
			}
			for _, o := range it.Opts {
				count(o.Label)
			}
		}
		for _, sc := range v.Scales {
			count(sc.Title)
		}
		v.Missing = append(v.Missing, missingCount{l, langName(l), n})
	}
	v.PreviewPhase = c.DefaultPostForm("pv_phase", "pre")
	if v.PreviewPhase != "post" {
		v.PreviewPhase = "pre"
	}
	v.PreviewLang = c.PostForm("pv_lang")
	if !q.Offers(v.PreviewLang) {
		v.PreviewLang = main
	}
	for _, l := range q.FormLanguages() {
		v.PreviewLangs = append(v.PreviewLangs, langChoice{l, langName(l), l == v.PreviewLang})
	}
	v.Preview = s.previewHTML(q, surveys.Phase(v.PreviewPhase), v.PreviewLang)
	v.Bank = libraryBank()
	v.autofocus()
	return v
}

// autofocus marks the box to focus after an action, by its id.
func (v *editorView) autofocus() {
	mark := func(te *textEdit) {
		for i := range te.Inputs {
			te.Inputs[i].Autofocus = te.Inputs[i].ID == v.Focus
		}
	}
	mark(&v.Title)
	for i := range v.Items {
		it := &v.Items[i]
		mark(&it.Text)
		for j := range it.Opts {
			mark(&it.Opts[j].Label)
		}
	}
	for i := range v.Scales {
		mark(&v.Scales[i].Title)
	}
}

// libraryBank lists the library's items, to copy into a questionnaire.
func libraryBank() []bankGroup {
	qs, err := library.Load()
	if err != nil {
		return nil
	}
	var out []bankGroup
	for _, q := range qs {
		g := bankGroup{Title: q.Title.String()}
		for _, it := range q.Items {
			text := []rune(it.Text.String())
			if len(text) > 90 {
				text = append(text[:89], '…')
			}
			g.Items = append(g.Items, bankEntry{Value: q.ID + "/" + it.Key, Label: it.Type.Label() + " — " + string(text)})
		}
		out = append(out, g)
	}
	return out
}

func bankItems() map[string]surveys.Item {
	qs, _ := library.Load()
	out := map[string]surveys.Item{}
	for _, q := range qs {
		for _, it := range q.Items {
			out[q.ID+"/"+it.Key] = it
		}
	}
	return out
}

// previewHTML is the pupil form for the draft in phase p, drawn by the
// pupil templates themselves, for the editor's phone-sized frame. Items
// the rules refuse are left out until corrected.
func (s *server) previewHTML(draft *surveys.Questionnaire, p surveys.Phase, lang string) string {
	q := draft.Clone()
	fields := surveys.ErrorFields(q.Validate())
	i := -1
	q.Items = slices.DeleteFunc(q.Items, func(it surveys.Item) bool {
		i++
		_, bad := fields[it.Key]
		_, badAt := fields[fmt.Sprintf("items[%d]", i)]
		return bad || badAt || !slices.Contains(surveys.ItemTypes(), it.Type)
	})
	title := q.Title.In(lang)
	if strings.TrimSpace(title) == "" {
		title = "Questionnaire sans titre"
	}
	w := &surveys.Workshop{Code: "APERCU", Title: title, Phase: p}
	v := &formView{pupilChrome: s.chrome(w, q, lang, false), Workshop: w, Phase: p, Action: "#apercu", CodeShown: "M · 12 mars · A", SubmissionID: "apercu"}
	v.LangAction = "#apercu" // the editor's own links switch the preview's language
	retro := false
	for i, it := range q.ItemsFor(p) {
		iv := templates.ItemView{Item: it, Num: i + 1, Lang: lang}
		if it.Retrospective() && !retro {
			iv.FirstRetro, retro = true, true
		}
		v.Items = append(v.Items, iv)
	}
	var buf bytes.Buffer
	if err := s.Templates.Render(&buf, "pupil/form", v); err != nil {
		s.Logger.Error("preview failed", "err", err)
		return "<p>Aperçu indisponible.</p>"
	}
	return buf.String()
}

// newQuestionnairePage starts a draft: empty, or a copy of ?from=.
func (s *server) newQuestionnairePage(c *gin.Context) {
	q := &surveys.Questionnaire{Language: "fr"}
	if from := c.Query("from"); from != "" {
		src, err := s.questionnaireFor(c, from)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		q = src.Clone()
		q.ID, q.Builtin, q.Family, q.Version = "", false, "", 0
		q.Title = appendToText(q.Title, " (copie)")
	}
	s.render(c, http.StatusOK, "staff/editor", gin.H{"User": currentUser(c), "Editor": s.editorData(c, q, "", nil, "title")})
}

func appendToText(t surveys.Text, suffix string) surveys.Text {
	langs := t.Languages()
	if len(langs) == 0 {
		return surveys.NewText(t.String() + suffix)
	}
	m := map[string]string{}
	main := ""
	for _, l := range langs {
		m[l] = t.In(l) + suffix
		if t.In(l) == t.String() && main == "" {
			main = l
		}
	}
	return surveys.Translated(main, m)
}

// editQuestionnairePage opens a stored version in the editor.
func (s *server) editQuestionnairePage(c *gin.Context) {
	q, err := s.questionnaireFor(c, c.Param("id"))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	v := s.editorData(c, q, q.ID, nil, "")
	v.Builtin = q.Builtin
	v.Workshops = s.workshopCount(c, q.ID)
	switch {
	case c.Query("enregistre") == "nouvelle":
		_, n := surveys.FamilyOf(q)
		v.Notice = fmt.Sprintf("Enregistré comme nouvelle version (v%d) : les ateliers déjà créés gardent la leur.", n)
	case c.Query("enregistre") != "":
		v.Notice = "Enregistré."
	case !q.EditableBy(currentUser(c)):
		v.Notice = "Ce questionnaire est celui d'un autre compte : vous pouvez le lire, le prévisualiser et en faire une copie (« Copier » dans la liste), pas l'enregistrer."
	}
	s.render(c, http.StatusOK, "staff/editor", gin.H{"User": v.User, "Editor": v})
}

// workshopCount counts the workshops, anyone's, that used a version.
func (s *server) workshopCount(c *gin.Context, id string) int {
	ws, err := s.Store.Workshops(c.Request.Context(), surveys.WorkshopFilter{QuestionnaireID: id})
	if err != nil {
		return 0
	}
	return len(ws)
}

// editorPost applies one editor action to the posted draft: change it
// and show it again, or save it.
func (s *server) editorPost(c *gin.Context) {
	id := c.Param("id")
	if err := c.Request.ParseForm(); err != nil {
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Le formulaire n'a pas pu être lu."))
		return
	}
	form := c.Request.PostForm
	q, typos := parseDraft(form)
	for i := range q.Items {
		fit(&q.Items[i])
	}
	focus, save := applyAction(q, form.Get("do"), form, bankItems())
	var builtin bool
	var workshops int
	if id != "" {
		prev, err := s.questionnaireFor(c, id)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		builtin, workshops = prev.Builtin, s.workshopCount(c, id)
	}
	if !save {
		var fields map[string]string
		if len(typos) > 0 {
			fields = typos
		}
		v := s.editorData(c, q, id, fields, focus)
		v.Builtin, v.Workshops = builtin, workshops
		s.render(c, http.StatusOK, "staff/editor", gin.H{"User": v.User, "Editor": v})
		return
	}
	err := withTypos(q.Validate(), typos)
	if err == nil {
		if id == "" {
			q.OwnerID = currentUser(c).ID
			err = s.Store.CreateQuestionnaire(c.Request.Context(), q)
			if err == nil {
				c.Redirect(http.StatusSeeOther, "/app/questionnaires/"+q.ID+"/edit?enregistre=1")
				return
			}
		} else {
			var created bool
			created, err = s.saveQuestionnaire(c, id, q)
			if err == nil {
				flag := "1"
				if created {
					flag = "nouvelle"
				}
				c.Redirect(http.StatusSeeOther, "/app/questionnaires/"+q.ID+"/edit?enregistre="+flag)
				return
			}
		}
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		s.pageFail(c, err)
		return
	}
	fields := surveys.ErrorFields(err)
	if fields == nil {
		fields = map[string]string{"title": surveys.ErrorMessage(err)}
	}
	v := s.editorData(c, q, id, fields, "erreurs")
	v.Builtin, v.Workshops = builtin, workshops
	s.render(c, http.StatusBadRequest, "staff/editor", gin.H{"User": v.User, "Editor": v})
}

// withTypos adds what parseDraft could not read to Validate's answer.
func withTypos(err error, typos map[string]string) error {
	if len(typos) == 0 {
		return err
	}
	fields := map[string]string{}
	for k, v := range surveys.ErrorFields(err) {
		fields[k] = v
	}
	for k, v := range typos {
		if prev := fields[k]; prev != "" {
			v += " ; " + prev
		}
		fields[k] = v
	}
	return &surveys.Error{Code: surveys.EINVALID, Message: "Le questionnaire n'est pas valide.", Fields: fields}
}

// previewPost serves the live preview: the pupil form of the posted draft.
func (s *server) previewPost(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		c.String(http.StatusBadRequest, "Formulaire illisible.")
		return
	}
	q, _ := parseDraft(c.Request.PostForm) // the preview shows the defaults
	for i := range q.Items {
		fit(&q.Items[i])
	}
	phase := surveys.PhasePre
	if c.PostForm("pv_phase") == "post" {
		phase = surveys.PhasePost
	}
	lang := c.PostForm("pv_lang")
	if !q.Offers(lang) {
		lang = q.Language
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(s.previewHTML(q, phase, lang)))
}

// questionnaireRow is one version in the questionnaires list.
type questionnaireRow struct {
	Q         *surveys.Questionnaire
	Version   int
	Workshops int
	Latest    bool
	// Editable: the user may save or delete it (Questionnaire.EditableBy).
	Editable bool
}

type questionnaireFamily struct {
	Family   string
	Latest   *surveys.Questionnaire
	Versions []questionnaireRow
	Builtin  bool
}

// questionnaireFamilies groups the questionnaires the user may see by
// family, newest version first, with how many workshops used each.
func (s *server) questionnaireFamilies(c *gin.Context) ([]questionnaireFamily, error) {
	ctx := c.Request.Context()
	qs, err := s.questionnairesFor(c)
	if err != nil {
		return nil, err
	}
	ws, err := s.Store.Workshops(ctx, surveys.WorkshopFilter{})
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, w := range ws {
		count[w.QuestionnaireID]++
	}
	var out []questionnaireFamily
	index := map[string]int{}
	for _, q := range qs {
		fam, n := surveys.FamilyOf(q)
		i, ok := index[fam]
		if !ok {
			i = len(out)
			index[fam] = i
			out = append(out, questionnaireFamily{Family: fam})
		}
		out[i].Versions = append(out[i].Versions, questionnaireRow{Q: q, Version: n, Workshops: count[q.ID], Editable: q.EditableBy(currentUser(c))})
		out[i].Builtin = out[i].Builtin || q.Builtin
	}
	for i := range out {
		vs := out[i].Versions
		slices.SortFunc(vs, func(a, b questionnaireRow) int { return b.Version - a.Version })
		vs[0].Latest = true
		out[i].Latest = vs[0].Q
	}
	return out, nil
}

func (s *server) questionnairesPage(c *gin.Context) {
	fams, err := s.questionnaireFamilies(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.render(c, http.StatusOK, "staff/questionnaires", gin.H{"User": currentUser(c), "Families": fams, "Deleted": c.Query("supprime") != ""})
}

// deleteQuestionnairePage deletes a version no workshop used, once confirmed.
func (s *server) deleteQuestionnairePage(c *gin.Context) {
	q, err := s.questionnaireToChange(c, c.Param("id"))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	_, n := surveys.FamilyOf(q)
	if !s.confirmed(c, confirmation{
		Title:  fmt.Sprintf("Supprimer « %s » (version %d) ?", q.Title.String(), n),
		Lines:  []string{"Aucun atelier n'a utilisé cette version : rien d'autre ne disparaît.", "Elle ne pourra pas être récupérée, sauf à l'importer de nouveau si vous l'avez exportée (XLSForm)."},
		Action: "/app/questionnaires/" + url.PathEscape(q.ID) + "/delete", Yes: "Oui, supprimer cette version", No: "Non, la garder", Back: "/app/questionnaires",
	}) {
		return
	}
	if err := s.deleteQuestionnaire(c, q.ID); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/questionnaires?supprime=1")
}
