package surveys

import (
	"fmt"
	"testing"
)

func profileQuestionnaire(t *testing.T) *Questionnaire {
	t.Helper()
	q, err := ParseDefinition([]byte(`{"title": "P", "items": [
	  {"key": "l1", "type": "likert", "text": "L", "scale": {"min": 1, "max": 5}},
	  {"key": "r1", "type": "retro", "text": "R", "scale": {"min": 1, "max": 5}},
	  {"key": "genre", "type": "choice", "text": "Tu es :", "phases": ["pre"], "required": false, "profile": true,
	   "options": [{"value": "fille", "label": "une fille"}, {"value": "garcon", "label": "un garçon"}, {"value": "nsp", "label": "je préfère ne pas répondre"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestProfileItemsAreSingleChoice(t *testing.T) {
	for _, item := range []string{
		`{"key": "p", "type": "likert", "text": "x", "scale": {"min": 1, "max": 5}, "profile": true}`,
		`{"key": "p", "type": "choice", "text": "x", "multiple": true, "profile": true, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}`,
	} {
		if _, err := ParseDefinition([]byte(`{"title": "T", "items": [` + item + `]}`)); ErrorFields(err)["p"] == "" {
			t.Errorf("%s: err = %v, want refused", item, err)
		}
	}
}

// Two workshops: 8 girls and 3 boys in w1 (girls progress by 1, boys by 2),
// 4 girls in w2 who only answered PRE; a pupil who gave no gender.
func TestReportPoolsAndBreaksDown(t *testing.T) {
	q := profileQuestionnaire(t)
	b := NewResultsBuilder(q)
	add := func(w, who string, p Phase, a map[string]any) {
		b.Add(&Response{WorkshopID: w, Participant: who, Phase: p, Answers: ans(a)})
	}
	for i := range 8 {
		who := fmt.Sprint("f", i)
		add("w1", who, PhasePre, map[string]any{"l1": 2, "genre": "fille"})
		add("w1", who, PhasePost, map[string]any{"l1": 3, "r1": map[string]any{"before": 1, "now": 2 + i%2}})
	}
	for i := range 3 {
		who := fmt.Sprint("g", i)
		add("w1", who, PhasePre, map[string]any{"l1": 1, "genre": "garcon"})
		add("w1", who, PhasePost, map[string]any{"l1": 3, "r1": map[string]any{"before": 1, "now": 5}})
	}
	add("w1", "x", PhasePre, map[string]any{"l1": 4})
	for i := range 4 {
		add("w2", fmt.Sprint("f", i), PhasePre, map[string]any{"l1": 2, "genre": "fille"})
	}
	w1 := &Workshop{ID: "w1", Title: "Un", Date: "2026-01-10", Attendance: 14}
	w2 := &Workshop{ID: "w2", Title: "Deux", Date: "2026-02-10"}
	rep := b.Report([]*Workshop{w1, w2})

	if *rep.Workshops != 2 || rep.NPre != 16 || rep.NPost != 11 || rep.NPaired != 11 || rep.Participants != 16 {
		t.Errorf("workshops %d pre %d post %d paired %d participants %d; want 2 16 11 11 16",
			*rep.Workshops, rep.NPre, rep.NPost, rep.NPaired, rep.Participants)
	}
	if len(rep.PerWorkshop) != 2 || rep.PerWorkshop[0].ID != "w2" || rep.PerWorkshop[0].NPre != 4 || rep.PerWorkshop[1].NPaired != 11 {
		t.Errorf("per workshop = %+v; want w2 (newest, 4 PRE) then w1 (11 pairs)", rep.PerWorkshop)
	}
	if rep.Attendance == nil || *rep.Attendance != 14 || *rep.ResponseRatePre != 12.0/14 || *rep.ResponseRatePost != 11.0/14 {
		t.Errorf("attendance %v, rates %v %v; want 14 and w1's answers over it", rep.Attendance, rep.ResponseRatePre, rep.ResponseRatePost)
	}

	// 12 girls, 3 boys, nobody « nsp », 1 without an answer: the boys and
	// the pupil without an answer hold 4 together, so the girls are hidden
	// too, or « jeunes touchés » minus the girls would give them away.
	if len(rep.Breakdowns) != 1 || len(rep.Breakdowns[0].Groups) != 4 {
		t.Fatalf("breakdowns = %+v, want genre with 3 answers and « Sans réponse »", rep.Breakdowns)
	}
	for _, g := range rep.Breakdowns[0].Groups {
		if !g.Hidden || g.Participants != 0 || g.Measures != nil {
			t.Errorf("group %+v; want hidden, with no count and no figure", g)
		}
	}
	if none := rep.Breakdowns[0].Groups[3]; none.Label != NoAnswerLabel || none.Value != "" {
		t.Errorf("last group = %+v, want the pupils without an answer", none)
	}

	// With 5 boys, 4 « nsp » and the pupil without an answer back at the
	// end, the two small groups hold 5 pupils and 5 pairs together: the
	// girls and the boys are shown with their own figures.
	for i := 3; i < 5; i++ {
		who := fmt.Sprint("g", i)
		add("w1", who, PhasePre, map[string]any{"l1": 1, "genre": "garcon"})
		add("w1", who, PhasePost, map[string]any{"l1": 3, "r1": map[string]any{"before": 1, "now": 5}})
	}
	for i := range 4 {
		who := fmt.Sprint("n", i)
		add("w1", who, PhasePre, map[string]any{"l1": 3, "genre": "nsp"})
		add("w1", who, PhasePost, map[string]any{"l1": 3, "r1": map[string]any{"before": 3, "now": 3}})
	}
	add("w1", "x", PhasePost, map[string]any{"l1": 4, "r1": map[string]any{"before": 3, "now": 4}})
	rep = b.Report([]*Workshop{w1, w2})
	groups := rep.Breakdowns[0].Groups
	girls, boys := groups[0], groups[1]
	if girls.Hidden || girls.Participants != 12 || len(girls.Measures) != 2 {
		t.Fatalf("girls = %+v; want 12 shown (8 in w1, 4 in w2), l1 and r1", girls)
	}
	l1 := girls.Measures[0].Paired
	if girls.Measures[0].Key != "l1" || l1 == nil || l1.N != 8 || *l1.MeanDiff != 1 || l1.Improved != 8 {
		t.Errorf("girls l1 = %+v; want 8 pairs, all +1", l1)
	}
	if r1 := girls.Measures[1].Paired; r1 == nil || r1.N != 8 || *r1.MeanDiff != 1.5 {
		t.Errorf("girls r1 = %+v; want 8 retrospective pairs, mean +1.5", r1)
	}
	if boys.Hidden || boys.Participants != 5 || boys.Measures[0].Paired == nil || boys.Measures[0].Paired.N != 5 {
		t.Errorf("boys = %+v; want 5 shown with their 5 pairs", boys)
	}
	if nsp, none := groups[2], groups[3]; !nsp.Hidden || !none.Hidden {
		t.Errorf("nsp = %+v, none = %+v; want both hidden", nsp, none)
	}
}

// A group of 5 or more pupils with fewer than 5 pairs shows no figure.
func TestBreakdownHidesSmallPairedGroups(t *testing.T) {
	q := profileQuestionnaire(t)
	b := NewResultsBuilder(q)
	for i := range 6 {
		who := fmt.Sprint("f", i)
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(map[string]any{"l1": 2, "genre": "fille"})})
		if i < 4 {
			b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(map[string]any{"l1": 4})})
		}
	}
	g := b.Report([]*Workshop{{ID: "w"}}).Breakdowns[0].Groups[0]
	if g.Hidden || g.Participants != 6 || g.Measures[0].Paired != nil {
		t.Errorf("group = %+v; want 6 pupils shown but l1 (4 pairs) without figures", g)
	}
}
