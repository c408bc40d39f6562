package desk

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// The cache itself: a view is served while its stamp covers the request's,
// computed again on a new revision or calendar, computed once for many
// concurrent misses, not kept when it fails, and bounded.
func TestViewCache_Get(t *testing.T) {
	t.Parallel()
	day := deadline.NewDate(2026, 11, 26)
	cal, other := deadline.Official(), &deadline.Calendar{}
	key := viewKey{view: "agenda", judge: "judge-li", day: day}
	calls := 0
	fn := func(v string) viewFunc {
		return func() (any, error) { calls++; return v, nil }
	}
	c := NewViewCache(3)
	get := func(st viewStamp, v string) string {
		t.Helper()
		got, err := c.get(key, st, fn(v))
		require.NoError(t, err)
		return got.(string)
	}
	require.Equal(t, "a", get(viewStamp{rev: 5, cal: cal}, "a"))
	require.Equal(t, "a", get(viewStamp{rev: 5, cal: cal}, "b"), "same stamp: kept")
	require.Equal(t, "a", get(viewStamp{rev: 4, cal: cal}, "b"), "a request that read an older revision may have a newer view")
	require.Equal(t, "c", get(viewStamp{rev: 6, cal: cal}, "c"), "new revision: computed again")
	require.Equal(t, "d", get(viewStamp{rev: 6, cal: other}, "d"), "other calendar: computed again")
	require.Equal(t, 3, calls)

	boom := errors.New("boom")
	_, err := c.get(viewKey{view: "x", day: day}, viewStamp{rev: 1}, func() (any, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
	got, err := c.get(viewKey{view: "x", day: day}, viewStamp{rev: 1}, fn("ok"))
	require.NoError(t, err)
	require.Equal(t, "ok", got, "a failure is not kept")

	for i := range 5 {
		get := func() {
			c.get(viewKey{view: "agenda", judge: fmt.Sprint(i), day: day}, viewStamp{rev: 6, cal: cal}, fn("j"))
		}
		get()
	}
	require.Equal(t, 3, c.len(), "at most max views")
	c.get(viewKey{view: "agenda", day: day.AddDays(1)}, viewStamp{rev: 6, cal: cal}, fn("tomorrow"))
	require.Equal(t, 1, c.len(), "views of earlier days are dropped")

	// Fifty concurrent misses of one view compute it once.
	var mu sync.Mutex
	n := 0
	release := make(chan struct{})
	slow := func() (any, error) {
		mu.Lock()
		n++
		mu.Unlock()
		<-release
		return "v", nil
	}
	var wg sync.WaitGroup
	st := viewStamp{rev: 7, cal: cal}
	for range 50 {
		wg.Go(func() {
			v, err := c.get(key, st, slow)
			if err != nil || v != "v" {
				t.Errorf("got %v, %v", v, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // let the requests queue on the first
	close(release)
	wg.Wait()
	require.Equal(t, 1, n)
}
