package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// approachingThrough returns the last date after today that
// enforcement.LevelOf calls approaching, as TallyCourts wants it.
func approachingThrough(t testing.TB, cal *deadline.Calendar, today deadline.Date) deadline.Date {
	t.Helper()
	through := today
	for d := today.AddDays(1); ; d = d.AddDays(1) {
		l, err := enforcement.LevelOf(cal, d, today, 0)
		if err != nil || l != enforcement.LevelApproaching {
			return through
		}
		through = d
	}
}

// wantCourt is court's tally as the supervision report over its cases
// counts it, with the items the calendar cannot classify counted normal.
func wantCourt(t *testing.T, s *sqlstore.Store, court string, today deadline.Date) sqlstore.CourtTally {
	t.Helper()
	all, err := s.Find(t.Context(), enforcement.CaseFilter{Court: court})
	require.NoError(t, err)
	rep, err := enforcement.Supervise(all, today, deadline.Official(), enforcement.SupervisionConfig{})
	require.NoError(t, err)
	want := sqlstore.CourtTally{Court: court, Counts: rep.Counts, Unassigned: rep.Unassigned, PartyTasks: rep.PartyTasks, Rights: rep.Rights}
	want.Counts.Normal += len(rep.Unclassified)
	for _, c := range all {
		for _, r := range c.Requests {
			if !r.IsAnswered() {
				want.OpenRequests++
			}
		}
		for _, o := range c.Orders {
			if !o.IsAnswered() {
				want.OpenOrders++
			}
		}
		if !c.IsClosed() && c.JudgeID == "" {
			want.UnassignedCases++
		}
		switch {
		case c.IsClosed():
			want.ClosedCases++
		case c.Key:
			want.OpenCases++
			want.OpenKeyCases++
		default:
			want.OpenCases++
		}
	}
	return want
}

// testTallyCourts writes cases of three courts by Import, Create and
// Update (closing cases, moving one to another judge and one to none,
// completing items, changing amounts) and checks after each step that
// TallyCourts agrees with the report over each court's cases, and that
// the summary rows equal the counts from the cases and due items.
func testTallyCourts(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	cal := deadline.Official()
	today := deadline.MustParseDate("2026-06-15")
	through := approachingThrough(t, cal, today)
	require.True(t, through.After(today))
	courts := []string{"沪01", "沪02", "苏05"}
	check := func(step string) {
		t.Helper()
		got, err := s.TallyCourts(ctx, today, through)
		require.NoError(t, err)
		require.Len(t, got, len(courts), step)
		for i, court := range courts {
			require.Equal(t, wantCourt(t, s, court, today), got[i], "%s: court %s", step, court)
			checkJudgeTallies(t, s, court, today, step)
		}
		checkSummaries(t, s, step)
	}
	got, err := s.TallyCourts(ctx, today, through)
	require.NoError(t, err)
	require.Empty(t, got, "no case, no court")

	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(240, "沪01", today)))
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(90, "沪02", today)))
	for _, c := range storetest.SupervisionCases(30, "苏05", today) {
		require.NoError(t, s.Create(ctx, c, nil))
	}
	check("written")
	tally, err := s.TallyCourts(ctx, today, through)
	require.NoError(t, err)
	require.Positive(t, tally[0].Counts.Overdue, "the fixture has overdue tasks")
	require.Positive(t, tally[0].Counts.Approaching)
	require.Positive(t, tally[0].Rights)
	require.Positive(t, tally[0].PartyTasks.Normal+tally[0].PartyTasks.Overdue+tally[0].PartyTasks.Approaching+tally[0].PartyTasks.DueToday)

	open, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01", Status: enforcement.StatusOpen})
	require.NoError(t, err)
	require.Greater(t, len(open), 10)
	for i, c := range open[:10] {
		_, _, err := s.Update(ctx, c.ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			switch i % 5 {
			case 0:
				c.Status = enforcement.StatusClosed
			case 1:
				c.JudgeID = "judge-other"
				at := time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC)
				c.Requests = append(c.Requests, enforcement.Request{ID: "r-new", PartyID: "a1", Text: "申请查询车辆", ReceivedAt: at})
				c.Orders = append(c.Orders, enforcement.SupervisionOrder{ID: "o-new", IssuedBy: "chief", IssuedAt: at, Text: "请说明", Due: today.AddDays(5)})
			case 2:
				c.JudgeID = ""
			case 3:
				c.AmountRecovered = c.AmountRecovered.Add(decimal.RequireFromString("1234.56"))
				c.Key = !c.Key
			case 4:
				for k := range c.DueItems {
					if c.DueItems[k].IsOpen() {
						c.DueItems[k].Status = enforcement.DueDone
					}
				}
				at := time.Date(2026, 6, 14, 9, 0, 0, 0, time.UTC)
				for k := range c.Requests {
					if !c.Requests[k].IsAnswered() {
						c.Requests[k].Answer, c.Requests[k].AnsweredBy, c.Requests[k].AnsweredAt = "已答复", c.JudgeID, at
					}
				}
				for k := range c.Orders {
					if !c.Orders[k].IsAnswered() {
						c.Orders[k].Response, c.Orders[k].RespondedBy, c.Orders[k].RespondedAt = "已报告", c.JudgeID, at
					}
				}
			}
			return nil, nil
		})
		require.NoError(t, err)
	}
	// A write that changes no figure changes no summary row.
	_, _, err = s.Update(ctx, open[10].ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Cause += "（更正）"
		return nil, nil
	})
	require.NoError(t, err)
	check("updated")
}

