package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// A node or a measure recorded by mistake is withdrawn: the record is kept
// with who, when and why, the due items it started are cancelled, those it
// completed are open again, and it no longer counts; withdrawing twice, an
// unknown id, a short reason and the filing node are refused with the case
// unchanged.
func TestCase_Withdraw(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	filed := ymd(2026, 3, 2)
	c := newCase(t, "c1", filed)
	_, err := enforcement.File(c, env, at(filed), "clerk")
	require.NoError(t, err)
	openBefore := map[string]bool{}
	for _, d := range c.DueItems {
		openBefore[d.ID] = d.IsOpen()
	}
	_, err = c.RecordNode(enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: ymd(2026, 3, 5)}, env, at(ymd(2026, 3, 5)))
	require.NoError(t, err)
	_, err = c.RecordMeasure(enforcement.Measure{ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureFreeze,
		Property: enforcement.PropertyDeposit, Target: "招商银行账户", TakenOn: ymd(2026, 3, 6), Outcome: enforcement.OutcomeDone}, env, at(ymd(2026, 3, 6)))
	require.NoError(t, err)
	var completedByNotice, startedByNotice []string
	for _, d := range c.DueItems {
		if openBefore[d.ID] && d.Status == enforcement.DueDone {
			completedByNotice = append(completedByNotice, d.ID)
		}
		if d.TriggerRef == "n1" && d.IsOpen() {
			startedByNotice = append(startedByNotice, d.ID)
		}
	}
	require.NotEmpty(t, completedByNotice, "the execution notice completes the item to issue it")
	require.NotEmpty(t, startedByNotice, "the execution notice starts time limits")
	expiry := enforcement.DueID("seizure.deposit_expiry", "m1")
	d, ok := c.Due(expiry)
	require.True(t, ok)
	require.True(t, d.IsOpen())

	now := at(ymd(2026, 3, 10))
	for name, tc := range map[string]struct {
		id, reason string
		want       error
	}{
		"unknown id":   {"n9", "录入错误的节点", enforcement.ErrNotFound},
		"short reason": {"n1", "错 ", enforcement.ErrInvalid},
		"filing node":  {"filing", "录入错误的节点", nil},
	} {
		snapshot := c.Clone()
		_, err := c.Withdraw(tc.id, tc.reason, env, "judge-wang", now)
		require.Error(t, err, name)
		if tc.want != nil {
			require.ErrorIs(t, err, tc.want, name)
		} else {
			var se *enforcement.StateError
			require.ErrorAs(t, err, &se, name)
		}
		require.Equal(t, snapshot, c, "%s: the case is unchanged", name)
	}

	evs, err := c.Withdraw("n1", "误录：执行通知书尚未送达", env, "judge-wang", now)
	require.NoError(t, err)
	require.Equal(t, []enforcement.EventKind{enforcement.EventWithdrawn}, kinds(evs))
	require.Subset(t, evs[0].Due, append(startedByNotice, completedByNotice...))
	for _, n := range c.Nodes {
		require.NotEqual(t, "n1", n.ID, "a withdrawn node no longer counts")
	}
	require.Len(t, c.Withdrawn, 1)
	w := c.Withdrawn[0]
	require.Equal(t, "n1", w.ID())
	require.Equal(t, ymd(2026, 3, 5), w.Node.Date, "the record is kept as it was")
	require.Equal(t, "judge-wang", w.Actor)
	require.Equal(t, now, w.At)
	require.ElementsMatch(t, completedByNotice, w.Reopened)
	for _, id := range completedByNotice {
		d, _ := c.Due(id)
		require.True(t, d.IsOpen(), "%s is open again", id)
	}
	for _, id := range startedByNotice {
		d, _ := c.Due(id)
		require.Equal(t, enforcement.DueCancelled, d.Status, "%s is cancelled", id)
	}

	_, err = c.Withdraw("n1", "误录：执行通知书尚未送达", env, "judge-wang", now)
	var se *enforcement.StateError
	require.ErrorAs(t, err, &se, "withdrawing twice")

	_, err = c.Withdraw("m1", "冻结系重复录入", env, "judge-wang", now)
	require.NoError(t, err)
	require.Empty(t, c.Measures)
	d, _ = c.Due(expiry)
	require.Equal(t, enforcement.DueCancelled, d.Status, "the freeze's expiry item goes with it")
	require.Len(t, c.Withdrawn, 2)
	require.Equal(t, "m1", c.Withdrawn[1].ID())

	closed := c.Clone()
	closed.Status = enforcement.StatusClosed
	_, err = closed.Withdraw("x", "录入错误的节点", env, "judge-wang", now)
	require.ErrorAs(t, err, &se)
}

// A measure left without a result keeps 终本 from being met (终本规定
// art. 1(3)); withdrawn as recorded by mistake, it no longer does.
func TestCase_WithdrawPendingMeasure(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	filed := ymd(2026, 3, 2)
	c := newCase(t, "c2", filed)
	_, err := enforcement.File(c, env, at(filed), "clerk")
	require.NoError(t, err)
	_, err = c.RecordMeasure(enforcement.Measure{ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureFreeze,
		Property: enforcement.PropertyDeposit, Target: "招商银行账户", TakenOn: ymd(2026, 3, 6), Outcome: enforcement.OutcomePending}, env, at(ymd(2026, 3, 6)))
	require.NoError(t, err)
	met := func() bool {
		for _, p := range c.ClosurePreconditions(enforcement.ClosureZhongBen, ymd(2026, 6, 10), env) {
			if p.Key == "zhongben.no_pending_measure" {
				return p.Met
			}
		}
		t.Fatal("no zhongben.no_pending_measure check")
		return false
	}
	require.False(t, met(), "the pending freeze blocks 终本")
	_, err = c.Withdraw("m1", "误录的冻结措施", env, "judge-wang", at(ymd(2026, 3, 9)))
	require.NoError(t, err)
	require.True(t, met(), "the withdrawn freeze no longer counts")
}
