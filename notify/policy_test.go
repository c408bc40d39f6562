package notify_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func TestPolicy_Decide(t *testing.T) {
	t.Parallel()
	respondent := notify.Recipient{PartyID: "p2", Role: notify.RecipientRespondent, Mobile: "13900139000"}
	chief := notify.Recipient{UserID: "u9", Role: notify.RecipientChief, Mobile: "13700137000"}
	optedOut := applicant
	optedOut.OptOut = true
	wrong := respondent
	wrong.WrongNumber = true
	noMobile := applicant
	noMobile.Mobile = ""
	court := notify.Policy{Rules: []notify.Rule{
		{Event: enforcement.EventMeasureRecorded, Action: notify.ActionAuto},
		{Event: enforcement.EventMeasureRecorded, Measure: enforcement.MeasureFreeze, Role: notify.RecipientRespondent, Action: notify.ActionHold},
		{Event: enforcement.EventMeasureRecorded, Measure: enforcement.MeasureDetention, Action: notify.ActionAuto, Urgent: true},
		{Event: enforcement.EventCaseFiled, Role: notify.RecipientRespondent, Action: notify.ActionNone},
	}}
	tests := []struct {
		name    string
		p       notify.Policy
		kind    enforcement.EventKind
		measure enforcement.MeasureKind
		to      notify.Recipient
		want    notify.Action
		urgent  bool
		skip    notify.SkipReason
	}{
		{"D3 filing notice to the applicant", notify.Policy{}, enforcement.EventCaseFiled, "", applicant, notify.ActionAuto, false, ""},
		{"D3 filing notice to the respondent", notify.Policy{}, enforcement.EventCaseFiled, "", respondent, notify.ActionAuto, false, ""},
		{"D3 measure notice to the applicant", notify.Policy{}, enforcement.EventMeasureRecorded, enforcement.MeasureFreeze, applicant, notify.ActionAuto, false, ""},
		{"D7 freeze notice to the respondent held", notify.Policy{}, enforcement.EventMeasureRecorded, enforcement.MeasureFreeze, respondent, notify.ActionHold, false, ""},
		{"D7 seal result to the respondent held", notify.Policy{}, enforcement.EventMeasureResult, enforcement.MeasureSeal, respondent, notify.ActionHold, false, ""},
		{"ZhongBen art 5 solicitation to the applicant", notify.Policy{}, enforcement.EventOpinionSolicited, "", applicant, notify.ActionAuto, false, ""},
		{"solicitation not to the respondent", notify.Policy{}, enforcement.EventOpinionSolicited, "", respondent, notify.ActionNone, false, ""},
		{"judge told of the opinion", notify.Policy{}, enforcement.EventOpinionRecorded, "", judge, notify.ActionAuto, false, ""},
		{"chief told of the supervision answer", notify.Policy{}, enforcement.EventSupervisionAnswered, "", chief, notify.ActionAuto, false, ""},
		{"due items are planning's", notify.Policy{}, enforcement.EventDueScheduled, "", judge, notify.ActionNone, false, ""},
		{"unknown role not notified", notify.Policy{}, enforcement.EventCaseFiled, "", notify.Recipient{Role: notify.RecipientInterested, Mobile: "13800138000"}, notify.ActionNone, false, ""},
		{"opt-out honoured", notify.Policy{}, enforcement.EventCaseFiled, "", optedOut, notify.ActionNone, false, notify.SkipOptOut},
		{"wrong number honoured", notify.Policy{}, enforcement.EventCaseFiled, "", wrong, notify.ActionNone, false, notify.SkipWrongNumber},
		{"no number", notify.Policy{}, enforcement.EventCaseFiled, "", noMobile, notify.ActionNone, false, notify.SkipNoMobile},
		{"opt-out of a message not sent anyway is not a skip", notify.Policy{}, enforcement.EventDueScheduled, "", optedOut, notify.ActionNone, false, ""},
		{"court rule: all measure notices at once", court, enforcement.EventMeasureRecorded, enforcement.MeasureSeal, respondent, notify.ActionAuto, false, ""},
		{"court rule: more specific freeze rule wins", court, enforcement.EventMeasureRecorded, enforcement.MeasureFreeze, respondent, notify.ActionHold, false, ""},
		{"court rule: urgent detention notice", court, enforcement.EventMeasureRecorded, enforcement.MeasureDetention, applicant, notify.ActionAuto, true, ""},
		{"court rule: no filing notice to respondents", court, enforcement.EventCaseFiled, "", respondent, notify.ActionNone, false, ""},
		{"court rules fall back to defaults", court, enforcement.EventCaseFiled, "", applicant, notify.ActionAuto, false, ""},
		{"court rules fall back to defaults for results", court, enforcement.EventMeasureResult, enforcement.MeasureFreeze, respondent, notify.ActionHold, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.p.Decide(tt.kind, tt.measure, tt.to)
			require.Equal(t, tt.want, d.Action)
			require.Equal(t, tt.urgent, d.Urgent)
			require.Equal(t, tt.skip, d.Skip)
		})
	}
}

