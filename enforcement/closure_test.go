package enforcement_test

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// zhongBenReady returns a case filed on 2024-03-01 with everything 终本
// needs recorded by 2024-06-14, and a freeze in force.
func zhongBenReady(tb testing.TB) *enforcement.Case {
	tb.Helper()
	env := testEnv(tb)
	c := filedCase(tb, "zb", ymd(2024, 3, 1))
	for _, n := range []enforcement.Node{
		{ID: "n-notice", Kind: enforcement.NodeExecutionNotice, Date: ymd(2024, 3, 4)},
		{ID: "n-report", Kind: enforcement.NodePropertyReportOrder, Date: ymd(2024, 3, 4)},
		{ID: "n-inquiry", Kind: enforcement.NodeNetworkInquiry, Date: ymd(2024, 3, 5)},
		{ID: "n-limit", Kind: enforcement.NodeConsumptionLimit, Date: ymd(2024, 3, 6)},
		{ID: "n-shixin", Kind: enforcement.NodeDishonestList, Date: ymd(2024, 3, 6)},
		{ID: "n-checked", Kind: enforcement.NodeReportChecked, Date: ymd(2024, 3, 20), Note: "被执行人报告无财产，经网络查控核实"},
	} {
		_, err := c.RecordNode(n, env, at(n.Date))
		require.NoError(tb, err)
	}
	_, err := c.RecordMeasure(freeze("m-freeze", ymd(2024, 3, 5), "35.20", enforcement.OutcomeDone), env, at(ymd(2024, 3, 5)))
	require.NoError(tb, err)
	_, err = c.SolicitOpinion(enforcement.Solicitation{ID: "s1", PartyID: "a1", ReplyCode: "ZB01", Purpose: enforcement.ClosureZhongBen, AskedOn: ymd(2024, 6, 3), By: "judge-wang"}, env, at(ymd(2024, 6, 3)))
	require.NoError(tb, err)
	_, err = c.RecordOpinion("s1", enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms"}, env, at(ymd(2024, 6, 5)))
	require.NoError(tb, err)
	return c
}

func unmetKeys(ps []enforcement.Precondition) []string {
	var out []string
	for _, p := range ps {
		if !p.Met {
			out = append(out, p.Key)
		}
	}
	return out
}

func TestCase_ClosurePreconditions_ZhongBen(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	t.Run("FreshCaseListsEveryUnmetItem", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 4, 1), env)
		require.Equal(t, []string{
			"zhongben.three_months", "zhongben.execution_notice", "zhongben.property_report_order",
			"zhongben.network_inquiry", "zhongben.consumption_limit", "zhongben.applicant_opinion",
			"zhongben.dishonest_list", "zhongben.report_checked",
		}, unmetKeys(ps))
		for _, p := range ps {
			require.NotEmpty(t, p.Title, p.Key)
			require.NotEmpty(t, p.Detail, p.Key)
			require.Contains(t, p.Basis, "》", p.Key)
		}
	})
	t.Run("Ready", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)
		require.Empty(t, unmetKeys(ps))
		require.Len(t, ps, 15)
		i := slices.IndexFunc(ps, func(p enforcement.Precondition) bool { return p.Key == "zhongben.no_pending_measure" })
		require.Contains(t, ps[i].Detail, "m-freeze", "controls in force are named")
	})

	// ZhongBen art. 1 and Civil Code art. 1259: "超过三个月" holds only from
	// the day after the corresponding day three months on (art. 202 for a
	// missing day).
	threeMonths := []struct {
		name     string
		filed    deadline.Date
		on       deadline.Date
		met      bool
		noCalTag string
	}{
		{"Art1259_OnCorrespondingDayNotYet", ymd(2024, 1, 10), ymd(2024, 4, 10), false, ""},
		{"Art1259_DayAfterMet", ymd(2024, 1, 10), ymd(2024, 4, 11), true, ""},
		{"Art202_NoCorrespondingDay", ymd(2024, 11, 30), ymd(2025, 2, 28), false, ""},
		{"Art202_DayAfterMonthEndMet", ymd(2024, 11, 30), ymd(2025, 3, 1), true, ""},
		{"RestDayDoesNotShiftAnElapsedTimeCondition", ymd(2024, 7, 1), ymd(2024, 10, 2), true, "2024-10-01 is National Day"},
	}
	for _, tt := range threeMonths {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCase(t, "c1", tt.filed)
			c.Status = enforcement.StatusOpen
			for _, e := range []enforcement.Env{env, {}} {
				ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, tt.on, e)
				require.Equal(t, "zhongben.three_months", ps[1].Key)
				require.Equal(t, tt.met, ps[1].Met, "%s %s", ps[1].Detail, tt.noCalTag)
			}
		})
	}

	t.Run("OpinionOfEveryApplicant", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		c.Parties = append(c.Parties, enforcement.Party{ID: "a2", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "李四"})
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)
		require.Equal(t, []string{"zhongben.applicant_opinion"}, unmetKeys(ps))
		require.Contains(t, ps[6].Detail, "李四")
	})
	t.Run("DisagreementIsHeardButNoted", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		c.Solicitations[0].Answer.Choice = enforcement.OpinionDisagree
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)
		require.Empty(t, unmetKeys(ps))
		require.Contains(t, ps[6].Detail, "院长批准", "Interp 2022 art. 517")
	})
	t.Run("PendingMeasureBlocks", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		_, err := c.RecordMeasure(freeze("m-pending", ymd(2024, 6, 1), "0", enforcement.OutcomePending), env, at(ymd(2024, 6, 1)))
		require.NoError(t, err)
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)
		require.Equal(t, []string{"zhongben.no_pending_measure"}, unmetKeys(ps))
	})
	t.Run("ConsumptionLimitMeasureCounts", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		var kept []enforcement.Node
		for _, n := range c.Nodes {
			if n.Kind != enforcement.NodeConsumptionLimit {
				kept = append(kept, n)
			}
		}
		c.Nodes = kept
		require.Equal(t, []string{"zhongben.consumption_limit"}, unmetKeys(c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)))
		m := enforcement.Measure{ID: "m-xg", Node: enforcement.NodeConsumptionLimit, Kind: enforcement.MeasureConsumptionLimit, Property: enforcement.PropertyNone, TakenOn: ymd(2024, 3, 6), Outcome: enforcement.OutcomeDone}
		_, err := c.RecordMeasure(m, env, at(ymd(2024, 3, 6)))
		require.NoError(t, err)
		require.Empty(t, unmetKeys(c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 6, 14), env)))
	})
	t.Run("NodesAfterClosureDayDoNotCount", func(t *testing.T) {
		t.Parallel()
		c := zhongBenReady(t)
		ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2024, 3, 4), env)
		require.Contains(t, unmetKeys(ps), "zhongben.network_inquiry")
		require.Contains(t, unmetKeys(ps), "zhongben.applicant_opinion")
	})
}

