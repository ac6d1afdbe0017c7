// Package export writes responses for spreadsheets: CSV for any tool, XLSX
// with a data dictionary and the results. One row per response, one column
// per item. Writers read responses from a stream, so a pooled export never
// holds every response at once.
package export

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"declic/surveys"
)

// Responses streams responses: it calls yield once per response and stops at
// the first error yield or the source returns. A store's EachResponse fits:
//
//	func(yield func(*surveys.Response) error) error { return st.EachResponse(ctx, ids, yield) }
type Responses func(yield func(*surveys.Response) error) error

// Source is what an export is made of.
type Source struct {
	Questionnaire *surveys.Questionnaire
	// Workshops give each row its workshop columns; a response of a workshop
	// not listed keeps its answers with those columns empty.
	Workshops []*surveys.Workshop
	Responses Responses
	// Results fills the XLSX "Résultats" sheet; nil leaves only its header.
	Results *surveys.Results
	// Flags gives each response's quality flags by response ID, computed
	// ones included (straight_line, over_attendance); nil writes the flags
	// stored with each response.
	Flags map[string][]surveys.Flag
	// Labels writes answers as their labels (« Plutôt d'accord »,
	// « oui ») instead of their codes (4, 1) wherever the questionnaire
	// has labels.
	Labels bool
	// Stamp says who made the file and when: the XLSX document's
	// properties and its « À propos » sheet.
	Stamp Stamp
}

// Columns before the items, in order. "participant" is a short pseudonym
// derived from the stored keyed hash: enough to match PRE and POST rows.
// "exclue" marks a response a facilitator excluded (it is left out of every
// statistic, kept here), "signalements" its quality flags in words, and
// "saisie" where the answers come from: "en ligne" (a phone, a tablet, the
// API) or "papier" (a sheet typed in by a facilitator).
var fixedColumns = []string{"atelier", "date", "partenaire", "groupe", "lieu", "étiquettes", "code", "phase", "jour", "participant", "exclue", "signalements", "saisie"}

// PseudonymLength is how many characters of the stored hash the export shows.
// 40 bits: collisions are negligible within a workshop, where pairs live.
const PseudonymLength = 10

// kind is what a cell holds, so that CSV and XLSX write the same table.
type kind uint8

const (
	empty kind = iota
	text
	number
	date
)

type value struct {
	kind kind
	s    string    // text, or a date as YYYY-MM-DD
	n    int       // number
	t    time.Time // date
}

// table turns responses into rows of values.
type table struct {
	flags     map[string][]surveys.Flag
	header    []string
	items     []*surveys.Item     // the item of each answer column
	columns   []surveys.Column    // each answer column, as its item's kind says
	labels    []map[string]string // per answer column, code → label; nil writes codes
	workshops map[string][]value
	noWS      []value
}

func newTable(src Source) *table {
	t := &table{workshops: map[string][]value{}, flags: src.Flags}
	t.header = append(t.header, fixedColumns...)
	if src.Questionnaire != nil {
		for i := range src.Questionnaire.Items {
			it := &src.Questionnaire.Items[i]
			for _, c := range it.Columns() {
				t.items = append(t.items, it)
				t.columns = append(t.columns, c)
				t.header = append(t.header, c.Header)
				t.labels = append(t.labels, labelsOf(it, src.Labels))
			}
		}
	}
	for _, w := range src.Workshops {
		if w == nil {
			continue
		}
		d := value{kind: text, s: w.Date}
		if tm, err := time.Parse(time.DateOnly, w.Date); err == nil {
			d = value{kind: date, s: w.Date, t: tm}
		}
		t.workshops[w.ID] = []value{
			textValue(w.Title), d, textValue(w.Partner), textValue(w.Group), textValue(w.Place),
			textValue(strings.Join(w.Tags, ", ")), textValue(w.Code),
		}
	}
	t.noWS = make([]value, 7)
	return t
}

func textValue(s string) value {
	if s == "" {
		return value{}
	}
	return value{kind: text, s: s}
}

