package surveys

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// ItemType is the kind of question an item asks.
type ItemType string

// Item is one question.
type Item struct {
	Key      string   `json:"key"`
	Type     ItemType `json:"type"`
	Text     Text     `json:"text"`
	Help     Text     `json:"help,omitzero"`
	Scale    *Range   `json:"scale,omitempty"`
	Options  []Option `json:"options,omitempty"`
	Correct  string   `json:"correct,omitempty"`
	Multiple bool     `json:"multiple,omitempty"`
	Reverse  bool     `json:"reverse,omitempty"`
	Phases   []Phase  `json:"phases,omitempty"`
	Required *bool    `json:"required,omitempty"`
	// Profile marks a single-choice item (age band, gender) that reports
	// break figures down by; groups under MinGroupSize are never shown.
	Profile bool `json:"profile,omitempty"`
	// Of links a retrospective item to the PRE item it repeats (same
	// wording, same range, same direction): reports then show the response
	// shift, the pupils' "before" given at the end minus their PRE answer.
	Of string `json:"of,omitempty"`

	// known is the type's kind, found once by Validate: results look it
	// up for every answer of every response.
	known *itemKind
}

// Range is the answer range of likert, scale and retrospective items.
type Range struct {
	Min    int    `json:"min"`
	Max    int    `json:"max"`
	Labels []Text `json:"labels,omitempty"`
}

// Option is one answer of a quiz or choice item.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Choice is one answer a pupil can pick: a value of the form and its label.
type Choice struct {
	Value string
	Label Text
}

// Column is one export column of an item: its header and its cell, an int,
// a string or nil, for an answer.
type Column struct {
	Header string
	Cell   func(Answer) any
}

// kind is what an item type does. Each type is one file (item_likert.go, …)
// that registers its kind, plus its pupil-form template
// (templates/pupil/item_<type>.html, defining "item-<type>").
type kind interface {
	// check validates the type's own fields of a definition; "" when right.
	check(it *Item) string
	// decode checks one answer as JSON decodes it (json.Number, float64,
	// string, []any, map[string]any). An empty answer (null, "", [])
	// gives the zero Answer and no message.
	decode(it *Item, v any) (Answer, string)
	// fromForm reads the item's fields of a sent HTML form, in the shape
	// decode takes; nil when none was sent.
	fromForm(it *Item, form url.Values) any
	// score is an answer's score before reverse; false when there is none.
	score(it *Item, a Answer) (float64, bool)
	// choices are the answers a pupil picks from; nil for free text.
	choices(it *Item) []Choice
	// columns are the item's export columns.
	columns(it *Item) []Column
	// example is a made-up answer for demo data: level is the pupil's
	// standing (about −2 to 2) in this phase; gain is the workshop's
	// effect on them, which only a retrospective item reads.
	example(it *Item, rng *rand.Rand, level, gain float64) Answer
}

// traits are what statistics, charts and pages need to know of a type.
type traits struct {
	scored   bool // answers are scores that statistics use
	binary   bool // scores are 0 or 1: McNemar, the knowledge chart
	ranged   bool // answers lie on the item's scale, min to max
	options  bool // answers are option values
	postOnly bool // asked only at the end unless phases say otherwise
	// retrospective answers hold their own pair ("before", "now"): they
	// are analysed within each POST answer, not across phases.
	retrospective bool
	// label names the type in the questionnaire editor (staff pages are
	// French); rank is its place in the editor's list.
	label string
	rank  int
}

type itemKind struct {
	kind
	traits
	typ ItemType
}

var kinds = map[ItemType]*itemKind{}

// register adds an item type; each type's file calls it once.
func register(t ItemType, k kind, tr traits) {
	if _, dup := kinds[t]; dup {
		panic("surveys: item type registered twice: " + string(t))
	}
	kinds[t] = &itemKind{k, tr, t}
}

// ItemTypes lists every item type, in the editor's order.
func ItemTypes() []ItemType {
	out := make([]ItemType, 0, len(kinds))
	for t := range kinds {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b ItemType) int {
		return cmp.Or(cmp.Compare(kinds[a].rank, kinds[b].rank), cmp.Compare(a, b))
	})
	return out
}

// Label is the type's name in the questionnaire editor; an unknown type
// is its own name.
func (t ItemType) Label() string {
	if k, ok := kinds[t]; ok && k.label != "" {
		return k.label
	}
	return string(t)
}

// Binary tells whether the type's scores are 0 or 1 (right or wrong, yes
// or no): the knowledge chart shows them as shares.
func (t ItemType) Binary() bool {
	k, ok := kinds[t]
	return ok && k.binary
}

// Retrospective tells whether the type holds its own "before" and "now",
// answered at the end.
func (t ItemType) Retrospective() bool {
	k, ok := kinds[t]
	return ok && k.retrospective
}

