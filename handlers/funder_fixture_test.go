package handlers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"declic/surveys"
)

// funderDefinition: two likert items in both phases (one reversed), a
// scale of them, a quiz, a free-text question and one asked only before.
const funderDefinition = `{
  "title": "Regards sur le monde", "language": "fr",
  "items": [
    {"key": "q1", "type": "likert", "text": "Je peux agir.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "", "", "", "Tout à fait d'accord"]}},
    {"key": "q2", "type": "likert", "text": "C'est trop grand pour moi.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "k1", "type": "quiz", "text": "Combien d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}], "correct": "b"},
    {"key": "c1", "type": "choice", "text": "Tes sujets", "multiple": true, "required": false, "options": [{"value": "climat", "label": "Le climat"}, {"value": "paix", "label": "La paix"}]},
    {"key": "t1", "type": "text", "text": "Qu'as-tu appris ?", "phases": ["post"], "required": false},
    {"key": "p1", "type": "likert", "text": "Avant seulement", "scale": {"min": 1, "max": 5}, "phases": ["pre"], "required": false}
  ],
  "scales": [{"key": "agir", "title": "Pouvoir agir", "items": ["q1", "q2"]}]
}`

// funderEnv is the test server with the regards-v1 questionnaire stored
// and two tokens: the first admin's and a facilitator's. Its clock stands
// on 20 March 2026.
type funderEnv struct {
	*testServer
	t     testing.TB
	ctx   context.Context
	admin string // token
	anim  string // a facilitator's token
	q     *surveys.Questionnaire
}

func newFunderEnv(t testing.TB) *funderEnv {
	t.Helper()
	e := &funderEnv{testServer: newTestServer(t, at(time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC))), t: t, ctx: context.Background()}
	e.admin = e.token(t)
	e.user(t, "anim@example.org", surveys.RoleFacilitator)
	e.anim = e.login(t, "anim@example.org", testPassword)
	var err error
	e.q, err = surveys.ParseDefinition([]byte(funderDefinition))
	if err != nil {
		t.Fatal(err)
	}
	e.q.ID = "regards-v1"
	if err := e.Store.EnsureQuestionnaire(e.ctx, e.q); err != nil {
		t.Fatal(err)
	}
	return e
}

// pupil is one young person's answers: q1 before and after (0 = did not
// answer that phase).
type pupil struct{ pre, post int }

// workshop stores a workshop on date with its pupils' answers: q1 as
// given, q2 answered 3 both times, k1 right after, a free text after.
func (e *funderEnv) workshop(title, date string, tags []string, pupils []pupil) *surveys.Workshop {
	e.t.Helper()
	w := &surveys.Workshop{QuestionnaireID: e.q.ID, Title: title, Date: date, Partner: "Collège Jean Macé", Tags: tags, Phase: surveys.PhaseClosed}
	if err := w.Validate(); err != nil {
		e.t.Fatal(err)
	}
	if err := e.Store.CreateWorkshop(e.ctx, w); err != nil {
		e.t.Fatal(err)
	}
	var rs []*surveys.Response
	for i, p := range pupils {
		who := fmt.Sprintf("%s-p%02d", w.ID, i)
		for _, ph := range []struct {
			phase surveys.Phase
			v     int
		}{{surveys.PhasePre, p.pre}, {surveys.PhasePost, p.post}} {
			if ph.v == 0 {
				continue
			}
			a := surveys.Answers{"q1": surveys.NumberAnswer(ph.v), "q2": surveys.NumberAnswer(3), "k1": surveys.OptionAnswer("a"),
				"c1": surveys.OptionsAnswer([]string{"climat", "paix"})}
			if ph.phase == surveys.PhasePost {
				a["k1"] = surveys.OptionAnswer("b")
				a["t1"] = surveys.TextAnswer(fmt.Sprintf("J'ai appris la chose n°%d.", i))
			}
			rs = append(rs, &surveys.Response{SubmissionID: who + string(ph.phase), WorkshopID: w.ID, Phase: ph.phase,
				Participant: who, Answers: a, Day: date})
		}
	}
	if err := e.Store.ImportResponses(e.ctx, rs); err != nil {
		e.t.Fatal(err)
	}
	return w
}

// mixed is ten pupils: six progress on q1 (2 → 4), four stay (3 → 3).
func mixed() []pupil {
	return []pupil{{2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {3, 3}, {3, 3}, {3, 3}, {3, 3}}
}
