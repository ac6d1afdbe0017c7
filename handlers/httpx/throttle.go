package httpx

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Login throttling. Failures are counted per e-mail address and per client
// address; past a few, each new failure doubles the wait before the next
// try. State lives in this process's memory only (several processes each
// keep their own), and client addresses are never stored or logged.
const (
	throttleFirstWait = 2 * time.Second
	throttleMaxWait   = 15 * time.Minute
	// throttleForget drops the failures of a key left alone this long.
	throttleForget     = time.Hour
	throttleMaxEntries = 10_000
)

type strikes struct {
	failures int
	last     time.Time // last failure
	until    time.Time // no try before this
}

// Throttle counts login failures per key, in a map of bounded size.
type Throttle struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*strikes
	max     int
}

func NewThrottle(now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{now: now, entries: map[string]*strikes{}, max: throttleMaxEntries}
}

// Key is one thing failures are counted on, and how many failures
// it may have before waits begin.
type Key struct {
	Name string
	Free int
}

// Begin lets a try through, or returns how long the caller must still
// wait. A try let through counts as a failure until end says otherwise, so
// that many tries sent at once cannot all slip past the limit.
func (t *Throttle) Begin(keys []Key) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var longest time.Duration
	for _, k := range keys {
		if e := t.entries[k.Name]; e != nil {
			if t.stale(e, now) {
				delete(t.entries, k.Name)
			} else if d := e.until.Sub(now); d > longest {
				longest = d
			}
		}
	}
	if longest > 0 {
		return longest
	}
	for _, k := range keys {
		e := t.entries[k.Name]
		if e == nil {
			t.makeRoom(now)
			e = &strikes{}
			t.entries[k.Name] = e
		}
		e.failures++
		e.last = now
		if over := e.failures - k.Free; over >= 0 {
			e.until = now.Add(backoff(over))
		}
	}
	return 0
}

// Outcome is how a try that begin let through ended.
type Outcome int

const (
	TryFailed Outcome = iota // wrong credentials: the failure stays counted
	TryOK                    // logged in
	TryError                 // the store failed: the try does not count
)

// End settles a try. A success forgets the e-mail's failures but not the
// client's, so that one good account does not reset a client trying many.
func (t *Throttle) End(keys []Key, out Outcome) {
	if out == TryFailed {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		e := t.entries[k.Name]
		if e == nil {
			continue
		}
		if out == TryOK && strings.HasPrefix(k.Name, "e:") {
			delete(t.entries, k.Name)
			continue
		}
		e.failures--
		switch over := e.failures - k.Free; {
		case e.failures <= 0:
			delete(t.entries, k.Name)
		case over < 0:
			e.until = time.Time{}
		default:
			e.until = e.last.Add(backoff(over))
		}
	}
}

func (t *Throttle) stale(e *strikes, now time.Time) bool {
	return !now.Before(e.until) && now.Sub(e.last) >= throttleForget
}

// makeRoom keeps the map under its bound: stale entries go first, then the
// one whose last failure is oldest.
func (t *Throttle) makeRoom(now time.Time) {
	if len(t.entries) < t.max {
		return
	}
	for k, e := range t.entries {
		if t.stale(e, now) {
			delete(t.entries, k)
		}
	}
	for len(t.entries) >= t.max {
		var oldest string
		var at time.Time
		for k, e := range t.entries {
			if oldest == "" || e.last.Before(at) {
				oldest, at = k, e.last
			}
		}
		delete(t.entries, oldest)
	}
}

// backoff is the wait after `over` failures past the free ones: 2 s, 4 s,
// 8 s… up to 15 minutes.
func backoff(over int) time.Duration {
	if over > 20 {
		return throttleMaxWait
	}
	return min(throttleFirstWait<<over, throttleMaxWait)
}

// ClientAddr is the address failures are counted on. Behind a reverse
// proxy on this machine or the local network, it is the last address the
// proxy put in X-Forwarded-For; an IPv6 client counts as its /64.
func ClientAddr(c *gin.Context) string {
	addr, err := netip.ParseAddr(c.RemoteIP())
	if err != nil {
		return "?"
	}
	addr = addr.Unmap()
	if addr.IsLoopback() || addr.IsPrivate() {
		if xff := c.GetHeader("X-Forwarded-For"); xff != "" && len(xff) < 1000 {
			last := strings.TrimSpace(xff[strings.LastIndexByte(xff, ',')+1:])
			if a, err := netip.ParseAddr(last); err == nil {
				addr = a.Unmap()
			}
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
