package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	update  = flag.Bool("update", false, "rewrite the golden files in testdata/charts")
	samples = flag.String("samples", "", "also write sample PNGs to this folder, e.g. /tmp, to look at them")
)

func ptr(v float64) *float64 { return &v }

// Labels as the built-in questionnaires word them, long ones included.
var (
	likertChart = PrePost{
		Title: "Avant / après l'atelier « Objectifs de développement durable »",
		Bars: []Bar{
			{Label: "Je sais ce que sont les Objectifs de développement durable (ODD).", Pre: ptr(2.1), Post: ptr(3.9), NPre: 18, NPost: 17, Min: 1, Max: 5},
			{Label: "Je pense que mes actions de tous les jours peuvent avoir un effet sur la vie de personnes qui vivent dans d'autres pays, même très loin d'ici.", Pre: ptr(2.8), Post: ptr(3.6), NPre: 18, NPost: 17, Min: 1, Max: 5},
			{Label: "Je me sens capable d'expliquer à un proche ce qu'est la solidarité internationale.", Pre: ptr(2.44), Post: ptr(3.35), NPre: 18, NPost: 17, Min: 1, Max: 5},
			{Label: "J'ai envie de m'engager dans un projet collectif.", Pre: ptr(3.4), Post: ptr(3.4), NPre: 17, NPost: 17, Min: 1, Max: 5},
			{Label: "Vivre avec des personnes de cultures différentes est une richesse.", Pre: ptr(4.2), Post: ptr(4.6), NPre: 18, NPost: 16, Min: 1, Max: 5},
			{Label: "Les enfants ont des droits, partout dans le monde, quelle que soit leur situation, et les adultes doivent les respecter même quand c'est difficile.", Pre: ptr(3.9), Post: ptr(5), NPre: 18, NPost: 17, Min: 1, Max: 5},
		},
	}
	mixedChart = PrePost{
		Title: "Droits de l'enfant — Collège Jean Macé, 4e B",
		Bars: []Bar{
			{Label: "Échelle « Ouverture aux autres » (4 questions)", Pre: ptr(3.12), Post: ptr(3.71), NPre: 24, NPost: 22, Min: 1, Max: 5},
			{Label: "Sur une échelle de 0 à 10, à quel point te sens-tu concerné·e par ce qui se passe dans le monde ?", Pre: ptr(5.4), Post: ptr(7.25), NPre: 24, NPost: 22, Min: 0, Max: 10},
			{Label: "Quiz : la Convention internationale des droits de l'enfant a été adoptée en 1989.", Pre: ptr(0.375), Post: ptr(0.818), NPre: 24, NPost: 22, Min: 0, Max: 1},
			{Label: "As-tu déjà participé à une action de solidarité ?", Pre: ptr(0.25), Post: ptr(0.3), NPre: 24, NPost: 22, Min: 0, Max: 1},
			{Label: "Ce que j'ai appris aujourd'hui va me servir (question posée seulement après l'atelier).", Pre: nil, Post: ptr(4.1), NPost: 21, Min: 1, Max: 5},
			{Label: "Je connais une association de solidarité près de chez moi.", Pre: ptr(1.6), Post: ptr(math.NaN()), NPre: 23, Min: 1, Max: 5},
		},
	}
	emptyChart = PrePost{Title: "Atelier « Vivre ensemble » — Centre social de Fives"}
)

func manyRows(n int) PrePost {
	c := PrePost{Title: fmt.Sprintf("%d questions", n)}
	for i := range n {
		c.Bars = append(c.Bars, Bar{
			Label: fmt.Sprintf("Question %d : affirmation de test un peu longue pour voir comment elle passe à la ligne", i+1),
			Pre:   ptr(1 + float64(i%5)*0.8), Post: ptr(1.5 + float64(i%4)),
			NPre: 30, NPost: 28, Min: 1, Max: 5,
		})
	}
	return c
}

