package templates

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

// sampleReport stands for the handlers' report view: its fields and
// methods.
type sampleReport struct {
	Filter        surveys.WorkshopFilter
	Questionnaire *surveys.Questionnaire
	*surveys.Report
	Organisation       *surveys.Settings
	LogoURL, Produced  string
	Source, ChartBase  string
	Sentences, Limits  []string
	Indicators         []any
	Quotes, Candidates []map[string]string
}

func (sampleReport) Query() template.URL { return "questionnaire_id=q1&from=2026-01-01" }
func (sampleReport) Empty() bool         { return false }
func (sampleReport) PeriodText() string  { return "du 1er janvier 2026 au 24 novembre 2026" }
func (sampleReport) FilterText() string  { return "étiquette « <script> »" }
func (sampleReport) PairingRate() *float64 {
	v := 0.5
	return &v
}

// sampleData has every field some page reads, with real domain types.
func sampleData() map[string]any {
	mean, attendance := 3.5, 20
	w := &surveys.Workshop{ID: "w1", Code: "ABC234", Title: "Atelier <script>", Date: "2026-11-24", Partner: "Collège", Group: "4e B", Tags: []string{"odd"}, Phase: surveys.PhasePre}
	q := &surveys.Questionnaire{ID: "q1", Title: surveys.NewText("ODD"), Items: []surveys.Item{{Key: "l1", Type: surveys.Likert, Text: surveys.NewText("Question"), Scale: &surveys.Range{Min: 1, Max: 5}}}}
	res := &surveys.Results{NPre: 2, NPost: 1, NPaired: 1,
		Items: []surveys.ItemResult{
			{Key: "l1", Type: surveys.Likert, Text: "Question", Min: 1, Max: 5, Pre: surveys.PhaseSummary{N: 2, Mean: &mean}, Reading: "En clair."},
			{Key: "k1", Type: surveys.Quiz, Text: "Quiz", Min: 0, Max: 1, Reading: "En clair.",
				Paired: surveys.Paired{N: 6, CI95: &[2]float64{-0.2, 0.9}, T: &surveys.TTest{T: 1.2, DF: 5, P: 0.04, PHolm: &mean},
					Wilcoxon: &surveys.Wilcoxon{V: 12, P: 0.0004, Method: "exact"}, EffectSizeDz: &mean},
				Unpaired: surveys.Unpaired{Welch: &surveys.TTest{T: 1, DF: 9.5, P: 0.3}, MannWhitney: &surveys.MannWhitney{W: 20, P: 0.2}},
				McNemar:  &surveys.McNemar{B: 3, C: 1, Statistic: &mean, P: &mean}},
		},
		Scales: []surveys.ScaleResult{{Key: "s", Title: "Échelle", Items: []string{"l1"}}},
		Texts:  []surveys.TextAnswers{{Key: "t", Text: "Tes mots", Answers: []surveys.TextItemAnswer{{Phase: surveys.PhasePost, Text: "merci"}}}}}
	return map[string]any{
		"User": &surveys.User{Email: "a@example.org", Role: surveys.RoleAdmin}, "Workshop": w, "Workshops": []*surveys.Workshop{w},
		"Questionnaire": q, "Questionnaires": []*surveys.Questionnaire{q}, "Results": res, "Version": 1,
		"Links": map[string]string{"FormURL": "http://x/f/ABC234"}, "Counts": map[string]int{"pre": 2, "post": 0},
		"Form": map[string]string{"QuestionnaireID": "q1", "Title": "", "Date": "2026-11-24", "TagsText": "odd",
			"ID": "i1", "Name": "Part <script>", "Measured": "q1|item|l1", "Measure": "share_improved", "Threshold": "", "Baseline": "30",
			"Target": "60", "From": "", "To": "", "Verification": "<script>"},
		"Phase": surveys.PhasePre, "Title": "Erreur", "Message": "Message", "Code": "ZZZ", "Error": "",
		"Items": everyItem(), "Action": "/f/ABC234", "SubmissionID": "s", "Lang": "fr",
		"Languages":  []struct{ Code, Name string }{{"fr", "Français"}, {"pt", "Português"}},
		"CodeErrors": map[string]string{"jour": "le jour de naissance va de 1 à 31"}, "CodeShown": "M · 12 mars · A",
		// Accounts: users, one-time password, tokens.
		"Users": []*surveys.User{{ID: "u1", Email: "a@example.org", Role: surveys.RoleAdmin}, {ID: "u2", Email: "b<script>@example.org", Role: surveys.RoleFacilitator, Disabled: true, MustChangePassword: true}},
		"Roles": surveys.Roles, "Done": true, "Reset": true, "Name": "<script>",
		"Created": map[string]string{"Email": "b@example.org", "Password": "abcd-efgh-jkmn-pqrs", "Name": "<script>", "Secret": "dcl_x"},
		// Reports.
		"Report": sampleReport{Filter: surveys.WorkshopFilter{From: "2026-01-01", Partner: "Collège <script>"}, Questionnaire: q,
			Organisation: &surveys.Settings{OrganisationName: "Solidarités <script>"}, LogoURL: "/app/organisation/logo?v=1",
			Produced: "29 novembre 2026", Source: "Source : <script>", ChartBase: "odd-2026", Sentences: []string{"Une <script>."},
			Limits:     []string{"Déclaratif <script>."},
			Quotes:     []map[string]string{{"Text": "Merci <script>", "Question": "Tes mots", "Workshop": "Atelier"}},
			Candidates: []map[string]string{{"Ref": "w|r|t", "Text": "Merci <script>", "Question": "Tes mots", "Workshop": "Atelier"}},
			Report: &surveys.Report{Results: res, Participants: 3, Attendance: &attendance, ResponseRatePre: &mean,
				PerWorkshop: []surveys.WorkshopRow{{ID: "w1", Title: "Atelier <script>", Date: "2026-11-24", Attendance: 20, NPre: 2}},
				Breakdowns: []surveys.Breakdown{{Key: "genre", Text: "Tu es <script>", Groups: []surveys.Group{
					{Value: "f", Label: "une fille", Participants: 6, Measures: []surveys.GroupMeasure{{Key: "l1", Paired: &surveys.Paired{N: 5, Improved: 3}}, {Key: "k1"}, {Key: "s"}}},
					{Value: "g", Label: "un garçon", Hidden: true}}}}}},
		"Query":    url.Values{"from": {"2026-01-01"}, "questionnaire_id": {"q1"}},
		"Charts":   []struct{ Name, File, Title string }{{"prepost", "avant-apres", "Moyennes"}},
		"Problems": map[string]string{"questionnaire_id": "choisissez <script>"},
		"Tokens": []struct {
			*surveys.Token
			Expired bool
		}{{Token: &surveys.Token{ID: "t1", Name: "Tableur <script>", CreatedOn: "2026-03-01", LastUsedOn: "2026-03-02", ExpiresOn: "2027-03-01"}},
			{Token: &surveys.Token{ID: "t2", Name: "Sauvegarde", CreatedOn: "2025-03-01", ExpiresOn: "2026-03-01"}, Expired: true}},
	}
}

