package handlers

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"declic/handlers/httpx"
	"declic/surveys"
)

// maxLogoUpload bounds a logo upload's body: the logo itself is checked
// against surveys.MaxLogoBytes, so that a bigger file still gets a clear
// French answer rather than a cut connection.
const maxLogoUpload = 4 << 20

// organisationView is the organisation's identity as the API shows it.
type organisationView struct {
	Name     string `json:"name"`
	LogoURL  string `json:"logo_url,omitempty"`
	LogoType string `json:"logo_type,omitempty"`
}

func viewOrganisation(st *surveys.Settings) organisationView {
	v := organisationView{Name: st.OrganisationName}
	if len(st.Logo) > 0 {
		v.LogoURL, v.LogoType = logoURL(st), st.LogoType
	}
	return v
}

// logoURL changes with the logo, so that browsers may keep it.
func logoURL(st *surveys.Settings) string {
	if len(st.Logo) == 0 {
		return ""
	}
	return "/app/organisation/logo?v=" + strconv.FormatInt(st.UpdatedAt.UnixNano(), 36)
}

// logoChange is what an admin does to the logo: nothing, remove it, or
// replace it with Data (checked by surveys.CheckLogo, so an empty file is
// refused).
type logoChange struct {
	Replace, Remove bool
	Data            []byte
}

// saveOrganisation changes the name (when name is not nil) and the logo.
func (s *server) saveOrganisation(c *gin.Context, name *string, logo logoChange) (*surveys.Settings, error) {
	ctx := c.Request.Context()
	st, err := s.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if name != nil {
		st.OrganisationName = *name
	}
	if err := st.Validate(); err != nil {
		return nil, err
	}
	switch {
	case logo.Replace:
		typ, err := surveys.CheckLogo(logo.Data)
		if err != nil {
			return nil, err
		}
		st.Logo, st.LogoType = logo.Data, typ
	case logo.Remove:
		st.Logo, st.LogoType = nil, ""
	}
	st.UpdatedBy = currentUser(c).ID
	return st, s.Store.SaveSettings(ctx, st)
}

// readLogo reads an uploaded logo; a body over the limit is the same
// French refusal as a logo over 1 MB.
func readLogo(r io.Reader) ([]byte, error) {
	data, err := httpx.ReadAtMost(r, surveys.MaxLogoBytes)
	if errors.Is(err, httpx.ErrTooLarge) {
		return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Logo refusé.",
			Fields: map[string]string{"logo": "le fichier dépasse 1 Mo (1 024 Ko) : réduisez-le ou enregistrez-le en SVG"}}
	}
	return data, err
}

// organisationLogo serves the logo from Déclic's own origin. An SVG is
// served so that nothing in it could run even if opened on its own.
func (s *server) organisationLogo(c *gin.Context) {
	st := s.organisation(c.Request.Context())
	if len(st.Logo) == 0 {
		s.apiFail(c, surveys.Errorf(surveys.ENOTFOUND, "Aucun logo n'est enregistré."))
		return
	}
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "private, max-age=31536000, immutable")
	c.Header("Content-Disposition", `inline; filename="logo.`+map[string]string{surveys.LogoPNG: "png", surveys.LogoSVG: "svg"}[st.LogoType]+`"`)
	c.Data(http.StatusOK, st.LogoType, st.Logo)
}
