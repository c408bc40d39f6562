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
