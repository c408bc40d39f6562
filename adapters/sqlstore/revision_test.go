package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// Two stores on one database stand for two server instances: every change
// made through either, including a bulk import (which logs no events) and a
// plan save, raises the revision the other reads.
func TestRevision_SQLite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "zhixing.db")
	revisionSuite(t, func(t *testing.T) *sqlstore.Store {
		s, err := sqlstore.Open(t.Context(), "sqlite", path)
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestRevision_Postgres(t *testing.T) {
	t.Parallel()
	dsn := pgDSN(t)
	revisionSuite(t, func(t *testing.T) *sqlstore.Store {
		s, err := sqlstore.Open(t.Context(), "pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func revisionSuite(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
	ctx := t.Context()
	a, b := open(t), open(t)
	last := int64(-1)
	raised := func(what string) {
		t.Helper()
		ra, err := a.Revision(ctx, "沪01")
		require.NoError(t, err)
		rb, err := b.Revision(ctx, "沪01")
		require.NoError(t, err)
		require.Equal(t, ra, rb, "both instances read one revision")
		require.Greater(t, ra, last, what)
		last = ra
	}
	raised("start")

	require.NoError(t, a.Create(ctx, storetest.NewCase("c1", "沪01", "j1", 1), nil))
	raised("create through a")
	_, _, err := b.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Status = enforcement.DueDone
		return nil, nil
	})
	require.NoError(t, err)
	raised("update through b")

	var bulk []*enforcement.Case
	for i := range 450 { // three batches
		bulk = append(bulk, storetest.NewCase(fmt.Sprintf("bulk-%d", i), "沪01", "j2", 1000+i))
	}
	require.NoError(t, b.Import(ctx, bulk))
	raised("import through b")
	require.NoError(t, a.Touch(ctx, "沪01"))
	raised("touch through a")
	before, err := a.Revision(ctx, "沪02")
	require.NoError(t, err)
	require.NoError(t, a.Import(ctx, []*enforcement.Case{storetest.NewCase("other", "沪02", "j9", 1)}))
	after, err := a.Revision(ctx, "沪02")
	require.NoError(t, err)
	require.Greater(t, after, before, "import raises the court of its cases")

	w := planning.Week{Year: 2025, Number: 10}
	pl := planning.NewPlan("沪01", "j1", w)
	require.NoError(t, pl.AddItem(planning.Item{ID: "i1", Kind: planning.KindTask, Title: "发出执行通知书", Day: deadline.NewDate(2025, 3, 4)},
		planning.Change{By: "j1", At: time.Date(2025, 3, 3, 9, 0, 0, 0, deadline.China)}))
	require.NoError(t, a.Plans().Save(ctx, &pl, 0))
	raised("first plan save through a")
	got, err := b.Plans().Get(ctx, "j1", w)
	require.NoError(t, err)
	require.NoError(t, got.MoveItem("i1", time.Date(2025, 3, 5, 0, 0, 0, 0, deadline.China), planning.Change{By: "j1", At: time.Date(2025, 3, 3, 10, 0, 0, 0, deadline.China)}))
	require.NoError(t, b.Plans().Save(ctx, got, got.Version))
	raised("plan item moved through b")
	require.ErrorIs(t, b.Plans().Save(ctx, got, got.Version-1), enforcement.ErrConflict)

	// Concurrent updates from both instances: each one commits its own
	// increment, so the revision rises by the number that succeeded.
	start, err := a.Revision(ctx, "沪01")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 8 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			_, _, err := s.Update(context.Background(), fmt.Sprintf("bulk-%d", i), func(c *enforcement.Case) ([]enforcement.Event, error) {
				c.Key = true
				return nil, nil
			})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	end, err := b.Revision(ctx, "沪01")
	require.NoError(t, err)
	require.Equal(t, start+int64(ok), end)
	require.Positive(t, ok)
}
