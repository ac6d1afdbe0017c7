package export

// XLSForm is the spreadsheet form format of ODK and KoboToolbox: a "survey"
// sheet (one row per question), a "choices" sheet (the answers of select
// questions, by list) and a "settings" sheet. Déclic writes standard
// columns that other tools understand, plus columns of its own, named
// declic_*, that other tools ignore and that carry what XLSForm cannot say
// (a quiz's correct answer, reverse scoring, phases, profile items, the
// item type itself) and a "declic_scales" sheet. So a form Déclic exported
// imports back to the same definition, and a form from elsewhere imports
// with a warning for each thing Déclic leaves out.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"declic/surveys"
)

// XLSFormContentType is the content type of an uploaded XLSForm.
const XLSFormContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// MaxXLSForm is the largest XLSForm accepted: forms are a few hundred rows.
const MaxXLSForm = 5 << 20

// Sheets and columns of an XLSForm, the declic_* ones Déclic's own.
const (
	sheetSurvey   = "survey"
	sheetChoices  = "choices"
	sheetSettings = "settings"
	sheetScales   = "declic_scales"

	colDeclicType     = "declic_type"
	colDeclicCorrect  = "declic_correct"
	colDeclicReverse  = "declic_reverse"
	colDeclicPhases   = "declic_phases"
	colDeclicProfile  = "declic_profile"
	colDeclicOf       = "declic_of"
	colDeclicRequired = "declic_required"
)

// languageNames name languages in XLSForm headers: label::Português (pt).
var languageNames = map[string]string{"fr": "Français", "pt": "Português", "en": "English", "es": "Español", "ar": "العربية", "de": "Deutsch", "it": "Italiano", "sw": "Kiswahili"}

// languageCodes finds the code of a language column named without one
// (label::english, label:Français), as older forms write them.
var languageCodes = map[string]string{
	"english": "en", "anglais": "en", "inglês": "en", "ingles": "en",
	"french": "fr", "français": "fr", "francais": "fr", "francês": "fr", "frances": "fr",
	"portuguese": "pt", "português": "pt", "portugues": "pt", "portugais": "pt",
	"spanish": "es", "español": "es", "espanol": "es", "espagnol": "es",
	"arabic": "ar", "arabe": "ar", "swahili": "sw", "kiswahili": "sw", "chinese": "zh",
	"german": "de", "deutsch": "de", "italian": "it", "italiano": "it", "lingala": "ln",
	"wolof": "wo", "hausa": "ha", "sango": "sg", "kikongo": "kg",
}

func languageHeader(base, lang string) string {
	name := languageNames[lang]
	if name == "" {
		name = lang
	}
	return base + "::" + name + " (" + lang + ")"
}

