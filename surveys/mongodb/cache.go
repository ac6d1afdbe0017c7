package mongodb

import (
	"context"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"

	"declic/surveys"
)

// maxMemo bounds each memo; past it the memo starts again empty, which
// costs one lookup per entry and keeps memory flat.
const maxMemo = 1024

// memo keeps facts that never change once stored (a questionnaire under
// its ID, the workshop ID behind a code), so the answering path does not
// read them from the store each time. Each process keeps its own; since
// the facts never change, several processes sharing one store agree.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

func (c *memo[V]) get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxMemo {
		c.m = make(map[string]V)
	}
	c.m[k] = v
}

func (c *memo[V]) forget(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// workshopTTL bounds how long a cached workshop is trusted even without a
// write seen: a safety net should something else write to the store.
const workshopTTL = time.Second

// workshopCache keeps workshops by code for the pupil and answering paths,
// only on the embedded store, whose sole client is this process: every
// write to the workshops collection goes through this process's driver,
// whose command monitor empties the cache when the write is sent and keeps
// it from being refilled until the write has answered. A phase opened or
// closed is therefore seen by the next request, as without the cache.
// With MONGODB_URI several servers may share the store, so there is no
// cache and every request reads the workshop.
type workshopCache struct {
	mu       sync.Mutex
	byCode   map[string]cachedWorkshop
	gen      uint64
	inflight map[int64]bool // request IDs of workshop writes not yet answered
}

type cachedWorkshop struct {
	w  surveys.Workshop
	at time.Time
}

// get returns a copy of the cached workshop, and else the generation to
// hand to put after reading it from the store.
func (c *workshopCache) get(code string) (*surveys.Workshop, uint64) {
	if c == nil {
		return nil, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byCode[code]; ok && time.Since(e.at) < workshopTTL {
		w := e.w
		w.Tags, w.Facilitators = slices.Clone(w.Tags), slices.Clone(w.Facilitators)
		return &w, 0
	}
	return nil, c.gen
}

// put caches w unless a workshop write was sent since gen was read.
func (c *workshopCache) put(code string, w *surveys.Workshop, gen uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || len(c.inflight) > 0 {
		return
	}
	if c.byCode == nil || len(c.byCode) >= maxMemo {
		c.byCode = make(map[string]cachedWorkshop)
	}
	e := cachedWorkshop{w: *w, at: time.Now()}
	e.w.Tags, e.w.Facilitators = slices.Clone(w.Tags), slices.Clone(w.Facilitators)
	c.byCode[code] = e
}

func (c *workshopCache) writeStarted(requestID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight == nil {
		c.inflight = map[int64]bool{}
	}
	c.inflight[requestID] = true
	c.gen++
	clear(c.byCode)
}

func (c *workshopCache) writeEnded(requestID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight[requestID] {
		delete(c.inflight, requestID)
		c.gen++
	}
}

// monitor reports the workshop writes of one database to the cache.
func (c *workshopCache) monitor(database string) *event.CommandMonitor {
	return &event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			if e.DatabaseName != database {
				return
			}
			switch e.CommandName {
			case "dropDatabase":
				c.writeStarted(e.RequestID)
			case "insert", "update", "delete", "findAndModify", "drop", "renameCollection":
				if coll, _ := e.Command.Lookup(e.CommandName).StringValueOK(); coll == "workshops" {
					c.writeStarted(e.RequestID)
				}
			}
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) { c.writeEnded(e.RequestID) },
		Failed:    func(_ context.Context, e *event.CommandFailedEvent) { c.writeEnded(e.RequestID) },
	}
}
