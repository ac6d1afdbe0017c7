package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
	"declic/surveys/library"
)

// canonical is a definition as the contract compares them: what it asks,
// not where it is stored, and required only where it departs from the
// type's default.
func canonical(t *testing.T, q *surveys.Questionnaire) string {
	t.Helper()
	c := q.Clone()
	c.ID, c.Builtin, c.OwnerID = "", false, ""
	c.CreatedAt = c.CreatedAt.UTC().Truncate(0)
	c.CreatedAt = c.CreatedAt.AddDate(-c.CreatedAt.Year()+1, 0, 0)
	for i := range c.Items {
		it := &c.Items[i]
		if it.Required != nil {
			r := *it.Required
			it.Required = nil
			if it.IsRequired() != r {
				it.Required = &r
			}
		}
	}
	data, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func roundTrip(t *testing.T, q *surveys.Questionnaire) (*XLSFormImport, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSForm(&buf, q); err != nil {
		t.Fatalf("WriteXLSForm: %v", err)
	}
	imp, err := ReadXLSForm(buf.Bytes())
	if err != nil {
		t.Fatalf("ReadXLSForm of Déclic's own export: %v", err)
	}
	return imp, buf.Bytes()
}

func TestXLSFormRoundTripLibrary(t *testing.T) {
	qs, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		t.Run(q.ID, func(t *testing.T) {
			imp, _ := roundTrip(t, q)
			if len(imp.Warnings) != 0 {
				t.Errorf("warnings on Déclic's own export: %q", imp.Warnings)
			}
			if got, want := canonical(t, imp.Questionnaire), canonical(t, q); got != want {
				t.Errorf("round trip changed the definition: %s", lineDiff(got, want))
			}
		})
	}
}

// every has one item of every type, translations (one missing), an
// unlabelled likert, partial labels, explicit required and phases.
const every = `{
  "title": {"fr": "Tout", "pt": "Tudo"},
  "description": "Un questionnaire de test.",
  "theme": "ODD",
  "language": "fr",
  "languages": ["fr", "pt"],
  "items": [
    {"key": "q1", "type": "likert", "text": {"fr": "Je peux agir.", "pt": "Posso agir."}, "help": "Une aide", "scale": {"min": 1, "max": 5, "labels": [{"fr": "Pas du tout", "pt": "Nada"}, "", "", "", "Tout à fait"]}},
    {"key": "q2", "type": "likert", "text": "Les autres m'intéressent.", "scale": {"min": 1, "max": 4}, "reverse": true},
    {"key": "n1", "type": "scale", "text": "De 0 à 10 ?", "scale": {"min": 0, "max": 10}, "required": false},
    {"key": "k1", "type": "quiz", "text": "Combien d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": {"fr": "17", "pt": "dezassete"}}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "As-tu déjà voyagé ?", "phases": ["pre"]},
    {"key": "c1", "type": "choice", "text": "Tes sujets", "multiple": true, "options": [{"value": "a", "label": "Climat"}, {"value": "b", "label": "Droits"}]},
    {"key": "c2", "type": "choice", "text": "Ton âge", "profile": true, "required": false, "phases": ["pre"], "options": [{"value": "m15", "label": "Moins de 15 ans"}, {"value": "p15", "label": "15 ans et plus"}]},
    {"key": "t1", "type": "text", "text": "Qu'as-tu appris ?", "phases": ["post"], "required": true},
    {"key": "r1", "type": "retro", "text": "Avant et maintenant", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout", "", "", "", "Tout à fait"]}},
    {"key": "q3", "type": "likert", "text": "Encore", "scale": {"min": 1, "max": 4}}
  ],
  "scales": [{"key": "ouverture", "title": {"fr": "Ouverture", "pt": "Abertura"}, "items": ["q2", "q3"]}]
}`

