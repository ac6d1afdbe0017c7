package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
)

// Sheet names of the XLSX export.
const (
	SheetResponses  = "Réponses"
	SheetDictionary = "Dictionnaire"
	SheetResults    = "Résultats"
)

// MaxXLSXResponses is how many responses fit in one sheet under its header.
const MaxXLSXResponses = excelize.TotalRows - 1

// xlsxWriter holds the workbook and its shared styles.
type xlsxWriter struct {
	f    *excelize.File
	bold int
	day  int
}

// WriteXLSX writes a workbook of four sheets: "Réponses" (the CSV's table,
// numbers as numbers and days as dates), "Dictionnaire" (what each column
// means), "Résultats" (src.Results, one row per item and scale) and « À
// propos » (src.Stamp, with Déclic's version); the document's properties
// name Déclic and the date. Rows are
// streamed: excelize keeps them in a temporary file past a few megabytes,
// and the workbook is zipped into w at the end.
func WriteXLSX(w io.Writer, src Source) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f}
	var err error
	if x.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return err
	}
	dayFormat := "yyyy-mm-dd"
	if x.day, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dayFormat}); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetResponses); err != nil {
		return err
	}
	for _, name := range []string{SheetDictionary, SheetResults} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if err := x.responses(src); err != nil {
		return err
	}
	if err := x.dictionary(src.Questionnaire); err != nil {
		return err
	}
	if err := x.results(src.Results); err != nil {
		return err
	}
	if err := stampWorkbook(f, src.Stamp, x.bold); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export: write xlsx: %w", err)
	}
	return nil
}

// sheet opens a stream on name with a bold, frozen header row and widths.
func (x *xlsxWriter) sheet(name string, header []string, widths []float64) (*excelize.StreamWriter, error) {
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: x.bold, Value: Neutralize(h)}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return nil, err
	}
	return sw, nil
}

