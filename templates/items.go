package templates

import (
	"slices"

	"declic/surveys"
)

// ItemView is one question of the pupil form, as its type's template
// (pupil/items/<type>.html, defining "item-<type>") draws it.
type ItemView struct {
	*surveys.Item
	Num   int
	Lang  string
	Error string
	// Given are the fields the pupil sent, when the form is shown again.
	Given map[string][]string
	// FirstRetro marks the first retrospective question: the form starts
	// their own last step there.
	FirstRetro bool
}

// Field is the form field of the item's answer.
func (v ItemView) Field() string { return surveys.FormField(v.Key) }

// HalfField is the form field of one half ("before", "now") of a
// retrospective item.
func (v ItemView) HalfField(part string) string { return surveys.RetroField(v.Key, part) }

// Checked tells whether the pupil had picked value in field.
func (v ItemView) Checked(field, value string) bool { return slices.Contains(v.Given[field], value) }

// Value is what the pupil had typed in field.
func (v ItemView) Value(field string) string {
	if vals := v.Given[field]; len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// T is a wording in the form's language.
func (v ItemView) T(t surveys.Text) string { return t.In(v.Lang) }

// EndLabels are the labels of a rating's two ends in the form's language,
// or nil.
func (v ItemView) EndLabels() []string {
	low, high, ok := v.Ends()
	if !ok {
		return nil
	}
	return []string{low.In(v.Lang), high.In(v.Lang)}
}
