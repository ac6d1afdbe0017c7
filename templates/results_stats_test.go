package templates

import (
	"bytes"
	"strings"
	"testing"
)

// The results page gives every figure of the results, not only the means:
// the facilitator who writes a report finds the tests there.
func TestResultsPageShowsEveryStatistic(t *testing.T) {
	tmpl, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Render(&buf, "staff/results", sampleData()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"[\u22120,20 ; 0,90]", "1,20 (5) · 0,04 · &gt;\u00a00,99", // CI, paired t with p and p Holm (3.5 in the sample: beyond 0.99)
		"12,0 · &lt;\u00a00,001 · — · exacte", // Wilcoxon
		"1,00 (9,5) · 0,30", "20,0 · 0,20",    // Welch, Mann-Whitney
		"3 · 1 · 3,50 · &gt;\u00a00,99", // McNemar
	} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
}