func (x *xlsxWriter) responses(src Source) error {
	t := newTable(src)
	widths := []float64{30, 11, 24, 12, 16, 20, 9, 7, 11, 13}
	for _, it := range t.items {
		wd := float64(max(utf8.RuneCountInString(it.Key)+2, 6))
		switch {
		case it.Type == surveys.FreeText:
			wd = 40
		case it.HasOptions():
			wd = max(wd, 14)
		}
		widths = append(widths, wd)
	}
	sw, err := x.sheet(SheetResponses, t.header, widths)
	if err != nil {
		return err
	}
	row := make([]value, len(t.header))
	cells := make([]any, len(t.header))
	n := 1
	if src.Responses != nil {
		err = src.Responses(func(r *surveys.Response) error {
			if n > MaxXLSXResponses {
				return surveys.Errorf(surveys.EINVALID, "Trop de réponses pour un fichier Excel (%d au plus) : téléchargez le CSV.", MaxXLSXResponses)
			}
			n++
			t.fill(r, row)
			for i, v := range row {
				cells[i] = x.cell(v)
			}
			return sw.SetRow("A"+strconv.Itoa(n), cells)
		})
		if err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cell is a value as excelize writes it. Strings become inline strings,
// never formulas; they are neutralized too, for whoever saves the sheet
// back as CSV.
func (x *xlsxWriter) cell(v value) any {
	switch v.kind {
	case number:
		return v.n
	case text:
		return Neutralize(v.s)
	case date:
		return excelize.Cell{StyleID: x.day, Value: v.t}
	}
	return nil
}

func (x *xlsxWriter) dictionary(q *surveys.Questionnaire) error {
	header := []string{"clé", "question", "type", "phases", "min", "max", "libellés / options", "bonne réponse", "inversée", "obligatoire", "échelles"}
	sw, err := x.sheet(SheetDictionary, header, []float64{12, 60, 9, 12, 6, 6, 50, 14, 10, 12, 20})
	if err != nil {
		return err
	}
	if q == nil {
		return sw.Flush()
	}
	scalesOf := map[string][]string{}
	for _, s := range q.Scales {
		for _, k := range s.Items {
			scalesOf[k] = append(scalesOf[k], s.Key)
		}
	}
	n := 1
	for i := range q.Items {
		it := &q.Items[i]
		var lo, hi any
		if it.Scored() && !it.HasOptions() {
			l, h := it.ScoreRange()
			lo, hi = int(l), int(h)
		}
		var choices []string
		for _, c := range it.Choices() {
			if label := c.Label.String(); label != c.Value {
				choices = append(choices, c.Value+" = "+label)
			}
		}
		n++
		row := []any{
			Neutralize(it.Key), Neutralize(it.Text.String()), string(it.Type), phasesOf(it), lo, hi,
			Neutralize(strings.Join(choices, " | ")), Neutralize(it.Correct), yes(it.Reverse), yes(it.IsRequired()),
			Neutralize(strings.Join(scalesOf[it.Key], ", ")),
		}
		if err := sw.SetRow("A"+strconv.Itoa(n), row); err != nil {
			return err
		}
	}
	for _, s := range q.Scales {
		var lo, hi any
		phases := ""
		parts := make([]string, len(s.Items))
		for j, k := range s.Items {
			parts[j] = k
			if it, ok := q.Item(k); ok {
				if it.Reverse {
					parts[j] += " (inversée)"
				}
				if j == 0 {
					l, h := it.ScoreRange()
					lo, hi, phases = l, h, phasesOf(it)
				}
			}
		}
		n++
		row := []any{
			Neutralize(s.Key), Neutralize(s.Title.String()), "échelle", phases, lo, hi,
			Neutralize("moyenne de " + strings.Join(parts, ", ")), nil, nil, nil, nil,
		}
		if err := sw.SetRow("A"+strconv.Itoa(n), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func phasesOf(it *surveys.Item) string {
	var p []string
	if it.AskedIn(surveys.PhasePre) {
		p = append(p, "avant")
	}
	if it.AskedIn(surveys.PhasePost) {
		p = append(p, "après")
	}
	return strings.Join(p, ", ")
}

func yes(b bool) any { return ouiNon(b) }

// ouiNon is a flag as French spreadsheets read it.
func ouiNon(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

// resultsHeader names the "Résultats" columns; differences are POST − PRE.
var resultsHeader = []string{
	"clé", "libellé", "type",
	"n avant", "moyenne avant", "écart-type avant",
	"n après", "moyenne après", "écart-type après",
	"n appariés", "différence moyenne (après − avant)", "IC 95 % bas", "IC 95 % haut",
	"t", "ddl", "p (t apparié)", "p Holm (t)",
	"Wilcoxon V", "p (Wilcoxon)", "p Holm (Wilcoxon)", "méthode Wilcoxon",
	"d_z", "en progrès", "stables", "en recul",
	"McNemar b (0 → 1)", "McNemar c (1 → 0)", "McNemar khi²", "p (McNemar)",
	"alpha de Cronbach (avant)",
}

func (x *xlsxWriter) results(res *surveys.Results) error {
	widths := make([]float64, len(resultsHeader))
	for i := range widths {
		widths[i] = 12
	}
	widths[0], widths[1] = 12, 50
	sw, err := x.sheet(SheetResults, resultsHeader, widths)
	if err != nil {
		return err
	}
	if res == nil {
		return sw.Flush()
	}
	n := 1
	write := func(key, label, typ string, pre, post surveys.PhaseSummary, pd surveys.Paired, mc *surveys.McNemar, alpha *float64) error {
		row := []any{Neutralize(key), Neutralize(label), typ, pre.N, num(pre.Mean), num(pre.SD), post.N, num(post.Mean), num(post.SD), pd.N, num(pd.MeanDiff)}
		if pd.CI95 != nil {
			row = append(row, pd.CI95[0], pd.CI95[1])
		} else {
			row = append(row, nil, nil)
		}
		if t := pd.T; t != nil {
			row = append(row, t.T, t.DF, t.P, num(t.PHolm))
		} else {
			row = append(row, nil, nil, nil, nil)
		}
		if wx := pd.Wilcoxon; wx != nil {
			row = append(row, wx.V, wx.P, num(wx.PHolm), methodName(wx.Method))
		} else {
			row = append(row, nil, nil, nil, nil)
		}
		row = append(row, num(pd.EffectSizeDz), pd.Improved, pd.Unchanged, pd.Declined)
		if mc != nil {
			row = append(row, mc.B, mc.C, num(mc.Statistic), num(mc.P))
		} else {
			row = append(row, nil, nil, nil, nil)
		}
		row = append(row, num(alpha))
		n++
		return sw.SetRow("A"+strconv.Itoa(n), row)
	}
	for _, it := range res.Items {
		label := it.Text
		if it.Reverse {
			label += " (score inversé)"
		}
		if err := write(it.Key, label, string(it.Type), it.Pre, it.Post, it.Paired, it.McNemar, nil); err != nil {
			return err
		}
	}
	for _, sc := range res.Scales {
		if err := write(sc.Key, sc.Title, "échelle", sc.Pre, sc.Post, sc.Paired, nil, sc.AlphaPre); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// num is an optional statistic: an empty cell when undefined.
func num(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// methodName is a test's method in the words of the results page.
func methodName(m string) string {
	switch m {
	case "exact":
		return "exacte"
	case "normal":
		return "normale"
	}
	return m
}
