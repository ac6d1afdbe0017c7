package charts

import (
	"io"
	"strings"

	"declic/surveys"
)

// Data is what the charts of a workshop or a report are drawn from.
type Data struct {
	// Questionnaire gives the answers' labels to the likert legend; nil
	// shows the numbers.
	Questionnaire *surveys.Questionnaire
	Results       *surveys.Results
	// Caption is the source line drawn under every chart: « Source :
	// questionnaires avant/après Déclic, n = …, période … ».
	Caption string
	// Width is the charts' logical width in pixels: 0 is 900 (screens,
	// print), NarrowWidth for a phone.
	Width float64
}

// Chart is one chart Déclic serves for a workshop or a report.
type Chart struct {
	Name  string // in URLs: /charts/{Name}.png
	File  string // in download names: odd-2026-t1-{File}.png
	Title string // above the figure on pages
	draw  func(w io.Writer, d Data, f Format, scale float64) error
}

// registry lists the charts in reading order. A new chart is one file
// with its draw function, and one line here.
var registry = []Chart{
	{"prepost", "avant-apres", "Moyennes avant / après", drawPrePost},
	{"change", "evolution", "Qui a progressé ?", drawChange},
	{"likert", "reponses", "Répartition des réponses", drawLikert},
	{"knowledge", "connaissances", "Connaissances : part de bonnes réponses", drawKnowledge},
}

// All lists every chart, in reading order.
func All() []Chart { return append([]Chart(nil), registry...) }

// Lookup finds a chart by its name.
func Lookup(name string) (Chart, bool) {
	for _, c := range registry {
		if c.Name == name {
			return c, true
		}
	}
	return Chart{}, false
}

// Unknown is the error for a chart file that is not served: ENOTFOUND,
// naming the charts that are.
func Unknown(file string) error {
	names := make([]string, len(registry))
	for i, c := range registry {
		names[i] = c.Name
	}
	return surveys.Errorf(surveys.ENOTFOUND, "Graphique inconnu : « %s ». Graphiques disponibles : %s, en .png ou .svg.",
		file, strings.Join(names, ", "))
}

// Render draws chart name of d. Results must not be nil.
func Render(w io.Writer, name string, d Data, f Format, scale float64) error {
	c, ok := Lookup(name)
	if !ok {
		return Unknown(name)
	}
	if d.Results == nil {
		d.Results = &surveys.Results{}
	}
	return c.draw(w, d, f, scale)
}
