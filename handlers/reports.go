package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/export"
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
	familyOf := map[string]string{} // questionnaire ID → family
	for _, q := range all {
		familyOf[q.ID], _ = surveys.FamilyOf(q)
	}
	ws, err := s.Store.Workshops(ctx, f)
	if err != nil {
		return nil, err
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
				msg = "choisissez le questionnaire à analyser : ces ateliers en utilisent " + strconv.Itoa(len(families)) + " (" + strings.Join(families, ", ") + ")"
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
	ids := make([]string, len(matching))
	stamps := make([]int64, len(matching))
	for i, w := range matching {
		ids[i], stamps[i] = w.ID, w.Version
	}
	def, _ := json.Marshal(q)
	sum := sha256.Sum256(def)
	key := versionKey("report", []string{q.ID, hex.EncodeToString(sum[:8])}, ids, stamps)
	v, err := s.cache.get(key, func() (any, error) {
		b := surveys.NewResultsBuilder(q)
		for _, w := range ws {
			b.SetAttendance(w.ID, w.Attendance)
		}
		err := s.Store.EachResponse(context.WithoutCancel(ctx), ids, func(r *surveys.Response) error {
			b.Add(r)
			return nil
		})
		if err != nil {
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


func (r *report) fileName(ext string) string {
	parts := []string{"rapport", r.Questionnaire.Title.String()}
	for _, p := range []string{r.Filter.From, r.Filter.To, r.Filter.Partner, r.Filter.Tag} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return export.FileName(ext, parts...)
}
