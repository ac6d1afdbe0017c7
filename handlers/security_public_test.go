package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"declic/handlers"
	"declic/surveys"
)

// phone answers a workshop the way a pupil's browser does, without
// JavaScript: the code step, the questions, the thank-you page.
func (ts *testServer) phone(t testing.TB, from, code string, n int) (status int) {
	t.Helper()
	device := &http.Cookie{Name: "declic_appareil", Value: fmt.Sprintf("appareil-%02d-aaaaaaaaaaaaaaaa", n)}
	rec := ts.request(request{method: "GET", path: "/f/" + code, from: from, cookies: []*http.Cookie{device}})
	if rec.Code != http.StatusOK {
		return rec.Code
	}
	rec = ts.request(request{method: "POST", path: "/f/" + code + "/code", from: from, cookies: []*http.Cookie{device},
		body: form("code_mere", "M", "code_jour", strconv.Itoa(n%28+1), "code_mois", "3", "code_lettre2", "A")})
	if rec.Code != http.StatusOK {
		return rec.Code
	}
	v := url.Values{"a_q1": {"4"}}
	for _, m := range hiddenFieldRe.FindAllStringSubmatch(rec.Body.String(), -1) {
		v.Set(m[1], strings.ReplaceAll(m[2], "&#43;", "+"))
	}
	rec = ts.request(request{method: "POST", path: "/f/" + code, from: from, cookies: []*http.Cookie{device}, body: v.Encode()})
	if rec.Code != http.StatusSeeOther {
		return rec.Code
	}
	rec = ts.request(request{method: "GET", path: rec.Header().Get("Location"), from: from, cookies: []*http.Cookie{device}})
	return rec.Code
}

// The contract's promise: a classroom of 40 phones behind one school
// address, each answering once within a minute, never sees a 429.
func TestClassroomBehindOneAddressNeverLimited(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), withLimits(handlers.DefaultRateLimits.PerClient, handlers.DefaultRateLimits.PerWorkshop))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier ODD", surveys.PhasePre)
	for n := range 40 {
		ts.Clock.Add(time.Second) // 40 answers within 40 seconds
		if status := ts.phone(t, "198.51.100.20", w.Code, n); status != http.StatusOK {
			t.Fatalf("phone %d of the classroom = %d, want every step to go through", n+1, status)
		}
	}
	if got := ts.count(t, w.ID); got != 40 {
		t.Errorf("stored %d answers, want 40", got)
	}
	// A second class, right after, behind the same address: POST this time.
	w2 := ts.likertWorkshop(t, owner, "Atelier 2", surveys.PhasePre)
	for n := range 40 {
		if rec := ts.answerFrom("198.51.100.20", w2.Code, fmt.Sprintf("second-class-%02d", n)); rec.Code != http.StatusCreated {
			t.Fatalf("answer %d of the second class = %d, want 201", n+1, rec.Code)
		}
	}
}

// Finding 5: one client posted 500 answers in 1.5 s.
func TestAnswerLimitPerClient(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), withLimits(handlers.DefaultRateLimits.PerClient, handlers.DefaultRateLimits.PerWorkshop))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhasePre)
	for i := range 120 {
		if rec := ts.answerFrom("203.0.113.5", w.Code, fmt.Sprintf("flood-%03d", i)); rec.Code != http.StatusCreated {
			t.Fatalf("answer %d = %d, want 201", i+1, rec.Code)
		}
	}
	rec := ts.answerFrom("203.0.113.5", w.Code, "flood-121")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "too_many_requests") {
		t.Fatalf("answer 121 within a minute = %d %s (Retry-After %q), want 429 with Retry-After", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	wait, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
	if got := ts.count(t, w.ID); got != 120 {
		t.Errorf("stored %d answers, want 120: a refused answer is not stored", got)
	}
	// Another client is not slowed down.
	if rec := ts.answerFrom("203.0.113.6", w.Code, "other-client"); rec.Code != http.StatusCreated {
		t.Errorf("another client = %d, want 201", rec.Code)
	}
	// After Retry-After, the same answer goes through.
	ts.Clock.Add(time.Duration(wait) * time.Second)
	if rec := ts.answerFrom("203.0.113.5", w.Code, "flood-121"); rec.Code != http.StatusCreated {
		t.Errorf("after Retry-After (%d s) = %d, want 201", wait, rec.Code)
	}
	// The pupil form explains it in French and keeps the answers.
	for range 5 {
		ts.answerFrom("203.0.113.5", w.Code, "again")
	}
	rec = ts.request(request{method: "POST", path: "/f/" + w.Code, from: "203.0.113.5",
		body: form("a_q1", "4", "code_mere", "M", "code_jour", "2", "code_mois", "3", "code_lettre2", "A", "submission_id", "form-limited")})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "Beaucoup de réponses arrivent en même temps") || !strings.Contains(rec.Body.String(), `name="submission_id" value="form-limited"`) {
		t.Errorf("pupil form past the limit = %d, want 429 in French with the answers kept: %.600s", rec.Code, rec.Body)
	}
}

func TestAnswerLimitPerWorkshop(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), withLimits(handlers.DefaultRateLimits.PerClient, handlers.DefaultRateLimits.PerWorkshop))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhasePre)
	other := ts.likertWorkshop(t, owner, "Autre atelier", surveys.PhasePre)
	for i := range 300 {
		from := fmt.Sprintf("10.%d.%d.1", i/200, i%200)
		if rec := ts.answerFrom(from, w.Code, fmt.Sprintf("w-%03d", i)); rec.Code != http.StatusCreated {
			t.Fatalf("answer %d = %d, want 201", i+1, rec.Code)
		}
	}
	if rec := ts.answerFrom("192.0.2.200", w.Code, "w-301"); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("answer 301 to one workshop within a minute = %d, want 429 with Retry-After", rec.Code)
	}
	if rec := ts.answerFrom("192.0.2.200", other.Code, "o-1"); rec.Code != http.StatusCreated {
		t.Errorf("the same client into another workshop = %d, want 201", rec.Code)
	}
}

