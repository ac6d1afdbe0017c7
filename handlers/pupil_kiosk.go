package handlers

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// Kiosk mode: one tablet, many pupils in turn (contract: GET
// /f/{code}?kiosk=1 from a staff session that may run the workshop).
//
// The state is one cookie on the device, declic_kiosque (path /f,
// HttpOnly, a year): "k1.<workshop IDs, comma-separated, base64url>.<MAC>",
// the MAC a keyed hash (Pseudonymizer.Sign) that only the server can make,
// so a pupil can neither forge it nor add a workshop to it. It names
// workshops rather than the device, so a tablet lent for one workshop does
// not change how the next one behaves, and it outlives the staff session:
// the facilitator logs out and hands the tablet over. Only a staff session
// (?kiosk=0) takes a workshop out of it.
//
// For a workshop the cookie names, the pupil pages keep nothing between
// pupils: the code step every time, no declic_code, declic_fait,
// declic_langue or declic_appareil cookie read or written, no device sent
// with the answers, and the thank-you page is the « Au suivant » screen.
// pupil.js resends unsent answers in the background without showing them.
const (
	kioskCookie = "declic_kiosque"
	kioskAge    = 365 * 24 * time.Hour
	// kioskKeep bounds the workshops one tablet is in kiosk mode for.
	kioskKeep = 20
)

// kioskWorkshops are the workshops this device is a shared tablet for,
// when its cookie is genuine.
func (s *server) kioskWorkshops(c *gin.Context) []string {
	v, err := c.Cookie(kioskCookie)
	if err != nil || len(v) > 1000 {
		return nil
	}
	signed, ok := strings.CutPrefix(v, "k1.")
	if !ok {
		return nil
	}
	list, ok := s.Pseudo.Verify("kiosk", signed)
	if !ok {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(list)
	if err != nil || len(raw) == 0 {
		return nil
	}
	return strings.Split(string(raw), ",")
}

// inKiosk tells whether this device is a shared tablet for w.
func (s *server) inKiosk(c *gin.Context, w *surveys.Workshop) bool {
	return w != nil && slices.Contains(s.kioskWorkshops(c), w.ID)
}

func (s *server) setKioskWorkshops(c *gin.Context, ids []string) {
	if len(ids) == 0 {
		s.setPupilCookie(c, kioskCookie, "", -time.Second)
		return
	}
	if len(ids) > kioskKeep {
		ids = ids[len(ids)-kioskKeep:]
	}
	list := base64.RawURLEncoding.EncodeToString([]byte(strings.Join(ids, ",")))
	s.setPupilCookie(c, kioskCookie, "k1."+s.Pseudo.Sign("kiosk", list), kioskAge)
}

// forgetPupil clears everything a device remembers of its pupil.
func (s *server) forgetPupil(c *gin.Context) {
	for _, name := range []string{codeCookie, answeredCookie, langCookie, deviceCookie} {
		s.setPupilCookie(c, name, "", -time.Second)
	}
}

// switchKiosk turns kiosk mode on (?kiosk=1) or off (?kiosk=0) for w on
// this device, when a staff member who may run w is logged in on it; it
// tells whether it answered. Anyone else's ?kiosk= is ignored.
func (s *server) switchKiosk(c *gin.Context, w *surveys.Workshop) bool {
	want := c.Query("kiosk")
	if want != "1" && want != "0" {
		return false
	}
	u, err := s.userFromRequest(c)
	if err != nil || !w.VisibleTo(u) || u.MustChangePassword {
		return false
	}
	ids := slices.DeleteFunc(s.kioskWorkshops(c), func(id string) bool { return id == w.ID })
	if want == "1" {
		ids = append(ids, w.ID)
		s.forgetPupil(c)
	}
	s.setKioskWorkshops(c, ids)
	s.Logger.Info("kiosk mode", "workshop", w.ID, "on", want == "1", "by", u.ID)
	s.render(c, http.StatusOK, "pupil/kiosk", gin.H{"Lang": "fr", "Workshop": w, "On": want == "1", "Staff": true})
	return true
}

// kioskExit is the facilitator's way out of kiosk mode, linked from the
// « Au suivant » screen: with a staff session it offers ?kiosk=0,
// without one the login page first.
func (s *server) kioskExit(c *gin.Context) {
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		c.Redirect(http.StatusSeeOther, "/f")
		return
	}
	u, err := s.userFromRequest(c)
	staff := err == nil && w.VisibleTo(u)
	s.render(c, http.StatusOK, "pupil/kiosk", gin.H{"Lang": "fr", "Workshop": w, "On": s.inKiosk(c, w), "Staff": staff, "Exit": true,
		"Login": "/login?next=" + url.QueryEscape("/f/"+w.Code+"?kiosk=0")})
}
