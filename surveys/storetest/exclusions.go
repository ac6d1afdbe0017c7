package storetest

import (
	"time"

	"declic/surveys"
)

func testSetExcluded(e *env) {
	t := e.t
	q := e.questionnaire("")
	w, other := e.workshop(q, nil), e.workshop(q, nil)
	r := response(w, "ex-1", surveys.PhasePre, 1)
	e.add(r)
	e.add(response(w, "ex-2", surveys.PhasePost, 2))
	v := e.version(w.ID)

	ex := &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, Reason: "Réponses au hasard", UserID: "u1"}
	changed, err := e.s.SetExcluded(e.ctx, ex)
	must(t, err)
	if !changed || !ex.At.Equal(start) {
		t.Errorf("SetExcluded = %v, at %v; want a change at %v (the store's clock)", changed, ex.At, start)
	}
	if got := e.version(w.ID); got <= v {
		t.Errorf("version after an exclusion = %d, want more than %d", got, v)
	}
	excluded := map[string]bool{}
	for _, s := range e.collect(w.ID) {
		excluded[s.ID] = s.Excluded
	}
	if !excluded[r.ID] || len(excluded) != 2 {
		t.Errorf("stored exclusions = %v, want only %s excluded", excluded, r.ID)
	}

	// The same change again: nothing changes, nothing is recorded.
	v = e.version(w.ID)
	changed, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, Reason: "Encore", UserID: "u2"})
	must(t, err)
	if changed || e.version(w.ID) != v {
		t.Errorf("excluding twice: changed %v, version %d → %d; want no change", changed, v, e.version(w.ID))
	}

	// Restored later, by someone else, without a reason.
	e.clock.Advance(90 * time.Minute)
	changed, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, UserID: "u2"})
	must(t, err)
	if !changed {
		t.Error("restoring: changed = false, want true")
	}
	for _, s := range e.collect(w.ID) {
		if s.Excluded {
			t.Errorf("after the restore, %s is still excluded", s.ID)
		}
	}
	trail, err := e.s.Exclusions(e.ctx, w.ID)
	must(t, err)
	want := []surveys.Exclusion{
		{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, Reason: "Réponses au hasard", UserID: "u1", At: start},
		{WorkshopID: w.ID, ResponseID: r.ID, Excluded: false, Reason: "", UserID: "u2", At: start.Add(90 * time.Minute)},
	}
	if len(trail) != len(want) {
		t.Fatalf("Exclusions = %d records, want %d", len(trail), len(want))
	}
	for i := range want {
		if g := *trail[i]; g.WorkshopID != want[i].WorkshopID || g.ResponseID != want[i].ResponseID || g.Excluded != want[i].Excluded ||
			g.Reason != want[i].Reason || g.UserID != want[i].UserID || !g.At.Equal(want[i].At) {
			t.Errorf("record %d = %+v, want %+v", i, g, want[i])
		}
	}
	if list, err := e.s.Exclusions(e.ctx, other.ID); err != nil || len(list) != 0 || list == nil {
		t.Errorf("Exclusions of a workshop without any = %v, %v; want an empty list", list, err)
	}

	// Another workshop's response, an unknown one, a bad reason.
	_, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: other.ID, ResponseID: r.ID, Excluded: true, Reason: "x", UserID: "u1"})
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: "nope", Excluded: true, Reason: "x", UserID: "u1"})
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, UserID: "u1"})
	wantCode(t, err, surveys.EINVALID)

	// The trail goes with the workshop.
	must(t, e.s.DeleteWorkshop(e.ctx, w.ID))
	if list, err := e.s.Exclusions(e.ctx, w.ID); err != nil || len(list) != 0 {
		t.Errorf("Exclusions of a deleted workshop = %v, %v; want none", list, err)
	}
}

// A purged response takes its exclusions with it; the others stay.
func testPurgeExclusions(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	old, recent := response(w, "old", surveys.PhasePre, 1), response(w, "recent", surveys.PhasePre, 2)
	old.Day, recent.Day = "2025-01-01", "2025-09-01"
	must(t, e.s.ImportResponses(e.ctx, []*surveys.Response{old, recent}))
	for _, r := range []*surveys.Response{old, recent} {
		_, err := e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, Reason: "test", UserID: "u"})
		must(t, err)
	}
	_, err := e.s.PurgeResponses(e.ctx, "2025-06-01")
	must(t, err)
	trail, err := e.s.Exclusions(e.ctx, w.ID)
	must(t, err)
	if len(trail) != 1 || trail[0].ResponseID != recent.ID {
		t.Errorf("after the purge, Exclusions = %+v; want only the recent response's", trail)
	}
}
