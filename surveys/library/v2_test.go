package library

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"declic/surveys"
)

// The second versions: « Je ne sais pas » on every knowledge question
// (scored as not correct), the retrospective question linked to the
// question it repeats, and words a 12-year-old reads without help.
func TestLibraryV2(t *testing.T) {
	qs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*surveys.Questionnaire{}
	for _, q := range qs {
		ids[q.ID] = q
	}
	for _, name := range []string{"odd", "interculturalite", "droits-enfant"} {
		if ids[name+"-v1"] == nil {
			t.Errorf("%s-v1 is gone: workshops that used it would not resolve", name)
		}
		q := ids[name+"-v2"]
		if q == nil {
			t.Errorf("%s-v2 missing", name)
			continue
		}
		t.Run(q.ID, func(t *testing.T) {
			for _, it := range q.Items {
				text := it.Text.String()
				if n := len(strings.Fields(text)); n > 25 {
					t.Errorf("%s: %d words, want 25 at most: %q", it.Key, n, text)
				}
				for _, hard := range []string{"se fait moquer", "tranche d'âge", "jamais affiché", "au quotidien", "consommer", "embaucher"} {
					if strings.Contains(text, hard) || strings.Contains(it.Help.String(), hard) {
						t.Errorf("%s: « %s » is hard to read at 12", it.Key, hard)
					}
				}
				if it.Type == surveys.Quiz {
					i := slices.IndexFunc(it.Options, func(o surveys.Option) bool { return o.Label.String() == "Je ne sais pas" })
					if i < 0 || it.Options[i].Value == it.Correct || i != len(it.Options)-1 {
						t.Errorf("%s: want « Je ne sais pas » last, not the right answer: %v", it.Key, it.Options)
						continue
					}
					if score, ok := it.Score(surveys.OptionAnswer(it.Options[i].Value)); !ok || score != 0 {
						t.Errorf("%s: « Je ne sais pas » scores %v, %v; want 0 (not correct)", it.Key, score, ok)
					}
				}
				if it.Retrospective() {
					of, ok := q.Item(it.Of)
					if !ok || of.Text.String() != text {
						t.Errorf("%s: of %q; want the PRE question it repeats, same words", it.Key, it.Of)
					}
				}
				if !utf8.ValidString(text) || strings.Contains(text, "  ") {
					t.Errorf("%s: text %q", it.Key, text)
				}
			}
		})
	}
	// A new workshop is offered the newest versions only.
	var offered []string
	for _, q := range Latest(qs) {
		offered = append(offered, q.ID)
	}
	slices.Sort(offered)
	if want := []string{"droits-enfant-v2", "interculturalite-v2", "odd-v2"}; !slices.Equal(offered, want) {
		t.Errorf("Latest = %v, want %v", offered, want)
	}
}
