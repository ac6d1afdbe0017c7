package storetest

import (
	"slices"

	"declic/surveys"
)

// testTextApprovals: a decision per answer, replaced by the next one,
// listed in order, refused for another workshop's response, gone with the
// workshop; each one bumps the workshop's version.
func testTextApprovals(e *env) {
	t := e.t
	q := e.questionnaire("")
	w, other := e.workshop(q, nil), e.workshop(q, nil)
	r1, r2 := response(w, "appr-1", surveys.PhasePost, 1), response(w, "appr-2", surveys.PhasePost, 2)
	e.add(r1)
	e.add(r2)
	ro := response(other, "appr-other", surveys.PhasePost, 3)
	e.add(ro)

	got, err := e.s.TextApprovals(e.ctx, w.ID)
	must(t, err)
	if got == nil || len(got) != 0 {
		t.Errorf("TextApprovals before any decision = %#v, want an empty list", got)
	}

	v := e.version(w.ID)
	must(t, e.s.SetTextApproval(e.ctx, surveys.TextApproval{WorkshopID: w.ID, ResponseID: r2.ID, ItemKey: "t1", Shown: true}))
	if after := e.version(w.ID); after <= v {
		t.Errorf("version after SetTextApproval = %d, want more than %d", after, v)
	}
	must(t, e.s.SetTextApproval(e.ctx, surveys.TextApproval{WorkshopID: w.ID, ResponseID: r1.ID, ItemKey: "t1", Shown: true}))
	// A second decision on the same answer replaces the first.
	v = e.version(w.ID)
	must(t, e.s.SetTextApproval(e.ctx, surveys.TextApproval{WorkshopID: w.ID, ResponseID: r1.ID, ItemKey: "t1", Shown: false}))
	if after := e.version(w.ID); after <= v {
		t.Errorf("version after changing a decision = %d, want more than %d", after, v)
	}
	got, err = e.s.TextApprovals(e.ctx, w.ID)
	must(t, err)
	want := []surveys.TextApproval{
		{WorkshopID: w.ID, ResponseID: r1.ID, ItemKey: "t1", Shown: false},
		{WorkshopID: w.ID, ResponseID: r2.ID, ItemKey: "t1", Shown: true},
	}
	slices.SortFunc(want, func(a, b surveys.TextApproval) int {
		if a.ResponseID < b.ResponseID {
			return -1
		}
		return 1
	})
	if !slices.Equal(got, want) {
		t.Errorf("TextApprovals = %+v, want %+v", got, want)
	}

	// Another workshop's response, or none, is not found; nothing changes.
	v = e.version(w.ID)
	wantCode(t, e.s.SetTextApproval(e.ctx, surveys.TextApproval{WorkshopID: w.ID, ResponseID: ro.ID, ItemKey: "t1", Shown: true}), surveys.ENOTFOUND)
	wantCode(t, e.s.SetTextApproval(e.ctx, surveys.TextApproval{WorkshopID: w.ID, ResponseID: "missing", ItemKey: "t1", Shown: true}), surveys.ENOTFOUND)
	if after := e.version(w.ID); after != v {
		t.Errorf("version after refused decisions = %d, want %d", after, v)
	}
	if got, _ := e.s.TextApprovals(e.ctx, other.ID); len(got) != 0 {
		t.Errorf("the other workshop's decisions = %+v, want none", got)
	}

	must(t, e.s.DeleteWorkshop(e.ctx, w.ID))
	got, err = e.s.TextApprovals(e.ctx, w.ID)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("decisions of a deleted workshop = %+v, want none", got)
	}
}
