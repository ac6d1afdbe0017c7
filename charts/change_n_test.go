package charts

import (
	"bytes"
	"strings"
	"testing"
)

// The title's n is the number of paired pupils when given: a retrospective
// row can count more pupils than answered both PRE and POST.
func TestRenderChangeTitleN(t *testing.T) {
	c := Change{Rows: []ChangeRow{
		{Label: "Question", Improved: 4, Unchanged: 2, Declined: 1},
		{Label: "Rétrospective", Improved: 6, Unchanged: 2, Declined: 1},
	}}
	for _, tt := range []struct {
		nPaired int
		want    string
	}{{0, "n = 9 jeunes appariés"}, {7, "n = 7 jeunes appariés"}} {
		c.NPaired = tt.nPaired
		var buf bytes.Buffer
		if err := RenderChange(&buf, c, SVG, 1); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("NPaired %d: the SVG does not say %q", tt.nPaired, tt.want)
		}
	}
}
