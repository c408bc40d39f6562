package auth

import (
	"container/list"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"
)

// RateLimitError is a sign-in refused for too many failures; it matches
// ErrRateLimited. RetryAfter is when the client may try again.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", ErrRateLimited, e.RetryAfter)
}

// Is reports whether target is ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// RetryAfter returns the whole seconds after which a refused sign-in may be
// tried again (at least 1), and whether err is a refusal for too many
// failures.
func RetryAfter(err error) (int, bool) {
	if !errors.Is(err, ErrRateLimited) {
		return 0, false
	}
	secs := 1
	var rl *RateLimitError
	if errors.As(err, &rl) {
		if s := int((rl.RetryAfter + time.Second - 1) / time.Second); s > secs {
			secs = s
		}
	}
	return secs, true
}

// DefaultLimiterSize is how many keys a limiter remembers by default.
const DefaultLimiterSize = 10_000

// Limiter counts sign-in attempts and failures per key (an address, an
// account, or an account from one address) in a table of fixed size: keys
// are stored as 16-byte digests, and when the table is full the entry used
// least recently is forgotten, so its memory is bounded whatever the
// requests. Attempts are reserved before the slow password check, so no
// more than the limit are ever checked at once. It takes the time as a
// parameter and is safe for concurrent use.
type Limiter struct {
	mu      sync.Mutex
	max     int
	window  time.Duration
	size    int
	entries map[digest]*list.Element
	lru     list.List // of *entry, most recently used first

	// Backoff is the delay before checking a sign-in to an account that
	// has reached the limit of failures (from any address); it doubles
	// with each further failure up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
}

type digest [16]byte

type entry struct {
	key     digest
	fails   int
	last    time.Time // of the last failure
	pending int       // attempts reserved and not yet finished
}

// NewLimiter returns a limiter of max failures per window that remembers
// up to size keys (DefaultLimiterSize when size ≤ 0).
func NewLimiter(max int, window time.Duration, size int) *Limiter {
	if size <= 0 {
		size = DefaultLimiterSize
	}
	return &Limiter{max: max, window: window, size: size, entries: make(map[digest]*list.Element, size),
		Backoff: time.Second, MaxBackoff: 8 * time.Second}
}

// Len returns how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

func digestOf(key string) digest {
	h := sha256.Sum256([]byte(key))
	var d digest
	copy(d[:], h[:])
	return d
}

// get returns the entry of key, creating it (and forgetting the least
// recently used entry when the table is full) if create is set.
func (l *Limiter) get(d digest, now time.Time, create bool) *entry {
	if el, ok := l.entries[d]; ok {
		l.lru.MoveToFront(el)
		e := el.Value.(*entry)
		if e.fails > 0 && now.Sub(e.last) >= l.window {
			e.fails = 0
		}
		return e
	}
	if !create {
		return nil
	}
	if len(l.entries) >= l.size {
		old := l.lru.Back()
		l.lru.Remove(old)
		delete(l.entries, old.Value.(*entry).key)
	}
	e := &entry{key: d}
	l.entries[d] = l.lru.PushFront(e)
	return e
}

// attempt is a reserved sign-in attempt.
type attempt struct {
	l       *Limiter
	keys    []digest // strict keys, then the account key
	account digest
	// Delay is how long to wait before checking the credentials.
	Delay time.Duration
}

// reserve reserves an attempt at now. The strict keys (an address, an
// account from one address) refuse once failures and attempts in flight
// reach the limit. The account key never refuses for failures alone: past
// the limit it delays the check (Backoff, doubling), so that failures from
// other addresses cannot lock its owner out; it refuses only while as many
// delayed attempts as the limit are already in flight.
func (l *Limiter) reserve(now time.Time, account string, strict ...string) (*attempt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := &attempt{l: l, account: digestOf(account)}
	for _, k := range strict {
		a.keys = append(a.keys, digestOf(k))
	}
	for _, d := range a.keys {
		e := l.get(d, now, true)
		if e.fails+e.pending >= l.max {
			wait := time.Second
			if e.fails >= l.max {
				wait = e.last.Add(l.window).Sub(now)
			}
			return nil, &RateLimitError{RetryAfter: wait}
		}
	}
	acc := l.get(a.account, now, true)
	if over := acc.fails + acc.pending - l.max; over >= 0 {
		a.Delay = l.Backoff
		for i := 0; i < over && a.Delay < l.MaxBackoff; i++ {
			a.Delay *= 2
		}
		a.Delay = min(a.Delay, l.MaxBackoff)
		if acc.pending >= l.max {
			return nil, &RateLimitError{RetryAfter: a.Delay}
		}
	}
	for _, d := range a.keys {
		l.get(d, now, true).pending++
	}
	acc.pending++
	return a, nil
}

// done finishes the attempt: a failure counts against every key, a
// success clears the account's keys (keep lists keys cleared on success).
func (a *attempt) done(now time.Time, failed bool, clear ...string) {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range append(a.keys, a.account) {
		e := l.get(d, now, failed)
		if e == nil {
			continue
		}
		if e.pending > 0 {
			e.pending--
		}
		if failed {
			e.fails++
			e.last = now
		}
	}
	if !failed {
		for _, k := range clear {
			if e := l.get(digestOf(k), now, false); e != nil {
				e.fails = 0
			}
		}
	}
}
