package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/library"
)

// Demo account, created only by "declic demo" on a store without users.
const (
	demoEmail    = "demo@declic.example"
	demoPassword = "demo-declic"
)

// demoWorkshop is one made-up workshop: who, where, and how much it moved.
type demoWorkshop struct {
	questionnaire, title, partner, group, place string
	tags                                        []string
	daysAgo, attendance                         int
	effect                                      float64 // mean PRE → POST shift on a 1-5 scale
	ages                                        []string
}

// The programme's workshops use the library's first versions; two recent
// workshops outside it tried the second (simpler words, a « before /
// today » question linked to its question from the start): their results
// show the response shift, and a report over all the ODD workshops pools
// what stayed the same and says what it left out.
var demoWorkshops = []demoWorkshop{
	{"odd-v1", "Les ODD en jeu", "Collège Jean Macé", "4e B", "Lille", []string{"odd", "programme-afd"}, 88, 27, 0.6, []string{"12_14"}},
	{"interculturalite-v1", "Regards croisés", "Lycée Victor Hugo", "2nde 3", "Roubaix", []string{"interculturalite"}, 81, 31, 0.4, []string{"15_17"}},
	{"droits-enfant-v1", "Mes droits, tes droits", "Centre social Les Tilleuls", "Ados du mercredi", "Tourcoing", []string{"droits"}, 74, 14, 0.8, []string{"12_14", "15_17"}},
	{"odd-v1", "Consommer autrement", "Lycée Victor Hugo", "1re STMG", "Roubaix", []string{"odd", "programme-afd"}, 66, 29, 0.3, []string{"15_17"}},
	{"interculturalite-v1", "Vivre ensemble", "Mission locale de Tourcoing", "Garantie jeunes", "Tourcoing", []string{"interculturalite", "programme-afd"}, 60, 12, 0.5, []string{"18_21", "22_25"}},
	{"odd-v1", "Les ODD en jeu", "Collège Jean Macé", "4e C", "Lille", []string{"odd", "programme-afd"}, 52, 26, 0.7, []string{"12_14"}},
	{"droits-enfant-v1", "Mes droits, tes droits", "Collège Albert Camus", "5e A", "Villeneuve-d'Ascq", []string{"droits"}, 45, 28, 0.5, []string{"12_14"}},
	{"odd-v1", "Climat et solidarité", "Festival des Solidarités", "Stand tout public", "Lille", []string{"odd", "festisol"}, 38, 40, 0.2, []string{"12_14", "15_17", "18_21", "22_25"}},
	{"interculturalite-v1", "Regards croisés", "Lycée Victor Hugo", "2nde 5", "Roubaix", []string{"interculturalite"}, 31, 30, 0.0, []string{"15_17"}},
	{"odd-v2", "Consommer autrement", "Mission locale de Tourcoing", "Accompagnement CEJ", "Tourcoing", []string{"odd"}, 24, 11, 0.6, []string{"18_21", "22_25"}},
	{"droits-enfant-v2", "Parole de jeunes", "Centre social Les Tilleuls", "Conseil des jeunes", "Tourcoing", []string{"droits", "festisol"}, 17, 13, 0.9, []string{"12_14", "15_17"}},
	{"odd-v1", "Les ODD en jeu", "Collège Albert Camus", "3e B", "Villeneuve-d'Ascq", []string{"odd", "programme-afd"}, 9, 25, 0.5, []string{"12_14"}},
}

