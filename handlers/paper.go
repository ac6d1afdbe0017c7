package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"declic/surveys"
	"declic/templates"
)

// A paper sheet is the form of one phase printed for one pupil, and the
// data-entry page types it back. Both read the same model, built from the
// item traits: each box a pupil ticks carries the digit typed for it.
// Numbers are typed as they are (1 to 5, 0 to 10, yes 1 / no 0); options
// by their place (1, 2, 3…); a retrospective item has two cells ("avant",
// "auj."); free text is typed as text.

// paperItem is one question of a sheet.
type paperItem struct {
	Num      int
	Key      string
	Text     string
	Help     string
	Choices  []paperChoice
	Multiple bool
	FreeText bool
	// Halves name the two answers of a retrospective item; nil otherwise.
	Halves []string
	Cells  []paperCell
	// Ends label a long numeric scale's two ends.
	Ends []string
}

type paperChoice struct{ Code, Label, Value string }

// paperCell is one cell of the entry row.
type paperCell struct {
	Name  string // form field of the entry row
	Head  string // column header: "Q3", "Q10 av."
	Rule  string // what the cell takes, in words: "1 à 5"
	Codes string // the codes it takes, space-separated, for the page's script
	Width int    // characters
	Text  bool
	Multi bool
	Item  string // the item key
	Label string // for screen readers: "Question 3"
}

// paperItems is the sheet of phase p, in the questionnaire's language
// or lang.
func paperItems(q *surveys.Questionnaire, p surveys.Phase, lang string) []paperItem {
	var out []paperItem
	for i, it := range q.ItemsFor(p) {
		pi := paperItem{Num: i + 1, Key: it.Key, Text: it.Text.In(lang), Help: it.Help.In(lang), Multiple: it.Multiple}
		choices := it.Choices()
		numeric := true
		for _, c := range choices {
			if _, err := strconv.Atoi(c.Value); err != nil {
				numeric = false
			}
		}
		codes := make([]string, 0, len(choices))
		for j, c := range choices {
			code := c.Value
			if !numeric {
				code = strconv.Itoa(j + 1)
			}
			label := c.Label.In(lang)
			if label == code {
				label = "" // a bare number: the code says it
			}
			pi.Choices = append(pi.Choices, paperChoice{Code: code, Label: label, Value: c.Value})
			codes = append(codes, code)
		}
		if low, high, ok := it.Ends(); ok {
			pi.Ends = []string{low.In(lang), high.In(lang)}
		}
		width := 1
		for _, c := range codes {
			width = max(width, len(c))
		}
		rule := ruleOf(codes, it.Multiple)
		head := "Q" + strconv.Itoa(pi.Num)
		label := "Question " + strconv.Itoa(pi.Num)
		cell := paperCell{Name: "s_" + it.Key, Head: head, Rule: rule, Codes: strings.Join(codes, " "), Width: width, Item: it.Key, Label: label}
		switch {
		case len(choices) == 0:
			pi.FreeText = true
			cell.Text, cell.Rule, cell.Width = true, "texte", 24
			pi.Cells = []paperCell{cell}
		case it.Retrospective():
			pi.Halves = []string{templates.T(lang, "form.before"), templates.T(lang, "form.now")}
			before, now := cell, cell
			before.Name, before.Head, before.Label = cell.Name+"."+surveys.RetroBefore, head+" av.", label+", avant l'atelier"
			now.Name, now.Head, now.Label = cell.Name+"."+surveys.RetroNow, head+" auj.", label+", aujourd'hui"
			pi.Cells = []paperCell{before, now}
		default:
			if it.Multiple {
				cell.Multi = true
				cell.Width = len(codes)
			}
			pi.Cells = []paperCell{cell}
		}
		out = append(out, pi)
	}
	return out
}

