package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/notify"
)

// openSQLite returns a store on a new SQLite file in a temp dir.
func openSQLite(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(context.Background(), "sqlite", filepath.Join(tb.TempDir(), "zhixing.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

// pgDSN returns a DSN for a fresh schema on the test PostgreSQL, dropped at
// cleanup, or skips the test when ZHIXING_TEST_PG is unset.
func pgDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("ZHIXING_TEST_PG")
	if dsn == "" {
		tb.Skip("ZHIXING_TEST_PG not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping PostgreSQL tests")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "zt_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	require.NoError(tb, err)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(tb, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPG(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(context.Background(), "pgx", pgDSN(tb))
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance_SQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return openSQLite(t) })
}

func TestConformance_Postgres(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return openPG(t) })
}

func TestOpen_SchemaTooNew(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "z.db")
	s, err := sqlstore.Open(t.Context(), "sqlite", path)
	require.NoError(t, err)
	_, err = s.DB().Exec(`INSERT INTO zhixing_migrations (version, name, applied_at) VALUES (999, 'future', 'x')`)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = sqlstore.Open(t.Context(), "sqlite", path)
	require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
}

func TestOpen_Reopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "z.db")
	for range 2 {
		s, err := sqlstore.Open(t.Context(), "sqlite", path)
		require.NoError(t, err, "applying migrations twice is a no-op")
		require.NoError(t, s.Close())
	}
	_, err := sqlstore.Open(t.Context(), "mysql", "x")
	require.Error(t, err)
}

func TestOutboxConformance_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return openSQLite(t).Outbox() })
}

func TestOutboxConformance_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return openPG(t).Outbox() })
}

func TestRelayConformance_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
		s := openSQLite(t)
		return storetest.RelayStores{Store: s, Cursor: s, Outbox: s.Outbox()}
	})
}

func TestRelayConformance_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
		s := openPG(t)
		return storetest.RelayStores{Store: s, Cursor: s, Outbox: s.Outbox()}
	})
}

func TestOutboxFaults_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunOutboxFaults(t, openSQLite(t).Outbox(), 10000)
}

// TestOutboxFaults_Postgres runs 2,500 messages, or 10,000 when
// ZHIXING_TEST_LONG is set: every message takes a few round trips, and
// 10,000 take minutes on a busy CI machine.
func TestOutboxFaults_Postgres(t *testing.T) {
	t.Parallel()
	n := 2500
	if os.Getenv("ZHIXING_TEST_LONG") != "" {
		n = 10000
	}
	storetest.RunOutboxFaults(t, openPG(t).Outbox(), n)
}

// Open turns parallel query off for the store's PostgreSQL sessions,
// unless the DSN sets it.
func TestOpen_PostgresParallelQueryOff(t *testing.T) {
	t.Parallel()
	dsn := pgDSN(t)
	for _, tc := range []struct{ dsn, want string }{
		{dsn, "0"},
		{dsn + "&max_parallel_workers_per_gather=3", "3"},
	} {
		s, err := sqlstore.Open(t.Context(), "pgx", tc.dsn)
		require.NoError(t, err)
		var got string
		require.NoError(t, s.DB().QueryRowContext(t.Context(), `SHOW max_parallel_workers_per_gather`).Scan(&got))
		require.NoError(t, s.Close())
		require.Equal(t, tc.want, got, tc.dsn)
	}
}
