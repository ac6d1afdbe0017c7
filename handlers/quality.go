package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// qualityList is what the « Qualité des réponses » panel and
// GET /responses show: every response with its flags, never its code or
// its answers, and the phases with more answers than young people present.
type qualityList struct {
	Responses []surveys.ResponseQuality
	Surpluses []surveys.Surplus
}

// responseView is one response of a workshop as staff see it (GET
// /responses, the quality panel): the contract's fields and the audit
// trail of its exclusions.
type responseView struct {
	surveys.ResponseQuality
	History []exclusionView `json:"history,omitempty"`
}

// responseViews lists a workshop's responses, cached by its version as
// results are, each with its audit trail, and the phases with more
// responses than young people present.
func (s *server) responseViews(c *gin.Context, w *surveys.Workshop) ([]responseView, []surveys.Surplus, error) {
	ctx := c.Request.Context()
	q, err := s.Store.Questionnaire(ctx, w.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.qualityOf(ctx, q, []*surveys.Workshop{w})
	if err != nil {
		return nil, nil, err
	}
	history, err := s.exclusionHistory(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]responseView, len(list.Responses))
	for i, r := range list.Responses {
		out[i] = responseView{ResponseQuality: r, History: history[r.ID]}
	}
	return out, list.Surpluses, nil
}

// qualityOf lists the responses of workshops that used q, pairing each
// workshop on its own, cached by the workshops' versions.
func (s *server) qualityOf(ctx context.Context, q *surveys.Questionnaire, ws []*surveys.Workshop) (*qualityList, error) {
	ids, versions := workshopVersions(ws)
	key := versionKey("responses", []string{q.ID}, ids, versions)
	v, err := s.cache.get(key, func() (any, error) {
		b := surveys.NewResultsBuilder(q)
		b.ListResponses = true
		if err := s.addResponses(ctx, b, ws); err != nil {
			return nil, err
		}
		return &qualityList{Responses: b.Responses(), Surpluses: b.Surpluses()}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*qualityList), nil
}

// flags gives each listed response's flags by ID, for exports.
func (l *qualityList) flags() map[string][]surveys.Flag {
	out := make(map[string][]surveys.Flag, len(l.Responses))
	for _, r := range l.Responses {
		if len(r.Flags) > 0 {
			out[r.ID] = r.Flags
		}
	}
	return out
}

// exclusionView is one record of the audit trail as staff read it.
type exclusionView struct {
	Excluded bool      `json:"excluded"`
	Reason   string    `json:"reason"`
	UserID   string    `json:"user_id"`
	By       string    `json:"by"` // the staff member's e-mail
	At       time.Time `json:"at"`
}

// exclusionHistory reads a workshop's audit trail, by response, with the
// e-mail of who made each change.
func (s *server) exclusionHistory(ctx context.Context, workshopID string) (map[string][]exclusionView, error) {
	trail, err := s.Store.Exclusions(ctx, workshopID)
	if err != nil {
		return nil, err
	}
	emails := map[string]string{}
	out := map[string][]exclusionView{}
	for _, e := range trail {
		email, ok := emails[e.UserID]
		if !ok {
			if u, err := s.Store.User(ctx, e.UserID); err == nil {
				email = u.Email
			}
			emails[e.UserID] = email
		}
		out[e.ResponseID] = append(out[e.ResponseID], exclusionView{Excluded: e.Excluded, Reason: e.Reason, UserID: e.UserID, By: email, At: e.At})
	}
	return out, nil
}

// setExcluded excludes or restores one response of a workshop the user
// may run, recording who, when and why. Another facilitator's workshop is
// ENOTFOUND, as everywhere.
func (s *server) setExcluded(c *gin.Context, responseID string, excluded bool, reason string) (*surveys.Workshop, bool, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, false, err
	}
	e := &surveys.Exclusion{WorkshopID: w.ID, ResponseID: responseID, Excluded: excluded,
		Reason: strings.TrimSpace(reason), UserID: currentUser(c).ID}
	changed, err := s.Store.SetExcluded(c.Request.Context(), e)
	if err != nil {
		return nil, false, err
	}
	if changed {
		s.Logger.Info("response exclusion changed", "workshop", w.ID, "response", responseID, "excluded", excluded, "by", e.UserID)
		// Read back the new version, so the caller sees the change.
		if w, err = s.Store.Workshop(c.Request.Context(), w.ID); err != nil {
			return nil, false, err
		}
	}
	return w, changed, nil
}

// exclusionReasons are the reasons the panel offers, the first one that
// fits a response's flags being preselected so that one click excludes.
var exclusionReasons = []struct {
	Value string
	Flag  surveys.Flag
}{
	{"Réponse trop rapide pour avoir été lue", surveys.FlagTooFast},
	{"Même réponse à toutes les questions", surveys.FlagStraightLine},
	{"Réponse en trop : plus de réponses que de jeunes présents", surveys.FlagOverAttendance},
	{"Jeune absent ou hors du groupe", ""},
	{"Réponse donnée pour plaisanter", ""},
	{"Autre raison", ""},
}
