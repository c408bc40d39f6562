package planning_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// TestAgenda_LimitAndUnlisted checks the paged reminders a store with
// summary rows gives: computed over the n most urgent overdue items only,
// with the rest counted by date through AddUnlisted, then limited to n,
// they equal the agenda computed over every item and limited to n — the
// lists, the counts by level and flag, and what each list leaves out.
func TestAgenda_LimitAndUnlisted(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	today := d(2025, 3, 12) // a Wednesday
	now := today.Start().Add(9 * time.Hour)
	// Forty overdue items on twenty dates (two cases a date), one due
	// today, two later this week and one next week.
	var cases []*enforcement.Case
	for k := range 20 {
		due := today.AddDays(-3 * (k + 1))
		for j := range 2 {
			cases = append(cases, dueCase(t, fmt.Sprintf("c%02d-%d", k, j), fmt.Sprintf("（2025）沪0115执%d号", 100+2*k+j), "j1", due))
		}
	}
	// An item due far off whose reminder date has come.
	far := dueCase(t, "f", "（2025）沪0115执4号", "j1", today.AddDays(60))
	far.DueItems[0].Warnings = []deadline.Date{today.AddDays(-1)}
	cases = append(cases, far,
		dueCase(t, "t", "（2025）沪0115执1号", "j1", today),
		dueCase(t, "w", "（2025）沪0115执2号", "j1", today.AddDays(1), today.AddDays(2)),
		dueCase(t, "n", "（2025）沪0115执3号", "j1", today.AddDays(6)))
	full, err := planning.Reminders("j1", nil, cases, now, cal, planning.ReminderConfig{})
	require.NoError(t, err)
	require.Equal(t, 40, full.Counts.Overdue)
	require.Len(t, full.Today, 42)
	require.True(t, full.Today[41].Has(planning.FlagWarning))

	for _, n := range []int{1, 2, 3, 7, 40, 41, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			want := full.Limit(n)
			// The store reads the overdue items through the first date
			// that makes n, and counts the later ones per date.
			var listed []*enforcement.Case
			unlisted := map[deadline.Date]int{}
			count := 0
			var through deadline.Date
			for k := 19; k >= 0; k-- { // oldest first
				due := today.AddDays(-3 * (k + 1))
				if count >= n {
					unlisted[due] += 2
					continue
				}
				count += 2
				through = due
			}
			for _, c := range cases {
				due := c.DueItems[0].Due()
				switch {
				case c == far && count >= n:
					unlisted[due]++ // after the page's overdue items
				case c == far || !due.Before(today) || !due.After(through):
					listed = append(listed, c)
				}
			}
			got, err := planning.Reminders("j1", nil, listed, now, cal, planning.ReminderConfig{})
			require.NoError(t, err)
			for due, k := range unlisted {
				require.NoError(t, got.AddUnlisted(due, k, cal, planning.ReminderConfig{}))
			}
			got = got.Limit(n)
			require.Equal(t, want, got)
			require.Equal(t, min(n, 42), len(got.Today))
			require.Equal(t, 42-min(n, 42), got.More.Today)
			require.Equal(t, full.Counts, got.Counts)
		})
	}

	t.Run("limit keeps all", func(t *testing.T) {
		require.Equal(t, full, full.Limit(0))
		require.Zero(t, full.More)
	})
	t.Run("unlisted must be overdue or reminded beyond the window", func(t *testing.T) {
		a := full
		for _, due := range []deadline.Date{today, today.AddDays(1), today.AddDays(10)} {
			err := a.AddUnlisted(due, 1, cal, planning.ReminderConfig{})
			require.True(t, errors.Is(err, planning.ErrInvalidReminders), "%v", err)
		}
		require.ErrorIs(t, a.AddUnlisted(today.AddDays(-1), -1, cal, planning.ReminderConfig{}), planning.ErrInvalidReminders)
		require.Equal(t, full.Counts, a.Counts, "nothing changed")
	})
}
