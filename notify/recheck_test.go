package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// A filing notice drafted at 22:30 waits for 08:00 (quiet hours); the
// applicant opts out at 23:00. At 08:00 the dispatcher re-checks it
// against the case, cancels it with the reason and never sends it.
func TestDispatcher_CheckCancelsQueuedAfterOptOut(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	d, c, _, evs := draftFixture(t)
	filed := time.Date(2025, 3, 3, 22, 30, 0, 0, deadline.China)
	msgs, err := d.Draft(c, evs, filed)
	require.NoError(t, err)
	o := newFakeOutbox()
	require.NoError(t, o.Put(ctx, msgs...))

	optOut := true
	_, err = c.UpdateParty("a1", enforcement.PartyUpdate{OptOut: &optOut}, "a1", filed.Add(30*time.Minute))
	require.NoError(t, err)

	sender := newScriptSender()
	clock := &fakeClock{t: time.Date(2025, 3, 4, 8, 0, 0, 0, deadline.China)}
	disp := &notify.Dispatcher{Outbox: o, Sender: sender, Now: clock.Now,
		Check: func(_ context.Context, m notify.Message) (string, error) { return notify.RecheckCase(m, c), nil }}
	n, err := disp.RunOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n, "the two queued notices are claimed")

	got, err := o.List(ctx, notify.Filter{CaseID: "c1"})
	require.NoError(t, err)
	for _, m := range got {
		switch m.Recipient.PartyID {
		case "a1":
			require.Equal(t, notify.StateCancelled, m.State)
			last := m.History[len(m.History)-1]
			require.Equal(t, notify.SkipOptOut.Chinese(), last.Note, "the reason is recorded")
			require.Zero(t, m.Attempts, "a cancelled message used no attempt")
		case "r1":
			require.Equal(t, notify.StateSent, m.State)
		}
	}
	var to []string
	for _, out := range sender.accepted {
		to = append(to, out.To)
	}
	require.Equal(t, []string{"13700137000"}, to, "only the respondent's notice reached the gateway")
}

func TestRecheckCase(t *testing.T) {
	t.Parallel()
	d, base, _, evs := draftFixture(t)
	msgs, err := d.Draft(base, evs, time.Date(2025, 3, 3, 22, 30, 0, 0, deadline.China))
	require.NoError(t, err)
	var toApplicant notify.Message
	for _, m := range msgs {
		if m.Recipient.PartyID == "a1" {
			toApplicant = m
		}
	}
	solicit := toApplicant
	solicit.Template = notify.KeyOpinionSolicit
	tests := []struct {
		name   string
		m      notify.Message
		change func(c *enforcement.Case)
		want   string
	}{
		{"Unchanged", toApplicant, func(*enforcement.Case) {}, ""},
		{"OptedOut", toApplicant, func(c *enforcement.Case) { c.Parties[0].OptOut = true }, notify.SkipOptOut.Chinese()},
		{"WrongNumber", toApplicant, func(c *enforcement.Case) { c.Parties[0].WrongNumber = true }, notify.SkipWrongNumber.Chinese()},
		{"NumberRemoved", toApplicant, func(c *enforcement.Case) { c.Parties[0].Mobile = "" }, notify.SkipNoMobile.Chinese()},
		{"NumberChanged", toApplicant, func(c *enforcement.Case) { c.Parties[0].Mobile = "13500135000" }, notify.RecheckNumberChanged},
		{"PartyGone", toApplicant, func(c *enforcement.Case) { c.Parties = c.Parties[1:] }, notify.RecheckPartyGone},
		{"ClosedNoticeStillGoes", toApplicant, func(c *enforcement.Case) { c.Status = enforcement.StatusClosed }, ""},
		{"ClosedSolicitationCancelled", solicit, func(c *enforcement.Case) { c.Status = enforcement.StatusClosed }, notify.RecheckCaseClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *base
			c.Parties = append([]enforcement.Party(nil), base.Parties...)
			tt.change(&c)
			require.Equal(t, tt.want, notify.RecheckCase(tt.m, &c))
		})
	}
}
