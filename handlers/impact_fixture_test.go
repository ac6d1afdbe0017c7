package handlers_test

// impactDefinition uses every item type of the contract: a reverse item, a
// scale of three items, an optional numeric scale, a POST-only text.
const impactDefinition = `{
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

// validPre is a complete PRE answer set of impactDefinition.
func validPre() map[string]any {
	return map[string]any{"q1": 3, "q2": 2, "q3": 4, "k1": "b", "y1": 1}
}