func TestCase_ClosurePreconditions_OtherModes(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	tests := []struct {
		name   string
		mode   enforcement.ClosureMode
		setup  func(*enforcement.Case)
		reason string
		unmet  []string
	}{
		{"ExecWork64_CompletedNeedsRecovery", enforcement.ClosureCompleted, nil, "履行完毕", []string{"completed.performed"}},
		{"ExecWork64_CompletedRecoveredButNotDisbursed", enforcement.ClosureCompleted, func(c *enforcement.Case) {
			c.AmountRecovered = decimal.RequireFromString("100000.00")
		}, "履行完毕", []string{"completed.disbursed"}},
		{"ExecWork64_CompletedAndDisbursed", enforcement.ClosureCompleted, func(c *enforcement.Case) {
			c.AmountRecovered = decimal.RequireFromString("100000.00")
			c.Nodes = append(c.Nodes, enforcement.Node{ID: "pay", Kind: enforcement.NodeMoneyDisbursed, Date: ymd(2024, 4, 1)})
		}, "履行完毕", nil},
		{"Opinion2014_15_ApplicantConfirmsPerformance", enforcement.ClosureCompleted, func(c *enforcement.Case) {
			c.AmountApplied = decimal.Zero
			c.Solicitations = append(c.Solicitations, enforcement.Solicitation{ID: "s", PartyID: "a1", Purpose: enforcement.ClosureCompleted, Answer: &enforcement.Opinion{Choice: enforcement.OpinionAgree}})
		}, "和解协议履行完毕", nil},
		{"CPL268_1_Withdrawal", enforcement.ClosureTerminated, nil, "申请执行人撤回执行申请", nil},
		{"CPL268_3_CitedByItem", enforcement.ClosureTerminated, nil, "依照民事诉讼法第二百六十八条第三项", nil},
		{"CPL268_NoGround", enforcement.ClosureTerminated, nil, "无财产可供执行", []string{"terminated.ground"}},
		{"CPL248_ArbitralAward", enforcement.ClosureNotEnforced, func(c *enforcement.Case) { c.Source.Title = "仲裁裁决书" }, "仲裁庭无权仲裁", nil},
		{"Interp481_ApplicationPeriodLapsed", enforcement.ClosureNotEnforced, nil, "超过申请执行期间，被执行人提出异议", nil},
		{"NotEnforcedJudgment", enforcement.ClosureNotEnforced, nil, "其他", []string{"not_enforced.ground"}},
		{"RejectedNothingRecovered", enforcement.ClosureRejected, nil, "不符合受理条件", nil},
		{"RejectedAfterRecovery", enforcement.ClosureRejected, func(c *enforcement.Case) { c.AmountRecovered = decimal.RequireFromString("1.00") }, "不符合受理条件", []string{"rejected.no_recovery"}},
		{"Z11_DesignatedEnforcement", enforcement.ClosureCancelled, nil, "上级法院指定执行", nil},
		{"Z11_EntrustedNode", enforcement.ClosureCancelled, func(c *enforcement.Case) {
			c.Nodes = append(c.Nodes, enforcement.Node{ID: "e", Kind: enforcement.NodeEntrusted, Date: ymd(2024, 3, 5)})
		}, "其他", nil},
		{"Z11_NoGround", enforcement.ClosureCancelled, nil, "其他", []string{"cancelled.ground"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := filedCase(t, "c1", ymd(2024, 3, 1))
			if tt.setup != nil {
				tt.setup(c)
			}
			before := c.Clone()
			_, err := c.Close(tt.mode, ymd(2024, 4, 1), tt.reason, "judge-wang", env, at(ymd(2024, 4, 1)))
			if tt.unmet == nil {
				require.NoError(t, err)
				require.True(t, c.IsClosed())
				require.Equal(t, tt.mode, c.Closure.Mode)
				return
			}
			var ce *enforcement.ClosureError
			require.ErrorAs(t, err, &ce)
			require.ErrorIs(t, err, enforcement.ErrNotAllowed)
			require.Equal(t, tt.unmet, unmetKeys(ce.Unmet))
			require.Equal(t, before, c)
		})
	}
	t.Run("UnknownMode", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		require.Nil(t, c.ClosurePreconditions("nonsense", ymd(2024, 4, 1), env))
	})
	t.Run("BeforeFiling", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		require.Equal(t, []string{"common.after_filing"},
			unmetKeys(c.ClosurePreconditions(enforcement.ClosureRejected, ymd(2024, 2, 1), env)))
	})
}

