package enforcement_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// ymd builds a date.
func ymd(y int, m time.Month, day int) deadline.Date { return deadline.NewDate(y, m, day) }

// badDate is an impossible date (NewDate would normalise it).
var badDate = deadline.Date{Year: 2024, Month: time.February, Day: 30}

var chinaTZ = time.FixedZone("CST", 8*3600)

// at returns 10:00 China Standard Time on day x.
func at(x deadline.Date) time.Time { return x.Start().Add(10 * time.Hour) }

// fakeRules is a small hand-written rule set for tests of the case methods:
//
//	filing             opens case.limit (6 months, minus deductions) and
//	                   notice.enforcement_legal (10 days)
//	execution_notice   completes notice.enforcement_legal
//	control measure    opens seizure.deposit_expiry (1 year, never
//	                   extended) and refprice.start (30 days)
//	closure            completes case.limit
//	post_closure_check completes the earliest open periodic check
type fakeRules struct{}

type fakeRule struct {
	title    string
	spec     deadline.Spec
	deducted bool
}

var fakeTable = map[string]fakeRule{
	"case.limit":                {"办案期限届满", deadline.Spec{Period: deadline.Period{N: 6, Unit: deadline.Months}}, true},
	"notice.enforcement_legal":  {"发出执行通知书", deadline.Spec{Period: deadline.Period{N: 10, Unit: deadline.Days}}, false},
	"seizure.deposit_expiry":    {"冻结期限届满", deadline.Spec{Period: deadline.Period{N: 1, Unit: deadline.Years}, NoExtension: true}, false},
	"refprice.start":            {"启动确定参考价程序", deadline.Spec{Period: deadline.Period{N: 30, Unit: deadline.Days}}, false},
	"enforcement.fake_internal": {"内部目标", deadline.Spec{Period: deadline.Period{N: 3, Unit: deadline.Days}}, false},
}

func (fakeRules) item(c *enforcement.Case, rule, ref string, trigger deadline.Date, cal *deadline.Calendar, prov bool) (enforcement.DueItem, error) {
	r := fakeTable[rule]
	spec := r.spec
	spec.AllowProvisional = prov
	if r.deducted {
		for _, x := range c.Deductions {
			if !x.To.IsZero() {
				spec.Deductions = append(spec.Deductions, deadline.Interval{From: x.From, To: x.To})
			}
		}
	}
	res, err := cal.Compute(trigger, spec)
	if err != nil {
		return enforcement.DueItem{}, err
	}
	return enforcement.DueItem{
		ID: rule + "/" + ref, Rule: rule, Title: r.title, Severity: enforcement.SeverityCritical,
		Basis: "test", Trigger: trigger, TriggerRef: ref, Computed: res.Due, Deadline: res.Deadline,
		Steps: res.Steps, Provisional: res.Provisional, Status: enforcement.DueOpen,
	}, nil
}

func (f fakeRules) Schedule(c *enforcement.Case, t enforcement.Trigger, cal *deadline.Calendar, prov bool) ([]enforcement.DueItem, []string, error) {
	var open []string
	var done []string
	switch {
	case t.Measure != nil && t.Measure.Kind.IsControl():
		open = []string{"seizure.deposit_expiry", "refprice.start"}
	case t.Node == enforcement.NodeFiling:
		open = []string{"case.limit", "notice.enforcement_legal"}
	case t.Node == enforcement.NodeExecutionNotice:
		done = append(done, "notice.enforcement_legal/filing")
	case t.Node == enforcement.NodeClosure:
		done = append(done, "case.limit/filing")
	case t.Node == enforcement.NodePostClosureCheck:
		if items := c.OpenDueItems(); len(items) > 0 {
			for _, x := range items {
				if x.Rule == "zhongben.periodic_check" {
					done = append(done, x.ID)
					break
				}
			}
		}
	}
	var out []enforcement.DueItem
	for _, rule := range open {
		it, err := f.item(c, rule, t.Ref, t.Date, cal, prov)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, it)
	}
	return out, done, nil
}

