package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// record stores one submission after every check, and is idempotent on its
// submission ID: a retry, even after the phase closed, gets the same ID.
func (s *server) record(ctx context.Context, w *surveys.Workshop, q *surveys.Questionnaire, phase surveys.Phase,
	submissionID, participant string, check func() (map[string]any, error)) (*surveys.Response, bool, error) {
	if phase != surveys.PhasePre && phase != surveys.PhasePost {
		return nil, false, surveys.Errorf(surveys.EPHASECLOSED, "Ce questionnaire n'est pas ouvert en ce moment.")
	}
	if bad := surveys.ValidateSubmission(submissionID, participant); len(bad) > 0 {
		return nil, false, &surveys.Error{Code: surveys.EINVALID, Message: "La soumission est incomplète.", Fields: bad}
	}
	if phase != w.Phase {
		prev, err := s.Store.ResponseBySubmission(ctx, submissionID)
		if err == nil && prev.WorkshopID == w.ID {
			return prev, false, nil
		}
		return nil, false, surveys.Errorf(surveys.EPHASECLOSED, "Ce questionnaire n'est pas ouvert en ce moment.")
	}
	answers, err := check()
	if err != nil {
		return nil, false, err
	}
	r := &surveys.Response{
		SubmissionID: submissionID, WorkshopID: w.ID, Phase: phase,
		Participant: s.Pseudo.Participant(w.ID, participant), Answers: answers,
	}
	created, err := s.Store.AddResponse(ctx, r)
	if err != nil {
		return nil, false, err
	}
	return r, created, nil
}

type submissionRequest struct {
	SubmissionID string         `json:"submission_id"`
	Participant  string         `json:"participant"`
	Phase        string         `json:"phase"`
	Answers      map[string]any `json:"answers"`
}

// apiSubmit stores an answer. A store that is down or too slow gets a 503
// with Retry-After, never a 500: the client resends the same submission_id.
func (s *server) apiSubmit(c *gin.Context) {
	defer withStoreTimeout(c)()
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	var req submissionRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	phase, err := surveys.ParsePhase(req.Phase)
	if err != nil || phase == surveys.PhaseClosed {
		s.apiFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "Phase invalide.", Fields: map[string]string{"phase": "pre ou post"}})
		return
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	r, created, err := s.record(c.Request.Context(), w, q, phase, req.SubmissionID, req.Participant,
		func() (map[string]any, error) { return q.CheckAnswers(phase, req.Answers) })
	if err != nil {
		s.apiFail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, gin.H{"id": r.ID})
}

// withStoreTimeout bounds the store calls of the rest of the request to
// storeTimeout and returns the function that releases the timer.
func withStoreTimeout(c *gin.Context) context.CancelFunc {
	ctx, cancel := context.WithTimeout(c.Request.Context(), storeTimeout)
	c.Request = c.Request.WithContext(ctx)
	return cancel
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
