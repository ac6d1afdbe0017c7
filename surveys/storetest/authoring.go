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

// testQuestionnaireVersions: an unused questionnaire changes in place; a
// used or built-in one only takes translations, for good; editing it makes
// <family>-vN; only an unused one is deleted.
func testQuestionnaireVersions(e *env) {
	t := e.t
	q := e.questionnaire("Premier jet")
	q.OwnerID = "" // as stored by e.questionnaire
	edit := newQuestionnaire(t, "Premier jet, corrigé")
	edit.ID = q.ID
	must(t, e.s.UpdateQuestionnaire(e.ctx, edit))
	got, err := e.s.Questionnaire(e.ctx, q.ID)
	must(t, err)
	if got.Title.String() != "Premier jet, corrigé" || !got.CreatedAt.Equal(q.CreatedAt) {
		t.Errorf("after an update in place: title %q created %v", got.Title, got.CreatedAt)
	}

	w := e.workshop(got, nil)
	changed := newQuestionnaire(t, "Premier jet, corrigé")
	changed.ID = q.ID
	changed.Items[0].Text = surveys.NewText("Autre formulation")
	wantCode(t, e.s.UpdateQuestionnaire(e.ctx, changed), surveys.ECONFLICT)
	wantCode(t, e.s.DeleteQuestionnaire(e.ctx, q.ID), surveys.ECONFLICT)

	// New translations are allowed on a used questionnaire.
	translated := newQuestionnaire(t, "Premier jet, corrigé")
	translated.ID = q.ID
	translated.Languages = []string{"fr", "pt"}
	translated.Items[0].Text = surveys.Translated("fr", map[string]string{"fr": translated.Items[0].Text.String(), "pt": "Sinto-me capaz de agir."})
	must(t, translated.Validate())
	must(t, e.s.UpdateQuestionnaire(e.ctx, translated))
	got, err = e.s.Questionnaire(e.ctx, q.ID)
	must(t, err)
	if got.Items[0].Text.In("pt") != "Sinto-me capaz de agir." || !got.Offers("pt") {
		t.Errorf("translation not kept: %q", got.Items[0].Text.In("pt"))
	}

	// Used stays used, even once its workshops are gone.
	must(t, e.s.DeleteWorkshop(e.ctx, w.ID))
	wantCode(t, e.s.UpdateQuestionnaire(e.ctx, changed), surveys.ECONFLICT)

	v2 := newQuestionnaire(t, "Deuxième version")
	v2.OwnerID = "u2"
	must(t, e.s.CreateQuestionnaireVersion(e.ctx, q.ID, v2))
	if v2.ID != q.ID+"-v2" || v2.Family != q.ID || v2.Version != 2 || v2.Builtin {
		t.Errorf("version = %s family %q version %d builtin %v, want %s-v2 of %s", v2.ID, v2.Family, v2.Version, v2.Builtin, q.ID, q.ID)
	}
	v3 := newQuestionnaire(t, "Troisième version")
	must(t, e.s.CreateQuestionnaireVersion(e.ctx, v2.ID, v3))
	if v3.ID != q.ID+"-v3" || v3.Version != 3 {
		t.Errorf("version of v2 = %s (%d), want %s-v3", v3.ID, v3.Version, q.ID)
	}
	read, err := e.s.Questionnaire(e.ctx, v3.ID)
	must(t, err)
	if f, n := surveys.FamilyOf(read); f != q.ID || n != 3 || read.OwnerID != "" && read.OwnerID != v3.OwnerID {
		t.Errorf("stored v3: family %q version %d", f, n)
	}

	lib := newQuestionnaire(t, "Bibliothèque")
	lib.ID, lib.Builtin = "lib-v1", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, lib))
	mine := newQuestionnaire(t, "Ma version de la bibliothèque")
	must(t, e.s.CreateQuestionnaireVersion(e.ctx, "lib-v1", mine))
	if mine.ID != "lib-v2" || mine.Family != "lib" || mine.Builtin {
		t.Errorf("version of a built-in = %s family %q builtin %v, want lib-v2 of lib, not built-in", mine.ID, mine.Family, mine.Builtin)
	}
	libChanged := newQuestionnaire(t, "Bibliothèque réécrite")
	libChanged.ID = "lib-v1"
	wantCode(t, e.s.UpdateQuestionnaire(e.ctx, libChanged), surveys.ECONFLICT)
	wantCode(t, e.s.DeleteQuestionnaire(e.ctx, "lib-v1"), surveys.ECONFLICT)
	libTranslated := newQuestionnaire(t, "")
	libTranslated.ID = "lib-v1"
	libTranslated.Title = surveys.Translated("fr", map[string]string{"fr": "Bibliothèque", "pt": "Biblioteca"})
	must(t, libTranslated.Validate())
	must(t, e.s.UpdateQuestionnaire(e.ctx, libTranslated))
	got, err = e.s.Questionnaire(e.ctx, "lib-v1")
	must(t, err)
	if !got.Builtin || got.Title.In("pt") != "Biblioteca" {
		t.Errorf("built-in after new translations: builtin %v title pt %q", got.Builtin, got.Title.In("pt"))
	}

	must(t, e.s.DeleteQuestionnaire(e.ctx, v3.ID))
	_, err = e.s.Questionnaire(e.ctx, v3.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	wantCode(t, e.s.DeleteQuestionnaire(e.ctx, v3.ID), surveys.ENOTFOUND)
	missing := newQuestionnaire(t, "x")
	missing.ID = "missing"
	wantCode(t, e.s.UpdateQuestionnaire(e.ctx, missing), surveys.ENOTFOUND)
	wantCode(t, e.s.CreateQuestionnaireVersion(e.ctx, "missing", newQuestionnaire(t, "x")), surveys.ENOTFOUND)
	// After v3 was deleted, the next version is v3 again.
	again := newQuestionnaire(t, "Encore")
	must(t, e.s.CreateQuestionnaireVersion(e.ctx, q.ID, again))
	if again.ID != q.ID+"-v3" {
		t.Errorf("next version after deleting v3 = %s", again.ID)
	}
}
