// Package export writes responses for spreadsheets: CSV for any tool, XLSX
// with a data dictionary and the results. One row per response, one column
// per item. Writers read responses from a stream, so a pooled export never
// holds every response at once.
package export

import (
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
}

// Columns before the items, in order. "participant" is a short pseudonym
// derived from the stored keyed hash: enough to match PRE and POST rows.
// "saisie" says where the answers come from: "en ligne" (a phone, a
// tablet, the API) or "papier" (a sheet typed in by a facilitator).
var fixedColumns = []string{"atelier", "date", "partenaire", "groupe", "lieu", "étiquettes", "code", "phase", "jour", "participant", "saisie"}

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
	header    []string
	items     []*surveys.Item  // the item of each answer column
	columns   []surveys.Column // each answer column, as its item's kind says
	workshops map[string][]value
	noWS      []value
}

func newTable(src Source) *table {
	t := &table{workshops: map[string][]value{}}
	t.header = append(t.header, fixedColumns...)
	if src.Questionnaire != nil {
		for i := range src.Questionnaire.Items {
			it := &src.Questionnaire.Items[i]
			for _, c := range it.Columns() {
				t.items = append(t.items, it)
				t.columns = append(t.columns, c)
				t.header = append(t.header, c.Header)
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
	row[n+3] = textValue(sourceName(r.Source))
	n += 4
	for i, it := range t.items {
		row[n+i] = cellValue(t.columns[i].Cell(r.Answers[it.Key]))
	}
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

// FileName is an ASCII-safe download name: "declic-" then the parts, accents
// dropped and anything else than a-z and 0-9 turned into dashes, at most 80
// characters, then ext.
func FileName(ext string, parts ...string) string {
	const maxBase = 80
	var b strings.Builder
	b.WriteString("declic")
	for _, p := range parts {
		dash := true
		for _, r := range norm.NFD.String(strings.ToLower(p)) {
			switch {
			case unicode.Is(unicode.Mn, r):
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				if dash {
					b.WriteByte('-')
					dash = false
				}
				b.WriteRune(r)
			default:
				dash = true
			}
		}
	}
	base := b.String()
	if len(base) > maxBase {
		base = strings.TrimRight(base[:maxBase], "-")
	}
	return base + "." + ext
}