func TestCase_Close_ZhongBen(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := zhongBenReady(t)
	now := at(ymd(2024, 6, 14))
	evs, err := c.Close(enforcement.ClosureZhongBen, ymd(2024, 6, 14), "经穷尽财产调查措施，未发现可供执行的财产", "judge-wang", env, now)
	require.NoError(t, err)

	require.Equal(t, []enforcement.EventKind{
		enforcement.EventNodeRecorded, enforcement.EventDueCompleted, enforcement.EventDueScheduled, enforcement.EventCaseClosed,
	}, kinds(evs))
	require.Equal(t, []string{"case.limit/filing"}, evs[1].Due, "the rule set completes the handling limit")
	require.Len(t, evs[2].Due, 10)
	require.Equal(t, []string{"refprice.start/m-freeze"}, evs[3].Due, "cancelled items")
	for _, e := range evs {
		require.Equal(t, "zb", e.CaseID)
	}

	require.Equal(t, enforcement.StatusClosed, c.Status)
	require.Equal(t, enforcement.ClosureZhongBen, c.Closure.Mode)
	require.Equal(t, ymd(2024, 6, 14), c.Closure.On)
	require.Equal(t, "judge-wang", c.Closure.By)
	require.Len(t, c.Closure.Checks, 15)
	require.Empty(t, unmetKeys(c.Closure.Checks))
	n, ok := c.LastNode(enforcement.NodeClosure)
	require.True(t, ok)
	require.Equal(t, "closure", n.ID)

	require.Equal(t, enforcement.DueDone, dueOf(t, c, "case.limit/filing").Status)
	require.Equal(t, enforcement.DueCancelled, dueOf(t, c, "refprice.start/m-freeze").Status)
	require.Equal(t, enforcement.DueOpen, dueOf(t, c, "seizure.deposit_expiry/m-freeze").Status, "a freeze stays in force after 终本")

	// ZhongBen art. 9: every 6 months for 5 years from the closure day;
	// rest days shift the due date (2024-12-14 is a Saturday); years
	// beyond the official schedules are provisional.
	want := []struct {
		due         deadline.Date
		provisional bool
	}{
		{ymd(2024, 12, 16), false}, {ymd(2025, 6, 16), false}, {ymd(2025, 12, 15), false}, {ymd(2026, 6, 15), false},
		{ymd(2026, 12, 14), false}, {ymd(2027, 6, 14), true}, {ymd(2027, 12, 14), true}, {ymd(2028, 6, 14), true},
		{ymd(2028, 12, 14), true}, {ymd(2029, 6, 14), true},
	}
	var checks []enforcement.DueItem
	for _, x := range c.OpenDueItems() {
		if x.Rule == "post_closure_check" {
			checks = append(checks, x)
		}
	}
	require.Len(t, checks, 10)
	for i, x := range checks {
		require.Equal(t, want[i].due, x.Computed, "check %d", i+1)
		require.Equal(t, want[i].provisional, x.Provisional, "check %d", i+1)
		require.Equal(t, "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第九条", x.Basis)
		require.Equal(t, ymd(2024, 6, 14), x.Trigger)
		require.Equal(t, "closure", x.TriggerRef)
		require.NotEmpty(t, x.Steps)
	}
	require.Equal(t, "post_closure_check@closure#01", checks[0].ID)

	t.Run("ClosedTwice", func(t *testing.T) {
		before := c.Clone()
		_, err := c.Close(enforcement.ClosureZhongBen, ymd(2024, 6, 20), "again", "judge-wang", env, now)
		require.ErrorIs(t, err, enforcement.ErrClosed)
		require.Equal(t, before, c)
	})
	t.Run("ReopenedAndClosedAgainGetsANewNode", func(t *testing.T) {
		cc := c.Clone()
		_, err := cc.RecordNode(enforcement.Node{ID: "resume", Kind: enforcement.NodeResumption, Date: ymd(2024, 9, 2)}, env, at(ymd(2024, 9, 2)))
		require.NoError(t, err)
		require.False(t, cc.IsClosed())
		_, err = cc.Close(enforcement.ClosureZhongBen, ymd(2024, 9, 10), "再次终本", "judge-wang", env, at(ymd(2024, 9, 10)))
		require.NoError(t, err)
		n, _ := cc.LastNode(enforcement.NodeClosure)
		require.Equal(t, "closure-2", n.ID)
		_, ok := cc.Due("post_closure_check@closure-2#10")
		require.True(t, ok)
	})
}

