package templates

import (
	"strings"
	"testing"
)

// Every message is written in every language the pupil pages speak, with
// the same blanks to fill.
func TestMessages(t *testing.T) {
	for key, fr := range messages["fr"] {
		for _, lang := range PageLanguages {
			m, ok := messages[lang][key]
			switch {
			case !ok:
				t.Errorf("%s: no %q", lang, key)
			case strings.TrimSpace(m) == "":
				t.Errorf("%s: %q is empty", lang, key)
			case strings.Count(m, "%") != strings.Count(fr, "%"):
				t.Errorf("%s: %q has other blanks than in French: %q / %q", lang, key, m, fr)
			}
		}
	}
	for _, lang := range PageLanguages {
		if len(messages[lang]) != len(messages["fr"]) {
			t.Errorf("%s has %d messages, French %d", lang, len(messages[lang]), len(messages["fr"]))
		}
		if len(monthsByLang[lang]) != 12 {
			t.Errorf("%s has no month names", lang)
		}
	}
	if got := T("es", "form.send"); got != "Envoyer mes réponses" {
		t.Errorf("a language the pages do not speak: %q, want French", got)
	}
	if got := TN("pt", "errors.missing", 1); got != "1 resposta por completar" {
		t.Errorf("TN(pt, 1) = %q", got)
	}
	if got := pageT("fr", "notice.write", "<b>dpo</b>"); strings.Contains(string(got), "<b>") || !strings.Contains(string(got), "Écris à &lt;b&gt;dpo") {
		t.Errorf("a filled blank is not escaped: %q", got)
	}
}
