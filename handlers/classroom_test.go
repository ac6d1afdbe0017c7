package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"declic/handlers"
	"declic/surveys"
	"declic/surveys/library"
	"declic/surveys/sqlite"
	"declic/templates"
)

// classroom is a running Déclic on an in-memory store, behind a real HTTP
// server (gzip and all), with the library's ODD questionnaire and a
// facilitator who owns one workshop.
type classroom struct {
	t        *testing.T
	store    *sqlite.Store
	srv      *httptest.Server
	pseudo   *surveys.Pseudonymizer
	stopping chan struct{}
	q        *surveys.Questionnaire
	w        *surveys.Workshop
	owner    *surveys.User
}

const classroomPassword = "une phrase assez longue"

func newClassroom(t *testing.T) *classroom {
	t.Helper()
	ctx := context.Background()
	cl := &classroom{t: t, store: mustOpenStore(t), pseudo: surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))), stopping: make(chan struct{})}
	qs, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if err := cl.store.EnsureQuestionnaire(ctx, q); err != nil {
			t.Fatal(err)
		}
		if q.ID == "odd-v1" {
			cl.q = q
		}
	}
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	cl.srv = httptest.NewServer(handlers.NewRouter(handlers.Deps{Store: cl.store, Pseudo: cl.pseudo, Templates: tmpl,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Stopping: cl.stopping}))
	t.Cleanup(cl.srv.Close)
	cl.owner = cl.user("anim@example.org", surveys.RoleFacilitator)
	cl.w = &surveys.Workshop{QuestionnaireID: cl.q.ID, Title: "Les ODD au quotidien", Date: "2026-03-12", Partner: "Collège", Group: "4e B", OwnerID: cl.owner.ID}
	if err := cl.store.CreateWorkshop(ctx, cl.w); err != nil {
		t.Fatal(err)
	}
	cl.phase(surveys.PhasePre)
	return cl
}

func (cl *classroom) user(email string, role surveys.Role) *surveys.User {
	cl.t.Helper()
	hash, err := surveys.HashPassword(classroomPassword)
	if err != nil {
		cl.t.Fatal(err)
	}
	u := &surveys.User{Email: email, Role: role, PasswordHash: hash}
	if err := cl.store.CreateUser(context.Background(), u); err != nil {
		cl.t.Fatal(err)
	}
	return u
}

func (cl *classroom) phase(p surveys.Phase) {
	cl.t.Helper()
	w, err := cl.store.SetPhase(context.Background(), cl.w.ID, p)
	if err != nil {
		cl.t.Fatal(err)
	}
	cl.w = w
}

// device is a browser of its own: its own cookies, redirects not followed.
func (cl *classroom) device() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// staff is a device on which u logged in.
func (cl *classroom) staff(u *surveys.User) *http.Client {
	cl.t.Helper()
	c := cl.device()
	res, _ := cl.post(c, "/login", url.Values{"email": {u.Email}, "password": {classroomPassword}})
	if res.StatusCode != http.StatusSeeOther {
		cl.t.Fatalf("login %s: status %d, want 303", u.Email, res.StatusCode)
	}
	return c
}

func (cl *classroom) get(c *http.Client, path string) (*http.Response, string) {
	cl.t.Helper()
	res, err := c.Get(cl.srv.URL + path)
	if err != nil {
		cl.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (cl *classroom) post(c *http.Client, path string, form url.Values) (*http.Response, string) {
	cl.t.Helper()
	res, err := c.PostForm(cl.srv.URL+path, form)
	if err != nil {
		cl.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// cookie is the value the device holds for name on the pupil pages.
func (cl *classroom) cookie(c *http.Client, name string) string {
	u, _ := url.Parse(cl.srv.URL + "/f/" + cl.w.Code)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

// responses are the workshop's stored responses.
func (cl *classroom) responses() []*surveys.Response {
	cl.t.Helper()
	var out []*surveys.Response
	err := cl.store.EachResponse(context.Background(), []string{cl.w.ID}, func(r *surveys.Response) error {
		out = append(out, r.Clone())
		return nil
	})
	if err != nil {
		cl.t.Fatal(err)
	}
	return out
}

// answers is a complete form of the open phase: option i of every choice
// question, text in free-text ones.
func (cl *classroom) answers(i int, text string) url.Values {
	f := url.Values{}
	for _, it := range cl.q.ItemsFor(cl.w.Phase) {
		choices := it.Choices()
		switch {
		case len(choices) == 0:
			if text != "" {
				f.Set(surveys.FormField(it.Key), text)
			}
		case it.Retrospective():
			f.Set(surveys.RetroField(it.Key, surveys.RetroBefore), choices[i%len(choices)].Value)
			f.Set(surveys.RetroField(it.Key, surveys.RetroNow), choices[i%len(choices)].Value)
		default:
			f.Set(surveys.FormField(it.Key), choices[i%len(choices)].Value)
		}
	}
	return f
}

// hidden reads the hidden fields of a page.
func hidden(body string) url.Values {
	out := url.Values{}
	for _, part := range strings.Split(body, `<input type="hidden" name="`)[1:] {
		name, rest, _ := strings.Cut(part, `"`)
		_, rest, _ = strings.Cut(rest, `value="`)
		value, _, _ := strings.Cut(rest, `"`)
		out.Set(name, value)
	}
	return out
}

func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: no %q in the page", what, w)
		}
	}
}
