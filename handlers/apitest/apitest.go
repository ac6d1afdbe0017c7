// Package apitest holds what the HTTP tests of handlers and cmd/declic
// share: the contract's JSON shapes as tests read them, and a
// questionnaire that uses every item type with a complete answer to it.
package apitest

import (
	"encoding/json"
	"fmt"
	"testing"
)

// ErrorBody is the contract's error shape.
type ErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// Workshop is what POST /api/v1/workshops answers.
type Workshop struct {
	ID              string   `json:"id"`
	Code            string   `json:"code"`
	FormURL         string   `json:"form_url"`
	QRPNGURL        string   `json:"qr_png_url"`
	QRSVGURL        string   `json:"qr_svg_url"`
	Title           string   `json:"title"`
	Date            string   `json:"date"`
	Partner         string   `json:"partner"`
	Group           string   `json:"group"`
	Tags            []string `json:"tags"`
	Phase           string   `json:"phase"`
	QuestionnaireID string   `json:"questionnaire_id"`
}

// Submission is a response as the API takes it.
type Submission struct {
	SubmissionID string         `json:"submission_id"`
	Participant  string         `json:"participant"`
	Phase        string         `json:"phase"`
	Answers      map[string]any `json:"answers"`
}

// Results, Item, Summary, Paired and Test mirror the contract's results.
type Results struct {
	NPre        int    `json:"n_pre"`
	NPost       int    `json:"n_post"`
	NPaired     int    `json:"n_paired"`
	NDuplicates int    `json:"n_duplicates"`
	Items       []Item `json:"items"`
	Scales      []struct {
		Key      string   `json:"key"`
		AlphaPre *float64 `json:"alpha_pre"`
		Pre      Summary  `json:"pre"`
		Post     Summary  `json:"post"`
		Paired   Paired   `json:"paired"`
	} `json:"scales"`
	Texts []struct {
		Key     string `json:"key"`
		Answers []struct {
			Phase string `json:"phase"`
			Text  string `json:"text"`
		} `json:"answers"`
	} `json:"texts"`
}

// Item is one item's results.
type Item struct {
	Key      string  `json:"key"`
	Type     string  `json:"type"`
	Pre      Summary `json:"pre"`
	Post     Summary `json:"post"`
	Paired   Paired  `json:"paired"`
	Unpaired struct {
		Welch *Test `json:"welch"`
	} `json:"unpaired"`
	McNemar *struct {
		B int `json:"b"`
		C int `json:"c"`
	} `json:"mcnemar"`
}

// Summary is one phase of an item or a scale.
type Summary struct {
	N      int            `json:"n"`
	Mean   *float64       `json:"mean"`
	SD     *float64       `json:"sd"`
	Counts map[string]int `json:"counts"`
}

type Paired struct {
	N        int         `json:"n"`
	MeanPre  *float64    `json:"mean_pre"`
	MeanPost *float64    `json:"mean_post"`
	MeanDiff *float64    `json:"mean_diff"`
	SDDiff   *float64    `json:"sd_diff"`
	CI95     *[2]float64 `json:"ci95"`
	T        *Test       `json:"t"`
	Wilcoxon *struct {
		V      float64 `json:"v"`
		P      float64 `json:"p"`
		Method string  `json:"method"`
	} `json:"wilcoxon"`
	EffectSizeDz *float64 `json:"effect_size_dz"`
	Improved     int      `json:"improved"`
	Unchanged    int      `json:"unchanged"`
	Declined     int      `json:"declined"`
}

type Test struct {
	T  float64 `json:"t"`
	DF float64 `json:"df"`
	P  float64 `json:"p"`
}

