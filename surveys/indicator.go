package surveys

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"declic/surveys/fr"
)

// Measure is how an indicator turns answers into one figure.
type Measure string

// Measures of a logframe indicator (contract).
const (
	// ShareImproved is the share of paired pupils whose POST score is
	// above their PRE score.
	ShareImproved Measure = "share_improved"
	// ShareAtLeast is the share of POST answers whose score is at least
	// the threshold.
	ShareAtLeast Measure = "share_at_least"
	// MeanChange is the mean paired difference, POST − PRE, in points.
	MeanChange Measure = "mean_change"
)

// Share tells whether the measure is a share in 0..1.
func (m Measure) Share() bool { return m == ShareImproved || m == ShareAtLeast }

// Label is the measure's French name.
func (m Measure) Label() string {
	switch m {
	case ShareImproved:
		return "Part des jeunes qui progressent"
	case ShareAtLeast:
		return "Part des réponses « après » au moins égales au seuil"
	case MeanChange:
		return "Évolution moyenne (points)"
	}
	return string(m)
}

// Measures lists every measure, for forms.
func Measures() []Measure { return []Measure{ShareImproved, ShareAtLeast, MeanChange} }

// Indicator is a line of a logical framework: a figure computed from one
// item or scale of a questionnaire (and of its versions where the item is
// unchanged), with its baseline, its target and how it is verified.
type Indicator struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	QuestionnaireID string  `json:"questionnaire_id"`
	Item            string  `json:"item,omitempty"`
	Scale           string  `json:"scale,omitempty"`
	Measure         Measure `json:"measure"`
	// Threshold is the score share_at_least counts from (after reverse).
	Threshold *float64 `json:"threshold,omitempty"`
	// Baseline and Target are shares in 0..1, or points for mean_change.
	Baseline *float64 `json:"baseline"`
	Target   *float64 `json:"target"`
	// From and To are the indicator's period (YYYY-MM-DD), used when a
	// value is asked without dates; empty means open.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Verification is the logframe's « moyen de vérification ».
	Verification string    `json:"verification,omitempty"`
	OwnerID      string    `json:"owner_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Limits on an indicator's texts.
const (
	maxIndicatorName = 200
	maxVerification  = 1000
)

// MeasureKey is the item or scale key the indicator reads.
func (ind *Indicator) MeasureKey() string {
	if ind.Item != "" {
		return ind.Item
	}
	return ind.Scale
}

// Validate trims and checks an indicator against its questionnaire q
// (nil when it was not found): every problem is named in Fields, by the
// name of the JSON field.
func (ind *Indicator) Validate(q *Questionnaire) error {
	f := map[string]string{}
	ind.Name = strings.TrimSpace(ind.Name)
	ind.Item = strings.TrimSpace(ind.Item)
	ind.Scale = strings.TrimSpace(ind.Scale)
	ind.Verification = strings.TrimSpace(ind.Verification)
	ind.From, ind.To = strings.TrimSpace(ind.From), strings.TrimSpace(ind.To)
	switch n := utf8.RuneCountInString(ind.Name); {
	case n == 0:
		f["name"] = "le nom de l'indicateur est obligatoire"
	case n > maxIndicatorName:
		f["name"] = fmt.Sprintf("%d caractères au plus", maxIndicatorName)
	}
	if utf8.RuneCountInString(ind.Verification) > maxVerification {
		f["verification"] = fmt.Sprintf("%d caractères au plus", maxVerification)
	}
	if !slices.Contains(Measures(), ind.Measure) {
		f["measure"] = "share_improved, share_at_least ou mean_change"
	}
	lo, hi, ok := 0.0, 0.0, false
	switch {
	case ind.QuestionnaireID == "":
		f["questionnaire_id"] = "choisissez un questionnaire"
	case q == nil:
		f["questionnaire_id"] = "questionnaire introuvable"
	case ind.Item != "" && ind.Scale != "":
		f["item"] = "une question ou une échelle, pas les deux"
	case ind.Item == "" && ind.Scale == "":
		f["item"] = "choisissez la question (item) ou l'échelle (scale) mesurée"
	case ind.Item != "":
		lo, hi, ok = ind.checkItem(q, f)
	default:
		lo, hi, ok = ind.checkScale(q, f)
	}
	if ind.Measure == ShareAtLeast {
		switch t := ind.Threshold; {
		case t == nil:
			f["threshold"] = "le seuil est obligatoire pour share_at_least"
		case ok && !(*t >= lo && *t <= hi):
			f["threshold"] = fmt.Sprintf("un score entre %v et %v", lo, hi)
		}
	} else {
		ind.Threshold = nil
	}
	for name, v := range map[string]*float64{"baseline": ind.Baseline, "target": ind.Target} {
		switch {
		case v == nil:
		case math.IsNaN(*v) || math.IsInf(*v, 0):
			f[name] = "un nombre"
		case ind.Measure.Share() && (*v < 0 || *v > 1):
			f[name] = "une part entre 0 et 1 (0,6 pour 60 %)"
		case ind.Measure == MeanChange && ok && math.Abs(*v) > hi-lo:
			f[name] = fmt.Sprintf("une évolution entre %v et %v points", lo-hi, hi-lo)
		}
	}
	for name, d := range map[string]string{"from": ind.From, "to": ind.To} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			f[name] = "date attendue au format AAAA-MM-JJ"
		}
	}
	if f["from"] == "" && f["to"] == "" && ind.From != "" && ind.To != "" && ind.From > ind.To {
		f["to"] = "la fin de la période est avant son début"
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "Indicateur invalide.", Fields: f}
	}
	return nil
}

// checkItem checks the indicator's item and returns its score range.
func (ind *Indicator) checkItem(q *Questionnaire, f map[string]string) (lo, hi float64, ok bool) {
	it, found := q.Item(ind.Item)
	switch {
	case !found:
		f["item"] = fmt.Sprintf("la question « %s » n'existe pas dans ce questionnaire", ind.Item)
	case !it.Scored():
		f["item"] = fmt.Sprintf("la question « %s » n'est pas notée (choix ou texte libre) : choisissez une question à échelle, de quiz ou oui/non", ind.Item)
	case ind.Measure == ShareAtLeast && !it.AskedIn(PhasePost):
		f["item"] = fmt.Sprintf("la question « %s » n'est pas posée après l'atelier", ind.Item)
	case ind.Measure != ShareAtLeast && !it.Retrospective() && !(it.AskedIn(PhasePre) && it.AskedIn(PhasePost)):
		f["item"] = fmt.Sprintf("la question « %s » n'est pas posée avant et après l'atelier : pas d'évolution à mesurer", ind.Item)
	default:
		lo, hi = it.ScoreRange()
		return lo, hi, true
	}
	return 0, 0, false
}

// checkScale checks the indicator's scale and returns its score range.
func (ind *Indicator) checkScale(q *Questionnaire, f map[string]string) (lo, hi float64, ok bool) {
	for _, s := range q.Scales {
		if s.Key != ind.Scale {
			continue
		}
		if first, found := q.Item(s.Items[0]); found {
			lo, hi = first.ScoreRange()
			return lo, hi, true
		}
	}
	f["scale"] = fmt.Sprintf("l'échelle « %s » n'existe pas dans ce questionnaire", ind.Scale)
	return 0, 0, false
}

// Describe says in French what the indicator counts, for q its
// questionnaire: « Part de bonnes réponses après l'atelier », « Part des
// réponses « après » de 4 ou plus, sur 1 à 5 ».
func (ind *Indicator) Describe(q *Questionnaire) string {
	lo, hi := 0.0, 0.0
	var it *Item
	if ind.Item != "" {
		it, _ = q.Item(ind.Item)
	} else if sc, ok := scaleOf(q, ind.Scale); ok {
		it, _ = q.Item(sc.Items[0])
	}
	if it != nil {
		lo, hi = it.ScoreRange()
	}
	switch ind.Measure {
	case ShareImproved:
		return "Part des jeunes dont le score progresse entre avant et après"
	case ShareAtLeast:
		switch {
		case it != nil && ind.Item != "" && it.Binary() && it.Type == YesNo:
			return "Part de « oui » après l'atelier"
		case it != nil && ind.Item != "" && it.Binary():
			return "Part de bonnes réponses après l'atelier"
		case ind.Threshold != nil && it != nil:
			return fmt.Sprintf("Part des réponses « après » de %s ou plus, sur une échelle de %s à %s",
				fr.Short(*ind.Threshold, 2), fr.Short(lo, 2), fr.Short(hi, 2))
		}
	case MeanChange:
		if it != nil {
			return fmt.Sprintf("Évolution moyenne entre avant et après, en points sur une échelle de %s à %s", fr.Short(lo, 2), fr.Short(hi, 2))
		}
	}
	return ind.Measure.Label()
}

// Measures tells whether q measures the indicator as its own
// questionnaire ref does: the same item (key, type, scale, options,
// wording, reverse) or the same scale made of such items.
func (ind *Indicator) MeasuredBy(ref, q *Questionnaire) bool {
	if ref.ID == q.ID {
		return true
	}
	fa, _ := FamilyOf(ref)
	fb, _ := FamilyOf(q)
	if fa != fb {
		return false
	}
	keys := []string{ind.Item}
	if ind.Scale != "" {
		a, okA := scaleOf(ref, ind.Scale)
		b, okB := scaleOf(q, ind.Scale)
		if !okA || !okB || !slices.Equal(a.Items, b.Items) {
			return false
		}
		keys = a.Items
	}
	for _, k := range keys {
		a, okA := ref.Item(k)
		b, okB := q.Item(k)
		if !okA || !okB || !sameItem(a, b) {
			return false
		}
	}
	return true
}

func scaleOf(q *Questionnaire, key string) (*Scale, bool) {
	for i := range q.Scales {
		if q.Scales[i].Key == key {
			return &q.Scales[i], true
		}
	}
	return nil, false
}

// sameItem tells whether two versions of an item measure the same thing,
// by the rule reports pool versions with (see Changed).
func sameItem(a, b *Item) bool { return Changed(a, b) == "" }
