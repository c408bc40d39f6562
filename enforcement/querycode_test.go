package enforcement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func TestCase_ResetQueryCode(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	newCase := func() *enforcement.Case {
		return &enforcement.Case{ID: "c1", Court: "沪01", Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyPerson, Name: "李四"},
		}}
	}
	t.Run("each reset is a new generation and its own event", func(t *testing.T) {
		t.Parallel()
		c := newCase()
		first, err := c.ResetQueryCode("r1", "j1", now)
		require.NoError(t, err)
		second, err := c.ResetQueryCode("r1", "j1", now)
		require.NoError(t, err)
		require.Equal(t, 2, c.Parties[1].CodeGeneration)
		require.Zero(t, c.Parties[0].CodeGeneration, "the other party's code is untouched")
		require.Equal(t, enforcement.EventQueryCodeReset, first[0].Kind)
		require.Equal(t, "r1@1", first[0].Ref)
		require.Equal(t, "r1@2", second[0].Ref)
		require.NotEqual(t, first[0].ID, second[0].ID, "two resets at one instant are two events")
		require.Equal(t, "j1", second[0].Actor)
	})
	t.Run("unknown party leaves the case unchanged", func(t *testing.T) {
		t.Parallel()
		c := newCase()
		before := c.Clone()
		_, err := c.ResetQueryCode("x9", "j1", now)
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, c)
	})
}