// fillDemo creates the demo workshops and their answers, owned by the first
// admin (or a demo admin it creates on a store without users). It refuses a
// store that already has workshops: demo data never mixes with real data.
func fillDemo(ctx context.Context, m *app.Main, now time.Time, out io.Writer) error {
	ws, err := m.Store.Workshops(ctx, surveys.WorkshopFilter{})
	if err != nil {
		return err
	}
	if len(ws) > 0 {
		return errors.New("ce stockage contient déjà des ateliers : les données de démonstration ne vont que dans un stockage vide (choisissez un autre DECLIC_DATA)")
	}
	owner, err := demoOwner(ctx, m, out)
	if err != nil {
		return err
	}
	qs := map[string]*surveys.Questionnaire{}
	all, err := library.Load()
	if err != nil {
		return err
	}
	for _, q := range all {
		qs[q.ID] = q
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	total := 0
	for i, d := range demoWorkshops {
		q := qs[d.questionnaire]
		if q == nil {
			return fmt.Errorf("questionnaire %s missing from the library", d.questionnaire)
		}
		date := now.AddDate(0, 0, -d.daysAgo)
		w := &surveys.Workshop{QuestionnaireID: q.ID, Title: d.title, Date: date.Format(time.DateOnly), Partner: d.partner, Group: d.group,
			Place: d.place, Tags: d.tags, Phase: surveys.PhaseClosed, OwnerID: owner, Attendance: d.attendance}
		if i%4 == 3 {
			w.Attendance = 0 // not every facilitator enters the head count
		}
		if err := w.Validate(); err != nil {
			return err
		}
		if err := m.Store.CreateWorkshop(ctx, w); err != nil {
			return err
		}
		rs := demoResponses(rng, q, w, d, date)
		if err := m.Store.ImportResponses(ctx, rs); err != nil {
			return err
		}
		total += len(rs)
	}
	if err := fillDemoReporting(ctx, m, qs, owner, now); err != nil {
		return err
	}
	fmt.Fprintf(out, "Démo : %d ateliers et %d réponses créés sur trois mois, %d indicateurs de cadre logique.\n", len(demoWorkshops), total, len(demoIndicators))
	return nil
}

// demoIndicators are a logframe as an ECSI programme would write it.
var demoIndicators = []struct {
	name, questionnaire, item, scale string
	measure                          surveys.Measure
	threshold, baseline, target      float64
	verification                     string
}{
	{"Part des jeunes qui se sentent davantage capables d'agir", "odd-v1", "", "pouvoir_agir", surveys.ShareImproved, 0, 0.3, 0.5,
		"Questionnaires avant/après Déclic (échelle « Sentiment de pouvoir agir »)"},
	{"Évolution du sentiment de pouvoir agir (échelle de 1 à 5)", "odd-v1", "", "pouvoir_agir", surveys.MeanChange, 0, 0, 0.3,
		"Questionnaires avant/après Déclic"},
	{"Part des jeunes qui savent combien il y a d'ODD après l'atelier", "odd-v1", "quiz_odd_nombre", "", surveys.ShareAtLeast, 1, 0.35, 0.7,
		"Quiz de fin d'atelier, export Excel"},
	{"Part des jeunes plus ouverts aux autres", "interculturalite-v1", "", "ouverture", surveys.ShareImproved, 0, 0.25, 0.45,
		"Questionnaires avant/après Déclic (échelle « Ouverture »)"},
	{"Part des jeunes qui savent vers qui se tourner si leurs droits ne sont pas respectés", "droits-enfant-v1", "aide_savoir", "", surveys.ShareAtLeast, 1, 0.4, 0.75,
		"Question oui/non de fin d'atelier"},
}

// fillDemoReporting names the organisation and defines the demo logframe,
// over the demo's three months.
func fillDemoReporting(ctx context.Context, m *app.Main, qs map[string]*surveys.Questionnaire, owner string, now time.Time) error {
	if err := m.Store.SaveSettings(ctx, &surveys.Settings{OrganisationName: "Solidarités Lille (démonstration)", UpdatedBy: owner}); err != nil {
		return err
	}
	from := now.AddDate(0, -4, 0).Format(time.DateOnly)
	for _, d := range demoIndicators {
		ind := &surveys.Indicator{Name: d.name, QuestionnaireID: d.questionnaire, Item: d.item, Scale: d.scale, Measure: d.measure,
			Baseline: &d.baseline, Target: &d.target, From: from, Verification: d.verification, OwnerID: owner}
		if d.measure == surveys.ShareAtLeast {
			ind.Threshold = &d.threshold
		}
		if err := ind.Validate(qs[d.questionnaire]); err != nil {
			return fmt.Errorf("demo indicator %q: %w", d.name, err)
		}
		if err := m.Store.CreateIndicator(ctx, ind); err != nil {
			return err
		}
	}
	return nil
}

// demoOwner is the first admin, or a demo admin on a store without users.
func demoOwner(ctx context.Context, m *app.Main, out io.Writer) (string, error) {
	if m.Config.AdminEmail != "" {
		u, err := m.Store.UserByEmail(ctx, m.Config.AdminEmail)
		if err == nil {
			return u.ID, nil
		}
	}
	n, err := m.Store.CountUsers(ctx)
	if err != nil {
		return "", err
	}
	if n > 0 {
		users, err := m.Store.Users(ctx)
		if err != nil {
			return "", err
		}
		for _, u := range users {
			if u.Role == surveys.RoleAdmin {
				return u.ID, nil
			}
		}
		return users[0].ID, nil
	}
	hash, err := surveys.HashPassword(demoPassword)
	if err != nil {
		return "", err
	}
	u := &surveys.User{Email: demoEmail, Role: surveys.RoleAdmin, PasswordHash: hash}
	if err := m.Store.CreateUser(ctx, u); err != nil {
		return "", err
	}
	fmt.Fprintf(out, "Démo : connectez-vous avec %s / %s (compte de démonstration : ne l'utilisez pas pour de vraies données).\n", demoEmail, demoPassword)
	return u.ID, nil
}

// demoResponses makes a class answer: most come at the start, fewer at the
// end (drop-out), a few arrive late and answer only at the end; each pupil
// has a leaning that shapes all their answers, and the workshop's effect
// moves their POST answers.
func demoResponses(rng *rand.Rand, q *surveys.Questionnaire, w *surveys.Workshop, d demoWorkshop, date time.Time) []*surveys.Response {
	var rs []*surveys.Response
	for p := range d.attendance {
		participant := fmt.Sprintf("%016x%016x%016x%016x", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
		lean := rng.NormFloat64() * 0.7
		gain := d.effect + rng.NormFloat64()*0.5
		late := rng.Float64() < 0.06
		answersPre := !late && rng.Float64() < 0.93
		answersPost := rng.Float64() < 0.82
		age := d.ages[rng.IntN(len(d.ages))]
		gender := []string{"fille", "garcon", "fille", "garcon", "autre", "nsp"}[weighted(rng, []float64{0.47, 0.45, 0, 0, 0.02, 0.06})]
		for _, phase := range []surveys.Phase{surveys.PhasePre, surveys.PhasePost} {
			if phase == surveys.PhasePre && !answersPre || phase == surveys.PhasePost && !answersPost {
				continue
			}
			a := surveys.Answers{}
			level := lean
			if phase == surveys.PhasePost {
				level += gain
			}
			for _, it := range q.ItemsFor(phase) {
				switch {
				case it.Key == "age":
					if rng.Float64() < 0.95 {
						a[it.Key] = surveys.OptionAnswer(age)
					}
				case it.Key == "genre":
					if rng.Float64() < 0.95 {
						a[it.Key] = surveys.OptionAnswer(gender)
					}
				case it.Profile:
				case it.Retrospective():
					// Looking back, pupils rate their start lower than
					// they did at the start: the response shift the
					// « before / today » question is there to show.
					if v := it.Example(rng, lean, gain); !v.IsZero() {
						a[it.Key] = v
					}
				default:
					if v := it.Example(rng, level, gain); !v.IsZero() {
						a[it.Key] = v
					}
				}
			}
			rs = append(rs, &surveys.Response{SubmissionID: fmt.Sprintf("demo-%s-%d-%s", w.ID, p, phase), WorkshopID: w.ID, Phase: phase,
				Participant: participant, Answers: a, Day: date.Format(time.DateOnly)})
		}
	}
	return rs
}

func weighted(rng *rand.Rand, weights []float64) int {
	x := rng.Float64()
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
