package sqlstore_test

import (
	"os"
	"path/filepath"
	"strings"
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
	require.Equal(t, migrationFiles(t, "postgres"), rows)
	require.Equal(t, rows, distinct)
}

// migrationFiles counts the migration steps of dialect: the numbers are
// handed out ahead, so a step's number may be taken while an earlier one
// is still to come.
func migrationFiles(t *testing.T, dialect string) int {
	t.Helper()
	es, err := os.ReadDir(filepath.Join("migrations", dialect))
	require.NoError(t, err)
	n := 0
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".sql") {
			n++
		}
	}
	return n
}
