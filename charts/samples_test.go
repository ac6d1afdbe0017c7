package charts

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// chartCase is one chart of any kind, rendered through a common signature.
type chartCase struct {
	name   string
	render func(w io.Writer, f Format, scale float64) error
}

func likertCase(name string, c Likert) chartCase {
	return chartCase{name, func(w io.Writer, f Format, s float64) error { return RenderLikert(w, c, f, s) }}
}
func changeCase(name string, c Change) chartCase {
	return chartCase{name, func(w io.Writer, f Format, s float64) error { return RenderChange(w, c, f, s) }}
}
func knowledgeCase(name string, c Knowledge) chartCase {
	return chartCase{name, func(w io.Writer, f Format, s float64) error { return RenderKnowledge(w, c, f, s) }}
}
func prePostCase(name string, c PrePost) chartCase {
	return chartCase{name, func(w io.Writer, f Format, s float64) error { return RenderPrePost(w, c, f, s) }}
}

func (cc chartCase) bytes(t testing.TB, f Format, scale float64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := cc.render(&buf, f, scale); err != nil {
		t.Fatalf("render %s (%s, scale %v): %v", cc.name, f, scale, err)
	}
	return buf.Bytes()
}

// go test ./charts/ -run Samples -samples /tmp writes every chart to look
// at: each sample at 1x and 2x, in PNG and SVG, at the default width and
// laid out for a phone (-phone).
func TestRenderAllSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("use -samples DIR to write sample charts")
	}
	narrow := func(c PrePost) PrePost { c.Width = NarrowWidth; return c }
	cases := []chartCase{
		prePostCase("prepost-likert", likertChart),
		prePostCase("prepost-mixed", mixedChart),
		prePostCase("prepost-empty", emptyChart),
		prePostCase("prepost-edge", edgeChart),
		prePostCase("prepost-40", manyRows(40)),
		prePostCase("prepost-300", manyRows(300)),
		prePostCase("prepost-mixed-phone", narrow(mixedChart)),
		prePostCase("prepost-ci", ciChart),
		likertCase("likert", likertSample),
		likertCase("likert-40", manyLikert(40)),
		likertCase("likert-empty", Likert{}),
		likertCase("likert-edge", likertEdge),
		likertCase("likert-phone", Likert{Items: likertSample.Items, Width: NarrowWidth}),
		changeCase("change", changeSample),
		changeCase("change-40", manyChange(40)),
		changeCase("change-empty", Change{Rows: []ChangeRow{{Label: "a"}}}),
		changeCase("change-edge", changeEdge),
		changeCase("change-phone", Change{Rows: changeSample.Rows, NPaired: changeSample.NPaired, Width: NarrowWidth}),
		knowledgeCase("knowledge", knowledgeSample),
		knowledgeCase("knowledge-40", manyKnowledge(40)),
		knowledgeCase("knowledge-empty", Knowledge{}),
	}
	for _, cc := range cases {
		for _, scale := range []float64{1, 2} {
			for _, f := range []Format{PNG, SVG} {
				out := filepath.Join(*samples, fmt.Sprintf("charts-%s-x%v.%s", cc.name, scale, f))
				if err := os.WriteFile(out, cc.bytes(t, f, scale), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
