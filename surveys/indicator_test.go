package surveys_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"declic/surveys"
)

// Fixtures come from testdata/indicators/make_fixtures.R (GNU R 4.2.2).
const indicatorFixtures = "../testdata/indicators"

const indicatorDefinition = `{"title": "Indicateurs", "language": "fr", "items": [
	{"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5}},
	{"key": "q2", "type": "likert", "text": "Je comprends.", "scale": {"min": 1, "max": 5}},
	{"key": "r1", "type": "retro", "text": "Avec le recul.", "scale": {"min": 1, "max": 5}},
	{"key": "c1", "type": "choice", "text": "Un choix", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
	{"key": "t1", "type": "text", "text": "Un mot", "phases": ["post"]},
	{"key": "p1", "type": "likert", "text": "Seulement avant", "scale": {"min": 1, "max": 5}, "phases": ["pre"]}],
	"scales": [{"key": "agir", "title": "Pouvoir agir", "items": ["q1", "q2"]}]}`

func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(indicatorFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func fixtureFloat(t *testing.T, s string) *float64 {
	t.Helper()
	if s == "NA" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return &v
}

// fixtureScores stores each case's pupils as responses (the pairs answer
// both phases, the extra ones only after) and reads the scores back
// through the results builder, pairing included.
func fixtureScores(t *testing.T) map[string]surveys.MeasureScores {
	t.Helper()
	q, err := surveys.ParseDefinition([]byte(indicatorDefinition))
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string]*surveys.ResultsBuilder{}
	builder := func(c string) *surveys.ResultsBuilder {
		if builders[c] == nil {
			builders[c] = surveys.NewResultsBuilder(q)
		}
		return builders[c]
	}
	add := func(c, id, who string, phase surveys.Phase, v string) {
		n, _ := strconv.Atoi(v)
		builder(c).Add(&surveys.Response{ID: id, WorkshopID: "w-" + c, Phase: phase, Participant: who,
			Answers: surveys.Answers{"q1": surveys.NumberAnswer(n)}})
	}
	for i, r := range readCSV(t, "pairs.csv") {
		who := fmt.Sprintf("p%03d", i)
		add(r["case"], who+"a", who, surveys.PhasePre, r["pre"])
		add(r["case"], who+"b", who, surveys.PhasePost, r["post"])
	}
	for i, r := range readCSV(t, "extra.csv") {
		add(r["case"], fmt.Sprintf("x%03d", i), fmt.Sprintf("u%03d", i), surveys.PhasePost, r["post"])
	}
	out := map[string]surveys.MeasureScores{}
	for c, b := range builders {
		sc, ok := b.Scores("q1")
		if !ok {
			t.Fatalf("no scores for q1")
		}
		out[c] = sc
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func checkFigure(t *testing.T, what string, got *float64, want string) {
	t.Helper()
	w := fixtureFloat(t, want)
	switch {
	case w == nil && got != nil:
		t.Errorf("%s = %v, want none (R: NA)", what, *got)
	case w != nil && got == nil:
		t.Errorf("%s = none, want %v", what, *w)
	case w != nil && !near(*got, *w):
		t.Errorf("%s = %.17g, want R's %.17g", what, *got, *w)
	}
}

// Indicator values equal R's: prop.test(x, n, correct = FALSE) for
// shares, t.test(post, pre, paired = TRUE) for the mean change.
func TestIndicatorValuesMatchR(t *testing.T) {
	scores := fixtureScores(t)
	for _, r := range readCSV(t, "values.csv") {
		ind := &surveys.Indicator{Measure: surveys.Measure(r["measure"]), Item: "q1", Threshold: fixtureFloat(t, r["threshold"])}
		v := ind.Value(scores[r["case"]])
		what := r["case"] + " " + r["measure"]
		if strconv.Itoa(v.N) != r["n"] {
			t.Errorf("%s: n = %d, want %s", what, v.N, r["n"])
		}
		if r["x"] != "NA" && (v.X == nil || strconv.Itoa(*v.X) != r["x"]) {
			t.Errorf("%s: x = %v, want %s", what, v.X, r["x"])
		}
		checkFigure(t, what+" value", v.Value, r["value"])
		var lo, hi *float64
		if v.CI95 != nil {
			lo, hi = &v.CI95[0], &v.CI95[1]
		}
		checkFigure(t, what+" ci95[0]", lo, r["lo"])
		checkFigure(t, what+" ci95[1]", hi, r["hi"])
	}
}

// Two periods side by side equal R's prop.test(c(x2, x1), c(n2, n1),
// correct = FALSE) for shares and t.test(d2, d1) for mean changes.
func TestIndicatorComparisonMatchesR(t *testing.T) {
	scores := fixtureScores(t)
	for _, r := range readCSV(t, "compare.csv") {
		ind := &surveys.Indicator{Measure: surveys.Measure(r["measure"]), Item: "q1", Threshold: fixtureFloat(t, r["threshold"])}
		c := ind.Compare(scores[r["first"]], scores[r["second"]])
		what := r["first"] + " → " + r["second"] + " " + r["measure"]
		checkFigure(t, what+" diff", c.Diff, r["diff"])
		var lo, hi *float64
		if c.CI95 != nil {
			lo, hi = &c.CI95[0], &c.CI95[1]
		}
		checkFigure(t, what+" ci95[0]", lo, r["lo"])
		checkFigure(t, what+" ci95[1]", hi, r["hi"])
		checkFigure(t, what+" p", c.P, r["p"])
		if c.P != nil && (c.BeyondChance == nil || *c.BeyondChance != (*c.P < 0.05)) {
			t.Errorf("%s: beyond chance = %v with p = %v", what, c.BeyondChance, *c.P)
		}
	}
}

func TestIndicatorTargetMet(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	pairs := func(n, up int) surveys.MeasureScores {
		var sc surveys.MeasureScores
		for i := range n {
			post := 3.0
			if i < up {
				post = 4
			}
			sc.Pre, sc.Post = append(sc.Pre, 3), append(sc.Post, post)
		}
		return sc
	}
	for _, tt := range []struct {
		name     string
		ind      surveys.Indicator
		sc       surveys.MeasureScores
		want     *bool
		wantNote string
	}{
		{"reached", surveys.Indicator{Measure: surveys.ShareImproved, Baseline: f(0.2), Target: f(0.5)}, pairs(10, 6), ptrBool(true), ""},
		{"exactly", surveys.Indicator{Measure: surveys.ShareImproved, Target: f(0.5)}, pairs(10, 5), ptrBool(true), ""},
		{"missed", surveys.Indicator{Measure: surveys.ShareImproved, Target: f(0.5)}, pairs(10, 4), ptrBool(false), ""},
		{"under 5", surveys.Indicator{Measure: surveys.ShareImproved, Target: f(0.5)}, pairs(4, 4), nil, "null under 5"},
		{"no target", surveys.Indicator{Measure: surveys.ShareImproved}, pairs(10, 6), nil, "null without a target"},
		{"downward target", surveys.Indicator{Measure: surveys.MeanChange, Baseline: f(1), Target: f(0.2)}, pairs(10, 1), ptrBool(true), "a target below the baseline is met from above"},
		{"no pairs", surveys.Indicator{Measure: surveys.MeanChange, Target: f(0.2)}, surveys.MeasureScores{}, nil, ""},
	} {
		v := tt.ind.Value(tt.sc)
		if (v.TargetMet == nil) != (tt.want == nil) || v.TargetMet != nil && *v.TargetMet != *tt.want {
			t.Errorf("%s: target_met = %v, want %v %s", tt.name, fmtBool(v.TargetMet), fmtBool(tt.want), tt.wantNote)
		}
	}
}

func ptrBool(b bool) *bool { return &b }

func fmtBool(b *bool) string {
	if b == nil {
		return "null"
	}
	return strconv.FormatBool(*b)
}

func TestIndicatorValidate(t *testing.T) {
	q, err := surveys.ParseDefinition([]byte(indicatorDefinition))
	if err != nil {
		t.Fatal(err)
	}
	q.ID = "regards-v1"
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		name  string
		ind   surveys.Indicator
		field string // "" when valid
		says  string
	}{
		{"share improved", surveys.Indicator{Name: "Pouvoir agir", Item: "q1", Measure: surveys.ShareImproved, Baseline: f(0.3), Target: f(0.6)}, "", ""},
		{"scale", surveys.Indicator{Name: "Échelle", Scale: "agir", Measure: surveys.MeanChange, Target: f(0.5)}, "", ""},
		{"retro", surveys.Indicator{Name: "Recul", Item: "r1", Measure: surveys.ShareImproved}, "", ""},
		{"at least", surveys.Indicator{Name: "Seuil", Item: "q1", Measure: surveys.ShareAtLeast, Threshold: f(4)}, "", ""},
		{"unknown item", surveys.Indicator{Name: "X", Item: "zz", Measure: surveys.ShareImproved}, "item", "« zz » n'existe pas"},
		{"not scored", surveys.Indicator{Name: "X", Item: "c1", Measure: surveys.ShareImproved}, "item", "n'est pas notée"},
		{"free text", surveys.Indicator{Name: "X", Item: "t1", Measure: surveys.ShareAtLeast, Threshold: f(1)}, "item", "n'est pas notée"},
		{"pre only", surveys.Indicator{Name: "X", Item: "p1", Measure: surveys.MeanChange}, "item", "avant et après"},
		{"unknown scale", surveys.Indicator{Name: "X", Scale: "zz", Measure: surveys.MeanChange}, "scale", "« zz » n'existe pas"},
		{"both", surveys.Indicator{Name: "X", Item: "q1", Scale: "agir", Measure: surveys.MeanChange}, "item", "pas les deux"},
		{"neither", surveys.Indicator{Name: "X", Measure: surveys.MeanChange}, "item", "choisissez"},
		{"no name", surveys.Indicator{Item: "q1", Measure: surveys.MeanChange}, "name", "obligatoire"},
		{"bad measure", surveys.Indicator{Name: "X", Item: "q1", Measure: "median"}, "measure", "share_improved"},
		{"no threshold", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.ShareAtLeast}, "threshold", "obligatoire"},
		{"threshold out of range", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.ShareAtLeast, Threshold: f(9)}, "threshold", "entre 1 et 5"},
		{"share as percent", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.ShareImproved, Target: f(60)}, "target", "entre 0 et 1"},
		{"change too big", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.MeanChange, Baseline: f(7)}, "baseline", "entre -4 et 4"},
		{"NaN", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.MeanChange, Target: f(math.NaN())}, "target", "un nombre"},
		{"bad period", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.MeanChange, From: "2026-09-01", To: "2026-06-30"}, "to", "avant son début"},
		{"bad date", surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.MeanChange, From: "01/09/2026"}, "from", "AAAA-MM-JJ"},
	} {
		tt.ind.QuestionnaireID = q.ID
		err := tt.ind.Validate(q)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(surveys.ErrorFields(err)[tt.field], tt.says) {
			t.Errorf("%s: error %v, fields %v; want %s to say %q", tt.name, err, surveys.ErrorFields(err), tt.field, tt.says)
		}
	}
	if err := (&surveys.Indicator{Name: "X", Item: "q1", Measure: surveys.MeanChange, QuestionnaireID: "nope"}).Validate(nil); !strings.Contains(surveys.ErrorFields(err)["questionnaire_id"], "introuvable") {
		t.Errorf("unknown questionnaire: %v", err)
	}
}

