package storetest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"declic/surveys"
)

// sameQuestionnaire compares definitions as the API shows them, plus the
// fields JSON leaves out.
func sameQuestionnaire(got, want *surveys.Questionnaire) bool {
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	return string(a) == string(b) && got.OwnerID == want.OwnerID && got.CreatedAt.Equal(want.CreatedAt)
}

func testQuestionnaires(e *env) {
	t := e.t
	q := newQuestionnaire(t, "")
	q.OwnerID = "u1"
	must(t, e.s.CreateQuestionnaire(e.ctx, q))
	if q.ID == "" {
		t.Fatal("CreateQuestionnaire left ID empty")
	}
	if !q.CreatedAt.Equal(start) {
		t.Errorf("CreatedAt = %v, want the store's clock %v", q.CreatedAt, start)
	}
	got, err := e.s.Questionnaire(e.ctx, q.ID)
	must(t, err)
	if !sameQuestionnaire(got, q) {
		t.Errorf("Questionnaire = %+v, want %+v", got, q)
	}
	if got.Title.String() != "Regards sur le monde" || got.Title.In("pt") != "Olhares sobre o mundo" {
		t.Errorf("translated title = %q / %q, want the French and Portuguese wordings", got.Title.String(), got.Title.In("pt"))
	}
	if it, ok := got.Item("r1"); !ok || !it.Retrospective() {
		t.Errorf("item r1 = %+v, want a retrospective item", it)
	}
	// A store may keep the definitions it read: what a caller changes in
	// its copy never reaches the next caller.
	for range 2 {
		got, err := e.s.Questionnaire(e.ctx, q.ID)
		must(t, err)
		got.Items[0].Key = "changed"
		if got.Items[0].Scale != nil {
			got.Items[0].Scale.Max = 99
		}
		if len(got.Scales) > 0 && len(got.Scales[0].Items) > 0 {
			got.Scales[0].Items[0] = "changed"
		}
	}
	again, err := e.s.Questionnaire(e.ctx, q.ID)
	must(t, err)
	if !sameQuestionnaire(again, q) {
		t.Errorf("Questionnaire after a caller changed its copy = %+v, want %+v", again, q)
	}
	_, err = e.s.Questionnaire(e.ctx, "missing")
	wantCode(t, err, surveys.ENOTFOUND)

	other := e.questionnaire("Autre regard")
	first := newQuestionnaire(t, "Zèbre intégré")
	first.ID, first.Builtin = "builtin-z", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, first))
	list, err := e.s.Questionnaires(e.ctx)
	must(t, err)
	var ids []string
	for _, q := range list {
		ids = append(ids, q.ID)
	}
	if want := []string{"builtin-z", other.ID, q.ID}; !slices.Equal(ids, want) {
		t.Errorf("Questionnaires = %v, want built-in first, then by title: %v", ids, want)
	}
}

func testEnsureQuestionnaire(e *env) {
	t := e.t
	q := newQuestionnaire(t, "Intégré v1")
	q.ID, q.Builtin = "lib-v1", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, q))
	again := newQuestionnaire(t, "Réécrit")
	again.ID, again.Builtin = "lib-v1", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, again))
	got, err := e.s.Questionnaire(e.ctx, "lib-v1")
	must(t, err)
	if got.Title.String() != "Intégré v1" || !got.Builtin {
		t.Errorf("after a second Ensure: title %q builtin %v, want the first one kept", got.Title.String(), got.Builtin)
	}
}

// sameWorkshop compares workshops, times by instant and nil slices as empty.
func sameWorkshop(got, want *surveys.Workshop) bool {
	g, w := *got, *want
	if !g.CreatedAt.Equal(w.CreatedAt) || !g.UpdatedAt.Equal(w.UpdatedAt) {
		return false
	}
	g.CreatedAt, g.UpdatedAt, w.CreatedAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	for _, s := range []*[]string{&g.Tags, &w.Tags, &g.Facilitators, &w.Facilitators} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	return reflect.DeepEqual(g, w)
}

