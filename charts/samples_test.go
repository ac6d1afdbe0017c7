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

// go test ./charts/ -run AllSamples -samples /tmp writes every chart to look at.
func TestRenderAllSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("use -samples DIR to write sample charts")
	}
	cases := []chartCase{
		prePostCase("prepost-ci", ciChart),
		likertCase("likert", likertSample),
		likertCase("likert-40", manyLikert(40)),
		likertCase("likert-empty", Likert{}),
		likertCase("likert-edge", likertEdge),
		changeCase("change", changeSample),
		changeCase("change-40", manyChange(40)),
		changeCase("change-empty", Change{Rows: []ChangeRow{{Label: "a"}}}),
		changeCase("change-edge", changeEdge),
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