// An indicator reads every version of its questionnaire where its item is
// unchanged: odd-v2 counts when q1 is the same there, not when reworded.
func TestIndicatorMeasuredByVersions(t *testing.T) {
	parse := func(id, def string) *surveys.Questionnaire {
		q, err := surveys.ParseDefinition([]byte(def))
		if err != nil {
			t.Fatal(err)
		}
		q.ID = id
		return q
	}
	v1 := parse("regards-v1", indicatorDefinition)
	v2 := parse("regards-v2", strings.Replace(indicatorDefinition, "Je comprends.", "Je comprends mieux.", 1))
	other := parse("autre-v1", indicatorDefinition)
	onItem := &surveys.Indicator{Item: "q1"}
	onScale := &surveys.Indicator{Scale: "agir"}
	for _, tt := range []struct {
		ind  *surveys.Indicator
		q    *surveys.Questionnaire
		want bool
	}{
		{onItem, v1, true}, {onItem, v2, true}, {onItem, other, false},
		{onScale, v1, true}, {onScale, v2, false}, // q2 was reworded
	} {
		if got := tt.ind.MeasuredBy(v1, tt.q); got != tt.want {
			t.Errorf("%s measured by %s = %v, want %v", tt.ind.MeasureKey(), tt.q.ID, got, tt.want)
		}
	}
	if f2, _ := surveys.FamilyOf(v2); f2 != "regards" {
		t.Errorf("family of %s = %q, want regards", v2.ID, f2)
	}
	if fo, _ := surveys.FamilyOf(other); fo != "autre" {
		t.Errorf("family of %s = %q, want autre", other.ID, fo)
	}
}
