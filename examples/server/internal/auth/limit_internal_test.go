package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// The table keeps at most its size of keys whatever the mix: a flood of
// distinct keys forgets the least recently used, and the address under
// attack, used on every attempt, stays remembered.
func TestLimiter_BoundedTable(t *testing.T) {
	l := NewLimiter(5, 15*time.Minute, 1000)
	for i := range 50_000 {
		at, err := l.reserve(t0, fmt.Sprintf("user:%d", i), fmt.Sprintf("addr:10.0.%d.%d", i/250%250, i%250))
		require.NoError(t, err)
		at.done(t0, true)
		require.LessOrEqual(t, l.Len(), 1000)
	}
	require.Equal(t, 1000, l.Len())

	for i := range 5 {
		at, err := l.reserve(t0, fmt.Sprintf("user:x%d", i), "addr:192.0.2.1")
		require.NoError(t, err)
		at.done(t0, true)
		for j := range 300 { // other traffic in between
			a2, err := l.reserve(t0, fmt.Sprintf("user:y%d-%d", i, j), fmt.Sprintf("addr:198.51.100.%d", j%200))
			if err == nil {
				a2.done(t0, false)
			}
		}
	}
	_, err := l.reserve(t0, "user:z", "addr:192.0.2.1")
	require.ErrorIs(t, err, ErrRateLimited, "the attacking address is still limited")
}

// Reservations are atomic: of many attempts at once, only the limit get
// through, and each refusal says when to try again.
func TestLimiter_ReserveAtomically(t *testing.T) {
	l := NewLimiter(5, 15*time.Minute, 0)
	var mu sync.Mutex
	var got []*attempt
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			at, err := l.reserve(t0, "user:judge", "addr:a", "user:judge|addr:a")
			if err != nil {
				secs, ok := RetryAfter(err)
				if !ok || secs < 1 {
					t.Errorf("refusal without Retry-After: %v", err)
				}
				return
			}
			mu.Lock()
			got = append(got, at)
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Len(t, got, 5)
	for _, at := range got {
		at.done(t0, true)
	}
	_, err := l.reserve(t0.Add(time.Minute), "user:judge", "addr:a")
	secs, ok := RetryAfter(err)
	require.True(t, ok)
	require.Equal(t, 14*60, secs, "until the failures age out")

	// From another address the account is delayed, not refused, and the
	// delay grows with further failures up to MaxBackoff.
	at, err := l.reserve(t0, "user:judge", "addr:b")
	require.NoError(t, err)
	require.Equal(t, time.Second, at.Delay)
	at.done(t0, true)
	at, err = l.reserve(t0, "user:judge", "addr:c")
	require.NoError(t, err)
	require.Equal(t, 2*time.Second, at.Delay)
	at.done(t0, false, "user:judge")
	at, err = l.reserve(t0, "user:judge", "addr:d")
	require.NoError(t, err)
	require.Zero(t, at.Delay, "a success clears the account's failures")
	at.done(t0, false)

	// After the window, the address may try again.
	_, err = l.reserve(t0.Add(15*time.Minute), "user:judge", "addr:a")
	require.NoError(t, err)
}