func (f fakeRules) Recompute(c *enforcement.Case, x enforcement.DueItem, cal *deadline.Calendar, prov bool) (enforcement.DueItem, error) {
	if _, ok := fakeTable[x.Rule]; !ok {
		return x, nil
	}
	return f.item(c, x.Rule, x.TriggerRef, x.Trigger, cal, prov)
}

func testEnv(tb testing.TB) enforcement.Env {
	tb.Helper()
	return enforcement.Env{Calendar: deadline.Official(), Rules: fakeRules{}}
}

// newCase returns an unfiled case: one applicant, one respondent, filed on
// filed, 100,000.00 yuan applied for.
func newCase(tb testing.TB, id string, filed deadline.Date) *enforcement.Case {
	tb.Helper()
	seq := 1
	for _, r := range id {
		seq = seq*31 + int(r)
	}
	n, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）沪0115执%d号", filed.Year, seq%100000+1))
	require.NoError(tb, err)
	return &enforcement.Case{
		ID: id, Number: n, Court: "沪0115", Cause: "民间借贷纠纷", JudgeID: "judge-wang",
		FiledOn: filed, AmountApplied: decimal.RequireFromString("100000.00"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
}

// filedCase returns a case filed through File on the fake rule set.
func filedCase(tb testing.TB, id string, filed deadline.Date) *enforcement.Case {
	tb.Helper()
	c := newCase(tb, id, filed)
	_, err := enforcement.File(c, testEnv(tb), at(filed), "clerk")
	require.NoError(tb, err)
	return c
}

func kinds(evs []enforcement.Event) []enforcement.EventKind {
	out := make([]enforcement.EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

func dueOf(tb testing.TB, c *enforcement.Case, id string) enforcement.DueItem {
	tb.Helper()
	x, ok := c.Due(id)
	require.True(tb, ok, "due item %s", id)
	return x
}

func TestFile(t *testing.T) {
	t.Parallel()
	c := newCase(t, "c1", ymd(2024, 3, 1))
	evs, err := enforcement.File(c, testEnv(t), at(ymd(2024, 3, 1)), "clerk")
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{
		enforcement.EventCaseFiled, enforcement.EventNodeRecorded, enforcement.EventNodeRecorded, enforcement.EventDueScheduled,
	}, kinds(evs))
	require.Equal(t, enforcement.StatusOpen, c.Status)
	require.Equal(t, ymd(2024, 3, 1), c.ReceivedOn, "received defaults to filed")
	require.True(t, c.HasNode(enforcement.NodeApplication))
	require.True(t, c.HasNode(enforcement.NodeFiling))
	// Limits2006 art. 1: six months from filing, corresponding day.
	require.Equal(t, ymd(2024, 9, 2), dueOf(t, c, "case.limit/filing").Computed, "2024-09-01 is a Sunday")
	// Interp art. 480: ten days; 2024-03-11 is a Monday.
	require.Equal(t, ymd(2024, 3, 11), dueOf(t, c, "notice.enforcement_legal/filing").Computed)

	t.Run("FiledTwice", func(t *testing.T) {
		t.Parallel()
		before := c.Clone()
		_, err := enforcement.File(c, testEnv(t), at(ymd(2024, 3, 2)), "clerk")
		require.ErrorIs(t, err, enforcement.ErrNotAllowed)
		require.Equal(t, before, c)
	})
	t.Run("InvalidCaseListsEveryProblem", func(t *testing.T) {
		t.Parallel()
		bad := newCase(t, "", ymd(2024, 3, 1))
		bad.JudgeID = ""
		bad.Parties = bad.Parties[:1]
		before := bad.Clone()
		_, err := enforcement.File(bad, testEnv(t), at(ymd(2024, 3, 1)), "clerk")
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		var ve *enforcement.ValidationError
		require.ErrorAs(t, err, &ve)
		var fields []string
		for _, f := range ve.Fields {
			fields = append(fields, f.Field+":"+f.Code)
		}
		require.ElementsMatch(t, []string{"id:required", "judge_id:required", "parties:no_respondent"}, fields)
		require.Equal(t, before, bad)
	})
}

func TestCase_RecordNode(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	t.Run("CompletesNoticeItem", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		evs, err := c.RecordNode(enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: ymd(2024, 3, 5)}, env, at(ymd(2024, 3, 5)))
		require.NoError(t, err)
		require.Equal(t, []enforcement.EventKind{enforcement.EventNodeRecorded, enforcement.EventDueCompleted}, kinds(evs))
		x := dueOf(t, c, "notice.enforcement_legal/filing")
		require.Equal(t, enforcement.DueDone, x.Status)
		require.Equal(t, ymd(2024, 3, 5), x.DoneOn)
	})
	rejected := []struct {
		name string
		node enforcement.Node
		want error
	}{
		{"BeforeFiling", enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: ymd(2024, 2, 28)}, enforcement.ErrInvalid},
		{"UnknownKind", enforcement.Node{ID: "n1", Kind: "nonsense", Date: ymd(2024, 3, 5)}, enforcement.ErrInvalid},
		{"DuplicateID", enforcement.Node{ID: "filing", Kind: enforcement.NodeExecutionNotice, Date: ymd(2024, 3, 5)}, enforcement.ErrInvalid},
		{"FilingIsRecordedByFile", enforcement.Node{ID: "n1", Kind: enforcement.NodeFiling, Date: ymd(2024, 3, 5)}, enforcement.ErrNotAllowed},
		{"ClosureIsRecordedByClose", enforcement.Node{ID: "n1", Kind: enforcement.NodeClosure, Date: ymd(2024, 3, 5)}, enforcement.ErrNotAllowed},
		{"ResumeWithoutSuspension", enforcement.Node{ID: "n1", Kind: enforcement.NodeResumption, Date: ymd(2024, 3, 5)}, enforcement.ErrNotAllowed},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := filedCase(t, "c1", ymd(2024, 3, 1))
			before := c.Clone()
			_, err := c.RecordNode(tt.node, env, at(ymd(2024, 3, 5)))
			require.ErrorIs(t, err, tt.want)
			require.Equal(t, before, c)
		})
	}
	t.Run("ClosedCase", func(t *testing.T) {
		t.Parallel()
		c := closedCase(t)
		before := c.Clone()
		_, err := c.RecordNode(enforcement.Node{ID: "n9", Kind: enforcement.NodeSeizure, Date: ymd(2024, 8, 1)}, env, at(ymd(2024, 8, 1)))
		require.ErrorIs(t, err, enforcement.ErrClosed)
		require.Equal(t, before, c)
	})
}

