package export

import (
	"bytes"
	"slices"
	"testing"

	"declic/surveys"
)

// An excluded response stays in the export, marked, with its flags in
// words: computed ones from Source.Flags, else the stored ones.
func TestExportMarksExcludedAndFlagged(t *testing.T) {
	src := testSource()
	rs := testResponses()
	rs[0].ID, rs[0].Excluded, rs[0].Flags = "r0", true, []surveys.Flag{surveys.FlagTooFast}
	rs[1].ID, rs[1].Flags = "r1", []surveys.Flag{surveys.FlagTooFast}
	src.Responses = stream(rs)
	col := func(name string) int { return slices.Index(wantHeader, name) }

	var buf bytes.Buffer
	if err := WriteCSV(&buf, src); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != len(rs)+1 {
		t.Fatalf("%d rows, want every response (%d) and the header", len(rows)-1, len(rs))
	}
	if got := rows[1][col("exclue")] + "/" + rows[1][col("signalements")]; got != "oui/trop rapide" {
		t.Errorf("excluded response: exclue/signalements = %q, want « oui/trop rapide »", got)
	}
	if got := rows[2][col("exclue")]; got != "" {
		t.Errorf("kept response: exclue = %q, want empty", got)
	}

	src.Responses = stream(rs)
	src.Flags = map[string][]surveys.Flag{"r1": {surveys.FlagStraightLine, surveys.FlagOverAttendance}}
	buf.Reset()
	if err := WriteCSV(&buf, src); err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, buf.Bytes())
	if got := rows[2][col("signalements")]; got != "même réponse partout | plus de réponses que de présents" {
		t.Errorf("computed flags = %q", got)
	}
	if got := rows[1][col("signalements")]; got != "" {
		t.Errorf("a response missing from Flags = %q, want none", got)
	}
}
