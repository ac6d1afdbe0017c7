package mongodb

import (
	"maps"
	"sync"

	"declic/surveys"
)

// countCache keeps each workshop's answer counts per phase, and the last
// workshops' answers, on the embedded store only. There, counting a workshop's answers reads every stored
// answer (FerretDB 1.24 on SQLite uses an index for _id only), and the
// workshop page asks every few seconds while a class answers: without the
// cache, a year of answers would turn each poll into seconds of CPU taken
// from the pupils' answers. The embedded store's only writer is this
// process, so counting its own inserts keeps the cache exact. With
// MONGODB_URI several servers share the store and the index answers.
type countCache struct {
	mu     sync.Mutex
	counts map[string]map[surveys.Phase]int
	// gen changes with every write to a workshop's answers (all: to any
	// workshop's), so that a count read from the store while answers were
	// being added is never kept.
	gen map[string]uint64
	all uint64
	// inflight counts the inserts sent and not yet answered, per workshop:
	// a count read meanwhile may or may not include them.
	inflight map[string]int
	// answers keeps the last workshops' answers as read, with the token
	// they were read under: a results page and its four charts then read
	// the store once, and any write to the workshop's answers retires them.
	answers map[string]cachedAnswers
}

type cachedAnswers struct {
	token countToken
	rs    []*surveys.Response
}

// maxCachedAnswers bounds how many answers the cache holds in all.
const maxCachedAnswers = 20_000

// cachedResponses returns a workshop's answers as last read, or the token
// to hand to keepResponses after reading them from the store.
func (c *countCache) cachedResponses(workshopID string) ([]*surveys.Response, countToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := countToken{c.gen[workshopID], c.all}
	if e, ok := c.answers[workshopID]; ok && e.token == t && c.inflight[workshopID] == 0 {
		return e.rs, t, true
	}
	return nil, t, false
}

// keepResponses keeps answers read under t, unless they changed meanwhile.
func (c *countCache) keepResponses(workshopID string, rs []*surveys.Response, t countToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t != (countToken{c.gen[workshopID], c.all}) || c.inflight[workshopID] > 0 {
		return
	}
	held := len(rs)
	for _, e := range c.answers {
		held += len(e.rs)
	}
	if c.answers == nil || held > maxCachedAnswers {
		c.answers = map[string]cachedAnswers{}
	}
	c.answers[workshopID] = cachedAnswers{token: t, rs: rs}
}

type countToken struct{ gen, all uint64 }

// get returns a copy of the cached counts, or the token to hand to put
// after counting in the store.
func (c *countCache) get(workshopID string) (map[surveys.Phase]int, countToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.counts[workshopID]; ok {
		return maps.Clone(n), countToken{}, true
	}
	return nil, countToken{c.gen[workshopID], c.all}, false
}

// put keeps counts read from the store, unless answers changed meanwhile.
func (c *countCache) put(workshopID string, n map[surveys.Phase]int, t countToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t != (countToken{c.gen[workshopID], c.all}) || c.inflight[workshopID] > 0 {
		return
	}
	if c.counts == nil || len(c.counts) >= maxMemo {
		// Start again empty; all changes, so no count read before is kept.
		c.counts, c.gen = map[string]map[surveys.Phase]int{}, map[string]uint64{}
		c.all++
	}
	c.counts[workshopID] = maps.Clone(n)
}

// inserting is called before an answer is inserted, and inserted after,
// with whether it was a new answer (not a resend) stored.
func (c *countCache) inserting(workshopID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight == nil {
		c.inflight = map[string]int{}
	}
	c.inflight[workshopID]++
	c.bump(workshopID)
}

func (c *countCache) inserted(workshopID string, p surveys.Phase, created bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight[workshopID]--; c.inflight[workshopID] <= 0 {
		delete(c.inflight, workshopID)
	}
	if n, ok := c.counts[workshopID]; ok && created {
		n[p]++
	}
	c.bump(workshopID)
}

// forget drops one workshop's counts, or every workshop's when id is "".
func (c *countCache) forget(workshopID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if workshopID == "" {
		clear(c.counts)
		clear(c.answers)
		c.all++
		return
	}
	delete(c.counts, workshopID)
	delete(c.answers, workshopID)
	c.bump(workshopID)
}

func (c *countCache) bump(workshopID string) {
	if c.gen == nil {
		c.gen = map[string]uint64{}
	}
	c.gen[workshopID]++
}

// own is the count cache while this process is the store's only writer,
// else nil.
func (s *Store) own() *countCache {
	if s.shared.Load() {
		return nil
	}
	return s.counts
}

// forgetCounts drops cached counts after answers were deleted or imported.
func (s *Store) forgetCounts(workshopID string) {
	if c := s.own(); c != nil {
		c.forget(workshopID)
	}
}
