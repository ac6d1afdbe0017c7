package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/fr"
)

// report is a pooled report with what built it.
type report struct {
	Filter        surveys.WorkshopFilter
	Questionnaire *surveys.Questionnaire
	Matching      []*surveys.Workshop // the pooled workshops
	*surveys.Report
}

// Query is the report's filters as a URL query, for chart and export links;
// built by url.Values, so pages may use it in a URL as it is.
func (r *report) Query() template.URL {
	v := url.Values{}
	for k, s := range map[string]string{"questionnaire_id": r.Questionnaire.ID, "from": r.Filter.From, "to": r.Filter.To, "tag": r.Filter.Tag, "partner": r.Filter.Partner} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return template.URL(v.Encode())
}

// buildReport pools every workshop the user may see that matches the
// query's filters and used a version of the questionnaire questionnaire_id
// names: a version's ID or a family (see surveys.FamilyOf). Items are
// pooled across versions where they are measured the same way
// (surveys.Pool), in the wording of the version named, or else of the
// newest version used. Without questionnaire_id, the matching workshops
// must all use one family.
func (s *server) buildReport(c *gin.Context) (*report, error) {
	f, err := workshopFilter(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	all, err := s.Store.Questionnaires(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := s.Store.Workshops(ctx, f)
	if err != nil {
		return nil, err
	}
	// Only the questionnaires the user may see, or that their workshops
	// used: another account's own questionnaire is not theirs to report on.
	usedBy := map[string]bool{}
	for _, w := range ws {
		usedBy[w.QuestionnaireID] = true
	}
	u := currentUser(c)
	all = slices.DeleteFunc(all, func(q *surveys.Questionnaire) bool { return !q.VisibleTo(u) && !usedBy[q.ID] })
	familyOf := map[string]string{} // questionnaire ID → family
	for _, q := range all {
		familyOf[q.ID], _ = surveys.FamilyOf(q)
	}
	named := strings.TrimSpace(c.Query("questionnaire_id"))
	family := named
	if fam, ok := familyOf[named]; ok {
		family = fam
	}
	if named == "" {
		var families []string
		for _, w := range ws {
			if fam := familyOf[w.QuestionnaireID]; !slices.Contains(families, fam) {
				families = append(families, fam)
			}
		}
		slices.Sort(families)
		if len(families) != 1 {
			msg := "choisissez le questionnaire à analyser : aucun atelier ne correspond à ces filtres"
			if len(families) > 1 {
				msg = "choisissez le questionnaire à analyser : ces ateliers en utilisent " + strconv.Itoa(len(families)) + " (" + familyTitles(all, families) + ")"
			}
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Questionnaire à préciser.", Fields: map[string]string{"questionnaire_id": msg}}
		}
		family = families[0]
	}
	var versions []*surveys.Questionnaire // of the family, oldest first
	for _, q := range all {
		if familyOf[q.ID] == family {
			versions = append(versions, q)
		}
	}
	if len(versions) == 0 {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Questionnaire introuvable.")
	}
	slices.SortFunc(versions, func(a, b *surveys.Questionnaire) int {
		_, na := surveys.FamilyOf(a)
		_, nb := surveys.FamilyOf(b)
		return na - nb
	})
	matching := ws[:0:0]
	count := map[string]int{}
	for _, w := range ws {
		if familyOf[w.QuestionnaireID] == family {
			matching = append(matching, w)
			count[w.QuestionnaireID]++
		}
	}
	var used []*surveys.Questionnaire
	var rows []surveys.ReportVersion
	for _, v := range versions {
		if count[v.ID] > 0 {
			used = append(used, v)
			_, n := surveys.FamilyOf(v)
			rows = append(rows, surveys.ReportVersion{ID: v.ID, Version: n, Workshops: count[v.ID]})
		}
	}
	ref := versions[len(versions)-1]
	if len(used) > 0 {
		ref = used[len(used)-1]
	}
	for _, v := range versions {
		if v.ID == named {
			ref = v
		}
	}
	q, leftOut := surveys.Pool(ref, used)
	f.QuestionnaireID = ref.ID
	ids, stamps := workshopVersions(matching)
	def, _ := json.Marshal(q)
	sum := sha256.Sum256(def)
	key := versionKey("report", []string{q.ID, hex.EncodeToString(sum[:8])}, ids, stamps)
	v, err := s.cache.get(key, func() (any, error) {
		b := surveys.NewResultsBuilder(q)
		if err := s.addResponses(ctx, b, matching); err != nil {
			return nil, err
		}
		rep := b.Report(matching)
		rep.Versions, rep.LeftOut = rows, leftOut
		return rep, nil
	})
	if err != nil {
		return nil, err
	}
	return &report{Filter: f, Questionnaire: q, Matching: matching, Report: v.(*surveys.Report)}, nil
}

// familyTitles names questionnaire families by the title of their newest
// version, « » around each, for people rather than by their IDs.
func familyTitles(all []*surveys.Questionnaire, families []string) string {
	titles := make([]string, len(families))
	for i, fam := range families {
		titles[i] = fam
		newest := 0
		for _, q := range all {
			if f, n := surveys.FamilyOf(q); f == fam && n >= newest {
				titles[i], newest = "« "+q.Title.String()+" »", n
			}
		}
	}
	return strings.Join(titles, ", ")
}

// mostUsedQuestionnaire is the questionnaire of most of the workshops f
// selects, "" without any workshop.
func (s *server) mostUsedQuestionnaire(ctx context.Context, f surveys.WorkshopFilter) string {
	ws, err := s.Store.Workshops(ctx, f)
	if err != nil {
		return ""
	}
	count := map[string]int{}
	best := ""
	for _, w := range ws { // latest first: the first to reach a count keeps it
		count[w.QuestionnaireID]++
		if best == "" || count[w.QuestionnaireID] > count[best] {
			best = w.QuestionnaireID
		}
	}
	return best
}

// PeriodText says which days the report covers, in French: the filter's
// dates, or else the first and last days of its workshops.
func (r *report) PeriodText() string {
	from, to := r.Filter.From, r.Filter.To
	if from == "" || to == "" {
		first, last := workshopSpan(r.Matching)
		if from == "" {
			from = first
		}
		if to == "" {
			to = last
		}
	}
	return fr.Period(from, to)
}

// workshopSpan is the first and last dates of ws, "" when there is none.
func workshopSpan(ws []*surveys.Workshop) (first, last string) {
	for _, w := range ws {
		if first == "" || w.Date < first {
			first = w.Date
		}
		if w.Date > last {
			last = w.Date
		}
	}
	return first, last
}

// FilterText names the programme, partner and label the report is about,
// « étiquette « programme-afd », partenaire « Lycée Victor Hugo » »; ""
// when it pools every workshop of the questionnaire.
func (r *report) FilterText() string {
	var parts []string
	if r.Filter.Tag != "" {
		parts = append(parts, "étiquette « "+r.Filter.Tag+" »")
	}
	if r.Filter.Partner != "" {
		parts = append(parts, "partenaire « "+r.Filter.Partner+" »")
	}
	return strings.Join(parts, ", ")
}

// scope is what the caption says of the workshops a report pools.
func (r *report) scope() string {
	parts := []string{fr.Count(len(r.Matching), "atelier", "ateliers")}
	if p := r.PeriodText(); p != "" {
		parts = append(parts, "période "+p)
	}
	if f := r.FilterText(); f != "" {
		parts = append(parts, f)
	}
	return strings.Join(parts, ", ")
}

// downloadBase starts the report's chart downloads: its label, partner or
// questionnaire, then its period, « odd-2026-t1 ».
func (r *report) downloadBase() string {
	name := r.Filter.Tag
	if name == "" {
		name = r.Filter.Partner
	}
	if name == "" {
		name = r.Questionnaire.Title.String()
	}
	return export.Slug(name, periodSlug(r.Filter.From, r.Filter.To))
}

// periodSlug names a period briefly: « 2026 » for a calendar year,
// « 2025-2026 » for a school year (September to August, or to June or
// July), « 2026-t1 » for a quarter, « 2026-03 » for a month, else its two
// days.
func periodSlug(from, to string) string {
	f, errF := time.Parse(time.DateOnly, from)
	t, errT := time.Parse(time.DateOnly, to)
	switch {
	case errF != nil && errT != nil:
		return ""
	case errF != nil:
		return "jusqu-au-" + to
	case errT != nil:
		return "depuis-" + from
	}
	lastDay := func(y int, m time.Month) bool {
		return t.Year() == y && t.Month() == m && t.AddDate(0, 0, 1).Day() == 1
	}
	if f.Day() == 1 {
		y, m := f.Year(), f.Month()
		switch {
		case m == 1 && lastDay(y, 12):
			return strconv.Itoa(y)
		case m == 9 && (lastDay(y+1, 8) || lastDay(y+1, 7) || lastDay(y+1, 6)):
			return fmt.Sprintf("%d-%d", y, y+1)
		case (m-1)%3 == 0 && lastDay(y, m+2):
			return fmt.Sprintf("%d-t%d", y, (m-1)/3+1)
		case lastDay(y, m):
			return f.Format("2006-01")
		}
	}
	return from + "-" + to
}

// charts are the report's charts, captioned with what it pools.
func (r *report) charts(org *surveys.Settings, now time.Time) chartSet {
	return chartSet{
		data: charts.Data{Questionnaire: r.Questionnaire, Results: r.Results, Caption: sourceLine(r.Results, r.scope(), org.OrganisationName, now)},
		base: r.downloadBase(),
	}
}

func (r *report) fileName(ext string) string {
	parts := []string{"rapport", r.Questionnaire.Title.String()}
	for _, p := range []string{r.Filter.From, r.Filter.To, r.Filter.Partner, r.Filter.Tag} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return export.FileName(ext, parts...)
}
