package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"declic/surveys/library"
)

// BenchmarkReadXLSFormSpec imports the XLSForm specification's test form
// (57 rows, 26 columns, two languages):
//
//	go test -run XXX -bench ReadXLSForm ./surveys/export/
func BenchmarkReadXLSFormSpec(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "xlsform", "xlsform_spec_test.xlsx"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadXLSForm(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadXLSFormOwn imports Déclic's own export of a library
// questionnaire (14 items, three languages).
func BenchmarkReadXLSFormOwn(b *testing.B) {
	var buf bytes.Buffer
	qs, err := library.Load()
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteXLSForm(&buf, qs[0]); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadXLSForm(buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
