package surveys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// ItemType is the kind of question an item asks.
type ItemType string

// Item types, as named in the contract.
const (
	Likert ItemType = "likert" // agreement on min..max, labelled
	Rating ItemType = "scale"  // numeric scale, e.g. 0..10
	YesNo  ItemType = "yesno"  // 0 or 1
	Quiz   ItemType = "quiz"   // one correct option; scores 1 or 0
	Choice ItemType = "choice" // one or several options; not scored
	Text   ItemType = "text"   // free text; not scored
	// Retro is a retrospective ("then-test") item, asked only at the end:
	// "Avant l'atelier, …" and "Aujourd'hui, …" on one min..max scale. Its
	// answer is {"before": n, "now": n}, analysed as a pair. Pupils judge
	// their "before" with what the workshop taught them, which removes the
	// response-shift bias of a PRE that was answered without that yardstick.
	Retro ItemType = "retro"
)

// Limits on definitions and answers. They keep a bad upload from hurting.
const (
	MaxItems       = 100
	MaxOptions     = 30
	MaxTextAnswer  = 2000
	maxTitle       = 200
	maxItemText    = 500
	maxLabel       = 200
	maxScaleSpan   = 20
	maxDefinition  = 256 << 10
	maxDescription = 1000
)

var (
	keyPattern      = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// Range is the answer range of likert and scale items.
type Range struct {
	Min    int      `json:"min" bson:"min"`
	Max    int      `json:"max" bson:"max"`
	Labels []string `json:"labels,omitempty" bson:"labels,omitempty"`
}

// Option is one answer of a quiz or choice item.
type Option struct {
	Value string `json:"value" bson:"value"`
	Label string `json:"label" bson:"label"`
}

// Item is one question.
type Item struct {
	Key      string   `json:"key" bson:"key"`
	Type     ItemType `json:"type" bson:"type"`
	Text     string   `json:"text" bson:"text"`
	Help     string   `json:"help,omitempty" bson:"help,omitempty"`
	Scale    *Range   `json:"scale,omitempty" bson:"scale,omitempty"`
	Options  []Option `json:"options,omitempty" bson:"options,omitempty"`
	Correct  string   `json:"correct,omitempty" bson:"correct,omitempty"`
	Multiple bool     `json:"multiple,omitempty" bson:"multiple,omitempty"`
	Reverse  bool     `json:"reverse,omitempty" bson:"reverse,omitempty"`
	Phases   []Phase  `json:"phases,omitempty" bson:"phases,omitempty"`
	Required *bool    `json:"required,omitempty" bson:"required,omitempty"`
	// Profile marks a single-choice item (age band, gender) that reports
	// break figures down by; groups under MinGroupSize are never shown.
	Profile bool `json:"profile,omitempty" bson:"profile,omitempty"`
}

// Scale groups items that measure one attitude; its score is their mean.
type Scale struct {
	Key   string   `json:"key" bson:"key"`
	Title string   `json:"title" bson:"title"`
	Items []string `json:"items" bson:"items"`
}

// Questionnaire is a definition: items, scales and how to present them.
// It never changes once stored, so results stay readable.
type Questionnaire struct {
	ID          string    `json:"id" bson:"_id"`
	Title       string    `json:"title" bson:"title"`
	Description string    `json:"description,omitempty" bson:"description,omitempty"`
	Theme       string    `json:"theme,omitempty" bson:"theme,omitempty"`
	Language    string    `json:"language" bson:"language"`
	Items       []Item    `json:"items" bson:"items"`
	Scales      []Scale   `json:"scales,omitempty" bson:"scales,omitempty"`
	Builtin     bool      `json:"builtin" bson:"builtin"`
	OwnerID     string    `json:"-" bson:"owner_id,omitempty"`
	CreatedAt   time.Time `json:"created_at" bson:"created_at"`
}

// Scored reports whether the item's answers are numbers that statistics use.
func (it *Item) Scored() bool {
	switch it.Type {
	case Likert, Rating, YesNo, Quiz, Retro:
		return true
	}
	return false
}

// IsRequired applies the contract's default: scored items are required.
func (it *Item) IsRequired() bool {
	if it.Required != nil {
		return *it.Required
	}
	return it.Scored()
}

// AskedIn reports whether the item is asked in phase p (default: both, and
// only POST for a retrospective item).
func (it *Item) AskedIn(p Phase) bool {
	if len(it.Phases) == 0 {
		if it.Type == Retro {
			return p == PhasePost
		}
		return p == PhasePre || p == PhasePost
	}
	for _, q := range it.Phases {
		if q == p {
			return true
		}
	}
	return false
}

// ScoreRange is the lowest and highest score the item can give.
func (it *Item) ScoreRange() (lo, hi float64) {
	switch it.Type {
	case Likert, Rating, Retro:
		return float64(it.Scale.Min), float64(it.Scale.Max)
	}
	return 0, 1
}

// Item returns the item with key k.
func (q *Questionnaire) Item(k string) (*Item, bool) {
	for i := range q.Items {
		if q.Items[i].Key == k {
			return &q.Items[i], true
		}
	}
	return nil, false
}

// ItemsFor lists the items asked in phase p, in order.
func (q *Questionnaire) ItemsFor(p Phase) []*Item {
	var out []*Item
	for i := range q.Items {
		if q.Items[i].AskedIn(p) {
			out = append(out, &q.Items[i])
		}
	}
	return out
}

// ParseDefinition reads a JSON or YAML definition strictly (unknown fields
// refused) and validates it.
func ParseDefinition(data []byte) (*Questionnaire, error) {
	if len(data) > maxDefinition {
		return nil, Errorf(EINVALID, "La définition est trop grande (%d Ko au plus).", maxDefinition>>10)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, Errorf(EINVALID, "La définition est vide.")
	}
	if trimmed[0] != '{' {
		var v any
		if err := yaml.Unmarshal(trimmed, &v); err != nil {
			return nil, Errorf(EINVALID, "La définition n'est ni du JSON ni du YAML lisible : %s", firstLine(err.Error()))
		}
		// YAML aliases share values, so a small file can stand for billions
		// of them ("billion laughs"); count before expanding into JSON.
		if budget := maxYAMLNodes; !withinNodes(v, &budget) {
			return nil, Errorf(EINVALID, "La définition YAML est trop grande une fois ses alias (*) développés.")
		}
		j, err := json.Marshal(v)
		if err != nil {
			return nil, Errorf(EINVALID, "La définition YAML contient des valeurs non prises en charge.")
		}
		trimmed = j
	}
	var q Questionnaire
	if err := DecodeStrict(trimmed, &q); err != nil {
		return nil, err
	}
	q.ID, q.Builtin, q.OwnerID = "", false, ""
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

// DecodeStrict decodes exactly one JSON value into v, refusing unknown fields,
// and turns decoder errors into French sentences.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(EINVALID, "JSON invalide : %s", describeJSONError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(EINVALID, "JSON invalide : une seule valeur est attendue.")
	}
	return nil
}