// WriteXLSForm writes q as an XLSForm workbook.
func WriteXLSForm(w io.Writer, q *surveys.Questionnaire) error {
	f := excelize.NewFile()
	defer f.Close()
	langs := q.FormLanguages()
	// textCols are a translatable column's headers, one per language, or
	// one plain column for a questionnaire in one language.
	textCols := func(base string) []string {
		if len(langs) == 1 {
			return []string{base}
		}
		out := make([]string, len(langs))
		for i, l := range langs {
			out[i] = languageHeader(base, l)
		}
		return out
	}
	texts := func(t surveys.Text) []any {
		out := make([]any, len(langs))
		for i, l := range langs {
			switch {
			case i == 0:
				out[i] = t.String()
			case t.Has(l):
				out[i] = t.In(l)
			default:
				out[i] = ""
			}
		}
		return out
	}

	survey := []string{"type", "name"}
	survey = append(survey, textCols("label")...)
	survey = append(survey, textCols("hint")...)
	survey = append(survey, "required", "constraint", "appearance", colDeclicType, colDeclicCorrect, colDeclicReverse, colDeclicPhases, colDeclicProfile, colDeclicRequired, colDeclicOf)
	surveyRows := [][]any{toAny(survey)}
	choices := []string{"list_name", "name"}
	choices = append(choices, textCols("label")...)
	choiceRows := [][]any{toAny(choices)}

	for i := range q.Items {
		it := &q.Items[i]
		typ, constraint, appearance := "text", "", ""
		switch {
		case it.Ranged() && (it.Scale == nil || len(it.Scale.Labels) == 0):
			typ = "integer"
			if it.Scale != nil {
				constraint = fmt.Sprintf(". >= %d and . <= %d", it.Scale.Min, it.Scale.Max)
			}
		case it.Choices() != nil:
			typ = "select_one " + it.Key
			if it.Multiple {
				typ = "select_multiple " + it.Key
			}
			if it.Type == surveys.Likert {
				appearance = "likert"
			}
			for _, c := range it.Choices() {
				row := []any{it.Key, c.Value}
				label := c.Label
				if label.IsZero() {
					label = surveys.NewText(c.Value)
				}
				if it.Type == surveys.YesNo {
					// The fixed Oui/Non, in each of the form's languages.
					for _, l := range langs {
						row = append(row, label.In(l))
					}
				} else {
					row = append(row, texts(label)...)
				}
				choiceRows = append(choiceRows, row)
			}
		}
		row := []any{typ, it.Key}
		row = append(row, texts(it.Text)...)
		row = append(row, texts(it.Help)...)
		phases := make([]string, len(it.Phases))
		for j, p := range it.Phases {
			phases[j] = string(p)
		}
		explicit := ""
		if it.Required != nil {
			explicit = yesNo(*it.Required)
		}
		row = append(row, yesNo(it.IsRequired()), constraint, appearance, string(it.Type), it.Correct,
			flag(it.Reverse), strings.Join(phases, " "), flag(it.Profile), explicit, it.Of)
		surveyRows = append(surveyRows, row)
	}

	settings := []string{"form_title", "form_id", "default_language", "declic_language", "declic_theme"}
	values := []any{q.Title.String(), cmpOr(q.ID, "declic"), "", q.Language, q.Theme}
	if len(langs) > 1 {
		values[2] = strings.TrimPrefix(languageHeader("", q.Language), "::")
	}
	for _, l := range langs[1:] {
		settings = append(settings, languageHeader("declic_title", l))
		values = append(values, tr(q.Title, l))
	}
	if !q.Description.IsZero() {
		settings = append(settings, textCols("declic_description")...)
		values = append(values, texts(q.Description)...)
	}

	if err := f.SetSheetName("Sheet1", sheetSurvey); err != nil {
		return err
	}
	sheets := []struct {
		name string
		rows [][]any
	}{{sheetSurvey, surveyRows}, {sheetChoices, choiceRows}, {sheetSettings, [][]any{toAny(settings), values}}}
	if len(q.Scales) > 0 {
		head := append([]string{"name"}, textCols("label")...)
		rows := [][]any{toAny(append(head, "items"))}
		for _, s := range q.Scales {
			row := append([]any{s.Key}, texts(s.Title)...)
			rows = append(rows, append(row, strings.Join(s.Items, " ")))
		}
		sheets = append(sheets, struct {
			name string
			rows [][]any
		}{sheetScales, rows})
	}
	for _, sh := range sheets {
		if sh.name != sheetSurvey {
			if _, err := f.NewSheet(sh.name); err != nil {
				return err
			}
		}
		for i, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				return err
			}
		}
	}
	return f.Write(w)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func tr(t surveys.Text, lang string) string {
	if t.Has(lang) {
		return t.In(lang)
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func flag(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// XLSFormImport is what an import made of a form: the definition, and
// what it left out or changed, row by row.
type XLSFormImport struct {
	Questionnaire *surveys.Questionnaire
	Warnings      []string
}

// ReadXLSForm reads an XLSForm into a definition, validated. Only the
// values saved in cells are read: a formula is never computed and a macro
// never run. A file that is not a workbook, has no "survey" sheet, is too
// large or has nothing Déclic can ask is EINVALID with a French message.
func ReadXLSForm(data []byte) (*XLSFormImport, error) {
	if len(data) > MaxXLSForm {
		return nil, surveys.Errorf(surveys.EINVALID, "Le fichier dépasse %d Mo : un formulaire XLSForm en fait rarement plus d'un.", MaxXLSForm>>20)
	}
	r := &formReader{sheets: map[string]*formSheet{}}
	switch {
	case len(data) == 0:
		return nil, surveys.Errorf(surveys.EINVALID, "Le fichier est vide.")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, surveys.Errorf(surveys.EINVALID, "Ce fichier est au format .xls (ancien Excel) ou protégé par un mot de passe : enregistrez-le au format .xlsx (« Classeur Excel »), sans mot de passe.")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, surveys.Errorf(surveys.EINVALID, "Ce fichier n'est pas un classeur Excel (.xlsx) : un formulaire XLSForm est attendu.")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, surveys.Errorf(surveys.EINVALID, "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : il semble abîmé.")
	}
	var unzipped uint64
	for _, zf := range zr.File {
		unzipped += zf.UncompressedSize64
		if strings.HasSuffix(strings.ToLower(zf.Name), "vbaproject.bin") {
			r.warn("", 0, "le classeur contient des macros : elles sont ignorées, jamais exécutées")
		}
	}
	if unzipped > maxUnzipped {
		return nil, surveys.Errorf(surveys.EINVALID, "Ce classeur est trop grand une fois décompressé (plus de %d Mo).", maxUnzipped>>20)
	}
	// Cells are searched for formulas, to say so, only in a workbook
	// that has some: that search reads every sheet a second time.
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || r.formulas {
			continue
		}
		if rc, err := zf.Open(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(rc, maxUnzipped))
			rc.Close()
			r.formulas = bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f ")) || bytes.Contains(data, []byte(":f>")) || bytes.Contains(data, []byte(":f "))
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, surveys.Errorf(surveys.EINVALID, "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : il semble abîmé ou protégé par un mot de passe.")
	}
	defer f.Close()
	r.f = f
	byName := map[string]string{}
	for _, name := range f.GetSheetList() {
		byName[strings.ToLower(strings.TrimSpace(name))] = name
	}
	if byName[sheetSurvey] == "" {
		return nil, surveys.Errorf(surveys.EINVALID, "Le classeur n'a pas de feuille « survey » : ce n'est pas un formulaire XLSForm (feuilles trouvées : %s).", strings.Join(f.GetSheetList(), ", "))
	}
	for _, name := range []string{sheetSurvey, sheetChoices, sheetSettings, sheetScales} {
		if byName[name] == "" {
			continue
		}
		rows, err := r.sheet(byName[name])
		if surveys.ErrorCode(err) == surveys.EINVALID {
			return nil, err
		}
		if err != nil {
			return nil, surveys.Errorf(surveys.EINVALID, "La feuille « %s » est illisible.", name)
		}
		r.sheets[name] = rows
	}
	return r.read()
}

// maxUnzipped bounds what a 5 MB workbook may unzip to (zip bombs); a
// sheet has at most maxRows filled rows and maxColumns columns, far more
// than any form.
const (
	maxUnzipped = 20 << 20
	maxRows     = 5000
	maxColumns  = 200
)

func errTooBig(sheet, what string) error {
	return surveys.Errorf(surveys.EINVALID, "La feuille « %s » a trop de %s pour un formulaire (%d lignes et %d colonnes au plus).", sheet, what, maxRows, maxColumns)
}

type formReader struct {
	f        *excelize.File
	sheets   map[string]*formSheet
	warnings []warning
	// main is the questionnaire's language; langs every language a
	// label column is written in, main first.
	main  string
	langs []string
	media []int // image, audio and video columns of the survey sheet
	// formulas is set when a sheet of the workbook holds a formula.
	formulas bool
}

// formSheet is one sheet: its header (lower-cased) and rows of cells.
type formSheet struct {
	name string
	head []string
	rows [][]string
}

func (t *formSheet) col(name string) int { return slices.Index(t.head, name) }

// cell is row i's value in column c ("" when absent).
func (t *formSheet) cell(i, c int) string {
	if c < 0 || c >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

func (t *formSheet) get(i int, name string) string { return t.cell(i, t.col(name)) }

// warning is one remark on the import; row 0 is about the whole file.
type warning struct {
	sheet string
	row   int
	msg   string
}

func (w warning) String() string {
	switch {
	case w.row == 0:
		return w.msg
	case w.sheet == sheetSurvey:
		return fmt.Sprintf("ligne %d : %s", w.row, w.msg)
	}
	return fmt.Sprintf("feuille %s, ligne %d : %s", w.sheet, w.row, w.msg)
}

func (r *formReader) warn(sheet string, row int, format string, args ...any) {
	r.warnings = append(r.warnings, warning{sheet, row, fmt.Sprintf(format, args...)})
}

// warningList is the warnings in reading order: the file's, then the
// survey sheet's row by row, then the other sheets'.
func (r *formReader) warningList() []string {
	order := func(w warning) int {
		switch {
		case w.row == 0:
			return 0
		case w.sheet == sheetSurvey:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(r.warnings, func(a, b warning) int {
		if oa, ob := order(a), order(b); oa != ob {
			return oa - ob
		}
		return a.row - b.row
	})
	out := []string{}
	for i, w := range r.warnings {
		if i == maxWarnings {
			out = append(out, fmt.Sprintf("… et %d autres remarques", len(r.warnings)-maxWarnings))
			break
		}
		out = append(out, w.String())
	}
	return out
}

const maxWarnings = 200

// sheet reads a sheet's saved values. Cells holding a formula are read as
// the value the spreadsheet saved with it, and said so: nothing computes.
func (r *formReader) sheet(name string) (*formSheet, error) {
	it, err := r.f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	// Streamed, so that a sheet of a million rows is refused before it
	// fills the memory; styled empty rows cost nothing but the reading.
	var rows [][]string
	filled := 0
	for it.Next() {
		row, err := it.Columns()
		if err != nil {
			return nil, err
		}
		if len(row) > maxColumns {
			return nil, errTooBig(name, "colonnes")
		}
		rows = append(rows, row)
		if slices.ContainsFunc(row, func(v string) bool { return strings.TrimSpace(v) != "" }) {
			filled++
			if filled > maxRows {
				return nil, errTooBig(name, "lignes")
			}
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	for len(rows) > 0 && !slices.ContainsFunc(rows[len(rows)-1], func(v string) bool { return strings.TrimSpace(v) != "" }) {
		rows = rows[:len(rows)-1]
	}
	t := &formSheet{name: strings.ToLower(name)}
	if len(rows) > 0 {
		for _, h := range rows[0] {
			t.head = append(t.head, strings.ToLower(strings.TrimSpace(h)))
		}
		t.rows = rows
	}
	var formulas []string
	for i, row := range rows {
		if !r.formulas {
			break
		}
		for j := range max(len(row), len(t.head)) {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := r.f.GetCellFormula(name, cell); fm != "" {
				formulas = append(formulas, cell)
			}
		}
	}
	if len(formulas) > 0 {
		if len(formulas) > 5 {
			formulas = append(formulas[:5], "…")
		}
		r.warn("", 0, "feuille %s : des cellules contiennent une formule (%s) ; leur valeur enregistrée est lue telle quelle, la formule n'est jamais calculée", t.name, strings.Join(formulas, ", "))
	}
	return t, nil
}

// header splits a column name into its base and language: "label::English
// (en)", "label:english" (older forms), "label". lang is "" for a plain
// column and "?" when the language is not recognised.
func header(h string) (base, lang string) {
	base, rest, ok := strings.Cut(h, "::")
	if !ok {
		base, rest, ok = strings.Cut(h, ":")
	}
	base = strings.TrimSpace(base)
	if !ok {
		return base, ""
	}
	return base, languageCode(rest)
}

var codeInParens = regexp.MustCompile(`\(\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)?\s*\)\s*$`)

func languageCode(s string) string {
	s = strings.TrimSpace(s)
	if m := codeInParens.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1])
	}
	if c := languageCodes[strings.ToLower(s)]; c != "" {
		return c
	}
	if len(s) == 2 && strings.ToLower(s) == strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return unicode.ToLower(r)
		}
		return -1
	}, s) {
		return strings.ToLower(s)
	}
	return "?"
}

// textColumns maps each language to its column of a translatable field
// (label, hint…): "" for the plain column, whose language is the main one.
func textColumns(t *formSheet, base string) map[string]int {
	out := map[string]int{}
	for i, h := range t.head {
		b, l := header(h)
		if b == "caption" {
			b = "label"
		}
		if b != base || l == "?" {
			continue
		}
		if _, dup := out[l]; !dup {
			out[l] = i
		}
	}
	return out
}

// text reads a translatable field of row i: the main wording from the
// main language's column (or the plain one), translations from the others.
func (r *formReader) text(t *formSheet, cols map[string]int, i int) surveys.Text {
	main := ""
	if c, ok := cols[r.main]; ok {
		main = t.cell(i, c)
	}
	if main == "" {
		if c, ok := cols[""]; ok {
			main = t.cell(i, c)
		}
	}
	byLang := map[string]string{}
	for _, l := range r.langs[1:] {
		if c, ok := cols[l]; ok {
			if s := t.cell(i, c); s != "" {
				byLang[l] = s
			}
		}
	}
	if len(byLang) == 0 || main == "" {
		// A wording missing in the main language cannot be shown by
		// default: the caller says what it does instead.
		return surveys.NewText(main)
	}
	byLang[r.main] = main
	return surveys.Translated(r.main, byLang)
}

// written tells whether row i has a wording in any column of a field.
func (r *formReader) written(t *formSheet, cols map[string]int, i int) bool {
	for _, c := range cols {
		if t.cell(i, c) != "" {
			return true
		}
	}
	return false
}

// languages settles the main language and the offered ones from the label
// columns and the settings.
func (r *formReader) languages(survey *formSheet, settings map[string]string) {
	var found []string
	plain := false
	for _, h := range survey.head {
		b, l := header(h)
		if b == "caption" {
			b = "label"
		}
		if b != "label" {
			continue
		}
		switch l {
		case "":
			plain = true
		case "?":
			r.warn("", 0, "colonne « %s » : langue non reconnue, colonne ignorée (écrivez par exemple label::Português (pt))", h)
		default:
			if !slices.Contains(found, l) {
				found = append(found, l)
			}
		}
	}
	main := settings["declic_language"]
	if main == "" && settings["default_language"] != "" {
		if l := languageCode(settings["default_language"]); l != "?" && (slices.Contains(found, l) || plain) {
			main = l
		}
	}
	if main == "" && len(found) > 0 && !plain {
		main = found[0]
	}
	if main == "" {
		main = "fr"
		if !plain && len(found) == 0 {
			r.warn("", 0, "aucune colonne « label » : les questions sont nommées par leur « name »")
		} else if len(found) > 0 {
			r.warn("", 0, "la langue de la colonne « label » n'est pas indiquée : elle est prise pour du français (fr), à changer dans l'éditeur si besoin")
		}
	}
	r.main = main
	r.langs = []string{main}
	for _, l := range found {
		if l != main {
			r.langs = append(r.langs, l)
		}
	}
}

// option is one row of the choices sheet.
type option struct {
	row   int
	name  string
	label surveys.Text
}

// read turns the sheets into a definition.
func (r *formReader) read() (*XLSFormImport, error) {
	survey := r.sheets[sheetSurvey]
	if len(survey.head) == 0 || survey.col("type") < 0 {
		return nil, surveys.Errorf(surveys.EINVALID, "La feuille « survey » n'a pas de colonne « type » sur sa première ligne : ce n'est pas un formulaire XLSForm.")
	}
	settings := map[string]string{}
	if st := r.sheets[sheetSettings]; st != nil && len(st.rows) > 1 {
		for c, h := range st.head {
			settings[h] = st.cell(1, c)
		}
	}
	r.languages(survey, settings)

	q := &surveys.Questionnaire{Language: r.main, Theme: settings["declic_theme"]}
	if len(r.langs) > 1 {
		q.Languages = r.langs
	}
	q.Title = r.settingsText(settings, "declic_title", settings["form_title"])
	if q.Title.IsZero() {
		title := cmpOr(settings["form_title"], settings["form_id"])
		if title == "" {
			title = "Formulaire importé"
			r.warn("", 0, "le formulaire n'a pas de titre (form_title, feuille settings) : il s'appelle « %s », à changer dans l'éditeur", title)
		}
		q.Title = surveys.NewText(title)
	}
	q.Description = r.settingsText(settings, "declic_description", "")

	lists := r.choiceLists()
	rows := map[string]int{} // item key → survey row, for warnings
	labels, hints := textColumns(survey, "label"), textColumns(survey, "hint")
	r.mediaColumns(survey)
	var note []string // notes waiting for the next question
	groups := []string{}
	repeats := 0
	skipped := 0
	for i := 1; i < len(survey.rows); i++ {
		row := i + 1
		raw := survey.get(i, "type")
		name := survey.get(i, "name")
		if raw == "" {
			if name != "" || survey.get(i, "label") != "" {
				r.warn(sheetSurvey, row, "ligne sans type, ignorée")
			}
			continue
		}
		typ, list, orOther := parseType(raw)
		switch typ {
		case "begin group":
			groups = append(groups, name)
			if repeats == 0 {
				msg := fmt.Sprintf("groupe « %s » : Déclic ne fait pas de groupes, ses questions sont gardées à la suite", name)
				if survey.get(i, "relevant") != "" || survey.get(i, "relevance") != "" {
					msg += " et sa condition d'affichage (relevant) est ignorée : elles sont toujours posées"
				}
				r.warn(sheetSurvey, row, "%s", msg)
			}
			continue
		case "end group":
			if len(groups) > 0 {
				groups = groups[:len(groups)-1]
			}
			continue
		case "begin repeat":
			if repeats == 0 {
				r.warn(sheetSurvey, row, "répétition « %s » (begin repeat) non prise en charge : ses questions sont ignorées", name)
			}
			repeats++
			continue
		case "end repeat":
			if repeats > 0 {
				repeats--
			}
			continue
		}
		if repeats > 0 {
			continue
		}
		if len(q.Items) >= surveys.MaxItems {
			skipped++
			continue
		}
		text := r.text(survey, labels, i)
		help := r.text(survey, hints, i)
		if help.IsZero() && r.written(survey, hints, i) {
			r.warn(sheetSurvey, row, "« %s » : l'aide (hint) n'est pas écrite en « %s », la langue principale ; elle est ignorée", name, r.main)
		}
		if typ == "note" {
			switch {
			case text.IsZero():
				r.warn(sheetSurvey, row, "note « %s » sans texte (image seule ?), ignorée", name)
			case strings.Contains(text.String(), "${"):
				r.warn(sheetSurvey, row, "note « %s » : elle cite d'autres réponses (${…}), ce que Déclic ne fait pas ; ignorée", name)
			default:
				note = append(note, text.String())
			}
			continue
		}
		it, ok := r.item(survey, i, typ, list, orOther, lists)
		if !ok {
			continue
		}
		r.unsupportedColumns(survey, i, typ)
		key := r.key(name, row, rows)
		it.Key = key
		rows[key] = row
		if text.IsZero() {
			text = surveys.NewText(name)
			r.warn(sheetSurvey, row, "question « %s » sans libellé : son nom sert de texte", name)
		}
		it.Text, it.Help = text, help
		if len(note) > 0 {
			joined := strings.Join(note, "\n")
			if len(q.Items) == 0 && q.Description.IsZero() {
				q.Description = surveys.NewText(joined)
				r.warn(sheetSurvey, row, "les notes avant la première question forment la description du questionnaire")
			} else {
				it.Help = surveys.NewText(strings.TrimSpace(joined + "\n" + it.Help.String()))
				r.warn(sheetSurvey, row, "la note qui précède devient l'aide de la question « %s »", key)
			}
			note = nil
		}
		q.Items = append(q.Items, *it)
	}
	if len(note) > 0 {
		r.warn("", 0, "les notes après la dernière question sont ignorées")
	}
	if skipped > 0 {
		r.warn("", 0, "%d questions au-delà des %d permises sont ignorées", skipped, surveys.MaxItems)
	}
	q.Scales = r.scales()
	return r.validate(q, rows)
}

// settingsText reads a translated setting: the main wording from main or
// from the base column (plain or in the main language), translations from
// the base::lang columns Déclic writes.
func (r *formReader) settingsText(settings map[string]string, base, main string) surveys.Text {
	byLang := map[string]string{}
	for h, v := range settings {
		b, l := header(h)
		switch {
		case b != base || v == "" || l == "?":
		case l == "" || l == r.main:
			if main == "" {
				main = v
			}
		default:
			byLang[l] = v
		}
	}
	if main == "" {
		return surveys.Text{}
	}
	if len(byLang) == 0 {
		return surveys.NewText(main)
	}
	byLang[r.main] = main
	return surveys.Translated(r.main, byLang)
}

// choiceLists reads the choices sheet: options by list name.
func (r *formReader) choiceLists() map[string][]option {
	out := map[string][]option{}
	t := r.sheets[sheetChoices]
	if t == nil || len(t.head) == 0 {
		return out
	}
	listCol := t.col("list_name")
	if listCol < 0 {
		listCol = t.col("list name")
	}
	nameCol := t.col("name")
	if nameCol < 0 {
		nameCol = t.col("value")
	}
	if listCol < 0 || nameCol < 0 {
		r.warn("", 0, "la feuille choices n'a pas de colonnes « list_name » et « name » : ses réponses sont ignorées")
		return out
	}
	labels := textColumns(t, "label")
	for i := 1; i < len(t.rows); i++ {
		list, name := t.cell(i, listCol), t.cell(i, nameCol)
		if list == "" && name == "" {
			continue
		}
		out[list] = append(out[list], option{row: i + 1, name: name, label: r.text(t, labels, i)})
	}
	return out
}

// parseType reads a type cell, with the spellings pyxform accepts:
// "select_one list", "select one from list", "select1 list or_other"…
func parseType(raw string) (typ, list string, orOther bool) {
	s := strings.Join(strings.Fields(raw), " ")
	low := strings.ToLower(s)
	for _, suffix := range []string{" or_other", " or other"} {
		if strings.HasSuffix(low, suffix) {
			low, s, orOther = strings.TrimSuffix(low, suffix), s[:len(s)-len(suffix)], true
		}
	}
	for _, p := range selectPrefixes {
		if strings.HasPrefix(low, p.prefix+" ") {
			return p.typ, strings.TrimSpace(s[len(p.prefix):]), orOther
		}
	}
	low = strings.ReplaceAll(low, "_", " ")
	if alias, ok := typeAliases[low]; ok {
		return alias, "", orOther
	}
	return low, "", orOther
}

// selectPrefixes are pyxform's spellings of select types, longest first.
var selectPrefixes = []struct{ prefix, typ string }{
	{"select_one_from_file", "from file"}, {"select_multiple_from_file", "from file"},
	{"select one from file", "from file"}, {"select multiple from file", "from file"},
	{"select_one_external", "from file"},
	{"add select one prompt using", "select_one"}, {"add select multiple prompt using", "select_multiple"},
	{"select all that apply from", "select_multiple"}, {"select multiple from", "select_multiple"},
	{"select all that apply", "select_multiple"},
	{"select one from", "select_one"}, {"select one using", "select_one"}, {"select multiple using", "select_multiple"},
	{"select_one", "select_one"}, {"select one", "select_one"}, {"select1", "select_one"},
	{"select_multiple", "select_multiple"},
	{"rank", "rank"},
}

var typeAliases = map[string]string{
	"int": "integer", "add integer prompt": "integer", "string": "text", "add text prompt": "text",
	"add decimal prompt": "decimal", "add note prompt": "note",
	"begin group": "begin group", "begin": "begin group", "end group": "end group", "end": "end",
	"begin repeat": "begin repeat", "end repeat": "end repeat", "begin loop": "begin repeat", "end loop": "end repeat",
	"begin looped group": "begin repeat", "end looped group": "end repeat",
}

// metadata types record when and on what a form was filled: Déclic keeps
// none of that for minors.
var metadata = map[string]bool{
	"start": true, "end": true, "today": true, "deviceid": true, "imei": true, "subscriberid": true, "simserial": true,
	"phonenumber": true, "username": true, "email": true, "audit": true, "start-geopoint": true,
	"background-audio": true, "background-geopoint": true, "uri:deviceid": true, "uri:subscriberid": true,
	"uri:simserial": true, "uri:phonenumber": true, "uri:username": true, "uri:email": true,
}

// item maps one question row to a Déclic item (its key and texts set by
// the caller); false when the row is left out, with its warning.
func (r *formReader) item(t *formSheet, i int, typ, list string, orOther bool, lists map[string][]option) (*surveys.Item, bool) {
	row := i + 1
	name := t.get(i, "name")
	declic := surveys.ItemType(strings.ToLower(t.get(i, colDeclicType)))
	if declic != "" && !slices.Contains(surveys.ItemTypes(), declic) {
		r.warn(sheetSurvey, row, "declic_type « %s » inconnu : la question est lue comme un XLSForm ordinaire", declic)
		declic = ""
	}
	it := &surveys.Item{}
	if declic != "" {
		it.Type = declic
		it.Correct = t.get(i, colDeclicCorrect)
		it.Reverse = isYes(t.get(i, colDeclicReverse))
		it.Profile = isYes(t.get(i, colDeclicProfile))
		it.Of = t.get(i, colDeclicOf)
		for _, p := range strings.Fields(strings.ToLower(t.get(i, colDeclicPhases))) {
			it.Phases = append(it.Phases, surveys.Phase(p))
		}
	}
	var opts []option
	switch typ {
	case "select_one", "select_multiple":
		opts = lists[list]
		if opts == nil {
			for l, o := range lists {
				if strings.EqualFold(l, list) {
					opts = o
				}
			}
		}
		if opts == nil {
			r.warn(sheetSurvey, row, "question « %s » : la liste de réponses « %s » n'est pas dans la feuille choices ; question ignorée", name, list)
			return nil, false
		}
		if orOther {
			r.warn(sheetSurvey, row, "question « %s » : la réponse « Autre » à préciser (or_other) n'est pas prise en charge, elle est retirée", name)
		}
	case "text", "integer", "decimal", "range":
	case "rank":
		r.warn(sheetSurvey, row, "question « %s » : le classement (rank) n'est pas pris en charge ; question ignorée", name)
		return nil, false
	case "from file":
		r.warn(sheetSurvey, row, "question « %s » : les réponses tirées d'un fichier externe (select_one_from_file, external) ne sont pas prises en charge ; question ignorée", name)
		return nil, false
	case "calculate", "hidden":
		r.warn(sheetSurvey, row, "calcul « %s » (%s) non pris en charge, ignoré", name, typ)
		return nil, false
	default:
		if metadata[typ] {
			r.warn(sheetSurvey, row, "« %s » (%s) ignoré : Déclic n'enregistre ni l'heure, ni l'appareil, ni l'identité des jeunes", name, typ)
		} else {
			r.warn(sheetSurvey, row, "type « %s » non pris en charge, question « %s » ignorée", typ, name)
		}
		return nil, false
	}

	required, reqOK := parseRequired(t.get(i, "required"))
	if !reqOK {
		r.warn(sheetSurvey, row, "question « %s » : « required » dépend d'une condition, ce que Déclic ne fait pas ; elle est facultative", name)
	}

	if declic != "" {
		if !r.declicItem(t, i, typ, it, opts) {
			return nil, false
		}
	} else if !r.foreignItem(t, i, typ, it, opts) {
		return nil, false
	}
	// Required is kept only where it differs from the type's default, or
	// where Déclic's own export says it was written out.
	it.Required = nil
	explicit, _ := parseRequired(t.get(i, colDeclicRequired))
	if it.IsRequired() != required || t.get(i, colDeclicRequired) != "" && explicit == required {
		it.Required = &required
	}
	return it, true
}

// declicItem reads a row Déclic exported: its declic_type decides.
func (r *formReader) declicItem(t *formSheet, i int, typ string, it *surveys.Item, opts []option) bool {
	row := i + 1
	switch {
	case it.Ranged():
		if opts != nil {
			rg, ok := numberedRange(opts)
			if !ok {
				r.warn(sheetSurvey, row, "question « %s » : les réponses d'une question %s doivent être des nombres qui se suivent ; question ignorée", t.get(i, "name"), it.Type)
				return false
			}
			it.Scale = rg
			return true
		}
		lo, hi, ok := parseRange(t.get(i, "constraint"))
		if !ok {
			r.warn(sheetSurvey, row, "question « %s » : contrainte « . >= min and . <= max » attendue ; question ignorée", t.get(i, "name"))
			return false
		}
		it.Scale = &surveys.Range{Min: lo, Max: hi}
	case it.HasOptions():
		it.Multiple = typ == "select_multiple"
		it.Options = r.options(opts)
	}
	return true
}

// foreignItem maps a row of another tool's form by its XLSForm type.
func (r *formReader) foreignItem(t *formSheet, i int, typ string, it *surveys.Item, opts []option) bool {
	row, name := i+1, t.get(i, "name")
	constraint := t.get(i, "constraint")
	switch typ {
	case "text":
		it.Type = surveys.FreeText
		if constraint != "" {
			r.warn(sheetSurvey, row, "question « %s » : contrainte « %s » ignorée", name, constraint)
		}
	case "decimal":
		it.Type = surveys.FreeText
		r.warn(sheetSurvey, row, "question « %s » : Déclic n'a pas de nombre à virgule (decimal) ; elle devient une réponse libre", name)
		if constraint != "" {
			r.warn(sheetSurvey, row, "question « %s » : contrainte « %s » ignorée", name, constraint)
		}
	case "integer", "range":
		lo, hi, ok := parseRange(constraint)
		if typ == "range" {
			lo, hi, ok = parseParameters(t.get(i, "parameters"))
		}
		switch {
		case !ok:
			it.Type = surveys.FreeText
			r.warn(sheetSurvey, row, "question « %s » : nombre sans bornes (contrainte « . >= 1 and . <= 5 ») ; elle devient une réponse libre", name)
		case hi-lo > 20:
			it.Type = surveys.FreeText
			r.warn(sheetSurvey, row, "question « %s » : de %d à %d, c'est plus de 20 pas ; elle devient une réponse libre", name, lo, hi)
		case hi-lo+1 <= 7:
			it.Type, it.Scale = surveys.Likert, &surveys.Range{Min: lo, Max: hi}
		default:
			it.Type, it.Scale = surveys.Rating, &surveys.Range{Min: lo, Max: hi}
		}
	case "select_one", "select_multiple":
		if typ == "select_one" && isYesNoList(opts) {
			it.Type = surveys.YesNo
			return true
		}
		it.Type = surveys.Select
		it.Multiple = typ == "select_multiple"
		it.Options = r.options(opts)
		if _, ok := numberedRange(opts); ok && !it.Multiple && len(opts) >= 3 {
			r.warn(sheetSurvey, row, "question « %s » : ses réponses sont numérotées comme une échelle ; elle est importée comme un choix (non noté) : passez-la en likert dans l'éditeur pour mesurer un changement", name)
		}
		if constraint != "" {
			r.warn(sheetSurvey, row, "question « %s » : contrainte « %s » ignorée", name, constraint)
		}
	}
	return true
}

// options turns choices into options with keys Déclic accepts.
func (r *formReader) options(opts []option) []surveys.Option {
	out := make([]surveys.Option, 0, len(opts))
	seen := map[string]int{}
	for _, o := range opts {
		v := keyOf(o.name)
		if v == "" {
			v = "option"
		}
		base := v
		for n := 2; seen[v] > 0; n++ {
			v = fmt.Sprintf("%s_%d", base, n)
		}
		seen[v]++
		if v != o.name {
			r.warn(sheetChoices, o.row, "la réponse « %s » est renommée « %s » (a-z, 0-9 et _ seulement)", o.name, v)
		}
		label := o.label
		if label.IsZero() {
			label = surveys.NewText(o.name)
			r.warn(sheetChoices, o.row, "la réponse « %s » n'a pas de libellé (image seule ?) : son nom sert de libellé", o.name)
		}
		out = append(out, surveys.Option{Value: v, Label: label})
	}
	return out
}

// numberedRange reads a list of consecutive whole numbers as a range; a
// label equal to its number is no label.
func numberedRange(opts []option) (*surveys.Range, bool) {
	if len(opts) < 2 {
		return nil, false
	}
	rg := &surveys.Range{}
	labelled := false
	for k, o := range opts {
		n, err := strconv.Atoi(o.name)
		if err != nil {
			return nil, false
		}
		if k == 0 {
			rg.Min = n
		} else if n != rg.Min+k {
			return nil, false
		}
		rg.Max = n
		l := o.label
		if l.String() == o.name && len(l.Languages()) == 0 {
			l = surveys.Text{}
		}
		labelled = labelled || !l.IsZero()
		rg.Labels = append(rg.Labels, l)
	}
	if !labelled {
		rg.Labels = nil
	}
	return rg, true
}

func isYesNoList(opts []option) bool {
	if len(opts) != 2 {
		return false
	}
	pair := strings.ToLower(keyOf(opts[0].name) + "/" + keyOf(opts[1].name))
	switch pair {
	case "yes/no", "no/yes", "oui/non", "non/oui", "sim/nao", "nao/sim", "1/0", "0/1", "true/false", "false/true":
		return true
	}
	return false
}

var bound = regexp.MustCompile(`^\(?\s*(\.|-?\d+)\s*(>=|<=|>|<)\s*(\.|-?\d+)\s*\)?$`)

// parseRange reads ". >= 1 and . <= 5" (any order, strict or not).
func parseRange(c string) (lo, hi int, ok bool) {
	parts := regexp.MustCompile(`(?i)\s+and\s+`).Split(strings.TrimSpace(c), -1)
	if len(parts) != 2 {
		return 0, 0, false
	}
	haveLo, haveHi := false, false
	for _, p := range parts {
		m := bound.FindStringSubmatch(strings.TrimSpace(p))
		if m == nil || (m[1] == ".") == (m[3] == ".") {
			return 0, 0, false
		}
		op, num := m[2], m[3]
		if m[1] != "." { // "1 <= ." is ". >= 1"
			num = m[1]
			op = map[string]string{">=": "<=", "<=": ">=", ">": "<", "<": ">"}[op]
		}
		n, err := strconv.Atoi(num)
		if err != nil {
			return 0, 0, false
		}
		switch op {
		case ">=":
			lo, haveLo = n, true
		case ">":
			lo, haveLo = n+1, true
		case "<=":
			hi, haveHi = n, true
		case "<":
			hi, haveHi = n-1, true
		}
	}
	return lo, hi, haveLo && haveHi && lo < hi
}

// parseParameters reads a range question's "start=0 end=10 step=1".
func parseParameters(p string) (lo, hi int, ok bool) {
	vals := map[string]string{"step": "1"}
	for _, f := range strings.FieldsFunc(p, func(r rune) bool { return r == ' ' || r == ';' || r == ',' }) {
		k, v, _ := strings.Cut(f, "=")
		vals[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	lo, err1 := strconv.Atoi(vals["start"])
	hi, err2 := strconv.Atoi(vals["end"])
	if err1 != nil || err2 != nil || vals["step"] != "1" || lo >= hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// parseRequired reads yes/no as pyxform does; ok is false for a condition.
func parseRequired(s string) (required, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "true()", "1", "oui":
		return true, true
	case "", "no", "false", "false()", "0", "non":
		return false, true
	}
	return false, false
}

func isYes(s string) bool {
	v, ok := parseRequired(s)
	return ok && v
}

// unsupportedColumns warns about a question's columns Déclic ignores.
func (r *formReader) unsupportedColumns(t *formSheet, i int, typ string) {
	row, name := i+1, t.get(i, "name")
	for _, c := range []struct{ col, what string }{
		{"relevant", "sa condition d'affichage (relevant) est ignorée : elle est toujours posée"},
		{"relevance", "sa condition d'affichage (relevance) est ignorée : elle est toujours posée"},
		{"choice_filter", "le filtre de réponses (choice_filter) est ignoré"},
		{"calculation", "le calcul (calculation) est ignoré"},
		{"default", "la réponse par défaut (default) est ignorée"},
		{"repeat_count", "repeat_count est ignoré"},
	} {
		if v := t.get(i, c.col); v != "" {
			r.warn(sheetSurvey, row, "question « %s » : %s", name, c.what)
		}
	}
	if v := t.get(i, "read_only"); isYes(v) {
		r.warn(sheetSurvey, row, "question « %s » : « read_only » est ignoré", name)
	}
	for _, c := range r.media {
		if t.cell(i, c) != "" {
			r.warn(sheetSurvey, row, "question « %s » : les images, sons et vidéos ne sont pas importés", name)
			break
		}
	}
}

// mediaColumns finds the image/audio/video columns of the survey sheet.
func (r *formReader) mediaColumns(t *formSheet) {
	r.media = nil
	for c, h := range t.head {
		switch b, _ := header(h); b {
		case "image", "big-image", "audio", "video", "media":
			r.media = append(r.media, c)
		}
	}
}

// key makes an XLSForm name a Déclic key: a-z, 0-9 and _, 40 at most,
// unique; renamed ones are said.
func (r *formReader) key(name string, row int, used map[string]int) string {
	k := keyOf(name)
	if k == "" {
		k = fmt.Sprintf("q%d", row)
	}
	base := k
	for n := 2; used[k] > 0; n++ {
		suffix := fmt.Sprintf("_%d", n)
		k = base[:min(len(base), 40-len(suffix))] + suffix
	}
	if k != name {
		r.warn(sheetSurvey, row, "le nom « %s » devient « %s » (a-z, 0-9 et _ seulement, 40 caractères au plus, sans doublon)", name, k)
	}
	return k
}

// keyOf lower-cases a name, drops accents and turns anything else into _.
func keyOf(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	k := b.String()
	if utf8.RuneCountInString(k) > 40 {
		k = k[:40]
	}
	return k
}

// scales reads Déclic's own declic_scales sheet.
func (r *formReader) scales() []surveys.Scale {
	t := r.sheets[sheetScales]
	if t == nil || t.col("name") < 0 || t.col("items") < 0 {
		return nil
	}
	labels := textColumns(t, "label")
	var out []surveys.Scale
	for i := 1; i < len(t.rows); i++ {
		key := t.get(i, "name")
		if key == "" {
			continue
		}
		out = append(out, surveys.Scale{Key: key, Title: r.text(t, labels, i), Items: strings.Fields(t.get(i, "items"))})
	}
	return out
}

// validate checks the definition; an item or scale the rules refuse is
// left out with its reason, and the rest kept.
func (r *formReader) validate(q *surveys.Questionnaire, rows map[string]int) (*XLSFormImport, error) {
	for range 3 {
		if len(q.Items) == 0 {
			break
		}
		err := q.Validate()
		if err == nil {
			break
		}
		fields := surveys.ErrorFields(err)
		if len(fields) == 0 {
			return nil, err
		}
		fixed := false
		for field, msg := range fields {
			switch {
			case strings.HasPrefix(field, "scales."):
				key := strings.TrimPrefix(field, "scales.")
				q.Scales = slices.DeleteFunc(q.Scales, func(s surveys.Scale) bool { return s.Key == key })
				r.warn("", 0, "échelle « %s » ignorée : %s", key, msg)
				fixed = true
			case strings.HasPrefix(field, "scales["):
				q.Scales = nil
				r.warn("", 0, "échelles ignorées : %s", msg)
				fixed = true
			case field == "title":
				q.Title = surveys.NewText(truncate(q.Title.String(), 200))
				fixed = true
			case field == "description":
				q.Description = surveys.NewText(truncate(q.Description.String(), 1000))
				r.warn("", 0, "la description est raccourcie : %s", msg)
				fixed = true
			default:
				if _, ok := q.Item(field); ok {
					q.Items = slices.DeleteFunc(q.Items, func(it surveys.Item) bool { return it.Key == field })
					r.warn(sheetSurvey, rows[field], "question « %s » ignorée : %s", field, msg)
					fixed = true
				}
			}
		}
		if !fixed {
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Ce formulaire ne donne pas un questionnaire valide.", Fields: fields}
		}
	}
	if len(q.Items) == 0 {
		f := map[string]string{"survey": "aucune question que Déclic sait poser (texte, nombre borné, choix)"}
		for i, w := range r.warningList() {
			if i == 10 {
				break
			}
			f[fmt.Sprintf("remarque %d", i+1)] = w
		}
		return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Ce formulaire n'a aucune question importable.", Fields: f}
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &XLSFormImport{Questionnaire: q, Warnings: r.warningList()}, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
