package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
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
	s.Logger.Error("pupil request failed", "route", c.FullPath(), "err", err)
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

func (s *server) thanks(c *gin.Context) {
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		c.Redirect(http.StatusSeeOther, "/f")
		return
	}
	phase := surveys.Phase(c.Query("phase"))
	s.render(c, http.StatusOK, "pupil/thanks", gin.H{"Workshop": w, "Phase": phase, "Lang": pageLang(c), "Kiosk": s.inKiosk(c, w)})
}
