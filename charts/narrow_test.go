package charts

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// A chart laid out for a phone (NarrowWidth) keeps every text within its
// width: titles, notes, labels, values, legends.
func TestNarrowChartsFit(t *testing.T) {
	w := NarrowWidth
	within := func(name, what string, x float64) {
		t.Helper()
		if x > w-margin/2 {
			t.Errorf("%s: %s ends at %.0f, past a %.0f px chart", name, what, x, w)
		}
	}
	for _, c := range []PrePost{likertChart, mixedChart, edgeChart, ciChart, manyRows(12)} {
		c.Width = w
		l, err := layoutPrePost(c, 1, prePostOptions{})
		if err != nil {
			t.Fatal(err)
		}
		name, m := "prepost "+c.Title, l.measurer
		if l.width != w {
			t.Errorf("%s: width %v, want %v", name, l.width, w)
		}
		for _, line := range l.head.lines {
			within(name, "title "+line, margin+m.width(line, titleSize))
		}
		if l.noteLines == nil {
			x := margin + 2*(2*legendSize+7+legendGap*2) + m.width("Avant", legendSize) + m.width("Après", legendSize)
			within(name, "scale note", math.Max(x, l.barX0)+m.width(l.scaleNote, legendSize))
		}
		for _, line := range l.noteLines {
			within(name, "scale note "+line, margin+m.width(line, legendSize))
		}
		within(name, "values", l.barX1+8+m.width("100\u00a0%", valueSize))
		for _, r := range l.rows {
			for _, line := range r.label {
				within(name, "label "+line, l.labelX+m.width(line, labelSize))
			}
		}
		if l.barX1-l.barX0 < 100 {
			t.Errorf("%s: bars only %.0f px wide", name, l.barX1-l.barX0)
		}
	}
	stacks := []stackChart{likertStack(likertSample), changeStack(changeSample), likertStack(manyLikert(6))}
	for i := range stacks {
		stacks[i].width = w
	}
	for _, c := range stacks {
		l, err := layoutStack(c, 1)
		if err != nil {
			t.Fatal(err)
		}
		name, m := "stack "+l.head.plain, l.measurer
		for _, line := range l.head.lines {
			within(name, "title "+line, margin+m.width(line, titleSize))
		}
		for _, line := range l.noteLines {
			within(name, "note "+line, margin+m.width(line, noteSize))
		}
		within(name, "n column", l.barX1+8+m.width("n = 999", stackNSize))
		for _, g := range l.groups {
			for _, e := range g.legend.entries {
				for _, line := range e.lines {
					within(name, "legend "+line, e.x+legendSwatch+legendTextGap+m.width(line, legendSize))
				}
			}
			for _, r := range g.rows {
				for _, line := range r.label {
					within(name, "label "+line, l.labelX+m.width(line, labelSize))
				}
			}
		}
	}
	// And they draw, in both formats, at the width asked.
	for _, cc := range []struct {
		name   string
		render func(*bytes.Buffer, Format) error
	}{
		{"prepost", func(b *bytes.Buffer, f Format) error { c := mixedChart; c.Width = w; return RenderPrePost(b, c, f, 1) }},
		{"likert", func(b *bytes.Buffer, f Format) error { c := likertSample; c.Width = w; return RenderLikert(b, c, f, 1) }},
		{"change", func(b *bytes.Buffer, f Format) error { c := changeSample; c.Width = w; return RenderChange(b, c, f, 1) }},
		{"knowledge", func(b *bytes.Buffer, f Format) error {
			c := knowledgeSample
			c.Width = w
			return RenderKnowledge(b, c, f, 1)
		}},
	} {
		for _, f := range []Format{SVG, PNG} {
			var b bytes.Buffer
			if err := cc.render(&b, f); err != nil {
				t.Errorf("%s %s: %v", cc.name, f, err)
			}
			if f == SVG && !bytes.Contains(b.Bytes(), []byte(fmt.Sprintf(`width="%d"`, int(w)))) {
				t.Errorf("%s: the SVG is not %v px wide: %.200s", cc.name, w, b.Bytes())
			}
		}
	}
}
