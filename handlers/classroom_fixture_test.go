package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"declic/surveys"
)

// classroom is the test server with a facilitator who owns one workshop
// of the library's ODD questionnaire, open in PRE.
type classroom struct {
	*testServer
	t     testing.TB
	q     *surveys.Questionnaire
	w     *surveys.Workshop
	owner *surveys.User
}

func newClassroom(t testing.TB) *classroom {
	t.Helper()
	cl := &classroom{testServer: newTestServer(t), t: t}
	q, err := cl.Store.Questionnaire(context.Background(), "odd-v1")
	if err != nil {
		t.Fatal(err)
	}
	cl.q = q
	cl.owner = cl.user(t, "anim@example.org", surveys.RoleFacilitator)
	cl.w = &surveys.Workshop{QuestionnaireID: cl.q.ID, Title: "Les ODD au quotidien", Date: "2026-03-12", Partner: "Collège", Group: "4e B", OwnerID: cl.owner.ID}
	if err := cl.Store.CreateWorkshop(context.Background(), cl.w); err != nil {
		t.Fatal(err)
	}
	cl.phase(surveys.PhasePre)
	return cl
}

func (cl *classroom) phase(p surveys.Phase) {
	cl.t.Helper()
	w, err := cl.Store.SetPhase(context.Background(), cl.w.ID, p)
	if err != nil {
		cl.t.Fatal(err)
	}
	cl.w = w
}

// staff is a browser on which u (made by ts.user) logged in.
func (cl *classroom) staff(u *surveys.User) *http.Client {
	cl.t.Helper()
	return cl.session(cl.t, u.Email, testPassword)
}

// cookie is the value the browser holds for name on the pupil pages.
func (cl *classroom) cookie(c *http.Client, name string) string {
	u, _ := url.Parse(cl.URL + "/f/" + cl.w.Code)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
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
