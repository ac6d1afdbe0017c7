package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"declic/handlers"
	"declic/surveys"
	"declic/surveys/sqlite"
	"declic/templates"
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

// funderEnv is the real router on an in-memory store, with an admin's and
// a facilitator's API tokens.
type funderEnv struct {
	t        testing.TB
	ctx      context.Context
	store    *sqlite.Store
	h        http.Handler
	admin    string // token
	anim     string // a facilitator's token
	q        *surveys.Questionnaire
	clockDay time.Time
}

const testPassword = "un-long-mot-de-passe"

func newFunderEnv(t testing.TB) *funderEnv {
	t.Helper()
	e := &funderEnv{t: t, ctx: context.Background(), clockDay: time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)}
	// The store keeps the same clock as the handlers: sessions expire by it.
	store, err := sqlite.Open(e.ctx, sqlite.Config{Memory: true, Now: func() time.Time { return e.clockDay }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e.store = store
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	e.h = handlers.NewRouter(handlers.Deps{
		Store: e.store, Pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))), Templates: tmpl,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return e.clockDay },
	})
	e.admin = e.user("admin@example.org", surveys.RoleAdmin)
	e.anim = e.user("anim@example.org", surveys.RoleFacilitator)
	e.q, err = surveys.ParseDefinition([]byte(funderDefinition))
	if err != nil {
		t.Fatal(err)
	}
	e.q.ID = "regards-v1"
	if err := e.store.EnsureQuestionnaire(e.ctx, e.q); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *funderEnv) user(email string, role surveys.Role) string {
	e.t.Helper()
	hash, err := surveys.HashPassword(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.CreateUser(e.ctx, &surveys.User{Email: email, Role: role, PasswordHash: hash}); err != nil {
		e.t.Fatal(err)
	}
	var out struct{ Token string }
	if st, body := e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": testPassword}, &out); st != http.StatusOK {
		e.t.Fatalf("login %s = %d %s", email, st, body)
	}
	return out.Token
}

// do sends a request with token; body is JSON unless it is []byte, sent
// as it is. out, when not nil, receives the JSON answer.
func (e *funderEnv) do(token, method, path string, body any, out any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case url.Values:
		r, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r, ctype = bytes.NewReader(data), "application/json"
	}
	req := httptest.NewRequest(method, path, r)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if out != nil && rec.Code < 300 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, rec.Body.String())
		}
	}
	return rec.Code, rec.Body.Bytes()
}

// get is do for a GET that also returns the response's headers.
func (e *funderEnv) get(token, path string) (int, http.Header, []byte) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
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
	if err := e.store.CreateWorkshop(e.ctx, w); err != nil {
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
	if err := e.store.ImportResponses(e.ctx, rs); err != nil {
		e.t.Fatal(err)
	}
	return w
}

// mixed is ten pupils: six progress on q1 (2 → 4), four stay (3 → 3).
func mixed() []pupil {
	return []pupil{{2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {3, 3}, {3, 3}, {3, 3}, {3, 3}}
}

func errorOf(t *testing.T, body []byte) (code, message string, fields map[string]string) {
	t.Helper()
	var e struct {
		Error struct {
			Code    string
			Message string
			Fields  map[string]string
		}
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not a JSON error: %s", body)
	}
	return e.Error.Code, e.Error.Message, e.Error.Fields
}
