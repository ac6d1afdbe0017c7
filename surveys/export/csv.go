package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"

	"declic/surveys"
)

// Separator is the CSV field separator: a French Excel splits on ";" when a
// file is opened by double-click, since "," is its decimal mark.
const Separator = ';'

// excelCSV starts a CSV file for a French Excel: a byte-order mark (so
// that Excel detects UTF-8), ";" between cells, CRLF line ends, then the
// header row.
func excelCSV(w io.Writer, header []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = Separator
	cw.UseCRLF = true
	return cw, cw.Write(header)
}

// WriteCSV writes one row per response: UTF-8 with a byte-order mark (so
// that Excel detects UTF-8), ";" between fields, CRLF line ends, fields
// quoted where they hold ";", quotes or line breaks. Numbers are plain
// digits, multiple choices are joined with "|", days are YYYY-MM-DD, and
// text that a spreadsheet could run as a formula is neutralized.
func WriteCSV(w io.Writer, src Source) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	t := newTable(src)
	cw, err := excelCSV(bw, t.header)
	if err != nil {
		return err
	}
	row := make([]value, len(t.header))
	record := make([]string, len(t.header))
	if src.Responses != nil {
		err := src.Responses(func(r *surveys.Response) error {
			t.fill(r, row)
			for i, v := range row {
				record[i] = csvField(v)
			}
			return cw.Write(record)
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvField(v value) string {
	switch v.kind {
	case number:
		return strconv.Itoa(v.n)
	case text:
		return Neutralize(v.s)
	case date:
		return v.s
	}
	return ""
}
