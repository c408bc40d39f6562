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

// RightWhen names the day the law's wording needs: a right that opens
// "超过六个月" names the period's last day with 后 (it opens the day after);
// a window that closes and a task name their last day with 前.
func TestDueItem_RightWhen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, source string
		item         enforcement.DueItem
		want         deadline.Date
		word         string
	}{
		{"right that opens", "CPL art. 237: filed 3月3日, six months end 9月3日, usable from 9月4日",
			enforcement.DueItem{Right: enforcement.RightFrom, Computed: ymd(2026, 9, 4)}, ymd(2026, 9, 3), "后"},
		{"right that opens, over a month end", "CPL art. 237: filed 8月31日, six months end 2月28日, usable from 3月1日",
			enforcement.DueItem{Right: enforcement.RightFrom, Computed: ymd(2027, 3, 1)}, ymd(2027, 2, 28), "后"},
		{"right that lapses", "ExecInterp2008 art. 3: 收到执行通知书之日起十日内",
			enforcement.DueItem{Right: enforcement.RightUntil, Computed: ymd(2026, 12, 17)}, ymd(2026, 12, 17), "前"},
		{"task", "Limits2000 art. 5",
			enforcement.DueItem{Computed: ymd(2027, 6, 4)}, ymd(2027, 6, 4), "前"},
		{"approved override moves the right", "the date in force",
			enforcement.DueItem{Right: enforcement.RightFrom, Computed: ymd(2026, 9, 4),
				Override: &enforcement.Override{Date: ymd(2026, 10, 9), Status: enforcement.OverrideApproved}}, ymd(2026, 10, 8), "后"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			on, word := tt.item.RightWhen()
			require.Equal(t, tt.want, on, tt.source)
			require.Equal(t, tt.word, word, tt.source)
		})
	}

	// The default rule, end to end: filed on 2026-03-03, the right opens
	// on 2026-09-04 and the text says 9月3日后.
	c := filedDefault(t, "rw1", ymd(2026, 3, 3))
	d, ok := c.Due("case.superior_application@application")
	require.True(t, ok)
	require.Equal(t, ymd(2026, 9, 4), d.Due(), "the first day of the right")
	on, word := d.RightWhen()
	require.Equal(t, []any{ymd(2026, 9, 3), "后"}, []any{on, word})
	require.Equal(t, "申请执行人自2026年9月3日后可向上一级法院申请执行", d.RightText())
}
