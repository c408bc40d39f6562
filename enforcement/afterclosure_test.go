package enforcement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// TestCase_NodesAfterClosure: PropInv art. 11 keeps the debtor's duty to
// report property changes after closure, and new clues may lead to
// resumption, so those nodes are recorded on a closed case; others are not.
func TestCase_NodesAfterClosure(t *testing.T) {
	t.Parallel()
	num, err := enforcement.ParseCaseNumber("（2024）沪01执9号")
	require.NoError(t, err)
	c := &enforcement.Case{ID: "c9", Number: num, Court: "沪01", JudgeID: "j1", FiledOn: deadline.MustParseDate("2024-03-01"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyPerson, Name: "李四"},
		}}
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, deadline.China)
	_, err = enforcement.File(c, env, now, "clerk")
	require.NoError(t, err)
	_, err = c.Close(enforcement.ClosureRejected, deadline.MustParseDate("2024-04-01"), "申请执行人不符合申请条件", "j1", env, now)
	require.NoError(t, err)
	require.True(t, c.IsClosed())

	before := c.Clone()
	_, err = c.RecordNode(enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: deadline.MustParseDate("2024-04-02")}, env, now)
	require.ErrorIs(t, err, enforcement.ErrClosed)
	require.Equal(t, before, c, "a refused node leaves the case unchanged")

	evs, err := c.RecordNode(enforcement.Node{ID: "n2", Kind: enforcement.NodePropertyChange, Date: deadline.MustParseDate("2024-05-06")}, env, now)
	require.NoError(t, err)
	require.NotEmpty(t, evs)
	item, ok := c.Due("report.supplement@n2")
	require.True(t, ok, "the 10-day supplementary report (PropInv art. 7) runs after closure too")
	require.Equal(t, deadline.MustParseDate("2024-05-16"), item.Computed)
}
