package main

import (
	"sync"
	"sync/atomic"
	"time"
)

// viewCache keeps the court-wide views (the chief's supervision report and
// agenda), which read every case, for a short time. Any change made through
// this instance's desk bumps the generation and so invalidates them at once;
// changes made through another instance show after at most ttl.
type viewCache struct {
	ttl time.Duration
	gen atomic.Int64
	mu  sync.Mutex
	m   map[string]cachedView
}

type cachedView struct {
	gen     int64
	expires time.Time
	v       any
}

// get returns the cached value of key, or computes and keeps it.
func (c *viewCache) get(key string, now time.Time, fn func() (any, error)) (any, error) {
	if c == nil || c.ttl <= 0 {
		return fn()
	}
	gen := c.gen.Load()
	c.mu.Lock()
	if e, ok := c.m[key]; ok && e.gen == gen && now.Before(e.expires) {
		c.mu.Unlock()
		return e.v, nil
	}
	c.mu.Unlock()
	v, err := fn()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cachedView{}
	}
	c.m[key] = cachedView{gen: gen, expires: now.Add(c.ttl), v: v}
	c.mu.Unlock()
	return v, nil
}

// invalidate drops every cached view.
func (c *viewCache) invalidate() {
	if c != nil {
		c.gen.Add(1)
	}
}
