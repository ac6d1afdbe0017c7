package handlers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
	"declic/surveys/fr"
)

// sourceLine is the caption every chart carries, and the report too:
// where the figures come from, how many young people, which workshops and
// when, who produced it and on which day. scope says which workshops:
// « période du 1er septembre 2025 au 30 juin 2026, étiquette … ».
func sourceLine(res *surveys.Results, scope, organisation string, produced time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Source : questionnaires avant/après Déclic, n = %s (%d avant, %d après)",
		fr.Count(res.NPaired, "jeune apparié", "jeunes appariés"), res.NPre, res.NPost)
	if scope != "" {
		b.WriteString(", " + scope)
	}
	b.WriteString(".")
	if organisation != "" {
		b.WriteString(" " + organisation + ",")
	}
	b.WriteString(" produit le " + fr.DateOf(produced) + ".")
	return b.String()
}

// workshopCharts are a workshop's charts, captioned with its title and day.
func (s *server) workshopCharts(c *gin.Context) (chartSet, *surveys.Workshop, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return chartSet{}, nil, err
	}
	q, res, err := s.results(c, w, false)
	if err != nil {
		return chartSet{}, nil, err
	}
	org := s.organisation(c.Request.Context())
	scope := "atelier « " + w.Title + " » " + fr.Period(w.Date, w.Date)
	return chartSet{
		data: charts.Data{Questionnaire: q, Results: res, Caption: sourceLine(res, scope, org.OrganisationName, s.now())},
		base: w.Title,
	}, w, nil
}

// organisation is the identity an admin set: name and logo. A store that
// cannot say leaves reports and captions without it rather than failing
// them; the failure is logged.
func (s *server) organisation(ctx context.Context) *surveys.Settings {
	st, err := s.Store.Settings(ctx)
	if err != nil {
		s.Logger.Warn("settings unreadable", "err", err)
		return &surveys.Settings{}
	}
	return st
}
