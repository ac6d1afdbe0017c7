package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type attendanceRequest struct {
	Attendance int `json:"attendance"`
}

// setAttendance records how many young people came, for response rates.
func (s *server) setAttendance(c *gin.Context, n int) (*surveys.Workshop, error) {
	if n < 0 || n > surveys.MaxAttendance {
		return nil, &surveys.Error{Code: surveys.EINVALID, Message: "Nombre de présents invalide.",
			Fields: map[string]string{"attendance": fmt.Sprintf("un nombre entier entre 0 et %d", surveys.MaxAttendance)}}
	}
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, err
	}
	return s.Store.SetAttendance(c.Request.Context(), w.ID, n)
}

func (s *server) apiSetAttendance(c *gin.Context) {
	var req attendanceRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.setAttendance(c, req.Attendance)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

func (s *server) setAttendancePage(c *gin.Context) {
	n, err := strconv.Atoi(strings.TrimSpace(c.PostForm("attendance")))
	if err != nil {
		n = -1
	}
	w, err := s.setAttendance(c, n)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID)
}
