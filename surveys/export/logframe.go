package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
	"declic/surveys/fr"
)

// SheetIndicators is the logframe workbook's sheet.
const SheetIndicators = "Indicateurs"

// LogframeLine is one indicator of the « Cadre logique » with its value.
type LogframeLine struct {
	Name, Questionnaire, Measured, Measure, Verification string
	// Share: values are shares (0..1) written as percentages; else points.
	Share                       bool
	Threshold, Baseline, Target *float64
	Value                       *float64
	CI95                        *[2]float64
	N                           int
	TargetMet                   *bool
	Workshops                   int
	Period                      string // in French: « du … au … »
	// Hidden withholds the value of fewer than MinIndicatorN pupils.
	Hidden bool
}

var logframeHeader = []string{
	"indicateur", "questionnaire", "question ou échelle", "mesure", "seuil", "unité",
	"référence", "valeur", "IC 95 % bas", "IC 95 % haut", "n", "cible", "cible atteinte",
	"ateliers", "période", "moyen de vérification",
}

func (l LogframeLine) unit() string {
	if l.Share {
		return "%"
	}
	return "points"
}

func (l LogframeLine) met() string {
	switch {
	case l.Hidden:
		return fmt.Sprintf("trop peu de réponses (n < %d)", surveys.MinIndicatorN)
	case l.TargetMet == nil:
		return ""
	case *l.TargetMet:
		return "oui"
	}
	return "non"
}

// cells are the line's values in header order; numbers stay numbers
// (shares as 0..1), nil is an empty cell.
func (l LogframeLine) cells() []any {
	num := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	var value, lo, hi any
	if !l.Hidden {
		value = num(l.Value)
		if l.CI95 != nil {
			lo, hi = l.CI95[0], l.CI95[1]
		}
	}
	return []any{
		Neutralize(l.Name), Neutralize(l.Questionnaire), Neutralize(l.Measured), l.Measure, num(l.Threshold), l.unit(),
		num(l.Baseline), value, lo, hi, l.N, num(l.Target), l.met(),
		l.Workshops, l.Period, Neutralize(l.Verification),
	}
}

// WriteLogframeCSV writes the logframe for a French Excel (BOM, ";",
// decimal commas); shares are written in percent, as the unit column says.
func WriteLogframeCSV(w io.Writer, lines []LogframeLine) error {
	bw := bufio.NewWriter(w)
	cw, err := excelCSV(bw, logframeHeader)
	if err != nil {
		return err
	}
	for _, l := range lines {
		cells := l.cells()
		rec := make([]string, len(cells))
		for i, c := range cells {
			switch v := c.(type) {
			case nil:
			case float64:
				if l.Share && (i == 6 || i == 7 || i == 8 || i == 9 || i == 11) {
					v *= 100
				}
				rec[i] = fr.Decimal(v)
			case int:
				rec[i] = strconv.Itoa(v)
			case string:
				rec[i] = v
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteLogframeXLSX writes the logframe as a workbook: the sheet
// « Indicateurs » (shares as percentages, changes in points), then « À
// propos ».
func WriteLogframeXLSX(w io.Writer, lines []LogframeLine, st Stamp) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0 %
	if err != nil {
		return err
	}
	pts, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("+0.00;-0.00;0.00")})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetIndicators); err != nil {
		return err
	}
	x := &xlsxWriter{f: f, bold: bold}
	widths := []float64{40, 24, 40, 26, 7, 7, 10, 10, 10, 10, 6, 10, 16, 9, 30, 40}
	sw, err := x.sheet(SheetIndicators, logframeHeader, widths)
	if err != nil {
		return err
	}
	for i, l := range lines {
		cells := l.cells()
		style := pts
		if l.Share {
			style = pct
		}
		for _, c := range []int{6, 7, 8, 9, 11} {
			if cells[c] != nil {
				cells[c] = excelize.Cell{StyleID: style, Value: cells[c]}
			}
		}
		for _, c := range []int{0, 2, 15} {
			cells[c] = excelize.Cell{StyleID: wrap, Value: cells[c]}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := stampWorkbook(f, st, bold); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export: write logframe: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
