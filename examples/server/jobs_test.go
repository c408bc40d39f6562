package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

const wuMobile = "13900000009"

// addJudgeWu adds judge 吴刚 with n cases filed 60 days ago on which
// nothing was done, and returns the principal and the case IDs.
func addJudgeWu(t *testing.T, e *env, n int) (*desk.Principal, []string) {
	t.Helper()
	return addJudgeWuFiled(t, e, n, 60)
}

// addJudgeWuFiled is addJudgeWu with cases filed days ago.
func addJudgeWuFiled(t *testing.T, e *env, n, days int) (*desk.Principal, []string) {
	t.Helper()
	ctx := t.Context()
	require.NoError(t, e.app.desk.CreateUser(ctx, desk.User{ID: "judge-wu", Court: e.app.desk.DefaultCourt(), Role: desk.RoleJudge, Name: "吴刚", Mobile: wuMobile}, "demo-judge-wu"))
	wu := &desk.Principal{Role: desk.RoleJudge, UserID: "judge-wu"}
	filed := e.app.desk.Today().AddDays(-days)
	var ids []string
	for i := range n {
		num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）沪01执%d号", filed.Year, 700+i))
		require.NoError(t, err)
		c, err := e.app.desk.CreateCase(ctx, wu, &enforcement.Case{ID: fmt.Sprintf("wu-%d", i), Number: num, Cause: "民间借贷纠纷",
			AmountApplied: decimal.RequireFromString("10000.00"), ReceivedOn: filed, FiledOn: filed, Parties: parties(i),
			Source: enforcement.SourceDocument{Title: "民事判决书", Number: fmt.Sprintf("（%d）沪0115民初%d号", filed.Year-1, 7000+i), Issuer: "上海市浦东新区人民法院", EffectiveOn: filed.AddDays(-30)}})
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	return wu, ids
}

// overdueOf counts judge's overdue items on the day of now.
func overdueOf(t *testing.T, e *env, judge string) int {
	t.Helper()
	today := e.app.desk.Today()
	refs, err := e.app.store.DueItems(t.Context(), enforcement.DueFilter{Court: e.app.desk.DefaultCourt(), OpenOnly: true, DueBefore: today.AddDays(30)})
	require.NoError(t, err)
	cl, err := enforcement.Classify(refs, today, e.app.desk.Calendar(), 0)
	require.NoError(t, err)
	n := 0
	for _, f := range cl.Flagged {
		if f.JudgeID == judge && f.Level == enforcement.LevelOverdue {
			n++
		}
	}
	return n
}

// sentTo returns what the sender got for mobile with template key.
func sentTo(e *env, mobile, key string) []notify.Outgoing {
	var out []notify.Outgoing
	for _, o := range e.sender.all() {
		if o.To == mobile && o.Template == key {
			out = append(out, o)
		}
	}
	return out
}

// A judge with 12 overdue items gets one digest at 08:30 on a working
// day, however often the job runs and across a restart on the same
// database; none before 08:30 and none on a Saturday, unless an item
// expires that Saturday.
func TestJob_DigestOncePerWorkingDay(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dsn := b.dsn(t)
		e := startWith(t, backend{b.name, func(*testing.T) string { return dsn }}, nil)
		ctx := t.Context()
		wu, ids := addJudgeWu(t, e, 12)
		e.relay()
		e.dispatch()
		// Friday 27 November 2026, 08:29.
		e.clock.Add(time.Date(2026, 11, 27, 8, 29, 0, 0, deadline.China).Sub(e.clock.Now()))
		require.Equal(t, 12, overdueOf(t, e, "judge-wu"), "twelve untouched cases filed 60 days ago")

		_, err := e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Empty(t, sentTo(e, wuMobile, notify.KeyDigest), "nothing before 08:30")

		e.clock.Add(time.Minute)
		for range 3 {
			_, err = e.app.digestOnce(ctx)
			require.NoError(t, err)
		}
		e.dispatch()
		got := sentTo(e, wuMobile, notify.KeyDigest)
		require.Len(t, got, 1, "one digest, however often the job runs")
		require.Contains(t, got[0].Body, "超期12件")
		require.Contains(t, got[0].Body, "吴刚")
		require.Empty(t, sentTo(e, wuMobile, notify.KeyDeadlineReminder), "no per-item reminders")

		// A second instance on the same database, later the same day.
		e.clock.Add(3 * time.Hour)
		cfg := e.app.cfg
		cfg.Demo = false
		_, other, err := newServer(ctx, cfg)
		require.NoError(t, err)
		defer other.Close()
		_, err = other.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 1, "no second digest from another instance")

		// Saturday 28 November: a rest day, nothing expires.
		e.clock.Add(time.Date(2026, 11, 28, 9, 0, 0, 0, deadline.China).Sub(e.clock.Now()))
		_, err = e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 1, "nothing on a rest day")

		// A freeze expiring on Saturday 5 December.
		sat := deadline.NewDate(2026, time.December, 5)
		_, err = e.app.desk.RecordMeasure(ctx, wu, ids[0], enforcement.Measure{ID: "m-sat", Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
			Property: enforcement.PropertyDeposit, Target: "工商银行账户 6222****0001", Amount: decimal.RequireFromString("5000.00"),
			TakenOn: e.app.desk.Today().AddDays(-5), ExpiresOn: sat, Outcome: enforcement.OutcomeDone})
		require.NoError(t, err)
		e.clock.Add(time.Date(2026, 12, 5, 8, 30, 0, 0, deadline.China).Sub(e.clock.Now()))
		_, err = e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 2, "a digest on the Saturday an item expires")
		require.Len(t, sentTo(e, wuMobile, notify.KeyDeadlineReminder), 1, "the expiring freeze also goes out on its own")
	})
}