var longLabel = string([]rune(strings.Repeat("Je pense que les jeunes de mon âge peuvent agir pour un monde plus juste & solidaire <vraiment>. ", 4))[:300])

var edgeChart = PrePost{
	Title: strings.Repeat("Titre très long d'un atelier qui n'en finit pas ", 4),
	Bars: []Bar{
		{Label: longLabel, Pre: ptr(2.5), Post: ptr(3.5), NPre: 9, NPost: 8, Min: 1, Max: 5},
		{Label: "Anticonstitutionnellementanticonstitutionnellementanticonstitutionnellementanticonstitutionnellement", Pre: ptr(-3), Post: ptr(12), NPre: 9, NPost: 8, Min: 1, Max: 5},
		{Label: "", Pre: ptr(0), Post: ptr(1), NPre: 9, NPost: 8, Min: 0, Max: 1},
		{Label: "Échelle invalide (Min = Max)", Pre: ptr(2), Post: ptr(math.Inf(1)), NPre: 9, NPost: 8, Min: 3, Max: 3},
		{Label: "Aucune donnée\x00 pour\tcette ligne", NPre: -4, Min: math.NaN(), Max: math.Inf(1)},
	},
}

func render(t *testing.T, c PrePost, f Format, scale float64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderPrePost(&buf, c, f, scale); err != nil {
		t.Fatalf("RenderPrePost(%s, %v) error: %v", f, scale, err)
	}
	return buf.Bytes()
}

func TestRenderPrePostGoldenSVG(t *testing.T) {
	tests := []struct {
		name  string
		chart PrePost
	}{
		{"prepost-likert", likertChart},
		{"prepost-mixed", mixedChart},
		{"prepost-empty", emptyChart},
		{"prepost-edge", edgeChart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.chart, SVG, 1)
			golden := filepath.Join("..", "testdata", "charts", tt.name+".svg")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test ./charts/ -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("SVG differs from %s (len got %d, want %d); if the change is intended, run go test ./charts/ -update and look at the result", golden, len(got), len(want))
			}
			mustBeXML(t, got)
		})
	}
}

func mustBeXML(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
}

func TestRenderPrePostPNG(t *testing.T) {
	tests := []struct {
		name      string
		chart     PrePost
		scale     float64
		wantWidth int
	}{
		{"screen", likertChart, 1, 900},
		{"print", likertChart, 2, 1800},
		{"empty print", emptyChart, 2, 1800},
		{"zero scale means screen", mixedChart, 0, 900},
		{"NaN scale means screen", mixedChart, math.NaN(), 900},
		{"huge scale is capped", mixedChart, 1000, 900 * maxScale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.chart, PNG, tt.scale)
			img, err := png.Decode(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("png.Decode: %v", err)
			}
			size, err := MeasurePrePost(tt.chart, tt.scale)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() != tt.wantWidth {
				t.Errorf("width = %d, want %d", b.Dx(), tt.wantWidth)
			}
			if b.Dx() != size.Width || b.Dy() != size.Height {
				t.Errorf("size = %dx%d, MeasurePrePost says %dx%d", b.Dx(), b.Dy(), size.Width, size.Height)
			}
			// Corners must be opaque white, not transparent.
			if r, g, bl, a := img.At(0, 0).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff || a != 0xffff {
				t.Errorf("corner pixel = %v, want opaque white", img.At(0, 0))
			}
		})
	}
}