// checkJudgeTallies requires TallyJudgeDue to count each judge's open
// items of court due by through as counted from the cases, and nothing for
// a judge without cases.
func checkJudgeTallies(t *testing.T, s *sqlstore.Store, court string, through deadline.Date, step string) {
	t.Helper()
	type key struct {
		due   deadline.Date
		owner string
		right bool
	}
	all, err := s.Find(t.Context(), enforcement.CaseFilter{Court: court})
	require.NoError(t, err)
	want := map[string]map[key]int{"judge-nobody": {}}
	for _, c := range all {
		if want[c.JudgeID] == nil {
			want[c.JudgeID] = map[key]int{}
		}
		for _, d := range c.DueItems {
			if d.IsOpen() && !d.Due().After(through) {
				want[c.JudgeID][key{d.Due(), d.Owner, d.IsRight()}]++
			}
		}
	}
	for judge, w := range want {
		tallies, err := s.TallyJudgeDue(t.Context(), court, judge, through)
		require.NoError(t, err)
		got := map[key]int{}
		for _, tl := range tallies {
			require.Equal(t, judge, tl.JudgeID)
			require.False(t, tl.Later)
			got[key{tl.Due, tl.Owner, tl.Right}] += tl.N
		}
		require.Equal(t, w, got, "%s: court %s, judge %q", step, court, judge)
		// TallyDueItems counts what DueItems lists, for any filter.
		for _, f := range []enforcement.DueFilter{
			{Court: court, JudgeID: judge, OpenOnly: true, DueBefore: through},
			{Court: court, JudgeID: judge, DueFrom: through.AddDays(-30), DueBefore: through.AddDays(30)},
			{Court: court, JudgeID: judge, OpenOnly: true, DueFrom: through.AddDays(31), DueBefore: through.AddDays(30), WarnedBy: through},
		} {
			refs, err := s.DueItems(t.Context(), f)
			require.NoError(t, err)
			listed := map[key]int{}
			for _, r := range refs {
				listed[key{r.Item.Due(), r.Item.Owner, r.Item.IsRight()}]++
			}
			tallies, err := s.TallyDueItems(t.Context(), f)
			require.NoError(t, err)
			counted := map[key]int{}
			for _, tl := range tallies {
				counted[key{tl.Due, tl.Owner, tl.Right}] += tl.N
			}
			require.Equal(t, listed, counted, "%s: court %s, judge %q, filter %+v", step, court, judge, f)
		}
	}
}