func typeNames() string {
	names := make([]string, 0, len(kinds))
	for _, t := range ItemTypes() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

func (it *Item) kind() (itemKind, bool) {
	if it.known != nil && it.known.typ == it.Type {
		return *it.known, true
	}
	k, ok := kinds[it.Type]
	if !ok {
		return itemKind{}, false
	}
	return *k, true
}

func (it *Item) traits() traits {
	k, _ := it.kind()
	return k.traits
}

// Scored reports whether the item's answers are numbers that statistics use.
func (it *Item) Scored() bool { return it.traits().scored }

// Binary reports whether the item scores 0 or 1 (quiz, yes/no).
func (it *Item) Binary() bool { return it.traits().binary }

// Ranged reports whether answers lie on the item's scale (min to max).
func (it *Item) Ranged() bool { return it.traits().ranged }

// Retrospective reports whether each answer holds its own before/now pair.
func (it *Item) Retrospective() bool { return it.traits().retrospective }

// HasOptions reports whether answers are option values (quiz, choice).
func (it *Item) HasOptions() bool { return it.traits().options }

// Template is the name of the item's pupil-form template.
func (it *Item) Template() string { return "item-" + string(it.Type) }

// IsRequired applies the contract's default: scored items are required.
func (it *Item) IsRequired() bool {
	if it.Required != nil {
		return *it.Required
	}
	return it.Scored()
}

// AskedIn reports whether the item is asked in phase p (default: both,
// only POST for a retrospective item).
func (it *Item) AskedIn(p Phase) bool {
	if len(it.Phases) == 0 {
		if it.traits().postOnly {
			return p == PhasePost
		}
		return p == PhasePre || p == PhasePost
	}
	return slices.Contains(it.Phases, p)
}

// ScoreRange is the lowest and highest score the item can give.
func (it *Item) ScoreRange() (lo, hi float64) {
	if it.Ranged() && it.Scale != nil {
		return float64(it.Scale.Min), float64(it.Scale.Max)
	}
	return 0, 1
}

// Score is the item's score for an answer: reverse applied, a quiz 1 or 0.
// ok is false for a missing answer or an unscored item.
func (it *Item) Score(a Answer) (float64, bool) {
	k, ok := it.kind()
	if !ok || !k.scored || a.IsZero() {
		return 0, false
	}
	s, ok := k.score(it, a)
	if !ok {
		return 0, false
	}
	return it.reversed(s), true
}

// RetroScores returns the "before" and "now" scores of a retrospective
// answer, with reverse applied.
func (it *Item) RetroScores(a Answer) (before, now float64, ok bool) {
	if !it.Retrospective() || a.Kind != AnswerPair {
		return 0, 0, false
	}
	return it.reversed(float64(a.Before)), it.reversed(float64(a.Number)), true
}

func (it *Item) reversed(s float64) float64 {
	if it.Reverse {
		lo, hi := it.ScoreRange()
		return lo + hi - s
	}
	return s
}

// Raw undoes reverse on a score, giving back the answer as given.
func (it *Item) Raw(score float64) float64 { return it.reversed(score) }

// Choices are the answers a pupil picks from, in order; nil for free text.
func (it *Item) Choices() []Choice {
	k, ok := it.kind()
	if !ok {
		return nil
	}
	return k.choices(it)
}

// Columns are the item's export columns.
func (it *Item) Columns() []Column {
	k, ok := it.kind()
	if !ok {
		return nil
	}
	return k.columns(it)
}

// Example is a made-up answer for demo data (see kind.example).
func (it *Item) Example(rng *rand.Rand, level, gain float64) Answer {
	k, ok := it.kind()
	if !ok {
		return Answer{}
	}
	return k.example(it, rng, level, gain)
}

// Decode checks one answer as JSON decodes it; see kind.decode.
func (it *Item) Decode(v any) (Answer, string) {
	k, ok := it.kind()
	if !ok {
		return Answer{}, "type de question inconnu"
	}
	return k.decode(it, v)
}

// oneColumn is the export column of an item with one answer per response.
func oneColumn(it *Item) []Column {
	return []Column{{Header: it.Key, Cell: plainCell}}
}

func plainCell(a Answer) any {
	switch a.Kind {
	case AnswerNumber:
		return a.Number
	case AnswerOption, AnswerText, AnswerOptions:
		return a.Label()
	}
	return nil
}

// rangeChoices are the values min..max of a ranged item, labelled where
// the definition has labels and labelled says to use them.
func rangeChoices(it *Item, labelled bool) []Choice {
	// An invalid scale (a draft in the editor's preview) has no choices.
	if it.Scale == nil || it.Scale.Max < it.Scale.Min || it.Scale.Max-it.Scale.Min > maxScaleSpan {
		return nil
	}
	out := make([]Choice, 0, it.Scale.Max-it.Scale.Min+1)
	for n := it.Scale.Min; n <= it.Scale.Max; n++ {
		v := fmt.Sprint(n)
		c := Choice{Value: v, Label: NewText(v)}
		if labelled && n-it.Scale.Min < len(it.Scale.Labels) && !it.Scale.Labels[n-it.Scale.Min].IsZero() {
			c.Label = it.Scale.Labels[n-it.Scale.Min]
		}
		out = append(out, c)
	}
	return out
}

func optionChoices(it *Item) []Choice {
	out := make([]Choice, len(it.Options))
	for i, o := range it.Options {
		out[i] = Choice(o)
	}
	return out
}

// checkRange validates the scale of a ranged item.
func checkRange(it *Item) string {
	if it.Scale == nil {
		return "« scale » (min, max) est obligatoire pour ce type"
	}
	s := it.Scale
	if s.Max <= s.Min || s.Max-s.Min > maxScaleSpan || s.Min < -100 || s.Max > 100 {
		return fmt.Sprintf("l'échelle doit aller de min à max avec min < max et au plus %d pas", maxScaleSpan)
	}
	if len(s.Labels) != 0 && len(s.Labels) != s.Max-s.Min+1 {
		return fmt.Sprintf("il faut %d libellés (un par valeur) ou aucun", s.Max-s.Min+1)
	}
	for _, l := range s.Labels {
		if msg := checkLength(l, maxLabel, "un libellé"); msg != "" {
			return msg
		}
	}
	if len(it.Options) > 0 || it.Correct != "" || it.Multiple {
		return "options, correct et multiple ne s'appliquent pas à ce type"
	}
	return ""
}

// checkNoExtras refuses the fields of other types on yes/no and text items.
func checkNoExtras(it *Item) string {
	if it.Scale != nil || len(it.Options) > 0 || it.Correct != "" || it.Multiple {
		return "scale, options, correct et multiple ne s'appliquent pas à ce type"
	}
	return ""
}

// checkOptions validates the options of an item with options.
func checkOptions(it *Item) string {
	if it.Scale != nil {
		return "scale ne s'applique pas à ce type"
	}
	opts := it.Options
	if len(opts) < 2 || len(opts) > MaxOptions {
		return fmt.Sprintf("il faut entre 2 et %d options", MaxOptions)
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if !keyPattern.MatchString(o.Value) {
			return fmt.Sprintf("la valeur d'option « %s » doit faire 1 à 40 caractères parmi a-z, 0-9 et _", o.Value)
		}
		if seen[o.Value] {
			return fmt.Sprintf("la valeur d'option « %s » est en double", o.Value)
		}
		seen[o.Value] = true
		if o.Label.IsZero() {
			return fmt.Sprintf("le libellé de l'option « %s » est vide", o.Value)
		}
		if msg := checkLength(o.Label, maxLabel, fmt.Sprintf("le libellé de l'option « %s »", o.Value)); msg != "" {
			return msg
		}
	}
	return ""
}

// checkLength bounds a text in every language.
func checkLength(t Text, limit int, what string) string {
	msg := ""
	t.each(func(lang, s string) {
		if msg == "" && utf8.RuneCountInString(s) > limit {
			msg = fmt.Sprintf("%s dépasse %d caractères", what, limit)
			if lang != "" {
				msg += " (" + lang + ")"
			}
		}
	})
	return msg
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// decodeOption checks a single option value.
func decodeOption(it *Item, v any) (Answer, string) {
	s, ok := v.(string)
	if !ok {
		return Answer{}, "une des options est attendue"
	}
	if s == "" {
		return Answer{}, ""
	}
	if !hasOption(it.Options, s) {
		return Answer{}, "option inconnue"
	}
	return OptionAnswer(s), ""
}

// decodeInRange checks a whole number within the item's score range.
func decodeInRange(it *Item, v any) (Answer, string) {
	n, ok := integer(v)
	if !ok {
		if s, isStr := v.(string); isStr && strings.TrimSpace(s) == "" {
			return Answer{}, ""
		}
		return Answer{}, "un nombre entier est attendu"
	}
	lo, hi := it.ScoreRange()
	if float64(n) < lo || float64(n) > hi {
		return Answer{}, fmt.Sprintf("la réponse doit être comprise entre %g et %g", lo, hi)
	}
	return NumberAnswer(n), ""
}

// numberScore is the score of a numeric answer.
func numberScore(_ *Item, a Answer) (float64, bool) {
	if a.Kind != AnswerNumber {
		return 0, false
	}
	return float64(a.Number), true
}

// firstValue is an item's single form field, trimmed; nil when absent.
func firstValue(form url.Values, field string) any {
	vals := form[field]
	if len(vals) == 0 {
		return nil
	}
	return vals[0]
}

// numberField is a numeric form field in decode's shape.
func numberField(form url.Values, field string) any {
	vals := form[field]
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return nil
	}
	return jsonNumber(strings.TrimSpace(vals[0]))
}

// FormField is the form field of an item's answer.
func FormField(key string) string { return "a_" + key }

// clampRound rounds v into lo..hi, for made-up answers.
func clampRound(v float64, lo, hi int) int {
	n := int(v + 0.5)
	if v < 0 {
		n = int(v - 0.5)
	}
	return max(lo, min(hi, n))
}
