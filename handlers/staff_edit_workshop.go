package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// workshopEditForm is the edit page's fields as typed.
type workshopEditForm struct {
	Title, Date, Partner, Group, Place, TagsText string
	Tags                                         []string // ticked among the known ones
}

func (s *server) editWorkshopPage(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	form := workshopEditForm{Title: w.Title, Date: w.Date, Partner: w.Partner, Group: w.Group, Place: w.Place, Tags: w.Tags}
	s.renderEditWorkshop(c, http.StatusOK, w, form, nil)
}

func (s *server) renderEditWorkshop(c *gin.Context, status int, w *surveys.Workshop, form workshopEditForm, err error) {
	sug := s.suggestions(c.Request.Context())
	// Known tags are boxes to tick; the workshop's own are always offered.
	names := slices.Clone(sug.Tags)
	for _, t := range form.Tags {
		if !slices.ContainsFunc(names, func(k string) bool { return surveys.MatchKey(k) == surveys.MatchKey(t) }) {
			names = append(names, t)
		}
	}
	known := make([]tagChoice, len(names))
	for i, n := range names {
		known[i] = tagChoice{n, form.ticked(n)}
	}
	data := gin.H{"User": currentUser(c), "Workshop": w, "Form": form, "Suggestions": sug, "KnownTags": known}
	if err != nil {
		data["Error"] = surveys.ErrorMessage(err)
		data["Fields"] = surveys.ErrorFields(err)
	}
	s.render(c, status, "staff/edit_workshop", data)
}

type tagChoice struct {
	Name   string
	Ticked bool
}

// ticked tells whether tag t is among the ticked ones.
func (f workshopEditForm) ticked(t string) bool {
	return slices.ContainsFunc(f.Tags, func(x string) bool { return surveys.MatchKey(x) == surveys.MatchKey(t) })
}

func (s *server) saveWorkshopPage(c *gin.Context) {
	form := workshopEditForm{Title: c.PostForm("title"), Date: c.PostForm("date"), Partner: c.PostForm("partner"),
		Group: c.PostForm("group"), Place: c.PostForm("place"), TagsText: c.PostForm("tags_more"), Tags: c.PostFormArray("tags")}
	tags := append(slices.Clone(form.Tags), strings.Split(form.TagsText, ",")...)
	w, err := s.updateWorkshop(c, workshopEdit{Title: &form.Title, Date: &form.Date, Partner: &form.Partner,
		Group: &form.Group, Place: &form.Place, Tags: &tags})
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			cur, ferr := s.workshopFor(c)
			if ferr != nil {
				s.pageFail(c, ferr)
				return
			}
			s.renderEditWorkshop(c, http.StatusBadRequest, cur, form, err)
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID+"?corrige=1")
}

// facilitatorsPage adds or removes one co-facilitator (admins, managers).
func (s *server) facilitatorsPage(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := s.workshopFor(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	ids := slices.Clone(w.Facilitators)
	if add := strings.TrimSpace(c.PostForm("add")); add != "" {
		u, err := s.Store.User(ctx, add)
		if err != nil || u.Disabled {
			s.pageFail(c, surveys.Errorf(surveys.EINVALID, "Ce compte n'existe pas ou est désactivé."))
			return
		}
		if !slices.Contains(ids, u.ID) && u.ID != w.OwnerID {
			ids = append(ids, u.ID)
		}
	}
	if rm := c.PostForm("remove"); rm != "" {
		ids = slices.DeleteFunc(ids, func(id string) bool { return id == rm })
	}
	if len(ids) > maxFacilitators {
		s.pageFail(c, surveys.Errorf(surveys.EINVALID, "50 co-animateur·rices au plus."))
		return
	}
	if _, err := s.Store.SetFacilitators(ctx, w.ID, ids); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID+"#co-animation")
}

// facilitatorView is a co-facilitator as the workshop page lists them.
type facilitatorView struct{ ID, Email string }

// facilitatorData is what the workshop page's co-animation box needs:
// the users added, and for admins and managers the accounts to add.
func (s *server) facilitatorData(c *gin.Context, w *surveys.Workshop) (added, addable []facilitatorView) {
	users, err := s.Store.Users(c.Request.Context())
	if err != nil {
		return nil, nil
	}
	for _, u := range users {
		switch {
		case slices.Contains(w.Facilitators, u.ID):
			added = append(added, facilitatorView{u.ID, u.Email})
		case u.ID != w.OwnerID && !u.Disabled:
			addable = append(addable, facilitatorView{u.ID, u.Email})
		}
	}
	return added, addable
}