// ruleOf says in words which codes a cell takes: "1 à 5", "0 ou 1",
// "un ou plusieurs de 1 à 4".
func ruleOf(codes []string, multiple bool) string {
	if len(codes) == 0 {
		return ""
	}
	lo, hi := codes[0], codes[len(codes)-1]
	if a, err := strconv.Atoi(lo); err == nil {
		if b, err := strconv.Atoi(hi); err == nil && a > b {
			lo, hi = hi, lo
		}
	}
	r := lo + " à " + hi
	if len(codes) == 2 {
		r = lo + " ou " + hi
	}
	if multiple {
		r = "un ou plusieurs de " + lo + " à " + hi
	}
	return r
}

// paperRow is one typed sheet: the cells as typed, and what is wrong
// with them, by cell name.
type paperRow struct {
	Sheet  string
	Code   [4]string // mere, jour, mois, lettre2
	Cells  map[string]string
	Errors map[string]string
}

// codeCells are the entry row's code cells, in the order typed.
var codeCells = [4]string{"code_mere", "code_jour", "code_mois", "code_lettre2"}

const maxSheet = 9999

func readPaperRow(form url.Values, items []paperItem) paperRow {
	row := paperRow{Sheet: strings.TrimSpace(form.Get("sheet")), Cells: map[string]string{}, Errors: map[string]string{}}
	for i, name := range codeCells {
		row.Code[i] = strings.TrimSpace(form.Get(name))
	}
	for _, it := range items {
		for _, c := range it.Cells {
			row.Cells[c.Name] = strings.TrimSpace(form.Get(c.Name))
		}
	}
	return row
}

// check turns a typed row into the answers to store, or fills row.Errors
// at each cell that is wrong, with the rule. A sheet's blank question is
// left unanswered: the sheet is what the pupil wrote.
func (row *paperRow) check(q *surveys.Questionnaire, p surveys.Phase, items []paperItem) (sheet int, code *surveys.Code, answers surveys.Answers) {
	n, err := strconv.Atoi(row.Sheet)
	switch {
	case row.Sheet == "":
		row.Errors["sheet"] = "le numéro imprimé en haut de la feuille est obligatoire"
	case err != nil || n < 1 || n > maxSheet:
		row.Errors["sheet"] = fmt.Sprintf("un numéro de feuille de 1 à %d", maxSheet)
	}
	code = row.checkCode()
	form := url.Values{}
	given := false
	for _, it := range items {
		for _, c := range it.Cells {
			v := row.Cells[c.Name]
			if v == "" {
				continue
			}
			given = true
			values, msg := c.decode(v, it.Choices)
			if msg != "" {
				row.Errors[c.Name] = msg
				continue
			}
			field := surveys.FormField(it.Key)
			if half, ok := strings.CutPrefix(c.Name, "s_"+it.Key+"."); ok {
				field = surveys.RetroField(it.Key, half)
			}
			form[field] = values
		}
	}
	if !given && len(row.Errors) == 0 {
		row.Errors["sheet"] = "aucune réponse n'est saisie pour cette feuille"
	}
	if len(row.Errors) > 0 {
		return 0, nil, nil
	}
	// Blank questions are allowed: the questionnaire is checked with
	// every question optional.
	loose := q.Clone()
	no := false
	for i := range loose.Items {
		loose.Items[i].Required = &no
	}
	answers, err = loose.CheckForm(p, form)
	if err != nil {
		fields := surveys.ErrorFields(err)
		for _, it := range items {
			if msg, bad := fields[it.Key]; bad {
				for _, c := range it.Cells {
					row.Errors[c.Name] = msg
				}
			}
		}
		if len(row.Errors) == 0 {
			row.Errors["sheet"] = surveys.ErrorMessage(err)
		}
		return 0, nil, nil
	}
	return n, code, answers
}

