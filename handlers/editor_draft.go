package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"declic/surveys"
)

// The questionnaire editor works without JavaScript: the whole draft
// travels in one form, and every button (add, move, delete, save) posts it
// back with the action in "do". Field names are flat: title, title.pt,
// i3.text, i3.text.pt, i3.opt1.label, s0.items…

// editorLanguages are the languages the editor offers to translate into.
var editorLanguages = []string{"fr", "pt", "en", "es", "ar"}

// likertLabels are a new Likert item's labels, in the languages the
// editor knows them in.
var likertLabels = map[string][]string{
	"fr": {"Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord", "Tout à fait d'accord"},
	"pt": {"Discordo totalmente", "Discordo", "Nem concordo nem discordo", "Concordo", "Concordo totalmente"},
	"en": {"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"},
	"es": {"Totalmente en desacuerdo", "En desacuerdo", "Ni de acuerdo ni en desacuerdo", "De acuerdo", "Totalmente de acuerdo"},
}

// draftLanguages are the main language and the others, in order.
func draftLanguages(q *surveys.Questionnaire) (string, []string) {
	langs := q.FormLanguages()
	return langs[0], langs[1:]
}

// formText reads a translatable field: field for the main language,
// field.<lang> for the others.
func formText(form url.Values, field, main string, others []string) surveys.Text {
	value := strings.TrimSpace(form.Get(field))
	byLang := map[string]string{}
	for _, l := range others {
		if v := strings.TrimSpace(form.Get(field + "." + l)); v != "" {
			byLang[l] = v
		}
	}
	if len(byLang) == 0 {
		return surveys.NewText(value)
	}
	byLang[main] = value
	return surveys.Translated(main, byLang)
}

func formInt(form url.Values, field string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(form.Get(field)))
	if err != nil {
		return def
	}
	return n
}

