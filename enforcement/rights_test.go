package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Party rights are marked as rights and rendered with the law's wording;
// tasks are not.
func TestDueItem_RightText(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules(), Settings: enforcement.Settings{AllowProvisional: true}}
	c := awaitingCase(t, rlDate(2026, 12, 4))
	_, err := enforcement.File(c, env, rlDate(2026, 12, 4).Start(), "clerk")
	require.NoError(t, err)
	_, err = c.RecordNode(enforcement.Node{ID: "n-notice", Kind: enforcement.NodeExecutionNotice, Date: rlDate(2026, 12, 7)}, env, rlDate(2026, 12, 7).Start())
	require.NoError(t, err)
	tests := []struct {
		id, source string
		right      enforcement.RightKind
		want       string
	}{
		{"case.superior_application@application", "CPL art. 237: 超过六个月 (2026-12-04 + 6 months = 2027-06-04; the right opens the day after)",
			enforcement.RightFrom, "申请执行人自2027年6月4日（暂定）后可向上一级法院申请执行"},
		{"jurisdiction.objection@n-notice", "ExecInterp2008 art. 3: 收到执行通知书之日起十日内",
			enforcement.RightUntil, "被执行人于2026年12月17日前可对执行管辖提出异议"},
		{"case.limit@filing", "Limits2000 art. 5: a task of the handler", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			d, ok := c.Due(tt.id)
			require.True(t, ok)
			require.Equal(t, tt.right, d.Right, tt.source)
			require.Equal(t, tt.right != "", d.IsRight(), tt.source)
			require.Equal(t, tt.want, d.RightText(), tt.source)
		})
	}
}

// 确定承办人 is met by a case that has its judge: it is never open, so
// never overdue.
func TestFile_AssignHandlerMetByJudge(t *testing.T) {
	t.Parallel()
	c := filedDefault(t, "j1", ymd(2024, 3, 1))
	d, ok := c.Due("case.assign_handler@filing")
	require.True(t, ok)
	require.False(t, d.IsOpen())
	require.Equal(t, ymd(2024, 3, 1), d.DoneOn)
	for _, o := range c.OpenDueItems() {
		require.NotEqual(t, "case.assign_handler", o.Rule)
	}
}

// Every party window of the default set is a right, and every right
// belongs to a party.
func TestDefaultRules_Rights(t *testing.T) {
	t.Parallel()
	rights := map[string]enforcement.RightKind{}
	for _, r := range enforcement.DefaultRules().Rules {
		if r.Right != "" {
			rights[r.Key] = r.Right
			require.NotEmpty(t, r.RightAction, r.Key)
		}
	}
	require.Equal(t, map[string]enforcement.RightKind{
		"case.superior_application": enforcement.RightFrom,
		"jurisdiction.objection":    enforcement.RightUntil,
		"refprice.objection":        enforcement.RightUntil,
		"reconsideration.apply":     enforcement.RightUntil,
		"third_party.suit":          enforcement.RightUntil,
		"distribution.objection":    enforcement.RightUntil,
		"distribution.counter":      enforcement.RightUntil,
		"distribution.suit":         enforcement.RightUntil,
	}, rights)
}
