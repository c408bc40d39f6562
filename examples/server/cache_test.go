package main

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// Two instances with the view cache on and a third with it off, over one
// database: after every change, made through either instance's API or
// pages, each instance answers exactly as the one that computes every
// answer, and reading again without a change computes nothing.
func TestViewCache_NeverStale(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dsn := b.dsn(t)
		shared := backend{b.name, func(*testing.T) string { return dsn }}
		one, two := start(t, shared), start(t, shared)
		ref := startWith(t, shared, func(c *config) { c.ViewCache = 0 })
		type reader struct{ judge, chief *client }
		readers := map[string]reader{}
		for name, e := range map[string]*env{"one": one, "two": two, "ref": ref} {
			readers[name] = reader{e.login("judge-li"), e.login("chief")}
		}
		views := []struct {
			name string
			who  func(reader) *client
			path string
		}{
			{"judge reminders", func(r reader) *client { return r.judge }, "/api/v1/reminders"},
			{"chief agenda", func(r reader) *client { return r.chief }, "/api/v1/reminders"},
			{"chief supervision", func(r reader) *client { return r.chief }, "/api/v1/supervision"},
		}
		answers := func(name string) map[string]string {
			out := map[string]string{}
			for _, v := range views {
				st, raw := v.who(readers[name]).raw("GET", v.path, nil)
				require.Equal(t, http.StatusOK, st, "%s %s", name, v.name)
				out[v.name] = string(raw)
			}
			return out
		}
		var last map[string]string
		check := func(what string) {
			t.Helper()
			want := answers("ref")
			for _, name := range []string{"one", "two"} {
				got := answers(name)
				for _, v := range views {
					require.JSONEq(t, want[v.name], got[v.name], "%s: %s on instance %s", what, v.name, name)
				}
			}
			last = want
		}
		check("start")
		before := one.app.desk.Views.Computed() + two.app.desk.Views.Computed()
		require.Equal(t, int64(2*len(views)), before, "each instance computed each view once")
		check("read again")
		require.Equal(t, before, one.app.desk.Views.Computed()+two.app.desk.Views.Computed(), "no change, nothing computed")

		changed := func(what string, view string) {
			t.Helper()
			prev := last[view]
			check(what)
			require.NotEqual(t, prev, last[view], "%s changes the %s", what, view)
		}
		judgeOne, judgeTwo := readers["one"].judge, readers["two"].judge
		today := one.app.desk.Today()
		require.Equal(t, http.StatusOK, judgeOne.do("POST", "/api/v1/cases/demo-2/nodes", map[string]any{"kind": "execution_notice", "date": today}, nil))
		changed("a node recorded through one", "judge reminders")

		wk := planning.WeekOf(today)
		item := map[string]any{"id": "item-cache", "kind": "task", "case_id": "demo-1", "title": "约谈申请人", "day": today.AddDays(1)}
		require.Equal(t, http.StatusOK, judgeTwo.do("POST", "/api/v1/plans/judge-li/"+wk.String()+"/items", item, nil))
		changed("a plan item added through two", "judge reminders")

		// Moved as the week page moves it.
		_, err := two.app.desk.ChangePlan(t.Context(), &Principal{Role: RoleJudge, UserID: "judge-li"}, "judge-li", wk, func(pl *planning.Plan, ch planning.Change) error {
			return pl.MoveItem("item-cache", wk.End().Start(), ch)
		})
		require.NoError(t, err)
		changed("a plan item moved through two", "judge reminders")

		_, _, err = ref.app.store.Update(t.Context(), "demo-5", func(c *enforcement.Case) ([]enforcement.Event, error) {
			return c.ReceiveRequest(enforcement.Request{ID: "req-cache", PartyID: "a1", Channel: "visit", Text: "来访询问"}, ref.app.desk.Env(), ref.clock.Now())
		})
		require.NoError(t, err)
		changed("a party request stored by a third program", "chief supervision")

		// A closure day through one on a due date (Monday 30 November, when
		// two items fall due): its calendar changes at once, and the
		// others' with their next request.
		require.Equal(t, http.StatusOK, readers["one"].chief.do("POST", "/api/v1/calendar/closures", map[string]any{"date": today.AddDays(4), "reason": "台风停止办公"}, nil))
		changed("a closure day loaded through one", "chief agenda")
		for _, e := range []*env{one, two, ref} {
			info, err := e.app.desk.Day(today.AddDays(4))
			require.NoError(t, err)
			require.False(t, info.Working, "the closure day on every instance")
		}
	})
}

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
		return func() (any, []byte, error) { calls++; return v, []byte(v), nil }
	}
	c := &ViewCache{max: 3}
	get := func(st viewStamp, v string) string {
		t.Helper()
		got, b, err := c.get(key, st, fn(v))
		require.NoError(t, err)
		require.Equal(t, got, string(b))
		return got.(string)
	}
	require.Equal(t, "a", get(viewStamp{rev: 5, cal: cal}, "a"))
	require.Equal(t, "a", get(viewStamp{rev: 5, cal: cal}, "b"), "same stamp: kept")
	require.Equal(t, "a", get(viewStamp{rev: 4, cal: cal}, "b"), "a request that read an older revision may have a newer view")
	require.Equal(t, "c", get(viewStamp{rev: 6, cal: cal}, "c"), "new revision: computed again")
	require.Equal(t, "d", get(viewStamp{rev: 6, cal: other}, "d"), "other calendar: computed again")
	require.Equal(t, 3, calls)

	boom := errors.New("boom")
	_, _, err := c.get(viewKey{view: "x", day: day}, viewStamp{rev: 1}, func() (any, []byte, error) { return nil, nil, boom })
	require.ErrorIs(t, err, boom)
	got, _, err := c.get(viewKey{view: "x", day: day}, viewStamp{rev: 1}, fn("ok"))
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
	slow := func() (any, []byte, error) {
		mu.Lock()
		n++
		mu.Unlock()
		<-release
		return "v", []byte("v"), nil
	}
	var wg sync.WaitGroup
	st := viewStamp{rev: 7, cal: cal}
	for range 50 {
		wg.Go(func() {
			v, _, err := c.get(key, st, slow)
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