func TestCase_Close_Rejected(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	t.Run("UnmetListsEveryItemAndLeavesCaseUnchanged", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		before := c.Clone()
		_, err := c.Close(enforcement.ClosureZhongBen, ymd(2024, 5, 31), "无财产", "judge-wang", env, at(ymd(2024, 5, 31)))
		var ce *enforcement.ClosureError
		require.ErrorAs(t, err, &ce)
		require.ErrorIs(t, err, enforcement.ErrNotAllowed)
		require.Equal(t, enforcement.ClosureZhongBen, ce.Mode)
		require.Len(t, ce.Unmet, 8)
		require.Contains(t, err.Error(), "zhongben.applicant_opinion")
		require.Equal(t, before, c)
	})
	t.Run("InvalidInputListsEveryProblem", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		before := c.Clone()
		_, err := c.Close("nonsense", badDate, " ", "", env, at(ymd(2024, 5, 31)))
		var ve *enforcement.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Fields, 4)
		require.Equal(t, before, c)
	})
	t.Run("NeedsRulesAndCalendar", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		before := c.Clone()
		_, err := c.Close(enforcement.ClosureRejected, ymd(2024, 5, 31), "不符合受理条件", "judge-wang", enforcement.Env{}, at(ymd(2024, 5, 31)))
		require.Error(t, err)
		require.Equal(t, before, c)
	})
}