// everyItem is one question of each type, with a retrospective last.
func everyItem() []ItemView {
	q, err := surveys.ParseDefinition([]byte(`{"title": "T", "languages": ["pt"], "items": [
	  {"key": "l1", "type": "likert", "text": {"fr": "Likert <script>", "pt": "Likert pt"}, "scale": {"min": 1, "max": 5, "labels": ["Non", "", "", "", "Oui"]}},
	  {"key": "n1", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10, "labels": ["0 nul", "", "", "", "", "", "", "", "", "", "10 top"]}},
	  {"key": "y1", "type": "yesno", "text": "Oui ?"},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A <script>"}, {"value": "b", "label": "B"}], "correct": "b"},
	  {"key": "c1", "type": "choice", "text": "Choix", "multiple": true, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
	  {"key": "t1", "type": "text", "text": "Texte", "required": false},
	  {"key": "r1", "type": "retro", "text": "Rétro", "scale": {"min": 1, "max": 5}}
	]}`))
	if err != nil {
		panic(err)
	}
	var out []ItemView
	given := map[string][]string{"a_l1": {"2"}, "a_c1": {"a", "b"}, "a_t1": {"mon <script> texte"}, "a_r1.before": {"1"}}
	for i, it := range q.ItemsFor(surveys.PhasePost) {
		out = append(out, ItemView{Item: it, Num: i + 1, Lang: "fr", Given: given, Error: "", FirstRetro: it.Retrospective()})
	}
	return out
}

