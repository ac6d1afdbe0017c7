// Package apitest holds what the HTTP tests of handlers and cmd/declic
// share: the contract's JSON shapes as tests read them, and a
// questionnaire that uses every item type with a complete answer to it.
package apitest

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