// ImpactDefinition uses every item type of the contract: a reverse item, a
// scale of three items, an optional numeric scale, a POST-only text.
const ImpactDefinition = `{
  "title": "Regards sur le monde",
  "language": "fr",
  "items": [
    {"key": "q1", "type": "likert", "text": "Je m'intéresse à ce qui se passe dans d'autres pays.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "", "", "", "Tout à fait d'accord"]}},
    {"key": "q2", "type": "likert", "text": "Les gens d'autres cultures me mettent mal à l'aise.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "q3", "type": "likert", "text": "Je peux agir à mon échelle.", "scale": {"min": 1, "max": 5}},
    {"key": "k1", "type": "quiz", "text": "Combien y a-t-il d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}, {"value": "c", "label": "30"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "As-tu déjà parlé avec quelqu'un qui vit dans un autre pays ?"},
    {"key": "r1", "type": "scale", "text": "De 0 à 10, à quel point te sens-tu concerné·e ?", "scale": {"min": 0, "max": 10}, "required": false},
    {"key": "c1", "type": "choice", "text": "Quels thèmes t'intéressent ?", "multiple": true, "options": [{"value": "climat", "label": "Le climat"}, {"value": "droits", "label": "Les droits"}]},
    {"key": "t1", "type": "text", "text": "Qu'as-tu retenu ?", "phases": ["post"]}
  ],
  "scales": [{"key": "ouverture", "title": "Ouverture aux autres", "items": ["q1", "q2", "q3"]}]
}`

// ValidPre is a complete PRE answer set of ImpactDefinition.
func ValidPre() map[string]any {
	return map[string]any{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}
}

// mustDecodeError reads the contract's error body, failing unless it is
// exactly one "error" with a snake_case code and a message.
// MustDecodeError reads an error body as the contract writes it: one key
// "error", a snake_case code and a message; anything else fails t.
func MustDecodeError(t testing.TB, data []byte) ErrorBody {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("error body %q is not JSON: %v", data, err)
	}
	if len(top) != 1 || top["error"] == nil {
		t.Fatalf("error body %s: want exactly one key \"error\"", data)
	}
	var e ErrorBody
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %s: want a code and a message", data)
	}
	for _, c := range e.Error.Code {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			t.Fatalf("error code %q is not snake_case", e.Error.Code)
		}
	}
	return e
}

// MeasureDefinition has six Likert items (so a straight line can be seen),
// a quiz with « Je ne sais pas » and a retrospective item repeating l1.
const MeasureDefinition = `{
  "title": "Mesure",
  "language": "fr",
  "items": [
    {"key": "l1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5}},
    {"key": "l2", "type": "likert", "text": "Les autres pays ne me concernent pas.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "l3", "type": "likert", "text": "J'aime découvrir.", "scale": {"min": 1, "max": 5}},
    {"key": "l4", "type": "likert", "text": "Je parle aux autres.", "scale": {"min": 1, "max": 5}},
    {"key": "l5", "type": "likert", "text": "Je comprends le monde.", "scale": {"min": 1, "max": 5}},
    {"key": "l6", "type": "likert", "text": "Je me sens utile.", "scale": {"min": 1, "max": 5}},
    {"key": "k1", "type": "quiz", "text": "Combien d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}, {"value": "nsp", "label": "Je ne sais pas"}], "correct": "b"},
    {"key": "r1", "type": "retro", "text": "Je peux agir.", "scale": {"min": 1, "max": 5}, "of": "l1"}
  ]
}`

// CodedSubmission is a response as the API takes it with the pupil's code.
type CodedSubmission struct {
	SubmissionID string         `json:"submission_id"`
	Code         map[string]any `json:"code"`
	Device       string         `json:"device,omitempty"`
	Phase        string         `json:"phase"`
	Answers      map[string]any `json:"answers"`
}

// Code is the pupil's code as the API takes it.
func Code(mere string, jour, mois int, lettre2 string) map[string]any {
	return map[string]any{"mere": mere, "jour": jour, "mois": mois, "lettre2": lettre2}
}

// MeasureAnswers answers MeasureDefinition: the Likert items l1… in
// order, « Je ne sais pas » to the quiz, the retrospective pair in POST.
func MeasureAnswers(phase string, l ...int) map[string]any {
	a := map[string]any{"k1": "nsp"}
	for i, v := range l {
		a[fmt.Sprint("l", i+1)] = v
	}
	if phase == "post" {
		a["r1"] = map[string]int{"before": 2, "now": 4}
	}
	return a
}
