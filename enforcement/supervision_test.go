package enforcement_test

import (
	"math/rand"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func dueRef(caseID string, due deadline.Date, status enforcement.DueStatus) enforcement.DueRef {
	return enforcement.DueRef{CaseID: caseID, Number: "（2024）沪0115执1号", JudgeID: "judge-wang",
		Item: enforcement.DueItem{ID: "x/" + due.String(), Rule: "x", Title: "t", Computed: due, Status: status}}
}

// Limits2000 arts. 21–22: remind before expiry, report what is overdue.
func TestClassify(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	today := ymd(2024, 9, 27) // the Friday before the 2024 National Day holiday
	tests := []struct {
		name string
		due  deadline.Date
		want enforcement.Level
	}{
		{"Overdue", ymd(2024, 9, 26), enforcement.LevelOverdue},
		{"DueToday", today, enforcement.LevelDueToday},
		// (09-27, 10-08] holds 3 working days: Sunday 09-29 (make-up),
		// Monday 09-30 and Tuesday 10-08.
		{"ApproachingAcrossNationalDay", ymd(2024, 10, 8), enforcement.LevelApproaching},
		{"FourWorkdaysIsNormal", ymd(2024, 10, 9), enforcement.LevelNormal},
		{"Distant", ymd(2025, 6, 1), enforcement.LevelNormal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.Classify([]enforcement.DueRef{dueRef("c1", tt.due, enforcement.DueOpen)}, today, cal, 0)
			require.NoError(t, err)
			require.Equal(t, 1, got.Counts.Total())
			if tt.want == enforcement.LevelNormal {
				require.Empty(t, got.Flagged)
				return
			}
			require.Len(t, got.Flagged, 1)
			require.Equal(t, tt.want, got.Flagged[0].Level)
		})
	}
	t.Run("ThresholdIsConfigurable", func(t *testing.T) {
		t.Parallel()
		got, err := enforcement.Classify([]enforcement.DueRef{dueRef("c1", ymd(2024, 10, 9), enforcement.DueOpen)}, today, cal, 4)
		require.NoError(t, err)
		require.Equal(t, enforcement.LevelApproaching, got.Flagged[0].Level)
	})
	t.Run("OrderAndSkipsClosedItems", func(t *testing.T) {
		t.Parallel()
		items := []enforcement.DueRef{
			dueRef("c2", ymd(2024, 9, 30), enforcement.DueOpen),
			dueRef("c1", ymd(2024, 9, 1), enforcement.DueDone),
			dueRef("c3", ymd(2024, 9, 20), enforcement.DueOpen),
			dueRef("c1", ymd(2024, 9, 20), enforcement.DueOpen),
			dueRef("c1", ymd(2024, 9, 27), enforcement.DueOpen),
			dueRef("c1", ymd(2024, 9, 10), enforcement.DueCancelled),
			dueRef("c1", ymd(2024, 9, 2), enforcement.DueOpen),
		}
		got, err := enforcement.Classify(items, today, cal, 0)
		require.NoError(t, err)
		require.Equal(t, enforcement.LevelCounts{Approaching: 1, DueToday: 1, Overdue: 3}, got.Counts)
		var order []string
		for _, f := range got.Flagged {
			order = append(order, f.CaseID+" "+f.Due.String())
		}
		require.Equal(t, []string{"c1 2024-09-02", "c1 2024-09-20", "c3 2024-09-20", "c1 2024-09-27", "c2 2024-09-30"}, order)
		require.Equal(t, 25, got.Flagged[0].DaysOverdue)
	})
	t.Run("OverrideInForce", func(t *testing.T) {
		t.Parallel()
		r := dueRef("c1", ymd(2024, 10, 30), enforcement.DueOpen)
		r.Item.Override = &enforcement.Override{Date: ymd(2024, 9, 25), Reason: "r", By: "j", Status: enforcement.OverrideApproved}
		got, err := enforcement.Classify([]enforcement.DueRef{r}, today, cal, 0)
		require.NoError(t, err)
		require.Equal(t, enforcement.LevelOverdue, got.Flagged[0].Level)
		require.True(t, got.Flagged[0].Overridden)
	})
	t.Run("PendingOverrideNotInForce", func(t *testing.T) {
		t.Parallel()
		for _, st := range []enforcement.OverrideStatus{"", enforcement.OverridePending, enforcement.OverrideRejected} {
			r := dueRef("c1", ymd(2024, 9, 25), enforcement.DueOpen)
			r.Item.Override = &enforcement.Override{Date: ymd(9999, 12, 31), Reason: "延期处理原因", By: "j", Status: st}
			got, err := enforcement.Classify([]enforcement.DueRef{r}, today, cal, 0)
			require.NoError(t, err)
			require.Equal(t, 1, got.Counts.Overdue, "status %q", st)
			require.False(t, got.Flagged[0].Overridden)
		}
	})
	t.Run("BeyondCoverageIsUnclassifiedNotFatal", func(t *testing.T) {
		t.Parallel()
		items := []enforcement.DueRef{dueRef("c1", ymd(2027, 1, 4), enforcement.DueOpen), dueRef("c1", ymd(2026, 12, 1), enforcement.DueOpen)}
		got, err := enforcement.Classify(items, ymd(2026, 12, 30), cal, 0)
		require.NoError(t, err)
		require.Len(t, got.Unclassified, 1)
		require.ErrorIs(t, got.Unclassified[0].Err, deadline.ErrNotCovered)
		require.Equal(t, 1, got.Counts.Overdue)
	})
	t.Run("TodayOutsideCoverage", func(t *testing.T) {
		t.Parallel()
		_, err := enforcement.Classify(nil, ymd(2030, 1, 2), cal, 0)
		require.ErrorIs(t, err, deadline.ErrNotCovered)
		_, err = enforcement.Classify(nil, today, nil, 0)
		require.Error(t, err)
	})
}

