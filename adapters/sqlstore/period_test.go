package sqlstore_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// periodCases are the supervision fixture cases, the closed ones given a
// closure record (a day after filing, a mode) as closing them would.
func periodCases(n int, today deadline.Date) []*enforcement.Case {
	r := rand.New(rand.NewPCG(7, 11))
	modes := []enforcement.ClosureMode{enforcement.ClosureCompleted, enforcement.ClosureZhongBen, enforcement.ClosureTerminated}
	cs := storetest.SupervisionCases(n, "沪01", today)
	for _, c := range cs {
		if c.Status == enforcement.StatusClosed {
			on := c.FiledOn.AddDays(r.IntN(200))
			if on.After(today) {
				on = today
			}
			c.Closure = &enforcement.ClosureRecord{Mode: modes[r.IntN(len(modes))], On: on, Reason: "fixture", By: "j", At: on.Start()}
		}
		c.AmountRecovered = c.AmountApplied.Div(decimal.NewFromInt(int64(1 + r.IntN(4)))).Round(2)
	}
	return cs
}

// wantPeriod counts the figures of from..to case by case.
func wantPeriod(cs []*enforcement.Case, from, to deadline.Date) []sqlstore.JudgePeriod {
	by := map[string]*sqlstore.JudgePeriod{}
	for _, c := range cs {
		if c.FiledOn.After(to) {
			continue
		}
		p := by[c.JudgeID]
		if p == nil {
			p = &sqlstore.JudgePeriod{JudgeID: c.JudgeID, Applied: decimal.Zero, Recovered: decimal.Zero}
			by[c.JudgeID] = p
		}
		closed := c.Status == enforcement.StatusClosed && c.Closure != nil
		if c.FiledOn.Before(from) && (!closed || !c.Closure.On.Before(from)) {
			p.CarriedOver++
		}
		if !c.FiledOn.Before(from) {
			p.Filed++
		}
		if closed && !c.Closure.On.Before(from) && !c.Closure.On.After(to) {
			p.Closed++
			if c.Closure.Mode == enforcement.ClosureZhongBen {
				p.ZhongBen++
			}
			p.Applied = p.Applied.Add(c.AmountApplied)
			p.Recovered = p.Recovered.Add(c.AmountRecovered)
		}
		if !closed || c.Closure.On.After(to) {
			p.Pending++
		}
	}
	var out []sqlstore.JudgePeriod
	for _, p := range by {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b sqlstore.JudgePeriod) int { return strings.Compare(a.JudgeID, b.JudgeID) })
	return out
}

// testTallyPeriod compares the store's period figures with a count over
// the cases, for several periods, then again after clearing the columns
// and running the migration's backfill.
func testTallyPeriod(t *testing.T, s *sqlstore.Store, backfill bool) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	cs := periodCases(800, today)
	require.NoError(t, s.Import(ctx, cs))
	periods := [][2]string{{"2026-01-01", "2026-06-15"}, {"2026-04-01", "2026-04-30"}, {"2025-06-01", "2025-12-31"}, {"2026-06-15", "2026-06-15"}}
	check := func(what string) {
		for _, pr := range periods {
			from, to := deadline.MustParseDate(pr[0]), deadline.MustParseDate(pr[1])
			got, err := s.TallyPeriod(ctx, "沪01", from, to)
			require.NoError(t, err)
			want := wantPeriod(cs, from, to)
			require.Equal(t, toJSON(t, want), toJSON(t, got), "%s %s..%s", what, from, to)
			for _, p := range got {
				require.Equal(t, p.CarriedOver+p.Filed-p.Closed, p.Pending, "%s %s", what, p.JudgeID)
			}
		}
		keys, err := s.KeyCasesInPeriod(ctx, "沪01", deadline.MustParseDate("2026-04-01"), deadline.MustParseDate("2026-04-30"))
		require.NoError(t, err)
		var want []string
		for _, c := range cs {
			if c.Key && !c.FiledOn.After(deadline.MustParseDate("2026-04-30")) &&
				(c.Closure == nil || !c.Closure.On.Before(deadline.MustParseDate("2026-04-01"))) {
				want = append(want, c.ID)
			}
		}
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.ID)
		}
		require.NotEmpty(t, want)
		require.ElementsMatch(t, want, ids, what)
	}
	check("written")
	_, err := s.TallyPeriod(ctx, "沪01", today, today.AddDays(-1))
	require.Error(t, err, "a period ending before it starts")
	if !backfill {
		return
	}
	_, err = s.DB().ExecContext(ctx, `UPDATE cases SET closed_on = '', closure_mode = ''`)
	require.NoError(t, err)
	_, err = s.DB().ExecContext(ctx, backfillStatement(t, s.Dialect().String()))
	require.NoError(t, err)
	check("backfilled")
}

// backfillStatement is the UPDATE of migration 0011 for a dialect.
func backfillStatement(t *testing.T, dialect string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("migrations", dialect, "0011_closed_on.sql"))
	require.NoError(t, err)
	i := strings.Index(string(b), "UPDATE cases SET")
	require.GreaterOrEqual(t, i, 0)
	stmt, _, ok := strings.Cut(string(b[i:]), ";")
	require.True(t, ok)
	return stmt
}

func TestTallyPeriod_SQLite(t *testing.T) {
	t.Parallel()
	testTallyPeriod(t, openSQLite(t), true)
}

func TestTallyPeriod_Postgres(t *testing.T) {
	t.Parallel()
	testTallyPeriod(t, openPG(t), true)
}

func TestTallyPeriod_MySQL(t *testing.T) {
	t.Parallel()
	testTallyPeriod(t, openMySQL(t), false)
}
