package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"declic/surveys"
)

func testAddResponse(e *env) {
	t := e.t
	q := e.questionnaire("")
	w, other := e.workshop(q, nil), e.workshop(q, nil)
	r := response(w, "sub-1", surveys.PhasePre, 1)
	created, err := e.s.AddResponse(e.ctx, r)
	must(t, err)
	if !created {
		t.Error("first AddResponse: created = false, want true")
	}
	if want := surveys.ResponseID("sub-1"); r.ID != want {
		t.Errorf("ID = %q, want %q", r.ID, want)
	}
	if r.Day != "2026-03-10" {
		t.Errorf("Day = %q, want the store's day 2026-03-10", r.Day)
	}
	if v := e.version(w.ID); v <= 1 {
		t.Errorf("version after an answer = %d, want more than 1", v)
	}
	v := e.version(w.ID)

	e.clock.Advance(48 * time.Hour)
	again := response(w, "sub-1", surveys.PhasePre, 2)
	created, err = e.s.AddResponse(e.ctx, again)
	must(t, err)
	if created || again.ID != r.ID {
		t.Errorf("same submission again: created %v ID %q, want false and %q", created, again.ID, r.ID)
	}
	if got := e.version(w.ID); got < v {
		t.Errorf("version went down: %d after %d", got, v)
	}
	got, err := e.s.ResponseBySubmission(e.ctx, "sub-1")
	must(t, err)
	if got.Participant != "participant-1" || got.Day != "2026-03-10" {
		t.Errorf("stored response %s on %s, want the first one (participant-1, 2026-03-10)", got.Participant, got.Day)
	}

	elsewhere := response(other, "sub-1", surveys.PhasePre, 1)
	_, err = e.s.AddResponse(e.ctx, elsewhere)
	wantCode(t, err, surveys.ECONFLICT)
	if f := surveys.ErrorFields(err); f["submission_id"] == "" {
		t.Errorf("conflict fields = %v, want submission_id named", f)
	}
	if n := len(e.collect(other.ID)); n != 0 {
		t.Errorf("the other workshop holds %d responses, want 0", n)
	}
	_, err = e.s.ResponseBySubmission(e.ctx, "never-sent")
	wantCode(t, err, surveys.ENOTFOUND)

	post := response(w, "sub-2", surveys.PhasePost, 1)
	post.Excluded = true
	e.add(post)
	counts, err := e.s.CountResponses(e.ctx, w.ID)
	must(t, err)
	if counts[surveys.PhasePre] != 1 || counts[surveys.PhasePost] != 1 {
		t.Errorf("CountResponses = %v, want 1 pre and 1 post (excluded ones counted)", counts)
	}
}

// testAddResponseSameSubmission sends one submission from 20 goroutines
// at once, as a phone retrying on a bad network might.
func testAddResponseSameSubmission(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	const n = 20
	var wg sync.WaitGroup
	var createdCount atomic.Int32
	ids := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := response(w, "same", surveys.PhasePre, 7)
			created, err := e.s.AddResponse(e.ctx, r)
			if created {
				createdCount.Add(1)
			}
			ids[i], errs[i] = r.ID, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
		if ids[i] != surveys.ResponseID("same") {
			t.Errorf("goroutine %d got ID %q, want %q", i, ids[i], surveys.ResponseID("same"))
		}
	}
	if got := createdCount.Load(); got != 1 {
		t.Errorf("created = true %d times, want exactly once", got)
	}
	if got := len(e.collect(w.ID)); got != 1 {
		t.Errorf("stored %d responses, want 1", got)
	}
}