// closedCase returns a case closed as 执行完毕 on 2024-05-06.
func closedCase(tb testing.TB) *enforcement.Case {
	tb.Helper()
	c := filedCase(tb, "closed", ymd(2024, 3, 1))
	c.AmountApplied = decimal.Zero
	_, err := c.Close(enforcement.ClosureRejected, ymd(2024, 5, 6), "申请不符合受理条件", "judge-wang", testEnv(tb), at(ymd(2024, 5, 6)))
	require.NoError(tb, err)
	return c
}

func freeze(id string, on deadline.Date, amount string, outcome enforcement.Outcome) enforcement.Measure {
	return enforcement.Measure{
		ID: id, Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze, Property: enforcement.PropertyDeposit,
		Target: "招商银行账户", Amount: decimal.RequireFromString(amount), TakenOn: on, Outcome: outcome,
	}
}

func deduct(id string, on deadline.Date, amount string, outcome enforcement.Outcome) enforcement.Measure {
	m := freeze(id, on, amount, outcome)
	m.Kind = enforcement.MeasureDeduct
	return m
}

func TestCase_RecordMeasure(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	t.Run("FreezeSchedulesExpiry", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		m := freeze("m1", ymd(2024, 3, 4), "12000.00", enforcement.OutcomeDone)
		m.EffectiveOn = ymd(2024, 3, 5)
		evs, err := c.RecordMeasure(m, env, at(ymd(2024, 3, 5)))
		require.NoError(t, err)
		require.Equal(t, []enforcement.EventKind{enforcement.EventMeasureRecorded, enforcement.EventDueScheduled}, kinds(evs))
		// Interp 2022 art. 485: one year from the effective day, not extended.
		x := dueOf(t, c, "seizure.deposit_expiry/m1")
		require.Equal(t, ymd(2025, 3, 5), x.Computed)
		require.Equal(t, ymd(2024, 3, 5), x.Trigger)
		require.True(t, c.AmountRecovered.IsZero(), "a freeze recovers nothing")
	})
	t.Run("DeductionDoneIsRecovered", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		_, err := c.RecordMeasure(deduct("m1", ymd(2024, 3, 4), "3000.50", enforcement.OutcomeDone), env, at(ymd(2024, 3, 4)))
		require.NoError(t, err)
		require.Equal(t, "3000.50", c.AmountRecovered.StringFixed(2))
	})
	rejected := []struct {
		name   string
		change func(*enforcement.Measure)
		want   error
	}{
		{"NodeDoesNotAllowMeasure", func(m *enforcement.Measure) { m.Node = enforcement.NodeExecutionNotice }, enforcement.ErrInvalid},
		{"AuctionAtNetworkInquiry", func(m *enforcement.Measure) { m.Kind = enforcement.MeasureAuction }, enforcement.ErrInvalid},
		{"BeforeFiling", func(m *enforcement.Measure) { m.TakenOn = ymd(2024, 2, 1) }, enforcement.ErrInvalid},
		{"NegativeAmount", func(m *enforcement.Measure) { m.Amount = decimal.RequireFromString("-1") }, enforcement.ErrInvalid},
		{"RenewalOfUnknown", func(m *enforcement.Measure) { m.RenewalOf = "nope" }, enforcement.ErrInvalid},
		{"DuplicateID", func(m *enforcement.Measure) { m.ID = "m0" }, enforcement.ErrInvalid},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := filedCase(t, "c1", ymd(2024, 3, 1))
			_, err := c.RecordMeasure(freeze("m0", ymd(2024, 3, 4), "1.00", enforcement.OutcomePending), env, at(ymd(2024, 3, 4)))
			require.NoError(t, err)
			m := freeze("m1", ymd(2024, 3, 4), "100.00", enforcement.OutcomePending)
			tt.change(&m)
			before := c.Clone()
			_, err = c.RecordMeasure(m, env, at(ymd(2024, 3, 4)))
			require.ErrorIs(t, err, tt.want)
			require.Equal(t, before, c)
		})
	}
	t.Run("ClosedCase", func(t *testing.T) {
		t.Parallel()
		c := closedCase(t)
		before := c.Clone()
		_, err := c.RecordMeasure(freeze("m1", ymd(2024, 6, 1), "1.00", enforcement.OutcomePending), env, at(ymd(2024, 6, 1)))
		require.ErrorIs(t, err, enforcement.ErrClosed)
		require.Equal(t, before, c)
	})
}

