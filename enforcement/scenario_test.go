package enforcement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// TestScenario_FilingToZhongBen follows one case on the default rule set and
// the official calendar from the application to 终结本次执行程序 and the
// first post-closure check, checking every event and every due item.
func TestScenario_FilingToZhongBen(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	c := newCase(t, "sc", ymd(2024, 3, 1))
	c.ReceivedOn = ymd(2024, 2, 28)

	type ev struct {
		kind enforcement.EventKind
		ref  string
		due  []string
	}
	check := func(t *testing.T, evs []enforcement.Event, err error, want []ev) {
		t.Helper()
		require.NoError(t, err)
		got := make([]ev, len(evs))
		for i, e := range evs {
			got[i] = ev{e.Kind, e.Ref, e.Due}
			require.Equal(t, "sc", e.CaseID)
			require.Equal(t, "沪0115", e.Court)
			require.Equal(t, "sc/"+string(e.Kind)+"/"+e.Ref, e.ID, "deterministic event ID")
		}
		require.Equal(t, want, got)
	}
	node := func(id string, k enforcement.NodeKind, on deadline.Date) ([]enforcement.Event, error) {
		return c.RecordNode(enforcement.Node{ID: id, Kind: k, Date: on, Actor: "judge-wang"}, env, at(on))
	}

	// Application received Wednesday 2024-02-28, docketed Friday 03-01.
	evs, err := enforcement.File(c, env, at(ymd(2024, 3, 1)), "clerk")
	check(t, evs, err, []ev{
		{enforcement.EventCaseFiled, "sc", nil},
		{enforcement.EventNodeRecorded, "application", nil},
		{enforcement.EventDueScheduled, "application", []string{"filing.decide@application", "notice.enforcement_legal@application", "case.superior_application@application"}},
		{enforcement.EventNodeRecorded, "filing", nil},
		{enforcement.EventDueCompleted, "filing", []string{"filing.decide@application"}},
		{enforcement.EventDueScheduled, "filing", []string{"case.assign_handler@filing", "case.limit@filing", "case.extension_request@filing"}},
	})
	evs, err = node("n-assign", enforcement.NodeHandlerAssigned, ymd(2024, 3, 4))
	check(t, evs, err, []ev{
		{enforcement.EventNodeRecorded, "n-assign", nil},
		{enforcement.EventDueScheduled, "n-assign", []string{"notice.enforcement_internal@n-assign", "notice.ask_applicant_clues@n-assign", "investigation.complete@n-assign"}},
	})
	evs, err = node("n-notice", enforcement.NodeExecutionNotice, ymd(2024, 3, 5))
	check(t, evs, err, []ev{
		{enforcement.EventNodeRecorded, "n-notice", nil},
		{enforcement.EventDueCompleted, "n-notice", []string{"notice.enforcement_legal@application", "notice.enforcement_internal@n-assign"}},
		{enforcement.EventDueScheduled, "n-notice", []string{"jurisdiction.objection@n-notice"}},
	})
	evs, err = node("n-report", enforcement.NodePropertyReportOrder, ymd(2024, 3, 5))
	check(t, evs, err, []ev{{enforcement.EventNodeRecorded, "n-report", nil}})
	evs, err = node("n-inquiry", enforcement.NodeNetworkInquiry, ymd(2024, 3, 6))
	check(t, evs, err, []ev{{enforcement.EventNodeRecorded, "n-inquiry", nil}})

	// The network inquiry finds 35.20 yuan; the freeze is served on the
	// bank the next day.
	m := freeze("m-freeze", ymd(2024, 3, 6), "35.20", enforcement.OutcomeDone)
	m.EffectiveOn = ymd(2024, 3, 7)
	evs, err = c.RecordMeasure(m, env, at(ymd(2024, 3, 7)))
	check(t, evs, err, []ev{
		{enforcement.EventMeasureRecorded, "m-freeze", nil},
		{enforcement.EventDueScheduled, "m-freeze", []string{"seizure.deposit_expiry@m-freeze", "seizure.renew_by@m-freeze"}},
	})
	evs, err = node("n-limit", enforcement.NodeConsumptionLimit, ymd(2024, 3, 8))
	check(t, evs, err, []ev{{enforcement.EventNodeRecorded, "n-limit", nil}})
	evs, err = node("n-shixin", enforcement.NodeDishonestList, ymd(2024, 3, 8))
	check(t, evs, err, []ev{{enforcement.EventNodeRecorded, "n-shixin", nil}})
	evs, err = node("n-checked", enforcement.NodeReportChecked, ymd(2024, 3, 20))
	check(t, evs, err, []ev{{enforcement.EventNodeRecorded, "n-checked", nil}})

	// Too early for 终本 on 2024-05-31: "more than three months" holds
	// only from 2024-06-02, and the applicant has not been heard.
	before := c.Clone()
	_, err = c.Close(enforcement.ClosureZhongBen, ymd(2024, 5, 31), "未发现可供执行的财产", "judge-wang", env, at(ymd(2024, 5, 31)))
	var ce *enforcement.ClosureError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, []string{"zhongben.three_months", "zhongben.applicant_opinion"}, unmetKeys(ce.Unmet))
	require.Equal(t, before, c)

	evs, err = c.SolicitOpinion(enforcement.Solicitation{ID: "s1", PartyID: "a1", ReplyCode: "ZB01", Purpose: enforcement.ClosureZhongBen,
		Summary: "已网络查控，冻结存款35.20元，未发现其他财产", AskedOn: ymd(2024, 6, 3), By: "judge-wang"}, env, at(ymd(2024, 6, 3)))
	check(t, evs, err, []ev{{enforcement.EventOpinionSolicited, "s1", nil}, {enforcement.EventNodeRecorded, "solicitation/s1", nil}})
	require.Equal(t, ymd(2024, 6, 13), c.Solicitations[0].ReplyBy)
	evs, err = c.RecordOpinion("s1", enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms", ReceivedAt: time.Date(2024, 6, 5, 20, 15, 0, 0, chinaTZ)}, env, at(ymd(2024, 6, 6)))
	check(t, evs, err, []ev{{enforcement.EventOpinionRecorded, "s1", nil}, {enforcement.EventNodeRecorded, "opinion/s1", nil}})

	// 终本 on Friday 2024-06-14.
	evs, err = c.Close(enforcement.ClosureZhongBen, ymd(2024, 6, 14), "经穷尽财产调查措施，未发现其他可供执行的财产", "judge-wang", env, at(ymd(2024, 6, 14)))
	check(t, evs, err, []ev{
		{enforcement.EventNodeRecorded, "closure", nil},
		{enforcement.EventDueCompleted, "closure", []string{"case.superior_application@application", "case.limit@filing", "case.extension_request@filing"}},
		{enforcement.EventDueScheduled, "closure", []string{"zhongben.first_check@closure"}},
		{enforcement.EventCaseClosed, "closure", []string{"notice.ask_applicant_clues@n-assign", "investigation.complete@n-assign", "jurisdiction.objection@n-notice"}},
	})
	require.Equal(t, enforcement.StatusClosed, c.Status)
	require.Len(t, c.Closure.Checks, 15)

	// The first check six months on: 2024-12-14 is a Saturday.
	evs, err = node("pc1", enforcement.NodePostClosureCheck, ymd(2024, 12, 10))
	check(t, evs, err, []ev{
		{enforcement.EventNodeRecorded, "pc1", nil},
		{enforcement.EventDueCompleted, "pc1", []string{"zhongben.first_check@closure"}},
		{enforcement.EventDueScheduled, "pc1", []string{"zhongben.periodic_check@pc1"}},
	})

	type item struct {
		id      string
		status  enforcement.DueStatus
		trigger deadline.Date
		due     deadline.Date
		doneOn  deadline.Date
	}
	want := []item{
		// ExecWork item 16: 7 days from receipt.
		{"filing.decide@application", enforcement.DueDone, ymd(2024, 2, 28), ymd(2024, 3, 6), ymd(2024, 3, 1)},
		// Interp art. 480: 10 days from receipt (03-09 is a Saturday).
		{"notice.enforcement_legal@application", enforcement.DueDone, ymd(2024, 2, 28), ymd(2024, 3, 11), ymd(2024, 3, 5)},
		// CPL art. 237: more than six months from receipt.
		{"case.superior_application@application", enforcement.DueDone, ymd(2024, 2, 28), ymd(2024, 8, 29), ymd(2024, 6, 14)},
		// Limits2006 art. 2: handler within 7 days of filing.
		// Met by the filing itself: the case was filed with its judge.
		{"case.assign_handler@filing", enforcement.DueDone, ymd(2024, 3, 1), ymd(2024, 3, 8), ymd(2024, 3, 1)},
		// Limits2006 art. 1: six months (09-01 is a Sunday).
		{"case.limit@filing", enforcement.DueDone, ymd(2024, 3, 1), ymd(2024, 9, 2), ymd(2024, 6, 14)},
		// Extension request at least 5 full days before the limit.
		{"case.extension_request@filing", enforcement.DueDone, ymd(2024, 9, 2), ymd(2024, 8, 27), ymd(2024, 6, 14)},
		// Limits2006 arts. 4–6: 3 days, 3 days and one month from the file.
		{"notice.enforcement_internal@n-assign", enforcement.DueDone, ymd(2024, 3, 4), ymd(2024, 3, 7), ymd(2024, 3, 5)},
		{"notice.ask_applicant_clues@n-assign", enforcement.DueCancelled, ymd(2024, 3, 4), ymd(2024, 3, 7), ymd(2024, 6, 14)},
		{"investigation.complete@n-assign", enforcement.DueCancelled, ymd(2024, 3, 4), ymd(2024, 4, 7), ymd(2024, 6, 14)},
		// ExecInterp2008 art. 3: 10 days from the notice.
		{"jurisdiction.objection@n-notice", enforcement.DueCancelled, ymd(2024, 3, 5), ymd(2024, 3, 15), ymd(2024, 6, 14)},
		// Interp 2022 art. 485: one year from service on the bank, never
		// extended; renewal at least 7 full days before. Both stay open
		// after 终本.
		{"seizure.deposit_expiry@m-freeze", enforcement.DueOpen, ymd(2024, 3, 7), ymd(2025, 3, 7), deadline.Date{}},
		{"seizure.renew_by@m-freeze", enforcement.DueOpen, ymd(2025, 3, 7), ymd(2025, 2, 27), deadline.Date{}},
		// ZhongBen art. 9: the first check six months after 终本, then six
		// months after each check.
		{"zhongben.first_check@closure", enforcement.DueDone, ymd(2024, 6, 14), ymd(2024, 12, 16), ymd(2024, 12, 10)},
		{"zhongben.periodic_check@pc1", enforcement.DueOpen, ymd(2024, 12, 10), ymd(2025, 6, 10), deadline.Date{}},
	}
	got := make([]item, len(c.DueItems))
	for i, x := range c.DueItems {
		got[i] = item{x.ID, x.Status, x.Trigger, x.Computed, x.DoneOn}
		require.NotEmpty(t, x.Basis, x.ID)
		require.NotEmpty(t, x.Steps, x.ID)
		require.False(t, x.Provisional, x.ID)
	}
	require.Equal(t, want, got)

	// The chief's view on 2025-02-25: the freeze must be renewed.
	rep, err := enforcement.Supervise([]*enforcement.Case{c}, ymd(2025, 2, 25), env.Calendar, enforcement.SupervisionConfig{})
	require.NoError(t, err)
	require.Len(t, rep.Due, 1)
	require.Equal(t, "seizure.renew_by@m-freeze", rep.Due[0].DueID)
	require.Equal(t, enforcement.LevelApproaching, rep.Due[0].Level)
	require.Equal(t, "1", rep.Judges[0].ClosureRate.String())
}
