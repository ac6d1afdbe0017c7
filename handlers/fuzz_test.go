package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"declic/handlers"
	"declic/surveys"
)

// formDefinition has every item type the HTML form shows.
const formDefinition = `{
  "title": "Formulaire", "language": "fr",
  "items": [
    {"key": "l1", "type": "likert", "text": "Likert", "scale": {"min": 1, "max": 5, "labels": ["Non", "", "", "", "Oui"]}},
    {"key": "n1", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10}, "required": false},
    {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "Oui ou non"},
    {"key": "s1", "type": "choice", "text": "Un choix", "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}], "required": false},
    {"key": "c1", "type": "choice", "text": "Plusieurs", "multiple": true, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
    {"key": "t1", "type": "text", "text": "Texte", "required": true},
    {"key": "t2", "type": "text", "text": "Après", "phases": ["post"]}
  ]
}`

// errorCounter counts log records at error level: each is a failed request.
type errorCounter struct {
	slog.Handler
	n *atomic.Int64
}

func (h errorCounter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.n.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

// FuzzFormDecoder posts arbitrary bodies to the pupil form of a workshop
// open in PRE, through the real router and store. An answer is either
// stored (303 to the thank-you page) or refused with a 4xx page that names
// each item CheckForm finds wrong; never a 5xx, never a logged error.
func FuzzFormDecoder(f *testing.F) {
	code := "code_mere=A&code_jour=12&code_mois=3&code_lettre2=L"
	for _, s := range []string{
		"a_l1=3&a_k1=b&a_y1=1&a_c1=a&a_t1=merci&" + code,
		"a_l1=3&a_n1=10&a_k1=a&a_y1=0&a_s1=x&a_c1=a&a_c1=b&a_c1=a&a_t1=%C3%A9&phase=pre&submission_id=abc&" + code,
		"a_l1=6&a_n1=-1&a_k1=z&a_y1=2&a_c1=zz&a_t1=&" + code,
		"a_l1=1e309&a_n1=4.0000000001&a_k1=%24gt&a_y1=-0&a_t1=x&" + code,
		"a_l1=%7B%22%24gt%22%3A%22%22%7D&a_k1[$ne]=a&a_y1=1&a_t1=x&" + code,
		"a_l1=+3+&a_k1=b&a_y1=%00&a_t1=%E2%80%AE%E2%80%8B&" + code,
		"a_l1=3&a_k1=b&a_y1=1&a_t1=%FF%FE&" + code,
		"a_l1=3&a_k1=b&a_y1=1&a_t1=x&a_t2=avant&phase=post&" + code,
		"a_l1=3&a_k1=b&a_y1=1&a_t1=x&code_mere=%FF&code_jour=0&code_mois=13&code_lettre2=",
		"a_l1=3&a_k1=b&a_y1=1&a_t1=x&code_mere=%C3%A9&code_jour=+31+&code_mois=12&code_lettre2=%C3%BF",
		"a_l1=3&a_k1=b&a_y1=1&a_t1=x&code_mere=AB&code_jour=31&code_mois=2&code_lettre2=%E2%80%AE",
		"a_l1=3&a_k1=b&a_y1=1&a_t1=x",
		"a_l1=3&a_k1=b&a_y1=1&a_t1=" + strings.Repeat("x", 2001) + "&" + code,
		"%zz=%zz&a_l1=%", "a_l1=3;a_k1=b", "&&&==&", "", "\x00", "a_l1=3&a_l1=4&a_l1=5&a_zz=1&a_%24where=1",
		"submission_id=" + strings.Repeat("s", 200) + "&a_l1=3&a_k1=b&a_y1=1&a_t1=x&" + code,
	} {
		f.Add(s)
	}
	ctx := context.Background()
	var logged atomic.Int64
	ts := newTestServer(f, withDeps(func(d *handlers.Deps) {
		d.Logger = slog.New(errorCounter{slog.NewTextHandler(io.Discard, nil), &logged})
	}))
	store, router := ts.Store, ts.Handler
	q, err := surveys.ParseDefinition([]byte(formDefinition))
	if err != nil {
		f.Fatal(err)
	}
	if err := store.CreateQuestionnaire(ctx, q); err != nil {
		f.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "Fuzz", Date: "2026-03-12", Phase: surveys.PhaseClosed}
	if err := store.CreateWorkshop(ctx, w); err != nil {
		f.Fatal(err)
	}
	if _, err := store.SetPhase(ctx, w.ID, surveys.PhasePre); err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, body string) {
		before := logged.Load()
		req := httptest.NewRequest("POST", "/f/"+w.Code, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		page := rec.Body.String()
		if rec.Code >= 500 || logged.Load() != before {
			t.Fatalf("POST %q = %d with %d error logs: %.300s", body, rec.Code, logged.Load()-before, page)
		}
		vals, perr := url.ParseQuery(body)
		switch rec.Code {
		case http.StatusSeeOther:
			if loc := rec.Header().Get("Location"); loc != "/f/"+w.Code+"/merci?phase=pre" {
				t.Fatalf("POST %q redirects to %q, want the PRE thank-you page", body, loc)
			}
			if perr != nil {
				t.Fatalf("POST %q stored although the body does not parse: %v", body, perr)
			}
			if _, err := q.CheckForm(surveys.PhasePre, vals); err != nil {
				t.Fatalf("POST %q stored although CheckForm refuses it: %v", body, err)
			}
		case http.StatusUnprocessableEntity:
			if perr != nil {
				t.Fatalf("POST %q = 422, want 400 for a body that does not parse (%v)", body, perr)
			}
			// No cookie here: the code comes with the answers or the code
			// step asks it, each wrong element named; once the code is
			// right, each wrong answer is named.
			code := surveys.Code{Mere: vals.Get("code_mere"), Lettre2: vals.Get("code_lettre2")}
			code.Jour, _ = strconv.Atoi(strings.TrimSpace(vals.Get("code_jour")))
			code.Mois, _ = strconv.Atoi(strings.TrimSpace(vals.Get("code_mois")))
			if bad := code.Check(); len(bad) > 0 {
				if !strings.Contains(page, `action="/f/`+w.Code+`/code"`) {
					t.Fatalf("POST %q = 422 with a wrong or missing code, but not the code step", body)
				}
				for key := range bad {
					el := strings.TrimPrefix(key, "code.")
					if vals.Has("code_"+el) && !strings.Contains(page, `href="#code_`+el+`"`) {
						t.Fatalf("POST %q: code element %s is wrong but the page does not name it", body, el)
					}
				}
				return
			}
			_, err := q.CheckForm(surveys.PhasePre, vals)
			if err == nil {
				t.Fatalf("POST %q = 422 with a right code and valid answers", body)
			}
			for key := range surveys.ErrorFields(err) {
				if !strings.Contains(page, `id="err-`+key+`"`) || !strings.Contains(page, `href="#q-`+key+`"`) {
					t.Fatalf("POST %q: item %s is wrong (%v) but the page does not name it", body, key, err)
				}
			}
		case http.StatusBadRequest:
			if perr == nil {
				t.Fatalf("POST %q = 400 although the body parses", body)
			}
			if !strings.Contains(page, `href="#envoyer"`) && !strings.Contains(page, `href="#continuer"`) {
				t.Fatalf("POST %q = 400 without the message to send again", body)
			}
		case http.StatusConflict:
			if p := vals.Get("phase"); p != "post" {
				t.Fatalf("POST %q = 409 (closed) for phase %q", body, p)
			}
		default:
			t.Fatalf("POST %q = %d, want 303, 400, 409 or 422", body, rec.Code)
		}
	})
}
