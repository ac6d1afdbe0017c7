package handlers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"declic/handlers/httpx"
	"declic/surveys"
)

// RateLimits caps the answers the public routes take, per minute: from
// one client (an address, or an IPv6 /64) and into one workshop. 0 is no
// cap. A classroom behind one school address sends one answer per pupil
// and phase, far below PerClient.
type RateLimits struct {
	PerClient   int
	PerWorkshop int
}

// DefaultRateLimits are the contract's figures.
var DefaultRateLimits = RateLimits{PerClient: 120, PerWorkshop: 300}

// ParseRateLimits reads DECLIC_RATE_LIMITS: "120,300" (per client, per
// workshop), "0" for no limit at all, "" for the defaults.
func ParseRateLimits(v string) (RateLimits, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return DefaultRateLimits, nil
	}
	if v == "0" {
		return RateLimits{}, nil
	}
	a, b, ok := strings.Cut(v, ",")
	n1, err1 := strconv.Atoi(strings.TrimSpace(a))
	n2, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n1 < 0 || n2 < 0 {
		return RateLimits{}, fmt.Errorf("DECLIC_RATE_LIMITS %q: want two whole numbers of answers a minute, per client and per workshop (e.g. 120,300), or 0 for no limit", v)
	}
	return RateLimits{PerClient: n1, PerWorkshop: n2}, nil
}

// maxLimiters bounds each map; past it, limiters that are full again
// (the same as new ones) are dropped first.
const maxLimiters = 50_000

// answerLimits holds one token bucket per client and per workshop, in
// memory. Clients are keyed by a hash under a key drawn at start, so no
// address is ever kept, even in memory.
type answerLimits struct {
	cfg    RateLimits
	hasher *httpx.Hasher

	mu        sync.Mutex
	clients   map[string]*rate.Limiter
	workshops map[string]*rate.Limiter
}

func newAnswerLimits(cfg RateLimits, h *httpx.Hasher) *answerLimits {
	return &answerLimits{cfg: cfg, hasher: h, clients: map[string]*rate.Limiter{}, workshops: map[string]*rate.Limiter{}}
}

func (l *answerLimits) limiter(m map[string]*rate.Limiter, key string, perMinute int, now time.Time) *rate.Limiter {
	if lim := m[key]; lim != nil {
		return lim
	}
	if len(m) >= maxLimiters {
		for k, lim := range m {
			if lim.TokensAt(now) >= float64(lim.Burst()) {
				delete(m, k)
			}
		}
		if len(m) >= maxLimiters {
			clear(m) // only under a flood from that many clients at once
		}
	}
	lim := rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)
	m[key] = lim
	return lim
}

// take charges one answer to client and, when workshopID is not "", to
// that workshop. It returns 0 when the answer may go on, else how long to
// wait; a refused answer is charged to neither.
func (l *answerLimits) take(now time.Time, client, workshopID string) time.Duration {
	if l.cfg.PerClient <= 0 && (l.cfg.PerWorkshop <= 0 || workshopID == "") {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var rs []*rate.Reservation
	if l.cfg.PerClient > 0 {
		rs = append(rs, l.limiter(l.clients, l.hasher.Sum(client), l.cfg.PerClient, now).ReserveN(now, 1))
	}
	if l.cfg.PerWorkshop > 0 && workshopID != "" {
		rs = append(rs, l.limiter(l.workshops, workshopID, l.cfg.PerWorkshop, now).ReserveN(now, 1))
	}
	var wait time.Duration
	for _, r := range rs {
		wait = max(wait, r.DelayFrom(now))
	}
	if wait > 0 {
		for _, r := range rs {
			r.CancelAt(now)
		}
	}
	return wait
}

// limitAnswer charges an answer to the request's client and to w (nil
// for a code that matches no workshop: a miss, charged to the client
// alone, so that trying codes one after another is as slow as answering).
// When the limit is reached it sets Retry-After and returns the error.
func (s *server) limitAnswer(c *gin.Context, w *surveys.Workshop) error {
	id := ""
	if w != nil {
		id = w.ID
	}
	wait := s.limits.take(s.now(), s.Proxies.ClientKey(c.Request), id)
	if wait <= 0 {
		return nil
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	return &surveys.Error{Code: codeTooManyRequests, Message: fmt.Sprintf(
		"Trop de réponses en même temps : réessayez dans %s. Une réponse renvoyée avec le même submission_id n'est enregistrée qu'une fois.", frenchWait(secs))}
}
