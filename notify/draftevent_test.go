package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// byRecipient returns the messages of msgs by recipient ID and template.
func byRecipient(msgs []notify.Message) map[string]notify.Message {
	out := map[string]notify.Message{}
	for _, m := range msgs {
		out[m.Recipient.ID()+"/"+m.Template] = m
	}
	return out
}

func keys(m map[string]notify.Message) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Every event the default policy promises a message for is drafted, with
// the names of the people involved, never their user IDs.
func TestDrafter_PromisedMessages(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, deadline.China)
	staff := func(id string) (notify.Recipient, bool) {
		switch id {
		case "j1":
			return notify.Recipient{Name: "王法官", Mobile: "13900139000"}, true
		case "chief":
			return notify.Recipient{Name: "赵局长", Mobile: "13900139001"}, true
		}
		return notify.Recipient{}, false
	}
	node := func(id string, kind enforcement.NodeKind) func(*enforcement.Case, enforcement.Env) ([]enforcement.Event, error) {
		return func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			return c.RecordNode(enforcement.Node{ID: id, Kind: kind, Date: deadline.MustParseDate("2025-03-10"), Actor: "j1"}, env, now)
		}
	}
	tests := []struct {
		name     string
		act      func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error)
		want     map[string][]string // recipient/template → texts the body contains
		wantNone []string            // texts no body contains
	}{
		{"ExecutionNotice", node("n1", enforcement.NodeExecutionNotice), map[string][]string{
			"party:a1/node.execution_notice": {"3月10日发出执行通知书"},
			"party:r1/node.execution_notice": {"执行通知书"},
		}, nil},
		{"PropertyReportOrder", node("n1", enforcement.NodePropertyReportOrder), map[string][]string{
			"party:a1/node.property_report": {"报告财产令"}, "party:r1/node.property_report": {"如实报告财产"},
		}, nil},
		{"AuctionAnnouncement", node("n1", enforcement.NodeAuctionAnnouncement), map[string][]string{
			"party:a1/node.auction": {"拍卖公告已于3月10日发布"}, "party:r1/node.auction": {"拍卖公告"},
		}, nil},
		{"MoneyDisbursed", node("n1", enforcement.NodeMoneyDisbursed), map[string][]string{
			"party:a1/node.disbursed": {"执行款已于3月10日发放"}, "party:r1/node.disbursed": {"执行款"},
		}, nil},
		{"Suspended", node("n1", enforcement.NodeSuspension), map[string][]string{
			"party:a1/case.suspended": {"已于3月10日中止执行"}, "party:r1/case.suspended": {"中止执行"},
		}, nil},
		{"Resumed", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			if _, err := node("n1", enforcement.NodeSuspension)(c, env); err != nil {
				return nil, err
			}
			return c.RecordNode(enforcement.Node{ID: "n2", Kind: enforcement.NodeResumption, Date: deadline.MustParseDate("2025-03-12"), Actor: "j1"}, env, now)
		}, map[string][]string{
			"party:a1/case.resumed": {"已于3月12日恢复执行"}, "party:r1/case.resumed": {"恢复执行"},
		}, nil},
		{"RequestReceived", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			return c.ReceiveRequest(enforcement.Request{ID: "q1", PartyID: "a1", Channel: "web", Text: "请调查被执行人车辆"}, env, now)
		}, map[string][]string{
			"user:j1/request.received": {"王法官", "申请执行人张*", "请调查被执行人车辆"},
		}, nil},
		{"SupervisionOrderedNamesIssuer", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			return c.IssueSupervision(enforcement.SupervisionOrder{ID: "o1", IssuedBy: "chief", Text: "尽快完成财产调查", Due: deadline.MustParseDate("2025-03-14")}, now)
		}, map[string][]string{
			"user:j1/supervision.order": {"赵局长督办"},
		}, []string{"chief督办"}},
		{"SupervisionAnsweredToIssuer", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			if _, err := c.IssueSupervision(enforcement.SupervisionOrder{ID: "o1", IssuedBy: "chief", Text: "尽快完成财产调查", Due: deadline.MustParseDate("2025-03-14")}, now); err != nil {
				return nil, err
			}
			return c.AnswerSupervision("o1", "已完成网络查控", "j1", now)
		}, map[string][]string{
			"user:chief/supervision.answered": {"赵局长", "已由王法官于", "已完成网络查控"},
		}, []string{"chief", "j1", "法官法官"}},
		{"OpinionRecordedTellsJudge", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			c.Solicitations = append(c.Solicitations, enforcement.Solicitation{ID: "s1", PartyID: "a1", ReplyCode: "K7Q2",
				Answer: &enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms", ReceivedAt: now}})
			return []enforcement.Event{{ID: "c1/opinion_recorded/s1", Kind: enforcement.EventOpinionRecorded, CaseID: "c1", Court: "沪01", Ref: "s1", At: now}}, nil
		}, map[string][]string{
			"party:a1/reply.ack":    {"同意"},
			"user:j1/opinion.judge": {"王法官", "申请执行人张*", "同意"},
		}, nil},
		{"ClosedZhongBenNextStep", func(c *enforcement.Case, env enforcement.Env) ([]enforcement.Event, error) {
			c.Status = enforcement.StatusClosed
			c.Closure = &enforcement.ClosureRecord{Mode: enforcement.ClosureZhongBen, On: deadline.MustParseDate("2025-03-10"), By: "j1", At: now}
			return []enforcement.Event{{ID: "c1/case_closed/x", Kind: enforcement.EventCaseClosed, CaseID: "c1", Court: "沪01", Ref: "x", At: now}}, nil
		}, map[string][]string{
			"party:a1/closure.outcome": {"终结本次执行程序", "可随时申请恢复执行"},
			"party:r1/closure.outcome": {"仍负有履行义务"},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, c, env, _ := draftFixture(t)
			d.Staff = staff
			evs, err := tt.act(c, env)
			require.NoError(t, err)
			msgs, err := d.Draft(c, evs, now)
			require.NoError(t, err)
			got := byRecipient(msgs)
			for k, texts := range tt.want {
				m, ok := got[k]
				require.True(t, ok, "no %s among %v", k, keys(got))
				require.Equal(t, notify.StateQueued, m.State, k)
				for _, s := range texts {
					require.Contains(t, m.Body, s, k)
				}
				for _, s := range tt.wantNone {
					require.NotContains(t, m.Body, s, k)
				}
				require.False(t, strings.Contains(m.Body, "{"), "no placeholder left: %s", m.Body)
			}
		})
	}
}

// A measure result's event refers to the measure by ID, "@" and the time;
// the drafter finds the measure even when its ID contains "@".
func TestDrafter_MeasureResultLookup(t *testing.T) {
	t.Parallel()
	d, c, env, _ := draftFixture(t)
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, deadline.China)
	for _, id := range []string{"m@1", "m"} {
		_, err := c.RecordMeasure(enforcement.Measure{
			ID: id, Node: enforcement.NodeSeizure, Kind: enforcement.MeasureSeal, Property: enforcement.PropertyImmovable,
			Target: "房产" + id, TakenOn: deadline.MustParseDate("2025-03-10"), Outcome: enforcement.OutcomePending,
		}, env, now)
		require.NoError(t, err)
	}
	done := enforcement.OutcomeDone
	evs, err := c.RecordMeasureResult("m@1", enforcement.MeasureUpdate{Outcome: &done}, "j1", now.Add(time.Hour))
	require.NoError(t, err)
	msgs, err := d.Draft(c, evs, now.Add(time.Hour))
	require.NoError(t, err)
	m, ok := byRecipient(msgs)["party:a1/measure.notice"]
	require.True(t, ok)
	require.Contains(t, m.Body, "房产m@1")
}
