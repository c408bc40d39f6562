package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// Issue 15: a "TD" reply from the applicant of demo case 7 (who has an open
// solicitation) opts the number out of every case, queues the
// confirmation, is stored as an opt-out and is never recorded as the
// opinion; a notice queued for the party before the reply is cancelled at
// send time with the reason.
func TestFlow_OptOutReply(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		const mobile = "13800001007" // applicant a1 of demo-7
		e.relay()
		e.dispatch()
		before := len(e.sender.all())

		// A notice to the parties is queued, not yet sent.
		zhang := &desk.Principal{Role: desk.RoleJudge, UserID: "judge-zhang"}
		_, err := e.app.desk.RecordNode(ctx, zhang, "demo-7", enforcement.Node{Kind: enforcement.NodeAuctionAnnouncement, Date: e.app.desk.Today()})
		require.NoError(t, err)
		var queued string
		ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{CaseID: "demo-7"})
		require.NoError(t, err)
		for _, m := range ms {
			if m.Template == notify.KeyNodeAuction && m.Recipient.Mobile == mobile && m.State == notify.StateQueued {
				queued = m.ID
			}
		}
		require.NotEmpty(t, queued, "the auction notice to the applicant is queued")

		st := e.webhook("/api/v1/sms/replies", map[string]any{"event_id": "in-td", "from": mobile, "text": "TD",
			"received_at": e.clock.Now().Format(time.RFC3339), "provider_id": "mo-td"})
		require.Equal(t, http.StatusNoContent, st)
		// The same reply handled again (another gateway path, a retry).
		require.NoError(t, e.app.desk.OnReply(ctx, sms.InboundReply{ProviderID: "mo-td", From: mobile, Text: "TD", ReceivedAt: e.clock.Now()}))

		c, err := e.app.store.Get(ctx, "demo-7")
		require.NoError(t, err)
		p, ok := c.Party("a1")
		require.True(t, ok)
		require.True(t, p.OptOut, "the party is opted out")
		require.Nil(t, c.Solicitations[0].Answer, "TD is no opinion")

		var rs struct{ Replies []desk.StoredReply }
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/replies", nil, &rs))
		var stored *desk.StoredReply
		for i := range rs.Replies {
			if rs.Replies[i].ID == "mo-td" {
				stored = &rs.Replies[i]
			}
		}
		require.NotNil(t, stored)
		require.Equal(t, notify.MatchOptOut, stored.Status)

		e.dispatch()
		var confirmations, notices int
		for _, o := range e.sender.all()[before:] {
			if o.To != mobile {
				continue
			}
			switch o.Template {
			case notify.KeyOptOutConfirm:
				confirmations++
			default:
				notices++
			}
		}
		require.Equal(t, 1, confirmations, "one confirmation, however often the reply is posted")
		require.Zero(t, notices, "nothing else goes to the number")
		m, err := e.app.desk.Outbox.Get(ctx, queued)
		require.NoError(t, err)
		require.Equal(t, notify.StateCancelled, m.State)
		last := m.History[len(m.History)-1]
		require.Contains(t, last.Note, "退订")
	})
}