func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("le champ « %s » n'a pas le bon type (%s attendu).", te.Field, te.Type)
		}
		return fmt.Sprintf("type inattendu (%s attendu).", te.Type)
	case errors.As(err, &se):
		return fmt.Sprintf("erreur de syntaxe à l'octet %d.", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("champ inconnu %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case err.Error() == "EOF" || err.Error() == "unexpected EOF":
		return "le contenu est vide ou incomplet."
	}
	return "contenu illisible."
}

// maxYAMLNodes is far more values than MaxItems items with MaxOptions
// options each need.
const maxYAMLNodes = 200_000

// withinNodes counts the values of v, aliases counted each time they are
// used, and stops as soon as the budget is spent.
func withinNodes(v any, budget *int) bool {
	*budget--
	if *budget < 0 {
		return false
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if !withinNodes(e, budget) {
				return false
			}
		}
	case map[string]any:
		for _, e := range x {
			if !withinNodes(e, budget) {
				return false
			}
		}
	case map[any]any:
		for k, e := range x {
			if !withinNodes(k, budget) || !withinNodes(e, budget) {
				return false
			}
		}
	}
	return true
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Validate checks a definition and names every problem, keyed by item key
// (or by position when the key itself is bad).
func (q *Questionnaire) Validate() error {
	f := map[string]string{}
	q.Title = strings.TrimSpace(q.Title)
	switch {
	case q.Title == "":
		f["title"] = "le titre est obligatoire"
	case utf8.RuneCountInString(q.Title) > maxTitle:
		f["title"] = fmt.Sprintf("le titre dépasse %d caractères", maxTitle)
	}
	if utf8.RuneCountInString(q.Description) > maxDescription {
		f["description"] = fmt.Sprintf("la description dépasse %d caractères", maxDescription)
	}
	if q.Language == "" {
		q.Language = "fr"
	}
	if !languagePattern.MatchString(q.Language) {
		f["language"] = "la langue doit être un code à deux lettres, par exemple « fr »"
	}
	switch {
	case len(q.Items) == 0:
		f["items"] = "il faut au moins une question"
	case len(q.Items) > MaxItems:
		f["items"] = fmt.Sprintf("au plus %d questions", MaxItems)
	}
	seen := map[string]bool{}
	for i := range q.Items {
		it := &q.Items[i]
		name := it.Key
		if !keyPattern.MatchString(it.Key) {
			name = fmt.Sprintf("items[%d]", i)
			f[name] = "la clé doit faire 1 à 40 caractères parmi a-z, 0-9 et _"
			continue
		}
		if seen[it.Key] {
			f[name] = "cette clé est déjà utilisée par une autre question"
			continue
		}
		seen[it.Key] = true
		if msg := it.validate(); msg != "" {
			f[name] = msg
		}
	}
	scaleKeys := map[string]bool{}
	for i, s := range q.Scales {
		name := "scales." + s.Key
		if !keyPattern.MatchString(s.Key) {
			f[fmt.Sprintf("scales[%d]", i)] = "la clé de l'échelle doit faire 1 à 40 caractères parmi a-z, 0-9 et _"
			continue
		}
		if scaleKeys[s.Key] || seen[s.Key] {
			f[name] = "cette clé est déjà utilisée"
			continue
		}
		scaleKeys[s.Key] = true
		if msg := q.validateScale(s); msg != "" {
			f[name] = msg
		}
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "Le questionnaire n'est pas valide.", Fields: f}
	}
	return nil
}

