package handlers

import (
	"declic/surveys"

	"github.com/gin-gonic/gin"
)

// createQuestionnaire parses a JSON or YAML definition and stores it,
// shared with every account when the definition or share says so, or
// when a manager or admin makes it (the organisation's questionnaires; a
// facilitator's own stay theirs unless shared).
func (s *server) createQuestionnaire(c *gin.Context, body []byte, share bool) (*surveys.Questionnaire, error) {
	q, err := surveys.ParseDefinition(body)
	if err != nil {
		return nil, err
	}
	q.OwnerID = currentUser(c).ID
	q.Shared = q.Shared || share || currentUser(c).Role.SeesAll()
	if err := s.Store.CreateQuestionnaire(c.Request.Context(), q); err != nil {
		return nil, err
	}
	return q, nil
}

// questionnairesFor lists the questionnaires the current user may see.
func (s *server) questionnairesFor(c *gin.Context) ([]*surveys.Questionnaire, error) {
	qs, err := s.Store.Questionnaires(c.Request.Context())
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	out := qs[:0]
	for _, q := range qs {
		if q.VisibleTo(u) {
			out = append(out, q)
		}
	}
	return out, nil
}

// questionnaireFor loads a questionnaire the current user may see; to
// anyone else it does not exist.
func (s *server) questionnaireFor(c *gin.Context, id string) (*surveys.Questionnaire, error) {
	q, err := s.Store.Questionnaire(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !q.VisibleTo(currentUser(c)) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Questionnaire introuvable.")
	}
	return q, nil
}
