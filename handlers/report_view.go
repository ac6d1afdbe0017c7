package handlers

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"declic/surveys"
	"declic/surveys/fr"
	"declic/surveys/stats"
)

// reportView is the report as a manager sends it: who made it, a summary
// page first (key figures, indicators against targets, three sentences),
// then the details, the limits of the method and the chosen quotes.
type reportView struct {
	*report
	Organisation *surveys.Settings
	LogoURL      string
	Produced     string // « 29 novembre 2026 »
	Source       string // the caption every chart carries
	Sentences    []string
	Indicators   []logframeRow
	Limits       []string
	Quotes       []quoteView // chosen, in report order
	// Candidates are every pupil's words, for a manager to tick; nil for
	// others.
	Candidates []quoteView
	ChartBase  string // download names start with it: « odd-2026-t1 »
}

// quoteView is a pupil's free-text answer with where it comes from.
type quoteView struct {
	surveys.Quote
	Ref      string // the form's value: workshop|response|item
	Question string
	Text     string
	Workshop string // title and date
	Phase    surveys.Phase
	Selected bool
}

// Empty tells whether no workshop matches: the page says so instead of
// showing zeros and empty charts.
func (v *reportView) Empty() bool { return len(v.Matching) == 0 }

// PairingRate is the share of pupils reached who answered before and after.
func (v *reportView) PairingRate() *float64 {
	if v.Participants == 0 {
		return nil
	}
	r := float64(v.NPaired) / float64(v.Participants)
	return &r
}

// Partners counts the distinct partners of the pooled workshops.
func (v *reportView) Partners() int {
	seen := map[string]bool{}
	for _, w := range v.Matching {
		if k := surveys.MatchKey(w.Partner); k != "" {
			seen[k] = true
		}
	}
	return len(seen)
}

// MetCount counts the indicators whose target is met, out of those with a
// verdict.
func (v *reportView) MetCount() (met, judged int) {
	for _, r := range v.Indicators {
		if m := r.Value.TargetMet; m != nil {
			judged++
			if *m {
				met++
			}
		}
	}
	return met, judged
}

// newReportView gathers what the report page shows besides the results.
func (s *server) newReportView(ctx context.Context, r *report, manager bool) (*reportView, error) {
	org := s.organisation(ctx)
	now := s.now()
	v := &reportView{
		report: r, Organisation: org, LogoURL: logoURL(org), Produced: fr.DateOf(now),
		Source: sourceLine(r.Results, r.scope(), org.OrganisationName, now), ChartBase: r.downloadBase(),
	}
	if v.Empty() {
		return v, nil
	}
	var err error
	if v.Indicators, err = s.reportIndicators(ctx, r); err != nil {
		return nil, err
	}
	v.Sentences = v.summary()
	v.Limits = v.limits()
	all, err := s.quoteCandidates(ctx, r)
	if err != nil {
		return nil, err
	}
	for _, q := range all {
		if q.Selected {
			v.Quotes = append(v.Quotes, q)
		}
	}
	if manager {
		v.Candidates = all
	}
	return v, nil
}

