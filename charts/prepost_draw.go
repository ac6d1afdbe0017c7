package charts

import (
	"math"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// baseline returns the baseline that centres a line of text of the given
// size on y (Roboto's capitals are about 0.7 em high).
func baseline(y, size float64) float64 { return y + 0.35*size }

func (l *prePostLayout) draw(s *surface) {
	m := l.measurer
	contentW := l.width - 2*margin

	l.head.draw(s)

	if l.empty {
		l.drawEmpty(s, contentW)
		return
	}

	// Legend on the left, what the numbers are over the bars.
	x := margin
	for _, item := range []struct {
		label string
		color drawing.Color
	}{{"Avant", colorPre}, {"Après", colorPost}} {
		s.rect(x, l.legendY-legendSize/2, 2*legendSize, legendSize, item.color)
		x += 2*legendSize + 7
		s.text(item.label, x, baseline(l.legendY, legendSize), legendSize, colorInk)
		x += m.width(item.label, legendSize) + legendGap*2
	}
	// Left-aligned over the bars it describes, so a wider font grows into
	// free space rather than off the edge.
	if l.noteLines == nil {
		s.text(l.scaleNote, math.Max(x, l.barX0), baseline(l.legendY, legendSize), legendSize, colorMuted)
	}
	for i, line := range l.noteLines {
		s.text(line, margin, baseline(l.noteTop+(legendSize+5)*(float64(i)+0.5), legendSize), legendSize, colorMuted)
	}
	if l.hasCI {
		x := margin
		l.drawWhisker(s, x+2, x+2*legendSize-2, l.ciLegendY, legendSize*0.8, true, true)
		s.text("Intervalle de confiance à 95 % de la moyenne", x+2*legendSize+7, baseline(l.ciLegendY, legendSize), legendSize, colorMuted)
	}

	if l.shared != nil {
		l.drawGrid(s, *l.shared, l.plotTop, l.plotBottom)
		l.drawTickLabels(s, *l.shared, l.plotBottom+tickBand/2+1)
		if l.sharedTopTicks {
			l.drawTickLabels(s, *l.shared, l.plotTop-tickBand/2)
		}
	}

	pairH := 2*barH + barGap
	for i, r := range l.rows {
		if i < len(l.rows)-1 {
			s.hrule(margin, l.width-margin, r.bottom, 1, colorRule)
		}
		switch {
		case l.shared != nil:
		case r.pre == nil && r.post == nil: // a scale with nothing on it is noise
			s.vrule(l.barX0, r.pairTop-4, r.pairTop+pairH+4, 1.2, colorAxis)
		default:
			l.drawGrid(s, r.scale, r.pairTop-4, r.pairTop+pairH+4)
			l.drawTickLabels(s, r.scale, r.pairTop+pairH+4+tickBand/2)
		}
		for j, line := range r.label {
			s.text(line, l.labelX, baseline(r.labelTop+labelLineH*(float64(j)+0.5), labelSize), labelSize, colorInk)
		}
		l.drawBar(s, r.scale, r.pre, r.preCI, r.pairTop, colorPre)
		l.drawBar(s, r.scale, r.post, r.postCI, r.pairTop+barH+barGap, colorPost)
	}

	l.hidden.draw(s)
}

// x maps a value of the row's scale to the bar area, clamped to it.
func (l *prePostLayout) x(rs rowScale, v float64) float64 {
	f := (v - rs.min) / (rs.max - rs.min)
	f = min(max(f, 0), 1)
	return l.barX0 + f*(l.barX1-l.barX0)
}

func (l *prePostLayout) drawGrid(s *surface, rs rowScale, top, bottom float64) {
	for _, t := range rs.ticks {
		if t != rs.min {
			s.vrule(l.x(rs, t), top, bottom, 1, colorGrid)
		}
	}
	// Bars start at Min: mark it as the axis.
	s.vrule(l.barX0, top, bottom, 1.2, colorAxis)
}

func (l *prePostLayout) drawTickLabels(s *surface, rs rowScale, centre float64) {
	for _, t := range rs.ticks {
		txt := rs.tickText(t)
		w := l.measurer.width(txt, tickSize)
		s.text(txt, l.x(rs, t)-w/2, baseline(centre, tickSize), tickSize, colorMuted)
	}
}

func (l *prePostLayout) drawBar(s *surface, rs rowScale, v *float64, ci *interval, top float64, c drawing.Color) {
	centre := top + barH/2
	if v == nil {
		s.text("pas de données", l.barX0+6, baseline(centre, missingSize), missingSize, colorMuted)
		return
	}
	end := l.x(rs, *v)
	s.rect(l.barX0, top, end-l.barX0, barH, c)
	textX := end + 5
	if l.hasCI {
		// Whiskers would cross a value written at the end of its bar, and
		// one written after its whisker could sit under another mean's tick:
		// values go in a column of their own.
		textX = l.barX1 + 8
	}
	if ci != nil {
		l.drawWhisker(s, l.x(rs, ci.lo), l.x(rs, ci.hi), centre, barH*0.75, !ci.clipLo, !ci.clipHi)
	}
	s.text(rs.valueText(*v), textX, baseline(centre, valueSize), valueSize, colorInk)
}

// drawWhisker draws an interval as a line centred on y, with a cap at each
// end that is the interval's own end (not where the scale cut it).
func (l *prePostLayout) drawWhisker(s *surface, x0, x1, y, capH float64, capLo, capHi bool) {
	if x1-x0 < 0.5 {
		return // an interval of width zero (sd = 0) says nothing visible
	}
	s.hrule(x0, x1, y, 1.5, colorInk)
	if capLo {
		s.vrule(x0, y-capH/2, y+capH/2, 1.5, colorInk)
	}
	if capHi {
		s.vrule(x1, y-capH/2, y+capH/2, 1.5, colorInk)
	}
}

func (l *prePostLayout) drawEmpty(s *surface, contentW float64) {
	const panelH = 150.0
	s.rect(margin, l.emptyTop, contentW, panelH, colorPanel)
	msg := "Pas encore de réponses"
	w := l.measurer.width(msg, 22)
	s.text(msg, margin+(contentW-w)/2, baseline(l.emptyTop+panelH/2-12, 22), 22, colorInk)
	hint := l.emptyHint
	w = l.measurer.width(hint, labelSize)
	s.text(hint, margin+(contentW-w)/2, baseline(l.emptyTop+panelH/2+20, labelSize), labelSize, colorMuted)
}
