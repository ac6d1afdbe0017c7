package handlers

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/fr"
)

// logframeExport serves /api/v1/logframe.csv and .xlsx: the « Cadre
// logique » page as a table, with the page's filters.
func (s *server) logframeExport(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := workshopFilter(c)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		ctx := c.Request.Context()
		rows, err := s.logframe(ctx, f)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		lines := make([]export.LogframeLine, len(rows))
		for i, r := range rows {
			ind := r.Indicator
			lines[i] = export.LogframeLine{
				Name: ind.Name, Questionnaire: r.Questionnaire, Measured: r.Measured, Measure: ind.Measure.Label(),
				Verification: ind.Verification, Share: ind.Measure.Share(), Threshold: ind.Threshold,
				Baseline: ind.Baseline, Target: ind.Target, Value: r.Value.Value, CI95: r.Value.CI95, N: r.Value.N,
				TargetMet: r.Value.TargetMet, Workshops: r.Value.Workshops, Period: periodOrAll(r.Value.From, r.Value.To),
				Hidden: !r.Shown(),
			}
		}
		var buf bytes.Buffer
		name := export.FileName(format, "cadre-logique", f.From, f.To, f.Tag, f.Partner)
		if format == exportCSV {
			err = export.WriteLogframeCSV(&buf, lines)
		} else {
			org := s.organisation(ctx)
			err = export.WriteLogframeXLSX(&buf, lines, export.Stamp{Title: "Cadre logique", Organisation: org.OrganisationName,
				Scope: logframeScope(f), Produced: s.now()})
		}
		if err != nil {
			s.apiFail(c, err)
			return
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, exportTypes[format], buf.Bytes())
	}
}

func periodOrAll(from, to string) string {
	if p := fr.Period(from, to); p != "" {
		return p
	}
	return "toutes les dates"
}

// logframeScope says which workshops a logframe counts.
func logframeScope(f surveys.WorkshopFilter) string {
	s := "période de chaque indicateur"
	if f.From != "" || f.To != "" {
		s = "période " + fr.Period(f.From, f.To)
	}
	if f.Tag != "" {
		s += ", étiquette « " + f.Tag + " »"
	}
	if f.Partner != "" {
		s += ", partenaire « " + f.Partner + " »"
	}
	return s
}