// parseDraft reads the editor's form into a definition, not validated.
// typos are what could not be read as typed (a bound that is not a
// number), by the item's field name as Validate reports it: the bound is
// put back to its default, and saving is refused until it is looked at.
func parseDraft(form url.Values) (q *surveys.Questionnaire, typos map[string]string) {
	typos = map[string]string{}
	q = &surveys.Questionnaire{Language: strings.TrimSpace(form.Get("language")), Theme: strings.TrimSpace(form.Get("theme"))}
	if q.Language == "" {
		q.Language = "fr"
	}
	var others []string
	for _, l := range form["languages"] {
		if l != q.Language && !slices.Contains(others, l) && len(others) < 9 {
			others = append(others, l)
		}
	}
	if len(others) > 0 {
		q.Languages = append([]string{q.Language}, others...)
	}
	q.Title = formText(form, "title", q.Language, others)
	q.Description = formText(form, "description", q.Language, others)
	n := min(formInt(form, "items", 0), surveys.MaxItems+1)
	for i := range n {
		p := fmt.Sprintf("i%d.", i)
		if form.Get(p+"type") == "" {
			continue
		}
		it := surveys.Item{Key: strings.TrimSpace(form.Get(p + "key")), Type: surveys.ItemType(form.Get(p + "type"))}
		it.Text = formText(form, p+"text", q.Language, others)
		it.Help = formText(form, p+"help", q.Language, others)
		it.Reverse = form.Get(p+"reverse") != ""
		it.Profile = form.Get(p+"profile") != ""
		it.Multiple = form.Get(p+"multiple") != ""
		if it.Ranged() {
			lo, hi := defaultRange(it.Type)
			rg := &surveys.Range{Min: formInt(form, p+"min", lo), Max: formInt(form, p+"max", hi)}
			for _, b := range []struct{ field, what string }{{"min", "la valeur la plus basse"}, {"max", "la valeur la plus haute"}} {
				typed := strings.TrimSpace(form.Get(p + b.field))
				if _, err := strconv.Atoi(typed); typed != "" && err != nil {
					name := it.Key
					if !surveys.ValidKey(name) {
						name = fmt.Sprintf("items[%d]", len(q.Items))
					}
					msg := fmt.Sprintf("%s, « %s », n'est pas un nombre entier : remise à sa valeur par défaut", b.what, typed)
					if prev := typos[name]; prev != "" {
						msg = prev + " ; " + msg
					}
					typos[name] = msg
				}
			}
			if rg.Max-rg.Min >= 0 && rg.Max-rg.Min <= 20 {
				labels := make([]surveys.Text, rg.Max-rg.Min+1)
				any := false
				for j := range labels {
					field := fmt.Sprintf("%slabel%d", p, j)
					if it.Type == surveys.Rating && j == len(labels)-1 {
						field = p + "label_high"
					} else if it.Type == surveys.Rating && j > 0 {
						continue
					}
					labels[j] = formText(form, field, q.Language, others)
					any = any || !labels[j].IsZero()
				}
				if any {
					rg.Labels = labels
				}
			}
			it.Scale = rg
		}
		if it.HasOptions() {
			correct := form.Get(p + "correct")
			for j := range min(formInt(form, p+"options", 0), surveys.MaxOptions+1) {
				op := fmt.Sprintf("%sopt%d.", p, j)
				if _, sent := form[op+"label"]; !sent {
					continue
				}
				o := surveys.Option{Value: strings.TrimSpace(form.Get(op + "value")), Label: formText(form, op+"label", q.Language, others)}
				if o.Value == "" {
					o.Value = freeValue(it.Options, j)
				}
				if correct == strconv.Itoa(j) {
					it.Correct = o.Value
				}
				it.Options = append(it.Options, o)
			}
		}
		if it.Type != surveys.Select {
			it.Multiple, it.Profile = false, it.Profile && it.Type == surveys.Select
		}
		if !it.Scored() {
			it.Reverse = false
		}
		// Phases and required are kept only where they depart from the
		// type's default, as a hand-written definition would say them.
		pre, post := form.Get(p+"pre") != "", form.Get(p+"post") != ""
		if pre != it.AskedIn(surveys.PhasePre) || post != it.AskedIn(surveys.PhasePost) {
			it.Phases = nil
			if pre {
				it.Phases = append(it.Phases, surveys.PhasePre)
			}
			if post {
				it.Phases = append(it.Phases, surveys.PhasePost)
			}
		}
		if req := form.Get(p+"required") != ""; req != it.IsRequired() {
			it.Required = &req
		}
		q.Items = append(q.Items, it)
	}
	for m := range min(formInt(form, "scales", 0), 20) {
		p := fmt.Sprintf("s%d.", m)
		if _, sent := form[p+"key"]; !sent {
			continue
		}
		q.Scales = append(q.Scales, surveys.Scale{Key: strings.TrimSpace(form.Get(p + "key")),
			Title: formText(form, p+"title", q.Language, others), Items: form[p+"items"]})
	}
	return q, typos
}

func defaultRange(t surveys.ItemType) (int, int) {
	if t == surveys.Rating {
		return 0, 10
	}
	return 1, 5
}

// freeValue is an option value not yet used: a, b, c…
func freeValue(opts []surveys.Option, j int) string {
	for n := j; ; n++ {
		v := string(rune('a' + n%26))
		if n >= 26 {
			v += strconv.Itoa(n / 26)
		}
		if !slices.ContainsFunc(opts, func(o surveys.Option) bool { return o.Value == v }) {
			return v
		}
	}
}

// freeKey is an item key not yet used: q1, q2…
func freeKey(q *surveys.Questionnaire, prefix string) string {
	for n := len(q.Items) + 1; ; n++ {
		k := prefix + strconv.Itoa(n)
		if _, used := q.Item(k); !used {
			return k
		}
	}
}

// newItem is a new item of type t, ready to be worded.
func newItem(q *surveys.Questionnaire, t surveys.ItemType) surveys.Item {
	it := surveys.Item{Key: freeKey(q, "q"), Type: t}
	fit(&it)
	if main, _ := draftLanguages(q); (t == surveys.Likert || t == surveys.Retro) && likertLabels[main] != nil {
		it.Scale.Labels = make([]surveys.Text, 5)
		for i := range it.Scale.Labels {
			byLang := map[string]string{}
			for _, l := range q.FormLanguages() {
				if labels := likertLabels[l]; labels != nil {
					byLang[l] = labels[i]
				}
			}
			it.Scale.Labels[i] = surveys.Translated(main, byLang)
		}
	}
	return it
}

