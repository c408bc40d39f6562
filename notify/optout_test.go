package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/notify"
)

func TestDrafter_OptOutConfirmation(t *testing.T) {
	t.Parallel()
	d, c, _, _ := draftFixture(t)
	late := time.Date(2025, 3, 3, 23, 10, 0, 0, deadline.China)
	p, _ := c.Party("a1")
	p.OptOut = true // set by the caller on the reply, before drafting
	m, err := d.DraftOptOutConfirmation(c.Court, notify.PartyRecipient(p), "sms-up-1", late)
	require.NoError(t, err)
	require.NoError(t, m.Validate())
	require.Equal(t, notify.KeyOptOutConfirm, m.Template)
	require.Equal(t, notify.StateQueued, m.State, "queued although the party has opted out")
	require.True(t, m.NotBefore.Equal(late), "sent at once, quiet hours or not")
	require.True(t, strings.HasPrefix(m.Body, "【上海一中院】"))
	require.Contains(t, m.Body, "退订")
	require.Contains(t, m.Body, "诉讼服务热线12368")
	require.Equal(t, "13800138000", m.Recipient.Mobile)
	require.Empty(t, notify.RecheckCase(m, c), "the send-time check lets the confirmation go")

	again, err := d.DraftOptOutConfirmation(c.Court, notify.PartyRecipient(p), "sms-up-1", late.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, m.IdempotencyKey, again.IdempotencyKey, "the same reply is confirmed once")
}
