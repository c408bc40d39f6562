package sms

import (
	"sync"
	"time"
)

// replayCache remembers keys (signatures, event IDs) until they expire. It
// holds at most max keys; when full it forgets the oldest first. Only
// requests whose signature verified reach it, so an outsider cannot flush
// it without the secret.
type replayCache struct {
	mu    sync.Mutex
	max   int
	seen  map[string]time.Time // key -> expiry
	order []replayEntry        // insertion order, for expiry and eviction
}

type replayEntry struct {
	key    string
	expiry time.Time
}

func newReplayCache(max int) *replayCache {
	return &replayCache{max: max, seen: make(map[string]time.Time)}
}

// reserve records keys until expiry and reports true, or reports false
// without recording anything if any key is already live at now.
func (c *replayCache) reserve(keys []string, expiry, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(now)
	for _, k := range keys {
		if exp, ok := c.seen[k]; ok && now.Before(exp) {
			return false
		}
	}
	for len(c.seen)+len(keys) > c.max && len(c.order) > 0 {
		c.evictFront()
	}
	for _, k := range keys {
		c.seen[k] = expiry
		c.order = append(c.order, replayEntry{k, expiry})
	}
	return true
}

// release forgets keys reserved with expiry, so the sender can retry an
// event whose callback failed.
func (c *replayCache) release(keys []string, expiry time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if exp, ok := c.seen[k]; ok && exp.Equal(expiry) {
			delete(c.seen, k)
		}
	}
}

// purge drops expired and released entries from the front of the order.
func (c *replayCache) purge(now time.Time) {
	for len(c.order) > 0 {
		e := c.order[0]
		exp, ok := c.seen[e.key]
		switch {
		case !ok || !exp.Equal(e.expiry):
			// Released, or re-reserved later under a newer entry.
		case !now.Before(exp):
			delete(c.seen, e.key)
		default:
			// The front entry is live; later ones may have expired
			// earlier (expiries follow signed timestamps, not insertion),
			// but they are bounded by max and dropped in turn.
			c.compact()
			return
		}
		c.order[0] = replayEntry{}
		c.order = c.order[1:]
	}
	c.order = nil
}

func (c *replayCache) evictFront() {
	e := c.order[0]
	if exp, ok := c.seen[e.key]; ok && exp.Equal(e.expiry) {
		delete(c.seen, e.key)
	}
	c.order[0] = replayEntry{}
	c.order = c.order[1:]
}

// compact rebuilds order when released entries make it much longer than
// the live set, so memory stays bounded by max.
func (c *replayCache) compact() {
	if len(c.order) <= 2*c.max+16 {
		return
	}
	live := make([]replayEntry, 0, len(c.seen))
	for _, e := range c.order {
		if exp, ok := c.seen[e.key]; ok && exp.Equal(e.expiry) {
			live = append(live, e)
		}
	}
	c.order = live
}
