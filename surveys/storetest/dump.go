package storetest

import (
	"reflect"
	"testing"

	"declic/surveys"
)

// fill stores one of everything.
func (e *env) fill() {
	t := e.t
	admin := e.user("admin@example.org", surveys.RoleAdmin)
	e.user("anim@example.org", surveys.RoleFacilitator)
	must(t, e.s.CreateToken(e.ctx, &surveys.Token{Hash: "h1", UserID: admin.ID, Name: "script", ExpiresOn: "2027-01-01"}))
	must(t, e.s.TouchToken(e.ctx, mustTokens(e, admin.ID)[0].ID, "2026-03-10"))
	lib := newQuestionnaire(t, "Bibliothèque")
	lib.ID, lib.Builtin = "lib-v1", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, lib))
	q := newQuestionnaire(t, "")
	q.OwnerID = admin.ID
	must(t, e.s.CreateQuestionnaire(e.ctx, q))
	w := e.workshop(q, func(w *surveys.Workshop) {
		w.Tags, w.Place, w.Attendance, w.Facilitators = []string{"odd", "égalité"}, "Salle", 20, []string{"f1"}
	})
	e.workshop(lib, nil)
	_, err := e.s.SetPhase(e.ctx, w.ID, surveys.PhasePre)
	must(t, err)
	for i := range 12 {
		r := response(w, "dump-"+string(rune('a'+i)), []surveys.Phase{surveys.PhasePre, surveys.PhasePost}[i%2], i)
		if i == 3 {
			r.Device, r.Flags, r.Excluded, r.Source = "dev", []surveys.Flag{surveys.FlagTooFast}, true, surveys.SourcePaper
		}
		e.add(r)
		if i == 5 || i == 6 {
			_, err := e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: r.ID, Excluded: true, Reason: "Réponses au hasard", UserID: admin.ID})
			must(t, err)
		}
	}
	// Restored: the trail keeps both changes.
	_, err = e.s.SetExcluded(e.ctx, &surveys.Exclusion{WorkshopID: w.ID, ResponseID: surveys.ResponseID("dump-g"), UserID: admin.ID})
	must(t, err)
}

func mustTokens(e *env, userID string) []*surveys.Token {
	e.t.Helper()
	list, err := e.s.Tokens(e.ctx, userID)
	must(e.t, err)
	return list
}

func export(t *testing.T, e *env) []surveys.Record {
	t.Helper()
	var recs []surveys.Record
	must(t, e.s.Export(e.ctx, func(r surveys.Record) error {
		if r.Response != nil {
			r.Response = clone(r.Response)
		}
		recs = append(recs, r)
		return nil
	}))
	return recs
}

// kind names a record's one field, and checks there is exactly one.
func kind(t *testing.T, r surveys.Record) string {
	t.Helper()
	var kinds []string
	if r.User != nil {
		kinds = append(kinds, "user")
	}
	if r.Token != nil {
		kinds = append(kinds, "token")
	}
	if r.Questionnaire != nil {
		kinds = append(kinds, "questionnaire")
	}
	if r.Workshop != nil {
		kinds = append(kinds, "workshop")
	}
	if r.Response != nil {
		kinds = append(kinds, "response")
	}
	if r.Exclusion != nil {
		kinds = append(kinds, "exclusion")
	}
	if len(kinds) != 1 {
		t.Fatalf("record with %v set, want exactly one", kinds)
	}
	return kinds[0]
}

func sameRecord(a, b surveys.Record) bool {
	switch {
	case a.User != nil && b.User != nil:
		x, y := *a.User, *b.User
		return x.CreatedAt.Equal(y.CreatedAt) && x.ID == y.ID && x.Email == y.Email && x.Role == y.Role &&
			x.PasswordHash == y.PasswordHash && x.Disabled == y.Disabled && x.MustChangePassword == y.MustChangePassword
	case a.Token != nil && b.Token != nil:
		return *a.Token == *b.Token
	case a.Questionnaire != nil && b.Questionnaire != nil:
		return sameQuestionnaire(a.Questionnaire, b.Questionnaire) && a.Questionnaire.ID == b.Questionnaire.ID
	case a.Workshop != nil && b.Workshop != nil:
		return sameWorkshop(a.Workshop, b.Workshop)
	case a.Response != nil && b.Response != nil:
		return sameResponse(a.Response, b.Response)
	case a.Exclusion != nil && b.Exclusion != nil:
		x, y := *a.Exclusion, *b.Exclusion
		return x.At.Equal(y.At) && x.WorkshopID == y.WorkshopID && x.ResponseID == y.ResponseID && x.Excluded == y.Excluded &&
			x.Reason == y.Reason && x.UserID == y.UserID
	}
	return false
}