// supervisedCases returns three cases of two judges on 2024-09-27.
func supervisedCases(tb testing.TB) []*enforcement.Case {
	tb.Helper()
	env := testEnv(tb)
	// judge-wang: c1 open (filed 2024-03-01, notice overdue, key case,
	// late request, overdue order), c2 closed as 驳回申请.
	c1 := filedCase(tb, "c1", ymd(2024, 3, 1))
	c1.Key = true
	c1.AmountRecovered = decimal.RequireFromString("25000.00")
	_, err := c1.ReceiveRequest(enforcement.Request{ID: "q-late", PartyID: "a1", Text: "请尽快执行", ReceivedAt: at(ymd(2024, 8, 1))}, env, at(ymd(2024, 8, 1)))
	require.NoError(tb, err)
	_, err = c1.ReceiveRequest(enforcement.Request{ID: "q-new", PartyID: "a1", Text: "请问进展", ReceivedAt: at(ymd(2024, 9, 26))}, env, at(ymd(2024, 9, 26)))
	require.NoError(tb, err)
	_, err = c1.IssueSupervision(enforcement.SupervisionOrder{ID: "o-late", IssuedBy: "chief-li", Text: "限期报告", Due: ymd(2024, 9, 20)}, at(ymd(2024, 9, 10)))
	require.NoError(tb, err)
	_, err = c1.IssueSupervision(enforcement.SupervisionOrder{ID: "o-done", IssuedBy: "chief-li", Text: "限期查控", Due: ymd(2024, 9, 13)}, at(ymd(2024, 9, 10)))
	require.NoError(tb, err)
	_, err = c1.AnswerSupervision("o-done", "已完成", "judge-wang", at(ymd(2024, 9, 18)))
	require.NoError(tb, err)

	c2 := filedCase(tb, "c2", ymd(2024, 5, 6))
	_, err = c2.Close(enforcement.ClosureRejected, ymd(2024, 6, 3), "不符合受理条件", "judge-wang", env, at(ymd(2024, 6, 3)))
	require.NoError(tb, err)

	// judge-zhao: c3 open, filed 2024-09-20, nothing applied for.
	c3 := filedCase(tb, "c3", ymd(2024, 9, 20))
	c3.JudgeID = "judge-zhao"
	c3.AmountApplied = decimal.Zero
	return []*enforcement.Case{c1, c2, c3}
}