// After 执行完毕 nothing stays open: control measures are released with the
// case, so their expiry items are cancelled too, and a running suspension
// ends on the closure day.
func TestCase_Close_CompletedCancelsEverything(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	_, err := c.RecordMeasure(freeze("m1", ymd(2024, 3, 4), "100000.00", enforcement.OutcomeDone), env, at(ymd(2024, 3, 4)))
	require.NoError(t, err)
	_, err = c.RecordNode(enforcement.Node{ID: "s1", Kind: enforcement.NodeSettlement, Date: ymd(2024, 3, 10)}, env, at(ymd(2024, 3, 10)))
	require.NoError(t, err)
	_, err = c.SolicitOpinion(enforcement.Solicitation{ID: "q", PartyID: "a1", ReplyCode: "DN12", Purpose: enforcement.ClosureCompleted, AskedOn: ymd(2024, 4, 1)}, env, at(ymd(2024, 4, 1)))
	require.NoError(t, err)
	_, err = c.RecordOpinion("q", enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "phone", RecordedBy: "clerk"}, env, at(ymd(2024, 4, 2)))
	require.NoError(t, err)

	evs, err := c.Close(enforcement.ClosureCompleted, ymd(2024, 4, 3), "和解协议已履行完毕", "judge-wang", env, at(ymd(2024, 4, 3)))
	require.NoError(t, err)
	require.Empty(t, c.OpenDueItems())
	closed := evs[len(evs)-1]
	require.Equal(t, enforcement.EventCaseClosed, closed.Kind)
	require.ElementsMatch(t, []string{"notice.enforcement_legal/filing", "seizure.deposit_expiry/m1", "refprice.start/m1"}, closed.Due)
	require.Equal(t, []deadline.Interval{{From: ymd(2024, 3, 10), To: ymd(2024, 4, 3)}}, c.DeductionIntervals(ymd(2024, 12, 31)))
}

func TestPostClosureChecks(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	tests := []struct {
		name string
		on   deadline.Date
		want []deadline.Date // the first three
	}{
		// Civil Code art. 202: each check counted from the closure day,
		// so 08-31 gives 02-28 then 08-31 (a Sunday: 09-01), not 08-28;
		// Saturday 2026-02-28 is a make-up working day after the Spring
		// Festival.
		{"Art202_MonthEndDoesNotDrift", ymd(2024, 8, 31), []deadline.Date{ymd(2025, 2, 28), ymd(2025, 9, 1), ymd(2026, 2, 28)}},
		// 2025-10-01..08 and 2026-10-01..07 National Day holidays.
		{"CPL85_RestDayShift", ymd(2025, 4, 1), []deadline.Date{ymd(2025, 10, 9), ymd(2026, 4, 1), ymd(2026, 10, 8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items, err := enforcement.PostClosureChecks(tt.on, "closure", cal)
			require.NoError(t, err)
			require.Len(t, items, 10)
			for i, w := range tt.want {
				require.Equal(t, w, items[i].Computed, "check %d", i+1)
			}
			last := items[9].Computed
			require.False(t, last.Before(tt.on.AddMonths(60)), "five years")
			require.Less(t, last.Sub(tt.on.AddMonths(60)), 10, "at most a rest block later")
		})
	}
	_, err := enforcement.PostClosureChecks(ymd(2024, 8, 31), "closure", nil)
	require.Error(t, err)
}

func TestClosureModes_EachKnownAndNamed(t *testing.T) {
	modes := enforcement.ClosureModes()
	require.Len(t, modes, 6)
	names := map[string]bool{}
	for _, m := range modes {
		require.True(t, m.IsKnown(), "%s", m)
		require.NotEmpty(t, m.Chinese(), "%s", m)
		require.False(t, names[m.Chinese()], "%s named twice", m.Chinese())
		names[m.Chinese()] = true
	}
	require.False(t, enforcement.ClosureMode("").IsKnown())
}
