package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// TestApproachingUntil checks ApproachingUntil against LevelOf: every day
// after today and before it is approaching, and it is not.
func TestApproachingUntil(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	for _, today := range []deadline.Date{deadline.MustParseDate("2024-09-27"), deadline.MustParseDate("2025-01-24"), deadline.MustParseDate("2025-06-16")} {
		for _, n := range []int{0, 1, 3, 5} {
			until, err := enforcement.ApproachingUntil(cal, today, n)
			require.NoError(t, err)
			for d := today.AddDays(1); d.Before(until); d = d.AddDays(1) {
				l, err := enforcement.LevelOf(cal, d, today, n)
				require.NoError(t, err)
				require.Equal(t, enforcement.LevelApproaching, l, "%s from %s", d, today)
			}
			l, err := enforcement.LevelOf(cal, until, today, n)
			require.NoError(t, err)
			require.Equal(t, enforcement.LevelNormal, l, "%s from %s", until, today)
		}
	}
}

// TestApproachingFrom: the day an item turns approaching, on the official
// schedule (国务院办公厅 holiday notices for 2025), and LevelOf agrees on
// that day and the day before it.
func TestApproachingFrom(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	tests := []struct {
		name string
		due  deadline.Date
		n    int
		want deadline.Date
	}{
		{"Friday, workday", ymd(2025, 6, 13), 3, ymd(2025, 6, 10)},
		{"Saturday: counted from Friday", ymd(2025, 6, 14), 3, ymd(2025, 6, 10)},
		{"Sunday: counted from Friday", ymd(2025, 6, 15), 3, ymd(2025, 6, 10)},
		{"Monday: over the weekend", ymd(2025, 6, 16), 3, ymd(2025, 6, 11)},
		{"zero means the default", ymd(2025, 6, 14), 0, ymd(2025, 6, 10)},
		{"one working day, Saturday", ymd(2025, 6, 14), 1, ymd(2025, 6, 12)},
		{"National Day 2025, Sunday in the holiday", ymd(2025, 10, 5), 3, ymd(2025, 9, 26)},
		{"National Day 2025, last holiday", ymd(2025, 10, 8), 3, ymd(2025, 9, 26)},
		{"after National Day 2025: make-up Sunday 9-28 counts", ymd(2025, 10, 9), 3, ymd(2025, 9, 28)},
		{"Spring Festival 2025, Saturday in the holiday: make-up Sunday 1-26 counts", ymd(2025, 2, 1), 3, ymd(2025, 1, 23)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.ApproachingFrom(cal, tt.due, tt.n)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			l, err := enforcement.LevelOf(cal, tt.due, got, tt.n)
			require.NoError(t, err)
			require.Equal(t, enforcement.LevelApproaching, l, "on %s", got)
			l, err = enforcement.LevelOf(cal, tt.due, got.AddDays(-1), tt.n)
			require.NoError(t, err)
			require.Equal(t, enforcement.LevelNormal, l, "the day before %s", got)
			// The definition, independently of LevelOf: at most n working
			// days left in (day, due] from that day on, more the day before.
			n := tt.n
			if n <= 0 {
				n = enforcement.DefaultApproachingWorkdays
			}
			left, err := cal.WorkdaysBetween(got, tt.due)
			require.NoError(t, err)
			require.LessOrEqual(t, left, n)
			left, err = cal.WorkdaysBetween(got.AddDays(-1), tt.due)
			require.NoError(t, err)
			require.Greater(t, left, n)
		})
	}
	_, err := enforcement.ApproachingFrom(cal, ymd(2099, 6, 1), 3)
	require.ErrorIs(t, err, deadline.ErrNotCovered)
}