// Every page renders: a template error is a test failure here, not a
// broken page in front of a class; user text comes out escaped.
func TestEveryPageRenders(t *testing.T) {
	tmpl, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if len(tmpl.Names()) < 10 {
		t.Errorf("only %d pages: %v", len(tmpl.Names()), tmpl.Names())
	}
	for _, name := range tmpl.Names() {
		var buf bytes.Buffer
		data := sampleData()
		if err := tmpl.Render(&buf, name, data); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		page := buf.String()
		if !strings.Contains(page, `<html lang="fr">`) {
			t.Errorf("%s: no French html element", name)
		}
		if strings.Contains(page, "<script>") {
			t.Errorf("%s: user text not escaped", name)
		}
	}
}

// Pages link static files by a content-versioned URL, which browsers may
// keep for a year: the URL changes when the file does.
func TestStaticURLsAreVersioned(t *testing.T) {
	tmpl, err := New()
	if err != nil {
		t.Fatal(err)
	}
	css, err := fs.ReadFile(Static(), "pupil.css")
	if err != nil {
		t.Fatal(err)
	}
	want := "/static/pupil.css?v=" + AssetHash(css)
	var buf bytes.Buffer
	if err := tmpl.Render(&buf, "pupil/closed", sampleData()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `href="`+want+`"`) {
		t.Errorf("pupil page does not link %s", want)
	}
	if got := StaticURL("nope.css"); got != "/static/nope.css" {
		t.Errorf("StaticURL(unknown) = %q", got)
	}
}

// Each item type draws its own answers, with what the pupil had picked
// checked again, in the form's language.
func TestPupilFormDrawsEveryItemType(t *testing.T) {
	tmpl, err := New()
	if err != nil {
		t.Fatal(err)
	}
	render := func(lang string) string {
		t.Helper()
		data := sampleData()
		items := everyItem()
		for i := range items {
			items[i].Lang = lang
		}
		data["Items"], data["Lang"] = items, lang
		var buf bytes.Buffer
		if err := tmpl.Render(&buf, "pupil/form", data); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	page := render("fr")
	for _, want := range []string{
		`name="a_l1" value="2" checked`, `<span>Non</span>`, // likert, labelled
		`<span>0 nul</span><span>10 top</span>`, `name="a_n1" value="10"`, // scale ends
		`name="a_y1" value="1"><span>Oui</span>`,                                                     // yes/no
		`name="a_k1" value="a"><span>A &lt;script&gt;</span>`,                                        // quiz, escaped
		`type="checkbox" id="a_c1_0" name="a_c1" value="a" checked`, `name="a_c1" value="b" checked`, // multiple
		`<textarea id="a_t1" name="a_t1" rows="4" maxlength="2000">mon &lt;script&gt; texte</textarea>`,
		`name="a_r1.before" value="1" checked`, `name="a_r1.now" value="5"`, `id="retro"`, // retrospective, last step
		`<html lang="fr">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if pt := render("pt"); !strings.Contains(pt, "Likert pt") || !strings.Contains(pt, "<span>Sim</span>") || !strings.Contains(pt, `<html lang="pt">`) {
		t.Errorf("Portuguese form lacks its translations")
	}
}
