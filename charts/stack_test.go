package charts

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkGolden compares an SVG with testdata/charts/NAME.svg, rewriting it
// first under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("..", "testdata", "charts", name+".svg")
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
}

func TestRenderChartsGoldenSVG(t *testing.T) {
	for _, cc := range []chartCase{
		prePostCase("prepost-ci", ciChart),
		likertCase("likert", likertSample),
		likertCase("likert-edge", likertEdge),
		likertCase("likert-empty", Likert{Title: "Atelier « Vivre ensemble »"}),
		changeCase("change", changeSample),
		changeCase("change-edge", changeEdge),
		changeCase("change-empty", Change{Rows: []ChangeRow{{Label: "a"}}}),
		knowledgeCase("knowledge", knowledgeSample),
		knowledgeCase("knowledge-empty", Knowledge{}),
	} {
		t.Run(cc.name, func(t *testing.T) { checkGolden(t, cc.name, cc.bytes(t, SVG, 1)) })
	}
}

// sized pairs a chart with its Measure function.
type sized struct {
	chartCase
	measure func(scale float64) (Size, error)
}

func sizedCases() []sized {
	return []sized{
		{likertCase("likert", likertSample), func(s float64) (Size, error) { return MeasureLikert(likertSample, s) }},
		{likertCase("likert empty", Likert{}), func(s float64) (Size, error) { return MeasureLikert(Likert{}, s) }},
		{changeCase("change", changeSample), func(s float64) (Size, error) { return MeasureChange(changeSample, s) }},
		{changeCase("change empty", Change{}), func(s float64) (Size, error) { return MeasureChange(Change{}, s) }},
		{knowledgeCase("knowledge", knowledgeSample), func(s float64) (Size, error) { return MeasureKnowledge(knowledgeSample, s) }},
		{knowledgeCase("knowledge empty", Knowledge{}), func(s float64) (Size, error) { return MeasureKnowledge(Knowledge{}, s) }},
		{prePostCase("prepost ci", ciChart), func(s float64) (Size, error) { return MeasurePrePost(ciChart, s) }},
	}
}

func TestRenderChartsPNG(t *testing.T) {
	for _, sc := range sizedCases() {
		for _, tt := range []struct {
			scale     float64
			wantWidth int
		}{{1, 900}, {2, 1800}, {0, 900}, {math.NaN(), 900}} {
			t.Run(fmt.Sprintf("%s/x%v", sc.name, tt.scale), func(t *testing.T) {
				img, err := png.Decode(bytes.NewReader(sc.bytes(t, PNG, tt.scale)))
				if err != nil {
					t.Fatalf("png.Decode: %v", err)
				}
				size, err := sc.measure(tt.scale)
				if err != nil {
					t.Fatal(err)
				}
				b := img.Bounds()
				if b.Dx() != tt.wantWidth {
					t.Errorf("width = %d, want %d", b.Dx(), tt.wantWidth)
				}
				if b.Dx() != size.Width || b.Dy() != size.Height {
					t.Errorf("size = %dx%d, Measure says %dx%d", b.Dx(), b.Dy(), size.Width, size.Height)
				}
				if r, g, bl, a := img.At(0, 0).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff || a != 0xffff {
					t.Errorf("corner pixel = %v, want opaque white", img.At(0, 0))
				}
			})
		}
	}
}

