package surveys

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// A questionnaire a workshop has used never changes: editing it makes a
// new version, <family>-v2, -v3…, and each workshop keeps its own. The
// versions of one questionnaire form its family; reports pool a family's
// workshops item by item where an item is measured the same way in every
// version they used.

var versionSuffix = regexp.MustCompile(`^(.+)-v([0-9]{1,6})$`)

// FamilyOf is the family and version number of a questionnaire: what its
// definition says, else what its ID says ("odd-v1" is version 1 of
// "odd"), else the questionnaire is version 1 of a family named after it.
func FamilyOf(q *Questionnaire) (family string, version int) {
	if q.Family != "" {
		return q.Family, max(q.Version, 1)
	}
	if m := versionSuffix.FindStringSubmatch(q.ID); m != nil {
		n, _ := strconv.Atoi(m[2])
		return m[1], max(n, 1)
	}
	return q.ID, 1
}

// VersionID is the ID of version n of a family.
func VersionID(family string, n int) string { return family + "-v" + strconv.Itoa(n) }

// InFamily tells whether id can name a version of family: the family's own
// ID or <family>-vN. Stores use it to find a family's versions.
func InFamily(id, family string) bool {
	if id == family {
		return true
	}
	m := versionSuffix.FindStringSubmatch(id)
	return m != nil && m[1] == family
}

// Changed says how item b measures differently from item a, or "" when
// it measures the same thing the same way: same key, type, answers (range,
// labels, options, correct answer), reverse scoring, phases and wording in
// the main language. Translations may differ: answers are language-free.
func Changed(a, b *Item) string {
	switch {
	case a.Key != b.Key:
		return "clé différente"
	case a.Type != b.Type:
		return fmt.Sprintf("type changé (%s → %s)", a.Type, b.Type)
	case a.Text.String() != b.Text.String():
		return "formulation changée"
	case a.Reverse != b.Reverse:
		return "sens de notation (reverse) changé"
	case a.Multiple != b.Multiple:
		return "choix unique ou multiple changé"
	case a.Correct != b.Correct:
		return "bonne réponse changée"
	case a.AskedIn(PhasePre) != b.AskedIn(PhasePre) || a.AskedIn(PhasePost) != b.AskedIn(PhasePost):
		return "phases changées"
	case (a.Scale == nil) != (b.Scale == nil) || a.Scale != nil && (a.Scale.Min != b.Scale.Min || a.Scale.Max != b.Scale.Max):
		return "échelle changée"
	}
	if a.Scale != nil && !slices.EqualFunc(a.Scale.Labels, b.Scale.Labels, func(x, y Text) bool { return x.String() == y.String() }) {
		return "libellés de l'échelle changés"
	}
	if !slices.EqualFunc(a.Options, b.Options, func(x, y Option) bool { return x.Value == y.Value && x.Label.String() == y.Label.String() }) {
		return "réponses proposées changées"
	}
	return ""
}

// LeftOut is an item or scale a pooled report leaves out, and why.
type LeftOut struct {
	Key    string `json:"key"`
	Scale  bool   `json:"scale,omitempty"`
	Reason string `json:"reason"`
}

