package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/enforcement"
)

// importCases returns the same cases on every call: two courts' worth of
// cases with everything a stored row carries (requests, orders, key and
// closed cases, due items of every owner, reminders).
func importCases() []*enforcement.Case {
	return append(storetest.SupervisionCases(510, "沪01", benchToday), storetest.SupervisionCases(20, "沪02", benchToday)...)
}

// tables lists the store's tables on s's database.
func tables(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	query := map[sqlstore.Dialect]string{
		sqlstore.SQLite:   `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
		sqlstore.Postgres: `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
		sqlstore.MySQL:    `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()`,
	}[s.Dialect()]
	rows, err := s.DB().QueryContext(t.Context(), query)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		out = append(out, name)
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

// indexes lists the indexes on s's database, as table.index.
func indexes(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	query := map[sqlstore.Dialect]string{
		sqlstore.SQLite:   `SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index'`,
		sqlstore.Postgres: `SELECT tablename || '.' || indexname FROM pg_indexes WHERE schemaname = current_schema()`,
		sqlstore.MySQL:    `SELECT DISTINCT CONCAT(table_name, '.', index_name) FROM information_schema.statistics WHERE table_schema = DATABASE()`,
	}[s.Dialect()]
	rows, err := s.DB().QueryContext(t.Context(), query)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		out = append(out, name)
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

// dump returns every row of table as text, sorted.
func dump(t *testing.T, s *sqlstore.Store, table string) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(t.Context(), `SELECT * FROM `+table)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		var b strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&b, "%s=%v/%q ", cols[i], v.Valid, v.String)
		}
		out = append(out, b.String())
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

// TestImport_SameRowsAsCreate imports cases into one database and creates
// them one by one in another: every table holds the same rows, except the
// version table's times and the revision counts (Create raises a court's
// revision once a case, Import once).
func TestImport_SameRowsAsCreate(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	for name, open := range migrateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			created, imported := open(t), open(t)
			created.Now = func() time.Time { return at }
			imported.Now = created.Now
			for _, c := range importCases() {
				require.NoError(t, created.Create(t.Context(), c, nil))
			}
			cases := importCases()
			require.NoError(t, imported.Import(t.Context(), cases))
			for _, c := range cases {
				require.Equal(t, int64(1), c.Version)
			}

			names := tables(t, imported)
			require.Equal(t, tables(t, created), names)
			require.Equal(t, indexes(t, created), indexes(t, imported), "every index is there after the import")
			compared := 0
			for _, table := range names {
				if table == "zhixing_migrations" || table == "court_revisions" {
					continue
				}
				want := dump(t, created, table)
				require.Equal(t, want, dump(t, imported, table), "table %s", table)
				compared += len(want)
			}
			require.Greater(t, compared, 530*5, "cases and due items were compared")
			for _, court := range []string{"沪01", "沪02"} {
				rev, err := imported.Revision(t.Context(), court)
				require.NoError(t, err)
				require.Positive(t, rev, "the import raised %s's revision", court)
			}
			got, err := imported.Get(t.Context(), "沪02-c00007")
			require.NoError(t, err)
			want, err := created.Get(t.Context(), "沪02-c00007")
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}

// TestImport_AllOrNothing fails an import late, on a due item's key, and
// early, on a case that exists: nothing of the failed import is written,
// and the cases keep their versions.
func TestImport_AllOrNothing(t *testing.T) {
	t.Parallel()
	for name, open := range migrateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s := open(t)
			want := indexes(t, s)
			count := func() (cases, due int) {
				require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&cases))
				require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM due_items`).Scan(&due))
				return cases, due
			}

			// The last case repeats a due item: every case is written
			// before its due items fail.
			cases := importCases()
			last := cases[len(cases)-1]
			last.DueItems = append(last.DueItems, last.DueItems[0])
			err := s.Import(ctx, cases)
			require.ErrorIs(t, err, enforcement.ErrConflict)
			c, d := count()
			require.Zero(t, c)
			require.Zero(t, d)
			rev, err := s.Revision(ctx, "沪01")
			require.NoError(t, err)
			require.Zero(t, rev)
			for _, c := range cases {
				require.Zero(t, c.Version, "case %s", c.ID)
			}
			require.Equal(t, want, indexes(t, s), "the failed import left the indexes as they were")

			// A case that exists already.
			cases = importCases()
			require.NoError(t, s.Create(ctx, importCases()[500], nil))
			err = s.Import(ctx, cases)
			require.ErrorIs(t, err, enforcement.ErrConflict)
			c, d = count()
			require.Equal(t, 1, c)
			require.Equal(t, len(cases[500].DueItems), d)

			// Without it the import goes through, beside the created case.
			cases = slices.Delete(cases, 500, 501)
			require.NoError(t, s.Import(ctx, cases))
			c, _ = count()
			require.Equal(t, len(cases)+1, c)
		})
	}
}

// benchImport imports n cases of 10 due items each into an empty
// database, with the store's previous import (baseline, ImportPrevious)
// and with Import, in the same run, and reports due items a second for
// each and Import's speed-up over the baseline.
func benchImport(b *testing.B, open func(testing.TB) *sqlstore.Store, n int) {
	cases := genCases(n)
	items := 0
	for _, c := range cases {
		items += len(c.DueItems)
	}
	run := func(b *testing.B, imp func(*sqlstore.Store, context.Context, []*enforcement.Case) error) float64 {
		var total time.Duration
		for b.Loop() {
			b.StopTimer()
			s := open(b)
			b.StartTimer()
			start := time.Now()
			require.NoError(b, imp(s, context.Background(), cases))
			total += time.Since(start)
			b.StopTimer()
			var got int
			require.NoError(b, s.DB().QueryRow(`SELECT COUNT(*) FROM due_items`).Scan(&got))
			require.Equal(b, items, got)
			if s.Dialect() == sqlstore.Postgres {
				logSizes(b, s)
			}
			b.StartTimer()
		}
		rate := float64(items) * float64(b.N) / total.Seconds()
		b.ReportMetric(rate, "items/s")
		return rate
	}
	var base float64
	b.Run("baseline", func(b *testing.B) { base = run(b, (*sqlstore.Store).ImportPrevious) })
	b.Run("zhixing", func(b *testing.B) {
		rate := run(b, (*sqlstore.Store).Import)
		if base > 0 {
			b.ReportMetric(rate/base, "x-vs-baseline")
		}
	})
}

// logSizes logs the size of the cases and due-item tables and their
// indexes, after VACUUM ANALYZE, per row.
func logSizes(b *testing.B, s *sqlstore.Store) {
	_, err := s.DB().Exec(`VACUUM ANALYZE cases, due_items`)
	require.NoError(b, err)
	for _, table := range []string{"cases", "due_items"} {
		var rows, heap, toast, indexes int64
		require.NoError(b, s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM `+table+`), pg_relation_size($1::regclass),
			pg_table_size($1::regclass) - pg_relation_size($1::regclass), pg_indexes_size($1::regclass)`, table).Scan(&rows, &heap, &toast, &indexes))
		b.Logf("%s: %d rows, table %d MB (%d B/row), toast and maps %d MB, indexes %d MB (%d B/row)",
			table, rows, heap>>20, heap/rows, toast>>20, indexes>>20, indexes/rows)
	}
}

func BenchmarkImport_SQLite(b *testing.B) {
	benchImport(b, func(tb testing.TB) *sqlstore.Store { return openSQLite(tb) }, 20_000)
}

func BenchmarkImport_Postgres(b *testing.B) {
	benchImport(b, func(tb testing.TB) *sqlstore.Store { return openPG(tb) }, 20_000)
}
