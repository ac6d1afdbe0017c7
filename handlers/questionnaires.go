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

// questionnaireToChange loads a questionnaire the current user may change
// (Questionnaire.EditableBy): one they cannot see does not exist, one they
// see but do not own is 403 with the way out, a copy.
func (s *server) questionnaireToChange(c *gin.Context, id string) (*surveys.Questionnaire, error) {
	q, err := s.questionnaireFor(c, id)
	if err != nil {
		return nil, err
	}
	if !q.EditableBy(currentUser(c)) {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "Ce questionnaire n'est pas le vôtre : seuls son auteur, un·e responsable ou un·e administrateur·rice peuvent le modifier ou le supprimer. Vous pouvez en faire une copie (« Copier » dans la liste des questionnaires).")
	}
	return q, nil
}

// saveQuestionnaire stores an edited definition of questionnaire id: in
// place while no workshop has used it (or when it only adds
// translations), else as a new version of its family, which workshops
// started later use. A built-in questionnaire always gets a new version.
func (s *server) saveQuestionnaire(c *gin.Context, id string, q *surveys.Questionnaire) (newVersion bool, err error) {
	ctx := c.Request.Context()
	prev, err := s.questionnaireToChange(c, id)
	if err != nil {
		return false, err
	}
	// Who the result belongs to, and who sees it. A version of the
	// library is its editor's: the organisation's (shared) when a manager
	// or admin made it, else the facilitator's own, so that everyone
	// else is still offered the library's. Any other questionnaire keeps
	// its author and its sharing, whoever edits it: a manager correcting
	// a facilitator's private questionnaire does not publish it.
	u := currentUser(c)
	owner := u.ID
	if prev.Builtin {
		q.Shared = u.Role.SeesAll()
	} else {
		q.Shared = prev.Shared || q.Shared && prev.OwnerID == u.ID
		if prev.OwnerID != "" {
			owner = prev.OwnerID
		}
		q.ID = prev.ID
		err = s.Store.UpdateQuestionnaire(ctx, q)
		if surveys.ErrorCode(err) != surveys.ECONFLICT {
			return false, err
		}
	}
	q.OwnerID = owner
	if err := s.Store.CreateQuestionnaireVersion(ctx, prev.ID, q); err != nil {
		return false, err
	}
	s.Logger.Info("questionnaire version created", "questionnaire", q.ID, "from", prev.ID, "by", u.ID)
	return true, nil
}

// deleteQuestionnaire deletes a questionnaire version no workshop used.
func (s *server) deleteQuestionnaire(c *gin.Context, id string) error {
	if _, err := s.questionnaireToChange(c, id); err != nil {
		return err
	}
	if err := s.Store.DeleteQuestionnaire(c.Request.Context(), id); err != nil {
		return err
	}
	s.Logger.Info("questionnaire deleted", "questionnaire", id, "by", currentUser(c).ID)
	return nil
}