// A bank's reported end date for a freeze, recorded with the measure's
// result, moves the freeze's expiry item (and its warnings) to that date.
func TestFlow_ReportedExpiryMovesDueItem(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		judge := e.login("judge-zhang")
		expiry := func() string {
			t.Helper()
			var c caseDoc
			require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/demo-4", nil, &c))
			for _, d := range c.DueItems {
				if d.Rule == "seizure.deposit_expiry" {
					return d.Computed
				}
			}
			t.Fatalf("no expiry item in %+v", c.DueItems)
			return ""
		}
		reported := e.app.desk.Today().AddDays(20)
		require.NotEqual(t, reported.String(), expiry())
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/demo-4/measures/m-freeze/result",
			map[string]any{"result": "银行回执：冻结期限至" + reported.String(), "expires_on": reported.String()}, nil))
		require.Equal(t, reported.String(), expiry())
	})
}

// The digest leaves out the parties' rights: cases filed 200 days ago have
// the applicant's right to apply to the higher court open since the sixth
// month ended (CPL art. 237), which is overdue by date but is nobody's
// task.
func TestJob_DigestLeavesOutRights(t *testing.T) {
	e := start(t, backends(t)[0])
	ctx := t.Context()
	_, _ = addJudgeWuFiled(t, e, 2, 200)
	e.relay()
	e.dispatch()
	e.clock.Add(time.Date(2026, 11, 27, 8, 30, 0, 0, deadline.China).Sub(e.clock.Now()))
	today := e.app.desk.Today()
	refs, err := e.app.store.DueItems(ctx, enforcement.DueFilter{Court: e.app.desk.DefaultCourt(), JudgeID: "judge-wu", OpenOnly: true, DueBefore: today.AddDays(30)})
	require.NoError(t, err)
	overdue, rights := 0, 0
	for _, r := range refs {
		if r.Item.Due().Before(today) {
			overdue++
			if r.Item.IsRight() {
				rights++
			}
		}
	}
	require.Equal(t, 2, rights, "one right per case, open since 2026-11-11")
	_, err = e.app.digestOnce(ctx)
	require.NoError(t, err)
	e.dispatch()
	got := sentTo(e, wuMobile, notify.KeyDigest)
	require.Len(t, got, 1)
	require.Contains(t, got[0].Body, fmt.Sprintf("已超期%d件", overdue-rights))
	require.NotContains(t, got[0].Body, "上一级法院")
}
