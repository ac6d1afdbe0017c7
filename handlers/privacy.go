package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// DefaultNotice is what the pupil form tells pupils about their data when
// DECLIC_NOTICE is not set: what is collected, why, and who sees it.
const DefaultNotice = "Ce questionnaire est anonyme : on ne te demande ni ton nom, ni ton adresse, " +
	"et ton code secret est transformé pour que personne ne puisse le relire. " +
	"On garde seulement tes réponses et le jour où tu les as données, " +
	"pour mesurer ce que l'atelier a changé. Seule l'équipe de l'association qui anime " +
	"l'atelier voit les réponses ; les résultats ne sont montrés qu'en chiffres d'ensemble."

// Notice is the short privacy notice shown under the pupil form.
type Notice struct {
	Text    string // DECLIC_NOTICE, or DefaultNotice
	Contact string // DECLIC_CONTACT: who to ask; empty means the facilitator
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

func (s *server) apiDeleteWorkshop(c *gin.Context) {
	w, n, err := s.deleteWorkshop(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": w.ID, "deleted": true, "responses_deleted": n})
}

// deleteWorkshopPage asks for confirmation first; only the confirmation
// form, which carries confirm=oui, deletes.
func (s *server) deleteWorkshopPage(c *gin.Context) {
	if c.PostForm("confirm") != "oui" {
		data, w, ok := s.workshopPageData(c)
		if !ok {
			return
		}
		counts, err := s.Store.CountResponses(c.Request.Context(), w.ID)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		data["Counts"] = map[string]int{"pre": counts[surveys.PhasePre], "post": counts[surveys.PhasePost]}
		s.render(c, http.StatusOK, "staff/delete_workshop", data)
		return
	}
	if _, _, err := s.deleteWorkshop(c); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app?supprime=1")
}
