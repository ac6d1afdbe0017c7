package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"declic/surveys"
)

// declic demo fills an empty store with workshops whose reports show
// change, drop-out and free text; it refuses a store with workshops.
func TestDemoFillsAnEmptyStore(t *testing.T) {
	ts := mustOpenMain(t)
	ctx := context.Background()
	var out bytes.Buffer
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if err := fillDemo(ctx, ts.Main, now, &out); err != nil {
		t.Fatalf("fillDemo: %v", err)
	}
	ws, err := ts.Store.Workshops(ctx, surveys.WorkshopFilter{})
	if err != nil || len(ws) != 12 {
		t.Fatalf("%d workshops, %v; want 12", len(ws), err)
	}
	partners, tags := map[string]bool{}, map[string]bool{}
	for _, w := range ws {
		partners[w.Partner] = true
		for _, tag := range w.Tags {
			tags[tag] = true
		}
		if w.Date < "2026-08-24" || w.Date > "2026-11-24" {
			t.Errorf("workshop on %s, want within the last three months", w.Date)
		}
	}
	if len(partners) < 4 || len(tags) < 4 {
		t.Errorf("%d partners, %d tags; want several of each", len(partners), len(tags))
	}
	token := ts.token(t)
	for _, qid := range []string{"odd-v1", "interculturalite-v1", "droits-enfant-v1"} {
		var rep struct {
			NPre       int `json:"n_pre"`
			NPost      int `json:"n_post"`
			NPaired    int `json:"n_paired"`
			Breakdowns []struct{ Key string }
			Items      []struct {
				Paired struct {
					MeanDiff *float64 `json:"mean_diff"`
				}
			}
		}
		if status := ts.do(t, token, "GET", "/api/v1/reports?questionnaire_id="+qid, nil, &rep); status != http.StatusOK {
			t.Fatalf("report %s: %d", qid, status)
		}
		if rep.NPaired < 20 || rep.NPaired >= rep.NPre || rep.NPaired >= rep.NPost || len(rep.Breakdowns) != 2 {
			t.Errorf("%s: pre %d post %d paired %d, %d breakdowns; want pairs with drop-out on both sides and age/genre", qid, rep.NPre, rep.NPost, rep.NPaired, len(rep.Breakdowns))
		}
		if d := rep.Items[0].Paired.MeanDiff; d == nil || *d <= 0 {
			t.Errorf("%s: first item mean change %v, want some progress", qid, d)
		}
	}
	var res struct{ Texts []struct{ Answers []any } }
	ts.do(t, token, "GET", "/api/v1/workshops/"+ws[0].ID+"/results", nil, &res)
	if len(res.Texts) == 0 || len(res.Texts[0].Answers) == 0 {
		t.Errorf("no free text in the newest demo workshop: %+v", res.Texts)
	}
	// The workshops on the second versions show the response shift: looking
	// back, pupils rate their start below what they said at the start.
	shifts := 0
	for _, w := range ws {
		if !strings.HasSuffix(w.QuestionnaireID, "-v2") {
			continue
		}
		var res struct {
			Items []struct {
				Key           string
				ResponseShift *struct {
					Paired struct {
						N        int
						MeanDiff *float64 `json:"mean_diff"`
					}
				} `json:"response_shift"`
			}
		}
		ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &res)
		for _, it := range res.Items {
			if rs := it.ResponseShift; rs != nil && rs.Paired.N >= 5 && rs.Paired.MeanDiff != nil && *rs.Paired.MeanDiff < 0 {
				shifts++
			}
		}
	}
	if shifts < 2 {
		t.Errorf("%d demo workshops show a response shift, want the two on the second versions", shifts)
	}
	if err := fillDemo(ctx, ts.Main, now, &out); err == nil || !strings.Contains(err.Error(), "déjà des ateliers") {
		t.Errorf("second fill: %v, want refused", err)
	}
}
