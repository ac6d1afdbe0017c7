package handlers

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// What a pupil's device remembers, in cookies scoped to /f:
//   - declic_code: the pupil's code, sealed (encrypted with the server's
//     key), so that they do not retype it at the end of the workshop and
//     someone else holding the phone cannot read it;
//   - declic_appareil: a random id of the device, sent as the response's
//     device (kept only as a keyed hash), for pairing;
//   - declic_fait: which phases this device answered, as short keyed
//     hashes, so that it is thanked instead of answering twice;
//   - declic_langue: the language the pupil picked.
const (
	codeCookie     = "declic_code"
	deviceCookie   = "declic_appareil"
	answeredCookie = "declic_fait"
	langCookie     = "declic_langue"
	cookieAge      = 180 * 24 * time.Hour
	answeredKeep   = 20
)

var deviceIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (s *server) setPupilCookie(c *gin.Context, name, value string, age time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/f", MaxAge: int(age / time.Second),
		HttpOnly: true, Secure: s.secure(c), SameSite: http.SameSiteLaxMode,
	})
}

// rememberedCode is the code this device remembers, if any.
func (s *server) rememberedCode(c *gin.Context) (surveys.Code, bool) {
	v, err := c.Cookie(codeCookie)
	if err != nil || len(v) > 200 {
		return surveys.Code{}, false
	}
	return s.Pseudo.OpenCode(v)
}

// deviceID is this device's random id, made on its first visit.
func (s *server) deviceID(c *gin.Context) string {
	if v, err := c.Cookie(deviceCookie); err == nil && deviceIDPattern.MatchString(v) {
		return v
	}
	id := newSubmissionID()
	s.setPupilCookie(c, deviceCookie, id, 2*cookieAge)
	return id
}

func (s *server) answeredMark(w *surveys.Workshop, phase surveys.Phase, participant string) string {
	return s.Pseudo.Mark(w.ID, string(phase), participant)
}

func answeredMarks(c *gin.Context) []string {
	v, err := c.Cookie(answeredCookie)
	if err != nil {
		return nil
	}
	return strings.Fields(strings.ReplaceAll(v, ".", " "))
}

// answeredHere tells whether this device sent the open phase's answers
// for this code already: a second answer would make the pupil a duplicate
// and drop them from the pairs.
func (s *server) answeredHere(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, participant string) bool {
	return slices.Contains(answeredMarks(c), s.answeredMark(w, phase, participant))
}

func (s *server) rememberAnswered(c *gin.Context, w *surveys.Workshop, phase surveys.Phase, participant string) {
	mark := s.answeredMark(w, phase, participant)
	marks := slices.DeleteFunc(answeredMarks(c), func(m string) bool { return m == mark || len(m) != len(mark) })
	marks = append(marks, mark)
	if len(marks) > answeredKeep {
		marks = marks[len(marks)-answeredKeep:]
	}
	s.setPupilCookie(c, answeredCookie, strings.Join(marks, "."), cookieAge)
}

// forgetDevice clears the remembered code, for shared tablets.
func (s *server) forgetDevice(c *gin.Context) {
	s.setPupilCookie(c, codeCookie, "", -time.Second)
	c.Redirect(http.StatusSeeOther, "/f/"+surveys.NormalizeCode(c.Param("code")))
}
