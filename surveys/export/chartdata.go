package export

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"declic/surveys"
	"declic/surveys/fr"
)

// chartDataHeader names the columns of donnees.csv. The first says what a
// row is about, « question » or « échelle ».
var chartDataHeader = []string{
	"question ou échelle", "clé", "type", "libellé", "score inversé", "phase", "n", "moyenne", "écart-type",
	"IC 95 % bas", "IC 95 % haut", "% bonnes réponses", "répartition des réponses",
	"en progrès", "sans changement", "en recul",
}

// WriteChartData writes the numbers behind the charts for French Excel:
// UTF-8 with a BOM, ";" between cells, decimal commas. Each item and scale
// has an "avant" and an "après" row (with the mean's interval the results
// give), then an "évolution" row for its pairs (mean and interval of the
// paired difference, improved/unchanged/declined).
func WriteChartData(w io.Writer, res *surveys.Results) error {
	cw, err := excelCSV(w, chartDataHeader)
	if err != nil {
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
		ms = append(ms, measure{"question", it.Key, string(it.Type), it.Text, it.Reverse, it.Type.Binary(), it.Pre, it.Post, it.Paired})
	}
	for _, sc := range res.Scales {
		ms = append(ms, measure{"échelle", sc.Key, "échelle", sc.Title, false, false, sc.Pre, sc.Post, sc.Paired})
	}
	for _, m := range ms {
		lead := []string{m.kind, Neutralize(m.key), m.typ, Neutralize(m.label), ouiNon(m.reverse)}
		for _, ph := range []struct {
			name string
			sum  surveys.PhaseSummary
		}{{"avant", m.pre}, {"après", m.post}} {
			pct := ""
			if m.knowledge && ph.sum.Mean != nil {
				pct = fr.Decimal(*ph.sum.Mean * 100)
			}
			lo, hi := interval(ph.sum.CI95)
			row := append(append([]string{}, lead...), ph.name, strconv.Itoa(ph.sum.N), decimal(ph.sum.Mean), decimal(ph.sum.SD))
			row = append(row, lo, hi, pct, distribution(ph.sum.Counts), "", "", "")
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		p := m.paired
		lo, hi := interval(p.CI95)
		row := append(append([]string{}, lead...), "évolution", strconv.Itoa(p.N), decimal(p.MeanDiff), decimal(p.SDDiff))
		row = append(row, lo, hi, "", "", strconv.Itoa(p.Improved), strconv.Itoa(p.Unchanged), strconv.Itoa(p.Declined))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func decimal(p *float64) string {
	if p == nil {
		return ""
	}
	return fr.Decimal(*p)
}

func interval(ci *[2]float64) (lo, hi string) {
	if ci == nil {
		return "", ""
	}
	return fr.Decimal(ci[0]), fr.Decimal(ci[1])
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
	return Neutralize(strings.Join(parts, " | "))
}