func TestRenderPrePostEdgeCases(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name  string
		chart PrePost
	}{
		{"zero value", PrePost{}},
		{"empty bars", PrePost{Title: "Rien", Bars: []Bar{}}},
		{"nil means", PrePost{Bars: []Bar{{Label: "a", Min: 1, Max: 5}, {Label: "b", Min: 1, Max: 5}}}},
		{"NaN and Inf means", PrePost{Bars: []Bar{{Label: "a", Pre: &nan, Post: &inf, Min: 1, Max: 5}}}},
		{"only post", PrePost{Bars: []Bar{{Label: "a", Post: ptr(4), NPost: 3, Min: 1, Max: 5}}}},
		{"40 rows", manyRows(40)},
		{"300 rows", manyRows(300)},
		{"300-char label", PrePost{Bars: []Bar{{Label: longLabel, Pre: ptr(1), Post: ptr(2), Min: 1, Max: 5}}}},
		{"huge label", PrePost{Bars: []Bar{{Label: strings.Repeat("x", 100_000), Pre: ptr(1), Min: 1, Max: 5}}}},
		{"edge", edgeChart},
		{"extreme range", PrePost{Bars: []Bar{{Label: "a", Pre: ptr(1e300), Post: ptr(-1e300), Min: -math.MaxFloat64, Max: math.MaxFloat64}}}},
		{"tiny range", PrePost{Bars: []Bar{{Label: "a", Pre: ptr(1), Post: ptr(1 + 1e-12), Min: 1, Max: 1 + 1e-12}}}},
		{"markup in text", PrePost{Title: `<script>&"'`, Bars: []Bar{{Label: "]]> <!-- & <b>", Pre: ptr(1), Min: 0, Max: 1}}}},
	}
	for _, tt := range tests {
		for _, f := range []Format{SVG, PNG} {
			t.Run(tt.name+"/"+string(f), func(t *testing.T) {
				got := render(t, tt.chart, f, 1)
				switch f {
				case SVG:
					mustBeXML(t, got)
				case PNG:
					if _, err := png.Decode(bytes.NewReader(got)); err != nil {
						t.Fatalf("png.Decode: %v", err)
					}
				}
			})
		}
	}
}

func TestRenderPrePostEmptySaysSo(t *testing.T) {
	for _, c := range []PrePost{{}, {Bars: []Bar{{Label: "a", Min: 1, Max: 5}}}} {
		svg := string(render(t, c, SVG, 1))
		if !strings.Contains(svg, "Pas encore de réponses") {
			t.Errorf("chart with no data does not say %q", "Pas encore de réponses")
		}
		if strings.Contains(svg, "n = ") {
			t.Errorf("chart with no data shows n")
		}
	}
}

// Every word of every label and of the title must reach the picture.
func TestRenderPrePostKeepsAllText(t *testing.T) {
	for _, c := range []PrePost{likertChart, mixedChart, edgeChart, manyRows(40)} {
		svg := string(render(t, c, SVG, 1))
		var texts []string
		d := xml.NewDecoder(strings.NewReader(svg))
		inText := false
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				inText = tok.Name.Local == "text"
			case xml.EndElement:
				inText = false
			case xml.CharData:
				if inText {
					texts = append(texts, string(tok))
				}
			}
		}
		drawn := strings.Join(texts, "")
		for _, s := range append([]string{c.Title}, labels(c)...) {
			for _, word := range strings.Fields(cleanText(s, maxLabelRunes, false)) {
				if len(word) > 30 {
					continue // long words are split across lines
				}
				if !strings.Contains(drawn, word) {
					t.Errorf("word %q of %q is not drawn", word, s)
				}
			}
		}
		if want := fmt.Sprintf(">n = %d avant, %d après<", maxN(c, true), maxN(c, false)); !strings.Contains(svg, want) {
			t.Errorf("chart %q does not show %q", c.Title, want)
		}
	}
}

func labels(c PrePost) []string {
	var ls []string
	for _, b := range c.Bars {
		ls = append(ls, b.Label)
	}
	return ls
}

func maxN(c PrePost, pre bool) int {
	n := 0
	for _, b := range c.Bars {
		if pre {
			n = max(n, b.NPre)
		} else {
			n = max(n, b.NPost)
		}
	}
	return n
}

