package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func TestDigestSchedule_IsDue(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	at := func(day string, h, m int) time.Time {
		d := deadline.MustParseDate(day)
		return time.Date(d.Year, time.Month(d.Month), d.Day, h, m, 0, 0, deadline.China)
	}
	expiresSat := []notify.DigestItem{{CaseNo: "（2025）沪01执1号", Title: "冻结期限届满", Due: deadline.MustParseDate("2025-03-08"), Level: enforcement.LevelDueToday}}
	tests := []struct {
		name  string
		s     notify.DigestSchedule
		now   time.Time
		items []notify.DigestItem
		want  bool
	}{
		{"WorkdayBeforeDefaultHour", notify.DigestSchedule{}, at("2025-03-10", 8, 29), nil, false},
		{"WorkdayAtDefaultHour", notify.DigestSchedule{}, at("2025-03-10", 8, 30), nil, true},
		{"ConfiguredHour", notify.DigestSchedule{Hour: 9}, at("2025-03-10", 8, 45), nil, false},
		{"RestDayNothingExpires", notify.DigestSchedule{}, at("2025-03-08", 9, 0), []notify.DigestItem{{Due: deadline.MustParseDate("2025-03-10")}}, false},
		{"RestDayItemExpires", notify.DigestSchedule{}, at("2025-03-08", 9, 0), expiresSat, true},
		{"UTCInstantReadInChina", notify.DigestSchedule{}, time.Date(2025, 3, 10, 0, 30, 0, 0, time.UTC), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.s.IsDue(tt.now, cal, tt.items)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestDrafter_DraftDigest(t *testing.T) {
	t.Parallel()
	d, _, _, _ := draftFixture(t)
	today := deadline.MustParseDate("2025-03-10")
	now := time.Date(2025, 3, 10, 8, 30, 0, 0, deadline.China)
	judge := notify.Recipient{UserID: "j1", Name: "王法官", Mobile: "13900139000"}
	var items []notify.DigestItem
	for i := range 40 {
		items = append(items, notify.DigestItem{CaseNo: "（2025）沪01执" + string(rune('1'+i%9)) + "号", Title: "财产调查", Due: today.AddDays(3), Level: enforcement.LevelApproaching})
	}
	items = append(items,
		notify.DigestItem{CaseNo: "（2024）沪01执900号", Title: "冻结期限届满", Due: today, Level: enforcement.LevelDueToday, Preservation: true},
		notify.DigestItem{CaseNo: "（2024）沪01执800号", Title: "发出执行通知书", Due: deadline.MustParseDate("2024-12-30"), Level: enforcement.LevelOverdue},
		notify.DigestItem{CaseNo: "（2025）沪01执700号", Title: "财产调查", Due: today.AddDays(-1), Level: enforcement.LevelOverdue},
	)
	m, ok, err := d.DraftDigest("沪01", judge, today, items, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, m.Validate())
	require.Equal(t, notify.StateQueued, m.State)
	require.Equal(t, "已超期2件，今日到期1件，临期40件", m.Params[notify.VarCounts])
	require.Equal(t, "（2024）沪01执800号发出执行通知书(2024年12月30日)；（2025）沪01执700号财产调查(3月9日)；（2024）沪01执900号冻结期限届满(3月10日)",
		m.Params[notify.VarItems], "the three most urgent, oldest first within a level")
	require.Contains(t, m.Body, "】王法官：", "the staff name's own title is dropped where the template adds 法官")
	units, segs, _ := d.Templates.WorstCase(notify.KeyDigest)
	require.LessOrEqual(t, m.Segments, segs)
	require.LessOrEqual(t, segs, notify.DefaultMaxSegments, "worst case %d units", units)

	again, _, err := d.DraftDigest("沪01", judge, today, items[:1], notify.DigestSchedule{}, now.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, m.IdempotencyKey, again.IdempotencyKey, "one digest per judge and day")
	next, _, err := d.DraftDigest("沪01", judge, today.AddDays(1), items, notify.DigestSchedule{}, now.Add(24*time.Hour))
	require.NoError(t, err)
	require.NotEqual(t, m.IdempotencyKey, next.IdempotencyKey)

	_, ok, err = d.DraftDigest("沪01", judge, today, nil, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.False(t, ok, "nothing to report, no digest")

	urgent := notify.SplitUrgent(items, today)
	require.Len(t, urgent, 1)
	require.Equal(t, "（2024）沪01执900号", urgent[0].CaseNo)
}