func TestCase_RecordMeasureResult(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	_, err := c.RecordMeasure(deduct("m1", ymd(2024, 3, 4), "1000.00", enforcement.OutcomePending), env, at(ymd(2024, 3, 4)))
	require.NoError(t, err)
	require.True(t, c.AmountRecovered.IsZero(), "pending deduction recovers nothing yet")

	done, failed := enforcement.OutcomeDone, enforcement.OutcomeFailed
	amount := decimal.RequireFromString("1200.00")
	steps := []struct {
		name string
		u    enforcement.MeasureUpdate
		want string
	}{
		{"BankReportsDone", enforcement.MeasureUpdate{Outcome: &done}, "1000.00"},
		{"AmountCorrectedCountsOnce", enforcement.MeasureUpdate{Amount: &amount}, "1200.00"},
		{"ResultOnlyKeepsAmount", enforcement.MeasureUpdate{Result: ptrTo("扣划存款人民币1,200.00元")}, "1200.00"},
		{"ReversedToFailed", enforcement.MeasureUpdate{Outcome: &failed}, "0.00"},
	}
	for i, s := range steps {
		_, err := c.RecordMeasureResult("m1", s.u, "judge-wang", at(ymd(2024, 3, 5)).Add(time.Duration(i)*time.Minute))
		require.NoError(t, err, s.name)
		require.Equal(t, s.want, c.AmountRecovered.StringFixed(2), s.name)
	}

	t.Run("UnknownMeasure", func(t *testing.T) {
		before := c.Clone()
		_, err := c.RecordMeasureResult("nope", enforcement.MeasureUpdate{Outcome: &done}, "judge-wang", at(ymd(2024, 3, 6)))
		require.ErrorIs(t, err, enforcement.ErrNotFound)
		require.Equal(t, before, c)
	})
	t.Run("InvalidUpdate", func(t *testing.T) {
		before := c.Clone()
		neg := decimal.RequireFromString("-5")
		_, err := c.RecordMeasureResult("m1", enforcement.MeasureUpdate{Amount: &neg}, "judge-wang", at(ymd(2024, 3, 6)))
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, c)
	})
}

