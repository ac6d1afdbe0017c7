package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

func (s *server) renderOrganisation(c *gin.Context, status int, extra gin.H) {
	st := s.organisation(c.Request.Context())
	data := gin.H{"User": currentUser(c), "Settings": st, "LogoURL": logoURL(st), "Name": st.OrganisationName}
	for k, v := range extra {
		data[k] = v
	}
	s.render(c, status, "staff/organisation", data)
}

// organisationPage lets an admin set the name and logo reports carry.
func (s *server) organisationPage(c *gin.Context) {
	extra := gin.H{}
	if c.Query("enregistre") == "1" {
		extra["Saved"] = true
	}
	s.renderOrganisation(c, http.StatusOK, extra)
}

// saveOrganisationPage takes the form: a name, a logo file, or « remove
// the logo ». A refused logo re-shows the form with the reason beside it
// and nothing changed.
func (s *server) saveOrganisationPage(c *gin.Context) {
	name := c.PostForm("name")
	fail := func(err error) {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			s.renderOrganisation(c, http.StatusBadRequest, gin.H{"Error": surveys.ErrorMessage(err), "Fields": surveys.ErrorFields(err), "Name": name})
			return
		}
		s.pageFail(c, err)
	}
	var mbe *http.MaxBytesError
	if err := c.Request.ParseMultipartForm(maxLogoUpload); errors.As(err, &mbe) {
		_, err := readLogo(c.Request.Body) // the same refusal as a logo over 1 MB
		fail(err)
		return
	}
	name = c.PostForm("name")
	change := logoChange{Remove: c.PostForm("remove_logo") == "1"}
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			s.pageFail(c, err)
			return
		}
		defer f.Close()
		data, err := readLogo(f)
		if err != nil {
			fail(err)
			return
		}
		change = logoChange{Replace: true, Data: data}
	}
	if _, err := s.saveOrganisation(c, &name, change); err != nil {
		fail(err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/organisation?enregistre=1")
}