func testExportImport(e *env) {
	t := e.t
	e.fill()
	recs := export(t, e)
	order := map[string]int{"user": 0, "token": 1, "questionnaire": 2, "workshop": 3, "response": 4, "exclusion": 5}
	counts := map[string]int{}
	last := 0
	for _, r := range recs {
		k := kind(t, r)
		if order[k] < last {
			t.Fatalf("Export gives a %s after later kinds: want users, tokens, questionnaires, workshops, responses, exclusions", k)
		}
		last = order[k]
		counts[k]++
	}
	if want := map[string]int{"user": 2, "token": 1, "questionnaire": 2, "workshop": 2, "response": 12, "exclusion": 3}; !reflect.DeepEqual(counts, want) {
		t.Errorf("Export counts = %v, want %v", counts, want)
	}

	fresh := &env{t: t, s: nil, clock: NewClock(start.AddDate(1, 0, 0)), ctx: e.ctx}
	fresh.s = e.open(t, fresh.clock.Now)
	if empty, err := fresh.s.Empty(e.ctx); err != nil || !empty {
		t.Fatalf("Empty on a new store = %v, %v; want true", empty, err)
	}
	// A restore sends records in chunks.
	must(t, fresh.s.Import(e.ctx, recs[:5]))
	must(t, fresh.s.Import(e.ctx, recs[5:]))
	again := export(t, fresh)
	if len(again) != len(recs) {
		t.Fatalf("after Import, Export gives %d records, want %d", len(again), len(recs))
	}
	for i := range recs {
		if !sameRecord(again[i], recs[i]) {
			t.Errorf("record %d after Export, Import, Export:\n got %+v\nwant %+v", i, again[i], recs[i])
		}
	}
	// Everything works on the restored store: logins, codes, answers.
	for _, r := range recs {
		switch {
		case r.Token != nil:
			if _, err := fresh.s.TokenByHash(e.ctx, r.Token.Hash); err != nil {
				t.Errorf("TokenByHash after Import: %v", err)
			}
		case r.Workshop != nil:
			w, err := fresh.s.WorkshopByCode(e.ctx, r.Workshop.Code)
			if err != nil || w.Version != r.Workshop.Version {
				t.Errorf("WorkshopByCode after Import: %+v, %v; want version %d", w, err, r.Workshop.Version)
			}
		case r.Response != nil:
			_, err := fresh.s.AddResponse(e.ctx, &surveys.Response{SubmissionID: r.Response.SubmissionID, WorkshopID: "other",
				Phase: surveys.PhasePre, Participant: "x", Answers: surveys.Answers{}})
			wantCode(t, err, surveys.ECONFLICT)
			return
		}
	}
	wantCode(t, fresh.s.Import(e.ctx, recs[:1]), surveys.ECONFLICT)
}

func testEmpty(e *env) {
	t := e.t
	check := func(want bool, when string) {
		t.Helper()
		got, err := e.s.Empty(e.ctx)
		must(t, err)
		if got != want {
			t.Errorf("Empty %s = %v, want %v", when, got, want)
		}
	}
	check(true, "on a new store")
	lib := newQuestionnaire(t, "Bibliothèque")
	lib.ID, lib.Builtin = "lib-v1", true
	must(t, e.s.EnsureQuestionnaire(e.ctx, lib))
	check(true, "with built-in questionnaires only")
	e.user("a@example.org", surveys.RoleAdmin)
	check(false, "with a user")
}
