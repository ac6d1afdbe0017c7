package sqlite

import (
	"reflect"
	"strings"
	"testing"

	"declic/surveys"
)

func TestAnswersRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   surveys.Answers
	}{
		{"none", surveys.Answers{}},
		{"every shape", surveys.Answers{
			"q1": surveys.NumberAnswer(4), "neg": surveys.NumberAnswer(-1_000_000_000), "zero": surveys.NumberAnswer(0),
			"k1": surveys.OptionAnswer("b"), "c1": surveys.OptionsAnswer([]string{"a", "c", "é"}),
			"t1": surveys.TextAnswer("« ça » 🌍\nligne\t2"), "r1": surveys.PairAnswer(1, 5),
			"empty": surveys.OptionAnswer(""),
		}},
		{"long text", surveys.Answers{"t": surveys.TextAnswer(strings.Repeat("é", 2000))}},
		{"texts only", surveys.Answers{"t": surveys.TextAnswer("a"), "u": surveys.TextAnswer("")}},
	} {
		got := surveys.Answers{}
		if err := newDecoder().decode(encodeAnswers(tt.in), got); err != nil {
			t.Fatalf("%s: decode: %v", tt.name, err)
		}
		if !reflect.DeepEqual(got, tt.in) {
			t.Errorf("%s: round trip = %v, want %v", tt.name, got, tt.in)
		}
	}
}

func TestEncodeSkipsNoAnswer(t *testing.T) {
	got := surveys.Answers{}
	if err := newDecoder().decode(encodeAnswers(surveys.Answers{"a": {}, "b": surveys.NumberAnswer(2)}), got); err != nil {
		t.Fatal(err)
	}
	if want := (surveys.Answers{"b": surveys.NumberAnswer(2)}); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %v, want %v", got, want)
	}
}

func TestDecodeRefusesDamage(t *testing.T) {
	scored := encodeAnswers(surveys.Answers{"q1": surveys.NumberAnswer(3), "c1": surveys.OptionsAnswer([]string{"a"})})
	for _, b := range [][]byte{
		{9},                    // unknown version
		scored[:len(scored)-1], // cut short
		append(scored[:len(scored):len(scored)], 0), // trailing byte
		{1, 1, 1, 'k', 99},                          // unknown kind
		{1, 200, 1},                                 // more answers than bytes
	} {
		if err := newDecoder().decode(b, surveys.Answers{}); err == nil {
			t.Errorf("decode(%v) = nil error, want corrupt", b)
		}
	}
}

// FuzzDecodeAnswers checks that no stored bytes make the decoder panic,
// and that what it accepts encodes back to answers it reads the same.
func FuzzDecodeAnswers(f *testing.F) {
	f.Add(encodeAnswers(surveys.Answers{"q1": surveys.NumberAnswer(4), "k1": surveys.OptionAnswer("b"),
		"c1": surveys.OptionsAnswer([]string{"a", "b"}), "r1": surveys.PairAnswer(2, 3), "t1": surveys.TextAnswer("x")}))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got := surveys.Answers{}
		if err := newDecoder().decode(b, got); err != nil {
			return
		}
		again := surveys.Answers{}
		if err := newDecoder().decode(encodeAnswers(got), again); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		for k, a := range got {
			if a.IsZero() {
				delete(got, k) // no answer is not stored
			}
		}
		if !reflect.DeepEqual(normalize(got), normalize(again)) {
			t.Fatalf("round trip: %v then %v", got, again)
		}
	})
}

// normalize makes empty option lists nil, as decoding gives them.
func normalize(a surveys.Answers) surveys.Answers {
	for k, v := range a {
		if len(v.List) == 0 {
			v.List = nil
			a[k] = v
		}
	}
	return a
}
