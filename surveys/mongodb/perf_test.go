package mongodb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"declic/surveys"
)

func openPerfStore(t *testing.T) (*Store, Config) {
	t.Helper()
	// mongotest.Config, which this package's own tests cannot import.
	b := make([]byte, 6)
	rand.Read(b)
	cfg := Config{URI: os.Getenv("TEST_MONGODB_URI"), DataDir: t.TempDir(), Database: "declic_test_" + hex.EncodeToString(b)}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if cfg.URI != "" {
			s.Drop(context.Background())
		}
		s.Close(context.Background())
	})
	return s, cfg
}

func perfWorkshop(t *testing.T, s *Store) *surveys.Workshop {
	t.Helper()
	ctx := context.Background()
	q := &surveys.Questionnaire{Title: "Q", Language: "fr", Items: []surveys.Item{
		{Key: "q1", Type: surveys.Likert, Text: "Affirmation", Scale: &surveys.Range{Min: 1, Max: 5}},
	}}
	if err := s.CreateQuestionnaire(ctx, q); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "Atelier", Date: "2026-03-12", Phase: surveys.PhaseClosed}
	if err := s.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	return w
}

// The workshop cache must never hide a phase change, a deletion or a code
// given to another workshop.
func TestWorkshopByCodeStaysFresh(t *testing.T) {
	s, _ := openPerfStore(t)
	ctx := context.Background()
	w := perfWorkshop(t, s)
	for _, p := range []surveys.Phase{surveys.PhasePre, surveys.PhasePost, surveys.PhaseClosed, surveys.PhasePre} {
		if _, err := s.SetPhase(ctx, w.ID, p); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second read is the cached one
			got, err := s.WorkshopByCode(ctx, strings.ToLower(w.Code))
			if err != nil {
				t.Fatal(err)
			}
			if got.Phase != p {
				t.Fatalf("after SetPhase(%s): WorkshopByCode phase = %s", p, got.Phase)
			}
		}
	}
	if _, err := s.workshops.DeleteOne(ctx, bson.D{{Key: "_id", Value: w.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WorkshopByCode(ctx, w.Code); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Fatalf("deleted workshop by code: err = %v, want not found", err)
	}
	// The code given again to a new workshop leads to the new one.
	other := *w
	other.ID, other.Title = newID(), "Autre atelier"
	if _, err := s.workshops.InsertOne(ctx, &other); err != nil {
		t.Fatal(err)
	}
	got, err := s.WorkshopByCode(ctx, w.Code)
	if err != nil || got.ID != other.ID {
		t.Fatalf("reused code: got %v, %v; want workshop %s", got, err, other.ID)
	}
}

// A read that started before a workshop write must not refill the cache
// with what it read.
func TestWorkshopCacheRefusesStaleFill(t *testing.T) {
	var c workshopCache
	w := &surveys.Workshop{ID: "w1", Code: "ABC234", Phase: surveys.PhasePre}
	_, gen := c.get("ABC234")
	c.writeStarted(7)
	c.put("ABC234", w, gen)
	if got, _ := c.get("ABC234"); got != nil {
		t.Fatal("cache filled by a read older than a write")
	}
	_, gen = c.get("ABC234")
	c.put("ABC234", w, gen) // while the write is in flight
	if got, _ := c.get("ABC234"); got != nil {
		t.Fatal("cache filled while a workshop write was in flight")
	}
	c.writeEnded(7)
	_, gen = c.get("ABC234")
	c.put("ABC234", w, gen)
	got, _ := c.get("ABC234")
	if got == nil || got.Phase != surveys.PhasePre {
		t.Fatalf("cache after the write answered = %v, want the workshop", got)
	}
	got.Phase = surveys.PhaseClosed
	if again, _ := c.get("ABC234"); again.Phase != surveys.PhasePre {
		t.Fatal("a caller's change leaked into the cache")
	}
}

func TestQuestionnaireCopies(t *testing.T) {
	s, _ := openPerfStore(t)
	ctx := context.Background()
	w := perfWorkshop(t, s)
	q1, err := s.Questionnaire(ctx, w.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	q1.Items[0].Text, q1.Title = "changé", "changé"
	q2, err := s.Questionnaire(ctx, w.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	if q2.Items[0].Text != "Affirmation" || q2.Title != "Q" {
		t.Errorf("second read = %q / %q, want the stored definition", q2.Title, q2.Items[0].Text)
	}
	if _, err := s.Questionnaire(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("unknown questionnaire: err = %v, want not found", err)
	}
}

// Responses stored before IDs were derived from submission IDs are still
// found, so their retries stay idempotent.
func TestResponseIDsDerivedAndLegacy(t *testing.T) {
	s, _ := openPerfStore(t)
	ctx := context.Background()
	w := perfWorkshop(t, s)
	r := &surveys.Response{SubmissionID: "sub-1", WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: "p", Answers: map[string]any{"q1": 3}}
	if created, err := s.AddResponse(ctx, r); err != nil || !created {
		t.Fatalf("AddResponse = %v, %v", created, err)
	}
	if r.ID != responseID("sub-1") {
		t.Errorf("ID = %q, want the one derived from the submission, %q", r.ID, responseID("sub-1"))
	}
	legacy := surveys.Response{ID: newID(), SubmissionID: "sub-old", WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: "p2", Answers: map[string]any{"q1": 2}}
	if _, err := s.responses.InsertOne(ctx, &legacy); err != nil {
		t.Fatal(err)
	}
	retry := &surveys.Response{SubmissionID: "sub-old", WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: "p2", Answers: map[string]any{"q1": 2}}
	if created, err := s.AddResponse(ctx, retry); err != nil || created || retry.ID != legacy.ID {
		t.Errorf("retry of a legacy submission = %v, %v, id %q; want false, nil, %q", created, err, retry.ID, legacy.ID)
	}
	if got, err := s.ResponseBySubmission(ctx, "sub-old"); err != nil || got.ID != legacy.ID {
		t.Errorf("ResponseBySubmission(legacy) = %v, %v", got, err)
	}
	n, err := s.responses.CountDocuments(ctx, bson.D{})
	if err != nil || n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}
}

// The embedded store answers a find by _id from an index, not a scan.
func TestEmbeddedFindsByIDThroughAnIndex(t *testing.T) {
	s, cfg := openPerfStore(t)
	if cfg.URI != "" {
		t.Skip("MongoDB indexes _id itself")
	}
	perfWorkshop(t, s)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(cfg.DataDir, "db", cfg.Database+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, coll := range []string{"responses", "workshops", "sessions"} {
		var table string
		if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
			t.Fatalf("table of %s: %v", coll, err)
		}
		var id, parent, unused int
		var plan string
		q := fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table)
		if err := db.QueryRow(q, `"x"`).Scan(&id, &parent, &unused, &plan); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "USING INDEX") {
			t.Errorf("%s: FerretDB's find by _id plans as %q, want an index search", coll, plan)
		}
	}
}
