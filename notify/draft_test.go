package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func draftFixture(t *testing.T) (*notify.Drafter, *enforcement.Case, enforcement.Env, []enforcement.Event) {
	t.Helper()
	tpl, err := notify.DefaultTemplates(notify.Config{Signature: "【上海一中院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	require.NoError(t, err)
	d := &notify.Drafter{Templates: tpl, Staff: func(id string) (notify.Recipient, bool) {
		if id == "j1" {
			return notify.Recipient{Name: "王法官", Mobile: "13900139000"}, true
		}
		return notify.Recipient{}, false
	}}
	num, err := enforcement.ParseCaseNumber("（2025）沪01执100号")
	require.NoError(t, err)
	filed := deadline.MustParseDate("2025-03-03")
	c := &enforcement.Case{
		ID: "c1", Number: num, Court: "沪01", JudgeID: "j1", FiledOn: filed, QueryCode: "K7Q2X9",
		AmountApplied: decimal.RequireFromString("120000"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyPerson, Name: "李四", Mobile: "13700137000"},
			{ID: "r2", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司", Mobile: "13600136000", OptOut: true},
		},
	}
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	now := time.Date(2025, 3, 3, 22, 30, 0, 0, deadline.China)
	evs, err := enforcement.File(c, env, now, "clerk")
	require.NoError(t, err)
	return d, c, env, evs
}

func TestDrafter_Filing(t *testing.T) {
	t.Parallel()
	d, c, _, evs := draftFixture(t)
	now := time.Date(2025, 3, 3, 22, 30, 0, 0, deadline.China)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	require.Len(t, msgs, 3, "one filing notice per party")
	byParty := map[string]notify.Message{}
	for _, m := range msgs {
		byParty[m.Recipient.PartyID] = m
	}
	a := byParty["a1"]
	require.Equal(t, notify.KeyFilingApplicant, a.Template)
	require.Equal(t, notify.StateQueued, a.State)
	require.Equal(t, time.Date(2025, 3, 4, 8, 0, 0, 0, deadline.China), a.NotBefore.In(deadline.China), "drafted in quiet hours: sent at 08:00")
	require.True(t, strings.HasPrefix(a.Body, "【上海一中院】"))
	require.Contains(t, a.Body, "（2025）沪01执100号")
	require.Contains(t, a.Body, "王法官")
	require.Contains(t, a.Body, "K7Q2X9")
	require.Contains(t, a.Body, "张*", "party names are masked by default")
	require.NotContains(t, a.Body, "张三")
	require.Equal(t, notify.Key("c1", a.EventID, "party:a1", notify.KeyFilingApplicant), a.IdempotencyKey)
	require.Equal(t, notify.KeyFilingRespondent, byParty["r1"].Template)
	require.Equal(t, notify.StateSkipped, byParty["r2"].State, "an opted-out party is recorded as skipped")
	require.Equal(t, notify.SkipOptOut, byParty["r2"].Skipped)

	again, err := d.Draft(c, evs, now.Add(time.Hour))
	require.NoError(t, err)
	for i := range again {
		require.Equal(t, msgs[i].IdempotencyKey, again[i].IdempotencyKey, "drafting twice gives the same keys")
	}
}

func TestDrafter_MeasureHeldForRespondentWithPrompt(t *testing.T) {
	t.Parallel()
	d, c, env, _ := draftFixture(t)
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, deadline.China)
	evs, err := c.RecordMeasure(enforcement.Measure{
		ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureFreeze, Property: enforcement.PropertyDeposit,
		Target: "招商银行账户", Amount: decimal.RequireFromString("12000"), TakenOn: deadline.MustParseDate("2025-03-10"),
		Outcome: enforcement.OutcomeDone, Result: "已冻结",
	}, env, now)
	require.NoError(t, err)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	states := map[string]notify.State{}
	for _, m := range msgs {
		states[m.Recipient.ID()+"/"+m.Template] = m.State
	}
	require.Equal(t, map[string]notify.State{
		"party:a1/measure.money": notify.StateQueued,
		"party:r1/measure.money": notify.StateHeld,
		"party:r2/measure.money": notify.StateSkipped,
		"user:j1/measure.prompt": notify.StateQueued,
	}, states)
	for _, m := range msgs {
		if m.Template == notify.KeyMeasureMoney && m.State == notify.StateQueued {
			require.Contains(t, m.Body, "12,000.00")
			require.Contains(t, m.Body, "冻结")
		}
	}
}

func TestDrafter_Reminder(t *testing.T) {
	t.Parallel()
	d, c, _, _ := draftFixture(t)
	item := c.OpenDueItems()[0]
	today := deadline.MustParseDate("2025-03-05")
	now := time.Date(2025, 3, 5, 8, 0, 0, 0, deadline.China)
	m1, ok, err := d.DraftReminder(c, item, enforcement.LevelApproaching, today, now)
	require.NoError(t, err)
	require.True(t, ok)
	m2, _, err := d.DraftReminder(c, item, enforcement.LevelApproaching, today, now.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, m1.IdempotencyKey, m2.IdempotencyKey, "one reminder per item, level and day")
	m3, _, err := d.DraftReminder(c, item, enforcement.LevelDueToday, today.AddDays(1), now)
	require.NoError(t, err)
	require.NotEqual(t, m1.IdempotencyKey, m3.IdempotencyKey)
	require.Contains(t, m1.Body, "临期")
}

func TestFormatAmount(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0": "0.00", "12345.5": "12,345.50", "1000000": "1,000,000.00", "999.999": "1,000.00", "-1234": "-1,234.00"} {
		require.Equal(t, want, notify.FormatAmount(decimal.RequireFromString(in)), in)
	}
}