// fit gives an item what its type needs (a range, options) and drops what
// it does not, after a change of type.
func fit(it *surveys.Item) {
	if it.Ranged() {
		if it.Scale == nil {
			lo, hi := defaultRange(it.Type)
			it.Scale = &surveys.Range{Min: lo, Max: hi}
		}
	} else {
		it.Scale = nil
	}
	if it.HasOptions() {
		for len(it.Options) < 2 {
			it.Options = append(it.Options, surveys.Option{Value: freeValue(it.Options, len(it.Options))})
		}
		if it.Type == surveys.Quiz && !slices.ContainsFunc(it.Options, func(o surveys.Option) bool { return o.Value == it.Correct }) {
			it.Correct = it.Options[0].Value
		}
	} else {
		it.Options, it.Correct = nil, ""
	}
	if it.Type != surveys.Quiz {
		it.Correct = ""
	}
	if it.Type != surveys.Select {
		it.Multiple, it.Profile = false, false
	}
	if it.Retrospective() && it.AskedIn(surveys.PhasePre) {
		it.Phases = nil
	}
}

// applyAction changes the draft as the pressed button says. It returns
// the id of the element to focus next, so that a keyboard user stays
// where they were, and whether to save.
func applyAction(q *surveys.Questionnaire, do string, form url.Values, bank map[string]surveys.Item) (focus string, save bool) {
	verb, arg, _ := strings.Cut(do, ":")
	n, _ := strconv.Atoi(arg)
	inRange := n >= 0 && n < len(q.Items)
	switch verb {
	case "save":
		return "", true
	case "add":
		if len(q.Items) < surveys.MaxItems && slices.Contains(surveys.ItemTypes(), surveys.ItemType(arg)) {
			q.Items = append(q.Items, newItem(q, surveys.ItemType(arg)))
			return fmt.Sprintf("i%d-text", len(q.Items)-1), false
		}
	case "bank":
		it, ok := bank[form.Get("bank_item")]
		if ok && len(q.Items) < surveys.MaxItems {
			c := (&surveys.Questionnaire{Items: []surveys.Item{it}}).Clone().Items[0]
			if _, used := q.Item(c.Key); used {
				c.Key = freeKey(q, c.Key+"_")
			}
			q.Items = append(q.Items, c)
			return fmt.Sprintf("i%d-text", len(q.Items)-1), false
		}
		return "bank_item", false
	case "up", "down":
		to := n - 1
		if verb == "down" {
			to = n + 1
		}
		if inRange && to >= 0 && to < len(q.Items) {
			q.Items[n], q.Items[to] = q.Items[to], q.Items[n]
			if (verb == "up" && to == 0) || (verb == "down" && to == len(q.Items)-1) {
				return fmt.Sprintf("i%d-text", to), false
			}
			return fmt.Sprintf("i%d-%s", to, verb), false
		}
	case "del":
		if inRange {
			key := q.Items[n].Key
			q.Items = slices.Delete(q.Items, n, n+1)
			for i := range q.Scales {
				q.Scales[i].Items = slices.DeleteFunc(q.Scales[i].Items, func(k string) bool { return k == key })
			}
			return "add-type", false
		}
	case "addopt":
		if inRange && len(q.Items[n].Options) < surveys.MaxOptions {
			it := &q.Items[n]
			it.Options = append(it.Options, surveys.Option{Value: freeValue(it.Options, len(it.Options))})
			return fmt.Sprintf("i%d-opt%d", n, len(it.Options)-1), false
		}
	case "delopt":
		item, opt, _ := strings.Cut(arg, ".")
		n, _ = strconv.Atoi(item)
		j, _ := strconv.Atoi(opt)
		if n >= 0 && n < len(q.Items) && j >= 0 && j < len(q.Items[n].Options) {
			q.Items[n].Options = slices.Delete(q.Items[n].Options, j, j+1)
			return fmt.Sprintf("i%d-addopt", n), false
		}
	case "retype":
		// The type was read with the form; fit gave the item its fields.
		return fmt.Sprintf("i%d-retype", n), false
	case "addscale":
		if len(q.Scales) < 20 {
			q.Scales = append(q.Scales, surveys.Scale{Key: fmt.Sprintf("echelle%d", len(q.Scales)+1)})
			return fmt.Sprintf("s%d-title", len(q.Scales)-1), false
		}
	case "delscale":
		if n >= 0 && n < len(q.Scales) {
			q.Scales = slices.Delete(q.Scales, n, n+1)
			return "addscale", false
		}
	}
	return "", false
}
