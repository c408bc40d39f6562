package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
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
		_, err := two.app.desk.ChangePlan(t.Context(), &desk.Principal{Role: desk.RoleJudge, UserID: "judge-li"}, "judge-li", wk, func(pl *planning.Plan, ch planning.Change) error {
			return pl.MoveItem("item-cache", wk.End().Start(), ch)
		})
		require.NoError(t, err)
		changed("a plan item moved through two", "judge reminders")

		_, _, err = ref.app.store.Update(t.Context(), "demo-5", func(c *enforcement.Case) ([]enforcement.Event, error) {
			return c.ReceiveRequest(enforcement.Request{ID: "req-cache", PartyID: "a1", Channel: "visit", Text: "来访询问"}, ref.app.desk.Env(c.Court), ref.clock.Now())
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
