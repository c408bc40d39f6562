package enforcement_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// without returns c with the nodes of kind k removed.
func without(c *enforcement.Case, k enforcement.NodeKind) *enforcement.Case {
	c.Nodes = slices.DeleteFunc(c.Nodes, func(n enforcement.Node) bool { return n.Kind == k })
	return c
}

func check(ps []enforcement.Precondition, key string) (enforcement.Precondition, bool) {
	i := slices.IndexFunc(ps, func(p enforcement.Precondition) bool { return p.Key == key })
	if i < 0 {
		return enforcement.Precondition{}, false
	}
	return ps[i], true
}

func sanction(id string, k enforcement.MeasureKind, at enforcement.NodeKind, on int) enforcement.Measure {
	return enforcement.Measure{ID: id, Node: at, Kind: k, Property: enforcement.PropertyNone, TakenOn: ymd(2024, 4, on), Outcome: enforcement.OutcomeDone}
}

// TestCase_ClosurePreconditions_ZhongBenChecklist checks each fact-based
// item of the 终本 checklist of 法〔2016〕373号 (ZhongBen) arts. 1–3: met,
// missing, or not applicable with the reason, on a case otherwise ready.
func TestCase_ClosurePreconditions_ZhongBenChecklist(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	on := ymd(2024, 6, 14)
	tests := []struct {
		name    string
		source  string
		key     string
		prepare func(*enforcement.Case)
		nodes   []enforcement.Node
		sanct   []enforcement.Measure
		want    enforcement.CheckStatus
		detail  string
	}{
		{name: "DishonestListed", source: "ZhongBen art. 1(2)", key: "zhongben.dishonest_list", want: enforcement.CheckMet, detail: "已纳入"},
		{name: "DishonestNeitherListedNorReason", source: "ZhongBen art. 1(2)", key: "zhongben.dishonest_list",
			prepare: func(c *enforcement.Case) { without(c, enforcement.NodeDishonestList) }, want: enforcement.CheckMissing, detail: "既未纳入失信名单"},
		{name: "DishonestIneligibleWithReason", source: "ZhongBen art. 1(2); 失信规定 art. 1", key: "zhongben.dishonest_list",
			prepare: func(c *enforcement.Case) { without(c, enforcement.NodeDishonestList) },
			nodes:   []enforcement.Node{{ID: "n-inel", Kind: enforcement.NodeDishonestIneligible, Date: ymd(2024, 4, 1), PartyID: "r1", Note: "已提供充分有效担保"}},
			want:    enforcement.CheckMet, detail: "不符合纳入条件：已提供充分有效担保"},
		{name: "NobodyMissing", source: "ZhongBen art. 1(5)", key: "zhongben.missing_searched", want: enforcement.CheckNotApplicable, detail: "未记录被执行人下落不明"},
		{name: "MissingNotSearched", source: "ZhongBen art. 1(5)", key: "zhongben.missing_searched",
			nodes: []enforcement.Node{{ID: "n-gone", Kind: enforcement.NodeRespondentMissing, Date: ymd(2024, 4, 1), PartyID: "r1"}},
			want:  enforcement.CheckMissing},
		{name: "MissingSearched", source: "ZhongBen art. 1(5)", key: "zhongben.missing_searched",
			nodes: []enforcement.Node{{ID: "n-gone", Kind: enforcement.NodeRespondentMissing, Date: ymd(2024, 4, 1), PartyID: "r1"},
				{ID: "n-search", Kind: enforcement.NodeRespondentSearched, Date: ymd(2024, 4, 8), PartyID: "r1"}},
			want: enforcement.CheckMet, detail: "2024-04-08已查找"},
		{name: "NoObstruction", source: "ZhongBen art. 1(5)", key: "zhongben.obstruction_sanctioned", want: enforcement.CheckNotApplicable},
		{name: "ObstructionUnsanctioned", source: "ZhongBen art. 1(5)", key: "zhongben.obstruction_sanctioned",
			nodes: []enforcement.Node{{ID: "n-ob", Kind: enforcement.NodeObstruction, Date: ymd(2024, 4, 2), PartyID: "r1"}},
			want:  enforcement.CheckMissing},
		{name: "ObstructionFined", source: "ZhongBen art. 1(5); CPL art. 114", key: "zhongben.obstruction_sanctioned",
			nodes: []enforcement.Node{{ID: "n-ob", Kind: enforcement.NodeObstruction, Date: ymd(2024, 4, 2), PartyID: "r1"}},
			sanct: []enforcement.Measure{sanction("m-fine", enforcement.MeasureFine, enforcement.NodeObstruction, 3)},
			want:  enforcement.CheckMet, detail: "罚款"},
		{name: "ReportChecked", source: "ZhongBen art. 2(2)", key: "zhongben.report_checked", want: enforcement.CheckMet},
		{name: "ReportNotChecked", source: "ZhongBen art. 2(2)", key: "zhongben.report_checked",
			prepare: func(c *enforcement.Case) { without(c, enforcement.NodeReportChecked) }, want: enforcement.CheckMissing},
		{name: "NoReportDefault", source: "ZhongBen art. 2(3)", key: "zhongben.report_default_sanctioned", want: enforcement.CheckNotApplicable},
		{name: "FalseReportUnsanctioned", source: "ZhongBen art. 2(3)", key: "zhongben.report_default_sanctioned",
			nodes: []enforcement.Node{{ID: "n-false", Kind: enforcement.NodeReportDefault, Date: ymd(2024, 4, 2), Note: "隐瞒车辆"}},
			want:  enforcement.CheckMissing},
		{name: "FalseReportDetained", source: "ZhongBen art. 2(3); 财产调查规定 art. 9", key: "zhongben.report_default_sanctioned",
			nodes: []enforcement.Node{{ID: "n-false", Kind: enforcement.NodeReportDefault, Date: ymd(2024, 4, 2)}},
			sanct: []enforcement.Measure{sanction("m-det", enforcement.MeasureDetention, enforcement.NodeReportDefault, 10)},
			want:  enforcement.CheckMet, detail: "司法拘留"},
		{name: "SanctionBeforeDefaultDoesNotCount", source: "ZhongBen art. 2(3)", key: "zhongben.report_default_sanctioned",
			nodes: []enforcement.Node{{ID: "n-false", Kind: enforcement.NodeReportDefault, Date: ymd(2024, 4, 20)}},
			sanct: []enforcement.Measure{sanction("m-det", enforcement.MeasureDetention, enforcement.NodeReportDefault, 10)},
			want:  enforcement.CheckMissing},
		{name: "NoClues", source: "ZhongBen art. 3(1)", key: "zhongben.clues_verified", want: enforcement.CheckNotApplicable},
		{name: "ClueUnverified", source: "ZhongBen art. 3(1)", key: "zhongben.clues_verified",
			nodes: []enforcement.Node{{ID: "n-clue", Kind: enforcement.NodeClueSubmitted, Date: ymd(2024, 4, 1), Note: "某路车库"},
				{ID: "n-ver-other", Kind: enforcement.NodeClueVerification, Date: ymd(2024, 4, 3)}},
			want: enforcement.CheckMissing, detail: "某路车库"},
		{name: "ClueVerifiedNoProperty", source: "ZhongBen art. 3(1)", key: "zhongben.clues_verified",
			nodes: []enforcement.Node{{ID: "n-clue", Kind: enforcement.NodeClueSubmitted, Date: ymd(2024, 4, 1)},
				{ID: "n-ver", Kind: enforcement.NodeClueVerification, Date: ymd(2024, 4, 3), Ref: "n-clue", Finding: enforcement.FindingNoProperty}},
			want: enforcement.CheckMet, detail: "2024-04-03核查，未发现财产"},
		{name: "NoAuditApplication", source: "ZhongBen art. 3(5)", key: "zhongben.audit_reward", want: enforcement.CheckNotApplicable},
		{name: "AuditAppliedNotOrdered", source: "ZhongBen art. 3(5)", key: "zhongben.audit_reward",
			nodes: []enforcement.Node{{ID: "n-app", Kind: enforcement.NodeAuditRewardApplied, Date: ymd(2024, 4, 1)}},
			want:  enforcement.CheckMissing},
		{name: "RewardNoticePublished", source: "ZhongBen art. 3(5); 财产调查规定 art. 21", key: "zhongben.audit_reward",
			nodes: []enforcement.Node{{ID: "n-app", Kind: enforcement.NodeAuditRewardApplied, Date: ymd(2024, 4, 1)},
				{ID: "n-reward", Kind: enforcement.NodeRewardNotice, Date: ymd(2024, 4, 9)}},
			want: enforcement.CheckMet, detail: "发布悬赏公告"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := zhongBenReady(t)
			if tt.prepare != nil {
				tt.prepare(c)
			}
			for _, n := range tt.nodes {
				_, err := c.RecordNode(n, env, at(n.Date))
				require.NoError(t, err)
			}
			for _, m := range tt.sanct {
				_, err := c.RecordMeasure(m, env, at(m.TakenOn))
				require.NoError(t, err)
			}
			ps := c.ClosurePreconditions(enforcement.ClosureZhongBen, on, env)
			p, ok := check(ps, tt.key)
			require.True(t, ok, tt.source)
			require.Equal(t, tt.want, p.Status, "%s: %s", tt.source, p.Detail)
			require.Equal(t, tt.want != enforcement.CheckMissing, p.Met, tt.source)
			require.NotEmpty(t, p.Article, tt.source)
			require.Contains(t, p.Basis, p.Article, tt.source)
			require.Contains(t, p.Detail, tt.detail, tt.source)
		})
	}
}