// Finding 5: 4,000 workshop codes tried at 785 a second. Codes that open
// nothing are charged like answers.
func TestCodeProbingLimited(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2), withLimits(handlers.DefaultRateLimits.PerClient, handlers.DefaultRateLimits.PerWorkshop))
	limited := 0
	for i := range 200 {
		rec := ts.request(request{method: "GET", path: fmt.Sprintf("/f/ZZ%04d", i), from: "203.0.113.9"})
		if rec.Code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 80 {
		t.Errorf("200 unknown codes in a row: %d refused, want 80 (120 a minute)", limited)
	}
	rec := ts.answerFrom("203.0.113.9", "ZZZZZZ", "probe")
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("API probe past the limit = %d, want 429", rec.Code)
	}
	if rec := ts.request(request{method: "GET", path: "/f/ZZZZZZ/merci", from: "203.0.113.9"}); rec.Code != http.StatusTooManyRequests {
		t.Errorf("probe through the thank-you page past the limit = %d, want 429", rec.Code)
	}
}

func TestRateLimitsOff(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2)) // the zero value: DECLIC_RATE_LIMITS=0
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhasePre)
	for i := range 400 {
		if rec := ts.answerFrom("203.0.113.5", w.Code, fmt.Sprintf("load-%03d", i)); rec.Code != http.StatusCreated {
			t.Fatalf("answer %d with limits off = %d, want 201", i+1, rec.Code)
		}
	}
	for _, tt := range []struct {
		in   string
		want handlers.RateLimits
		ok   bool
	}{{"", handlers.RateLimits{PerClient: 120, PerWorkshop: 300}, true}, {"0", handlers.RateLimits{}, true},
		{" 60 , 200 ", handlers.RateLimits{PerClient: 60, PerWorkshop: 200}, true}, {"120", handlers.RateLimits{}, false}, {"a,b", handlers.RateLimits{}, false}, {"-1,5", handlers.RateLimits{}, false}} {
		got, err := handlers.ParseRateLimits(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseRateLimits(%q) = %+v, %v; want %+v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// Finding 5: /f/{code} of a closed workshop showed its title. Now a
// closed workshop and a code that matches none get the same page.
func TestClosedAndUnknownLookTheSame(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Collège Jean Macé, 4e B", surveys.PhaseClosed)
	unknown := "ZZZ" + w.Code[3:]
	if unknown == w.Code {
		unknown = "YYY" + w.Code[3:]
	}
	closed := ts.request(request{method: "GET", path: "/f/" + w.Code})
	none := ts.request(request{method: "GET", path: "/f/" + unknown})
	if closed.Code != none.Code || closed.Code != http.StatusNotFound {
		t.Errorf("closed workshop = %d, unknown code = %d; want the same, 404", closed.Code, none.Code)
	}
	if strings.Contains(closed.Body.String(), "Jean Macé") {
		t.Errorf("the page of a closed workshop shows its title")
	}
	if a, b := strings.ReplaceAll(closed.Body.String(), w.Code, "CODE"), strings.ReplaceAll(none.Body.String(), unknown, "CODE"); a != b {
		t.Errorf("closed and unknown pages differ beyond the code typed")
	}
	for _, want := range []string{"Le questionnaire n'est pas ouvert", "attends", "Vérifie le code", `action="/f"`, "Réessayer"} {
		if !strings.Contains(closed.Body.String(), want) {
			t.Errorf("the page does not say %q", want)
		}
	}
}

// Finding 6: log lines stamped each form answer to the microsecond, and
// some carried the workshop code.
func TestPupilLogLinesHourOnlyNoCode(t *testing.T) {
	ts := newTestServer(t, withoutAdmin, at(march2))
	owner := ts.userWithPassword(t, "anim@example.org", surveys.RoleFacilitator, "mot-de-passe-anim")
	w := ts.likertWorkshop(t, owner, "Atelier", surveys.PhasePre)
	ts.phone(t, "198.51.100.20", w.Code, 1)
	ts.answerFrom("198.51.100.20", w.Code, "api-1")
	ts.request(request{method: "GET", path: "/f/NOPE42"})
	var pupilLines int
	for _, line := range strings.Split(strings.TrimSpace(ts.Logs.String()), "\n") {
		if !strings.Contains(line, `"route":"/f`) && !strings.Contains(line, `"route":"/api/v1/forms`) && !strings.Contains(line, `"route":"(none)"`) {
			continue
		}
		pupilLines++
		if strings.Contains(line, w.Code) || strings.Contains(line, "NOPE42") {
			t.Errorf("a pupil log line carries the workshop code: %s", line)
		}
		m := regexp.MustCompile(`"time":"([^"]+)"`).FindStringSubmatch(line)
		if m == nil {
			continue // no time at all is fine too
		}
		at, err := time.Parse(time.RFC3339Nano, m[1])
		if err != nil || !at.Equal(at.Truncate(time.Hour)) {
			t.Errorf("a pupil log line is stamped %s, want the hour only: %s", m[1], line)
		}
	}
	if pupilLines < 4 {
		t.Errorf("%d pupil log lines, want the requests logged (by route and hour): %s", pupilLines, ts.Logs)
	}
}