// checkCode reads the code cells: all four blank is a sheet without a
// code (kept, never paired); otherwise each must be right.
func (row *paperRow) checkCode() *surveys.Code {
	if row.Code == [4]string{} {
		return nil
	}
	c := surveys.Code{Mere: row.Code[0], Lettre2: row.Code[3]}
	var err1, err2 error
	c.Jour, err1 = strconv.Atoi(row.Code[1])
	c.Mois, err2 = strconv.Atoi(row.Code[2])
	bad := c.Check()
	if err1 != nil {
		bad["code.jour"] = "x"
	}
	if err2 != nil {
		bad["code.mois"] = "x"
	}
	rules := map[string]string{"mere": "une lettre", "jour": "un jour de 1 à 31", "mois": "un mois de 1 à 12", "lettre2": "une lettre"}
	for i, el := range surveys.CodeElements {
		if _, wrong := bad["code."+el]; wrong {
			if row.Code[i] == "" {
				row.Errors[codeCells[i]] = rules[el] + " (ou laissez les quatre cases du code vides si le code manque)"
			} else {
				row.Errors[codeCells[i]] = rules[el]
			}
		}
	}
	if len(bad) > 0 {
		return nil
	}
	return &c
}

// decode reads one typed cell into form values, or says its rule.
func (c paperCell) decode(v string, choices []paperChoice) ([]string, string) {
	if c.Text {
		return []string{v}, ""
	}
	byCode := map[string]string{}
	for _, ch := range choices {
		byCode[ch.Code] = ch.Value
	}
	var typed []string
	switch {
	case !c.Multi:
		typed = []string{v}
	case strings.ContainsAny(v, " ,;"):
		typed = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' })
	default:
		for _, r := range v {
			typed = append(typed, string(r))
		}
	}
	var out []string
	for _, t := range typed {
		val, ok := byCode[t]
		if !ok || strings.ContainsFunc(t, unicode.IsSpace) {
			return nil, "« " + v + " » : " + c.Rule
		}
		if !slices.Contains(out, val) {
			out = append(out, val)
		}
	}
	return out, ""
}

// paperSubmission is the submission ID of sheet n of a workshop's phase:
// a sheet typed twice is the same submission, refused the second time.
func paperSubmission(w *surveys.Workshop, p surveys.Phase, n int) string {
	return "papier-" + w.ID + "-" + string(p) + "-" + strconv.Itoa(n)
}

// paperSheetOf reads the sheet number back from a paper submission ID.
func paperSheetOf(w *surveys.Workshop, p surveys.Phase, submissionID string) (int, bool) {
	rest, ok := strings.CutPrefix(submissionID, "papier-"+w.ID+"-"+string(p)+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// paperBlock is what a sheet prints in one go: a question on its own, or
// a grid of consecutive questions that share their answers (a Likert
// series), which prints their labels once; a retrospective question is a
// grid of its two halves.
type paperBlock struct {
	Grid    bool
	Caption string // a retrospective question's text, above its grid
	Num     int
	Choices []paperChoice
	Rows    []paperRowHead
	Item    paperItem
}

type paperRowHead struct {
	Num  int // 0 for a half of a retrospective question
	Text string
}

// paperBlocks lays a sheet's questions out in blocks.
func paperBlocks(items []paperItem) []paperBlock {
	var out []paperBlock
	gridable := func(it paperItem) bool {
		return len(it.Choices) > 0 && !it.Multiple && it.Halves == nil && len(it.Ends) == 0
	}
	for i := 0; i < len(items); i++ {
		it := items[i]
		if it.Halves != nil {
			b := paperBlock{Grid: true, Caption: it.Text, Num: it.Num, Choices: it.Choices}
			for _, h := range it.Halves {
				b.Rows = append(b.Rows, paperRowHead{Text: h})
			}
			out = append(out, b)
			continue
		}
		j := i + 1
		for gridable(it) && j < len(items) && gridable(items[j]) && slices.Equal(items[j].Choices, it.Choices) {
			j++
		}
		if j-i < 2 {
			out = append(out, paperBlock{Item: it})
			continue
		}
		b := paperBlock{Grid: true, Choices: it.Choices}
		for _, row := range items[i:j] {
			b.Rows = append(b.Rows, paperRowHead{Num: row.Num, Text: row.Text})
		}
		out = append(out, b)
		i = j - 1
	}
	return out
}