// reportIndicators are the indicators measured by the report's
// questionnaire, over the report's workshops: its filters, and its
// workshops' first and last days when it has no dates.
func (s *server) reportIndicators(ctx context.Context, r *report) ([]logframeRow, error) {
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	f := r.Filter
	f.QuestionnaireID = ""
	if f.From == "" || f.To == "" {
		first, last := workshopSpan(r.Matching)
		f.From, f.To = firstNonEmpty(f.From, first), firstNonEmpty(f.To, last)
	}
	var rows []logframeRow
	for _, ind := range inds {
		ref, err := s.Store.Questionnaire(ctx, ind.QuestionnaireID)
		if err != nil {
			return nil, err
		}
		if !ind.MeasuredBy(ref, r.Questionnaire) {
			continue
		}
		row := logframeRow{Indicator: ind, Questionnaire: ref.Title.String(), Measured: measuredText(ref, ind), Describe: ind.Describe(ref)}
		if row.Value, err = s.indicatorValue(ctx, ind, f); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// summary is the report's three sentences: whom it reached, what changed
// most, and how the indicators (or the tests) came out.
func (v *reportView) summary() []string {
	var out []string
	reach := fmt.Sprintf("%s, %s", capitalize(v.PeriodText()), fr.Count(len(v.Matching), "atelier", "ateliers"))
	if n := v.Partners(); n > 0 {
		reach += " avec " + fr.Count(n, "partenaire", "partenaires")
	}
	reach += fmt.Sprintf(" %s %s ; %s avant et après", fr.Plural(len(v.Matching), "a touché", "ont touché"),
		fr.Count(v.Participants, "jeune", "jeunes"), fr.Count(v.NPaired, "a répondu", "ont répondu"))
	if rate := v.PairingRate(); rate != nil {
		reach += " (" + fr.Percent(*rate) + ")"
	}
	out = append(out, reach+".")

	// The largest significant mean change, in effect size.
	type change struct {
		text  string
		p     surveys.Paired
		holmP *float64
	}
	var best *change
	for _, it := range v.Items {
		if it.Paired.EffectSizeDz == nil || it.Paired.N < surveys.MinPairsToConclude || it.Paired.T == nil {
			continue
		}
		c := &change{text: it.Text, p: it.Paired, holmP: it.Paired.T.PHolm}
		if best == nil || math.Abs(*c.p.EffectSizeDz) > math.Abs(*best.p.EffectSizeDz) {
			best = c
		}
	}
	switch {
	case v.NPaired < surveys.MinPairsToConclude:
		out = append(out, "Trop peu de jeunes ont répondu avant et après pour conclure sur ce qui a changé.")
	case best != nil:
		share := fr.PercentPtr(best.p.ShareImproved())
		out = append(out, fmt.Sprintf("Le changement le plus marqué porte sur « %s » : %s des jeunes ont progressé, soit %s %s en moyenne (%s%s).",
			strings.TrimRight(best.text, " .?!"), share, fr.Signed(*best.p.MeanDiff, 1), fr.PluralOf(*best.p.MeanDiff, 1, "point", "points"),
			surveys.EffectWords(*best.p.EffectSizeDz), verdict(best.holmP)))
	}

	met, judged := v.MetCount()
	switch {
	case judged > 0:
		out = append(out, fmt.Sprintf("%s sur %d %s %s cible.", capitalize(fr.Count(met, "indicateur", "indicateurs")), judged,
			fr.Plural(met, "atteint", "atteignent"), fr.Plural(met, "sa", "leur")))
	case v.NPaired >= surveys.MinPairsToConclude:
		sig, tested := 0, 0
		for _, it := range v.Items {
			if t := it.Paired.T; t != nil && t.PHolm != nil {
				tested++
				if *t.PHolm < 0.05 {
					sig++
				}
			}
		}
		out = append(out, fmt.Sprintf("Sur %s, %s un changement peu probable par hasard (p"+fr.NBSP+"<"+fr.NBSP+"0,05 après correction de Holm).",
			fr.Count(tested, "question testée", "questions testées"), fr.Count(sig, "montre", "montrent")))
	}
	return punctuated(out)
}

// punctuated applies fr.Punctuate to each sentence.
func punctuated(ss []string) []string {
	for i, s := range ss {
		ss[i] = fr.Punctuate(s)
	}
	return ss
}

func verdict(p *float64) string {
	switch {
	case p == nil:
		return ""
	case *p < 0.05:
		return ", peu probable par hasard"
	}
	return ", qui pourrait être dû au hasard"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// limits is the limitations note a funder should read with the figures.
func (v *reportView) limits() []string {
	out := []string{
		"Les réponses sont déclaratives : elles disent ce que les jeunes pensent d'eux-mêmes avant et après l'atelier, pas ce qu'ils font.",
		"Il n'y a pas de groupe de comparaison : une partie du changement peut venir d'autre chose que l'atelier (l'âge, l'actualité, le fait d'avoir déjà répondu une fois).",
	}
	if rate := v.PairingRate(); rate != nil {
		out = append(out, fmt.Sprintf("Seuls les jeunes qui ont répondu avant et après comptent dans les évolutions : %s sur %s (%s). Ceux qui sont partis avant la fin, ou dont le code n'a pas pu être relié, peuvent différer des autres.",
			fr.Number(float64(v.NPaired), 0), fr.Count(v.Participants, "jeune touché", "jeunes touchés"), fr.Percent(*rate)))
	}
	if v.Attendance != nil && v.ResponseRatePre != nil {
		out = append(out, fmt.Sprintf("Taux de réponse, dans les ateliers où la présence est saisie (%s) : %s avant, %s après.",
			fr.Count(*v.Attendance, "jeune présent", "jeunes présents"), fr.PercentPtr(v.ResponseRatePre), fr.PercentPtr(v.ResponseRatePost)))
	} else {
		out = append(out, "Le nombre de jeunes présents n'a pas été saisi : le taux de réponse n'est pas connu.")
	}
	if mde := stats.MDEPaired(v.NPaired); mde != nil {
		out = append(out, fmt.Sprintf("Avec %s, seul un effet d'au moins d = %s (%s) est détecté 8 fois sur 10 : un effet plus petit peut exister sans apparaître comme « peu probable par hasard ».",
			fr.Count(v.NPaired, "jeune apparié", "jeunes appariés"), fr.Number(*mde, 2), strings.TrimPrefix(surveys.EffectWords(*mde), "un ")))
	}
	return punctuated(out)
}

// quoteCandidates are the free-text answers of the report's workshops
// (excluded responses left out), the chosen ones marked.
func (s *server) quoteCandidates(ctx context.Context, r *report) ([]quoteView, error) {
	var textItems []*surveys.Item
	for i := range r.Questionnaire.Items {
		if it := &r.Questionnaire.Items[i]; it.Type == surveys.FreeText {
			textItems = append(textItems, it)
		}
	}
	if len(textItems) == 0 {
		return nil, nil
	}
	ids, versions := workshopVersions(r.Matching)
	titles := map[string]string{}
	for _, w := range r.Matching {
		titles[w.ID] = w.Title + ", " + fr.Date(w.Date)
	}
	v, err := s.cache.get(versionKey("texts", []string{r.Questionnaire.ID}, ids, versions), func() (any, error) {
		var out []quoteView
		err := s.Store.EachResponse(context.WithoutCancel(ctx), ids, func(resp *surveys.Response) error {
			if resp.Excluded {
				return nil
			}
			for _, it := range textItems {
				a := resp.Answers[it.Key]
				if a.Kind != surveys.AnswerText || strings.TrimSpace(a.Text) == "" {
					continue
				}
				q := surveys.Quote{WorkshopID: resp.WorkshopID, ResponseID: resp.ID, ItemKey: it.Key}
				out = append(out, quoteView{Quote: q, Ref: quoteRef(q), Question: it.Text.String(), Text: a.Text,
					Workshop: titles[resp.WorkshopID], Phase: resp.Phase})
			}
			return nil
		})
		return out, err
	})
	if err != nil {
		return nil, err
	}
	chosen, err := s.Store.Quotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	selected := map[surveys.Quote]bool{}
	for _, q := range chosen {
		selected[q] = true
	}
	all := append([]quoteView(nil), v.([]quoteView)...) // the cached list is shared
	for i := range all {
		all[i].Selected = selected[all[i].Quote]
	}
	// Question by question, then workshop by workshop (latest first).
	order := map[string]int{}
	for i, w := range r.Matching {
		order[w.ID] = i
	}
	keyOrder := map[string]int{}
	for i, it := range textItems {
		keyOrder[it.Key] = i
	}
	sort.SliceStable(all, func(i, j int) bool {
		if a, b := keyOrder[all[i].ItemKey], keyOrder[all[j].ItemKey]; a != b {
			return a < b
		}
		return order[all[i].WorkshopID] < order[all[j].WorkshopID]
	})
	return all, nil
}

func quoteRef(q surveys.Quote) string { return q.WorkshopID + "|" + q.ResponseID + "|" + q.ItemKey }

// parseQuoteRef reads a form's quote value.
func parseQuoteRef(s string) (surveys.Quote, bool) {
	p := strings.Split(s, "|")
	if len(p) != 3 || p[0] == "" || p[1] == "" || p[2] == "" {
		return surveys.Quote{}, false
	}
	return surveys.Quote{WorkshopID: p[0], ResponseID: p[1], ItemKey: p[2]}, true
}
