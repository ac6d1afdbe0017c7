package library

import (
	"testing"

	"declic/surveys"
)

// Every library text is written in French, Portuguese and English.
func TestLibraryTranslated(t *testing.T) {
	qs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		missing := 0
		check := func(what string, tx surveys.Text) {
			if tx.IsZero() || isNumber(tx.String()) {
				return
			}
			for _, l := range []string{"pt", "en"} {
				if !tx.Has(l) {
					missing++
					t.Errorf("%s: %s %q has no %s wording", q.ID, what, tx.String(), l)
				}
			}
		}
		if !q.Offers("pt") || !q.Offers("en") {
			t.Errorf("%s offers %v", q.ID, q.FormLanguages())
		}
		check("title", q.Title)
		check("description", q.Description)
		for _, it := range q.Items {
			check(it.Key, it.Text)
			check(it.Key+" help", it.Help)
			if it.Scale != nil {
				for _, l := range it.Scale.Labels {
					check(it.Key+" label", l)
				}
			}
			for _, o := range it.Options {
				check(it.Key+" option", o.Label)
			}
		}
		for _, s := range q.Scales {
			check(s.Key, s.Title)
		}
	}
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
