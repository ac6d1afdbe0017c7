package handlers_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"declic/surveys"
)

// sseEvent is one Server-Sent Event.
type sseEvent struct{ name, id, data string }

// sseStream reads events from a live page's stream, gzipped on the wire
// as gzhttp sends it to a browser that accepts gzip.
type sseStream struct {
	t      testing.TB
	res    *http.Response
	events chan sseEvent
}

func (cl *classroom) openStream(c *http.Client, lastID string) *sseStream {
	cl.t.Helper()
	req, _ := http.NewRequest("GET", cl.URL+"/app/workshops/"+cl.w.ID+"/live/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the client then leaves the body gzipped
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	cl.t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cl.t.Fatalf("live events: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{t: cl.t, res: res, events: make(chan sseEvent, 16)}
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			cl.t.Fatalf("gzip stream: %v", err)
		}
		body = zr
	}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ev.data = strings.Join(data, "\n")
					s.events <- ev
				}
				ev, data = sseEvent{}, nil
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	return s
}

// next waits for the next "live" event; pings are skipped. The wait is
// bounded by the stream's own length: it never sleeps.
func (s *sseStream) next(what string) sseEvent {
	s.t.Helper()
	for ev := range s.events {
		if ev.name == "live" {
			return ev
		}
	}
	s.t.Fatalf("%s: the stream ended without a live event", what)
	return sseEvent{}
}

// pupils sends n complete answers for the open phase, with free text.
func (cl *classroom) pupils(from, n int, text string) {
	cl.t.Helper()
	for i := from; i < from+n; i++ {
		code := surveys.Code{Mere: string(rune('A' + i%26)), Jour: 1 + i%28, Mois: 1 + i%12, Lettre2: "E"}
		who := cl.Pseudo.OfCode(cl.w.ID, code, fmt.Sprint("device-", i))
		f := cl.answers(i, fmt.Sprintf(text, i))
		answers, err := cl.q.CheckForm(cl.w.Phase, f)
		if err != nil {
			cl.t.Fatal(err)
		}
		r := &surveys.Response{SubmissionID: fmt.Sprintf("live-%s-%d", cl.w.Phase, i), WorkshopID: cl.w.ID, Phase: cl.w.Phase,
			Participant: who.Participant, CodeParts: who.CodeParts, Device: who.Device, Answers: answers}
		if _, err := cl.Store.AddResponse(context.Background(), r); err != nil {
			cl.t.Fatal(err)
		}
	}
}

