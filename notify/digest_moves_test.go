package notify_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func TestDrafter_DraftDigestMoves(t *testing.T) {
	t.Parallel()
	d, _, _, _ := draftFixture(t)
	today := deadline.MustParseDate("2026-12-07")
	now := time.Date(2026, 12, 7, 8, 30, 0, 0, deadline.China)
	judge := notify.Recipient{UserID: "j1", Name: "王明", Mobile: "13900139000"}
	items := []notify.DigestItem{{CaseNo: "（2026）沪01执5号", Title: "财产调查", Due: today.AddDays(-1), Level: enforcement.LevelOverdue}}
	moves := []notify.DigestMove{
		{CaseNo: "（2026）沪01执9号", Title: "执行案件办案期限", From: deadline.NewDate(2027, 2, 6), To: deadline.NewDate(2027, 2, 9), Definite: true},
		{CaseNo: "（2026）沪01执7号", Title: "申请延长办案期限", From: deadline.NewDate(2027, 5, 29), To: deadline.NewDate(2027, 5, 29), Definite: true},
		{CaseNo: "（2026）沪01执8号", Title: "发出执行通知书", From: deadline.NewDate(2026, 12, 14), To: deadline.NewDate(2026, 12, 15)},
		{CaseNo: "（2026）沪01执8号", Title: "执行案件办案期限", From: deadline.NewDate(2027, 6, 1), To: deadline.NewDate(2027, 6, 2), Provisional: true},
	}

	plain, ok, err := d.DraftDigest("沪01", judge, today, items, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	m, ok, err := d.DraftDigestMoves("沪01", judge, today, items, moves[:2], notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, notify.KeyDigestMoves, m.Template)
	require.Equal(t, notify.StateQueued, m.State, "a digest goes out at once")
	require.Contains(t, m.Body, "已超期1件", "the digest's counts are kept")
	require.Contains(t, m.Body, "期限变动：（2026）沪01执9号执行案件办案期限改为2027年2月9日(原暂定2027年2月6日)；（2026）沪01执7号申请延长办案期限2027年5月29日已确定。",
		"a date that changed comes before one that only became definite")
	require.Equal(t, plain.EventID, m.EventID, "one event per judge and day, whichever variant")
	require.NotEqual(t, plain.IdempotencyKey, m.IdempotencyKey)
	require.Equal(t, m.ID, m.IdempotencyKey)
	require.NoError(t, m.Validate())

	again, _, err := d.DraftDigestMoves("沪01", judge, today, items, []notify.DigestMove{moves[1], moves[0]}, notify.DigestSchedule{}, now.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, m.IdempotencyKey, again.IdempotencyKey, "the same moves the same day: the same message")
	other, _, err := d.DraftDigestMoves("沪01", judge, today, items, moves, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.NotEqual(t, m.IdempotencyKey, other.IdempotencyKey, "other moves: another message")
	require.Contains(t, other.Body, "期限变动：（2026）沪01执8号发出执行通知书改为12月15日(原12月14日)；", "a date of this year without its year, earliest first")
	require.Contains(t, other.Body, "等4项。", "as many as fit, with the total")
	still, _, err := d.DraftDigestMoves("沪01", judge, today, items, moves[3:], notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.Contains(t, still.Body, "执行案件办案期限改为2027年6月2日(暂定，原2027年6月1日)。", "a date still provisional says so")

	none, ok, err := d.DraftDigestMoves("沪01", judge, today, nil, moves[:1], notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok, "moves alone make a digest")
	require.Contains(t, none.Body, "暂无临期或超期事项")

	_, ok, err = d.DraftDigestMoves("沪01", notify.Recipient{UserID: "j2", Name: "李四"}, today, items, moves, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.False(t, ok, "no number, no digest")

	same, ok, err := d.DraftDigestMoves("沪01", judge, today, items, nil, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, plain, same, "without moves it is the plain digest")
}

// Many moves are listed whole, as many as fit, with the total.
func TestDrafter_DraftDigestMovesCut(t *testing.T) {
	t.Parallel()
	d, _, _, _ := draftFixture(t)
	today := deadline.MustParseDate("2026-12-07")
	now := time.Date(2026, 12, 7, 8, 30, 0, 0, deadline.China)
	var moves []notify.DigestMove
	for i := range 30 {
		moves = append(moves, notify.DigestMove{CaseNo: fmt.Sprintf("（2026）沪01执%d号", 100+i), Title: "执行案件办案期限",
			From: deadline.NewDate(2027, 2, 6), To: deadline.NewDate(2027, 2, 9), Definite: true})
	}
	m, ok, err := d.DraftDigestMoves("沪01", notify.Recipient{UserID: "j1", Name: "王明", Mobile: "13900139000"}, today, nil, moves, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, m.Body, "（2026）沪01执100号执行案件办案期限改为2027年2月9日(原暂定2027年2月6日)；")
	require.Contains(t, m.Body, "等30项。")
	require.NotContains(t, m.Body, "…", "whole moves only")
	moved := m.Params[notify.VarMoves]
	require.LessOrEqual(t, len(utf16(moved)), 120)
	_, worst, _ := d.Templates.WorstCase(notify.KeyDigestMoves)
	require.LessOrEqual(t, m.Segments, worst)
}
