package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// mysqlDSN returns the DSN of a fresh database on the test MariaDB server,
// dropped at cleanup, or skips the test when ZHIXING_TEST_MYSQL is unset.
func mysqlDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("ZHIXING_TEST_MYSQL")
	if dsn == "" {
		tb.Skip("ZHIXING_TEST_MYSQL not set (e.g. root@tcp(127.0.0.1:3306)/test); skipping MariaDB tests")
	}
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(tb, err)
	var b [6]byte
	rand.Read(b[:])
	name := "zt_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("mysql", dsn)
	require.NoError(tb, err)
	_, err = admin.Exec("CREATE DATABASE " + name)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name)
		admin.Close()
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// openMySQL returns a store on a fresh MariaDB database, opened with New on
// a pool the test made, as a vendor would.
func openMySQL(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	db, err := sql.Open("mysql", mysqlDSN(tb))
	require.NoError(tb, err)
	db.SetMaxOpenConns(20)
	s, err := sqlstore.New(context.Background(), db, sqlstore.MySQL)
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance_MySQL(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return openMySQL(t) })
}

func TestOutboxConformance_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return openMySQL(t).Outbox() })
}

func TestRelayConformance_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
		s := openMySQL(t)
		return storetest.RelayStores{Store: s, Cursor: s, Outbox: s.Outbox()}
	})
}

// TestOutboxFaults_MySQL runs 2,500 messages (as on PostgreSQL by default:
// fewer kill too few dispatchers). The 10,000-message run of
// ZHIXING_TEST_LONG is PostgreSQL's and SQLite's: MariaDB's round trips
// make it take minutes without covering another code path.
func TestOutboxFaults_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunOutboxFaults(t, openMySQL(t).Outbox(), 2500)
}

func TestPlans_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunPlans(t, func(t *testing.T) planning.PlanStore { return openMySQL(t).Plans() })
}

func TestSupervisionConformance_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunSupervision(t, func(t *testing.T) storetest.SupervisionStore { return openMySQL(t) })
}

// TestOpen_MySQL opens a MariaDB database by driver name and DSN, twice
// (the second Open finds every step applied), and concurrently.
func TestOpen_MySQL(t *testing.T) {
	t.Parallel()
	dsn := mysqlDSN(t)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			s, err := sqlstore.Open(t.Context(), "mysql", dsn)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 3 {
		require.NoError(t, <-errs)
	}
	s, err := sqlstore.Open(t.Context(), "mariadb", dsn)
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, sqlstore.MySQL, s.Dialect())
	require.Equal(t, openSQLite(t).SchemaVersion(), s.SchemaVersion(), "every SQLite step has its MariaDB step")
	var n int
	require.NoError(t, s.DB().QueryRow(`SELECT COUNT(*) FROM zhixing_migrations`).Scan(&n))
	require.Equal(t, migrationFiles(t, "mysql"), n)
}

// TestMigrations_SameStepsInEveryDialect requires each migrations folder to
// hold the same step numbers and names: a step added for one database only
// would leave the others without its tables.
func TestMigrations_SameStepsInEveryDialect(t *testing.T) {
	t.Parallel()
	steps := func(dialect string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dialect))
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	want := steps("sqlite")
	for _, d := range []string{"postgres", "mysql"} {
		require.Equal(t, want, steps(d), "migrations/%s", d)
	}
}