func ptrTo[T any](v T) *T { return &v }

// Limits2000 art. 9 and ExecInterp2008 art. 13: suspension time is not
// counted in the handling limit, which moves day for day on resumption.
func TestCase_SuspensionResumption(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	require.Equal(t, ymd(2024, 9, 2), dueOf(t, c, "case.limit/filing").Computed)

	evs, err := c.RecordNode(enforcement.Node{ID: "s1", Kind: enforcement.NodeSuspension, Date: ymd(2024, 4, 1)}, env, at(ymd(2024, 4, 1)))
	require.NoError(t, err)
	require.Contains(t, kinds(evs), enforcement.EventCaseSuspended)
	require.Equal(t, enforcement.StatusSuspended, c.Status)
	require.Equal(t, []deadline.Interval{{From: ymd(2024, 4, 1), To: ymd(2024, 4, 15)}}, c.DeductionIntervals(ymd(2024, 4, 15)), "running period counts up to today")

	t.Run("SecondSuspensionRejected", func(t *testing.T) {
		cc := c.Clone()
		before := cc.Clone()
		_, err := cc.RecordNode(enforcement.Node{ID: "s2", Kind: enforcement.NodeDeferral, Date: ymd(2024, 4, 2)}, env, at(ymd(2024, 4, 2)))
		require.ErrorIs(t, err, enforcement.ErrNotAllowed)
		require.Equal(t, before, cc)
	})
	t.Run("ResumptionBeforeSuspensionRejected", func(t *testing.T) {
		cc := c.Clone()
		before := cc.Clone()
		_, err := cc.RecordNode(enforcement.Node{ID: "r0", Kind: enforcement.NodeResumption, Date: ymd(2024, 3, 20)}, env, at(ymd(2024, 4, 2)))
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, cc)
	})

	evs, err = c.RecordNode(enforcement.Node{ID: "r1", Kind: enforcement.NodeResumption, Date: ymd(2024, 4, 11)}, env, at(ymd(2024, 4, 11)))
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventNodeRecorded, enforcement.EventCaseResumed, enforcement.EventDueMoved}, kinds(evs))
	require.Equal(t, []string{"case.limit/filing"}, evs[2].Due)
	require.Equal(t, enforcement.StatusOpen, c.Status)
	// Suspended 2024-04-01..2024-04-10 (the resumption day counts again):
	// ten days added to 2024-09-01, then the Sunday shift: 2024-09-11.
	require.Equal(t, []deadline.Interval{{From: ymd(2024, 4, 1), To: ymd(2024, 4, 10)}}, c.DeductionIntervals(ymd(2024, 5, 1)))
	require.Equal(t, ymd(2024, 9, 11), dueOf(t, c, "case.limit/filing").Computed)
	require.Equal(t, ymd(2024, 3, 11), dueOf(t, c, "notice.enforcement_legal/filing").Computed, "not a deducted rule")
}

