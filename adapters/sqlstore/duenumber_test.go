package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// testDueNumberMigration writes cases, undoes migration 0014 as if they had
// been written before it, and reopens the store: the migration copies each
// case's number onto its due items, and the listings that read it
// (DueItems, ListDue) name every item's case as the cases themselves do.
// A case renumbered later has its items' numbers rewritten with it.
func testDueNumberMigration(t *testing.T, driver, dsn string) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(80, "沪01", today)))
	s = reopenAfter(t, s, driver, dsn, `ALTER TABLE due_items DROP COLUMN number`, `DELETE FROM zhixing_migrations WHERE version = 14`)

	numbers := map[string]string{}
	cases, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
	require.NoError(t, err)
	for _, c := range cases {
		numbers[c.ID] = c.Number.String()
	}
	check := func(what string) {
		t.Helper()
		refs, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", Brief: true})
		require.NoError(t, err)
		listed, err := s.ListDue(ctx, "沪01", deadline.MustParseDate("2000-01-01"), today.AddDays(400), 0)
		require.NoError(t, err)
		require.NotEmpty(t, refs)
		require.NotEmpty(t, listed)
		for _, r := range append(refs, listed...) {
			require.Equal(t, numbers[r.CaseID], r.Number, "%s: case %s item %s", what, r.CaseID, r.Item.ID)
		}
	}
	check("migrated")

	// Renumbering a case rewrites its items' copies.
	c := cases[0]
	num, err := enforcement.ParseCaseNumber("（2026）沪01执9999号")
	require.NoError(t, err)
	_, _, err = s.Update(ctx, c.ID, func(x *enforcement.Case) ([]enforcement.Event, error) {
		x.Number = num
		return nil, nil
	})
	require.NoError(t, err)
	numbers[c.ID] = num.String()
	check("renumbered")
}

// reopenAfter runs stmts on s (undoing a migration as if the rows had been
// written before it), closes s and returns the store opened again on
// driver and dsn, which migrates, closed when the test ends.
func reopenAfter(t *testing.T, s *sqlstore.Store, driver, dsn string, stmts ...string) *sqlstore.Store {
	t.Helper()
	for _, q := range stmts {
		_, err := s.DB().ExecContext(t.Context(), q)
		require.NoError(t, err, q)
	}
	require.NoError(t, s.Close())
	s, err := sqlstore.Open(context.Background(), driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDueNumberMigration_SQLite(t *testing.T) {
	t.Parallel()
	testDueNumberMigration(t, "sqlite", filepath.Join(t.TempDir(), "zhixing.db"))
}

func TestDueNumberMigration_Postgres(t *testing.T) {
	t.Parallel()
	testDueNumberMigration(t, "pgx", pgDSN(t))
}

func TestDueNumberMigration_MySQL(t *testing.T) {
	t.Parallel()
	testDueNumberMigration(t, "mysql", mysqlDSN(t))
}