// The closure flow end to end: refused with the list of missing items (the
// case unchanged), then allowed once the facts are recorded.
func TestCase_Close_ZhongBenChecklistFlow(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	on := ymd(2024, 6, 14)
	c := without(without(zhongBenReady(t), enforcement.NodeDishonestList), enforcement.NodeReportChecked)
	for _, n := range []enforcement.Node{
		{ID: "n-clue", Kind: enforcement.NodeClueSubmitted, Date: ymd(2024, 4, 1), Note: "某银行账户"},
		{ID: "n-app", Kind: enforcement.NodeAuditRewardApplied, Date: ymd(2024, 4, 1)},
	} {
		_, err := c.RecordNode(n, env, at(n.Date))
		require.NoError(t, err)
	}
	before := c.Clone()
	_, err := c.Close(enforcement.ClosureZhongBen, on, "未发现可供执行的财产", "judge-wang", env, at(on))
	var ce *enforcement.ClosureError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, enforcement.ErrNotAllowed)
	require.Equal(t, []string{"zhongben.dishonest_list", "zhongben.report_checked", "zhongben.clues_verified", "zhongben.audit_reward"}, unmetKeys(ce.Unmet))
	for _, p := range ce.Unmet {
		require.Equal(t, enforcement.CheckMissing, p.Status)
	}
	require.Equal(t, before, c)

	for _, n := range []enforcement.Node{
		{ID: "n-shixin", Kind: enforcement.NodeDishonestList, Date: ymd(2024, 4, 2), PartyID: "r1"},
		{ID: "n-checked", Kind: enforcement.NodeReportChecked, Date: ymd(2024, 4, 2)},
		{ID: "n-ver", Kind: enforcement.NodeClueVerification, Date: ymd(2024, 4, 5), Ref: "n-clue", Finding: enforcement.FindingProperty},
		{ID: "n-audit", Kind: enforcement.NodeAuditOrdered, Date: ymd(2024, 4, 10)},
	} {
		_, err := c.RecordNode(n, env, at(n.Date))
		require.NoError(t, err)
	}
	_, err = c.Close(enforcement.ClosureZhongBen, on, "未发现可供执行的财产", "judge-wang", env, at(on))
	require.NoError(t, err)
	require.Equal(t, enforcement.ClosureZhongBen, c.Closure.Mode)
	p, ok := check(c.Closure.Checks, "zhongben.clues_verified")
	require.True(t, ok)
	require.Contains(t, p.Detail, "核实有财产")
}

