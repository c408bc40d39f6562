package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func TestSearchTerm(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"（2026）沪01执123号", "2026沪01执123"},
		{"(2026)沪01执123号", "2026沪01执123"},
		{" 沪01 执123 ", "沪01执123"},
		{"〔2026〕沪01执123号", "2026沪01执123"},
		{"上海某某（集团）有限公司", "上海某某集团有限公司"},
		{"ABC Trading", "abctrading"},
		{"", ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, enforcement.SearchTerm(tt.in), tt.in)
	}
}

func TestCase_NextDueAndMatches(t *testing.T) {
	t.Parallel()
	c := newCase(t, "c1", ymd(2026, 11, 2))
	_, ok := c.NextDue()
	require.False(t, ok, "an unfiled case has no due item")
	c.DueItems = []enforcement.DueItem{
		{ID: "a", Computed: ymd(2026, 11, 20), Status: enforcement.DueDone},
		{ID: "b", Computed: ymd(2026, 12, 10), Status: enforcement.DueOpen},
		{ID: "c", Computed: ymd(2026, 12, 20), Status: enforcement.DueOpen,
			Override: &enforcement.Override{Date: ymd(2026, 12, 4), Status: enforcement.OverrideApproved}},
		{ID: "d", Computed: ymd(2026, 12, 1), Status: enforcement.DueOpen,
			Override: &enforcement.Override{Date: ymd(2026, 11, 30)}}, // pending: the computed date is in force
	}
	next, ok := c.NextDue()
	require.True(t, ok)
	require.Equal(t, ymd(2026, 12, 1), next)

	f := enforcement.CaseListFilter{Court: "沪0115"}
	with := func(fn func(*enforcement.CaseListFilter)) enforcement.CaseListFilter { g := f; fn(&g); return g }
	tests := []struct {
		name string
		f    enforcement.CaseListFilter
		held int
		want bool
	}{
		{"court", f, 0, true},
		{"other court", with(func(g *enforcement.CaseListFilter) { g.Court = "沪01" }), 0, false},
		{"number as typed", with(func(g *enforcement.CaseListFilter) { g.Query = c.Number.String() }), 0, true},
		{"respondent's name", with(func(g *enforcement.CaseListFilter) { g.Query = "某某贸易" }), 0, true},
		{"someone else", with(func(g *enforcement.CaseListFilter) { g.Query = "李四" }), 0, false},
		{"due in range", with(func(g *enforcement.CaseListFilter) { g.DueFrom, g.DueTo = ymd(2026, 12, 1), ymd(2026, 12, 1) }), 0, true},
		{"due before range", with(func(g *enforcement.CaseListFilter) { g.DueFrom = ymd(2026, 12, 2) }), 0, false},
		{"held wanted, none", with(func(g *enforcement.CaseListFilter) { g.Held = true }), 0, false},
		{"held wanted, some", with(func(g *enforcement.CaseListFilter) { g.Held = true }), 2, true},
		{"awaiting opinion, none", with(func(g *enforcement.CaseListFilter) { g.AwaitingOpinion = true }), 0, false},
		{"open requests, none", with(func(g *enforcement.CaseListFilter) { g.OpenRequests = true }), 0, false},
		{"closed only", with(func(g *enforcement.CaseListFilter) { g.Status = enforcement.StatusClosed }), 0, false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.f.Matches(c, tt.held), tt.name)
	}
}
