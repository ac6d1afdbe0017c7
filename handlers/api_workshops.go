package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type workshopRequest struct {
	QuestionnaireID string   `json:"questionnaire_id"`
	Title           string   `json:"title"`
	Date            string   `json:"date"`
	Partner         string   `json:"partner"`
	Group           string   `json:"group"`
	Place           string   `json:"place"`
	Attendance      int      `json:"attendance"`
	Tags            []string `json:"tags"`
}

// links are the addresses a workshop is reached at.
type links struct {
	FormURL  string `json:"form_url"`
	QRPNGURL string `json:"qr_png_url"`
	QRSVGURL string `json:"qr_svg_url"`
}

type workshopView struct {
	*surveys.Workshop
	links
	Counts map[surveys.Phase]int `json:"counts,omitempty"`
}

// baseURL is DECLIC_BASE_URL, or else the address the request came to.
func (s *server) baseURL(c *gin.Context) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/")
	}
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

func (s *server) linksOf(c *gin.Context, w *surveys.Workshop) links {
	base := s.baseURL(c)
	return links{
		FormURL:  base + "/f/" + w.Code,
		QRPNGURL: base + "/api/v1/workshops/" + w.ID + "/qr.png",
		QRSVGURL: base + "/api/v1/workshops/" + w.ID + "/qr.svg",
	}
}

// createWorkshop validates and stores a workshop for the current user.
func (s *server) createWorkshop(c *gin.Context, req workshopRequest) (*surveys.Workshop, error) {
	w := &surveys.Workshop{
		QuestionnaireID: strings.TrimSpace(req.QuestionnaireID), Title: req.Title, Date: req.Date,
		Partner: req.Partner, Group: req.Group, Place: req.Place, Tags: req.Tags, Attendance: req.Attendance,
		Phase: surveys.PhaseClosed, OwnerID: currentUser(c).ID,
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID); err != nil {
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "L'atelier n'est pas valide.",
				Fields: map[string]string{"questionnaire_id": "questionnaire inconnu"}}
		}
		return nil, err
	}
	if err := s.Store.CreateWorkshop(c.Request.Context(), w); err != nil {
		return nil, err
	}
	return w, nil
}

func (s *server) apiCreateWorkshop(c *gin.Context) {
	var req workshopRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.createWorkshop(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

func (s *server) apiWorkshop(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w), Counts: counts})
}

// workshopFilter reads the list filters and scopes facilitators to their own.
func workshopFilter(c *gin.Context) (surveys.WorkshopFilter, error) {
	f := surveys.WorkshopFilter{From: c.Query("from"), To: c.Query("to"), Tag: strings.ToLower(strings.TrimSpace(c.Query("tag"))), Partner: c.Query("partner")}
	bad := map[string]string{}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if v != "" && !validDate(v) {
			bad[name] = "date attendue au format AAAA-MM-JJ"
		}
	}
	if len(bad) > 0 {
		return f, &surveys.Error{Code: surveys.EINVALID, Message: "Filtre invalide.", Fields: bad}
	}
	if u := currentUser(c); !u.Role.SeesAll() {
		f.OwnerID = u.ID
	}
	return f, nil
}

func (s *server) apiListWorkshops(c *gin.Context) {
	f, err := workshopFilter(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	ws, err := s.Store.Workshops(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := make([]workshopView, len(ws))
	for i, w := range ws {
		out[i] = workshopView{Workshop: w, links: s.linksOf(c, w)}
	}
	c.JSON(http.StatusOK, gin.H{"workshops": out})
}

type phaseRequest struct {
	Phase string `json:"phase"`
}

// setPhase opens or closes a phase of a workshop the user may see.
func (s *server) setPhase(c *gin.Context, phase string) (*surveys.Workshop, error) {
	p, err := surveys.ParsePhase(phase)
	if err != nil {
		return nil, err
	}
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, err
	}
	return s.Store.SetPhase(c.Request.Context(), w.ID, p)
}

func (s *server) apiSetPhase(c *gin.Context) {
	var req phaseRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	w, err := s.setPhase(c, req.Phase)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}

// results computes a workshop's results, streaming its responses.
func (s *server) results(c *gin.Context, w *surveys.Workshop, texts bool) (*surveys.Questionnaire, *surveys.Results, error) {
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	b := surveys.NewResultsBuilder(q)
	b.CollectTexts = texts
	err = s.Store.EachResponse(c.Request.Context(), []string{w.ID}, func(r *surveys.Response) error {
		b.Add(r)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return q, b.Results(), nil
}

func (s *server) apiResults(c *gin.Context) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	_, res, err := s.results(c, w, c.Query("texts") != "0")
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
