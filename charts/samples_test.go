package charts

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// TestRenderAllSamples renders every sample at 1x and 2x, in PNG and SVG,
// at the default width and laid out for a phone, and checks each is an
// image of the expected size. With -samples DIR
// (go test ./charts/ -run Samples -samples /tmp) it also writes them there
// to look at.
func TestRenderAllSamples(t *testing.T) {
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
				b := cc.bytes(t, f, scale)
				checkSample(t, cc.name, f, scale, b)
				if *samples == "" {
					continue
				}
				out := filepath.Join(*samples, fmt.Sprintf("charts-%s-x%v.%s", cc.name, scale, f))
				if err := os.WriteFile(out, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// checkSample fails unless b is a whole image: a PNG that decodes, with a
// width that scale multiplied, or an SVG document that closes.
func checkSample(t *testing.T, name string, f Format, scale float64, b []byte) {
	t.Helper()
	switch f {
	case PNG:
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s x%v: not a PNG: %v", name, scale, err)
			return
		}
		if cfg.Width < int(300*scale) || cfg.Height < 50 {
			t.Errorf("%s x%v: PNG of %d×%d px", name, scale, cfg.Width, cfg.Height)
		}
	case SVG:
		s := strings.TrimSpace(string(b))
		if !strings.HasPrefix(s, "<svg") && !strings.HasPrefix(s, "<?xml") || !strings.HasSuffix(s, "</svg>") {
			t.Errorf("%s x%v: not a whole SVG document (%d bytes)", name, scale, len(b))
		}
	}
}