func testCreateWorkshop(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, func(w *surveys.Workshop) {
		w.Place, w.Attendance, w.Facilitators = "Salle 12", 25, []string{"f1", "f2"}
		w.Tags = []string{"odd", "climat"}
	})
	if w.ID == "" || len(w.Code) != 6 {
		t.Fatalf("CreateWorkshop: ID %q code %q, want an ID and a 6-character code", w.ID, w.Code)
	}
	if w.Version != 1 || w.Phase != surveys.PhaseClosed || !w.CreatedAt.Equal(start) {
		t.Errorf("CreateWorkshop: version %d phase %q created %v, want 1, closed, %v", w.Version, w.Phase, w.CreatedAt, start)
	}
	got, err := e.s.Workshop(e.ctx, w.ID)
	must(t, err)
	if !sameWorkshop(got, w) {
		t.Errorf("Workshop = %+v, want %+v", got, w)
	}
	typed := strings.ToLower(w.Code[:3]) + "-" + strings.ToLower(w.Code[3:])
	got, err = e.s.WorkshopByCode(e.ctx, typed)
	must(t, err)
	if got.ID != w.ID {
		t.Errorf("WorkshopByCode(%q) = %s, want %s", typed, got.ID, w.ID)
	}
	_, err = e.s.Workshop(e.ctx, "missing")
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.WorkshopByCode(e.ctx, "ZZZZZZ")
	wantCode(t, err, surveys.ENOTFOUND)

	codes := map[string]bool{w.Code: true}
	for range 40 {
		o := e.workshop(q, nil)
		if codes[o.Code] {
			t.Fatalf("code %s given twice", o.Code)
		}
		codes[o.Code] = true
	}
}

func testWorkshopChanges(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	e.clock.Advance(time.Hour)
	got, err := e.s.SetPhase(e.ctx, w.ID, surveys.PhasePre)
	must(t, err)
	if got.Phase != surveys.PhasePre || got.Version != 2 || !got.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("SetPhase: phase %q version %d updated %v, want pre, 2, %v", got.Phase, got.Version, got.UpdatedAt, e.clock.Now())
	}
	got, err = e.s.SetAttendance(e.ctx, w.ID, 28)
	must(t, err)
	if got.Attendance != 28 || got.Version != 3 {
		t.Errorf("SetAttendance: attendance %d version %d, want 28, 3", got.Attendance, got.Version)
	}
	got, err = e.s.SetFacilitators(e.ctx, w.ID, []string{"a", "b"})
	must(t, err)
	if !slices.Equal(got.Facilitators, []string{"a", "b"}) || got.Version != 4 {
		t.Errorf("SetFacilitators: %v version %d, want [a b], 4", got.Facilitators, got.Version)
	}
	got, err = e.s.SetFacilitators(e.ctx, w.ID, []string{"c"})
	must(t, err)
	if !slices.Equal(got.Facilitators, []string{"c"}) {
		t.Errorf("SetFacilitators replaced: %v, want [c]", got.Facilitators)
	}
	read, err := e.s.Workshop(e.ctx, w.ID)
	must(t, err)
	if !sameWorkshop(read, got) {
		t.Errorf("Workshop after changes = %+v, want %+v", read, got)
	}
	_, err = e.s.SetPhase(e.ctx, "missing", surveys.PhasePost)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.SetAttendance(e.ctx, "missing", 3)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.SetFacilitators(e.ctx, "missing", nil)
	wantCode(t, err, surveys.ENOTFOUND)
}

