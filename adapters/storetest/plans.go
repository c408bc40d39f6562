package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// RunPlans is the conformance suite of a [planning.PlanStore]. open must
// return a new, empty store for each call. It exercises a planning.PlanStore: missing plans, first save,
// optimistic updates, conflicts, listing by court and week, and copying.
func RunPlans(t *testing.T, open func(t *testing.T) planning.PlanStore) {
	w := planning.Week{Year: 2024, Number: 41}
	at := time.Date(2024, 10, 6, 18, 0, 0, 0, deadline.China)
	newPlan := func(t *testing.T, court, judge string) *planning.Plan {
		t.Helper()
		p := planning.NewPlan(court, judge, w)
		require.NoError(t, p.AddItem(planning.Item{
			ID: "t1", Kind: planning.KindTrip, Title: "现场调查",
			Trip: &planning.Trip{
				Start: time.Date(2024, 10, 9, 9, 0, 0, 0, deadline.China), End: time.Date(2024, 10, 9, 11, 0, 0, 0, deadline.China),
				Place: planning.Place{Address: "浦东新区张江路100号", Division: "310115", Lat: 31.2, Lng: 121.6, HasCoords: true},
			},
		}, planning.Change{By: judge, At: at}))
		require.NoError(t, p.AddItem(planning.Item{ID: "i1", Kind: planning.KindTask, Title: "发出执行通知书", Day: deadline.NewDate(2024, 10, 8)}, planning.Change{By: judge, At: at}))
		require.NoError(t, p.Submit(planning.Change{By: judge, At: at}))
		require.NoError(t, p.MoveItem("i1", time.Date(2024, 10, 10, 0, 0, 0, 0, deadline.China), planning.Change{By: judge, At: at.Add(time.Hour)}))
		return &p
	}
	asJSON := func(t *testing.T, p *planning.Plan) string {
		t.Helper()
		b, err := json.Marshal(p)
		require.NoError(t, err)
		return string(b)
	}

	t.Run("GetMissing", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		_, err := s.Get(t.Context(), "j-zhang", w)
		require.ErrorIs(t, err, enforcement.ErrNotFound)
	})
	t.Run("SaveGetUpdate", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		p := newPlan(t, "沪0115", "j-zhang")
		require.NoError(t, s.Save(t.Context(), p, 0))
		require.EqualValues(t, 1, p.Version)
		got, err := s.Get(t.Context(), "j-zhang", w)
		require.NoError(t, err)
		require.Equal(t, asJSON(t, p), asJSON(t, got), "the plan round-trips with its items, trip and history")
		require.Len(t, got.History, 2)

		require.ErrorIs(t, s.Save(t.Context(), got, 0), enforcement.ErrConflict, "a second first save conflicts")
		require.NoError(t, got.RemoveItem("t1", planning.Change{By: "j-zhang", At: at.Add(2 * time.Hour)}))
		require.NoError(t, s.Save(t.Context(), got, 1))
		require.EqualValues(t, 2, got.Version)

		stale := p.Clone()
		require.ErrorIs(t, s.Save(t.Context(), stale, 1), enforcement.ErrConflict, "a stale version conflicts")
		require.EqualValues(t, 1, stale.Version, "a failed save leaves the plan unchanged")
		cur, err := s.Get(t.Context(), "j-zhang", w)
		require.NoError(t, err)
		require.EqualValues(t, 2, cur.Version)
		require.Len(t, cur.Items, 1)

		// Stores share no memory with callers.
		cur.Items[0].Title = "changed"
		again, err := s.Get(t.Context(), "j-zhang", w)
		require.NoError(t, err)
		require.Equal(t, "发出执行通知书", again.Items[0].Title)
	})
	t.Run("SaveInvalid", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		p := planning.NewPlan("沪0115", "", w)
		require.ErrorIs(t, s.Save(t.Context(), &p, 0), planning.ErrInvalidPlan)
		require.EqualValues(t, 0, p.Version)
	})
	t.Run("ListWeek", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		for _, x := range [][2]string{{"沪0115", "j-zhang"}, {"沪0115", "j-li"}, {"沪0112", "j-wang"}} {
			require.NoError(t, s.Save(t.Context(), newPlan(t, x[0], x[1]), 0))
		}
		other := planning.NewPlan("沪0115", "j-zhang", w.Add(1))
		require.NoError(t, s.Save(t.Context(), &other, 0))

		list, err := s.ListWeek(t.Context(), "沪0115", w)
		require.NoError(t, err)
		var judges []string
		for _, p := range list {
			judges = append(judges, p.JudgeID)
			require.EqualValues(t, 1, p.Version)
		}
		require.Equal(t, []string{"j-li", "j-zhang"}, judges)
		all, err := s.ListWeek(t.Context(), "", w)
		require.NoError(t, err)
		require.Len(t, all, 3)
		none, err := s.ListWeek(t.Context(), "沪0115", w.Add(-1))
		require.NoError(t, err)
		require.NotNil(t, none)
		require.Empty(t, none)
	})
	t.Run("ConcurrentSaves", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		p := newPlan(t, "沪0115", "j-zhang")
		require.NoError(t, s.Save(t.Context(), p, 0))
		const n = 8
		errs := make(chan error, n)
		for range n {
			go func() {
				q := p.Clone()
				errs <- s.Save(context.Background(), q, 1)
			}()
		}
		wins := 0
		for range n {
			if err := <-errs; err == nil {
				wins++
			} else {
				require.ErrorIs(t, err, enforcement.ErrConflict)
			}
		}
		require.Equal(t, 1, wins, "exactly one writer wins")
	})
}
