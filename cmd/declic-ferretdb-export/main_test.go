package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/sqlite"
)

// TestExportOldFolder writes documents the way the FerretDB store of
// earlier versions did, exports them, restores the dump into the SQLite
// store and finds the same workshop, answers and pairs.
func TestExportOldFolder(t *testing.T) {
	data := t.TempDir()
	if err := os.Mkdir(filepath.Join(data, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	uri, stop, err := startFerretDB(filepath.Join(data, "db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	db := client.Database("declic")
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	insert := func(coll string, docs ...any) {
		t.Helper()
		if _, err := db.Collection(coll).InsertMany(ctx, docs); err != nil {
			t.Fatalf("insert %s: %v", coll, err)
		}
	}
	insert("users", bson.M{"_id": "u1", "email": "admin@example.org", "role": "admin", "password_hash": "$2a$10$abcdefghijklmnopqrstuv", "disabled": false, "must_change_password": false, "created_at": created})
	insert("questionnaires", bson.M{"_id": "q-old", "title": "Ancien", "language": "fr", "builtin": false, "owner_id": "u1", "created_at": created,
		"items": bson.A{
			bson.M{"key": "l1", "type": "likert", "text": "Avis", "scale": bson.M{"min": int32(1), "max": int32(5), "labels": bson.A{"Non", "", "", "", "Oui"}}},
			bson.M{"key": "k1", "type": "quiz", "text": "Quiz", "options": bson.A{bson.M{"value": "a", "label": "A"}, bson.M{"value": "b", "label": "B"}}, "correct": "b"},
			bson.M{"key": "c1", "type": "choice", "text": "Choix", "multiple": true, "options": bson.A{bson.M{"value": "a", "label": "A"}, bson.M{"value": "b", "label": "B"}}, "required": false},
			bson.M{"key": "t1", "type": "text", "text": "Mots", "phases": bson.A{"post"}},
			bson.M{"key": "r1", "type": "retro", "text": "Avant/après", "scale": bson.M{"min": int32(1), "max": int32(5)}, "phases": bson.A{"post"}},
		}})
	insert("workshops", bson.M{"_id": "w1", "code": "ABC234", "questionnaire_id": "q-old", "title": "Atelier", "date": "2026-03-01", "partner": "Collège",
		"group": "4e", "tags": bson.A{"odd"}, "phase": "closed", "owner_id": "u1", "created_at": created, "updated_at": created})
	var rs []any
	for i, p := range []string{"p1", "p2", "p3", "p4", "p5", "p6"} {
		rs = append(rs, bson.M{"_id": "pre-" + p, "submission_id": "pre-" + p, "workshop_id": "w1", "phase": "pre", "participant": p,
			"answers": bson.M{"l1": int32(2), "k1": "a", "c1": bson.A{"a"}}, "created_at": created})
		rs = append(rs, bson.M{"_id": "post-" + p, "submission_id": "post-" + p, "workshop_id": "w1", "phase": "post", "participant": p,
			"answers": bson.M{"l1": int64(4), "k1": "b", "t1": "merci " + p, "r1": bson.M{"before": int32(1), "now": int32(3 + i%2)}}, "created_at": created.Add(time.Hour)})
	}
	insert("responses", rs...)
	client.Disconnect(ctx)
	stop()

	var dump, logs bytes.Buffer
	if err := run(ctx, []string{"-data", data}, &dump, &logs); err != nil {
		t.Fatalf("export: %v (%s)", err, logs.String())
	}
	if !strings.Contains(logs.String(), "12 answers") {
		t.Errorf("export says %q, want 12 answers", logs.String())
	}
	st, err := sqlite.Open(ctx, sqlite.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := export.Restore(ctx, &dump, st)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if rep.Users != 1 || rep.Workshops != 1 || rep.Responses != 12 {
		t.Errorf("restored %+v", rep)
	}
	q, err := st.Questionnaire(ctx, "q-old")
	if err != nil {
		t.Fatal(err)
	}
	b := surveys.NewResultsBuilder(q)
	b.CollectTexts = true
	st.EachResponse(ctx, []string{"w1"}, func(r *surveys.Response) error { b.Add(r); return nil })
	res := b.Results()
	if res.NPaired != 6 || res.Items[0].Paired.MeanDiff == nil || *res.Items[0].Paired.MeanDiff != 2 || len(res.Texts) != 1 || len(res.Texts[0].Answers) != 6 {
		t.Errorf("results after the move: paired %d, l1 %+v, texts %+v", res.NPaired, res.Items[0].Paired, res.Texts)
	}
}

func TestExportNeedsAnOldFolder(t *testing.T) {
	var out, logs bytes.Buffer
	if err := run(context.Background(), []string{"-data", t.TempDir()}, &out, &logs); err == nil || !strings.Contains(err.Error(), "sqlite") {
		t.Errorf("export of an empty folder: %v, want an error naming the missing files", err)
	}
}