// Pool is the questionnaire a report over several versions analyses: the
// items and scales of ref that every other version measures the same way
// (see Changed), in ref's wording. It lists what it leaves out, and why.
func Pool(ref *Questionnaire, others []*Questionnaire) (*Questionnaire, []LeftOut) {
	pooled := ref.Clone()
	var out []LeftOut
	name := func(q *Questionnaire) string {
		_, n := FamilyOf(q)
		return "v" + strconv.Itoa(n)
	}
	pooled.Items = pooled.Items[:0]
	for _, it := range ref.Items {
		reason := ""
		for _, o := range others {
			if o.ID == ref.ID {
				continue
			}
			other, ok := o.Item(it.Key)
			if !ok {
				reason = "absente de la version " + name(o)
			} else if r := Changed(&it, other); r != "" {
				reason = r + " dans la version " + name(o)
			}
			if reason != "" {
				break
			}
		}
		if reason != "" {
			out = append(out, LeftOut{Key: it.Key, Reason: reason})
			continue
		}
		pooled.Items = append(pooled.Items, it)
	}
	for _, o := range others {
		for _, it := range o.Items {
			if _, ok := ref.Item(it.Key); !ok && !slices.ContainsFunc(out, func(l LeftOut) bool { return l.Key == it.Key && !l.Scale }) {
				out = append(out, LeftOut{Key: it.Key, Reason: "posée seulement dans la version " + name(o)})
			}
		}
	}
	pooled.Scales = pooled.Scales[:0]
	for _, s := range ref.Scales {
		reason := ""
		for _, k := range s.Items {
			if _, ok := pooled.Item(k); !ok {
				reason = fmt.Sprintf("sa question « %s » est laissée de côté", k)
				break
			}
		}
		for _, o := range others {
			if reason != "" {
				break
			}
			i := slices.IndexFunc(o.Scales, func(x Scale) bool { return x.Key == s.Key })
			if i < 0 {
				reason = "absente de la version " + name(o)
			} else if !slices.Equal(o.Scales[i].Items, s.Items) {
				reason = "questions changées dans la version " + name(o)
			}
		}
		if reason != "" {
			out = append(out, LeftOut{Key: s.Key, Scale: true, Reason: reason})
			continue
		}
		pooled.Scales = append(pooled.Scales, s)
	}
	return pooled, out
}

// OnlyAddsTranslations tells whether next differs from prev only by
// wordings in languages they lacked: every wording prev has is unchanged,
// and what it asks is the same. Such a change is allowed on a
// questionnaire already answered: it changes nothing a pupil read.
func OnlyAddsTranslations(prev, next *Questionnaire) bool {
	if prev.Language != next.Language || len(prev.Items) != len(next.Items) || len(prev.Scales) != len(next.Scales) ||
		prev.Theme != next.Theme || !kept(prev.Title, next.Title) || !kept(prev.Description, next.Description) {
		return false
	}
	for _, l := range prev.FormLanguages() {
		if !next.Offers(l) {
			return false
		}
	}
	for i := range prev.Items {
		a, b := &prev.Items[i], &next.Items[i]
		if Changed(a, b) != "" || a.Profile != b.Profile || a.IsRequired() != b.IsRequired() || !kept(a.Text, b.Text) || !kept(a.Help, b.Help) {
			return false
		}
		if a.Scale != nil {
			for j := range a.Scale.Labels {
				if !kept(a.Scale.Labels[j], b.Scale.Labels[j]) {
					return false
				}
			}
		}
		for j := range a.Options {
			if !kept(a.Options[j].Label, b.Options[j].Label) {
				return false
			}
		}
	}
	for i := range prev.Scales {
		a, b := prev.Scales[i], next.Scales[i]
		if a.Key != b.Key || !slices.Equal(a.Items, b.Items) || !kept(a.Title, b.Title) {
			return false
		}
	}
	return true
}

// kept tells whether every wording of a is in b unchanged.
func kept(a, b Text) bool {
	if a.String() != b.String() {
		return false
	}
	for _, l := range a.Languages() {
		if a.Has(l) && b.In(l) != a.In(l) {
			return false
		}
	}
	return true
}

// SameDefinition tells whether two definitions say the same thing in
// every language (IDs, owners and times aside).
func SameDefinition(a, b *Questionnaire) bool {
	strip := func(q *Questionnaire) string {
		c := *q
		c.ID, c.Builtin, c.OwnerID, c.CreatedAt, c.Family, c.Version = "", false, "", time.Time{}, "", 0
		data, _ := json.Marshal(&c)
		return string(data)
	}
	return strip(a) == strip(b)
}

// ErrFrozen answers a change to, or the deletion of, a questionnaire that
// is kept as it is: a library one, or one a workshop has used (its
// results read it). Both stores return it.
func ErrFrozen(builtin bool) error {
	if builtin {
		return Errorf(ECONFLICT, "Un questionnaire de la bibliothèque est gardé tel quel : il n'est ni modifié ni supprimé ; enregistrer des changements en fait une nouvelle version.")
	}
	return Errorf(ECONFLICT, "Un atelier a utilisé ce questionnaire : il est gardé tel quel pour ses résultats, ni modifié ni supprimé ; enregistrer des changements en fait une nouvelle version.")
}
