package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// limitID is the handling limit (执行案件办案期限, 执行期限规定 art. 1):
// the periods of 中止, 暂缓 and 和解 are not counted in it (art. 9).
var limitID = enforcement.DueID("case.limit", "filing")

// stateCase is a case filed on 2026-03-02 with the nodes given recorded
// in order, each on its date.
func stateCase(t *testing.T, env enforcement.Env, nodes ...enforcement.Node) *enforcement.Case {
	t.Helper()
	filed := ymd(2026, 3, 2)
	c := newCase(t, "s1", filed)
	_, err := enforcement.File(c, env, at(filed), "clerk")
	require.NoError(t, err)
	for _, n := range nodes {
		_, err := c.RecordNode(n, env, at(n.Date))
		require.NoError(t, err, "record %s", n.ID)
	}
	return c
}

func limitOf(t *testing.T, c *enforcement.Case) deadline.Date {
	t.Helper()
	d, ok := c.Due(limitID)
	require.True(t, ok, "the case has its handling limit")
	return d.Computed
}

// A node that changed the case's state, withdrawn as recorded by mistake,
// takes its change with it: the case returns to the state before, the
// period it opened or ended is undone, the handling limit is computed
// again from the periods that remain, and the withdrawal keeps the states
// and the period for the audit.
func TestCase_WithdrawStateNodes(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	node := func(id string, k enforcement.NodeKind, d deadline.Date) enforcement.Node {
		return enforcement.Node{ID: id, Kind: k, Date: d}
	}
	suspend := node("sus", enforcement.NodeSuspension, ymd(2026, 4, 1))
	resume := node("res", enforcement.NodeResumption, ymd(2026, 5, 4))
	original := limitOf(t, stateCase(t, env))
	resumed := limitOf(t, stateCase(t, env, suspend, resume))
	require.True(t, original.Before(resumed), "the suspension's period is not counted: %s before %s", original, resumed)

	tests := []struct {
		name   string
		nodes  []enforcement.Node
		id     string
		before enforcement.Status
		after  enforcement.Status
		period string // the deduction kind undone
		limit  deadline.Date
	}{
		{"中止 running (民诉法 art. 267)", []enforcement.Node{suspend}, "sus", enforcement.StatusSuspended, enforcement.StatusOpen, enforcement.DeductSuspension, original},
		{"暂缓 running (民诉法 art. 238)", []enforcement.Node{node("def", enforcement.NodeDeferral, ymd(2026, 4, 1))}, "def", enforcement.StatusDeferred, enforcement.StatusOpen, enforcement.DeductDeferral, original},
		{"和解 running (民诉法 art. 241)", []enforcement.Node{node("set", enforcement.NodeSettlement, ymd(2026, 4, 1))}, "set", enforcement.StatusSuspended, enforcement.StatusOpen, enforcement.DeductSettlement, original},
		{"恢复执行 after 中止: suspended again, the period runs and is not counted", []enforcement.Node{suspend, resume}, "res", enforcement.StatusOpen, enforcement.StatusSuspended, enforcement.DeductSuspension, original},
		{"恢复执行 after 暂缓: deferred again", []enforcement.Node{node("def", enforcement.NodeDeferral, ymd(2026, 4, 1)), resume}, "res", enforcement.StatusOpen, enforcement.StatusDeferred, enforcement.DeductDeferral, original},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := stateCase(t, env, tt.nodes...)
			require.Equal(t, tt.before, c.Status)
			now := at(ymd(2026, 5, 11))
			evs, err := c.Withdraw(tt.id, "误录：当事人并未申请", env, "judge-wang", now)
			require.NoError(t, err)
			require.Equal(t, enforcement.EventWithdrawn, evs[0].Kind)
			require.Equal(t, tt.after, c.Status)
			w := c.Withdrawn[len(c.Withdrawn)-1]
			require.Equal(t, tt.id, w.ID())
			require.Equal(t, tt.before, w.StatusBefore)
			require.Equal(t, tt.after, w.StatusAfter)
			require.NotNil(t, w.Period)
			require.Equal(t, tt.period, w.Period.Kind)
			require.Equal(t, tt.limit, limitOf(t, c), "the handling limit is computed from the periods that remain")
			for _, n := range c.Nodes {
				require.NotEqual(t, tt.id, n.ID)
			}
			if tt.id == "res" {
				require.Len(t, c.Deductions, 1)
				require.True(t, c.Deductions[0].To.IsZero(), "the period runs again")
				require.Equal(t, []enforcement.EventKind{enforcement.EventWithdrawn, enforcement.EventDueMoved}, kinds(evs))
				// Then the suspension itself can go: the case is as if neither was recorded.
				_, err := c.Withdraw(c.Deductions[0].Ref, "误录：当事人并未申请", env, "judge-wang", now)
				require.NoError(t, err)
				require.Equal(t, enforcement.StatusOpen, c.Status)
				require.Empty(t, c.Deductions)
				require.Equal(t, original, limitOf(t, c))
			} else {
				require.Empty(t, c.Deductions, "the period it opened is gone")
			}
		})
	}
}