// The live page: nothing for a question under 5 answers, distributions
// from 5, PRE and POST side by side once POST opens, free text only once
// approved; updates stream through gzip as they happen.
func TestLivePage(t *testing.T) {
	cl := newClassroom(t)
	staff := cl.staff(cl.owner)
	live := "/app/workshops/" + cl.w.ID + "/live"

	stream := cl.openStream(staff, "")
	if got := stream.res.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("live events Content-Encoding %q, want gzip (the test is that it still streams)", got)
	}
	if got := stream.res.Header.Get("X-Accel-Buffering"); got != "no" {
		t.Errorf("X-Accel-Buffering %q, want no (nginx would hold the stream back)", got)
	}
	ev := stream.next("first event")
	if !strings.Contains(ev.data, "à partir de 5 réponses") || strings.Contains(ev.data, " %</span>") {
		t.Errorf("no answer yet: the first event shows figures:\n%s", ev.data)
	}

	cl.pupils(0, 4, "")
	ev = stream.next("after 4 answers")
	if strings.Contains(ev.data, " %</span>") || !strings.Contains(ev.data, "encore 1") {
		t.Errorf("4 answers: figures shown, or no « encore 1 »:\n%s", ev.data)
	}
	cl.pupils(4, 8, "")
	ev = stream.next("after 12 answers")
	if !strings.Contains(ev.data, `<strong id="live-n-pre">12</strong>`) || !strings.Contains(ev.data, " %</span>") {
		t.Errorf("12 answers: no distribution:\n%.2000s", ev.data)
	}
	for _, never := range []string{"Quel âge", "Tu es", "déjà", "code"} {
		if strings.Contains(ev.data, never) {
			t.Errorf("the live page shows %q (a profile question or a code)", never)
		}
	}
	// A reconnection with the version it has gets nothing new.
	again := cl.openStream(staff, ev.id)
	cl.pupils(12, 1, "")
	if got := again.next("reconnected"); got.id == ev.id {
		t.Errorf("a reconnected stream sent version %s again", got.id)
	}

	// POST: side by side, free text waits for approval.
	cl.phase(surveys.PhasePost)
	cl.pupils(100, 6, "J'ai appris le numéro %d")
	res, page := cl.pageGet(t, staff, live+"?part=1")
	// The polling fallback: unchanged is a 304, without a body.
	req, _ := http.NewRequest("GET", cl.URL+live+"?part=1", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	cached, err := staff.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cached.Body.Close()
	if cached.StatusCode != http.StatusNotModified || res.Header.Get("ETag") == "" {
		t.Errorf("polling with ETag %q: status %d, want 304", res.Header.Get("ETag"), cached.StatusCode)
	}
	mustContain(t, "POST live", page, `id="live-n-post">6<`, `class="lbar post"`, `class="lbar pre"`, "bonne réponse", "Aucune réponse montrée")
	if strings.Contains(page, "J&#39;ai appris") {
		t.Fatalf("free text shown before approval")
	}
	_, mod := cl.pageGet(t, staff, live+"/textes")
	mustContain(t, "moderation page", mod, "J&#39;ai appris le numéro 100", `name="shown" value="1"`)
	var approved, hiddenText string
	for _, r := range cl.responses(t, cl.w.ID) {
		if a, ok := r.Answers["retenu"]; ok && a.Text != "" {
			if approved == "" {
				approved = a.Text
				cl.pagePost(t, staff, live+"/textes", url.Values{"item": {"retenu"}, "response": {r.ID}, "shown": {"1"}}, nil)
			} else if hiddenText == "" {
				hiddenText = a.Text
				cl.pagePost(t, staff, live+"/textes", url.Values{"item": {"retenu"}, "response": {r.ID}, "shown": {"0"}}, nil)
			}
		}
	}
	_, page = cl.pageGet(t, staff, live+"?part=1")
	if !strings.Contains(page, strings.ReplaceAll(approved, "'", "&#39;")) {
		t.Errorf("approved text %q not on the live page", approved)
	}
	if n := strings.Count(page, "J&#39;ai appris"); n != 1 {
		t.Errorf("%d free texts on the live page, want only the approved one", n)
	}

	// Bad input: a choice question, an unknown answer, another workshop.
	for _, f := range []url.Values{
		{"item": {"odd_expliquer"}, "response": {"x"}, "shown": {"1"}},
		{"item": {"retenu"}, "response": {"inconnue"}, "shown": {"1"}},
		{"item": {"retenu"}, "response": {"x"}, "shown": {"oui"}},
	} {
		if res, _ := cl.pagePost(t, staff, live+"/textes", f, nil); res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("approval %v: status %d, want 4xx", f, res.StatusCode)
		}
	}
	other := cl.staff(cl.user(t, "autre@example.org", surveys.RoleFacilitator))
	if res, _ := cl.pageGet(t, other, live); res.StatusCode != http.StatusNotFound {
		t.Errorf("another facilitator's live page: status %d, want 404", res.StatusCode)
	}

	// Shutdown ends the streams at once.
	cl.Stop()
	deadline := time.After(30 * time.Second) // the stream's own end, far later
	for {
		select {
		case _, open := <-stream.events:
			if !open {
				return
			}
		case <-deadline:
			t.Fatal("the stream did not end on shutdown")
		}
	}
}
