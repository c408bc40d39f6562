package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// partyCode is a stand-in for a server's keyed derivation: a code per party
// and generation.
func partyCode(c *enforcement.Case, p enforcement.Party) string {
	return map[string]string{"a1": "AAAA2222", "r1": "RRRR3333", "r2": "SSSS4444"}[p.ID] + string(rune('A'+p.CodeGeneration))
}

func TestDrafter_QueryCodePerParty(t *testing.T) {
	t.Parallel()
	d, c, _, evs := draftFixture(t)
	c.QueryCode = "" // a case filed with per-party codes has no shared one
	d.QueryCode = partyCode
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, deadline.China)
	msgs, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	codes := map[string]string{"a1": "AAAA2222A", "r1": "RRRR3333A"}
	seen := 0
	for _, m := range msgs {
		want, ok := codes[m.Recipient.PartyID]
		if !ok {
			continue
		}
		seen++
		require.Contains(t, m.Body, want, "each party's notice carries its own code")
		require.Equal(t, want, m.Params[notify.VarQueryCode])
		for pid, other := range codes {
			if pid != m.Recipient.PartyID {
				require.NotContains(t, m.Body, other, "and never another party's")
			}
		}
	}
	require.Equal(t, 2, seen)

	again, err := d.Draft(c, evs, now)
	require.NoError(t, err)
	require.Equal(t, msgs, again, "drafting is deterministic, so a relay drafting again renders the same text")
}

func TestDrafter_QueryCodeReset(t *testing.T) {
	t.Parallel()
	d, c, _, _ := draftFixture(t)
	d.QueryCode = partyCode
	now := time.Date(2025, 3, 5, 10, 0, 0, 0, deadline.China)
	first, err := c.ResetQueryCode("r1", "j1", now)
	require.NoError(t, err)
	msgs, err := d.Draft(c, first, now)
	require.NoError(t, err)
	require.Len(t, msgs, 1, "only the party whose code was reset is told")
	m := msgs[0]
	require.Equal(t, "r1", m.Recipient.PartyID)
	require.Equal(t, notify.KeyQueryCodeReset, m.Template)
	require.Equal(t, notify.StateQueued, m.State)
	require.Contains(t, m.Body, "RRRR3333B", "the new code, of generation 1")
	require.NotContains(t, m.Body, "RRRR3333A")

	second, err := c.ResetQueryCode("r1", "j1", now.Add(time.Minute))
	require.NoError(t, err)
	stale, err := d.Draft(c, first, now)
	require.NoError(t, err)
	require.Empty(t, stale, "an older reset drafted again after a newer one sends no void code")
	msgs, err = d.Draft(c, second, now)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Contains(t, msgs[0].Body, "RRRR3333C")
}

func TestDrafter_DraftOTP(t *testing.T) {
	t.Parallel()
	d, c, _, _ := draftFixture(t)
	night := time.Date(2025, 3, 3, 23, 30, 0, 0, deadline.China)
	r2, _ := c.Party("r2") // opted out of notices
	m, err := d.DraftOTP(c, r2, "482915", "1", night)
	require.NoError(t, err)
	require.Equal(t, notify.StateQueued, m.State, "a code the party asked for goes despite the opt-out")
	require.True(t, m.NotBefore.Equal(night), "and at once, in quiet hours too")
	require.Contains(t, m.Body, "482915")
	require.Equal(t, notify.KeyPartyOTP, m.Template)
	require.NotContains(t, m.IdempotencyKey+m.ID+m.EventID, "482915", "the code is not part of any identifier")

	other, err := d.DraftOTP(c, r2, "482915", "2", night)
	require.NoError(t, err)
	require.NotEqual(t, m.IdempotencyKey, other.IdempotencyKey, "each request is its own message")

	c.Parties[0].Mobile = ""
	a1, _ := c.Party("a1")
	_, err = d.DraftOTP(c, a1, "482915", "3", night)
	require.ErrorIs(t, err, notify.ErrInvalidMessage)
}
