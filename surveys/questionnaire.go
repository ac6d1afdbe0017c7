package surveys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
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
	maxLanguages   = 10
)

var (
	keyPattern      = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// Scale groups items that measure one attitude; its score is their mean.
type Scale struct {
	Key   string   `json:"key"`
	Title Text     `json:"title"`
	Items []string `json:"items"`
}

// Questionnaire is a definition: items, scales and how to present them.
// It never changes once stored, so results stay readable.
type Questionnaire struct {
	ID          string `json:"id"`
	Title       Text   `json:"title"`
	Description Text   `json:"description,omitzero"`
	Theme       string `json:"theme,omitempty"`
	// Language is the main language: the one statistics, charts and
	// exports speak. Languages lists every language the pupil form offers,
	// the main one first; empty means the main one only.
	Language  string   `json:"language"`
	Languages []string `json:"languages,omitempty"`
	Items     []Item   `json:"items"`
	Scales    []Scale  `json:"scales,omitempty"`
	Builtin   bool     `json:"builtin"`
	// Family and Version name a version made by editing a questionnaire
	// a workshop had used (versions.go); empty for a first version.
	Family    string    `json:"family,omitempty"`
	Version   int       `json:"version,omitempty"`
	OwnerID   string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// Shared makes the questionnaire visible to every account; otherwise
	// only its author, managers and admins see it (built-in ones are for
	// everyone).
	Shared bool `json:"shared,omitempty"`
}

// ValidKey tells whether k may name an item, an option or a scale: the
// name Validate reports an item's errors under, else "items[i]".
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// VisibleTo tells whether u may see q, list it and run workshops with it.
func (q *Questionnaire) VisibleTo(u *User) bool {
	if q.Builtin || q.Shared {
		return true
	}
	return u != nil && (u.Role.SeesAll() || q.OwnerID != "" && q.OwnerID == u.ID)
}

// EditableBy tells whether u may save q (in place while unused, else as
// a new version) or delete it: its author, or a manager or admin. A
// library questionnaire anyone may edit, since saving it always makes a
// new version, the editor's own, and never deletes it. Others may copy
// what they see.
func (q *Questionnaire) EditableBy(u *User) bool {
	if u == nil {
		return false
	}
	return q.Builtin || u.Role.SeesAll() || q.OwnerID != "" && q.OwnerID == u.ID
}

// Offers tells whether the pupil form is offered in lang.
func (q *Questionnaire) Offers(lang string) bool {
	return lang == q.Language || slices.Contains(q.Languages, lang)
}

// FormLanguages lists the languages a pupil can pick, the main one first.
func (q *Questionnaire) FormLanguages() []string {
	out := []string{q.Language}
	for _, l := range q.Languages {
		if l != q.Language {
			out = append(out, l)
		}
	}
	return out
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

// ItemsFor lists the items asked in phase p, in order, retrospective
// items last: they are the form's own last step, asked once every other
// question is answered.
func (q *Questionnaire) ItemsFor(p Phase) []*Item {
	var out, retro []*Item
	for i := range q.Items {
		switch it := &q.Items[i]; {
		case !it.AskedIn(p):
		case it.Retrospective():
			retro = append(retro, it)
		default:
			out = append(out, it)
		}
	}
	return append(out, retro...)
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
	q.ID, q.Builtin, q.OwnerID, q.Family, q.Version = "", false, "", "", 0
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

// DecodeStrict decodes exactly one JSON value into v, refusing unknown fields,
// and turns decoder errors into French sentences.
func DecodeStrict(data []byte, v any) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		// It would decode into nothing and change nothing, silently.
		return Errorf(EINVALID, "JSON invalide : null ne dit rien ; il faut %s.", jsonKind(reflect.TypeOf(v)))
	}
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

// jsonKind names in French what JSON a Go type reads: the API's users
// write JSON, not Go.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "une autre valeur"
	}
	if t == reflect.TypeFor[json.Number]() {
		return "un nombre"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.String:
		return "un texte entre guillemets"
	case reflect.Bool:
		return "true ou false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "un nombre entier"
	case reflect.Float32, reflect.Float64:
		return "un nombre"
	case reflect.Slice, reflect.Array:
		return "une liste [ … ]"
	case reflect.Map, reflect.Struct:
		return "un objet { … }"
	}
	return "une autre valeur"
}

