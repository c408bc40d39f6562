package serverdb_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/examples/server/internal/serverdb"
)

// legacyDDL is the server's schema as it was created before migrations:
// the tables, no version table.
var legacyDDL = []string{
	`CREATE TABLE IF NOT EXISTS server_users (id TEXT PRIMARY KEY, court TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
		mobile TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL, created_at TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS server_sessions (token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL DEFAULT '',
		case_id TEXT NOT NULL DEFAULT '', party_id TEXT NOT NULL DEFAULT '', csrf TEXT NOT NULL, expires_at BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS server_trips (id TEXT PRIMARY KEY, court TEXT NOT NULL, judge_id TEXT NOT NULL,
		start_at BIGINT NOT NULL, end_at BIGINT NOT NULL, doc TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS server_replies (id TEXT PRIMARY KEY, court TEXT NOT NULL, status TEXT NOT NULL, doc TEXT NOT NULL,
		received_at BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS server_cursor (name TEXT PRIMARY KEY, seq BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS server_calendar (seq INTEGER NOT NULL, court TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
		PRIMARY KEY (court, seq))`,
}

// backend opens a store on a fresh database.
type backend struct {
	name string
	dsn  func(t *testing.T) (driver, dsn string)
}

// backends returns SQLite and, when their environment variables are set,
// PostgreSQL and MariaDB.
func backends() []backend {
	bs := []backend{{"sqlite", func(t *testing.T) (string, string) { return "sqlite", filepath.Join(t.TempDir(), "z.db") }}}
	if os.Getenv("ZHIXING_TEST_PG") != "" {
		bs = append(bs, backend{"postgres", func(t *testing.T) (string, string) { return "pgx", pgDSN(t) }})
	}
	if os.Getenv("ZHIXING_TEST_MYSQL") != "" {
		bs = append(bs, backend{"mysql", func(t *testing.T) (string, string) { return "mysql", mysqlDSN(t) }})
	}
	return bs
}

// mysqlDSN creates a database of the test's own on the test MariaDB and
// returns its DSN; the database is dropped when the test ends.
func mysqlDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ZHIXING_TEST_MYSQL")
	if dsn == "" {
		t.Skip("ZHIXING_TEST_MYSQL not set (e.g. root@tcp(127.0.0.1:3306)/test); skipping MariaDB tests")
	}
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	var b [6]byte
	rand.Read(b[:])
	name := "zsdb_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	_, err = admin.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name)
		admin.Close()
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// pgDSN creates a schema of the test's own and returns a DSN whose
// search_path points at it; the schema is dropped when the test ends.
func pgDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ZHIXING_TEST_PG")
	if dsn == "" {
		t.Skip("ZHIXING_TEST_PG not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping PostgreSQL tests")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "zsdb_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openStore(t *testing.T, driver, dsn string) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func TestOpenMigratesAFreshDatabase(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			driver, dsn := b.dsn(t)
			st := openStore(t, driver, dsn)
			db, err := serverdb.Open(ctx, st)
			require.NoError(t, err)
			v, err := db.Version(ctx)
			require.NoError(t, err)
			require.Equal(t, serverdb.SchemaVersion(st.Dialect()), v)
			_, err = db.Exec(ctx, `INSERT INTO server_cursor (name, seq) VALUES (?, ?)`, "relay", 7)
			require.NoError(t, err)

			// Opening again applies nothing and keeps the rows.
			_, err = serverdb.Open(ctx, st)
			require.NoError(t, err)
			var seq int64
			require.NoError(t, db.QueryRow(ctx, `SELECT seq FROM server_cursor WHERE name = ?`, "relay").Scan(&seq))
			require.Equal(t, int64(7), seq)
		})
	}
}

// TestOpenAcceptsADatabaseCreatedBeforeMigrations runs on SQLite and
// PostgreSQL: the server ran on MariaDB only after its tables had
// migrations.
func TestOpenAcceptsADatabaseCreatedBeforeMigrations(t *testing.T) {
	for _, b := range backends() {
		if b.name == "mysql" {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			driver, dsn := b.dsn(t)
			st := openStore(t, driver, dsn)
			for _, stmt := range legacyDDL {
				_, err := st.DB().ExecContext(ctx, stmt)
				require.NoError(t, err)
			}
			_, err := st.DB().ExecContext(ctx, `INSERT INTO server_users (id, court, role, name, password_hash, created_at)
				VALUES ('chief', '沪01', 'chief', '局长', 'x', '2026-11-26T00:00:00Z')`)
			require.NoError(t, err)

			db, err := serverdb.Open(ctx, st)
			require.NoError(t, err)
			v, err := db.Version(ctx)
			require.NoError(t, err)
			require.Equal(t, serverdb.SchemaVersion(st.Dialect()), v)
			var name string
			require.NoError(t, db.QueryRow(ctx, `SELECT name FROM server_users WHERE id = ?`, "chief").Scan(&name))
			require.Equal(t, "局长", name)
		})
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			driver, dsn := b.dsn(t)
			st := openStore(t, driver, dsn)
			db, err := serverdb.Open(ctx, st)
			require.NoError(t, err)
			_, err = db.Exec(ctx, `INSERT INTO server_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				serverdb.SchemaVersion(st.Dialect())+1, "9999_future.sql", "2027-01-01T00:00:00Z")
			require.NoError(t, err)

			_, err = serverdb.Open(ctx, st)
			require.ErrorIs(t, err, serverdb.ErrSchemaTooNew)
		})
	}
}

// TestConcurrentOpens starts several instances at once on one empty
// database, a few times over: none fails, and each migration is recorded
// once.
func TestConcurrentOpens(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			const n = 3
			for round := range 2 {
				driver, dsn := b.dsn(t)
				// The library's own tables first: this test is about the
				// server's.
				stores := make([]*sqlstore.Store, n)
				for i := range stores {
					stores[i] = openStore(t, driver, dsn)
				}
				var wg sync.WaitGroup
				errs := make([]error, n)
				start := make(chan struct{})
				for i := range n {
					wg.Go(func() {
						<-start
						_, errs[i] = serverdb.Open(ctx, stores[i])
					})
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					require.NoError(t, err, "instance %d, round %d", i, round)
				}
				var rows, distinct int
				require.NoError(t, stores[0].DB().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM server_migrations`).Scan(&rows, &distinct))
				require.Equal(t, migrationFiles(t, stores[0].Dialect()), rows)
				require.Equal(t, rows, distinct)
			}
		})
	}
}

// migrationFiles counts the migration files of dialect.
func migrationFiles(t *testing.T, d sqlstore.Dialect) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", d.String()))
	require.NoError(t, err)
	return len(entries)
}