func TestCase_SolicitOpinion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	s := enforcement.Solicitation{ID: "s1", PartyID: "a1", ReplyCode: "K7Q2", Purpose: enforcement.ClosureZhongBen, AskedOn: ymd(2024, 6, 3), By: "judge-wang"}
	evs, err := c.SolicitOpinion(s, env, at(ymd(2024, 6, 3)))
	require.NoError(t, err)
	require.Equal(t, enforcement.EventOpinionSolicited, evs[0].Kind)
	require.True(t, c.HasNode(enforcement.NodeOpinionSolicitation))
	// Default reply period: 10 days; 2024-06-13 is a Thursday.
	require.Equal(t, ymd(2024, 6, 13), c.Solicitations[0].ReplyBy)
	open, ok := c.OpenSolicitation("k7q2")
	require.True(t, ok, "reply codes match case-insensitively")
	require.Equal(t, "s1", open.ID)

	rejected := []struct {
		name  string
		s     enforcement.Solicitation
		codes []string
	}{
		{"NotAnApplicant", enforcement.Solicitation{ID: "s2", PartyID: "r1", ReplyCode: "AB12", AskedOn: ymd(2024, 6, 3)}, []string{"party_id:not_applicant"}},
		{"EveryProblemAtOnce", enforcement.Solicitation{ID: "s1", PartyID: "x", ReplyCode: "io", Purpose: "x", AskedOn: badDate},
			[]string{"id:duplicate", "party_id:not_applicant", "reply_code:invalid_reply_code", "purpose:unknown_closure_mode", "asked_on:invalid_date"}},
		{"ReplyCodeInUse", enforcement.Solicitation{ID: "s3", PartyID: "a1", ReplyCode: "K7Q2", AskedOn: ymd(2024, 6, 3)}, []string{"reply_code:duplicate"}},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			before := c.Clone()
			_, err := c.SolicitOpinion(tt.s, env, at(ymd(2024, 6, 3)))
			var ve *enforcement.ValidationError
			require.ErrorAs(t, err, &ve)
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field+":"+f.Code)
			}
			require.Equal(t, tt.codes, got)
			require.Equal(t, before, c)
		})
	}

	t.Run("RecordOpinion", func(t *testing.T) {
		before := c.Clone()
		_, err := c.RecordOpinion("s1", enforcement.Opinion{Choice: enforcement.OpinionOther, Channel: "sms"}, env, at(ymd(2024, 6, 5)))
		require.ErrorIs(t, err, enforcement.ErrInvalid, "other needs text")
		require.Equal(t, before, c)

		evs, err := c.RecordOpinion("s1", enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms"}, env, at(ymd(2024, 6, 5)))
		require.NoError(t, err)
		require.Equal(t, enforcement.EventOpinionRecorded, evs[0].Kind)
		require.Equal(t, enforcement.OpinionAgree, c.Solicitations[0].Answer.Choice)
		require.Equal(t, at(ymd(2024, 6, 5)), c.Solicitations[0].Answer.ReceivedAt)
		require.True(t, c.HasNode(enforcement.NodeOpinionReceived))
		_, ok := c.OpenSolicitation("K7Q2")
		require.False(t, ok)

		before = c.Clone()
		_, err = c.RecordOpinion("s1", enforcement.Opinion{Choice: enforcement.OpinionDisagree}, env, at(ymd(2024, 6, 6)))
		require.ErrorIs(t, err, enforcement.ErrNotAllowed, "the first answer stands")
		require.Equal(t, before, c)
		_, err = c.RecordOpinion("nope", enforcement.Opinion{Choice: enforcement.OpinionAgree}, env, at(ymd(2024, 6, 6)))
		require.ErrorIs(t, err, enforcement.ErrNotFound)
	})
}

