package surveys

import (
	"encoding/json"
	"strings"
	"testing"

	"declic/surveys/stats"
)

func retroQuestionnaire(t *testing.T) *Questionnaire {
	t.Helper()
	q, err := ParseDefinition([]byte(`{
	  "title": "Rétro", "items": [
	    {"key": "l1", "type": "likert", "text": "Likert", "scale": {"min": 1, "max": 5}},
	    {"key": "r1", "type": "retro", "text": "Je sais expliquer les ODD.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout", "", "", "", "Tout à fait"]}},
	    {"key": "r2", "type": "retro", "text": "Inversée", "scale": {"min": 1, "max": 4}, "reverse": true, "phases": ["post"]}
	  ]}`))
	if err != nil {
		t.Fatalf("ParseDefinition: %v", err)
	}
	return q
}

func TestRetroDefinition(t *testing.T) {
	q := retroQuestionnaire(t)
	r1, _ := q.Item("r1")
	if r1.AskedIn(PhasePre) || !r1.AskedIn(PhasePost) || !r1.Scored() || !r1.IsRequired() {
		t.Errorf("r1: asked pre %v post %v scored %v required %v; want post only, scored, required",
			r1.AskedIn(PhasePre), r1.AskedIn(PhasePost), r1.Scored(), r1.IsRequired())
	}
	bad := []struct{ name, item string }{
		{"asked before", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "phases": ["pre", "post"]}`},
		{"no scale", `{"key": "r", "type": "retro", "text": "x"}`},
		{"options", `{"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(`{"title": "T", "items": [` + tt.item + `]}`))
			if ErrorFields(err)["r"] == "" {
				t.Errorf("err = %v, want a field error on r", err)
			}
		})
	}
	_, err := ParseDefinition([]byte(`{"title": "T", "items": [
	  {"key": "r", "type": "retro", "text": "x", "scale": {"min": 1, "max": 5}},
	  {"key": "l", "type": "likert", "text": "y", "scale": {"min": 1, "max": 5}}],
	  "scales": [{"key": "s", "title": "S", "items": ["r", "l"]}]}`))
	if ErrorFields(err)["scales.s"] == "" {
		t.Errorf("retro item in a scale: err = %v, want refused", err)
	}
}

