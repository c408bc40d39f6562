package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// CaseListStore is what [RunCaseList] exercises: a case store that lists
// cases, and the outbox whose held messages its list counts.
type CaseListStore struct {
	Cases interface {
		enforcement.CaseStore
		enforcement.CaseLister
	}
	Outbox notify.Outbox
}

// RunCaseList runs the conformance suite of [enforcement.CaseLister]: the
// order by next due date, search by number and party name, every filter,
// paging with the total, and the next due date kept up to date by every
// write. open must return new, empty stores for each call.
func RunCaseList(t *testing.T, open func(t *testing.T) CaseListStore) {
	t.Run("OrderFilterPage", func(t *testing.T) { testCaseList(t, open(t)) })
	t.Run("UpdateMovesCase", func(t *testing.T) { testCaseListUpdate(t, open(t)) })
}

// caseListFixture stores five cases of judge j1 at 沪01, one of j2 and one
// of another court, and returns the store's IDs in the list's order.
func caseListFixture(t *testing.T, s CaseListStore) {
	ctx := t.Context()
	d := deadline.MustParseDate
	mk := func(id, court, judge string, seq int, next string) *enforcement.Case {
		c := NewCase(id, court, judge, seq)
		if next == "" {
			for i := range c.DueItems {
				c.DueItems[i].Status, c.DueItems[i].DoneOn = enforcement.DueDone, c.FiledOn
			}
		} else {
			c.DueItems[0].Computed = d(next)
		}
		return c
	}
	c1 := mk("c1", "沪01", "j1", 1, "2025-03-20")
	c2 := mk("c2", "沪01", "j1", 2, "2025-03-10")
	c2.Parties[0].Name = "李四（上海）"
	c3 := mk("c3", "沪01", "j1", 3, "2025-03-14")
	c3.Solicitations = []enforcement.Solicitation{{ID: "s1", PartyID: "a1", ReplyCode: "K7", Purpose: enforcement.ClosureZhongBen,
		Summary: "拟终结本次执行程序", AskedOn: d("2025-03-05"), At: base, By: "j1", ReplyBy: d("2025-03-12")}}
	c4 := mk("c4", "沪01", "j1", 4, "")
	c4.Status = enforcement.StatusClosed
	c5 := mk("c5", "沪01", "j1", 5, "2025-03-14")
	c5.Requests = []enforcement.Request{{ID: "q1", PartyID: "a1", Text: "请告知财产查控进展", ReceivedAt: base}}
	// The limit item is due 2025-09-03, so the first item is the next
	// one only when earlier; c1 of j2 and the other court's c1 are left
	// out by the filter's court and judge.
	other := mk("x1", "沪01", "j2", 6, "2025-03-04")
	far := mk("y1", "京01", "j1", 1, "2025-03-04")
	for _, c := range []*enforcement.Case{c1, c2, c3, c4, c5, other, far} {
		require.NoError(t, s.Cases.Create(ctx, c, nil))
	}
	held := func(i int, caseID, court string, state notify.State) notify.Message {
		m := NewMessage(i, t0)
		m.CaseID, m.Court, m.State = caseID, court, state
		m.History = []notify.Transition{{To: state, At: t0, Actor: "policy"}}
		return m
	}
	require.NoError(t, s.Outbox.Put(ctx,
		held(1, "c3", "沪01", notify.StateHeld), held(2, "c3", "沪01", notify.StateHeld),
		held(3, "c1", "沪01", notify.StateQueued), held(4, "y1", "京01", notify.StateHeld)))
}

func listIDs(t *testing.T, s CaseListStore, f enforcement.CaseListFilter) ([]string, int) {
	t.Helper()
	page, err := s.Cases.ListCases(t.Context(), f)
	require.NoError(t, err)
	ids := []string{}
	for _, r := range page.Rows {
		ids = append(ids, r.Case.ID)
	}
	return ids, page.Total
}

