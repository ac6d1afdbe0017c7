package surveys

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Text is a wording in the questionnaire's language and, optionally, in
// others. Written as a plain string when it has one language, and as
// {"fr": "…", "pt": "…"} when it is translated (contract). Statistics,
// charts and exports use the main wording (String); the pupil form uses In.
type Text struct {
	main string            // in the questionnaire's language
	tr   map[string]string // every language it is written in, main included; nil when untranslated
}

// NewText is a wording in one language.
func NewText(s string) Text { return Text{main: s} }

// Translated is a wording in several languages; main names the
// questionnaire's language, whose wording String returns.
func Translated(main string, byLang map[string]string) Text {
	t := Text{tr: map[string]string{}}
	for l, s := range byLang {
		t.tr[l] = s
	}
	t.main = t.tr[main]
	return t
}

// String is the wording in the questionnaire's language.
func (t Text) String() string { return t.main }

// In is the wording in lang, or the main wording where it has none.
func (t Text) In(lang string) string {
	if s := t.tr[lang]; s != "" {
		return s
	}
	return t.main
}

// Has tells whether the text is written in lang (the main language counts
// only once resolved).
func (t Text) Has(lang string) bool { return t.tr[lang] != "" }

// Languages lists the languages the text is written in, sorted; nil when
// it is untranslated.
func (t Text) Languages() []string {
	return slices.Sorted(maps.Keys(t.tr))
}

// IsZero tells whether the text is empty in every language.
func (t Text) IsZero() bool {
	if strings.TrimSpace(t.main) != "" {
		return false
	}
	for _, s := range t.tr {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// Map returns every wording by language, the main one under main.
func (t Text) Map(main string) map[string]string {
	out := map[string]string{main: t.main}
	for l, s := range t.tr {
		out[l] = s
	}
	return out
}

// trimmed removes surrounding spaces in every language.
func (t Text) trimmed() Text {
	out := Text{main: strings.TrimSpace(t.main)}
	if t.tr != nil {
		out.tr = make(map[string]string, len(t.tr))
		for l, s := range t.tr {
			out.tr[l] = strings.TrimSpace(s)
		}
	}
	return out
}

// resolve sets the main wording of a translated text from its main
// language, once the questionnaire's language is known. It tells whether
// the main language is there.
func (t *Text) resolve(main string) bool {
	if t.tr == nil {
		return true
	}
	if s, ok := t.tr[main]; ok {
		t.main = s
		return strings.TrimSpace(s) != ""
	}
	if t.main != "" {
		t.tr[main] = t.main // a plain string given as the main wording
		return true
	}
	return false
}

// each calls fn on every wording, for length checks.
func (t Text) each(fn func(lang, s string)) {
	if t.tr == nil {
		fn("", t.main)
		return
	}
	for _, l := range slices.Sorted(maps.Keys(t.tr)) {
		fn(l, t.tr[l])
	}
}

// MarshalJSON writes a string, or an object by language when translated.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t.tr) == 0 {
		return json.Marshal(t.main)
	}
	return json.Marshal(t.tr)
}

// UnmarshalJSON reads a string, or an object by language whose main
// wording is set by the questionnaire's Validate.
func (t *Text) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		*t = Text{tr: m}
		if t.tr == nil {
			t.tr = map[string]string{}
		}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*t = Text{main: s}
	return nil
}
