package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/notify"
)

// cst returns a time in China Standard Time.
func cst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, deadline.China)
}

var (
	applicant = notify.Recipient{PartyID: "p1", Role: notify.RecipientApplicant, Mobile: "13800138000"}
	judge     = notify.Recipient{UserID: "u1", Role: notify.RecipientJudge, Mobile: "13900139000"}
)

func TestQuietHours_Next(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name   string
		q      notify.QuietHours
		at     time.Time
		to     notify.Recipient
		urgent bool
		want   time.Time
	}{
		{"daytime is sent at once", notify.QuietHours{}, cst(2024, 10, 8, 14, 0), applicant, false, cst(2024, 10, 8, 14, 0)},
		{"at 08:00 quiet hours are over", notify.QuietHours{}, cst(2024, 10, 8, 8, 0), applicant, false, cst(2024, 10, 8, 8, 0)},
		{"20:59 is still allowed", notify.QuietHours{}, cst(2024, 10, 8, 20, 59), applicant, false, cst(2024, 10, 8, 20, 59)},
		{"21:00 waits for the next morning", notify.QuietHours{}, cst(2024, 10, 8, 21, 0), applicant, false, cst(2024, 10, 9, 8, 0)},
		{"across midnight and month end", notify.QuietHours{}, cst(2024, 10, 31, 23, 30), applicant, false, cst(2024, 11, 1, 8, 0)},
		{"after midnight waits for the same morning", notify.QuietHours{}, cst(2024, 10, 9, 2, 15), applicant, false, cst(2024, 10, 9, 8, 0)},
		{"across the year end", notify.QuietHours{}, cst(2024, 12, 31, 22, 0), applicant, false, cst(2025, 1, 1, 8, 0)},
		{"instant in UTC is read in China time", notify.QuietHours{}, time.Date(2024, 10, 8, 14, 0, 0, 0, time.UTC), applicant, false, cst(2024, 10, 9, 8, 0)},
		{"urgent is exempt", notify.QuietHours{}, cst(2024, 10, 8, 23, 0), applicant, true, cst(2024, 10, 8, 23, 0)},
		{"judges are not subject by default", notify.QuietHours{}, cst(2024, 10, 8, 23, 0), judge, false, cst(2024, 10, 8, 23, 0)},
		{"judges subject when configured", notify.QuietHours{Staff: true}, cst(2024, 10, 8, 23, 0), judge, false, cst(2024, 10, 9, 8, 0)},
		{"off", notify.QuietHours{Off: true}, cst(2024, 10, 8, 23, 0), applicant, false, cst(2024, 10, 8, 23, 0)},
		{"own hours 22:00-07:30", notify.QuietHours{Start: 22 * time.Hour, End: 7*time.Hour + 30*time.Minute}, cst(2024, 10, 8, 21, 30), applicant, false, cst(2024, 10, 8, 21, 30)},
		{"own hours 22:00-07:30 at night", notify.QuietHours{Start: 22 * time.Hour, End: 7*time.Hour + 30*time.Minute}, cst(2024, 10, 8, 22, 30), applicant, false, cst(2024, 10, 9, 7, 30)},
		{"midday quiet period", notify.QuietHours{Start: 12 * time.Hour, End: 14 * time.Hour}, cst(2024, 10, 8, 12, 30), applicant, false, cst(2024, 10, 8, 14, 0)},
		{"weekend allowed by default", notify.QuietHours{}, cst(2024, 10, 5, 10, 0), applicant, false, cst(2024, 10, 5, 10, 0)},
		// State Council 2024 schedule: 10-01..10-07 National Day, 10-12 (Sat) a make-up working day.
		{"National Day 2024 holiday skipped when configured", notify.QuietHours{Workday: official.IsWorkday}, cst(2024, 9, 30, 22, 0), applicant, false, cst(2024, 10, 8, 8, 0)},
		{"daytime in the holiday moves to the first working day", notify.QuietHours{Workday: official.IsWorkday}, cst(2024, 10, 3, 10, 0), applicant, false, cst(2024, 10, 8, 8, 0)},
		{"make-up Saturday 2024-10-12 is a working day", notify.QuietHours{Workday: official.IsWorkday}, cst(2024, 10, 11, 23, 0), applicant, false, cst(2024, 10, 12, 8, 0)},
		{"holiday skip does not apply to judges", notify.QuietHours{Workday: official.IsWorkday, Staff: true}, cst(2024, 10, 3, 10, 0), judge, false, cst(2024, 10, 3, 10, 0)},
		{"urgent is exempt from the holiday skip", notify.QuietHours{Workday: official.IsWorkday}, cst(2024, 10, 3, 10, 0), applicant, true, cst(2024, 10, 3, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.q.Next(tt.at, tt.to, tt.urgent)
			require.NoError(t, err)
			require.True(t, tt.want.Equal(got), "want %s, got %s", tt.want, got.In(deadline.China))
		})
	}
}

func TestQuietHours_NextUncovered(t *testing.T) {
	t.Parallel()
	q := notify.QuietHours{Workday: deadline.Official().IsWorkday}
	got, err := q.Next(cst(2099, 5, 1, 10, 0), applicant, false)
	require.ErrorIs(t, err, deadline.ErrNotCovered)
	require.Zero(t, got)
}