func TestDefaultRules_NotShared(t *testing.T) {
	t.Parallel()
	r := notify.DefaultRules()
	r[0].Action = notify.ActionNone
	require.Equal(t, notify.ActionAuto, notify.DefaultRules()[0].Action)
}

func drafted(to notify.Recipient) notify.Message {
	key := notify.Key("case-1", "case-1/case_filed/case-1", to.ID(), "filing.applicant")
	return notify.Message{
		ID: key, IdempotencyKey: key, CaseID: "case-1", EventID: "case-1/case_filed/case-1", Recipient: to,
		Template: "filing.applicant", Params: map[string]string{"party_name": "张三", "case_no": "（2024）沪01执123号"},
		Body: "【上海一中院】张三您好：（2024）沪01执123号", Segments: 1, State: notify.StateDrafted, CreatedAt: cst(2024, 10, 8, 22, 0),
	}
}

func TestPolicy_Route(t *testing.T) {
	t.Parallel()
	night := cst(2024, 10, 8, 22, 0)
	respondent := notify.Recipient{PartyID: "p2", Role: notify.RecipientRespondent, Mobile: "13900139000"}
	optedOut := applicant
	optedOut.OptOut = true

	t.Run("AutoAtNightQueuedForMorning", func(t *testing.T) {
		t.Parallel()
		m := drafted(applicant)
		d, err := notify.Policy{}.Route(&m, enforcement.EventCaseFiled, "", night)
		require.NoError(t, err)
		require.Equal(t, notify.ActionAuto, d.Action)
		require.Equal(t, notify.StateQueued, m.State)
		require.True(t, cst(2024, 10, 9, 8, 0).Equal(m.NotBefore))
		require.False(t, m.IsDue(night))
		require.True(t, m.IsDue(cst(2024, 10, 9, 8, 0)))
	})
	t.Run("HeldThenConfirmedAtNight", func(t *testing.T) {
		t.Parallel()
		m := drafted(respondent)
		d, err := notify.Policy{}.Route(&m, enforcement.EventMeasureRecorded, enforcement.MeasureFreeze, cst(2024, 10, 8, 10, 0))
		require.NoError(t, err)
		require.Equal(t, notify.ActionHold, d.Action)
		require.Equal(t, notify.StateHeld, m.State)
		require.NoError(t, notify.Policy{}.Confirm(&m, "judge-wang", night))
		require.Equal(t, notify.StateQueued, m.State)
		require.True(t, cst(2024, 10, 9, 8, 0).Equal(m.NotBefore))
		last := m.History[len(m.History)-1]
		require.Equal(t, notify.Transition{From: notify.StateHeld, To: notify.StateQueued, At: night, Actor: "judge-wang", Note: "confirmed"}, last)
	})
	t.Run("OptOutSkippedWithReason", func(t *testing.T) {
		t.Parallel()
		m := drafted(optedOut)
		d, err := notify.Policy{}.Route(&m, enforcement.EventCaseFiled, "", night)
		require.NoError(t, err)
		require.Equal(t, notify.SkipOptOut, d.Skip)
		require.Equal(t, notify.StateSkipped, m.State)
		require.Equal(t, notify.SkipOptOut, m.Skipped)
		require.Equal(t, "当事人已退订短信", m.History[0].Note)
	})
	t.Run("NoneLeavesDraftUnchanged", func(t *testing.T) {
		t.Parallel()
		m := drafted(applicant)
		before := m.Clone()
		d, err := notify.Policy{}.Route(&m, enforcement.EventDueScheduled, "", night)
		require.NoError(t, err)
		require.Equal(t, notify.ActionNone, d.Action)
		require.Equal(t, before, m)
	})
	t.Run("UncoveredCalendarHolds", func(t *testing.T) {
		t.Parallel()
		fail := errors.New("calendar: 2099 not covered")
		p := notify.Policy{Quiet: notify.QuietHours{Workday: func(deadline.Date) (bool, error) { return false, fail }}}
		m := drafted(applicant)
		d, err := p.Route(&m, enforcement.EventCaseFiled, "", night)
		require.ErrorIs(t, err, fail)
		require.Equal(t, notify.ActionHold, d.Action)
		require.Equal(t, notify.StateHeld, m.State)
	})
}

func render(template string, p map[string]string) (string, int, error) {
	if p["case_no"] == "" {
		return "", 0, errors.New("missing case_no")
	}
	return fmt.Sprintf("【上海一中院】%s您好：%s", p["party_name"], p["case_no"]), 1, nil
}