// checkSummaries requires case_tallies and due_totals to hold the counts
// computed from cases and due_items.
func checkSummaries(t *testing.T, s *sqlstore.Store, step string) {
	t.Helper()
	for _, q := range []struct{ summary, base string }{
		{`SELECT court, judge_id, status, key_case, n, applied, recovered, late_answers, open_requests FROM case_tallies ORDER BY 1, 2, 3, 4`,
			`SELECT court, judge_id, status, key_case, COUNT(*), SUM(applied), SUM(recovered), SUM(late_answers), SUM(open_requests) FROM cases GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`},
		{`SELECT court, judge_id, owner, is_right, n FROM due_totals ORDER BY 1, 2, 3, 4`,
			`SELECT court, judge_id, owner, is_right, COUNT(*) FROM due_items WHERE is_open GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`},
	} {
		require.Equal(t, queryStrings(t, s, q.base), queryStrings(t, s, q.summary), "%s: %s", step, q.summary)
	}
}

// queryStrings returns the rows of query, each column as text.
func queryStrings(t testing.TB, s *sqlstore.Store, query string) [][]string {
	t.Helper()
	rows, err := s.DB().QueryContext(t.Context(), query)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				row[i] = string(x)
			case bool: // PostgreSQL's booleans, SQLite's and MariaDB's integers
				row[i] = map[bool]string{false: "0", true: "1"}[x]
			default:
				row[i] = fmtValue(x)
			}
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestTallyCourts_SQLite(t *testing.T) { t.Parallel(); testTallyCourts(t, openSQLite(t)) }

func TestTallyCourts_Postgres(t *testing.T) { t.Parallel(); testTallyCourts(t, openPG(t)) }

func TestTallyCourts_MySQL(t *testing.T) { t.Parallel(); testTallyCourts(t, openMySQL(t)) }

// testCourtTalliesMigration writes cases, undoes migration 0013 as if
// they had been written before it, and reopens the store: the migration
// fills the summary rows from the cases and the due-item counts.
func testCourtTalliesMigration(t *testing.T, driver, dsn string) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(120, "沪01", today)))
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(40, "沪02", today)))
	s = reopenAfter(t, s, driver, dsn, `DROP TABLE case_tallies`, `DROP TABLE due_totals`, `DROP INDEX due_tallies_court_due`,
		`DELETE FROM zhixing_migrations WHERE version IN (13, 17)`)
	checkSummaries(t, s, "migrated")
	require.NotEmpty(t, queryStrings(t, s, `SELECT * FROM case_tallies`))
	got, err := s.TallyCourts(ctx, today, approachingThrough(t, deadline.Official(), today))
	require.NoError(t, err)
	require.Equal(t, []sqlstore.CourtTally{wantCourt(t, s, "沪01", today), wantCourt(t, s, "沪02", today)}, got)
}

func TestCourtTalliesMigration_SQLite(t *testing.T) {
	t.Parallel()
	testCourtTalliesMigration(t, "sqlite", filepath.Join(t.TempDir(), "zhixing.db"))
}

func TestCourtTalliesMigration_Postgres(t *testing.T) {
	t.Parallel()
	testCourtTalliesMigration(t, "pgx", pgDSN(t))
}

// testOpenAsksMigration writes cases with requests and orders, undoes
// migration 0017 as if they had been written before it, and reopens the
// store: the step counts every court's unanswered requests and orders into
// the summary rows, the orders from the cases' documents.
func testOpenAsksMigration(t *testing.T, driver, dsn string, drop ...string) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(150, "沪01", today)))
	require.NoError(t, s.Import(ctx, storetest.SupervisionCases(60, "沪02", today)))
	want := []sqlstore.CourtTally{wantCourt(t, s, "沪01", today), wantCourt(t, s, "沪02", today)}
	require.Positive(t, want[0].OpenRequests, "the fixture has unanswered requests")
	require.Positive(t, want[0].OpenOrders, "the fixture has open orders")
	s = reopenAfter(t, s, driver, dsn, append(drop, `DELETE FROM zhixing_migrations WHERE version = 17`)...)
	checkSummaries(t, s, "migrated")
	got, err := s.TallyCourts(ctx, today, approachingThrough(t, deadline.Official(), today))
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestOpenAsksMigration_SQLite(t *testing.T) {
	t.Parallel()
	testOpenAsksMigration(t, "sqlite", filepath.Join(t.TempDir(), "zhixing.db"),
		`ALTER TABLE case_tallies DROP COLUMN open_requests`, `ALTER TABLE case_tallies DROP COLUMN open_orders`)
}

