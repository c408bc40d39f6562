package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// testDueItemsBrief checks that a brief listing returns the items of the
// full one, field for field, without their explanation.
func testDueItemsBrief(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	cases := storetest.SupervisionCases(60, "沪01", today)
	for _, c := range cases {
		for i := range c.DueItems {
			d := &c.DueItems[i]
			if !d.Computed.IsValid() || d.Computed.Year < 2000 {
				continue // the fixture's corrupt dates
			}
			d.Steps = []deadline.Step{{Code: "start", Date: d.Computed.AddDays(-10), Text: "自送达之日起算"}, {Code: "end", Date: d.Computed, Text: "期间届满"}}
			d.CalcBasis = []string{"民事诉讼法第八十五条"}
		}
	}
	require.NoError(t, s.Import(ctx, cases))
	f := enforcement.DueFilter{Court: "沪01", OpenOnly: true, DueBefore: today.AddDays(30), WarnedBy: today}
	full, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	f.Brief = true
	brief, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	require.NotEmpty(t, full)
	require.Len(t, brief, len(full))
	explained := 0
	for i := range full {
		if len(full[i].Item.Steps) > 0 {
			explained++
		}
		require.Empty(t, brief[i].Item.Steps)
		require.Empty(t, brief[i].Item.CalcBasis)
		full[i].Item.Steps, full[i].Item.CalcBasis = nil, nil
	}
	require.Positive(t, explained, "the fixture's items are explained")
	require.Equal(t, full, brief)

	// Written by Create and Update, and (rows from before migration 0018)
	// without a brief: the same items.
	for _, c := range storetest.SupervisionCases(20, "沪02", today) {
		require.NoError(t, s.Create(ctx, c, nil))
	}
	f.Court = "沪02"
	want, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	require.NotEmpty(t, want)
	_, _, err = s.Update(ctx, want[0].CaseID, func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Title += "（更正）"
		return nil, nil
	})
	require.NoError(t, err)
	want, err = s.DueItems(ctx, f)
	require.NoError(t, err)
	require.Equal(t, 0, count(t, s, `SELECT COUNT(*) FROM due_items WHERE brief IS NULL`), "every writer writes the brief")
	_, err = s.DB().ExecContext(ctx, `UPDATE due_items SET brief = NULL WHERE court = '沪02'`)
	require.NoError(t, err)
	got, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	require.Equal(t, want, got, "rows without a brief read their document")
}

// count returns the number query counts.
func count(t *testing.T, s *sqlstore.Store, query string) int {
	t.Helper()
	var n int
	require.NoError(t, s.DB().QueryRowContext(t.Context(), query).Scan(&n))
	return n
}

func TestDueItemsBrief_SQLite(t *testing.T)   { t.Parallel(); testDueItemsBrief(t, openSQLite(t)) }
func TestDueItemsBrief_Postgres(t *testing.T) { t.Parallel(); testDueItemsBrief(t, openPG(t)) }
func TestDueItemsBrief_MySQL(t *testing.T)    { t.Parallel(); testDueItemsBrief(t, openMySQL(t)) }

// testBriefMigration writes cases, undoes migration 0018 as if they had
// been written before it, and reopens the store: every open item gets the
// brief its writer writes, closed ones none, an item whose document does
// not decode none (it fails where it is read, as before), and the
// listings read as before.
func testBriefMigration(t *testing.T, driver, dsn string) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(300, "沪01", today)))
	f := enforcement.DueFilter{Court: "沪01", OpenOnly: true, DueBefore: today.AddDays(30), WarnedBy: today, Brief: true}
	want, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	require.NotEmpty(t, want)
	written := queryStrings(t, s, `SELECT case_id, due_id, brief FROM due_items WHERE is_open ORDER BY case_id, due_id`)
	require.Greater(t, len(written), 1000, "more open items than the step writes at once")
	closed := count(t, s, `SELECT COUNT(*) FROM due_items WHERE NOT is_open`)
	require.Positive(t, closed, "the fixture has closed items")
	var badCase, badDue string
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT case_id, due_id FROM due_items WHERE is_open AND due_on > '2026-08-01' ORDER BY case_id, due_id LIMIT 1`).Scan(&badCase, &badDue))
	s = reopenAfter(t, s, driver, dsn, `ALTER TABLE due_items DROP COLUMN brief`, `DELETE FROM zhixing_migrations WHERE version = 18`,
		`UPDATE due_items SET doc = '{"v":1,"id":7}' WHERE case_id = '`+badCase+`' AND due_id = '`+badDue+`'`)
	got := queryStrings(t, s, `SELECT case_id, due_id, COALESCE(brief, 'none') FROM due_items WHERE is_open ORDER BY case_id, due_id`)
	require.Len(t, got, len(written))
	for i := range written {
		if written[i][0] == badCase && written[i][1] == badDue {
			require.Equal(t, "none", got[i][2], "an undecodable document gets no brief")
			written[i][2] = "none"
		}
	}
	require.Equal(t, written, got, "each open item's brief as its writer wrote it")
	require.Equal(t, closed, count(t, s, `SELECT COUNT(*) FROM due_items WHERE NOT is_open AND brief IS NULL`), "closed items keep none")
	list, err := s.DueItems(ctx, f)
	require.NoError(t, err)
	require.Equal(t, want, list)
}

func TestBriefMigration_SQLite(t *testing.T) {
	t.Parallel()
	testBriefMigration(t, "sqlite", filepath.Join(t.TempDir(), "zhixing.db"))
}

func TestBriefMigration_Postgres(t *testing.T) { t.Parallel(); testBriefMigration(t, "pgx", pgDSN(t)) }

func TestBriefMigration_MySQL(t *testing.T) {
	t.Parallel()
	testBriefMigration(t, "mysql", mysqlDSN(t))
}