func TestNodesSummary(t *testing.T) {
	t.Parallel()
	_, c, _, _ := draftFixture(t)
	today := deadline.MustParseDate("2025-03-03")
	got := notify.NodesSummary(c, 200, today)
	require.Contains(t, got, "发出执行通知书(3月13日前)", "Interp 480: 10 days from 2025-03-03")
	require.Contains(t, got, "申请执行人自9月3日后可向上一级法院申请执行", "CPL 237: six months from 2025-03-03 end on 9月3日; the right opens after it")
	require.NotContains(t, got, "9月4日", "the day the right opens is not named with 后")
	require.Contains(t, got, "(9月3日前)", "the six-month handling limit is told to the parties")
	require.NotContains(t, got, "确定承办人", "internal targets are not")
	short := notify.NodesSummary(c, 20, today)
	require.LessOrEqual(t, len([]rune(short)), 20)
	require.NotContains(t, short, "；", "cut at an item boundary")
	late := notify.NodesSummary(c, 200, deadline.MustParseDate("2024-12-30"))
	require.Contains(t, late, "发出执行通知书(2025年3月13日前)", "a date in another year is printed with its year")
	for i := range c.DueItems {
		if c.DueItems[i].Rule == "case.limit" {
			c.DueItems[i].Provisional, c.DueItems[i].AwaitingCalendar = true, true
		}
	}
	awaiting := notify.NodesSummary(c, 200, today)
	require.Contains(t, awaiting, "(9月3日前，暂定)", "a date awaiting the calendar is marked provisional")
	require.Contains(t, awaiting, "发出执行通知书(3月13日前)；", "a definite date is not")
}

// The judge's prompt names the addressee by role: a role word is not a
// name and is never masked.
func TestDrafter_PromptNamesRoleUnmasked(t *testing.T) {
	t.Parallel()
	d, c, env, _ := draftFixture(t)
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, deadline.China)
	evs, err := c.RecordMeasure(enforcement.Measure{
		ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureFreeze, Property: enforcement.PropertyDeposit,
		Target: "招商银行账户", Amount: decimal.RequireFromString("12000"), TakenOn: deadline.MustParseDate("2025-03-10"),
		Outcome: enforcement.OutcomeDone, Result: "已冻结",
	}, env, now)
	require.NoError(t, err)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	var prompt notify.Message
	for _, m := range msgs {
		if m.Template == notify.KeyMeasurePrompt {
			prompt = m
		}
	}
	require.Contains(t, prompt.Body, "告知被执行人的短信")
	require.NotContains(t, prompt.Body, "*")
}

// The filing notice tells a party to sign in with ID number and query code
// only when an ID number is on file; otherwise with the query code alone.
func TestDrafter_FilingSignIn(t *testing.T) {
	t.Parallel()
	d, c, _, evs := draftFixture(t)
	c.Parties[1].IDNumber = enforcement.NewIDNumber("110101199003070012")
	now := time.Date(2025, 3, 3, 22, 30, 0, 0, deadline.China)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	body := map[string]string{}
	for _, m := range msgs {
		body[m.Recipient.PartyID] = m.Body
	}
	require.Contains(t, body["a1"], "凭查询码K7Q2X9可登录")
	require.NotContains(t, body["a1"], "身份证号", "no ID number on file: none is mentioned")
	require.NotContains(t, body["a1"], "***")
	require.Contains(t, body["r1"], "凭身份证号110***********0012及查询码K7Q2X9可登录")
	require.NotContains(t, body["r1"], "110101199003070012")
}

// A date in another year than the day of sending carries its year.
func TestDrafter_DateInAnotherYear(t *testing.T) {
	t.Parallel()
	d, c, env, _ := draftFixture(t)
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, deadline.China)
	evs, err := c.RecordMeasure(enforcement.Measure{
		ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureSeal, Property: enforcement.PropertyImmovable,
		Target: "某处房产", TakenOn: deadline.MustParseDate("2025-12-22"), Outcome: enforcement.OutcomeDone, Result: "已查封",
	}, env, now)
	require.NoError(t, err)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	require.NotEmpty(t, msgs)
	for _, m := range msgs {
		require.Equal(t, "2025年12月22日", m.Params[notify.VarDate], m.Template)
	}
}

