package handlers

import (
	"container/list"
	"context"
	"crypto/sha256"
	"declic/surveys"
	"encoding/hex"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"
)

// resultsCache keeps the last results and reports computed, keyed by the
// versions of the workshops they read: a results page and its four charts
// arrive together and read the answers once; any new answer, exclusion or
// change makes a new version, so a kept result is never stale, whichever
// process changed the data. Results are shared: nothing may change them.
type resultsCache struct {
	group singleflight.Group

	mu    sync.Mutex
	order *list.List // most recent first; values are keys
	items map[string]cached
	max   int
}

type cached struct {
	value any
	elem  *list.Element
}

func newResultsCache(max int) *resultsCache {
	return &resultsCache{order: list.New(), items: map[string]cached{}, max: max}
}

// get returns the value for key, computing it once however many requests
// ask at the same time. Errors are not kept.
func (rc *resultsCache) get(key string, compute func() (any, error)) (any, error) {
	rc.mu.Lock()
	if c, ok := rc.items[key]; ok {
		rc.order.MoveToFront(c.elem)
		rc.mu.Unlock()
		return c.value, nil
	}
	rc.mu.Unlock()
	v, err, _ := rc.group.Do(key, func() (any, error) {
		// Kept by a computation that ended since the check above.
		rc.mu.Lock()
		if c, ok := rc.items[key]; ok {
			rc.mu.Unlock()
			return c.value, nil
		}
		rc.mu.Unlock()
		v, err := compute()
		if err != nil {
			return nil, err
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if _, ok := rc.items[key]; !ok {
			rc.items[key] = cached{value: v, elem: rc.order.PushFront(key)}
			for rc.order.Len() > rc.max {
				old := rc.order.Remove(rc.order.Back()).(string)
				delete(rc.items, old)
			}
		}
		return v, nil
	})
	return v, err
}

// workshopVersions lists the workshops' IDs and versions, for versionKey.
func workshopVersions(ws []*surveys.Workshop) ([]string, []int64) {
	ids, versions := make([]string, len(ws)), make([]int64, len(ws))
	for i, w := range ws {
		ids[i], versions[i] = w.ID, w.Version
	}
	return ids, versions
}

// addResponses streams the responses of ws into b, with each workshop's
// head count. It runs to its end even when the request that asked goes
// away: the cache gives the result to every request waiting for it.
func (s *server) addResponses(ctx context.Context, b *surveys.ResultsBuilder, ws []*surveys.Workshop) error {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
		b.SetAttendance(w.ID, w.Attendance)
	}
	return s.Store.EachResponse(context.WithoutCancel(ctx), ids, func(r *surveys.Response) error {
		b.Add(r)
		return nil
	})
}

// versionKey names what a computation read: its kind, its parameters and
// every workshop with its version.
func versionKey(kind string, params []string, ids []string, versions []int64) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range params {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	for i, id := range ids {
		h.Write([]byte{1})
		h.Write([]byte(id + ":" + strconv.FormatInt(versions[i], 10)))
	}
	return kind + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}