func TestXLSFormRoundTripEveryType(t *testing.T) {
	q, err := surveys.ParseDefinition([]byte(every))
	if err != nil {
		t.Fatal(err)
	}
	imp, data := roundTrip(t, q)
	if len(imp.Warnings) != 0 {
		t.Errorf("warnings: %q", imp.Warnings)
	}
	if got, want := canonical(t, imp.Questionnaire), canonical(t, q); got != want {
		t.Errorf("round trip changed the definition: %s", lineDiff(got, want))
	}
	// What other tools read: standard types, lists and language columns.
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("survey")
	head := strings.Join(rows[0], "|")
	for _, want := range []string{"type|name|label::Français (fr)|label::Português (pt)|hint::Français (fr)", "required", "declic_type"} {
		if !strings.Contains(head, want) {
			t.Errorf("survey header %q lacks %q", head, want)
		}
	}
	types := map[string]string{}
	for _, r := range rows[1:] {
		types[r[1]] = r[0]
	}
	for key, want := range map[string]string{"q1": "select_one q1", "q2": "integer", "n1": "integer", "k1": "select_one k1", "y1": "select_one y1", "c1": "select_multiple c1", "t1": "text"} {
		if types[key] != want {
			t.Errorf("type of %s = %q, want %q", key, types[key], want)
		}
	}
	if sheets := f.GetSheetList(); strings.Join(sheets, ",") != "survey,choices,settings,declic_scales" {
		t.Errorf("sheets = %v", sheets)
	}
}

