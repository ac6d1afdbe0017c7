package handlers

import (
	"context"
	"strconv"
	"time"

	"declic/surveys"

	"github.com/gin-gonic/gin"
)

// record stores one submission after every check, and is idempotent on its
// submission ID: a retry, even after the phase closed, gets the same ID.
// check runs only when the phase is open.
func (s *server) record(ctx context.Context, w *surveys.Workshop, phase surveys.Phase, submissionID string,
	who surveys.Pseudonym, source surveys.Source, flags []surveys.Flag, check func() (surveys.Answers, error)) (*surveys.Response, bool, error) {
	if phase != surveys.PhasePre && phase != surveys.PhasePost {
		return nil, false, errPhaseClosed
	}
	if bad := surveys.ValidateSubmission(submissionID); len(bad) > 0 {
		return nil, false, &surveys.Error{Code: surveys.EINVALID, Message: "La soumission est incomplète.", Fields: bad}
	}
	if phase != w.Phase {
		prev, err := s.Store.ResponseBySubmission(ctx, submissionID)
		if err == nil && prev.WorkshopID == w.ID {
			return prev, false, nil
		}
		return nil, false, errPhaseClosed
	}
	answers, err := check()
	if err != nil {
		return nil, false, err
	}
	r := &surveys.Response{
		SubmissionID: submissionID, WorkshopID: w.ID, Phase: phase,
		Participant: who.Participant, CodeParts: who.CodeParts, Device: who.Device,
		Source: source, Flags: flags, Answers: answers,
	}
	created, err := s.Store.AddResponse(ctx, r)
	if err != nil {
		return nil, false, err
	}
	return r, created, nil
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

var errPhaseClosed = surveys.Errorf(surveys.EPHASECLOSED, "Ce questionnaire n'est pas ouvert en ce moment.")

// shownStamp is the signed time a form was shown, sent back with the
// answers so that a response sent faster than anyone can read is flagged.
// The time is never stored: only the flag is.
func (s *server) shownStamp() string {
	return s.Pseudo.Sign("shown", strconv.FormatInt(s.now().Unix(), 10))
}

// tooFast tells whether answers to n questions came back from a form shown
// at stamp too soon to have been read. A stamp that is missing or forged
// says nothing.
func (s *server) tooFast(stamp string, n int) bool {
	t, ok := s.Pseudo.Verify("shown", stamp)
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return false
	}
	elapsed := s.now().Sub(time.Unix(sec, 0))
	return elapsed >= 0 && elapsed < surveys.MinReadingTime(n)
}
