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
		"QuestionnaireChoices": []struct{ ID, Label string }{{"q1", "ODD <script> (version 2)"}},
		"Links":                map[string]string{"FormURL": "http://x/f/ABC234"}, "Counts": map[string]int{"pre": 2, "post": 0},
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
		// Classroom modes: paper sheets, their data entry, the live page.
		"Blocks": sampleBlocks(), "Sheets": []int{1, 2}, "Count": 2, "FirstSheet": 1, "QTitle": "ODD <script>",
		"Entry": map[string]any{"Phase": surveys.PhasePre, "Items": samplePaperItems(), "Sheets": []int{1, 3}, "Next": 4, "Saved": 3,
			"Row":     map[string]any{"Sheet": "3", "Code": [4]string{"M", "", "", ""}, "Cells": map[string]string{"s_l1": "9"}, "Errors": map[string]string{"s_l1": "« 9 » : 1 à 5"}},
			"Problem": []map[string]string{{"ID": "cell-s_l1", "Label": "Q1", "Message": "« 9 » : 1 à 5"}}},
		"Live": sampleLive(), "Moderation": sampleModeration(),
	}
}

// sampleBlocks are a printed sheet's blocks: a grid of two questions, a
// retrospective grid, and questions on their own.
func sampleBlocks() []map[string]any {
	items := samplePaperItems()
	choices := items[0]["Choices"]
	return []map[string]any{
		{"Grid": true, "Caption": "", "Num": 0, "Choices": choices, "Rows": []map[string]any{{"Num": 1, "Text": "Likert <script>"}, {"Num": 2, "Text": "Encore"}}, "Item": nil},
		{"Grid": true, "Caption": "Rétro <script>", "Num": 3, "Choices": choices, "Rows": []map[string]any{{"Num": 0, "Text": "Avant"}, {"Num": 0, "Text": "Aujourd'hui"}}, "Item": nil},
		{"Grid": false, "Caption": "", "Num": 0, "Choices": nil, "Rows": nil, "Item": items[1]},
		{"Grid": false, "Caption": "", "Num": 0, "Choices": nil, "Rows": nil, "Item": items[3]},
	}
}

// samplePaperItems are paper questions as the handlers build them: a
// numeric item, a multiple choice, a retrospective pair and free text.
func samplePaperItems() []map[string]any {
	cell := func(name, head, rule, codes string, width int, text, multi bool) map[string]any {
		return map[string]any{"Name": name, "Head": head, "Rule": rule, "Codes": codes, "Width": width, "Text": text, "Multi": multi, "Item": name, "Label": head}
	}
	choice := func(code, label string) map[string]any {
		return map[string]any{"Code": code, "Label": label, "Value": code}
	}
	five := []map[string]any{choice("1", "Non <script>"), choice("2", ""), choice("3", ""), choice("4", ""), choice("5", "Oui")}
	return []map[string]any{
		{"Num": 1, "Key": "l1", "Text": "Likert <script>", "Help": "", "Choices": five, "Multiple": false, "FreeText": false, "Halves": nil, "Ends": nil,
			"Cells": []map[string]any{cell("s_l1", "Q1", "1 à 5", "1 2 3 4 5", 1, false, false)}},
		{"Num": 2, "Key": "c1", "Text": "Choix", "Help": "", "Choices": five[:2], "Multiple": true, "FreeText": false, "Halves": nil, "Ends": []string{"bas", "haut"},
			"Cells": []map[string]any{cell("s_c1", "Q2", "un ou plusieurs de 1 à 2", "1 2", 2, false, true)}},
		{"Num": 3, "Key": "r1", "Text": "Rétro", "Help": "", "Choices": five, "Multiple": false, "FreeText": false, "Halves": []string{"Avant", "Aujourd'hui"}, "Ends": nil,
			"Cells": []map[string]any{cell("s_r1.before", "Q3 av.", "1 à 5", "1 2 3 4 5", 1, false, false), cell("s_r1.now", "Q3 auj.", "1 à 5", "1 2 3 4 5", 1, false, false)}},
		{"Num": 4, "Key": "t1", "Text": "Texte", "Help": "", "Choices": nil, "Multiple": false, "FreeText": true, "Halves": nil, "Ends": nil,
			"Cells": []map[string]any{cell("s_t1", "Q4", "texte", "", 24, true, false)}},
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

// sampleLive is the live page's content: a question shown PRE and POST,
// one waiting for answers, approved free text.
func sampleLive() map[string]any {
	bar := func(label string, pre, post int, correct bool) map[string]any {
		return map[string]any{"Label": label, "Pre": pre, "Post": post, "Correct": correct}
	}
	item := func(num int, key string, shown, free, halves bool) map[string]any {
		return map[string]any{"Num": num, "Key": key, "Text": "Question <script>", "Shown": shown, "FreeText": free, "Halves": halves,
			"ShowPre": shown, "ShowPost": shown, "Pre": 6, "Post": 7, "Need": 2, "WaitPost": 0,
			"Bars": []map[string]any{bar("Oui <script>", 40, 60, true), bar("Non", 60, 40, false)}, "Quotes": []string{"merci <script>"}}
	}
	return map[string]any{"Phase": surveys.PhasePost, "Compare": true, "NPre": 6, "NPost": 7, "Min": 5, "Version": int64(3),
		"Items": []map[string]any{item(1, "a", true, false, false), item(2, "b", false, false, false), item(3, "t", true, true, false), item(4, "r", true, false, true)}}
}

func sampleModeration() map[string]any {
	return map[string]any{"Waiting": 1, "Items": []map[string]any{{"Key": "t1", "Text": "Qu'as-tu appris ?", "Answers": []map[string]any{
		{"ResponseID": "r1", "Phase": surveys.PhasePost, "Text": "Les ODD <script>", "State": ""},
		{"ResponseID": "r2", "Phase": surveys.PhasePost, "Text": "Rien", "State": "shown"}}}}}
}