func testConcurrentWriters(e *env) {
	t := e.t
	q := e.questionnaire("")
	ws := []*surveys.Workshop{e.workshop(q, nil), e.workshop(q, nil), e.workshop(q, nil)}
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				w := ws[(g+i)%len(ws)]
				phase := []surveys.Phase{surveys.PhasePre, surveys.PhasePost}[i%2]
				if _, err := e.s.AddResponse(e.ctx, response(w, fmt.Sprintf("g%d-%d", g, i), phase, i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	// Workshops change while pupils answer.
	for _, w := range ws {
		if _, err := e.s.SetPhase(e.ctx, w.ID, surveys.PhasePost); err != nil {
			errs <- err
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := 0
	for _, w := range ws {
		c, err := e.s.CountResponses(e.ctx, w.ID)
		must(t, err)
		total += c[surveys.PhasePre] + c[surveys.PhasePost]
		if n := len(e.collect(w.ID)); n != c[surveys.PhasePre]+c[surveys.PhasePost] {
			t.Errorf("workshop %s: EachResponse gives %d, CountResponses %v", w.ID, n, c)
		}
		if v := e.version(w.ID); v < 3 {
			t.Errorf("workshop %s version %d after answers and a phase change, want at least 3", w.ID, v)
		}
	}
	if total != writers*each {
		t.Errorf("stored %d responses, want %d", total, writers*each)
	}
	if n := len(e.collect(ws[0].ID, ws[1].ID, ws[2].ID)); n != writers*each {
		t.Errorf("EachResponse over all gives %d, want %d", n, writers*each)
	}
}

func testEachResponse(e *env) {
	t := e.t
	q := e.questionnaire("")
	ws := []*surveys.Workshop{e.workshop(q, nil), e.workshop(q, nil), e.workshop(q, nil)}
	want := map[string][]string{}
	for i := range 30 {
		w := ws[i%3]
		r := response(w, fmt.Sprintf("s%02d", i), surveys.PhasePre, i)
		e.add(r)
		want[w.ID] = append(want[w.ID], r.ID)
	}
	// Asked in any order, streamed by workshop, then by ID.
	got := e.collect(ws[2].ID, ws[0].ID, "missing", ws[1].ID)
	var gotIDs, wantIDs []string
	for _, r := range got {
		gotIDs = append(gotIDs, r.WorkshopID+"/"+r.ID)
	}
	wids := []string{ws[0].ID, ws[1].ID, ws[2].ID}
	slices.Sort(wids)
	for _, wid := range wids {
		ids := slices.Clone(want[wid])
		slices.Sort(ids)
		for _, id := range ids {
			wantIDs = append(wantIDs, wid+"/"+id)
		}
	}
	if !slices.Equal(gotIDs, wantIDs) {
		t.Errorf("EachResponse order:\n got %v\nwant %v", gotIDs, wantIDs)
	}
	if got := e.collect(); len(got) != 0 {
		t.Errorf("EachResponse of no workshop gave %d responses", len(got))
	}
	stop := errors.New("stop")
	calls := 0
	err := e.s.EachResponse(e.ctx, wids, func(*surveys.Response) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("EachResponse with fn failing: err %v after %d calls, want stop after 1", err, calls)
	}
}

// sameResponse compares responses, nil slices as empty.
func sameResponse(got, want *surveys.Response) bool {
	g, w := *got, *want
	for _, s := range []*[]string{&g.CodeParts, &w.CodeParts} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	for _, s := range []*[]surveys.Flag{&g.Flags, &w.Flags} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	return reflect.DeepEqual(g, w)
}

// testRoundTrip stores every answer shape and envelope field and reads
// them back unchanged.
func testRoundTrip(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	long := strings.Repeat("é", 1000) + strings.Repeat("a", 999) + "🙂"
	full := response(w, "full", surveys.PhasePost, 3)
	full.Device, full.Source, full.Day = "d3v1c3", surveys.SourcePaper, "2026-01-31"
	full.Flags = []surveys.Flag{surveys.FlagTooFast, surveys.FlagStraightLine}
	full.Excluded = true
	full.Answers["t1"] = surveys.TextAnswer(long)
	full.Answers["n1"] = surveys.NumberAnswer(0)
	full.Answers["q2"] = surveys.NumberAnswer(-3)
	full.Answers["r1"] = surveys.PairAnswer(5, 1)
	bare := &surveys.Response{SubmissionID: "bare", WorkshopID: w.ID, Phase: surveys.PhasePre, Participant: "opaque",
		Day: "2026-02-01", Answers: surveys.Answers{"q1": surveys.NumberAnswer(4)}}
	texts := &surveys.Response{SubmissionID: "texts", WorkshopID: w.ID, Phase: surveys.PhasePost, Participant: "p",
		Day: "2026-02-02", Answers: surveys.Answers{"t1": surveys.TextAnswer("« Guillemets », emoji 👩🏽‍🏫, retour\r\nà la ligne\n\tet tabulation")}}
	must(t, e.s.ImportResponses(e.ctx, []*surveys.Response{full, bare, texts}))
	byID := map[string]*surveys.Response{}
	for _, r := range e.collect(w.ID) {
		byID[r.ID] = r
	}
	for _, want := range []*surveys.Response{full, bare, texts} {
		got := byID[want.ID]
		if got == nil {
			t.Errorf("response %s missing", want.SubmissionID)
			continue
		}
		if !sameResponse(got, want) {
			t.Errorf("EachResponse round trip of %s:\n got %+v\nwant %+v", want.SubmissionID, got, want)
		}
		one, err := e.s.ResponseBySubmission(e.ctx, want.SubmissionID)
		must(t, err)
		if !sameResponse(one, want) {
			t.Errorf("ResponseBySubmission round trip of %s:\n got %+v\nwant %+v", want.SubmissionID, one, want)
		}
	}
}

func testImportResponses(e *env) {
	t := e.t
	q := e.questionnaire("")
	w := e.workshop(q, nil)
	v := e.version(w.ID)
	dated := response(w, "i1", surveys.PhasePre, 1)
	dated.Day = "2025-12-01"
	today := response(w, "i2", surveys.PhasePost, 1)
	must(t, e.s.ImportResponses(e.ctx, []*surveys.Response{dated, today}))
	if today.Day != "2026-03-10" || dated.Day != "2025-12-01" || today.ID != surveys.ResponseID("i2") {
		t.Errorf("ImportResponses: days %q, %q and ID %q, want 2025-12-01 kept, 2026-03-10 set, derived ID", dated.Day, today.Day, today.ID)
	}
	if got := e.version(w.ID); got <= v {
		t.Errorf("version after an import = %d, want more than %d", got, v)
	}
	// One already stored: nothing of the batch is stored.
	err := e.s.ImportResponses(e.ctx, []*surveys.Response{response(w, "i3", surveys.PhasePre, 3), response(w, "i1", surveys.PhasePre, 1)})
	wantCode(t, err, surveys.ECONFLICT)
	_, err = e.s.ResponseBySubmission(e.ctx, "i3")
	wantCode(t, err, surveys.ENOTFOUND)
	// The same submission twice in one import.
	err = e.s.ImportResponses(e.ctx, []*surveys.Response{response(w, "i4", surveys.PhasePre, 4), response(w, "i4", surveys.PhasePre, 4)})
	wantCode(t, err, surveys.ECONFLICT)
	if n := len(e.collect(w.ID)); n != 2 {
		t.Errorf("stored %d responses after the refused imports, want 2", n)
	}
}

func testPurgeResponses(e *env) {
	t := e.t
	q := e.questionnaire("")
	old, recent := e.workshop(q, nil), e.workshop(q, nil)
	var rs []*surveys.Response
	for i, day := range []string{"2025-01-01", "2025-06-30", "2025-07-01", "2025-07-02"} {
		r := response(old, fmt.Sprintf("p%d", i), surveys.PhasePre, i)
		r.Day = day
		rs = append(rs, r)
	}
	keep := response(recent, "keep", surveys.PhasePre, 9)
	keep.Day = "2025-08-01"
	must(t, e.s.ImportResponses(e.ctx, append(rs, keep)))
	vOld, vRecent := e.version(old.ID), e.version(recent.ID)
	n, err := e.s.PurgeResponses(e.ctx, "2025-07-01")
	must(t, err)
	if n != 2 {
		t.Errorf("PurgeResponses = %d, want 2 (the day itself is kept)", n)
	}
	var days []string
	for _, r := range e.collect(old.ID, recent.ID) {
		days = append(days, r.Day)
	}
	slices.Sort(days)
	if want := []string{"2025-07-01", "2025-07-02", "2025-08-01"}; !slices.Equal(days, want) {
		t.Errorf("days left = %v, want %v", days, want)
	}
	if got := e.version(old.ID); got <= vOld {
		t.Errorf("version of the purged workshop = %d, want more than %d", got, vOld)
	}
	if got := e.version(recent.ID); got != vRecent {
		t.Errorf("version of an untouched workshop = %d, want %d", got, vRecent)
	}
	n, err = e.s.PurgeResponses(e.ctx, "2025-07-01")
	must(t, err)
	if n != 0 {
		t.Errorf("second PurgeResponses = %d, want 0", n)
	}
}
