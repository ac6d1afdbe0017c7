package httpx

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// Login throttling. Failures are counted per (e-mail, client) and per
// client; past a few, each new failure doubles the wait before the next
// try. State lives in this process's memory only (several processes each
// keep their own), and client addresses are kept only as keyed hashes
// (see Hasher), never stored or logged.
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
	// Forget drops the key's failures on a success: an (e-mail, client)
	// key does, a client key does not, so that one good account does not
	// reset a client trying many.
	Forget bool
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

// End settles a try. A success forgets the failures of the keys marked
// Forget.
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
		if out == TryOK && k.Forget {
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

// Hasher turns client addresses into keys that mean nothing outside this
// process: an HMAC under a key drawn at start and never written anywhere,
// so that a memory dump of the maps gives back no address.
type Hasher struct{ key []byte }

func NewHasher() *Hasher {
	k := make([]byte, 32)
	rand.Read(k)
	return &Hasher{key: k}
}

// Sum is the key of s: 16 bytes of HMAC-SHA256, as a string.
func (h *Hasher) Sum(s string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(s))
	return string(m.Sum(nil)[:16])
}
