package sqlstore_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func TestSupervisionConformance_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunSupervision(t, func(t *testing.T) storetest.SupervisionStore { return openSQLite(t) })
}

func TestSupervisionConformance_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunSupervision(t, func(t *testing.T) storetest.SupervisionStore { return openPG(t) })
}

// testSuperviseImported checks the report over cases written by Import,
// and over rows written before the head column, which are read from the
// item's document.
func testSuperviseImported(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	cal := deadline.Official()
	today := deadline.MustParseDate("2026-06-15")
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(600, "沪01", today)))
	all, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
	require.NoError(t, err)
	for _, limit := range []int{0, 25} {
		cfg := enforcement.SupervisionConfig{DueLimit: limit}
		want, err := enforcement.Supervise(all, today, cal, cfg)
		require.NoError(t, err)
		require.Greater(t, want.DueTotal(), 25)
		got, err := enforcement.SuperviseFrom(ctx, s, "沪01", today, cal, cfg)
		require.NoError(t, err)
		require.Equal(t, toJSON(t, want), toJSON(t, got), "limit %d", limit)

		_, err = s.DB().ExecContext(ctx, `UPDATE due_items SET head = NULL`)
		require.NoError(t, err)
		got, err = enforcement.SuperviseFrom(ctx, s, "沪01", today, cal, cfg)
		require.NoError(t, err)
		require.Equal(t, toJSON(t, want), toJSON(t, got), "without heads, limit %d", limit)
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(b)
}

func TestSuperviseImported_SQLite(t *testing.T) {
	t.Parallel()
	testSuperviseImported(t, openSQLite(t))
}

func TestSuperviseImported_Postgres(t *testing.T) { t.Parallel(); testSuperviseImported(t, openPG(t)) }

// testDueRightsMigration writes cases, undoes migration 0009 as if they
// had been written before it, and reopens the store: the migration marks
// the parties' rights from the item documents and counts the open items.
func testDueRightsMigration(t *testing.T, driver, dsn string) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(80, "沪01", today)))
	for _, q := range []string{`DROP TABLE due_tallies`, `DROP INDEX due_items_court_tasks`, `DROP INDEX due_items_court_key_tasks`,
		`ALTER TABLE due_items DROP COLUMN is_right`, `ALTER TABLE due_items DROP COLUMN title`, `DELETE FROM zhixing_migrations WHERE version = 9`} {
		_, err := s.DB().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, s.Close())

	s, err = sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	all, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
	require.NoError(t, err)
	want, err := enforcement.CaseSlice(all).TallyDue(ctx, "沪01", today)
	require.NoError(t, err)
	got, err := s.TallyDue(ctx, "沪01", today)
	require.NoError(t, err)
	require.ElementsMatch(t, want, got)
	require.True(t, slices.ContainsFunc(got, func(t enforcement.DueTally) bool { return t.Right }), "rights marked")

	wantCases, err := enforcement.CaseSlice(all).SupervisedCases(ctx, "沪01")
	require.NoError(t, err)
	gotCases, err := s.SupervisedCases(ctx, "沪01")
	require.NoError(t, err)
	titles := func(cs []*enforcement.Case) map[string][]string {
		out := map[string][]string{}
		for _, c := range cs {
			for _, d := range c.DueItems {
				if !d.IsRight() {
					out[c.ID] = append(out[c.ID], d.ID+" "+d.Title+" "+d.Due().String())
				}
			}
		}
		return out
	}
	require.Equal(t, titles(wantCases), titles(gotCases), "key cases' tasks with their titles")

	through := today.AddDays(60)
	wantRefs, err := enforcement.CaseSlice(all).ListDue(ctx, "沪01", deadline.Date{}, through, 30)
	require.NoError(t, err)
	gotRefs, err := s.ListDue(ctx, "沪01", deadline.Date{}, through, 30)
	require.NoError(t, err)
	require.Equal(t, toJSON(t, wantRefs), toJSON(t, gotRefs))
}

func TestDueRightsMigration_SQLite(t *testing.T) {
	t.Parallel()
	testDueRightsMigration(t, "sqlite", filepath.Join(t.TempDir(), "zhixing.db"))
}

func TestDueRightsMigration_Postgres(t *testing.T) {
	t.Parallel()
	testDueRightsMigration(t, "pgx", pgDSN(t))
}