// TestMessage_Transitions checks every action from every state: allowed
// ones record a transition, the others are typed errors that leave the
// message unchanged.
func TestMessage_Transitions(t *testing.T) {
	t.Parallel()
	at := cst(2024, 10, 8, 10, 0)
	actions := map[string]func(m *notify.Message) error{
		"hold":    func(m *notify.Message) error { return m.Hold("policy", at, "") },
		"queue":   func(m *notify.Message) error { return m.Queue("policy", at, at) },
		"skip":    func(m *notify.Message) error { return m.Skip(notify.SkipOptOut, "policy", at) },
		"confirm": func(m *notify.Message) error { return m.Confirm("judge", at, at) },
		"edit": func(m *notify.Message) error {
			return m.Edit("judge", at, map[string]string{"party_name": "张*"}, render)
		},
		"cancel": func(m *notify.Message) error { return m.Cancel("judge", at, "不再需要") },
		"claim":  func(m *notify.Message) error { return m.Claim(at, time.Minute) },
		"sent": func(m *notify.Message) error {
			return m.ApplyOutcome(m.Lease, notify.SendResult{Kind: notify.ResultSent, At: at, Receipt: notify.Receipt{ProviderID: "biz-1"}})
		},
	}
	// allowed[from][action] = to
	allowed := map[notify.State]map[string]notify.State{
		notify.StateDrafted:   {"hold": notify.StateHeld, "queue": notify.StateQueued, "skip": notify.StateSkipped, "cancel": notify.StateCancelled},
		notify.StateHeld:      {"confirm": notify.StateQueued, "edit": notify.StateHeld, "cancel": notify.StateCancelled},
		notify.StateQueued:    {"cancel": notify.StateCancelled, "claim": notify.StateSending},
		notify.StateSending:   {"sent": notify.StateSent}, // claim only after the lease expires
		notify.StateSent:      {},
		notify.StateDelivered: {}, notify.StateFailed: {}, notify.StateCancelled: {}, notify.StateSkipped: {},
	}
	for from, ok := range allowed {
		for name, act := range actions {
			t.Run(string(from)+"/"+name, func(t *testing.T) {
				t.Parallel()
				m := drafted(applicant)
				m.State = from
				if from == notify.StateSending {
					m.Lease, m.LeaseUntil = "L1", at.Add(time.Minute)
				}
				before := m.Clone()
				err := act(&m)
				to, allowed := ok[name]
				if !allowed {
					require.Error(t, err)
					if !errors.Is(err, notify.ErrConflict) { // "sent" without the lease
						require.ErrorIs(t, err, notify.ErrInvalidTransition)
						var te *notify.TransitionError
						require.ErrorAs(t, err, &te)
						require.Equal(t, from, te.From)
					}
					require.Equal(t, before, m, "unchanged on error")
					return
				}
				require.NoError(t, err)
				require.Equal(t, to, m.State)
				require.Len(t, m.History, 1)
				require.Equal(t, from, m.History[0].From)
				require.Equal(t, to, m.History[0].To)
				require.Equal(t, at, m.History[0].At)
			})
		}
	}
}

func TestMessage_Edit(t *testing.T) {
	t.Parallel()
	at := cst(2024, 10, 8, 10, 0)
	held := drafted(applicant)
	require.NoError(t, held.Hold("policy", at, ""))

	m := held.Clone()
	require.NoError(t, m.Edit("judge", at, map[string]string{"party_name": "张*"}, render))
	require.Equal(t, "【上海一中院】张*您好：（2024）沪01执123号", m.Body)
	require.Equal(t, "张三", held.Params["party_name"], "the clone's map is its own")
	require.Equal(t, "edited party_name", m.History[len(m.History)-1].Note)

	m = held.Clone()
	err := m.Edit("judge", at, map[string]string{"amount": "100.00", "phone": "x"}, render)
	require.ErrorIs(t, err, notify.ErrInvalidMessage)
	var me *notify.MessageError
	require.ErrorAs(t, err, &me)
	require.Len(t, me.Problems, 2, "every unknown variable reported")
	require.Equal(t, held, m)

	m = held.Clone()
	require.Error(t, m.Edit("judge", at, map[string]string{"case_no": ""}, render))
	require.Equal(t, held, m, "a failed render leaves it unchanged")
}

func TestKey(t *testing.T) {
	t.Parallel()
	k := notify.Key("case-1", "case-1/case_filed/case-1", "party:p1", "filing.applicant")
	require.Len(t, k, 32)
	require.Equal(t, k, notify.Key("case-1", "case-1/case_filed/case-1", "party:p1", "filing.applicant"))
	require.NotEqual(t, notify.Key("a b", "c", "d", "e"), notify.Key("a", "b c", "d", "e"))
	require.NotEqual(t, k, notify.Key("case-1", "case-1/case_filed/case-1", "party:p2", "filing.applicant"))
	// The value is part of the outbox's stored data: it must never change.
	require.Equal(t, "19d0d43396ed8a9566e75aee1bdc1088", k)
}
