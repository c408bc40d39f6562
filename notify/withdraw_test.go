package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// withdrawFixture is a filed case in a memory store with a relay over a
// memory outbox; the applicant and the respondent have mobiles.
type withdrawFixture struct {
	ctx    context.Context
	store  *memory.Store
	outbox *memory.Outbox
	relay  *notify.Relay
	env    enforcement.Env
	now    time.Time
}

func newWithdrawFixture(t *testing.T) *withdrawFixture {
	t.Helper()
	f := &withdrawFixture{ctx: t.Context(), store: memory.New(), outbox: memory.NewOutbox(),
		env: enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()},
		now: time.Date(2026, 3, 2, 10, 0, 0, 0, deadline.China)}
	filed := deadline.MustParseDate("2026-03-02")
	num, err := enforcement.ParseCaseNumber("（2026）沪01执7号")
	require.NoError(t, err)
	c := &enforcement.Case{ID: "c1", Number: num, Court: "沪01", Cause: "民间借贷纠纷", JudgeID: "j1",
		Source:        enforcement.SourceDocument{Title: "民事判决书", Number: "（2025）沪0115民初1号"},
		AmountApplied: decimal.RequireFromString("120000.00"), ReceivedOn: filed, FiledOn: filed, QueryCode: "Q7F3K2",
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司", Mobile: "13900139000"},
		}}
	evs, err := enforcement.File(c, f.env, f.now, "clerk")
	require.NoError(t, err)
	require.NoError(t, f.store.Create(f.ctx, c, evs))
	tpls, err := notify.DefaultTemplates(notify.Config{Signature: "【上海一中院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	require.NoError(t, err)
	f.relay = &notify.Relay{Log: f.store, Cases: f.store, Cursor: f.store, Outbox: f.outbox, Drafter: &notify.Drafter{Templates: tpls}}
	f.run(t)
	return f
}

func (f *withdrawFixture) change(t *testing.T, fn func(c *enforcement.Case) ([]enforcement.Event, error)) {
	t.Helper()
	f.now = f.now.Add(time.Hour)
	_, _, err := f.store.Update(f.ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) { return fn(c) })
	require.NoError(t, err)
}

func (f *withdrawFixture) run(t *testing.T) int {
	t.Helper()
	n, err := f.relay.Once(f.ctx, f.now)
	require.NoError(t, err)
	return n
}

// sendAll hands every queued message to a gateway that accepts it.
func (f *withdrawFixture) sendAll(t *testing.T) {
	t.Helper()
	f.now = f.now.Add(time.Hour)
	ms, err := f.outbox.Claim(f.ctx, f.now.Add(24*time.Hour), 100, time.Minute)
	require.NoError(t, err)
	for _, m := range ms {
		require.NoError(t, f.outbox.Complete(f.ctx, m.ID, m.Lease, notify.SendResult{Kind: notify.ResultSent, At: f.now, Receipt: notify.Receipt{ProviderID: "p-" + m.ID}}))
	}
}

func (f *withdrawFixture) messages(t *testing.T, template string) []notify.Message {
	t.Helper()
	ms, err := f.outbox.List(f.ctx, notify.Filter{CaseID: "c1"})
	require.NoError(t, err)
	var out []notify.Message
	for _, m := range ms {
		if m.Template == template {
			out = append(out, m)
		}
	}
	return out
}

