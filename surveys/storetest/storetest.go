// Package storetest is the conformance suite every surveys.Store passes.
// It uses only the surveys.Store interface, so that the SQLite store and
// the MongoDB store are held to the same behaviour.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"declic/surveys"
)

// Opener opens a new, empty store whose clock is now, and closes it when
// the test ends (t.Cleanup).
type Opener func(t *testing.T, now func() time.Time) surveys.Store

// Clock is a clock the tests move by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time; pass it as a store's clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// start is a whole second, which every store keeps exactly.
var start = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// env is one subtest's store and clock.
type env struct {
	t     *testing.T
	s     surveys.Store
	clock *Clock
	ctx   context.Context
	open  Opener
}

func newEnv(t *testing.T, open Opener) *env {
	t.Helper()
	c := NewClock(start)
	return &env{t: t, s: open(t, c.Now), clock: c, ctx: context.Background(), open: open}
}

// Run runs the suite on stores open makes, one new store per subtest.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(*env)
	}{
		{"Ping", testPing},
		{"Questionnaires", testQuestionnaires},
		{"EnsureQuestionnaire", testEnsureQuestionnaire},
		{"QuestionnaireVersions", testQuestionnaireVersions},
		{"CreateWorkshop", testCreateWorkshop},
		{"WorkshopChanges", testWorkshopChanges},
		{"WorkshopFilters", testWorkshopFilters},
		{"UpdateWorkshop", testUpdateWorkshop},
		{"DeleteWorkshop", testDeleteWorkshop},
		{"AddResponse", testAddResponse},
		{"AddResponseSameSubmissionConcurrently", testAddResponseSameSubmission},
		{"AddResponseConcurrentWriters", testConcurrentWriters},
		{"EachResponse", testEachResponse},
		{"EachResponseRoundTrip", testRoundTrip},
		{"ImportResponses", testImportResponses},
		{"PurgeResponses", testPurgeResponses},
		{"SetExcluded", testSetExcluded},
		{"PurgeExclusions", testPurgeExclusions},
		{"TextApprovals", testTextApprovals},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"ExportImport", testExportImport},
		{"Empty", testEmpty},
		{"Indicators", testIndicators},
		{"Settings", testSettings},
		{"Quotes", testQuotes},
		{"FunderExportImport", testFunderExportImport},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(newEnv(t, open)) })
	}
}

func testPing(e *env) {
	if err := e.s.Ping(e.ctx); err != nil {
		e.t.Fatalf("Ping: %v", err)
	}
}

// wantCode fails unless err carries the domain code want.
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := surveys.ErrorCode(err); got != want {
		t.Errorf("error = %v (code %q), want code %q", err, got, want)
	}
}

// must fails the test at once on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// definition has an item of every type, translated wordings and a scale.
const definition = `{
  "title": {"fr": "Regards sur le monde", "pt": "Olhares sobre o mundo"},
  "language": "fr",
  "languages": ["fr", "pt"],
  "items": [
    {"key": "q1", "type": "likert", "text": "Je me sens capable d'agir.", "scale": {"min": 1, "max": 5}},
    {"key": "q2", "type": "likert", "text": "Les autres m'intéressent.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "n1", "type": "scale", "text": "De 0 à 10 ?", "scale": {"min": 0, "max": 10}},
    {"key": "k1", "type": "quiz", "text": "Combien d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "As-tu déjà voyagé ?"},
    {"key": "c1", "type": "choice", "text": "Tes sujets", "multiple": true, "options": [{"value": "a", "label": "Climat"}, {"value": "b", "label": "Droits"}, {"value": "c", "label": "Paix"}]},
    {"key": "t1", "type": "text", "text": "Qu'as-tu appris ?", "phases": ["post"]},
    {"key": "r1", "type": "retro", "text": "Avant et maintenant", "scale": {"min": 1, "max": 5}}
  ],
  "scales": [{"key": "ouverture", "title": "Ouverture", "items": ["q1", "q2"]}]
}`