func TestSupervise(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	today := ymd(2024, 9, 27)
	cases := supervisedCases(t)
	snapshot := make([]*enforcement.Case, len(cases))
	for i, c := range cases {
		snapshot[i] = c.Clone()
	}
	rep, err := enforcement.Supervise(cases, today, cal, enforcement.SupervisionConfig{})
	require.NoError(t, err)
	for i := range cases {
		require.Equal(t, snapshot[i], cases[i], "Supervise is pure")
	}
	require.Equal(t, 3, rep.Approaching)

	// c1: notice (03-11) overdue, case limit (09-02) overdue; c3: notice
	// due 2024-09-30 approaching, case limit normal.
	require.Equal(t, enforcement.LevelCounts{Normal: 1, Approaching: 1, Overdue: 2}, rep.Counts)
	var flagged []string
	for _, f := range rep.Due {
		flagged = append(flagged, f.CaseID+" "+f.DueID+" "+f.Level.String())
	}
	require.Equal(t, []string{
		"c1 notice.enforcement_legal/filing overdue",
		"c1 case.limit/filing overdue",
		"c3 notice.enforcement_legal/filing approaching",
	}, flagged)
	require.Equal(t, cases[0].Number.String(), rep.Due[0].Number)

	require.Len(t, rep.KeyCases, 1)
	k := rep.KeyCases[0]
	require.Equal(t, "c1", k.CaseID)
	require.Equal(t, enforcement.LevelOverdue, k.Worst)
	require.Equal(t, 210, k.AgeDays)
	require.Equal(t, ymd(2024, 3, 11), k.NextDue)

	require.Len(t, rep.Requests, 2)
	require.Equal(t, "q-late", rep.Requests[0].RequestID)
	require.True(t, rep.Requests[0].Late)
	require.True(t, rep.Requests[0].Unacknowledged)
	require.Equal(t, enforcement.LevelOverdue, rep.Requests[0].Level)
	require.Equal(t, "q-new", rep.Requests[1].RequestID)
	require.False(t, rep.Requests[1].Late)
	require.False(t, rep.Requests[1].Unacknowledged)

	require.Len(t, rep.Orders, 2)
	require.Equal(t, "o-late", rep.Orders[0].OrderID)
	require.True(t, rep.Orders[0].Overdue)
	require.False(t, rep.Orders[0].Answered)
	require.Equal(t, "o-done", rep.Orders[1].OrderID)
	require.True(t, rep.Orders[1].Answered)
	require.True(t, rep.Orders[1].AnsweredLate)
	require.Equal(t, ymd(2024, 9, 18), rep.Orders[1].RespondedOn)

	require.Len(t, rep.Judges, 2)
	wang, zhao := rep.Judges[0], rep.Judges[1]
	require.Equal(t, "judge-wang", wang.JudgeID)
	require.Equal(t, 2, wang.Cases)
	require.Equal(t, 1, wang.Open)
	require.Equal(t, 1, wang.Closed)
	require.Equal(t, "0.5", wang.ClosureRate.String())
	require.Equal(t, "210", wang.MedianOpenAgeDays.String())
	require.Equal(t, 2, wang.Counts.Overdue)
	require.Equal(t, "200000", wang.Applied.String())
	require.Equal(t, "0.125", wang.RecoveryRatio.String())
	require.True(t, wang.HasRatio)
	require.Equal(t, 2, wang.UnansweredRequests)
	require.Equal(t, 1, wang.LateRequests)
	require.Equal(t, 1, wang.OpenOrders)
	require.Equal(t, 1, wang.OverdueOrders)
	require.Equal(t, "judge-zhao", zhao.JudgeID)
	require.False(t, zhao.HasRatio, "nothing applied for")
	require.Equal(t, "7", zhao.MedianOpenAgeDays.String())
	require.Equal(t, "0", zhao.ClosureRate.String())

	t.Run("DeterministicWhateverTheInputOrder", func(t *testing.T) {
		rng := rand.New(rand.NewSource(0xdead1337))
		for range 5 {
			shuffled := append([]*enforcement.Case(nil), cases...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			again, err := enforcement.Supervise(shuffled, today, cal, enforcement.SupervisionConfig{})
			require.NoError(t, err)
			require.Equal(t, rep, again)
		}
	})
	t.Run("MedianOfAnEvenCount", func(t *testing.T) {
		more := append([]*enforcement.Case(nil), cases...)
		c4 := filedCase(t, "c4", ymd(2024, 9, 24))
		c4.JudgeID = "judge-zhao"
		more = append(more, c4)
		rep, err := enforcement.Supervise(more, today, cal, enforcement.SupervisionConfig{ApproachingWorkdays: 1})
		require.NoError(t, err)
		require.Equal(t, "5", rep.Judges[1].MedianOpenAgeDays.String(), "(7+3)/2")
		require.Equal(t, 1, rep.Approaching)
	})
	t.Run("ReportSharesNoMemory", func(t *testing.T) {
		rep, err := enforcement.Supervise(cases, today, cal, enforcement.SupervisionConfig{})
		require.NoError(t, err)
		rep.Due[0].Title = "changed"
		rep.Orders[0].Text = "changed"
		require.Equal(t, snapshot[0], cases[0])
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := enforcement.Supervise(cases, ymd(2031, 1, 2), cal, enforcement.SupervisionConfig{})
		require.ErrorIs(t, err, deadline.ErrNotCovered)
		_, err = enforcement.Supervise(cases, today, nil, enforcement.SupervisionConfig{})
		require.Error(t, err)
		empty, err := enforcement.Supervise(nil, today, cal, enforcement.SupervisionConfig{})
		require.NoError(t, err)
		require.Empty(t, empty.Judges)
	})
}

// TestSupervise_MatchesNaiveLevels checks the levels against a day-by-day
// oracle on random dates over the calendar's coverage.
func TestSupervise_MatchesNaiveLevels(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	cases := syntheticCases(2000, 0x5eed)
	today := ymd(2025, 9, 26)
	rep, err := enforcement.Supervise(cases, today, cal, enforcement.SupervisionConfig{})
	require.NoError(t, err)
	var want enforcement.LevelCounts
	for _, c := range cases {
		for _, x := range c.DueItems {
			if x.IsOpen() {
				switch naiveLevel(cal, x.Due(), today, 3) {
				case enforcement.LevelNormal:
					want.Normal++
				case enforcement.LevelApproaching:
					want.Approaching++
				case enforcement.LevelDueToday:
					want.DueToday++
				case enforcement.LevelOverdue:
					want.Overdue++
				}
			}
		}
	}
	require.Equal(t, want, rep.Counts)
	require.Positive(t, want.Approaching)
	require.Positive(t, want.DueToday)
	require.Empty(t, rep.Unclassified)
	require.Equal(t, rep.DueTotal(), len(rep.Due), "Due lists every flagged item without a limit")

	// With a limit, Due is the most urgent part of the same list, and
	// nothing else changes.
	for _, limit := range []int{1, 37, len(rep.Due), len(rep.Due) + 5} {
		cut, err := enforcement.Supervise(cases, today, cal, enforcement.SupervisionConfig{DueLimit: limit})
		require.NoError(t, err)
		require.Equal(t, rep.Due[:min(limit, len(rep.Due))], cut.Due, "limit %d", limit)
		require.Equal(t, rep.DueTotal(), cut.DueTotal())
		cut.Due = rep.Due
		require.Equal(t, rep, cut, "limit %d changes nothing but Due", limit)
	}
}

// naiveLevel counts working days one day at a time with IsWorkday.
func naiveLevel(cal *deadline.Calendar, due, today deadline.Date, approaching int) enforcement.Level {
	switch {
	case today.After(due):
		return enforcement.LevelOverdue
	case today == due:
		return enforcement.LevelDueToday
	}
	n := 0
	for x := today.AddDays(1); !x.After(due); x = x.AddDays(1) {
		if ok, _ := cal.IsWorkday(x); ok {
			n++
		}
	}
	if n <= approaching {
		return enforcement.LevelApproaching
	}
	return enforcement.LevelNormal
}

// syntheticCases returns n cases with about ten due items each on random
// but seeded dates in 2024–2026; items due before 2025-09-26 are mostly
// done, as in a working court.
func syntheticCases(n int, seed int64) []*enforcement.Case {
	rng := rand.New(rand.NewSource(seed))
	first := ymd(2024, 1, 1)
	pivot := ymd(2025, 9, 26)
	judges := []string{"judge-01", "judge-02", "judge-03", "judge-04", "judge-05", "judge-06", "judge-07", "judge-08"}
	num, _ := enforcement.ParseCaseNumber("（2024）沪0115执1号")
	out := make([]*enforcement.Case, n)
	for i := range out {
		filed := first.AddDays(rng.Intn(600))
		c := &enforcement.Case{
			ID: "case-" + strconv.Itoa(i), Number: num, Court: "沪0115", JudgeID: judges[rng.Intn(len(judges))],
			FiledOn: filed, Status: enforcement.StatusOpen, Key: rng.Intn(50) == 0,
			AmountApplied:   decimal.New(int64(rng.Intn(1_000_000)), 0),
			AmountRecovered: decimal.New(int64(rng.Intn(100_000)), 0),
		}
		if rng.Intn(3) == 0 {
			c.Status = enforcement.StatusClosed
		}
		k := 8 + rng.Intn(5)
		c.DueItems = make([]enforcement.DueItem, k)
		for j := range c.DueItems {
			due := first.AddDays(rng.Intn(1096))
			st := enforcement.DueOpen
			if due.Before(pivot) && rng.Intn(20) != 0 {
				st = enforcement.DueDone
			}
			c.DueItems[j] = enforcement.DueItem{ID: "rule.x@" + strconv.Itoa(j), Rule: "rule.x", Title: "期限", Computed: due, Status: st}
		}
		out[i] = c
	}
	return out
}

// Issue: the chief's headline said 16 overdue while the judges' table
// summed to 11, and a party's own right (the respondent's jurisdiction
// objection, CPL art. 130 via Interp2022 art. 3; the applicant's
// application to the higher court, CPL art. 237) counted as the judge's
// overdue work. The headline is now the judges' counts plus the tasks of
// cases without a judge plus the parties' and platforms' tasks, and rights
// are counted apart.
func TestSupervise_HeadlineAddsUp(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	assigned := exampleCase(env, "401")
	notice := enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: ymd(2024, 3, 5)}
	_, err := assigned.RecordNode(notice, env, notice.Date.Start())
	require.NoError(t, err)
	// Filing needs a judge; a vendor's store may still hold a case whose
	// judge has left and none is assigned yet.
	unassigned := exampleCase(env, "402")
	unassigned.JudgeID = ""
	// A platform's step overdue on the assigned case.
	assigned.DueItems = append(assigned.DueItems, enforcement.DueItem{ID: "auction@x", Rule: "auction.platform", Title: "平台发布拍卖公告",
		Owner: string(enforcement.OwnerPlatform), Computed: ymd(2024, 9, 2), Status: enforcement.DueOpen})
	today := ymd(2024, 9, 27)
	rep, err := enforcement.Supervise([]*enforcement.Case{assigned, unassigned}, today, env.Calendar, enforcement.SupervisionConfig{})
	require.NoError(t, err)

	var rights int
	for _, c := range []*enforcement.Case{assigned, unassigned} {
		for _, d := range c.DueItems {
			if d.IsOpen() && d.IsRight() {
				rights++
				require.NotEqual(t, enforcement.OwnerHandler, enforcement.Owner(d.Owner), d.Title)
			}
		}
	}
	require.Equal(t, 3, rights, "the jurisdiction objection after the notice; the higher court on each case")
	require.Equal(t, rights, rep.Rights)
	for _, f := range rep.Due {
		require.NotContains(t, []string{"对执行管辖提出异议", "申请执行人可向上一级法院申请执行"}, f.Title, "a right is never flagged")
		require.NotEqual(t, "确定承办人", f.Title, "met by the judge's assignment")
	}

	require.True(t, rep.AddsUp())
	require.Len(t, rep.Judges, 2, "judge-wang and the cases without a judge")
	wang := rep.Judges[1]
	require.Equal(t, "judge-wang", wang.JudgeID)
	require.Equal(t, enforcement.LevelCounts{Overdue: 1}, rep.PartyTasks, "the platform's step")
	require.Equal(t, rep.Counts.Overdue, wang.Counts.Overdue+rep.Unassigned.Overdue+rep.PartyTasks.Overdue)
	require.Positive(t, rep.Unassigned.Overdue)
	require.Zero(t, rep.Judges[0].Counts.Total(), "the tasks of a case without a judge are in Unassigned")

	// A report that does not add up says so.
	rep.Counts.Overdue++
	require.False(t, rep.AddsUp())
}
