package deadline_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// TestLate2026_sixMonthLimit: today is late 2026; a six-month limit that
// starts now ends in 2027, whose schedule is not in the data yet.
func TestLate2026_sixMonthLimit(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	now := time.Date(2026, 11, 3, 15, 0, 0, 0, deadline.China)
	sixMonths := deadline.MustParsePeriod("6m")

	t.Run("default: an error naming the uncovered year", func(t *testing.T) {
		t.Parallel()
		r, err := official.ComputeAt(now, deadline.Spec{Period: sixMonths})
		require.ErrorIs(t, err, deadline.ErrNotCovered)
		var nc *deadline.NotCoveredError
		require.ErrorAs(t, err, &nc)
		require.Equal(t, d(2027, 5, 3), nc.Date)
		require.Equal(t, d(2026, 12, 31), nc.Last)
		require.Contains(t, err.Error(), "year 2027 has no official schedule")
		require.Equal(t, deadline.Result{}, r)
	})

	t.Run("provisional opt-in: weekend-only, marked, with the reason", func(t *testing.T) {
		t.Parallel()
		r, err := official.ComputeAt(now, deadline.Spec{Period: sixMonths, AllowProvisional: true})
		require.NoError(t, err)
		require.True(t, r.Provisional)
		require.Equal(t, d(2027, 5, 3), r.Due) // a Monday: no weekend to skip
		require.Contains(t, r.ProvisionalReason, "2027年国务院节假日安排尚未载入")
		require.Contains(t, r.ProvisionalReason, "临时结果")
		require.Contains(t, codes(r.Steps), deadline.StepProvisional)
	})

	t.Run("provisional weekend: 2027-05-01 is a Saturday", func(t *testing.T) {
		t.Parallel()
		r, err := official.Compute(d(2026, 11, 1), deadline.Spec{Period: sixMonths, AllowProvisional: true})
		require.NoError(t, err)
		require.True(t, r.Provisional)
		require.Equal(t, d(2027, 5, 3), r.Due)
		require.True(t, r.Extended)
	})

	t.Run("after loading a 2027 schedule", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithSchedule(bytes.NewReader(fixture2027(t)))
		require.NoError(t, err)
		r, err := c.ComputeAt(now, deadline.Spec{Period: sixMonths})
		require.NoError(t, err)
		require.False(t, r.Provisional)
		require.Empty(t, r.ProvisionalReason)
		require.Equal(t, d(2027, 5, 3), r.Unextended)
		require.Equal(t, d(2027, 5, 6), r.Due) // the fixture's 劳动节 block is 05-01..05-05
		require.True(t, r.Extended)
		// The provisional answer was wrong, which is why it is never the default.
		require.False(t, r.InTime(time.Date(2027, 5, 6, 24, 0, 0, 0, deadline.China)))
		require.True(t, r.InTime(time.Date(2027, 5, 5, 10, 0, 0, 0, deadline.China)))
	})
}