func (it *Item) validate() string {
	it.Text = strings.TrimSpace(it.Text)
	switch {
	case it.Text == "":
		return "le texte de la question est obligatoire"
	case utf8.RuneCountInString(it.Text) > maxItemText:
		return fmt.Sprintf("le texte dépasse %d caractères", maxItemText)
	case utf8.RuneCountInString(it.Help) > maxItemText:
		return fmt.Sprintf("l'aide dépasse %d caractères", maxItemText)
	}
	for _, p := range it.Phases {
		if p != PhasePre && p != PhasePost {
			return fmt.Sprintf("phase inconnue « %s » (pre ou post)", p)
		}
	}
	if it.Profile && (it.Type != Choice || it.Multiple) {
		return "seules les questions à choix unique (choice) peuvent servir de profil (profile)"
	}
	if it.Reverse && !it.Scored() {
		return "seules les questions notées peuvent être inversées (reverse)"
	}
	if it.Type == Retro && it.AskedIn(PhasePre) {
		return "une question rétrospective (retro) se pose seulement à la fin : phases [\"post\"]"
	}
	switch it.Type {
	case Likert, Rating, Retro:
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
			if utf8.RuneCountInString(l) > maxLabel {
				return fmt.Sprintf("un libellé dépasse %d caractères", maxLabel)
			}
		}
		if len(it.Options) > 0 || it.Correct != "" || it.Multiple {
			return "options, correct et multiple ne s'appliquent pas à ce type"
		}
	case YesNo, Text:
		if it.Scale != nil || len(it.Options) > 0 || it.Correct != "" || it.Multiple {
			return "scale, options, correct et multiple ne s'appliquent pas à ce type"
		}
	case Quiz, Choice:
		if it.Scale != nil {
			return "scale ne s'applique pas à ce type"
		}
		if msg := validateOptions(it.Options); msg != "" {
			return msg
		}
		if it.Type == Quiz {
			if it.Multiple {
				return "un quiz a une seule bonne réponse (multiple non permis)"
			}
			if !hasOption(it.Options, it.Correct) {
				return "« correct » doit être la valeur d'une des options"
			}
		} else if it.Correct != "" {
			return "« correct » ne s'applique qu'aux quiz"
		}
	case "":
		return "le type est obligatoire (likert, scale, yesno, quiz, choice, text ou retro)"
	default:
		return fmt.Sprintf("type inconnu « %s » (likert, scale, yesno, quiz, choice, text ou retro)", it.Type)
	}
	return ""
}

func validateOptions(opts []Option) string {
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
		if strings.TrimSpace(o.Label) == "" || utf8.RuneCountInString(o.Label) > maxLabel {
			return fmt.Sprintf("le libellé de l'option « %s » est vide ou dépasse %d caractères", o.Value, maxLabel)
		}
	}
	return ""
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

func (q *Questionnaire) validateScale(s Scale) string {
	if strings.TrimSpace(s.Title) == "" || utf8.RuneCountInString(s.Title) > maxTitle {
		return "le titre de l'échelle est obligatoire (200 caractères au plus)"
	}
	if len(s.Items) < 2 {
		return "une échelle regroupe au moins deux questions"
	}
	seen := map[string]bool{}
	for _, k := range s.Items {
		it, ok := q.Item(k)
		switch {
		case !ok:
			return fmt.Sprintf("la question « %s » n'existe pas", k)
		case seen[k]:
			return fmt.Sprintf("la question « %s » est en double", k)
		case it.Type != Likert && it.Type != Rating && it.Type != YesNo:
			return fmt.Sprintf("la question « %s » doit être de type likert, scale ou yesno", k)
		case it.Type != YesNo && it.Scale == nil:
			// The item's own error says what is missing; found by fuzzing.
			return fmt.Sprintf("la question « %s » n'a pas d'échelle (min, max)", k)
		}
		seen[k] = true
	}
	first, _ := q.Item(s.Items[0])
	lo0, hi0 := first.ScoreRange()
	for _, k := range s.Items[1:] {
		it, _ := q.Item(k)
		if lo, hi := it.ScoreRange(); lo != lo0 || hi != hi0 {
			return "toutes les questions d'une échelle doivent avoir la même plage de réponses"
		}
		if !samePhases(first, it) {
			return "toutes les questions d'une échelle doivent être posées aux mêmes phases"
		}
	}
	return ""
}

func samePhases(a, b *Item) bool {
	return a.AskedIn(PhasePre) == b.AskedIn(PhasePre) && a.AskedIn(PhasePost) == b.AskedIn(PhasePost)
}
