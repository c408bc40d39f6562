package sqlstore_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

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

// migrateBackends opens a store on a fresh database of each dialect the
// environment offers (SQLite always), for tests of Migrate on that
// database.
func migrateBackends(t *testing.T) map[string]func(t *testing.T) *sqlstore.Store {
	bs := map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite": func(t *testing.T) *sqlstore.Store { return openSQLite(t) },
	}
	if os.Getenv("ZHIXING_TEST_PG") != "" {
		bs["postgres"] = func(t *testing.T) *sqlstore.Store { return openPG(t) }
	}
	if os.Getenv("ZHIXING_TEST_MYSQL") != "" {
		bs["mysql"] = func(t *testing.T) *sqlstore.Store { return openMySQL(t) }
	}
	return bs
}

// stepFiles returns migrations for every dialect folder: version v
// creates table m_v and inserts one row into m_log, whose primary key
// refuses a step applied twice.
func stepFiles(versions ...int) fstest.MapFS {
	files := fstest.MapFS{}
	for _, d := range []string{"sqlite", "postgres", "mysql"} {
		for _, v := range versions {
			src := fmt.Sprintf("-- step %d\nCREATE TABLE m_%d (id INTEGER NOT NULL PRIMARY KEY);\n", v, v)
			if v == versions[0] {
				src += "CREATE TABLE m_log (version INTEGER NOT NULL PRIMARY KEY);\n"
			}
			src += fmt.Sprintf("INSERT INTO m_log (version) VALUES (%d);\n", v)
			files[fmt.Sprintf("%s/%04d_step.sql", d, v)] = &fstest.MapFile{Data: []byte(src)}
		}
	}
	return files
}

func loggedSteps(t *testing.T, s *sqlstore.Store) []int {
	t.Helper()
	rows, err := s.DB().QueryContext(t.Context(), `SELECT version FROM m_log ORDER BY version`)
	require.NoError(t, err)
	defer rows.Close()
	var got []int
	for rows.Next() {
		var v int
		require.NoError(t, rows.Scan(&v))
		got = append(got, v)
	}
	require.NoError(t, rows.Err())
	return got
}

func TestMigrate_AppliesAStepAddedBelowTheHighest(t *testing.T) {
	t.Parallel()
	for name, open := range migrateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			ctx := t.Context()
			require.NoError(t, sqlstore.Migrate(ctx, s.DB(), s.Dialect(), stepFiles(1, 3), "test_migrations"))
			require.Equal(t, []int{1, 3}, loggedSteps(t, s))

			// A branch merged later brings step 2: it runs, 1 and 3 do not
			// run again.
			require.NoError(t, sqlstore.Migrate(ctx, s.DB(), s.Dialect(), stepFiles(1, 2, 3), "test_migrations"))
			require.Equal(t, []int{1, 2, 3}, loggedSteps(t, s))
			var n int
			require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM test_migrations`).Scan(&n))
			require.Equal(t, 3, n)

			// The store's own version table is another list.
			require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT MAX(version) FROM zhixing_migrations`).Scan(&n))
			require.Equal(t, s.SchemaVersion(), n)
		})
	}
}

func TestMigrate_RefusesANewerSchema(t *testing.T) {
	t.Parallel()
	for name, open := range migrateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			ctx := t.Context()
			require.NoError(t, sqlstore.Migrate(ctx, s.DB(), s.Dialect(), stepFiles(1, 2, 3), "test_migrations"))

			// Code that knows steps 1 and 2 only meets a database at 3.
			err := sqlstore.Migrate(ctx, s.DB(), s.Dialect(), stepFiles(1, 2), "test_migrations")
			require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
			require.Equal(t, []int{1, 2, 3}, loggedSteps(t, s))
		})
	}
}

func TestMigrate_ConcurrentRunsApplyEachStepOnce(t *testing.T) {
	t.Parallel()
	for name, open := range migrateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			const n = 4
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					errs[i] = sqlstore.Migrate(t.Context(), s.DB(), s.Dialect(), stepFiles(1, 2, 3, 4, 5), "test_migrations")
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "run %d", i)
			}
			require.Equal(t, []int{1, 2, 3, 4, 5}, loggedSteps(t, s))
		})
	}
}

func TestMigrate_RejectsBadInput(t *testing.T) {
	t.Parallel()
	s := openSQLite(t)
	tests := []struct {
		name  string
		files fstest.MapFS
		table string
	}{
		{"table name is not an identifier", stepFiles(1), "m; DROP TABLE cases"},
		{"no folder for the dialect", fstest.MapFS{"postgres/0001_a.sql": {Data: []byte("SELECT 1;")}}, "test_migrations"},
		{"file without a version", fstest.MapFS{"sqlite/init.sql": {Data: []byte("SELECT 1;")}}, "test_migrations"},
		{"two files with one version", fstest.MapFS{
			"sqlite/0001_a.sql": {Data: []byte("SELECT 1;")},
			"sqlite/0001_b.sql": {Data: []byte("SELECT 1;")},
		}, "test_migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, sqlstore.Migrate(t.Context(), s.DB(), s.Dialect(), tt.files, tt.table))
		})
	}
	var n int
	require.NoError(t, s.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM sqlite_master WHERE name IN ('test_migrations', 'm_1')`).Scan(&n))
	require.Zero(t, n, "nothing was applied")
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