func TestRenderPrePostValues(t *testing.T) {
	svg := string(render(t, mixedChart, SVG, 1))
	for _, want := range []string{
		">3,1<", ">3,7<", // scale means, French decimal comma
		">7,3<",                      // 7.25 on 0..10
		">38\u00a0%<", ">82\u00a0%<", // quiz shares as percentages
		">pas de données<", // item asked only after
		">n = 24 avant, 22 après<",
		"<title>Droits de l&#39;enfant — Collège Jean Macé, 4e B (n = 24 avant, 22 après)</title>",
		">Avant<", ">Après<",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG does not contain %q", want)
		}
	}
}

// Layout invariants: rows do not overlap, labels fit their column and their
// row, and the picture is tall enough for everything.
func TestLayoutPrePostNothingOverlaps(t *testing.T) {
	type chart struct {
		c    PrePost
		opts prePostOptions
	}
	for _, ch := range []chart{
		{likertChart, prePostOptions{}}, {mixedChart, prePostOptions{}}, {edgeChart, prePostOptions{}},
		{manyRows(40), prePostOptions{}}, {ciChart, prePostOptions{}},
		{knowledgePrePost(knowledgeSample), knowledgeOptions(knowledgeSample)},
		{knowledgePrePost(manyKnowledge(40)), knowledgeOptions(manyKnowledge(40))},
	} {
		c := ch.c
		l, err := layoutPrePost(c, 1, ch.opts)
		if err != nil {
			t.Fatal(err)
		}
		if l.hasCI {
			if end := l.barX1 + 8 + l.measurer.width("100\u00a0%", valueSize); end > chartWidth-margin/2 {
				t.Errorf("%q: value column ends at %v, past the right margin", c.Title, end)
			}
			if l.ciLegendY-legendSize/2 < l.legendY+legendSize/2 || l.ciLegendY+legendSize/2 > l.plotTop {
				t.Errorf("%q: whisker legend at %v overlaps the legend (%v) or the plot (%v)", c.Title, l.ciLegendY, l.legendY, l.plotTop)
			}
		}
		prev := l.plotTop
		pairH := 2*barH + barGap
		for i, r := range l.rows {
			if r.top < prev {
				t.Errorf("%q row %d starts at %v, above the previous row's end %v", c.Title, i, r.top, prev)
			}
			if end := r.labelTop + float64(len(r.label))*labelLineH; end > r.bottom {
				t.Errorf("%q row %d label ends at %v, below the row's end %v", c.Title, i, end, r.bottom)
			}
			if r.pairTop < r.top || r.pairTop+pairH > r.bottom {
				t.Errorf("%q row %d bars %v..%v outside the row %v..%v", c.Title, i, r.pairTop, r.pairTop+pairH, r.top, r.bottom)
			}
			for _, line := range r.label {
				if w := l.measurer.width(line, labelSize); w > l.labelW*labelSlack {
					t.Errorf("%q row %d line %q is %v wide, column is %v", c.Title, i, line, w, l.labelW)
				}
			}
			prev = r.bottom
		}
		if l.height < l.plotBottom+margin {
			t.Errorf("%q height %v leaves no room below the plot ending at %v", c.Title, l.height, l.plotBottom)
		}
		for _, line := range l.head.lines {
			if w := l.measurer.width(line, titleSize); w > (chartWidth-2*margin)*titleSlack {
				t.Errorf("%q title line %q is %v wide", c.Title, line, w)
			}
		}
	}
}

func TestRenderPrePostErrors(t *testing.T) {
	if err := RenderPrePost(io.Discard, likertChart, "jpg", 1); err == nil {
		t.Errorf("format jpg: got no error, want one")
	}
	want := errors.New("disk full")
	if err := RenderPrePost(failingWriter{want}, likertChart, PNG, 1); !errors.Is(err, want) {
		t.Errorf("failing writer: got %v, want %v", err, want)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func BenchmarkRenderPrePost(b *testing.B) {
	c := manyRows(40)
	for _, f := range []Format{PNG, SVG} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := RenderPrePost(io.Discard, c, f, 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