// A form written by hand in another tool's way maps to Déclic's types.
func TestXLSFormForeignMapping(t *testing.T) {
	f := excelize.NewFile()
	set := func(sheet string, rows [][]any) {
		if sheet != "Sheet1" {
			f.NewSheet(sheet)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(sheet, cell, &row)
		}
	}
	f.SetSheetName("Sheet1", "Survey")
	set("Survey", [][]any{
		{"type", "name", "label::English (en)", "label::Português (pt)", "hint::English (en)", "required", "constraint", "relevant", "parameters"},
		{"note", "intro", "Welcome to the survey", "Bem-vindo"},
		{"integer", "Agree-1", "I can act", "Posso agir", "", "yes", ". >= 1 and . <= 5"},
		{"integer", "grade", "Your grade", "", "", "", "0 <= . and . < 11"},
		{"integer", "age", "Your age"},
		{"range", "slider", "How much?", "", "", "", "", "", "start=0 end=10 step=1"},
		{"decimal", "height", "Height"},
		{"select one from yn", "travel", "Travelled?", "Viajou?", "", "TRUE"},
		{"select_multiple topics or_other", "topics", "Topics", "", "", "", "", "${travel} = 'yes'"},
		{"begin_group", "g1", "Group"},
		{"geopoint", "where", "Where?"},
		{"text", "name", "Your words"},
		{"end_group"},
		{"begin repeat", "kids", "Kids"},
		{"text", "kid", "Kid"},
		{"end repeat"},
		{"start", "start"},
		{"note", "hint_note", "Now think"},
		{"select_one nums", "level", "Level"},
		{"calculate", "c", "", "", "", "", "", "", ""},
	})
	set("choices", [][]any{
		{"list name", "name", "label::English (en)", "label::Português (pt)"},
		{"yn", "Yes", "Yes", "Sim"},
		{"yn", "No", "No", "Não"},
		{"topics", "climate", "Climate", "Clima"},
		{"topics", "Human rights", "Human rights", ""},
		{"nums", "1", "Low"},
		{"nums", "2", "Mid"},
		{"nums", "3", "High"},
	})
	set("settings", [][]any{{"form_title", "default_language"}, {"Youth survey", "English (en)"}})
	var buf bytes.Buffer
	f.WriteTo(&buf)
	imp, err := ReadXLSForm(buf.Bytes())
	if err != nil {
		t.Fatalf("ReadXLSForm: %v", err)
	}
	q := imp.Questionnaire
	if q.Language != "en" || strings.Join(q.Languages, ",") != "en,pt" || q.Title.String() != "Youth survey" {
		t.Errorf("language %q languages %v title %q", q.Language, q.Languages, q.Title)
	}
	if q.Description.String() != "Welcome to the survey" {
		t.Errorf("description = %q, want the first note", q.Description)
	}
	var got []string
	for _, it := range q.Items {
		s := it.Key + ":" + string(it.Type)
		if it.Scale != nil {
			s += ":" + strings.Trim(strings.Join(strings.Fields(strings.Trim(strings.ReplaceAll(string(mustJSON(t, []int{it.Scale.Min, it.Scale.Max})), ",", " "), "[]")), "-"), "")
		}
		if it.Multiple {
			s += ":multiple"
		}
		got = append(got, s)
	}
	want := "agree_1:likert:1-5 grade:scale:0-10 age:text slider:scale:0-10 height:text travel:yesno topics:choice:multiple name:text level:choice"
	if strings.Join(got, " ") != want {
		t.Errorf("items =\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
	if it, _ := q.Item("agree_1"); it.Text.In("pt") != "Posso agir" || !it.IsRequired() {
		t.Errorf("agree_1: pt %q required %v", it.Text.In("pt"), it.IsRequired())
	}
	if it, _ := q.Item("grade"); it.IsRequired() {
		t.Errorf("grade is required, but its required column is empty")
	}
	if it, _ := q.Item("level"); it.Help.String() != "Now think" {
		t.Errorf("level help = %q, want the note before it", it.Help)
	}
	if it, _ := q.Item("topics"); it.Options[1].Value != "human_rights" {
		t.Errorf("topics options = %+v", it.Options)
	}
	for _, want := range []string{
		"ligne 3 : le nom « Agree-1 » devient « agree_1 »",
		"ligne 5 : question « age » : nombre sans bornes",
		"ligne 7 : question « height » : Déclic n'a pas de nombre à virgule",
		"ligne 9 : question « topics » : la réponse « Autre » à préciser (or_other)",
		"ligne 9 : question « topics » : sa condition d'affichage (relevant) est ignorée",
		"ligne 10 : groupe « g1 »",
		"ligne 11 : type « geopoint » non pris en charge, question « where » ignorée",
		"ligne 14 : répétition « kids »",
		"ligne 17 : « start » (start) ignoré",
		"ligne 19 : la note qui précède devient l'aide de la question « level »",
		"ligne 19 : question « level » : ses réponses sont numérotées comme une échelle",
		"ligne 20 : calcul « c »",
		"feuille choices, ligne 5 : la réponse « Human rights » est renommée « human_rights »",
	} {
		if !containsPrefix(imp.Warnings, want) {
			t.Errorf("no warning starting %q in\n%s", want, strings.Join(imp.Warnings, "\n"))
		}
	}
	if containsPrefix(imp.Warnings, "ligne 15") {
		t.Errorf("a question inside a repeat is warned about on its own: %q", imp.Warnings)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func readTestForm(t *testing.T, name string) *XLSFormImport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "xlsform", name))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ReadXLSForm(data)
	if err != nil {
		t.Fatalf("ReadXLSForm(%s): %v", name, err)
	}
	return imp
}

// The XLSForm specification's own test form (pyxform, ODK): nearly every
// feature, so mostly warnings, and the questions Déclic can ask kept.
func TestXLSFormPublicSpecForm(t *testing.T) {
	imp := readTestForm(t, "xlsform_spec_test.xlsx")
	q := imp.Questionnaire
	if q.Title.String() != "Spec test" || q.Language != "en" || strings.Join(q.Languages, ",") != "en,zh" {
		t.Errorf("title %q language %q languages %v", q.Title, q.Language, q.Languages)
	}
	var keys []string
	for _, it := range q.Items {
		keys = append(keys, it.Key+":"+string(it.Type))
	}
	want := "skip_to_end:yesno my_name:text address:text text_image_audio_video_test:text autocomplete_test:yesno autocomplete_chars_test:yesno a_integer:text a_decimal:text _1:text false:text launch:text"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("items =\n %s\nwant\n %s", got, want)
	}
	if it, _ := q.Item("address"); it == nil || it.Text.In("zh") != "您好" || !it.Help.IsZero() {
		t.Errorf("address = %+v, want its Chinese label and no help (written in Chinese only)", it)
	}
	for _, want := range []string{
		"feuille survey : des cellules contiennent une formule (K22, B55)",
		"ligne 3 : groupe « everything »",
		"ligne 6 : « address » : l'aide (hint) n'est pas écrite en « en »",
		"ligne 5 : note « invalid_variable » : elle cite d'autres réponses",
		"ligne 9 : question « text_image_audio_video_test » : les images, sons et vidéos ne sont pas importés",
		"ligne 13 : question « a_integer » : nombre sans bornes",
		"ligne 14 : question « a_decimal » : Déclic n'a pas de nombre à virgule",
		"ligne 14 : question « a_decimal » : contrainte",
		"ligne 15 : répétition « repeat_test »",
		"ligne 30 : type « acknowledge » non pris en charge",
		"ligne 31 : type « date » non pris en charge",
		"ligne 34 : type « geopoint » non pris en charge",
		"ligne 36 : type « image » non pris en charge",
		"ligne 40 : calcul « calculate_test »",
		"ligne 42 : « start » (start) ignoré",
		"ligne 48 : « deviceid » (deviceid) ignoré",
		"ligne 52 : « phonenumber » (phonenumber) ignoré",
		"ligne 55 : le nom « FALSE » devient « false »",
	} {
		if !containsPrefix(imp.Warnings, want) {
			t.Errorf("no warning starting %q in\n%s", want, strings.Join(imp.Warnings, "\n"))
		}
	}
}