func TestOpenAsksMigration_Postgres(t *testing.T) {
	t.Parallel()
	testOpenAsksMigration(t, "pgx", pgDSN(t), `ALTER TABLE case_tallies DROP COLUMN open_requests, DROP COLUMN open_orders`)
}

func TestOpenAsksMigration_MySQL(t *testing.T) {
	t.Parallel()
	testOpenAsksMigration(t, "mysql", mysqlDSN(t), `ALTER TABLE case_tallies DROP COLUMN open_requests, DROP COLUMN open_orders`)
}

// A case whose orders do not decode stops migration 0017 with an error
// naming it, instead of being counted as having none; nothing of the step
// is kept, and once the document is mended the step runs.
func TestOpenAsksMigration_UndecodableOrders(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := filepath.Join(t.TempDir(), "zhixing.db")
	today := deadline.MustParseDate("2026-06-15")
	s, err := sqlstore.Open(ctx, "sqlite", dsn)
	require.NoError(t, err)
	cases := storetest.SupervisionCases(60, "沪01", today)
	require.NoError(t, s.Import(ctx, cases))
	want := wantCourt(t, s, "沪01", today)
	var id, sup string
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT id, sup_doc FROM cases WHERE orders > 0 ORDER BY id LIMIT 1`).Scan(&id, &sup))
	for _, q := range []string{`ALTER TABLE case_tallies DROP COLUMN open_requests`, `ALTER TABLE case_tallies DROP COLUMN open_orders`,
		`DELETE FROM zhixing_migrations WHERE version = 17`, `UPDATE cases SET sup_doc = '{"v":1,"orders":[{"id":7}]}' WHERE id = '` + id + `'`} {
		_, err := s.DB().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, s.Close())
	_, err = sqlstore.Open(ctx, "sqlite", dsn)
	require.ErrorContains(t, err, "0017_open_asks.sql: count open orders: case "+id)

	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `UPDATE cases SET sup_doc = ? WHERE id = ?`, sup, id)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = sqlstore.Open(ctx, "sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	got, err := s.TallyCourts(ctx, today, approachingThrough(t, deadline.Official(), today))
	require.NoError(t, err)
	require.Equal(t, []sqlstore.CourtTally{want}, got)
}

func fmtValue(v any) string { return fmt.Sprint(v) }

// benchTallyCourts loads 20 courts of 5,000 cases each (100,000 cases, 1M
// due items, 40 judges a court) and measures a high court's overview of
// them. The baseline counts the same figures from the cases and due items
// themselves, grouped by court, as a store without summary rows must;
// zhixing is Store.TallyCourts.
func benchTallyCourts(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	start := time.Now()
	for k := range 20 {
		court := fmt.Sprintf("沪%02d", k+1)
		require.NoError(b, s.Import(ctx, genCourtCases(5_000, court, court+"-")))
	}
	b.Logf("bulk-loaded 100,000 cases (1M due items) of 20 courts in %v", time.Since(start))
	maint := "ANALYZE"
	if s.Dialect() == sqlstore.Postgres {
		maint = "VACUUM ANALYZE"
	}
	_, err := s.DB().ExecContext(ctx, maint)
	require.NoError(b, err)
	through := approachingThrough(b, deadline.Official(), benchToday)
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for _, q := range []string{
				`SELECT court, status, key_case, COUNT(*) FROM cases GROUP BY 1, 2, 3`,
				`SELECT court, CASE WHEN due_on < '` + benchToday.String() + `' THEN 3 WHEN due_on = '` + benchToday.String() + `' THEN 2 WHEN due_on <= '` + through.String() +
					`' THEN 1 ELSE 0 END, owner, judge_id = '', is_right, COUNT(*) FROM due_items WHERE is_open GROUP BY 1, 2, 3, 4, 5`,
			} {
				n += len(queryStrings(b, s, q))
			}
			require.Positive(b, n)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(baseNs/1e6, "ms/overview")
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := s.TallyCourts(ctx, benchToday, through)
			require.NoError(b, err)
			require.Len(b, got, 20)
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/overview")
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}

func BenchmarkTallyCourts_SQLite(b *testing.B)   { benchTallyCourts(b, openSQLite(b)) }
func BenchmarkTallyCourts_Postgres(b *testing.B) { benchTallyCourts(b, openPG(b)) }