// newQuestionnaire parses the test definition under another title.
func newQuestionnaire(t *testing.T, title string) *surveys.Questionnaire {
	t.Helper()
	var def map[string]any
	must(t, json.Unmarshal([]byte(definition), &def))
	if title != "" {
		def["title"] = title
		delete(def, "languages")
	}
	data, err := json.Marshal(def)
	must(t, err)
	q, err := surveys.ParseDefinition(data)
	must(t, err)
	return q
}

func (e *env) questionnaire(title string) *surveys.Questionnaire {
	e.t.Helper()
	q := newQuestionnaire(e.t, title)
	must(e.t, e.s.CreateQuestionnaire(e.ctx, q))
	return q
}

// workshop creates a workshop of questionnaire q, changed by edit.
func (e *env) workshop(q *surveys.Questionnaire, edit func(*surveys.Workshop)) *surveys.Workshop {
	e.t.Helper()
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "Atelier", Date: "2026-03-10", Partner: "Collège Jean Macé",
		Group: "4e B", Tags: []string{"odd"}, OwnerID: "owner"}
	if edit != nil {
		edit(w)
	}
	must(e.t, w.Validate())
	must(e.t, e.s.CreateWorkshop(e.ctx, w))
	return w
}

func (e *env) user(email string, role surveys.Role) *surveys.User {
	e.t.Helper()
	u := &surveys.User{Email: email, Role: role, PasswordHash: "$2a$10$" + email}
	must(e.t, e.s.CreateUser(e.ctx, u))
	return u
}

// answers has one answer of every shape the definition asks for.
func answers(n int) surveys.Answers {
	return surveys.Answers{
		"q1": surveys.NumberAnswer(1 + n%5),
		"q2": surveys.NumberAnswer(5 - n%5),
		"n1": surveys.NumberAnswer(n % 11),
		"k1": surveys.OptionAnswer([]string{"a", "b"}[n%2]),
		"y1": surveys.NumberAnswer(n % 2),
		"c1": surveys.OptionsAnswer([]string{"a", "c"}),
		"t1": surveys.TextAnswer(fmt.Sprintf("Réponse n°%d : « j'ai appris » 🌍\nligne 2\ttabulée", n)),
		"r1": surveys.PairAnswer(2, 4),
	}
}

// response is a pupil's answer to workshop w.
func response(w *surveys.Workshop, submission string, phase surveys.Phase, n int) *surveys.Response {
	return &surveys.Response{
		SubmissionID: submission,
		WorkshopID:   w.ID,
		Phase:        phase,
		Participant:  fmt.Sprintf("participant-%d", n),
		CodeParts:    []string{"0a1b2c3d4e5f6071", "1a1b2c3d4e5f6071", "2a1b2c3d4e5f6071", fmt.Sprintf("3a1b2c3d4e5f%04d", n)},
		Answers:      answers(n),
	}
}

func (e *env) add(r *surveys.Response) {
	e.t.Helper()
	created, err := e.s.AddResponse(e.ctx, r)
	must(e.t, err)
	if !created {
		e.t.Fatalf("AddResponse(%s) created = false, want true", r.SubmissionID)
	}
}

// collect returns copies of the responses EachResponse streams.
func (e *env) collect(ids ...string) []*surveys.Response {
	e.t.Helper()
	var out []*surveys.Response
	must(e.t, e.s.EachResponse(e.ctx, ids, func(r *surveys.Response) error {
		out = append(out, clone(r))
		return nil
	}))
	return out
}

// clone deep-copies r: EachResponse may reuse it.
func clone(r *surveys.Response) *surveys.Response {
	c := *r
	c.CodeParts = append([]string(nil), r.CodeParts...)
	if r.CodeParts == nil {
		c.CodeParts = nil
	}
	c.Flags = append([]surveys.Flag(nil), r.Flags...)
	c.Answers = make(surveys.Answers, len(r.Answers))
	for k, a := range r.Answers {
		a.List = append([]string(nil), a.List...)
		c.Answers[k] = a
	}
	return &c
}

func (e *env) version(id string) int64 {
	e.t.Helper()
	w, err := e.s.Workshop(e.ctx, id)
	must(e.t, err)
	return w.Version
}
