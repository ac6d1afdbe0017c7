package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/templates"
)

func (s *server) enterCode(c *gin.Context) {
	if code := surveys.NormalizeCode(c.Query("code")); code != "" && len(code) <= 12 {
		c.Redirect(http.StatusSeeOther, "/f/"+code)
		return
	}
	s.render(c, http.StatusOK, "pupil/unknown", gin.H{"Lang": pageLang(c)})
}

// pupilError logs err once and tells the pupil, in plain words, to retry.
// A sent form comes back as hidden fields, so one tap resends the same
// answers with the same submission id, which the store keeps only once.
func (s *server) pupilError(c *gin.Context, err error) {
	s.log(c).Error("pupil request failed", "route", c.FullPath(), "err", err)
	code := surveys.NormalizeCode(c.Param("code"))
	data := gin.H{"Code": code, "Lang": pageLang(c)}
	if c.Request.Method == http.MethodPost && c.Request.ParseForm() == nil && code != "" {
		if kept := keptFields(c.Request.PostForm); len(kept) > 0 {
			data["Action"], data["Kept"] = "/f/"+code, kept
		}
	}
	c.Header("Retry-After", retryAfter)
	s.render(c, http.StatusServiceUnavailable, "pupil/unavailable", data)
}

// pupilBusy tells the pupil that too many answers arrive at once and
// keeps the sent answers on the page, to send again after the wait
// (pupil.js does it by itself after Retry-After).
func (s *server) pupilBusy(c *gin.Context, err error) {
	code := surveys.NormalizeCode(c.Param("code"))
	if len(code) > 12 {
		code = code[:12]
	}
	secs, _ := strconv.Atoi(c.Writer.Header().Get("Retry-After"))
	lang := pageLang(c)
	data := gin.H{"Code": code, "Busy": true, "Wait": templates.WaitIn(lang, secs), "Lang": lang}
	if c.Request.Method == http.MethodPost && c.Request.ParseForm() == nil && code != "" {
		if kept := keptFields(c.Request.PostForm); len(kept) > 0 {
			data["Action"], data["Kept"] = c.Request.URL.Path, kept
		}
	}
	s.render(c, http.StatusTooManyRequests, "pupil/unavailable", data)
}

// notOpen is the one page for a code that matches no workshop and for a
// workshop with no open phase: to someone trying codes both look the
// same (same status, nothing about the workshop), and the page tells a
// pupil both what to check and what to wait for. w is the workshop when
// there is one: a shared tablet set up for it keeps its kiosk mode.
func (s *server) notOpen(c *gin.Context, status int, w *surveys.Workshop) {
	code := surveys.NormalizeCode(c.Param("code"))
	if len(code) > 12 {
		code = code[:12]
	}
	s.render(c, status, "pupil/closed", gin.H{"Code": code, "Lang": pageLang(c), "Kiosk": s.inKiosk(c, w)})
}

func (s *server) thanks(c *gin.Context) {
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		// A miss here counts like anywhere else, or this page would tell
		// which codes exist at any speed.
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			if err := s.limitAnswer(c, nil); err != nil {
				s.pupilBusy(c, err)
				return
			}
		}
		c.Redirect(http.StatusSeeOther, "/f")
		return
	}
	phase := surveys.Phase(c.Query("phase"))
	s.render(c, http.StatusOK, "pupil/thanks", gin.H{"Workshop": w, "Phase": phase, "Lang": pageLang(c), "Kiosk": s.inKiosk(c, w)})
}
