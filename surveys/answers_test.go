package surveys

import "testing"

// ans builds answers from plain values, as tests write them: an int is a
// number, a string an option, a []string several options, {"before",
// "now"} a retrospective pair; an Answer is kept as it is.
func ans(m map[string]any) Answers {
	out := Answers{}
	for k, v := range m {
		switch x := v.(type) {
		case Answer:
			out[k] = x
		case int:
			out[k] = NumberAnswer(x)
		case string:
			out[k] = OptionAnswer(x)
		case []string:
			out[k] = OptionsAnswer(x)
		case map[string]any:
			out[k] = PairAnswer(x[RetroBefore].(int), x[RetroNow].(int))
		default:
			panic("ans: unsupported test value")
		}
	}
	return out
}

func TestAnswerJSONRoundTrip(t *testing.T) {
	q := testQuestionnaire(t)
	in := map[string]any{"l1": 4.0, "l2": 2.0, "n1": 10.0, "k1": "b", "y1": 0.0, "c1": []any{"a", "b"}}
	got, err := q.CheckAnswers(PhasePre, in)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range got {
		it, _ := q.Item(k)
		back, msg := it.Decode(a.Value())
		if msg != "" || back.Label() != a.Label() || back.Kind != a.Kind {
			t.Errorf("%s: %+v → Value → %+v (%s)", k, a, back, msg)
		}
	}
}
