package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/fr"
)

// indicatorForm is the indicator form as typed: shares in percent, changes
// in points, French decimals.
type indicatorForm struct {
	ID, Name, Measured, Measure, Threshold, Baseline, Target, From, To, Verification string
}

// measuredOption is one item or scale an indicator may measure.
type measuredOption struct {
	Value, Label string
}

// measuredGroup is a questionnaire's items and scales, for the form's list.
type measuredGroup struct {
	Title   string
	Options []measuredOption
}

func measuredValue(qid, kind, key string) string { return qid + "|" + kind + "|" + key }

// measuredGroups lists every scored item and every scale, questionnaire by
// questionnaire.
func measuredGroups(qs []*surveys.Questionnaire) []measuredGroup {
	var out []measuredGroup
	for _, q := range qs {
		g := measuredGroup{Title: q.Title.String()}
		for _, it := range q.Items {
			if it.Scored() {
				g.Options = append(g.Options, measuredOption{measuredValue(q.ID, "item", it.Key), shorten(it.Text.String(), 90) + " (" + it.Key + ")"})
			}
		}
		for _, sc := range q.Scales {
			g.Options = append(g.Options, measuredOption{measuredValue(q.ID, "scale", sc.Key), "Échelle : " + sc.Title.String() + " (" + sc.Key + ")"})
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// formOf writes an indicator the way the form shows it.
func formOf(ind *surveys.Indicator) indicatorForm {
	f := indicatorForm{ID: ind.ID, Name: ind.Name, Measure: string(ind.Measure), From: ind.From, To: ind.To, Verification: ind.Verification}
	if ind.Item != "" {
		f.Measured = measuredValue(ind.QuestionnaireID, "item", ind.Item)
	} else {
		f.Measured = measuredValue(ind.QuestionnaireID, "scale", ind.Scale)
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		x := *v
		if ind.Measure.Share() {
			x *= 100
		}
		return strings.ReplaceAll(fr.Short(x, 2), fr.Minus, "-")
	}
	f.Baseline, f.Target = num(ind.Baseline), num(ind.Target)
	if ind.Threshold != nil {
		f.Threshold = fr.Short(*ind.Threshold, 2)
	}
	return f
}

// parseFrench reads « 40 », « 40 % », « 0,5 » or « -0.2 »; "" is nil.
func parseFrench(s string) (*float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "%", "", ",", ".", fr.Minus, "-").Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// request turns the form into an indicator request; problems with what
// was typed are named by form field.
func (f indicatorForm) request() (indicatorRequest, map[string]string) {
	req := indicatorRequest{Name: f.Name, Measure: f.Measure, From: f.From, To: f.To, Verification: f.Verification}
	bad := map[string]string{}
	parts := strings.Split(f.Measured, "|")
	switch {
	case len(parts) == 3 && parts[1] == "item":
		req.QuestionnaireID, req.Item = parts[0], parts[2]
	case len(parts) == 3 && parts[1] == "scale":
		req.QuestionnaireID, req.Scale = parts[0], parts[2]
	default:
		bad["measured"] = "choisissez la question ou l'échelle mesurée"
	}
	share := surveys.Measure(f.Measure).Share()
	for _, n := range []struct {
		field, text string
		to          **float64
	}{{"threshold", f.Threshold, &req.Threshold}, {"baseline", f.Baseline, &req.Baseline}, {"target", f.Target, &req.Target}} {
		v, ok := parseFrench(n.text)
		if !ok {
			bad[n.field] = "un nombre, par exemple 40 ou 0,5"
			continue
		}
		if v != nil && share && n.field != "threshold" {
			*v /= 100
		}
		*n.to = v
	}
	return req, bad
}

// formFields moves the domain's field names to the form's.
func formFields(fields map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		switch k {
		case "item", "scale", "questionnaire_id":
			k = "measured"
		case "baseline", "target":
			v = strings.Replace(v, "une part entre 0 et 1 (0,6 pour 60 %)", "un pourcentage entre 0 et 100", 1)
		case "threshold":
			v = strings.Replace(v, "pour share_at_least", "pour une part « au moins égale au seuil »", 1)
		}
		out[k] = v
	}
	return out
}

// indicatorLabels name the form's fields in the list of problems.
var indicatorLabels = map[string]string{
	"name": "Nom", "measured": "Question ou échelle", "measure": "Mesure", "threshold": "Seuil",
	"baseline": "Valeur de référence", "target": "Cible", "from": "Début de la période", "to": "Fin de la période",
	"verification": "Moyen de vérification",
}

func (s *server) renderIndicatorForm(c *gin.Context, status int, form indicatorForm, fields map[string]string) {
	qs, err := s.Store.Questionnaires(c.Request.Context())
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"User": currentUser(c), "Form": form, "Groups": measuredGroups(qs), "Measures": surveys.Measures(), "Fields": fields,
		"Labels": indicatorLabels}
	if len(fields) > 0 {
		data["Error"] = "L'indicateur n'est pas enregistré : corrigez ce qui est signalé."
	}
	s.render(c, status, "staff/indicator_form", data)
}

// indicatorsPage lists the indicators with their definitions.
func (s *server) indicatorsPage(c *gin.Context) {
	ctx := c.Request.Context()
	list, err := s.Store.Indicators(ctx)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	rows := make([]logframeRow, 0, len(list))
	for _, ind := range list {
		row := logframeRow{Indicator: ind}
		if q, err := s.Store.Questionnaire(ctx, ind.QuestionnaireID); err == nil {
			row.Questionnaire, row.Measured, row.Describe = q.Title.String(), measuredText(q, ind), ind.Describe(q)
		}
		rows = append(rows, row)
	}
	s.render(c, http.StatusOK, "staff/indicators", gin.H{"User": currentUser(c), "Rows": rows, "Deleted": c.Query("supprime") == "1"})
}

func (s *server) newIndicatorPage(c *gin.Context) {
	s.renderIndicatorForm(c, http.StatusOK, indicatorForm{Measure: string(surveys.ShareImproved)}, nil)
}

func (s *server) editIndicatorPage(c *gin.Context) {
	ind, err := s.Store.Indicator(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.renderIndicatorForm(c, http.StatusOK, formOf(ind), nil)
}

func postedIndicatorForm(c *gin.Context) indicatorForm {
	return indicatorForm{
		ID: c.Param("id"), Name: c.PostForm("name"), Measured: c.PostForm("measured"), Measure: c.PostForm("measure"),
		Threshold: c.PostForm("threshold"), Baseline: c.PostForm("baseline"), Target: c.PostForm("target"),
		From: c.PostForm("from"), To: c.PostForm("to"), Verification: c.PostForm("verification"),
	}
}

// saveIndicatorPage creates (no id) or updates an indicator; a refused one
// re-shows the form as typed, every problem beside its field.
func (s *server) saveIndicatorPage(c *gin.Context) {
	form := postedIndicatorForm(c)
	req, bad := form.request()
	if len(bad) > 0 {
		s.renderIndicatorForm(c, http.StatusBadRequest, form, bad)
		return
	}
	var err error
	if form.ID == "" {
		_, err = s.createIndicator(c, req)
	} else {
		_, err = s.updateIndicator(c, form.ID, req)
	}
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			s.renderIndicatorForm(c, http.StatusBadRequest, form, formFields(surveys.ErrorFields(err)))
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/logframe")
}

func (s *server) deleteIndicatorPage(c *gin.Context) {
	if c.PostForm("confirm") != "1" {
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Cochez « Je confirme la suppression » pour supprimer l'indicateur."))
		return
	}
	if err := s.Store.DeleteIndicator(c.Request.Context(), c.Param("id")); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/indicators?supprime=1")
}
