package handlers

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
	"declic/surveys/export"
)

// chartNames are the charts served for a workshop or a report, in the order
// of the chart pack.
var chartNames = []string{"prepost", "likert", "change", "knowledge"}

// renderChart draws one chart of res. q gives the answers' labels to the
// likert legend; without it (nil) the legend shows the numbers.
func renderChart(w io.Writer, name string, f charts.Format, scale float64, q *surveys.Questionnaire, res *surveys.Results) error {
	return renderChartWidth(w, name, f, scale, 0, q, res)
}

// renderChartWidth draws a chart width logical pixels wide (0: 900, for
// screens and print; charts.NarrowWidth for a phone).
func renderChartWidth(w io.Writer, name string, f charts.Format, scale, width float64, q *surveys.Questionnaire, res *surveys.Results) error {
	switch name {
	case "prepost":
		c := prePostChart(res)
		c.Width = width
		return charts.RenderPrePost(w, c, f, scale)
	case "likert":
		c := likertChart(q, res)
		c.Width = width
		return charts.RenderLikert(w, c, f, scale)
	case "change":
		c := changeChart(res)
		c.Width = width
		return charts.RenderChange(w, c, f, scale)
	case "knowledge":
		c := knowledgeChart(res)
		c.Width = width
		return charts.RenderKnowledge(w, c, f, scale)
	}
	return unknownChart(name)
}

// chartWidth reads ?largeur=telephone: a chart laid out for a phone's
// screen, which the results page offers phones.
func chartWidth(c *gin.Context) float64 {
	if c.Query("largeur") == "telephone" {
		return charts.NarrowWidth
	}
	return 0
}

func unknownChart(file string) error {
	return surveys.Errorf(surveys.ENOTFOUND, "Graphique inconnu : « %s ». Graphiques disponibles : %s, en .png ou .svg.",
		file, strings.Join(chartNames, ", "))
}

// retroNote marks a retrospective item, whose "before" was given at the end.
const retroNote = " (rétrospective : « avant » et « aujourd'hui » donnés à la fin)"

// prePostChart turns results into the chart's rows: items, then scales.
func prePostChart(res *surveys.Results) charts.PrePost {
	c := charts.PrePost{Title: "Moyennes avant / après l'atelier"}
	for _, it := range res.Items {
		label := it.Text
		if it.Reverse {
			label += " (formulée à l'envers : score inversé, plus haut = mieux)"
		}
		if it.Type == surveys.Retro {
			label += retroNote
		}
		c.Bars = append(c.Bars, charts.Bar{
			Label: label, Pre: it.Pre.Mean, Post: it.Post.Mean, NPre: it.Pre.N, NPost: it.Post.N,
			SDPre: it.Pre.SD, SDPost: it.Post.SD, Min: it.Min, Max: it.Max,
		})
	}
	for _, sc := range res.Scales {
		c.Bars = append(c.Bars, charts.Bar{
			Label: "Échelle : " + sc.Title, Pre: sc.Pre.Mean, Post: sc.Post.Mean, NPre: sc.Pre.N, NPost: sc.Post.N,
			SDPre: sc.Pre.SD, SDPost: sc.Post.SD, Min: sc.Min, Max: sc.Max,
		})
	}
	return c
}

// knowledgeItem reports whether an item is scored right/wrong (0 or 1).
func knowledgeItem(it *surveys.ItemResult) bool {
	return it.Type == surveys.Quiz || it.Type == surveys.YesNo
}

// likertChart shows the answers to every item on a min..max scale (likert,
// 0-10 and the like), as pupils gave them, with the questionnaire's labels.
func likertChart(q *surveys.Questionnaire, res *surveys.Results) charts.Likert {
	c := charts.Likert{}
	for i := range res.Items {
		it := &res.Items[i]
		if knowledgeItem(it) || !(it.Max > it.Min) || it.Max-it.Min > 100 {
			continue
		}
		lo, hi := int(math.Round(it.Min)), int(math.Round(it.Max))
		var labels []string
		if q != nil {
			if qi, ok := q.Item(it.Key); ok && qi.Scale != nil {
				for _, l := range qi.Scale.Labels {
					labels = append(labels, l.String())
				}
			}
		}
		li := charts.LikertItem{Label: it.Text, Reverse: it.Reverse}
		for v := lo; v <= hi; v++ {
			answer := strconv.Itoa(v)
			if k := v - lo; k < len(labels) && strings.TrimSpace(labels[k]) != "" {
				answer += " · " + labels[k]
			}
			li.Answers = append(li.Answers, answer)
			li.Pre = append(li.Pre, it.Pre.Counts[strconv.Itoa(v)])
			li.Post = append(li.Post, it.Post.Counts[strconv.Itoa(v)])
		}
		c.Items = append(c.Items, li)
	}
	return c
}