// pyxform's older spellings: "select one from", "label:english", "list name".
func TestXLSFormOlderSpellings(t *testing.T) {
	imp := readTestForm(t, "yes_or_no_question.xlsx")
	q := imp.Questionnaire
	if len(q.Items) != 1 || q.Items[0].Key != "good_day" || q.Items[0].Type != surveys.YesNo || q.Language != "en" {
		t.Fatalf("items %+v language %q", q.Items, q.Language)
	}
	if q.Items[0].Text.String() != "have you had a good day today?" {
		t.Errorf("text = %q", q.Items[0].Text)
	}
}

func TestXLSFormBadInput(t *testing.T) {
	noSurvey := excelize.NewFile()
	noSurvey.SetCellValue("Sheet1", "A1", "type")
	var noSurveyBuf bytes.Buffer
	noSurvey.WriteTo(&noSurveyBuf)

	nothing := excelize.NewFile()
	nothing.SetSheetName("Sheet1", "survey")
	nothing.SetSheetRow("survey", "A1", &[]any{"type", "name", "label"})
	nothing.SetSheetRow("survey", "A2", &[]any{"geopoint", "where", "Where?"})
	var nothingBuf bytes.Buffer
	nothing.WriteTo(&nothingBuf)

	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "vide"},
		{"text", []byte("type,name,label\ntext,q1,Hello\n"), "n'est pas un classeur Excel"},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), ".xls"},
		{"broken zip", []byte("PK\x03\x04garbage"), "abîmé"},
		{"no survey sheet", noSurveyBuf.Bytes(), "pas de feuille « survey »"},
		{"nothing importable", nothingBuf.Bytes(), "aucune question importable"},
		{"too large", make([]byte, MaxXLSForm+1), "dépasse 5 Mo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadXLSForm(tc.data)
			if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(surveys.ErrorMessage(err), tc.want) {
				t.Errorf("error = %v, want EINVALID saying %q", err, tc.want)
			}
		})
	}
}

// A formula is read as the value the spreadsheet saved, never computed.
func TestXLSFormFormulasNotEvaluated(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "survey")
	f.SetSheetRow("survey", "A1", &[]any{"type", "name", "label"})
	f.SetSheetRow("survey", "A2", &[]any{"text", "saved", "Une question"})
	if err := f.SetCellFormula("survey", "B2", `LOWER("COMPUTED")`); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("survey", "A3", &[]any{"text", "q2"})
	if err := f.SetCellFormula("survey", "C3", `"computed"&"label"`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	imp, err := ReadXLSForm(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range imp.Questionnaire.Items {
		if strings.Contains(it.Key, "computed") || strings.Contains(it.Text.String(), "computed") {
			t.Errorf("item %s %q: a formula was computed", it.Key, it.Text)
		}
	}
	if !containsPrefix(imp.Warnings, "feuille survey : des cellules contiennent une formule (B2, C3)") {
		t.Errorf("warnings %q do not name the formula cells", imp.Warnings)
	}
}

// lineDiff shows the first lines where got and want part.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			lo := max(0, i-3)
			return fmt.Sprintf("from line %d:\n got %s\nwant %s", i+1, strings.Join(g[lo:min(len(g), i+4)], "\n"), strings.Join(w[lo:min(len(w), i+4)], "\n"))
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// A sheet far bigger than any form is refused before it is all read.
func TestXLSFormTooManyRows(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "survey")
	sw, err := f.NewStreamWriter("survey")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"type", "name", "label"})
	for i := 2; i <= maxRows+10; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"text", fmt.Sprintf("q%d", i), "Question"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.WriteTo(&buf)
	_, err = ReadXLSForm(buf.Bytes())
	if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(surveys.ErrorMessage(err), "trop de lignes") {
		t.Errorf("error = %v, want too many rows", err)
	}
}