// fill writes r's row into row, which has len(t.header) cells.
func (t *table) fill(r *surveys.Response, row []value) {
	ws, ok := t.workshops[r.WorkshopID]
	if !ok {
		ws = t.noWS
	}
	n := copy(row, ws)
	row[n] = textValue(phaseName(r.Phase))
	row[n+1] = value{}
	if day, err := time.Parse(time.DateOnly, r.Day); err == nil {
		row[n+1] = value{kind: date, s: r.Day, t: day}
	}
	row[n+2] = textValue(Pseudonym(r.Participant))
	row[n+3] = value{}
	if r.Excluded {
		row[n+3] = textValue("oui")
	}
	flags := r.Flags
	if t.flags != nil {
		flags = t.flags[r.ID]
	}
	words := make([]string, 0, len(flags))
	for _, f := range flags {
		words = append(words, f.Label())
	}
	row[n+4] = textValue(strings.Join(words, " | "))
	row[n+5] = textValue(sourceName(r.Source))
	n += 6
	for i, it := range t.items {
		row[n+i] = labelled(cellValue(t.columns[i].Cell(r.Answers[it.Key])), t.labels[i])
	}
}

// labelsOf maps an item's codes to their labels, where they differ.
func labelsOf(it *surveys.Item, on bool) map[string]string {
	if !on {
		return nil
	}
	m := map[string]string{}
	for _, c := range it.Choices() {
		if l := c.Label.String(); l != "" && l != c.Value {
			m[c.Value] = l
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// labelled writes a cell's codes as labels: a number, or options joined
// by "|", each replaced by its label when it has one.
func labelled(v value, labels map[string]string) value {
	if labels == nil {
		return v
	}
	switch v.kind {
	case number:
		if l, ok := labels[strconv.Itoa(v.n)]; ok {
			return textValue(l)
		}
	case text:
		parts := strings.Split(v.s, "|")
		for i, p := range parts {
			if l, ok := labels[p]; ok {
				parts[i] = l
			}
		}
		return textValue(strings.Join(parts, " | "))
	}
	return v
}

func sourceName(s surveys.Source) string {
	if s == surveys.SourcePaper {
		return "papier"
	}
	return "en ligne"
}

func phaseName(p surveys.Phase) string {
	switch p {
	case surveys.PhasePre:
		return "avant"
	case surveys.PhasePost:
		return "après"
	}
	return string(p)
}

// Pseudonym is the short participant column: "p-" and the start of the
// stored hash. The prefix keeps spreadsheets from reading a hash such as
// "1234567e89" as a number.
func Pseudonym(participant string) string {
	if participant == "" {
		return ""
	}
	if len(participant) > PseudonymLength {
		participant = participant[:PseudonymLength]
	}
	return "p-" + participant
}

// cellValue is an answer column's cell: a number, a text or nothing.
func cellValue(v any) value {
	switch x := v.(type) {
	case int:
		return value{kind: number, n: x}
	case string:
		return textValue(x)
	}
	return value{}
}

// Neutralize keeps a spreadsheet from reading text as a formula: a cell that
// starts with = + - @, a tab or a carriage return gets a leading apostrophe.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// FileName is an ASCII-safe download name: "declic-" then the parts
// (see Slug), at most 80 characters, then ext.
func FileName(ext string, parts ...string) string {
	return Slug(append([]string{"declic"}, parts...)...) + "." + ext
}

// Slug joins parts into an ASCII-safe name: lower case, accents dropped,
// anything else than a-z and 0-9 turned into single dashes, at most 80
// characters: « ODD 2026, T1 » gives "odd-2026-t1".
func Slug(parts ...string) string {
	const maxLen = 80
	var b strings.Builder
	for _, p := range parts {
		dash := b.Len() > 0
		for _, r := range norm.NFD.String(strings.ToLower(p)) {
			switch {
			case unicode.Is(unicode.Mn, r):
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				if dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				dash = false
				b.WriteRune(r)
			default:
				dash = true
			}
		}
	}
	s := b.String()
	if len(s) > maxLen {
		s = strings.TrimRight(s[:maxLen], "-")
	}
	return s
}
