package storetest

import (
	"bytes"
	"time"

	"declic/surveys"
)

// What a funding report adds to the answers: indicators, the
// organisation's settings and the pupils' words chosen for reports.

func ptr(v float64) *float64 { return &v }

func (e *env) indicator(q *surveys.Questionnaire, name string) *surveys.Indicator {
	e.t.Helper()
	ind := &surveys.Indicator{Name: name, QuestionnaireID: q.ID, Item: "q1", Measure: surveys.ShareImproved,
		Baseline: ptr(0.3), Target: ptr(0.6), From: "2025-09-01", To: "2026-08-31",
		Verification: "Questionnaires avant/après « Déclic », rapport annuel", OwnerID: "owner"}
	must(e.t, ind.Validate(q))
	must(e.t, e.s.CreateIndicator(e.ctx, ind))
	return ind
}

func sameIndicator(a, b *surveys.Indicator) bool {
	eq := func(x, y *float64) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
	return a.ID == b.ID && a.Name == b.Name && a.QuestionnaireID == b.QuestionnaireID && a.Item == b.Item &&
		a.Scale == b.Scale && a.Measure == b.Measure && eq(a.Threshold, b.Threshold) && eq(a.Baseline, b.Baseline) &&
		eq(a.Target, b.Target) && a.From == b.From && a.To == b.To && a.Verification == b.Verification &&
		a.OwnerID == b.OwnerID && a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
}

func testIndicators(e *env) {
	t := e.t
	q := e.questionnaire("")
	list, err := e.s.Indicators(e.ctx)
	must(t, err)
	if list == nil || len(list) != 0 {
		t.Errorf("Indicators on a new store = %#v, want an empty list", list)
	}
	b := e.indicator(q, "Évolution du pouvoir d'agir")
	e.clock.Advance(time.Second)
	a := e.indicator(q, "appropriation des ODD")
	if a.ID == "" || a.ID == b.ID || !a.CreatedAt.Equal(start.Add(time.Second)) || !a.UpdatedAt.Equal(a.CreatedAt) {
		t.Errorf("CreateIndicator set ID %q, created %v, updated %v", a.ID, a.CreatedAt, a.UpdatedAt)
	}
	got, err := e.s.Indicator(e.ctx, b.ID)
	must(t, err)
	if !sameIndicator(got, b) {
		t.Errorf("Indicator = %+v, want %+v", got, b)
	}
	list, err = e.s.Indicators(e.ctx)
	must(t, err)
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Errorf("Indicators not by name ignoring case and accents: %+v", list)
	}

	// An update replaces the definition, keeps owner and creation.
	e.clock.Advance(time.Hour)
	up := *b
	up.Name, up.Item, up.Scale, up.Measure, up.Threshold = "Ouverture", "", "ouverture", surveys.ShareAtLeast, ptr(4)
	up.OwnerID, up.CreatedAt = "someone-else", time.Time{}
	must(t, e.s.UpdateIndicator(e.ctx, &up))
	got, err = e.s.Indicator(e.ctx, b.ID)
	must(t, err)
	if got.Name != "Ouverture" || got.Scale != "ouverture" || got.Item != "" || got.Measure != surveys.ShareAtLeast ||
		got.Threshold == nil || *got.Threshold != 4 || got.OwnerID != "owner" || !got.CreatedAt.Equal(b.CreatedAt) ||
		!got.UpdatedAt.Equal(start.Add(time.Second+time.Hour)) {
		t.Errorf("after UpdateIndicator: %+v", got)
	}
	if !sameIndicator(got, &up) {
		t.Errorf("UpdateIndicator did not set the stored owner and times on its argument: %+v", up)
	}
	missing := up
	missing.ID = "000000000000000000000000"
	wantCode(t, e.s.UpdateIndicator(e.ctx, &missing), surveys.ENOTFOUND)

	must(t, e.s.DeleteIndicator(e.ctx, a.ID))
	_, err = e.s.Indicator(e.ctx, a.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	wantCode(t, e.s.DeleteIndicator(e.ctx, a.ID), surveys.ENOTFOUND)
}

func testSettings(e *env) {
	t := e.t
	st, err := e.s.Settings(e.ctx)
	must(t, err)
	if st == nil || st.OrganisationName != "" || st.Logo != nil {
		t.Fatalf("Settings on a new store = %+v, want empty ones", st)
	}
	logo := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 255, 7}, 1000)...)
	must(t, e.s.SaveSettings(e.ctx, &surveys.Settings{OrganisationName: "Solidarités Lille", Logo: logo, LogoType: surveys.LogoPNG, UpdatedBy: "admin"}))
	st, err = e.s.Settings(e.ctx)
	must(t, err)
	if st.OrganisationName != "Solidarités Lille" || !bytes.Equal(st.Logo, logo) || st.LogoType != surveys.LogoPNG ||
		st.UpdatedBy != "admin" || !st.UpdatedAt.Equal(start) {
		t.Errorf("Settings after SaveSettings = %+v", st)
	}
	e.clock.Advance(time.Minute)
	must(t, e.s.SaveSettings(e.ctx, &surveys.Settings{OrganisationName: "Autre nom", UpdatedBy: "admin2"}))
	st, err = e.s.Settings(e.ctx)
	must(t, err)
	if st.OrganisationName != "Autre nom" || len(st.Logo) != 0 || st.LogoType != "" || !st.UpdatedAt.Equal(start.Add(time.Minute)) {
		t.Errorf("Settings after a second SaveSettings without a logo = %+v", st)
	}
}