func TestCase_ReceiveRequest(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	tests := []struct {
		name                string
		received            time.Time
		recordBy, resolveBy deadline.Date
	}{
		// 2024 National Day: 10-01..10-07 off, Sunday 09-29 and Saturday
		// 10-12 worked (国办发明电〔2023〕7号).
		{"FridayBeforeNationalDay2024", time.Date(2024, 9, 27, 16, 30, 0, 0, chinaTZ), ymd(2024, 10, 10), ymd(2024, 11, 13)},
		// Received on a Saturday: the first working day is Monday.
		{"Saturday", time.Date(2024, 3, 9, 9, 0, 0, 0, chinaTZ), ymd(2024, 3, 15), ymd(2024, 4, 22)},
		// 23:30 UTC is the next day in China.
		{"InstantIsDatedInCST", time.Date(2024, 3, 8, 23, 30, 0, 0, time.UTC), ymd(2024, 3, 15), ymd(2024, 4, 22)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := filedCase(t, "c1", ymd(2024, 3, 1))
			evs, err := c.ReceiveRequest(enforcement.Request{ID: "q1", PartyID: "a1", Channel: "sms", Text: "请问案件进展", ReceivedAt: tt.received}, env, tt.received)
			require.NoError(t, err)
			require.Equal(t, []enforcement.EventKind{enforcement.EventRequestReceived}, kinds(evs))
			require.Equal(t, tt.recordBy, c.Requests[0].RecordBy, "5 working days")
			require.Equal(t, tt.resolveBy, c.Requests[0].ResolveBy, "30 working days")
			require.False(t, c.Requests[0].IsAnswered())
		})
	}
	t.Run("EveryProblemAtOnce", func(t *testing.T) {
		t.Parallel()
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		before := c.Clone()
		_, err := c.ReceiveRequest(enforcement.Request{PartyID: "zz", Text: " "}, env, at(ymd(2024, 3, 4)))
		var ve *enforcement.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Fields, 3)
		require.Equal(t, before, c)
	})
}

func TestCase_AnswerRequest(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	_, err := c.ReceiveRequest(enforcement.Request{ID: "q1", PartyID: "a1", Text: "请问案件进展"}, env, at(ymd(2024, 3, 4)))
	require.NoError(t, err)
	before := c.Clone()
	_, err = c.AnswerRequest("q1", "", "", at(ymd(2024, 3, 5)))
	require.ErrorIs(t, err, enforcement.ErrInvalid)
	require.Equal(t, before, c)
	_, err = c.AnswerRequest("nope", "已查询", "judge-wang", at(ymd(2024, 3, 5)))
	require.ErrorIs(t, err, enforcement.ErrNotFound)

	evs, err := c.AnswerRequest("q1", "已冻结被执行人银行存款", "judge-wang", at(ymd(2024, 3, 5)))
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventRequestAnswered}, kinds(evs))
	require.True(t, c.Requests[0].IsAnswered())
	before = c.Clone()
	_, err = c.AnswerRequest("q1", "again", "judge-wang", at(ymd(2024, 3, 6)))
	require.ErrorIs(t, err, enforcement.ErrNotAllowed)
	require.Equal(t, before, c)
}

