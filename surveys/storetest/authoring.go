package storetest

import (
	"slices"
	"time"

	"declic/surveys"
)

// testUpdateWorkshop: a correction replaces what the facilitator typed,
// keeps the rest, bumps the version, and filters find the new values.
func testUpdateWorkshop(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, func(w *surveys.Workshop) { w.Place, w.Attendance = "Salle 3", 22 })
	e.add(response(w, "s1", surveys.PhasePre, 1))
	before := e.version(w.ID)
	e.clock.Advance(time.Hour)
	got, err := e.s.UpdateWorkshop(e.ctx, w.ID, surveys.WorkshopFields{
		Title: "Atelier corrigé", Date: "2026-04-02", Partner: "Lycée Pasteur", Group: "2nde C", Place: "",
		Tags: []string{"égalité", "climat"},
	})
	must(t, err)
	if got.Title != "Atelier corrigé" || got.Date != "2026-04-02" || got.Partner != "Lycée Pasteur" || got.Group != "2nde C" ||
		got.Place != "" || !slices.Equal(got.Tags, []string{"égalité", "climat"}) {
		t.Errorf("UpdateWorkshop = %+v, want the new fields", got)
	}
	if got.Version != before+1 || !got.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("version %d updated %v, want %d, %v", got.Version, got.UpdatedAt, before+1, e.clock.Now())
	}
	if got.Code != w.Code || got.QuestionnaireID != q.ID || got.Attendance != 22 || got.OwnerID != w.OwnerID || got.Phase != w.Phase {
		t.Errorf("UpdateWorkshop changed what it must keep: %+v", got)
	}
	read, err := e.s.Workshop(e.ctx, w.ID)
	must(t, err)
	if !sameWorkshop(read, got) {
		t.Errorf("Workshop = %+v, want %+v", read, got)
	}
	if n := len(e.collect(w.ID)); n != 1 {
		t.Errorf("%d responses after the correction, want 1", n)
	}
	for _, f := range []surveys.WorkshopFilter{{Partner: " lycee  PASTEUR"}, {Tag: "EGALITE"}, {From: "2026-04-01", To: "2026-04-30"}} {
		list, err := e.s.Workshops(e.ctx, f)
		must(t, err)
		if len(list) != 1 || list[0].ID != w.ID {
			t.Errorf("Workshops(%+v) = %d workshops, want the corrected one", f, len(list))
		}
	}
	for _, f := range []surveys.WorkshopFilter{{Partner: "Collège Jean Macé"}, {Tag: "odd"}} {
		list, err := e.s.Workshops(e.ctx, f)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("Workshops(%+v) still finds the old value", f)
		}
	}
	cleared, err := e.s.UpdateWorkshop(e.ctx, w.ID, surveys.WorkshopFields{Title: "Sans étiquette", Date: "2026-04-02"})
	must(t, err)
	if len(cleared.Tags) != 0 || cleared.Partner != "" {
		t.Errorf("cleared tags %v partner %q, want none", cleared.Tags, cleared.Partner)
	}
	_, err = e.s.UpdateWorkshop(e.ctx, "missing", surveys.WorkshopFields{Title: "x", Date: "2026-01-01"})
	wantCode(t, err, surveys.ENOTFOUND)
}