// Where undoing a change of state is not possible, the withdrawal is
// refused with a WithdrawError naming why and what to withdraw first,
// and the case is unchanged.
func TestCase_WithdrawStateNodesRefused(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	node := func(id string, k enforcement.NodeKind, d deadline.Date) enforcement.Node {
		return enforcement.Node{ID: id, Kind: k, Date: d}
	}
	suspend := node("sus", enforcement.NodeSuspension, ymd(2026, 4, 1))
	resume := node("res", enforcement.NodeResumption, ymd(2026, 5, 4))
	closedThenResumed := func(t *testing.T) *enforcement.Case {
		c := stateCase(t, env)
		_, err := c.Close(enforcement.ClosureRejected, ymd(2026, 3, 20), "申请执行人不符合申请条件", "judge-wang", env, at(ymd(2026, 3, 20)))
		require.NoError(t, err)
		_, err = c.RecordNode(node("res2", enforcement.NodeResumption, ymd(2026, 4, 20)), env, at(ymd(2026, 4, 20)))
		require.NoError(t, err)
		require.Equal(t, enforcement.StatusOpen, c.Status)
		return c
	}
	tests := []struct {
		name string
		c    func(t *testing.T) *enforcement.Case
		id   string
		code string
		by   string
	}{
		{"the filing node is the case itself", func(t *testing.T) *enforcement.Case { return stateCase(t, env) }, "filing", enforcement.WithdrawFiling, ""},
		{"a 中止 ended by 恢复执行: withdraw the resumption first", func(t *testing.T) *enforcement.Case { return stateCase(t, env, suspend, resume) }, "sus", enforcement.WithdrawEnded, "res"},
		{"a 恢复执行 followed by a later 中止", func(t *testing.T) *enforcement.Case {
			return stateCase(t, env, suspend, resume, node("sus2", enforcement.NodeSuspension, ymd(2026, 6, 1)))
		}, "res", enforcement.WithdrawLaterSuspension, "sus2"},
		{"a 恢复执行 that reopened a closed case", closedThenResumed, "res2", enforcement.WithdrawReopenedClosed, ""},
		{"a closure is undone only by 恢复执行", closedThenResumed, "closure", enforcement.WithdrawClosure, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.c(t)
			snapshot := c.Clone()
			_, err := c.Withdraw(tt.id, "误录：当事人并未申请", env, "judge-wang", at(ymd(2026, 7, 1)))
			var we *enforcement.WithdrawError
			require.ErrorAs(t, err, &we)
			require.Equal(t, tt.code, we.Code)
			require.Equal(t, tt.by, we.By)
			require.ErrorIs(t, err, enforcement.ErrNotAllowed)
			var se *enforcement.StateError
			require.ErrorAs(t, err, &se, "a WithdrawError is a StateError")
			require.Equal(t, snapshot, c, "the case is unchanged")
		})
	}
}