func testWorkshopFilters(e *env) {
	t := e.t
	q1, q2 := e.questionnaire("Un"), e.questionnaire("Deux")
	a := e.workshop(q1, func(w *surveys.Workshop) {
		w.Date, w.Partner, w.Tags, w.OwnerID = "2026-01-05", "Collège Jean Macé", []string{"ODD", "Égalité filles garçons"}, "u1"
	})
	e.clock.Advance(time.Second) // b and d share a date: the later one first
	b := e.workshop(q1, func(w *surveys.Workshop) {
		w.Date, w.Partner, w.Tags, w.OwnerID, w.Facilitators = "2026-02-10", "Mission locale", []string{"climat"}, "u2", []string{"u1"}
	})
	c := e.workshop(q2, func(w *surveys.Workshop) {
		w.Date, w.Partner, w.Tags, w.OwnerID = "2026-03-15", "  COLLEGE   jean mace ", nil, "u3"
	})
	e.clock.Advance(time.Second)
	d := e.workshop(q1, func(w *surveys.Workshop) { w.Date, w.Partner, w.OwnerID = "2026-02-10", "Lycée", "u3" })
	ids := func(ws []*surveys.Workshop) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		f    surveys.WorkshopFilter
		want []string
	}{
		{"all, latest first", surveys.WorkshopFilter{}, []string{c.ID, d.ID, b.ID, a.ID}},
		{"dates inclusive", surveys.WorkshopFilter{From: "2026-01-05", To: "2026-02-10"}, []string{d.ID, b.ID, a.ID}},
		{"from only", surveys.WorkshopFilter{From: "2026-02-11"}, []string{c.ID}},
		{"to only", surveys.WorkshopFilter{To: "2026-01-05"}, []string{a.ID}},
		{"tag ignoring case and accents", surveys.WorkshopFilter{Tag: "  egalite FILLES  garçons "}, []string{a.ID}},
		{"tag", surveys.WorkshopFilter{Tag: "odd"}, []string{d.ID, a.ID}},
		{"partner ignoring case, accents, spaces", surveys.WorkshopFilter{Partner: "collège jean  macé"}, []string{c.ID, a.ID}},
		{"questionnaire", surveys.WorkshopFilter{QuestionnaireID: q2.ID}, []string{c.ID}},
		{"owner or facilitator", surveys.WorkshopFilter{OwnerID: "u1"}, []string{b.ID, a.ID}},
		{"owner", surveys.WorkshopFilter{OwnerID: "u3"}, []string{c.ID, d.ID}},
		{"combined", surveys.WorkshopFilter{OwnerID: "u1", QuestionnaireID: q1.ID, From: "2026-02-01", Tag: "Climat"}, []string{b.ID}},
		{"nothing", surveys.WorkshopFilter{Tag: "inconnu"}, nil},
	} {
		got, err := e.s.Workshops(e.ctx, tt.f)
		must(t, err)
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("%s: Workshops(%+v) = %v, want %v", tt.name, tt.f, ids(got), tt.want)
		}
	}
	got, err := e.s.Workshops(e.ctx, surveys.WorkshopFilter{Tag: "climat"})
	must(t, err)
	if len(got) != 1 || !sameWorkshop(got[0], b) {
		t.Errorf("Workshops gives %+v, want the whole workshop %+v", got, b)
	}
}

func testDeleteWorkshop(e *env) {
	t := e.t
	q := e.questionnaire("")
	gone, kept := e.workshop(q, nil), e.workshop(q, nil)
	for i := range 5 {
		e.add(response(gone, "gone-"+string(rune('a'+i)), surveys.PhasePre, i))
		e.add(response(kept, "kept-"+string(rune('a'+i)), surveys.PhasePre, i))
	}
	must(t, e.s.DeleteWorkshop(e.ctx, gone.ID))
	_, err := e.s.Workshop(e.ctx, gone.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.ResponseBySubmission(e.ctx, "gone-a")
	wantCode(t, err, surveys.ENOTFOUND)
	if got := e.collect(gone.ID); len(got) != 0 {
		t.Errorf("responses of a deleted workshop: %d, want 0", len(got))
	}
	if got := e.collect(kept.ID); len(got) != 5 {
		t.Errorf("responses of the other workshop: %d, want 5", len(got))
	}
	if _, err := e.s.Workshop(e.ctx, kept.ID); err != nil {
		t.Errorf("the other workshop: %v", err)
	}
	wantCode(t, e.s.DeleteWorkshop(e.ctx, gone.ID), surveys.ENOTFOUND)
	// Its submission IDs are free again.
	e.add(response(kept, "gone-a", surveys.PhasePost, 1))
}