func TestRetroCheckAnswers(t *testing.T) {
	q := retroQuestionnaire(t)
	valid := func() map[string]any {
		return map[string]any{"l1": json.Number("3"),
			"r1": map[string]any{"before": json.Number("2"), "now": json.Number("4")},
			"r2": map[string]any{"before": 1.0, "now": 3.0}}
	}
	got, err := q.CheckAnswers(PhasePost, valid())
	if err != nil {
		t.Fatalf("valid: %v", err)
	}
	if !got["r1"].Equal(PairAnswer(2, 4)) {
		t.Errorf("r1 stored as %v, want {before: 2, now: 4}", got["r1"])
	}
	tests := []struct {
		name, want string
		edit       func(map[string]any)
	}{
		{"missing now", "aujourd'hui", func(a map[string]any) { a["r1"] = map[string]any{"before": 2.0} }},
		{"out of range", "entre 1 et 5", func(a map[string]any) { a["r1"] = map[string]any{"before": 0.0, "now": 4.0} }},
		{"extra key", "before", func(a map[string]any) { a["r1"] = map[string]any{"before": 2.0, "now": 4.0, "$gt": ""} }},
		{"a number", "before", func(a map[string]any) { a["r1"] = 3.0 }},
		{"a string half", "entier", func(a map[string]any) { a["r1"] = map[string]any{"before": "x", "now": 4.0} }},
		{"missing", "obligatoire", func(a map[string]any) { delete(a, "r1") }},
		{"empty object", "obligatoire", func(a map[string]any) { a["r1"] = map[string]any{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.edit(a)
			_, err := q.CheckAnswers(PhasePost, a)
			if msg := ErrorFields(err)["r1"]; !strings.Contains(msg, tt.want) {
				t.Errorf("r1 error = %q, want it to mention %q", msg, tt.want)
			}
		})
	}
	if _, err := q.CheckAnswers(PhasePre, map[string]any{"l1": 3.0, "r1": map[string]any{"before": 2.0, "now": 4.0}}); ErrorFields(err)["r1"] == "" {
		t.Errorf("retro answer in PRE: err = %v, want refused", err)
	}
}

func TestRetroCheckForm(t *testing.T) {
	q := retroQuestionnaire(t)
	form := map[string][]string{
		"a_l1": {"3"}, RetroField("r1", RetroBefore): {"2"}, RetroField("r1", RetroNow): {"5"},
		RetroField("r2", RetroBefore): {"4"}, RetroField("r2", RetroNow): {" "},
	}
	_, err := q.CheckForm(PhasePost, form)
	if f := ErrorFields(err); f["r1"] != "" || !strings.Contains(f["r2"], "aujourd'hui") {
		t.Fatalf("fields = %v; want r1 fine and r2 asking for both halves", f)
	}
	form[RetroField("r2", RetroNow)] = []string{"1"}
	got, err := q.CheckForm(PhasePost, form)
	if err != nil {
		t.Fatalf("complete form: %v", err)
	}
	if !got["r1"].Equal(PairAnswer(2, 5)) {
		t.Errorf("r1 = %v", got["r1"])
	}
}

// A retrospective item pairs the two halves of each POST answer; its
// figures are those of a paired comparison of "before" and "now".
func TestRetroResults(t *testing.T) {
	q := retroQuestionnaire(t)
	b := NewResultsBuilder(q)
	before := []int{1, 2, 2, 3, 1, 2, 4}
	now := []int{3, 4, 2, 4, 2, 2, 3}
	for i := range before {
		p := string(rune('a' + i))
		b.Add(&Response{WorkshopID: "w", Participant: p, Phase: PhasePre, Answers: ans(map[string]any{"l1": 2})})
		b.Add(&Response{WorkshopID: "w", Participant: p, Phase: PhasePost, Answers: ans(map[string]any{"l1": 3,
			"r1": map[string]any{"before": before[i], "now": now[i]},
			"r2": map[string]any{"before": 4, "now": 1}})}) // reverse: scores 1 → 4
	}
	// A participant who answered POST twice counts in n but not in pairs.
	for range 2 {
		b.Add(&Response{WorkshopID: "w", Participant: "dup", Phase: PhasePost, Answers: ans(map[string]any{"l1": 3,
			"r1": map[string]any{"before": 5, "now": 1}})})
	}
	res := b.Results()
	var r1, r2 *ItemResult
	for i := range res.Items {
		switch res.Items[i].Key {
		case "r1":
			r1 = &res.Items[i]
		case "r2":
			r2 = &res.Items[i]
		}
	}
	if r1 == nil || r2 == nil {
		t.Fatalf("items = %v, want r1 and r2", res.Items)
	}
	if r1.Pre.N != 9 || r1.Post.N != 9 || r1.Paired.N != 7 {
		t.Errorf("r1 n before %d now %d paired %d; want 9 9 7", r1.Pre.N, r1.Post.N, r1.Paired.N)
	}
	if r1.Pre.Counts["5"] != 2 || r1.Post.Counts["4"] != 2 {
		t.Errorf("r1 counts before %v now %v", r1.Pre.Counts, r1.Post.Counts)
	}
	if r1.Unpaired.Welch != nil || r1.Unpaired.MannWhitney != nil || r1.McNemar != nil {
		t.Errorf("r1 unpaired = %+v, mcnemar %v; want none: both halves come from the same pupils", r1.Unpaired, r1.McNemar)
	}
	f := func(x []int) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	}
	want := (&ResultsBuilder{}).convertPaired(stats.ComparePaired(f(before), f(now)))
	got := r1.Paired
	if got.T == nil || got.T.PHolm == nil || got.Wilcoxon == nil || got.Wilcoxon.PHolm == nil {
		t.Fatalf("r1 has no Holm-adjusted p: %+v", got)
	}
	tt, wt := *got.T, *got.Wilcoxon
	tt.PHolm, wt.PHolm = nil, nil
	got.T, got.Wilcoxon = &tt, &wt
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("r1 paired = %s\nwant %s", gotJSON, wantJSON)
	}
	if !strings.HasPrefix(r1.Reading, "Avec le recul, sur les 7 jeunes") || !strings.Contains(r1.Reading, "4 ont progressé") {
		t.Errorf("r1 reading = %q", r1.Reading)
	}
	if *r2.Paired.MeanPre != 1 || *r2.Paired.MeanPost != 4 || r2.Paired.Improved != 7 {
		t.Errorf("r2 (reverse) paired = %+v, want scores 1 → 4 for all 7", r2.Paired)
	}
	if r2.Pre.Counts["4"] != 7 {
		t.Errorf("r2 counts show scores, not answers: %v", r2.Pre.Counts)
	}
}

func TestRetroScoresNeedAPair(t *testing.T) {
	q := retroQuestionnaire(t)
	r1, _ := q.Item("r1")
	b, n, ok := r1.RetroScores(PairAnswer(2, 5))
	if !ok || b != 2 || n != 5 {
		t.Errorf("RetroScores = %v %v %v, want 2 5 true", b, n, ok)
	}
	if _, _, ok := r1.RetroScores(NumberAnswer(5)); ok {
		t.Error("RetroScores accepted a number")
	}
}
