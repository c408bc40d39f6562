package desk

import (
	"sync"
	"sync/atomic"

	"github.com/courtkit/zhixing/deadline"
)

// NewViewCache returns a cache keeping at most max views (0 keeps none).
func NewViewCache(max int) *ViewCache { return &ViewCache{max: max} }

// Computed returns how many views the cache has computed.
func (c *ViewCache) Computed() int64 { return c.computed.Load() }

// ViewCache keeps the views that read many cases (a judge's reminders, the
// chief's agenda and supervision report), and
// checks them on every read: a kept view is served only if its stamp (the
// court's revision in the store and the calendar in use) is still current,
// so an answer is never older than the data, whichever instance on the
// database made the change. Concurrent misses of one view compute it once.
// It holds at most max views, dropping views of earlier days first, then
// the least recently used.
type ViewCache struct {
	max int
	// computed counts the views computed through the cache (misses).
	computed atomic.Int64

	mu   sync.Mutex
	m    map[viewKey]*viewEntry
	tick uint64
}

// viewKey names a view: its kind, the judge (empty for court-wide views)
// and the day it is computed for.
type viewKey struct {
	court       string
	view, judge string
	day         deadline.Date
	limit       int // how many entries a list holds (reminders, report)
}

// viewStamp is what a view was computed from: the court's revision
// (sqlstore.Store.Revision, raised by every change to its cases, due items
// and plans) read before computing, and the calendar it was computed on.
type viewStamp struct {
	rev int64
	cal *deadline.Calendar
}

// covers reports whether a view computed at s may be served for a request
// that read t: the same calendar and no older revision. A view computed
// from data newer than the request read is not stale.
func (s viewStamp) covers(t viewStamp) bool { return s.cal == t.cal && s.rev >= t.rev }

type viewEntry struct {
	stamp viewStamp
	done  chan struct{} // closed once v and err are set
	v     any
	err   error
	used  uint64
}

// viewFunc computes a view.
type viewFunc func() (v any, err error)

// get returns the view key at stamp: the kept one if it covers stamp, the
// one being computed for stamp by another request, or a new one from fn.
// A failed computation is not kept; requests that waited for it compute
// the view themselves.
func (c *ViewCache) get(key viewKey, stamp viewStamp, fn viewFunc) (any, error) {
	if c == nil || c.max <= 0 {
		return fn()
	}
	c.mu.Lock()
	c.tick++
	if e, ok := c.m[key]; ok && e.stamp.covers(stamp) {
		e.used = c.tick
		c.mu.Unlock()
		<-e.done
		if e.err != nil {
			return fn()
		}
		return e.v, nil
	}
	e := &viewEntry{stamp: stamp, done: make(chan struct{}), used: c.tick}
	if c.m == nil {
		c.m = map[viewKey]*viewEntry{}
	}
	c.m[key] = e
	c.prune(key.day)
	c.mu.Unlock()

	c.computed.Add(1)
	e.v, e.err = fn()
	if e.err != nil {
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.v, e.err
}

// prune drops views of days before day, then the least recently used views
// while there are more than max. c.mu is held.
func (c *ViewCache) prune(day deadline.Date) {
	for k := range c.m {
		if k.day.Before(day) {
			delete(c.m, k)
		}
	}
	for len(c.m) > c.max {
		var oldest viewKey
		first := true
		for k, e := range c.m {
			if first || e.used < c.m[oldest].used {
				oldest, first = k, false
			}
		}
		delete(c.m, oldest)
	}
}

// len returns the number of views kept.
func (c *ViewCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
