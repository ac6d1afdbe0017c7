package mongodb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb"
	"declic/surveys/mongodb/mongotest"
)

func TestWorkshopsAndPhases(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	w := &surveys.Workshop{QuestionnaireID: "q", Title: "A", Date: "2026-03-01", Partner: "Collège", Tags: []string{"odd"}, Phase: surveys.PhaseClosed, OwnerID: "u1"}
	if err := s.CreateWorkshop(ctx, w); err != nil {
		t.Fatalf("CreateWorkshop: %v", err)
	}
	if w.ID == "" || len(w.Code) != 6 {
		t.Fatalf("workshop id %q code %q", w.ID, w.Code)
	}
	got, err := s.WorkshopByCode(ctx, " "+w.Code[:3]+"-"+w.Code[3:])
	if err != nil || got.ID != w.ID {
		t.Fatalf("WorkshopByCode = %v, %v", got, err)
	}
	if _, err := s.Workshop(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("Workshop(nope) err = %v, want not_found", err)
	}
	if _, err := s.SetPhase(ctx, "nope", surveys.PhasePre); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("SetPhase(nope) err = %v, want not_found", err)
	}
	up, err := s.SetPhase(ctx, w.ID, surveys.PhasePost)
	if err != nil || up.Phase != surveys.PhasePost {
		t.Fatalf("SetPhase = %v, %v", up, err)
	}
	w2 := &surveys.Workshop{QuestionnaireID: "q", Title: "B", Date: "2026-05-01", Partner: "Lycée", Tags: []string{"droits"}, OwnerID: "u2"}
	if err := s.CreateWorkshop(ctx, w2); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f    surveys.WorkshopFilter
		want []string
	}{
		{surveys.WorkshopFilter{}, []string{"B", "A"}},
		{surveys.WorkshopFilter{From: "2026-04-01"}, []string{"B"}},
		{surveys.WorkshopFilter{To: "2026-03-01"}, []string{"A"}},
		{surveys.WorkshopFilter{Tag: "odd"}, []string{"A"}},
		{surveys.WorkshopFilter{Partner: "Lycée"}, []string{"B"}},
		{surveys.WorkshopFilter{OwnerID: "u2"}, []string{"B"}},
		{surveys.WorkshopFilter{Tag: "none"}, nil},
	}
	for _, tt := range tests {
		ws, err := s.Workshops(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range ws {
			got = append(got, w.Title)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("Workshops(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

// Concurrent retries of one submission store it once and all get its ID.
func TestAddResponseIsIdempotent(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make([]string, 8)
	created := make([]bool, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &surveys.Response{SubmissionID: "sub-1", WorkshopID: "w", Phase: surveys.PhasePre, Participant: "p", Answers: map[string]any{"q": 3}}
			c, err := s.AddResponse(ctx, r)
			if err != nil {
				t.Errorf("AddResponse: %v", err)
			}
			ids[i], created[i] = r.ID, c
		}()
	}
	wg.Wait()
	n := 0
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("ids differ: %v", ids)
		}
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d inserts reported created, want 1", n)
	}
	counts, err := s.CountResponses(ctx, "w")
	if err != nil || counts[surveys.PhasePre] != 1 || counts[surveys.PhasePost] != 0 {
		t.Errorf("CountResponses = %v, %v; want pre 1 post 0", counts, err)
	}
	other := &surveys.Response{SubmissionID: "sub-1", WorkshopID: "w2", Phase: surveys.PhasePre, Participant: "p"}
	if _, err := s.AddResponse(ctx, other); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("same submission in another workshop: err = %v, want conflict", err)
	}
}

func TestEachResponseStreamsSelectedWorkshops(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	for i, w := range []string{"w1", "w1", "w2", "w3"} {
		r := &surveys.Response{SubmissionID: string(rune('a' + i)), WorkshopID: w, Phase: surveys.PhasePost, Participant: "p",
			Answers: map[string]any{"l": 4, "k": "b", "c": []string{"x", "y"}, "t": "mots"}}
		if _, err := s.AddResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	var got []*surveys.Response
	err := s.EachResponse(ctx, []string{"w1", "w3"}, func(r *surveys.Response) error { got = append(got, r); return nil })
	if err != nil || len(got) != 3 {
		t.Fatalf("EachResponse = %d responses, %v; want 3", len(got), err)
	}
	// Answers come back in BSON types that scoring understands.
	it := surveys.Item{Type: surveys.Likert, Scale: &surveys.Range{Min: 1, Max: 5}}
	if v, ok := it.Score(got[0].Answers["l"]); !ok || v != 4 {
		t.Errorf("score of stored likert %T %v = %v, %v", got[0].Answers["l"], got[0].Answers["l"], v, ok)
	}
}

func TestUsersAndSessions(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	u := &surveys.User{Email: "a@example.org", Role: surveys.RoleAdmin, PasswordHash: "h"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &surveys.User{Email: "a@example.org"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("duplicate e-mail err = %v, want conflict", err)
	}
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Errorf("CountUsers = %d, want 1", n)
	}
	now := time.Now().UTC()
	s.Now = func() time.Time { return now }
	if err := s.CreateSession(ctx, &surveys.Session{ID: "h1", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session(ctx, "h1"); err != nil || got.UserID != u.ID {
		t.Errorf("Session = %v, %v", got, err)
	}
	s.Now = func() time.Time { return now.Add(2 * time.Hour) }
	if _, err := s.Session(ctx, "h1"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("expired session err = %v, want not_found", err)
	}
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Error(err)
	}
}

// The embedded store reopens its own folder: every restart does this.
func TestReopenEmbeddedStore(t *testing.T) {
	cfg := mongotest.Config(t)
	if cfg.URI != "" {
		t.Skip("embedded store only")
	}
	ctx := context.Background()
	for i := range 2 {
		s, err := mongodb.Open(ctx, cfg)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		r := &surveys.Response{SubmissionID: fmt.Sprint("s", i), WorkshopID: "w", Phase: surveys.PhasePre, Participant: "p"}
		if _, err := s.AddResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		counts, err := s.CountResponses(ctx, "w")
		if err != nil || counts[surveys.PhasePre] != i+1 {
			t.Errorf("open #%d: counts = %v, %v; want pre %d", i+1, counts, err, i+1)
		}
		s.Close(ctx)
	}
}