func TestRenderChartsEdgeCases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []chartCase{
		likertCase("likert zero value", Likert{}),
		likertCase("likert nil counts", Likert{Items: []LikertItem{{Label: "a"}, {Label: "b", Answers: agreement}}}),
		likertCase("likert one row", Likert{Items: []LikertItem{{Label: "a", Answers: agreement, Pre: []int{1, 2, 3, 4, 5}}}}),
		likertCase("likert 40 rows", manyLikert(40)),
		likertCase("likert 300 rows", manyLikert(300)),
		likertCase("likert 300-char question", Likert{Items: []LikertItem{{Label: longQuestion, Reverse: true, Pre: []int{1}, Post: []int{2}}}}),
		likertCase("likert 100 answers", Likert{Items: []LikertItem{{Label: "a", Pre: make([]int, 100), Post: append(make([]int, 99), 4)}}}),
		likertCase("likert huge counts", Likert{Items: []LikertItem{{Label: "a", Pre: []int{math.MaxInt, math.MaxInt}, Post: []int{math.MinInt, 1}}}}),
		likertCase("likert markup", Likert{Title: `<script>&"'`, Items: []LikertItem{{Label: "]]> <!-- & <b>", Answers: []string{"<a>", "&"}, Pre: []int{1, 1}}}}),
		likertCase("likert edge", likertEdge),
		changeCase("change zero value", Change{}),
		changeCase("change one row", Change{Rows: []ChangeRow{{Label: "a", Improved: 1}}}),
		changeCase("change 40 rows", manyChange(40)),
		changeCase("change 300 rows", manyChange(300)),
		changeCase("change 300-char question", Change{Rows: []ChangeRow{{Label: longQuestion, Declined: 2}}}),
		changeCase("change huge counts", Change{Rows: []ChangeRow{{Label: "a", Improved: math.MaxInt, Unchanged: math.MaxInt, Declined: math.MinInt}}}),
		changeCase("change edge", changeEdge),
		knowledgeCase("knowledge zero value", Knowledge{}),
		knowledgeCase("knowledge NaN, Inf and nil", Knowledge{Items: []KnowledgeItem{{Label: "a", Pre: &nan, Post: &inf}, {Label: "b"}}}),
		knowledgeCase("knowledge out of range", Knowledge{Items: []KnowledgeItem{{Label: "a", Pre: ptr(-3), Post: ptr(40), NPre: 2, NPost: 2}}}),
		knowledgeCase("knowledge one row", Knowledge{Items: []KnowledgeItem{{Label: "a", Post: ptr(1), NPost: 1}}}),
		knowledgeCase("knowledge 40 rows", manyKnowledge(40)),
		knowledgeCase("knowledge 300-char question", Knowledge{Items: []KnowledgeItem{{Label: longQuestion, Pre: ptr(0.5), NPre: 4}}}),
		prePostCase("prepost CI with NaN and Inf", PrePost{Bars: []Bar{{Label: "a", Pre: ptr(2), CIPre: &[2]float64{nan, 3}, NPre: 5, Post: ptr(3), CIPost: &[2]float64{1, inf}, NPost: 5, Min: 1, Max: 5}}}),
		prePostCase("prepost CI upside down and negative n", PrePost{Bars: []Bar{{Label: "a", Pre: ptr(2), CIPre: &[2]float64{3, 1}, NPre: 5, Post: ptr(3), CIPost: &[2]float64{2, 4}, NPost: -5, Min: 1, Max: 5}}}),
		prePostCase("prepost CI huge", PrePost{Bars: []Bar{{Label: "a", Pre: ptr(2), CIPre: &[2]float64{-math.MaxFloat64, math.MaxFloat64}, NPre: 5, Min: 1, Max: 5}}}),
	}
	for _, cc := range cases {
		for _, f := range []Format{SVG, PNG} {
			t.Run(cc.name+"/"+string(f), func(t *testing.T) {
				got := cc.bytes(t, f, 1)
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

func TestRenderChartsEmptySaysSo(t *testing.T) {
	for _, cc := range []chartCase{
		likertCase("likert no items", Likert{}),
		likertCase("likert no answers", Likert{Items: []LikertItem{{Label: "a", Answers: agreement, Pre: []int{0, 0, 0, 0, 0}}}}),
		changeCase("change no rows", Change{}),
		changeCase("change no pairs", Change{Rows: []ChangeRow{{Label: "a"}}}),
		knowledgeCase("knowledge no items", Knowledge{}),
		knowledgeCase("knowledge no answers", Knowledge{Items: []KnowledgeItem{{Label: "a"}}}),
	} {
		svg := string(cc.bytes(t, SVG, 1))
		if !strings.Contains(svg, ">Pas encore de réponses<") {
			t.Errorf("%s: chart with no data does not say %q", cc.name, "Pas encore de réponses")
		}
		if strings.Contains(svg, "n = ") {
			t.Errorf("%s: chart with no data shows n", cc.name)
		}
	}
}

// svgTexts is the text of every <text> element, in order.
func svgTexts(svg string) []string {
	var texts []string
	for _, part := range strings.Split(svg, "<text ")[1:] {
		start := strings.Index(part, ">")
		end := strings.Index(part, "</text>")
		if start >= 0 && end > start {
			texts = append(texts, htmlUnescape(part[start+1:end]))
		}
	}
	return texts
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(s)
}

// Every word of every question, of the title and of the legend reaches the
// picture, and the n of the title is the largest phase.
func TestRenderChartsKeepAllText(t *testing.T) {
	type check struct {
		cc    chartCase
		words []string
		want  []string
	}
	var checks []check
	for _, c := range []Likert{likertSample, likertEdge, manyLikert(40)} {
		words := []string{c.Title}
		nPre, nPost := 0, 0
		for _, it := range c.Items {
			words = append(words, it.Label)
			words = append(words, it.Answers...)
			nPre, nPost = max(nPre, sumPositive(it.Pre)), max(nPost, sumPositive(it.Post))
		}
		checks = append(checks, check{likertCase(c.Title, c), words, []string{fmt.Sprintf("n = %d avant, %d après", nPre, nPost)}})
	}
	for _, c := range []Change{changeSample, changeEdge, manyChange(40)} {
		words := []string{c.Title}
		pairs := 0
		for _, r := range c.Rows {
			words = append(words, r.Label)
			pairs = max(pairs, sumPositive([]int{r.Improved, r.Unchanged, r.Declined}))
		}
		checks = append(checks, check{changeCase(c.Title, c), words, []string{fmt.Sprintf("n = %d jeunes appariés (ont répondu avant et après)", pairs), "En recul", "Sans changement", "En progrès"}})
	}
	for _, c := range []Knowledge{knowledgeSample, manyKnowledge(40)} {
		words := []string{c.Title}
		nPre, nPost := 0, 0
		for _, it := range c.Items {
			words = append(words, it.Label)
			nPre, nPost = max(nPre, it.NPre), max(nPost, it.NPost)
		}
		checks = append(checks, check{knowledgeCase(c.Title, c), words, []string{fmt.Sprintf("n = %d avant, %d après", nPre, nPost)}})
	}
	for _, ch := range checks {
		texts := svgTexts(string(ch.cc.bytes(t, SVG, 1)))
		drawn := strings.Join(texts, " ")
		for _, s := range ch.words {
			for _, word := range strings.Fields(cleanText(s, maxLabelRunes, false)) {
				if len(word) > 30 {
					continue // long words are split across lines
				}
				if !strings.Contains(drawn, word) {
					t.Errorf("%s: word %q of %q is not drawn", ch.cc.name, word, s)
				}
			}
		}
		for _, w := range ch.want {
			if !contains(texts, w) {
				t.Errorf("%s: no text %q", ch.cc.name, w)
			}
		}
	}
}

func sumPositive(xs []int) int {
	n := 0
	for _, x := range xs {
		if x > 0 {
			n += x
		}
	}
	return n
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestRenderLikertValues(t *testing.T) {
	c := Likert{Items: []LikertItem{
		{Label: "Une question", Answers: []string{"Non", "Bof", "Oui"}, Pre: []int{2, 1, 1}, Post: []int{0, 1, 3}},
		{Label: "Formulée à l'envers", Reverse: true, Answers: []string{"Non", "Bof", "Oui"}, Pre: []int{1, 0, 0}},
		{Label: "Sans libellés", Pre: []int{1, 3}},
	}}
	texts := svgTexts(string(likertCaseBytes(t, c)))
	for _, want := range []string{
		"Avant", "Après", "50", "25", "75", // shares of each phase, in percent
		"n = 4", "n = 1", "pas de réponses",
		"Non", "Bof", "Oui", "1", "2", // legends: labels, else the numbers
		DefaultLikertTitle, "n = 4 avant, 4 après",
	} {
		if !contains(texts, want) {
			t.Errorf("likert chart has no text %q", want)
		}
	}
	drawn := strings.Join(texts, " ")
	if !strings.Contains(drawn, "score inversé") {
		t.Errorf("reverse-coded item is not marked %q", "score inversé")
	}
}

func likertCaseBytes(t *testing.T, c Likert) []byte {
	return likertCase("", c).bytes(t, SVG, 1)
}

func TestDivergingSides(t *testing.T) {
	tests := []struct {
		counts           []float64
		wantNeg, wantPos float64
	}{
		{[]float64{1, 1, 2, 0, 0}, 0.75, 0.25}, // neutral split across the centre
		{[]float64{0, 0, 0, 1, 3}, 0, 1},
		{[]float64{3, 1}, 0.75, 0.25}, // even scale: no middle
		{[]float64{0, 0, 4, 0, 0}, 0.5, 0.5},
		{[]float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2}, 0.25 + 0.125, 0.5 + 0.125},
	}
	for _, tt := range tests {
		b := newStackBar("", tt.counts, len(tt.counts))
		neg, pos := divergingSides(b)
		if math.Abs(neg-tt.wantNeg) > 1e-12 || math.Abs(pos-tt.wantPos) > 1e-12 {
			t.Errorf("divergingSides(%v) = %v, %v; want %v, %v", tt.counts, neg, pos, tt.wantNeg, tt.wantPos)
		}
	}
}

func TestDivergingColors(t *testing.T) {
	for k := 1; k <= maxAnswers; k++ {
		cs := divergingColors(k)
		if len(cs) != k {
			t.Fatalf("divergingColors(%d) gives %d colours", k, len(cs))
		}
		// Symmetric answers get colours of the same lightness on both sides,
		// and no two answers share a colour.
		seen := map[[3]uint8]bool{}
		for i, c := range cs {
			key := [3]uint8{c.R, c.G, c.B}
			if seen[key] {
				t.Errorf("divergingColors(%d): answer %d repeats colour %v", k, i+1, c)
			}
			seen[key] = true
		}
		if k%2 == 1 && cs[k/2] != colorNeutral {
			t.Errorf("divergingColors(%d): middle answer is %v, want neutral grey", k, cs[k/2])
		}
		if k >= 2 && (cs[0] != colorNegStrong || cs[k-1] != colorPosStrong) && k > 3 {
			t.Errorf("divergingColors(%d): ends %v, %v; want the strong colours", k, cs[0], cs[k-1])
		}
	}
}

// Layout invariants of stacked charts: rows and legends do not overlap,
// labels fit their column and their row, bars stay in their row, and the
// picture is tall enough.
func TestLayoutStackNothingOverlaps(t *testing.T) {
	charts := []stackChart{
		likertStack(likertSample), likertStack(likertEdge), likertStack(manyLikert(40)),
		changeStack(changeSample), changeStack(changeEdge), changeStack(manyChange(40)),
		likertStack(Likert{Items: []LikertItem{{Label: longQuestion, Reverse: true, Answers: []string{longQuestion, longQuestion}, Pre: []int{1, 1}}}}),
	}
	for _, c := range charts {
		l, err := layoutStack(c, 1)
		if err != nil {
			t.Fatal(err)
		}
		name := l.head.plain
		m := l.measurer
		prev := 0.0
		for _, line := range l.head.lines {
			if w := m.width(line, titleSize); w > (chartWidth-2*margin)*titleSlack {
				t.Errorf("%q: title line %q is %v wide", name, line, w)
			}
		}
		noteEnd := l.noteTop + float64(len(l.noteLines))*noteLineH
		prev = noteEnd
		for _, line := range l.noteLines {
			if w := m.width(line, noteSize); w > (chartWidth-2*margin)*labelSlack {
				t.Errorf("%q: note line %q is %v wide", name, line, w)
			}
		}
		if tagEnd := l.tagX + m.width("Après", stackTagSize); l.tagW > 0 && tagEnd > l.barX0 {
			t.Errorf("%q: tag ends at %v, bars start at %v", name, tagEnd, l.barX0)
		}
		if nEnd := l.barX1 + 8 + m.width("n = 999", stackNSize); nEnd > chartWidth-margin/2 {
			t.Errorf("%q: n column ends at %v, past the right margin", name, nEnd)
		}
		for gi, g := range l.groups {
			if g.legend.top < prev {
				t.Errorf("%q group %d: legend starts at %v, above the previous block's end %v", name, gi, g.legend.top, prev)
			}
			checkLegend(t, name, m, g.legend)
			legendEnd := g.legend.top + g.legend.height
			if first := g.plotTop; first < legendEnd {
				t.Errorf("%q group %d: plot starts at %v, inside the legend ending at %v", name, gi, first, legendEnd)
			}
			prev = g.plotTop
			for i, r := range g.rows {
				if r.top < prev {
					t.Errorf("%q row %d starts at %v, above the previous row's end %v", name, i, r.top, prev)
				}
				if end := r.labelTop + float64(len(r.label))*labelLineH; end > r.bottom {
					t.Errorf("%q row %d: label ends at %v, below the row's end %v", name, i, end, r.bottom)
				}
				barsEnd := r.barsTop + float64(len(r.bars))*stackBarH + float64(len(r.bars)-1)*stackBarGap
				if r.barsTop < r.top || barsEnd > r.bottom {
					t.Errorf("%q row %d: bars %v..%v outside the row %v..%v", name, i, r.barsTop, barsEnd, r.top, r.bottom)
				}
				for _, line := range r.label {
					if w := m.width(line, labelSize); w > l.labelW*labelSlack {
						t.Errorf("%q row %d: line %q is %v wide, column is %v", name, i, line, w, l.labelW)
					}
				}
				prev = r.bottom
			}
			if g.bottomTicksY+tickSize/2 > g.plotBottom+tickBand {
				t.Errorf("%q group %d: tick labels at %v run past the group's end", name, gi, g.bottomTicksY)
			}
			prev = g.plotBottom + tickBand
		}
		if l.height < prev+margin {
			t.Errorf("%q: height %v leaves no room below the plot ending at %v", name, l.height, prev)
		}
	}
}

// checkLegend: entries do not overlap and their lines fit their space.
func checkLegend(t *testing.T, name string, m *measurer, g legendGrid) {
	t.Helper()
	type box struct{ x0, x1, y0, y1 float64 }
	var boxes []box
	for _, e := range g.entries {
		w := 0.0
		for _, line := range e.lines {
			w = math.Max(w, m.width(line, legendSize))
		}
		b := box{e.x, e.x + legendSwatch + legendTextGap + w, e.y, e.y + float64(len(e.lines))*legendLineH}
		if b.x1 > chartWidth-margin {
			t.Errorf("%q: legend entry %q ends at %v, past the margin", name, e.text, b.x1)
		}
		if b.y1 > g.top+g.height+0.01 {
			t.Errorf("%q: legend entry %q ends at %v, below the legend's end %v", name, e.text, b.y1, g.top+g.height)
		}
		for _, o := range boxes {
			if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
				t.Errorf("%q: legend entry %q overlaps another", name, e.text)
			}
		}
		boxes = append(boxes, b)
	}
}

// A share gets its number only when its segment can hold it.
func TestStackPercentsFitTheirSegment(t *testing.T) {
	c := Likert{Items: []LikertItem{{Label: "a", Answers: []string{"A", "B", "C"}, Pre: []int{1, 98, 1}}}}
	texts := svgTexts(string(likertCaseBytes(t, c)))
	if !contains(texts, "98") || !contains(texts, "n = 100") {
		t.Errorf("wide segment has no percentage or bar no n; texts %q", texts)
	}
	if contains(texts, "1") {
		t.Errorf("a 1 %% segment got a label it cannot hold; texts %q", texts)
	}
}

func TestRenderChartsErrors(t *testing.T) {
	disk := errors.New("disk full")
	for _, cc := range []chartCase{likertCase("likert", likertSample), changeCase("change", changeSample), knowledgeCase("knowledge", knowledgeSample)} {
		if err := cc.render(io.Discard, "jpg", 1); err == nil {
			t.Errorf("%s: format jpg: got no error, want one", cc.name)
		}
		if err := cc.render(failingWriter{disk}, PNG, 1); !errors.Is(err, disk) {
			t.Errorf("%s: failing writer: got %v, want %v", cc.name, err, disk)
		}
	}
}

func TestKnowledgeValues(t *testing.T) {
	texts := svgTexts(string(knowledgeCase("", knowledgeSample).bytes(t, SVG, 1)))
	for _, want := range []string{"44\u00a0%", "82\u00a0%", "17\u00a0%", "94\u00a0%", "n = 18 avant, 17 après", "Avant", "Après", "En % de bonnes réponses (« oui » pour les questions oui/non)"} {
		if !contains(texts, want) {
			t.Errorf("knowledge chart has no text %q", want)
		}
	}
}

func TestChangeValues(t *testing.T) {
	c := Change{Rows: []ChangeRow{{Label: "a", Improved: 3, Unchanged: 1, Declined: 0}, {Label: "b"}}}
	texts := svgTexts(string(changeCase("", c).bytes(t, SVG, 1)))
	for _, want := range []string{"75", "25", "n = 4", "aucun jeune apparié", "n = 4 jeunes appariés (ont répondu avant et après)", DefaultChangeTitle} {
		if !contains(texts, want) {
			t.Errorf("change chart has no text %q; got %q", want, texts)
		}
	}
}

func BenchmarkRenderLikert(b *testing.B) {
	c := manyLikert(40)
	for _, f := range []Format{PNG, SVG} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := RenderLikert(io.Discard, c, f, 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderChange(b *testing.B) {
	c := manyChange(40)
	for _, f := range []Format{PNG, SVG} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := RenderChange(io.Discard, c, f, 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderKnowledge(b *testing.B) {
	c := manyKnowledge(40)
	for _, f := range []Format{PNG, SVG} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := RenderKnowledge(io.Discard, c, f, 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// French punctuation after a plain or no-break space stays on its word's line.
func TestWrapKeepsFrenchPunctuation(t *testing.T) {
	font, err := defaultFont()
	if err != nil {
		t.Fatal(err)
	}
	m := newMeasurer(font)
	for _, text := range []string{
		"Connais-tu une association de solidarité ? (part de « oui »)",
		"Connais-tu une association de solidarité\u00a0? (part de «\u00a0oui\u00a0»)",
	} {
		for w := 60.0; w < 400; w += 7 {
			for _, line := range m.wrap(cleanText(text, 400, false), labelSize, w) {
				first := strings.Fields(line)[0]
				if first == "?" || first == "»" || first == "oui" || strings.HasPrefix(line, "?") || strings.HasPrefix(line, "»") || strings.HasSuffix(line, "«") {
					t.Errorf("wrap(%q, %v) breaks at punctuation: line %q", text, w, line)
				}
			}
		}
	}
}
