package handlers

import (
	"context"
	"declic/surveys"
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
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
	if s.Proxies.HTTPS(c.Request) {
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
	if err := w.CheckTyped("title", "partner", "group", "place", "tags"); err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	w.Partner, w.Tags = s.usualSpellings(c.Request.Context(), w.Partner, w.Tags)
	if _, err := s.questionnaireFor(c, w.QuestionnaireID); err != nil {
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

// results computes a workshop's results, streaming its responses.
func (s *server) results(c *gin.Context, w *surveys.Workshop, texts bool) (*surveys.Questionnaire, *surveys.Results, error) {
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	key := versionKey("results", []string{strconv.FormatBool(texts)}, []string{w.ID}, []int64{w.Version})
	v, err := s.cache.get(key, func() (any, error) {
		b := surveys.NewResultsBuilder(q)
		b.CollectTexts = texts
		if err := s.addResponses(c.Request.Context(), b, []*surveys.Workshop{w}); err != nil {
			return nil, err
		}
		return b.Results(), nil
	})
	if err != nil {
		return nil, nil, err
	}
	return q, v.(*surveys.Results), nil
}

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

// deleteWorkshop deletes a workshop, with its answers, for its owner, a
// manager or an admin.
// The workshop is closed first so no new answer arrives, and the answers
// are deleted before the workshop and again after it, so that an answer
// sent while it was being deleted is not left behind.
func (s *server) deleteWorkshop(c *gin.Context) (*surveys.Workshop, int64, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, 0, err
	}
	// A facilitator added to someone else's workshop may run it, not erase it.
	if u := currentUser(c); !u.Role.SeesAll() && w.OwnerID != u.ID {
		return nil, 0, surveys.Errorf(surveys.EFORBIDDEN, "Seuls la personne qui a créé l'atelier, les responsables et les admins peuvent le supprimer.")
	}
	ctx := c.Request.Context()
	if w.Phase != surveys.PhaseClosed {
		if _, err := s.Store.SetPhase(ctx, w.ID, surveys.PhaseClosed); err != nil {
			return nil, 0, err
		}
	}
	counts, err := s.Store.CountResponses(ctx, w.ID)
	if err != nil {
		return nil, 0, err
	}
	n := int64(counts[surveys.PhasePre] + counts[surveys.PhasePost])
	// Once started, finish even if the client went away.
	if err := s.Store.DeleteWorkshop(context.WithoutCancel(ctx), w.ID); err != nil {
		return nil, 0, err
	}
	s.Logger.Info("workshop deleted", "workshop", w.ID, "responses", n, "by", currentUser(c).ID)
	return w, n, nil
}
