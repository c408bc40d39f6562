package enforcement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func TestCase_UpdateParty(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	newCase := func() *enforcement.Case {
		return &enforcement.Case{ID: "c1", Court: "沪01", Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000", WrongNumber: true},
		}}
	}
	yes := true
	t.Run("new number clears the wrong-number mark", func(t *testing.T) {
		t.Parallel()
		c := newCase()
		m := "+86 139-0013-9000"
		evs, err := c.UpdateParty("a1", enforcement.PartyUpdate{Mobile: &m}, "j1", now)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		require.Equal(t, enforcement.EventPartyUpdated, evs[0].Kind)
		require.Equal(t, "13900139000", c.Parties[0].Mobile)
		require.False(t, c.Parties[0].WrongNumber)
	})
	t.Run("opt out", func(t *testing.T) {
		t.Parallel()
		c := newCase()
		_, err := c.UpdateParty("a1", enforcement.PartyUpdate{OptOut: &yes}, "a1", now)
		require.NoError(t, err)
		require.True(t, c.Parties[0].OptOut)
		require.False(t, c.Parties[0].CanReceiveSMS())
	})
	t.Run("bad number leaves the case unchanged", func(t *testing.T) {
		t.Parallel()
		c := newCase()
		before := c.Clone()
		bad := "12345"
		_, err := c.UpdateParty("a1", enforcement.PartyUpdate{Mobile: &bad}, "j1", now)
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, c)
		_, err = c.UpdateParty("zz", enforcement.PartyUpdate{OptOut: &yes}, "j1", now)
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, c)
	})
}
