package sqlstore_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
)

// TestOpen_ConcurrentOnFreshPostgres opens one empty PostgreSQL schema from
// several processes' worth of stores at once: none fails, and each
// migration is recorded once.
func TestOpen_ConcurrentOnFreshPostgres(t *testing.T) {
	t.Parallel()
	dsn := pgDSN(t)
	const n = 6
	stores := make([]*sqlstore.Store, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = sqlstore.Open(t.Context(), "pgx", dsn)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "store %d", i)
		t.Cleanup(func() { stores[i].Close() })
	}
	var rows, distinct int
	require.NoError(t, stores[0].DB().QueryRowContext(t.Context(), `SELECT COUNT(*), COUNT(DISTINCT version) FROM zhixing_migrations`).Scan(&rows, &distinct))
	require.Equal(t, embeddedSteps(t, "postgres"), rows)
	require.Equal(t, rows, distinct)
}
