package surveys

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"declic/surveys/stats"
)

// sixLikert has six Likert items (one reversed), a 0-10 scale, a quiz and
// a retrospective item repeating l1.
func sixLikert(t *testing.T) *Questionnaire {
	t.Helper()
	q, err := ParseDefinition([]byte(`{"title": "Qualité", "items": [
	  {"key": "l1", "type": "likert", "text": "Un", "scale": {"min": 1, "max": 5}},
	  {"key": "l2", "type": "likert", "text": "Deux", "scale": {"min": 1, "max": 5}, "reverse": true},
	  {"key": "l3", "type": "likert", "text": "Trois", "scale": {"min": 1, "max": 5}},
	  {"key": "l4", "type": "likert", "text": "Quatre", "scale": {"min": 1, "max": 5}},
	  {"key": "l5", "type": "likert", "text": "Cinq", "scale": {"min": 1, "max": 5}},
	  {"key": "l6", "type": "likert", "text": "Six", "scale": {"min": 1, "max": 5}, "required": false},
	  {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "nsp", "label": "Je ne sais pas"}], "correct": "b"},
	  {"key": "r1", "type": "retro", "text": "Un", "scale": {"min": 1, "max": 5}, "of": "l1"}
	], "scales": [{"key": "s", "title": "Échelle", "items": ["l1", "l2", "l3"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func likerts(v ...int) map[string]any {
	m := map[string]any{}
	for i, x := range v {
		m[fmt.Sprint("l", i+1)] = x
	}
	return m
}

func TestStraightLined(t *testing.T) {
	q := sixLikert(t)
	items := NewResultsBuilder(q).ranged[PhasePre]
	tests := []struct {
		name string
		a    map[string]any
		want bool
	}{
		{"six times 3", likerts(3, 3, 3, 3, 3, 3), true},
		{"six times 5, the reversed item too", likerts(5, 5, 5, 5, 5, 5), true},
		{"one differs", likerts(3, 3, 3, 3, 3, 4), false},
		{"only five answered", likerts(3, 3, 3, 3, 3), false},
		{"varied", likerts(1, 5, 2, 4, 3, 3), false},
	}
	for _, tt := range tests {
		if got := StraightLined(items, ans(tt.a)); got != tt.want {
			t.Errorf("%s: StraightLined = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Flags: too_fast comes stored, straight_line is computed from the answers,
// over_attendance from the head count; n_flagged counts the responses still
// in the statistics that raise any.
func TestQualityFlagsAndList(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	b.ListResponses = true
	b.SetAttendance("w", 5)
	add := func(id, who string, p Phase, a map[string]any, flags ...Flag) {
		b.Add(&Response{ID: id, WorkshopID: "w", Participant: who, Phase: p, Day: "2026-03-10", Flags: flags, Answers: ans(a)})
	}
	// Five pupils answer both phases; a sixth and a seventh answer PRE only.
	for i := range 5 {
		who := fmt.Sprint("p", i)
		pre := likerts(1+i%5, 2, 3, 4, 5, 1)
		pre["k1"] = "a"
		add(fmt.Sprint("pre", i), who, PhasePre, pre)
		post := likerts(2, 2, 3, 4, 5, 2)
		post["k1"] = "b"
		post["r1"] = map[string]any{"before": 1, "now": 3}
		add(fmt.Sprint("post", i), who, PhasePost, post)
	}
	add("pre5", "p5", PhasePre, likerts(4, 4, 4, 4, 4, 4))
	add("pre6", "p6", PhasePre, likerts(2, 3, 2, 3, 2, 3), FlagTooFast)
	// An excluded response keeps its flags in the list but leaves the counts.
	b.Add(&Response{ID: "pre7", WorkshopID: "w", Participant: "p7", Phase: PhasePre, Excluded: true, Answers: ans(likerts(1, 1, 1, 1, 1, 1))})

	res := b.Results()
	if res.NPre != 7 || res.NExcluded != 1 || res.NPaired != 5 {
		t.Errorf("n_pre %d n_excluded %d n_paired %d; want 7 1 5", res.NPre, res.NExcluded, res.NPaired)
	}
	// 7 PRE for 5 present: the two unpaired PRE are the candidates.
	if res.NFlagged != 2 {
		t.Errorf("n_flagged = %d, want 2 (pre5: straight line and surplus; pre6: too fast and surplus)", res.NFlagged)
	}
	got := map[string]ResponseQuality{}
	for _, r := range b.Responses() {
		got[r.ID] = r
	}
	if len(got) != 13 {
		t.Fatalf("listed %d responses, want 13", len(got))
	}
	want := map[string][]Flag{
		"pre0":  {},
		"post0": {},
		"pre5":  {FlagStraightLine, FlagOverAttendance},
		"pre6":  {FlagTooFast, FlagOverAttendance},
		"pre7":  {FlagStraightLine},
	}
	for id, flags := range want {
		if !slices.Equal(got[id].Flags, flags) {
			t.Errorf("%s flags = %v, want %v", id, got[id].Flags, flags)
		}
	}
	if r := got["pre7"]; !r.Excluded || r.PairedBy != nil {
		t.Errorf("pre7 = %+v, want excluded and unpaired", r)
	}
	if r := got["post3"]; r.PairedBy == nil || *r.PairedBy != PairedByCode || r.Phase != PhasePost || r.Day != "2026-03-10" {
		t.Errorf("post3 = %+v, want paired by code", r)
	}
	if s := b.Surpluses(); len(s) != 1 || s[0].Phase != PhasePre || s[0].Responses != 7 || s[0].Attendance != 5 {
		t.Errorf("surpluses = %+v, want PRE: 7 for 5", s)
	}
}

// When the unpaired responses are fewer than the surplus, nothing tells
// the extra ones apart: the whole phase is flagged.
func TestOverAttendanceWholePhase(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	b.SetAttendance("w", 3)
	for i := range 5 {
		who := fmt.Sprint("p", i)
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(likerts(1, 2, 3, 4, 5))})
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(likerts(1, 2, 3, 4, 5))})
	}
	if res := b.Results(); res.NFlagged != 10 {
		t.Errorf("5 pairs for 3 present: n_flagged = %d, want 10", res.NFlagged)
	}
	// Entered right, nothing is flagged.
	b.SetAttendance("w", 5)
	b.overMemo = nil
	if res := b.Results(); res.NFlagged != 0 {
		t.Errorf("5 pairs for 5 present: n_flagged = %d, want 0", res.NFlagged)
	}
}

func TestMDEOnEveryPairedBlock(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	for i := range 25 {
		who := fmt.Sprint("p", i)
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(likerts(1+i%3, 2+i%2, 3, 4, 5))})
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(map[string]any{"l1": 2 + i%3, "l2": 2, "l3": 3 + i%2, "l4": 4, "l5": 5,
			"r1": map[string]any{"before": 1 + i%2, "now": 3}})})
	}
	res := b.Results()
	want := stats.MDEPaired(25)
	for _, it := range res.Items {
		if it.Key == "l6" || it.Key == "k1" {
			continue // not answered
		}
		if it.Paired.MDEDz == nil || *it.Paired.MDEDz != *want {
			t.Errorf("%s mde_dz = %v, want %v", it.Key, it.Paired.MDEDz, *want)
		}
	}
	if m := res.Scales[0].Paired.MDEDz; m == nil || math.Abs(*m-0.584) > 1e-3 {
		t.Errorf("scale mde_dz = %v, want about 0.58 for 25 pairs", m)
	}
	// Below 2 pairs: null.
	one := NewResultsBuilder(q)
	one.Add(&Response{WorkshopID: "w", Participant: "a", Phase: PhasePre, Answers: ans(likerts(1, 2, 3, 4, 5))})
	one.Add(&Response{WorkshopID: "w", Participant: "a", Phase: PhasePost, Answers: ans(likerts(2, 2, 3, 4, 5))})
	if m := one.Results().Items[0].Paired.MDEDz; m != nil {
		t.Errorf("one pair: mde_dz = %v, want null", *m)
	}
}

// Attrition: pupils who left after PRE had started much lower; the warning
// says so in plain French.
func TestAttritionWarning(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	for i := range 12 {
		who := fmt.Sprint("p", i)
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(likerts(4+i%2, 2, 3, 4, 5))})
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(likerts(5, 2, 3, 4, 5))})
	}
	for i := range 6 {
		b.Add(&Response{WorkshopID: "w", Participant: fmt.Sprint("gone", i), Phase: PhasePre, Answers: ans(likerts(1+i%2, 2, 3, 4, 5))})
	}
	res := b.Results()
	a := res.Items[0].Attrition
	if a == nil || a.NPaired != 12 || a.NUnpaired != 6 || *a.MeanPaired != 4.5 || *a.MeanUnpaired != 1.5 {
		t.Fatalf("l1 attrition = %+v, want 12 paired (mean 4.5) and 6 unpaired (mean 1.5)", a)
	}
	if !strings.Contains(a.Warning, "les 6 jeunes qui n'ont pas pu être appariés avaient une moyenne de 1,5, contre 4,5 pour les 12 jeunes appariés") {
		t.Errorf("warning = %q", a.Warning)
	}
	// l3: everyone answered 3 before: no difference, no warning.
	if a := res.Items[2].Attrition; a.Warning != "" || a.D != nil {
		t.Errorf("l3 attrition = %+v, want no d (no variance) and no warning", a)
	}
	// The retrospective item has no PRE: no attrition check.
	for _, it := range res.Items {
		if it.Key == "r1" && it.Attrition != nil {
			t.Errorf("r1 attrition = %+v, want none", it.Attrition)
		}
	}
}

// A scale whose items disagree on PRE is not judged; its α is given.
func TestUnreliableScaleNotJudged(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	for i := range 20 {
		who := fmt.Sprint("p", i)
		// l1 and l3 move against each other: α far below 0.6.
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(likerts(1+i%5, 1+(i/4)%5, 5-i%5, 4, 5))})
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(likerts(2+i%4, 1+(i/4)%5, 5-i%5, 4, 5))})
	}
	sc := b.Results().Scales[0]
	if sc.AlphaPre == nil || *sc.AlphaPre >= MinAlpha || !sc.Unreliable {
		t.Fatalf("alpha %v unreliable %v; want α < 0.6 and unreliable", sc.AlphaPre, sc.Unreliable)
	}
	for _, judged := range []string{"hasard", "effet", "concluant"} {
		if strings.Contains(sc.Reading, judged) {
			t.Errorf("reading judges the change (%q): %q", judged, sc.Reading)
		}
	}
	if !strings.Contains(sc.Reading, "α de Cronbach avant l'atelier = ") {
		t.Errorf("reading = %q, want the α", sc.Reading)
	}
}

// The response shift compares each paired pupil's PRE answer to l1 with
// the "before" they gave to r1 at the end.
func TestResponseShift(t *testing.T) {
	q := sixLikert(t)
	b := NewResultsBuilder(q)
	pre := []int{4, 4, 5, 3, 4, 4}
	then := []int{2, 3, 3, 3, 2, 3}
	for i := range pre {
		who := fmt.Sprint("p", i)
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(likerts(pre[i], 2, 3, 4, 5))})
		post := likerts(5, 2, 3, 4, 5)
		post["r1"] = map[string]any{"before": then[i], "now": 5}
		b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost, Answers: ans(post)})
	}
	// A POST-only pupil has no PRE to compare with.
	b.Add(&Response{WorkshopID: "w", Participant: "late", Phase: PhasePost, Answers: ans(map[string]any{"l1": 5, "r1": map[string]any{"before": 1, "now": 5}})})
	var r1 *ItemResult
	res := b.Results()
	for i := range res.Items {
		if res.Items[i].Key == "r1" {
			r1 = &res.Items[i]
		}
	}
	rs := r1.ResponseShift
	f := func(x []int) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	}
	want := stats.ComparePaired(f(pre), f(then))
	if rs == nil || rs.Of != "l1" || rs.Paired.N != 6 || *rs.Paired.MeanDiff != want.MeanDiff || *rs.Paired.MeanPre != 4 {
		t.Fatalf("response shift = %+v, want 6 pairs, then − PRE = %v", rs, want.MeanDiff)
	}
	if !strings.Contains(rs.Reading, "sous-estime") {
		t.Errorf("reading = %q, want the PRE/POST change said to be understated", rs.Reading)
	}
	if r1.Paired.N != 7 {
		t.Errorf("r1 paired n = %d, want 7 (every POST answer)", r1.Paired.N)
	}
}

func TestRetroOfValidated(t *testing.T) {
	base := `{"key": "l1", "type": "likert", "text": "x", "scale": {"min": 1, "max": 5}},
	  {"key": "y1", "type": "yesno", "text": "y"},
	  {"key": "lp", "type": "likert", "text": "z", "scale": {"min": 1, "max": 5}, "phases": ["post"]},
	  {"key": "l7", "type": "likert", "text": "w", "scale": {"min": 1, "max": 7}},`
	for _, tt := range []struct{ name, item string }{
		{"unknown", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "of": "nope"}`},
		{"yes/no", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "of": "y1"}`},
		{"post only", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "of": "lp"}`},
		{"other range", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "of": "l7"}`},
		{"reversed", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "reverse": true, "of": "l1"}`},
		{"not retro", `{"key": "r", "type": "likert", "text": "x", "scale": {"min": 1, "max": 5}, "of": "l1"}`},
	} {
		_, err := ParseDefinition([]byte(`{"title": "T", "items": [` + base + tt.item + `]}`))
		if msg := ErrorFields(err)["r"]; msg == "" {
			t.Errorf("%s: err = %v, want a message on r", tt.name, err)
		}
	}
	if _, err := ParseDefinition([]byte(`{"title": "T", "items": [` + base + `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "of": "l1"}]}`)); err != nil {
		t.Errorf("valid link refused: %v", err)
	}
}

func TestExclusionValidate(t *testing.T) {
	ok := Exclusion{WorkshopID: "w", ResponseID: "r", UserID: "u", Excluded: true, Reason: "Réponses au hasard"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid exclusion: %v", err)
	}
	restore := Exclusion{WorkshopID: "w", ResponseID: "r", UserID: "u"}
	if err := restore.Validate(); err != nil {
		t.Errorf("restore without a reason: %v", err)
	}
	for _, bad := range []Exclusion{
		{WorkshopID: "w", ResponseID: "r", UserID: "u", Excluded: true},
		{WorkshopID: "w", ResponseID: "r", UserID: "u", Excluded: true, Reason: strings.Repeat("é", MaxReason+1)},
		{WorkshopID: "w", ResponseID: "r", UserID: "u", Excluded: true, Reason: "a\x00b"},
	} {
		if ErrorFields(bad.Validate())["reason"] == "" {
			t.Errorf("%+v: want a message on reason", bad)
		}
	}
}