func testQuotes(e *env) {
	t := e.t
	q := e.questionnaire("")
	w1, w2 := e.workshop(q, nil), e.workshop(q, nil)
	list, err := e.s.Quotes(e.ctx, []string{w1.ID, w2.ID})
	must(t, err)
	if list == nil || len(list) != 0 {
		t.Errorf("Quotes before any choice = %#v, want an empty list", list)
	}
	before := e.version(w1.ID)
	a := surveys.Quote{WorkshopID: w1.ID, ResponseID: "r2", ItemKey: "t1"}
	b := surveys.Quote{WorkshopID: w1.ID, ResponseID: "r1", ItemKey: "t1"}
	c := surveys.Quote{WorkshopID: w2.ID, ResponseID: "r9", ItemKey: "t1"}
	must(t, e.s.SelectQuotes(e.ctx, []string{w1.ID, w2.ID}, []surveys.Quote{a, b, c, a}))
	list, err = e.s.Quotes(e.ctx, []string{w1.ID, w2.ID})
	must(t, err)
	first, second := w1.ID, w2.ID
	want := []surveys.Quote{b, a, c}
	if first > second {
		want = []surveys.Quote{c, b, a}
	}
	if len(list) != 3 || list[0] != want[0] || list[1] != want[1] || list[2] != want[2] {
		t.Errorf("Quotes = %+v, want %+v (by workshop, response, item; once each)", list, want)
	}
	if e.version(w1.ID) != before {
		t.Errorf("choosing quotes changed the workshop's version: results do not depend on it")
	}
	// A choice within one workshop leaves the other's alone.
	must(t, e.s.SelectQuotes(e.ctx, []string{w1.ID}, []surveys.Quote{a}))
	list, err = e.s.Quotes(e.ctx, []string{w1.ID, w2.ID})
	must(t, err)
	if len(list) != 2 {
		t.Errorf("after choosing within w1 only: %+v, want a and c", list)
	}
	list, err = e.s.Quotes(e.ctx, []string{w2.ID})
	must(t, err)
	if len(list) != 1 || list[0] != c {
		t.Errorf("Quotes(w2) = %+v, want only c", list)
	}
	// A quote of a workshop outside the choice changes nothing.
	wantCode(t, e.s.SelectQuotes(e.ctx, []string{w1.ID}, []surveys.Quote{c}), surveys.EINVALID)
	list, _ = e.s.Quotes(e.ctx, []string{w1.ID})
	if len(list) != 1 || list[0] != a {
		t.Errorf("a refused choice changed the quotes: %+v", list)
	}
	// Nothing chosen any more.
	must(t, e.s.SelectQuotes(e.ctx, []string{w1.ID}, nil))
	list, _ = e.s.Quotes(e.ctx, []string{w1.ID})
	if len(list) != 0 {
		t.Errorf("after choosing none: %+v", list)
	}
	// Quotes go with their workshop.
	must(t, e.s.DeleteWorkshop(e.ctx, w2.ID))
	list, _ = e.s.Quotes(e.ctx, []string{w2.ID})
	if len(list) != 0 {
		t.Errorf("quotes of a deleted workshop: %+v", list)
	}
	list, _ = e.s.Quotes(e.ctx, nil)
	if list == nil || len(list) != 0 {
		t.Errorf("Quotes of no workshop = %#v, want an empty list", list)
	}
}

// Indicators, settings and quotes are in the dump, after the responses,
// and come back as they were.
func testFunderExportImport(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	ind := e.indicator(q, "Pouvoir d'agir")
	logo := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`)
	must(t, e.s.SaveSettings(e.ctx, &surveys.Settings{OrganisationName: "Solidarités Lille", Logo: logo, LogoType: surveys.LogoSVG, UpdatedBy: "admin"}))
	quote := surveys.Quote{WorkshopID: w.ID, ResponseID: "r1", ItemKey: "t1"}
	must(t, e.s.SelectQuotes(e.ctx, []string{w.ID}, []surveys.Quote{quote}))
	e.add(response(w, "s1", surveys.PhasePre, 1))

	var recs []surveys.Record
	var kinds []string
	must(t, e.s.Export(e.ctx, func(r surveys.Record) error {
		if r.Response != nil {
			r.Response = clone(r.Response)
		}
		recs = append(recs, r)
		switch {
		case r.Indicator != nil:
			kinds = append(kinds, "indicator")
		case r.Settings != nil:
			kinds = append(kinds, "settings")
		case r.Quote != nil:
			kinds = append(kinds, "quote")
		case r.Response != nil:
			kinds = append(kinds, "response")
		}
		return nil
	}))
	if got := len(kinds); got != 4 || kinds[0] != "response" || kinds[1] != "indicator" || kinds[2] != "settings" || kinds[3] != "quote" {
		t.Fatalf("Export gives %v, want the response, then the indicator, the settings and the quote", kinds)
	}
	fresh := &env{t: t, clock: NewClock(start.AddDate(1, 0, 0)), ctx: e.ctx}
	fresh.s = e.open(t, fresh.clock.Now)
	must(t, fresh.s.Import(e.ctx, recs))
	got, err := fresh.s.Indicator(e.ctx, ind.ID)
	must(t, err)
	if !sameIndicator(got, ind) {
		t.Errorf("indicator after Import = %+v, want %+v", got, ind)
	}
	st, err := fresh.s.Settings(e.ctx)
	must(t, err)
	if st.OrganisationName != "Solidarités Lille" || !bytes.Equal(st.Logo, logo) || st.LogoType != surveys.LogoSVG || !st.UpdatedAt.Equal(start) {
		t.Errorf("settings after Import = %+v", st)
	}
	quotes, err := fresh.s.Quotes(e.ctx, []string{w.ID})
	must(t, err)
	if len(quotes) != 1 || quotes[0] != quote {
		t.Errorf("quotes after Import = %+v", quotes)
	}
}