// changeChart counts paired participants who moved, item by item then scale
// by scale; scores are after reversal, so up is always better.
func changeChart(res *surveys.Results) charts.Change {
	c := charts.Change{NPaired: res.NPaired}
	for _, it := range res.Items {
		label := it.Text
		if it.Reverse {
			label += " (score inversé)"
		}
		if it.Type == surveys.Retro {
			label += retroNote
		}
		p := it.Paired
		c.Rows = append(c.Rows, charts.ChangeRow{Label: label, Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined})
	}
	for _, sc := range res.Scales {
		p := sc.Paired
		c.Rows = append(c.Rows, charts.ChangeRow{Label: "Échelle : " + sc.Title, Improved: p.Improved, Unchanged: p.Unchanged, Declined: p.Declined})
	}
	return c
}

// knowledgeChart: the mean of a 0/1 score is the share of correct answers
// (of "oui" for a yes/no question).
func knowledgeChart(res *surveys.Results) charts.Knowledge {
	c := charts.Knowledge{}
	for i := range res.Items {
		it := &res.Items[i]
		if !knowledgeItem(it) {
			continue
		}
		label := it.Text
		if it.Type == surveys.YesNo {
			label += " (part de «\u00a0oui\u00a0»)"
		}
		c.Items = append(c.Items, charts.KnowledgeItem{Label: label, Pre: it.Pre.Mean, Post: it.Post.Mean, NPre: it.Pre.N, NPost: it.Post.N})
	}
	return c
}

// chartScale reads ?taille=print (or 2): twice the pixels, for reports.
func chartScale(c *gin.Context) float64 {
	if q := c.Query("taille"); q == "print" || q == "2" {
		return 2
	}
	return 1
}

// serveChart answers file ("likert.svg", "prepost.png", …) for res: format
// from the extension, ?taille=print, an ETag of the bytes (304 when it
// matches) and a 404 naming the known charts. Workshop and report routes
// share it; q may be nil.
func (s *server) serveChart(c *gin.Context, file string, q *surveys.Questionnaire, res *surveys.Results) {
	name, ext, _ := strings.Cut(file, ".")
	format, err := charts.ParseFormat(ext)
	if err != nil || !knownChart(name) {
		s.apiFail(c, unknownChart(file))
		return
	}
	var buf bytes.Buffer
	if err := renderChartWidth(&buf, name, format, chartScale(c), chartWidth(c), q, res); err != nil {
		s.apiFail(c, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, format.ContentType(), buf.Bytes())
}

func knownChart(name string) bool {
	for _, n := range chartNames {
		if n == name {
			return true
		}
	}
	return false
}

// etagMatches understands a list of tags and "*", as browsers send them.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// workshopChart serves /charts/{name}.png|.svg.
func (s *server) workshopChart(c *gin.Context) {
	file := c.Param("file")
	// An unknown chart is a 404 before any database work.
	if name, ext, _ := strings.Cut(file, "."); !knownChart(name) || charts.Format(strings.ToLower(ext)).ContentType() == "" {
		s.apiFail(c, unknownChart(file))
		return
	}
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	q, res, err := s.results(c, w, false)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChart(c, file, q, res)
}

// workshopChartPack serves /charts.zip: every chart and the numbers behind them.
func (s *server) workshopChartPack(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	q, res, err := s.results(c, w, false)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChartPack(c, export.FileName("zip", "graphiques", w.Date, w.Title), q, res)
}

// serveChartPack builds the ZIP in memory, so a failure is still a clean
// JSON error, then sends it as a download named filename.
func (s *server) serveChartPack(c *gin.Context, filename string, q *surveys.Questionnaire, res *surveys.Results) {
	var buf bytes.Buffer
	if err := s.writeChartPack(&buf, q, res); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}

// writeChartPack writes a ZIP of every chart as a print-size PNG and an SVG,
// and donnees.csv with the numbers behind them. q may be nil.
func (s *server) writeChartPack(w io.Writer, q *surveys.Questionnaire, res *surveys.Results) error {
	zw := zip.NewWriter(w)
	now := time.Now()
	add := func(name string, write func(io.Writer) error) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return fmt.Errorf("chart pack: %s: %w", name, err)
		}
		if err := write(f); err != nil {
			return fmt.Errorf("chart pack: %s: %w", name, err)
		}
		return nil
	}
	for _, name := range chartNames {
		for _, f := range []struct {
			format charts.Format
			scale  float64
		}{{charts.PNG, 2}, {charts.SVG, 1}} {
			err := add(name+"."+string(f.format), func(w io.Writer) error { return renderChart(w, name, f.format, f.scale, q, res) })
			if err != nil {
				return err
			}
		}
	}
	if err := add("donnees.csv", func(w io.Writer) error { return writeChartData(w, res) }); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("chart pack: %w", err)
	}
	return nil
}

