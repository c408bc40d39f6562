package desk

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// levelDates gives, for each level, exactly the next due dates that
// enforcement.LevelOf puts at that level, also across the National Day
// and Spring Festival blocks. (A date the calendar cannot classify has no
// level; the normal filter's open range takes it.)
func TestLevelDates(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	for _, today := range []deadline.Date{
		deadline.MustParseDate("2026-11-26"), // a Thursday
		deadline.MustParseDate("2026-09-29"), // before National Day
		deadline.MustParseDate("2026-02-12"), // before the Spring Festival
		deadline.MustParseDate("2026-11-28"), // a Saturday
	} {
		for _, l := range []enforcement.Level{enforcement.LevelOverdue, enforcement.LevelDueToday, enforcement.LevelApproaching, enforcement.LevelNormal} {
			from, to := levelDates(cal, today, l)
			for d := today.AddDays(-10); d.Before(today.AddDays(60)); d = d.AddDays(1) {
				got, err := enforcement.LevelOf(cal, d, today, 0)
				if err != nil {
					continue // beyond the calendar: no level to filter by
				}
				in := (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
				require.Equal(t, got == l, in, "today %s, level %s, due %s (range %s..%s)", today, l, d, from, to)
			}
		}
	}
}