func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("le champ « %s » n'a pas le bon type : il faut %s.", te.Field, jsonKind(te.Type))
		}
		return fmt.Sprintf("type inattendu : il faut %s.", jsonKind(te.Type))
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
// (or by position when the key itself is bad). It trims texts and sets the
// main wording of translated ones.
func (q *Questionnaire) Validate() error {
	f := map[string]string{}
	if q.Language == "" {
		q.Language = "fr"
	}
	if !languagePattern.MatchString(q.Language) {
		f["language"] = "la langue doit être un code à deux lettres, par exemple « fr »"
	}
	langs := map[string]bool{q.Language: true}
	for _, l := range q.Languages {
		if !languagePattern.MatchString(l) {
			f["languages"] = fmt.Sprintf("« %s » n'est pas un code de langue à deux lettres (fr, pt, en…)", l)
			continue
		}
		langs[l] = true
	}
	if len(langs) > maxLanguages {
		f["languages"] = fmt.Sprintf("%d langues au plus", maxLanguages)
	}
	// text checks one wording: main language present, known languages,
	// length; it reports under field.
	// add reports msg under field, after what is already reported there:
	// an item with a bad key, no text and min > max says all three at once.
	add := func(field, msg string) {
		switch prev, ok := f[field]; {
		case !ok:
			f[field] = msg
		case !strings.Contains(prev, msg):
			f[field] = prev + " ; " + msg
		}
	}
	text := func(field string, t *Text, what string, limit int, required bool) {
		*t = t.trimmed()
		if !t.resolve(q.Language) {
			add(field, fmt.Sprintf("%s doit être écrit en « %s », la langue du questionnaire", what, q.Language))
			return
		}
		for _, l := range t.Languages() {
			if !langs[l] {
				add(field, fmt.Sprintf("%s est traduit en « %s », qui n'est pas dans « languages »", what, l))
				return
			}
		}
		if required && strings.TrimSpace(t.String()) == "" {
			add(field, what+" est obligatoire")
			return
		}
		if msg := checkLength(*t, limit, what); msg != "" {
			add(field, msg)
		}
	}
	text("title", &q.Title, "le titre", maxTitle, true)
	text("description", &q.Description, "la description", maxDescription, false)
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
		switch {
		case !keyPattern.MatchString(it.Key):
			name = fmt.Sprintf("items[%d]", i)
			add(name, "la clé doit faire 1 à 40 caractères parmi a-z, 0-9 et _")
		case seen[it.Key]:
			// Reported under the first item's key: the two items share it.
			add(name, "cette clé est déjà utilisée par une autre question")
			continue
		}
		seen[it.Key] = true
		text(name, &it.Text, "le texte de la question", maxItemText, true)
		text(name, &it.Help, "l'aide", maxItemText, false)
		if it.Scale != nil {
			for j := range it.Scale.Labels {
				text(name, &it.Scale.Labels[j], "un libellé", maxLabel, false)
			}
		}
		for j := range it.Options {
			text(name, &it.Options[j].Label, fmt.Sprintf("le libellé de l'option « %s »", it.Options[j].Value), maxLabel, false)
		}
		if msg := it.validate(); msg != "" {
			add(name, msg)
		}
	}
	for i := range q.Items {
		it := &q.Items[i]
		if _, bad := f[it.Key]; it.Of == "" || bad || !keyPattern.MatchString(it.Key) {
			continue
		}
		if msg := q.checkOf(it); msg != "" {
			f[it.Key] = msg
		}
	}
	scaleKeys := map[string]bool{}
	for i := range q.Scales {
		s := &q.Scales[i]
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
		text(name, &s.Title, "le titre de l'échelle", maxTitle, true)
		if _, bad := f[name]; bad {
			continue
		}
		if msg := q.validateScale(*s); msg != "" {
			f[name] = msg
		}
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "Le questionnaire n'est pas valide.", Fields: f}
	}
	return nil
}

// validate checks what every item shares, then its type's own rules.
func (it *Item) validate() string {
	for _, p := range it.Phases {
		if p != PhasePre && p != PhasePost {
			return fmt.Sprintf("phase inconnue « %s » (pre ou post)", p)
		}
	}
	k, ok := it.kind()
	if ok {
		it.known = kinds[it.Type]
	}
	switch {
	case it.Type == "":
		return fmt.Sprintf("le type est obligatoire (%s)", typeNames())
	case !ok:
		return fmt.Sprintf("type inconnu « %s » (%s)", it.Type, typeNames())
	case it.Profile && (it.Type != Select || it.Multiple):
		return "seules les questions à choix unique (choice) peuvent servir de profil (profile)"
	case it.Reverse && !k.scored:
		return "seules les questions notées peuvent être inversées (reverse)"
	}
	return k.check(it)
}

func (q *Questionnaire) validateScale(s Scale) string {
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
		case !it.Scored() || it.Retrospective() || it.HasOptions():
			return fmt.Sprintf("la question « %s » doit être de type likert, scale ou yesno", k)
		case it.Ranged() && it.Scale == nil:
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

// checkOf checks a retrospective item's link to the PRE item it repeats:
// the two must be comparable answer for answer.
func (q *Questionnaire) checkOf(it *Item) string {
	target, ok := q.Item(it.Of)
	switch {
	case !it.Retrospective():
		return "seule une question rétrospective (retro) peut reprendre une autre question (of)"
	case !ok:
		return fmt.Sprintf("« of » : la question « %s » n'existe pas", it.Of)
	case !target.Ranged() || target.Retrospective() || !target.AskedIn(PhasePre):
		return fmt.Sprintf("« of » : la question « %s » doit être une question likert ou scale posée avant l'atelier", it.Of)
	case target.Scale == nil || it.Scale == nil || target.Scale.Min != it.Scale.Min || target.Scale.Max != it.Scale.Max:
		return fmt.Sprintf("« of » : la question « %s » doit avoir la même plage de réponses", it.Of)
	case target.Reverse != it.Reverse:
		return fmt.Sprintf("« of » : la question « %s » doit être inversée (reverse) comme celle-ci", it.Of)
	}
	return ""
}

func samePhases(a, b *Item) bool {
	return a.AskedIn(PhasePre) == b.AskedIn(PhasePre) && a.AskedIn(PhasePost) == b.AskedIn(PhasePost)
}

// Clone is a deep copy, for stores that keep questionnaires in memory.
// Texts are shared: nothing changes a Text once validated.
func (q *Questionnaire) Clone() *Questionnaire {
	c := *q
	c.Languages = slices.Clone(q.Languages)
	c.Items = make([]Item, len(q.Items))
	for i, it := range q.Items {
		it.Phases = slices.Clone(it.Phases)
		it.Options = slices.Clone(it.Options)
		if it.Scale != nil {
			r := *it.Scale
			r.Labels = slices.Clone(r.Labels)
			it.Scale = &r
		}
		if it.Required != nil {
			v := *it.Required
			it.Required = &v
		}
		c.Items[i] = it
	}
	c.Scales = make([]Scale, len(q.Scales))
	for i, s := range q.Scales {
		s.Items = slices.Clone(s.Items)
		c.Scales[i] = s
	}
	return &c
}