// chartDataHeader names the columns of donnees.csv.
var chartDataHeader = []string{
	"genre", "clé", "type", "libellé", "score inversé", "phase", "n", "moyenne", "écart-type",
	"IC 95 % bas", "IC 95 % haut", "% bonnes réponses", "répartition des réponses",
	"en progrès", "sans changement", "en recul",
}

// writeChartData writes the numbers behind the charts for French Excel:
// UTF-8 with a BOM, ";" between cells, decimal commas. Each item and scale
// has an "avant" and an "après" row, then an "évolution" row for its pairs
// (mean and interval of the paired difference, improved/unchanged/declined).
func writeChartData(w io.Writer, res *surveys.Results) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(chartDataHeader); err != nil {
		return err
	}
	type measure struct {
		kind, key, typ, label string
		reverse, knowledge    bool
		pre, post             surveys.PhaseSummary
		paired                surveys.Paired
	}
	var ms []measure
	for i := range res.Items {
		it := &res.Items[i]
		ms = append(ms, measure{"question", it.Key, string(it.Type), it.Text, it.Reverse, knowledgeItem(it), it.Pre, it.Post, it.Paired})
	}
	for _, sc := range res.Scales {
		ms = append(ms, measure{"échelle", sc.Key, "échelle", sc.Title, false, false, sc.Pre, sc.Post, sc.Paired})
	}
	for _, m := range ms {
		reverse := "non"
		if m.reverse {
			reverse = "oui"
		}
		lead := []string{m.kind, export.Neutralize(m.key), m.typ, export.Neutralize(m.label), reverse}
		for _, ph := range []struct {
			name string
			sum  surveys.PhaseSummary
		}{{"avant", m.pre}, {"après", m.post}} {
			lo, hi, ok := charts.MeanCI95(ph.sum.N, ph.sum.Mean, ph.sum.SD)
			ci := []string{"", ""}
			if ok {
				ci = []string{decimal(lo), decimal(hi)}
			}
			pct := ""
			if m.knowledge && ph.sum.Mean != nil {
				pct = decimal(*ph.sum.Mean * 100)
			}
			row := append(append([]string{}, lead...), ph.name, strconv.Itoa(ph.sum.N), optDecimal(ph.sum.Mean), optDecimal(ph.sum.SD))
			row = append(row, ci[0], ci[1], pct, distribution(ph.sum.Counts), "", "", "")
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		p := m.paired
		ci := []string{"", ""}
		if p.CI95 != nil {
			ci = []string{decimal(p.CI95[0]), decimal(p.CI95[1])}
		}
		row := append(append([]string{}, lead...), "évolution", strconv.Itoa(p.N), optDecimal(p.MeanDiff), optDecimal(p.SDDiff))
		row = append(row, ci[0], ci[1], "", "", strconv.Itoa(p.Improved), strconv.Itoa(p.Unchanged), strconv.Itoa(p.Declined))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// decimal writes a number as French Excel reads it: "-1,25", at most four
// decimals, no thousands separator.
func decimal(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	v = math.Round(v*1e4) / 1e4
	if v == 0 {
		v = 0 // no "-0"
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

func optDecimal(p *float64) string {
	if p == nil {
		return ""
	}
	return decimal(*p)
}

// distribution lists the counts as "1 : 3 | 2 : 5", answers in numeric
// order when they are numbers.
func distribution(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, errA := strconv.ParseFloat(keys[i], 64)
		b, errB := strconv.ParseFloat(keys[j], 64)
		if errA == nil && errB == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " : " + strconv.Itoa(counts[k])
	}
	return export.Neutralize(strings.Join(parts, " | "))
}