func TestCase_IssueSupervision(t *testing.T) {
	t.Parallel()
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	now := at(ymd(2024, 4, 1))
	o := enforcement.SupervisionOrder{ID: "o1", IssuedBy: "chief-li", Text: "请于4月10日前报告财产调查情况", Due: ymd(2024, 4, 10)}
	evs, err := c.IssueSupervision(o, now)
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventSupervisionOrdered}, kinds(evs))
	require.Equal(t, now, c.Orders[0].IssuedAt)

	before := c.Clone()
	_, err = c.IssueSupervision(enforcement.SupervisionOrder{ID: "o1", Text: "", Due: ymd(2024, 3, 31)}, now)
	var ve *enforcement.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Fields, 4, "duplicate id, issuer, text, due in the past")
	require.Equal(t, before, c)

	_, err = c.AnswerSupervision("o1", "已完成网络查控", "judge-wang", at(ymd(2024, 4, 8)))
	require.NoError(t, err)
	require.True(t, c.Orders[0].IsAnswered())
	_, err = c.AnswerSupervision("o1", "again", "judge-wang", at(ymd(2024, 4, 9)))
	require.ErrorIs(t, err, enforcement.ErrNotAllowed)
}

// A court closure day (e.g. a typhoon) added to the calendar moves a due
// date that falls on it; an overridden item's date in force never moves.
func TestRecalculate_ApplyMoves(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := filedCase(t, "c1", ymd(2024, 3, 1))
	_, err := c.OverrideDue("case.limit/filing", ymd(2024, 8, 30), "院长批准提前结案", "judge-wang", env, at(ymd(2024, 3, 2)))
	require.NoError(t, err)
	_, err = c.ApproveOverride("case.limit/filing", "同意", "chief-li", at(ymd(2024, 3, 2)))
	require.NoError(t, err)

	cal, err := env.Calendar.WithClosures(
		deadline.Closure{Date: ymd(2024, 3, 11), Reason: "台风停止办公"},
		deadline.Closure{Date: ymd(2024, 9, 2), Reason: "台风停止办公"},
	)
	require.NoError(t, err)
	snapshot := c.Clone()
	moves, err := enforcement.Recalculate(c, fakeRules{}, cal, false, "台风停止办公")
	require.NoError(t, err)
	require.Equal(t, snapshot, c, "Recalculate does not change the case")
	slices.SortFunc(moves, func(a, b enforcement.Move) int { return a.Old.Compare(b.Old) })
	require.Len(t, moves, 2)
	require.Equal(t, "notice.enforcement_legal/filing", moves[0].DueID)
	require.Equal(t, ymd(2024, 3, 12), moves[0].New)
	require.False(t, moves[0].Overridden)
	require.Equal(t, "case.limit/filing", moves[1].DueID)
	require.Equal(t, ymd(2024, 9, 2), moves[1].Old)
	require.Equal(t, ymd(2024, 9, 3), moves[1].New)
	require.True(t, moves[1].Overridden, "the judge must be told")

	t.Run("MoveForAnotherCase", func(t *testing.T) {
		other := filedCase(t, "c2", ymd(2024, 3, 1))
		before := other.Clone()
		_, err := other.ApplyMoves(moves, "system", at(ymd(2024, 3, 3)))
		require.ErrorIs(t, err, enforcement.ErrNotFound)
		require.Equal(t, before, other)
	})

	evs, err := c.ApplyMoves(moves, "system", at(ymd(2024, 3, 3)))
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventDueMoved}, kinds(evs))
	require.ElementsMatch(t, []string{"notice.enforcement_legal/filing", "case.limit/filing"}, evs[0].Due)
	require.Equal(t, ymd(2024, 3, 12), dueOf(t, c, "notice.enforcement_legal/filing").Due())
	limit := dueOf(t, c, "case.limit/filing")
	require.Equal(t, ymd(2024, 9, 3), limit.Computed)
	require.Equal(t, ymd(2024, 8, 30), limit.Due(), "override stays in force")
	require.Equal(t, "judge-wang", limit.Override.By)
	require.Equal(t, "chief-li", limit.Override.DecidedBy)

	t.Run("StaleMoves", func(t *testing.T) {
		before := c.Clone()
		_, err := c.ApplyMoves(moves, "system", at(ymd(2024, 3, 4)))
		require.ErrorIs(t, err, enforcement.ErrConflict)
		require.Equal(t, before, c)
	})
}
