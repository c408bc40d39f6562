package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// A node recorded with the wrong date is corrected: the due items it
// started are computed again from the corrected date and listed as moved;
// the filing nodes, a date before filing and a closed case are refused
// with the case unchanged.
func TestCase_CorrectNode(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	filed := ymd(2026, 3, 2)
	c := newCase(t, "c1", filed)
	_, err := enforcement.File(c, env, at(filed), "clerk")
	require.NoError(t, err)
	_, err = c.RecordNode(enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: ymd(2026, 3, 5)}, env, at(ymd(2026, 3, 5)))
	require.NoError(t, err)
	started := func(c *enforcement.Case) map[string]deadline.Date {
		out := map[string]deadline.Date{}
		for _, d := range c.DueItems {
			if d.TriggerRef == "n1" && d.IsOpen() {
				out[d.ID] = d.Due()
			}
		}
		return out
	}
	before := started(c)
	require.NotEmpty(t, before, "the execution notice starts time limits")

	now := at(ymd(2026, 3, 10))
	evs, err := c.CorrectNode("n1", ymd(2026, 3, 9), env, "judge-wang", now)
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventNodeCorrected, enforcement.EventDueMoved}, kinds(evs))
	n, _ := c.LastNode(enforcement.NodeExecutionNotice)
	require.Equal(t, ymd(2026, 3, 9), n.Date)
	after := started(c)
	var moved []string
	for id, d := range after {
		require.False(t, d.Before(before[id]), "%s does not move earlier (%s → %s)", id, before[id], d)
		if d != before[id] {
			moved = append(moved, id)
		}
	}
	require.NotEmpty(t, moved)
	require.ElementsMatch(t, moved, evs[1].Due, "the moved items are listed")

	for name, tc := range map[string]struct {
		id   string
		date deadline.Date
	}{
		"filing node":   {"filing", ymd(2026, 3, 3)},
		"before filing": {"n1", ymd(2026, 2, 27)},
		"unknown node":  {"n9", ymd(2026, 3, 6)},
	} {
		snapshot := c.Clone()
		_, err := c.CorrectNode(tc.id, tc.date, env, "judge-wang", now)
		require.Error(t, err, name)
		require.Equal(t, snapshot, c, "%s: the case is unchanged", name)
	}
	_, err = c.CorrectNode("n9", ymd(2026, 3, 6), env, "judge-wang", now)
	require.ErrorIs(t, err, enforcement.ErrNotFound)
	_, err = c.CorrectNode("n1", ymd(2026, 2, 27), env, "judge-wang", now)
	var ve *enforcement.ValidationError
	require.ErrorAs(t, err, &ve)
}