func testCaseList(t *testing.T, s CaseListStore) {
	caseListFixture(t, s)
	d := deadline.MustParseDate
	mine := enforcement.CaseListFilter{Court: "沪01", JudgeID: "j1"}
	with := func(fn func(f *enforcement.CaseListFilter)) enforcement.CaseListFilter {
		f := mine
		fn(&f)
		return f
	}
	tests := []struct {
		name  string
		f     enforcement.CaseListFilter
		want  []string
		total int
	}{
		{"NextDueFirstNoneLastTiesByID", mine, []string{"c2", "c3", "c5", "c1", "c4"}, 5},
		{"WholeCourt", enforcement.CaseListFilter{Court: "沪01"}, []string{"x1", "c2", "c3", "c5", "c1", "c4"}, 6},
		{"NumberAsTyped", with(func(f *enforcement.CaseListFilter) { f.Query = "（2025）沪01执3号" }), []string{"c3"}, 1},
		{"NumberWithoutBrackets", with(func(f *enforcement.CaseListFilter) { f.Query = "2025 沪01执2" }), []string{"c2"}, 1},
		{"PartyName", with(func(f *enforcement.CaseListFilter) { f.Query = "李四(上海)" }), []string{"c2"}, 1},
		{"PartyNameEveryCase", with(func(f *enforcement.CaseListFilter) { f.Query = "贸易" }), []string{"c2", "c3", "c5", "c1", "c4"}, 5},
		{"WildcardsAreLiteral", with(func(f *enforcement.CaseListFilter) { f.Query = "%" }), []string{}, 0},
		{"UnderscoreIsLiteral", with(func(f *enforcement.CaseListFilter) { f.Query = "张_" }), []string{}, 0},
		{"Closed", with(func(f *enforcement.CaseListFilter) { f.Status = enforcement.StatusClosed }), []string{"c4"}, 1},
		{"Open", with(func(f *enforcement.CaseListFilter) { f.Status = enforcement.StatusOpen }), []string{"c2", "c3", "c5", "c1"}, 4},
		{"DueThrough", with(func(f *enforcement.CaseListFilter) { f.DueTo = d("2025-03-14") }), []string{"c2", "c3", "c5"}, 3},
		{"DueOn", with(func(f *enforcement.CaseListFilter) { f.DueFrom, f.DueTo = d("2025-03-14"), d("2025-03-14") }), []string{"c3", "c5"}, 2},
		{"DueFrom", with(func(f *enforcement.CaseListFilter) { f.DueFrom = d("2025-03-15") }), []string{"c1"}, 1},
		{"Held", with(func(f *enforcement.CaseListFilter) { f.Held = true }), []string{"c3"}, 1},
		{"AwaitingOpinion", with(func(f *enforcement.CaseListFilter) { f.AwaitingOpinion = true }), []string{"c3"}, 1},
		{"OpenRequests", with(func(f *enforcement.CaseListFilter) { f.OpenRequests = true }), []string{"c5"}, 1},
		{"Page", with(func(f *enforcement.CaseListFilter) { f.Limit, f.Offset = 2, 1 }), []string{"c3", "c5"}, 5},
		{"PagePastEnd", with(func(f *enforcement.CaseListFilter) { f.Limit, f.Offset = 2, 10 }), []string{}, 5},
		{"OffsetOnly", with(func(f *enforcement.CaseListFilter) { f.Offset = 3 }), []string{"c1", "c4"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := listIDs(t, s, tt.f)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.total, total)
		})
	}
	t.Run("HeldCounted", func(t *testing.T) {
		page, err := s.Cases.ListCases(t.Context(), mine)
		require.NoError(t, err)
		held := map[string]int{}
		for _, r := range page.Rows {
			held[r.Case.ID] = r.Held
			require.Positive(t, r.Case.Version)
		}
		require.Equal(t, map[string]int{"c1": 0, "c2": 0, "c3": 2, "c4": 0, "c5": 0}, held)
	})
}

// testCaseListUpdate checks that a write keeps the list's order and search
// up to date: a due item done, an override, a party renamed.
func testCaseListUpdate(t *testing.T, s CaseListStore) {
	caseListFixture(t, s)
	ctx := t.Context()
	mine := enforcement.CaseListFilter{Court: "沪01", JudgeID: "j1"}
	_, _, err := s.Cases.Update(ctx, "c2", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Status, c.DueItems[0].DoneOn = enforcement.DueDone, deadline.MustParseDate("2025-03-05")
		c.Parties[0].Name = "王五"
		return nil, nil
	})
	require.NoError(t, err)
	got, _ := listIDs(t, s, mine)
	require.Equal(t, []string{"c3", "c5", "c1", "c2", "c4"}, got, "c2's next item is now the limit, 2025-09-03")
	_, _, err = s.Cases.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Override = &enforcement.Override{Date: deadline.MustParseDate("2025-03-11"), Reason: "当事人申请", By: "j1", At: base.Add(time.Hour),
			Status: enforcement.OverrideApproved, DecidedBy: "chief", DecidedAt: base.Add(2 * time.Hour)}
		return nil, nil
	})
	require.NoError(t, err)
	got, _ = listIDs(t, s, mine)
	require.Equal(t, []string{"c1", "c3", "c5", "c2", "c4"}, got, "the approved override's date is the date in force")
	got, _ = listIDs(t, s, enforcement.CaseListFilter{Court: "沪01", JudgeID: "j1", Query: "李四"})
	require.Empty(t, got)
	got, _ = listIDs(t, s, enforcement.CaseListFilter{Court: "沪01", JudgeID: "j1", Query: "王五"})
	require.Equal(t, []string{"c2"}, got)
}