func TestCase_RecordNode_UnknownParty(t *testing.T) {
	t.Parallel()
	c := zhongBenReady(t)
	before := c.Clone()
	_, err := c.RecordNode(enforcement.Node{ID: "n-x", Kind: enforcement.NodeRespondentMissing, Date: ymd(2024, 4, 1), PartyID: "nobody"}, testEnv(t), at(ymd(2024, 4, 1)))
	require.ErrorIs(t, err, enforcement.ErrInvalid)
	require.Equal(t, before, c)
}

func TestNode_Validate_ChecklistFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    enforcement.Node
		ok   bool
	}{
		{"IneligibleNeedsReason", enforcement.Node{ID: "x", Kind: enforcement.NodeDishonestIneligible, Date: ymd(2024, 4, 1), PartyID: "r1"}, false},
		{"IneligibleNeedsParty", enforcement.Node{ID: "x", Kind: enforcement.NodeDishonestIneligible, Date: ymd(2024, 4, 1), Note: "理由"}, false},
		{"VerificationOfClueNeedsFinding", enforcement.Node{ID: "x", Kind: enforcement.NodeClueVerification, Date: ymd(2024, 4, 1), Ref: "n-clue"}, false},
		{"UnknownFinding", enforcement.Node{ID: "x", Kind: enforcement.NodeClueVerification, Date: ymd(2024, 4, 1), Ref: "n-clue", Finding: "maybe"}, false},
		{"SearchedNeedsParty", enforcement.Node{ID: "x", Kind: enforcement.NodeRespondentSearched, Date: ymd(2024, 4, 1)}, false},
		{"Valid", enforcement.Node{ID: "x", Kind: enforcement.NodeDishonestIneligible, Date: ymd(2024, 4, 1), PartyID: "r1", Note: "理由"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.n.Validate()
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, enforcement.ErrInvalid)
		})
	}
}