// A date beyond the official calendar, or counted from one, is provisional
// and every item of the filing notice says so; a right keeps the law's 后
// and names the period's last day.
func TestNodesSummary_Provisional(t *testing.T) {
	t.Parallel()
	_, c, env, _ := draftFixture(t)
	c.ID, c.DueItems, c.Nodes, c.Status = "c2", nil, nil, ""
	filed := deadline.MustParseDate("2026-12-04")
	c.FiledOn, c.ReceivedOn = filed, filed
	_, err := enforcement.File(c, env, filed.Start().Add(10*time.Hour), "clerk")
	require.NoError(t, err)
	ext, ok := c.Due("case.extension_request@filing")
	require.True(t, ok)
	require.True(t, ext.Provisional, "counted from the provisional handling limit")
	require.Equal(t, "发出执行通知书(12月14日前)；执行案件办案期限(2027年6月4日前，暂定)；申请执行人自2027年6月4日后可向上一级法院申请执行(暂定)",
		notify.NodesSummary(c, 400, filed), "Limits2000 art. 5 and CPL 237 from 2026-12-04: six months end 2027-06-04, beyond the 2026 schedule")
}

// A party's right is not the judge's work: no reminder is drafted for it
// and the digest neither counts nor lists it.
func TestDrafter_RightsNotReminded(t *testing.T) {
	t.Parallel()
	d, c, _, _ := draftFixture(t)
	right, ok := c.Due("case.superior_application@application")
	require.True(t, ok)
	require.True(t, right.IsRight())
	now := time.Date(2025, 9, 8, 8, 30, 0, 0, deadline.China)
	today := deadline.DateOf(now)
	_, ok, err := d.DraftReminder(c, right, enforcement.LevelOverdue, today, now)
	require.NoError(t, err)
	require.False(t, ok)

	judge := notify.Recipient{UserID: "j1", Name: "王法官", Mobile: "13900139000"}
	items := []notify.DigestItem{
		{CaseNo: "（2025）沪01执100号", Title: right.Title, Due: right.Due(), Level: enforcement.LevelOverdue, Right: true},
		{CaseNo: "（2025）沪01执100号", Title: "财产调查", Due: today, Level: enforcement.LevelDueToday},
	}
	m, ok, err := d.DraftDigest("沪01", judge, today, items, notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "今日到期1件", m.Params[notify.VarCounts])
	require.NotContains(t, m.Body, "上一级法院")
	_, ok, err = d.DraftDigest("沪01", judge, today, items[:1], notify.DigestSchedule{}, now)
	require.NoError(t, err)
	require.False(t, ok, "rights alone make no digest")
	sunday := time.Date(2025, 9, 7, 9, 0, 0, 0, deadline.China)
	due, err := notify.DigestSchedule{}.IsDue(sunday, deadline.Official(), []notify.DigestItem{{Due: deadline.DateOf(sunday), Right: true}})
	require.NoError(t, err)
	require.False(t, due, "a right ending on a rest day does not call for a digest")
}

// A date beyond the official calendar is marked （暂定） in the texts that
// name it: the reply-by date of an opinion solicitation asked on
// 2026-12-28 and a judge's reminder of the handling limit counted from a
// filing on 2026-12-04.
func TestDrafter_ProvisionalDates(t *testing.T) {
	t.Parallel()
	d, c, env, _ := draftFixture(t)
	c.ID, c.DueItems, c.Nodes, c.Status = "c3", nil, nil, ""
	filed := deadline.MustParseDate("2026-12-04")
	c.FiledOn, c.ReceivedOn = filed, filed
	_, err := enforcement.File(c, env, filed.Start().Add(10*time.Hour), "clerk")
	require.NoError(t, err)

	asked := deadline.MustParseDate("2026-12-28")
	now := asked.Start().Add(10 * time.Hour)
	evs, err := c.SolicitOpinion(enforcement.Solicitation{ID: "s1", PartyID: "a1", ReplyCode: "ZB01", Purpose: enforcement.ClosureZhongBen, AskedOn: asked, By: "j1"}, env, now)
	require.NoError(t, err)
	require.True(t, c.Solicitations[0].ReplyByProvisional, "the reply period ends in 2027")
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	var body string
	for _, m := range msgs {
		if m.Template == notify.KeyOpinionSolicit {
			body = m.Body
		}
	}
	require.Contains(t, body, "（暂定）前回复")

	limit, ok := c.Due("case.limit@filing")
	require.True(t, ok)
	m, ok, err := d.DraftReminder(c, limit, enforcement.LevelNormal, asked, now)
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, m.Body, "期限至2027年6月4日（暂定）")
}
