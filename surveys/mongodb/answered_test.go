package mongodb_test

import (
	"context"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb/mongotest"
)

// HasResponse follows answers in, through resends, imports, deletion and
// purges: a phone is thanked instead of shown the form only when its
// pupil's answer is stored.
func TestHasResponseFollowsAnswers(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	has := func(w string, p surveys.Phase, who string) bool {
		t.Helper()
		ok, err := s.HasResponse(ctx, w, p, who)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	r := &surveys.Response{SubmissionID: "s1", WorkshopID: "w1", Phase: surveys.PhasePre, Participant: "p1", Answers: map[string]any{"q": 1}}
	if has("w1", surveys.PhasePre, "p1") {
		t.Fatal("answered before any answer")
	}
	if created, err := s.AddResponse(ctx, r); err != nil || !created {
		t.Fatalf("AddResponse = %v, %v", created, err)
	}
	if !has("w1", surveys.PhasePre, "p1") || has("w1", surveys.PhasePost, "p1") || has("w1", surveys.PhasePre, "p2") || has("w2", surveys.PhasePre, "p1") {
		t.Error("HasResponse does not match exactly the stored workshop, phase and participant")
	}
	again := *r
	if created, err := s.AddResponse(ctx, &again); err != nil || created {
		t.Fatalf("resend: AddResponse = %v, %v; want stored once", created, err)
	}
	old := &surveys.Response{SubmissionID: "s2", WorkshopID: "w2", Phase: surveys.PhasePost, Participant: "p9",
		Answers: map[string]any{"q": 2}, CreatedAt: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)}
	if err := s.ImportResponses(ctx, []*surveys.Response{old}); err != nil {
		t.Fatal(err)
	}
	if !has("w2", surveys.PhasePost, "p9") {
		t.Error("an imported answer is not seen")
	}
	if n, err := s.PurgeResponses(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	if has("w2", surveys.PhasePost, "p9") {
		t.Error("a purged answer is still seen")
	}
	if _, err := s.DeleteResponses(ctx, "w1"); err != nil {
		t.Fatal(err)
	}
	if has("w1", surveys.PhasePre, "p1") {
		t.Error("a deleted workshop's answer is still seen")
	}
}