// A freeze was sent to the applicant (auto) and is held for the judge
// before it goes to the respondent (default policy). Withdrawn as recorded
// by mistake: the applicant, who was told, gets one correction naming what
// was withdrawn; the respondent's held notice is cancelled instead and the
// respondent gets no correction; relaying the withdrawal again (a retry,
// a second instance) sends nothing twice.
func TestRelay_WithdrawnRecordCorrection(t *testing.T) {
	f := newWithdrawFixture(t)
	f.sendAll(t)
	f.change(t, func(c *enforcement.Case) ([]enforcement.Event, error) {
		return c.RecordMeasure(enforcement.Measure{ID: "m1", Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
			Property: enforcement.PropertyDeposit, Target: "招商银行账户", Amount: decimal.RequireFromString("5000.00"),
			TakenOn: deadline.MustParseDate("2026-03-02"), Outcome: enforcement.OutcomeDone, Result: "已冻结"}, f.env, f.now)
	})
	require.Equal(t, 2, f.run(t))
	f.sendAll(t)
	notices := f.messages(t, notify.KeyMeasureMoney)
	require.Len(t, notices, 2)
	states := map[string]notify.State{}
	for _, m := range notices {
		states[m.Recipient.PartyID] = m.State
	}
	require.Equal(t, notify.StateSent, states["a1"], "the applicant was told")
	require.Equal(t, notify.StateHeld, states["r1"], "the respondent's notice waits for the judge")

	f.change(t, func(c *enforcement.Case) ([]enforcement.Event, error) {
		return c.Withdraw("m1", "误录：该账户属案外人所有", f.env, "j1", f.now)
	})
	require.Equal(t, 1, f.run(t), "one correction")
	corr := f.messages(t, notify.KeyRecordWithdrawn)
	require.Len(t, corr, 1)
	require.Equal(t, "a1", corr[0].Recipient.PartyID)
	require.Equal(t, notify.StateQueued, corr[0].State)
	require.Contains(t, corr[0].Body, "更正")
	require.Contains(t, corr[0].Body, "“冻结措施”记录有误，已撤回")
	require.Contains(t, corr[0].Body, "（2026）沪01执7号")
	for _, m := range f.messages(t, notify.KeyMeasureMoney) {
		if m.Recipient.PartyID == "r1" {
			require.Equal(t, notify.StateCancelled, m.State, "the unsent notice is cancelled instead")
		}
	}

	// Relayed again from the start: the same correction, nothing new.
	require.NoError(t, f.store.SetCursor(f.ctx, notify.DefaultRelayCursor, 0))
	f.run(t)
	require.Len(t, f.messages(t, notify.KeyRecordWithdrawn), 1, "sent once even on retry")
	f.sendAll(t)
	require.NoError(t, f.store.SetCursor(f.ctx, notify.DefaultRelayCursor, 0))
	f.run(t)
	corr = f.messages(t, notify.KeyRecordWithdrawn)
	require.Len(t, corr, 1)
	require.Equal(t, notify.StateSent, corr[0].State)
}

// A 中止 told to both parties and then withdrawn: each gets a correction
// naming 中止执行; a record nobody was told of gets none.
func TestDrafter_DraftWithdrawal(t *testing.T) {
	f := newWithdrawFixture(t)
	f.change(t, func(c *enforcement.Case) ([]enforcement.Event, error) {
		return c.RecordNode(enforcement.Node{ID: "sus", Kind: enforcement.NodeSuspension, Date: deadline.MustParseDate("2026-03-02")}, f.env, f.now)
	})
	f.change(t, func(c *enforcement.Case) ([]enforcement.Event, error) {
		return c.RecordNode(enforcement.Node{ID: "note", Kind: enforcement.NodeClueSubmitted, Date: deadline.MustParseDate("2026-03-02")}, f.env, f.now)
	})
	f.run(t)
	f.sendAll(t)
	require.Len(t, f.messages(t, notify.KeyCaseSuspended), 2)

	c, err := f.store.Get(f.ctx, "c1")
	require.NoError(t, err)
	var evs []enforcement.Event
	for _, id := range []string{"sus", "note"} {
		e, err := c.Withdraw(id, "误录：当事人并未申请", f.env, "j1", f.now)
		require.NoError(t, err)
		evs = append(evs, e[0])
	}
	ms, err := f.outbox.List(f.ctx, notify.Filter{CaseID: "c1"})
	require.NoError(t, err)
	fu, err := f.relay.Drafter.DraftWithdrawal(c, evs[0], ms, f.now)
	require.NoError(t, err)
	require.Len(t, fu.Corrections, 2)
	require.Empty(t, fu.Cancel)
	for _, m := range fu.Corrections {
		require.Contains(t, m.Body, "“中止执行”记录有误，已撤回")
	}
	fu, err = f.relay.Drafter.DraftWithdrawal(c, evs[1], ms, f.now)
	require.NoError(t, err)
	require.Empty(t, fu.Corrections, "nobody was told of the clue")
	require.Empty(t, fu.Cancel)
}
