package storetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// SupervisionStore is what RunSupervision exercises: a case store that
// answers the chief's report.
type SupervisionStore interface {
	enforcement.CaseStore
	enforcement.SupervisionSource
}

// RunSupervision runs the conformance suite of
// [enforcement.SupervisionSource]: each question on a few hand-built cases,
// and enforcement.SuperviseFrom over the store against enforcement.Supervise
// over the same cases. open must return a new, empty store for each call.
func RunSupervision(t *testing.T, open func(t *testing.T) SupervisionStore) {
	t.Run("TallyDue", func(t *testing.T) { testTallyDue(t, open(t)) })
	t.Run("TalliesFollowWrites", func(t *testing.T) { testTalliesFollowWrites(t, open(t)) })
	t.Run("ListDue", func(t *testing.T) { testListDue(t, open(t)) })
	t.Run("ListDueLimit", func(t *testing.T) { testListDueLimit(t, open(t)) })
	t.Run("TallyCases", func(t *testing.T) { testTallyCases(t, open(t)) })
	t.Run("SupervisedCases", func(t *testing.T) { testSupervisedCases(t, open(t)) })
	t.Run("EmptyCourt", func(t *testing.T) { testEmptyCourt(t, open(t)) })
	t.Run("SameAsSupervise", func(t *testing.T) { testSameAsSupervise(t, open(t)) })
}

var (
	mar13 = deadline.MustParseDate("2025-03-13")
	mar20 = deadline.MustParseDate("2025-03-20")
	mar31 = deadline.MustParseDate("2025-03-31")
)

// createSupervised stores five cases: in 沪01, c1 (j1, key, its case-limit
// item the applicant's), c2 (j2, closed, an unanswered request), c3 (j1, an
// order, its notice item overridden to 20 March, a request answered late)
// and c5 (j2, a request answered in time); in 沪02, c4 (j1). Every case
// has a notice item due 13 March, a case-limit item due 3 September and a
// done item.
func createSupervised(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	c1 := NewCase("c1", "沪01", "j1", 1)
	c1.Key = true
	c1.DueItems[1].Owner = string(enforcement.OwnerApplicant)
	c2 := NewCase("c2", "沪01", "j2", 2)
	c2.Status = enforcement.StatusClosed
	c2.Requests = []enforcement.Request{{ID: "r1", PartyID: "a1", Text: "询问进展", ReceivedAt: base, ResolveBy: mar13}}
	c3 := NewCase("c3", "沪01", "j1", 3)
	c3.DueItems[0].Override = &enforcement.Override{Date: mar20, Reason: "延期", By: "j1", At: base, Status: enforcement.OverrideApproved}
	c3.Orders = []enforcement.SupervisionOrder{{ID: "o1", IssuedBy: "chief", IssuedAt: base, Text: "请报告进展", Due: mar20}}
	c3.Requests = []enforcement.Request{{ID: "r1", PartyID: "a1", Text: "询问进展", ReceivedAt: base, ResolveBy: mar13,
		Answer: "已答复", AnsweredBy: "j1", AnsweredAt: mar20.Start().Add(10 * time.Hour)}}
	c4 := NewCase("c4", "沪02", "j1", 1)
	c5 := NewCase("c5", "沪01", "j2", 5)
	c5.Requests = []enforcement.Request{{ID: "r1", PartyID: "a1", Text: "询问进展", ReceivedAt: base, ResolveBy: mar20,
		Answer: "已答复", AnsweredBy: "j2", AnsweredAt: mar13.Start().Add(10 * time.Hour)}}
	for _, c := range []*enforcement.Case{c1, c2, c3, c4, c5} {
		require.NoError(t, s.Create(ctx, c, nil))
	}
}

func sortTallies(ts []enforcement.DueTally) []enforcement.DueTally {
	slices.SortFunc(ts, func(a, b enforcement.DueTally) int {
		return cmp.Or(compareBool(a.Later, b.Later), a.Due.Compare(b.Due), cmp.Compare(a.JudgeID, b.JudgeID), cmp.Compare(a.Owner, b.Owner), compareBool(a.Right, b.Right))
	})
	return ts
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

func testTallyDue(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	createSupervised(t, s)
	got, err := s.TallyDue(ctx, "沪01", mar31)
	require.NoError(t, err)
	require.Equal(t, []enforcement.DueTally{
		{Due: mar13, JudgeID: "j1", N: 1},
		{Due: mar13, JudgeID: "j2", N: 2},
		{Due: mar20, JudgeID: "j1", N: 1}, // the override is the date in force
		{Later: true, JudgeID: "j1", N: 1},
		{Later: true, JudgeID: "j1", Owner: "applicant", N: 1},
		{Later: true, JudgeID: "j2", N: 2},
	}, sortTallies(got), "done items are not counted")

	got, err = s.TallyDue(ctx, "沪01", mar13)
	require.NoError(t, err)
	require.Equal(t, []enforcement.DueTally{
		{Due: mar13, JudgeID: "j1", N: 1},
		{Due: mar13, JudgeID: "j2", N: 2},
		{Later: true, JudgeID: "j1", N: 2},
		{Later: true, JudgeID: "j1", Owner: "applicant", N: 1},
		{Later: true, JudgeID: "j2", N: 2},
	}, sortTallies(got), "through is inclusive")

	// A party's right is counted apart from the tasks.
	_, _, err = s.Update(ctx, "c5", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems = append(c.DueItems, enforcement.DueItem{ID: "objection@notice", Rule: "objection.jurisdiction", Title: "对执行管辖提出异议",
			Owner: string(enforcement.OwnerRespondent), Computed: mar13, Status: enforcement.DueOpen, Right: enforcement.RightUntil})
		return nil, nil
	})
	require.NoError(t, err)
	got, err = s.TallyDue(ctx, "沪01", mar13)
	require.NoError(t, err)
	require.Contains(t, got, enforcement.DueTally{Due: mar13, JudgeID: "j2", Owner: "respondent", Right: true, N: 1})
	require.Contains(t, got, enforcement.DueTally{Due: mar13, JudgeID: "j2", N: 2}, "tasks unchanged")
}

// testTalliesFollowWrites checks the store's counts against the cases'
// after creating, importing and updating them: a judge reassigned, items
// done, added, overridden, turned into rights.
func testTalliesFollowWrites(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	today := deadline.MustParseDate("2026-06-15")
	cases := SupervisionCases(60, "沪01", today)
	for _, c := range cases {
		require.NoError(t, s.Create(ctx, c, nil))
	}
	check := func(msg string) {
		t.Helper()
		all, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
		require.NoError(t, err)
		for _, through := range []deadline.Date{today, today.AddDays(30)} {
			want, err := enforcement.CaseSlice(all).TallyDue(ctx, "沪01", through)
			require.NoError(t, err)
			got, err := s.TallyDue(ctx, "沪01", through)
			require.NoError(t, err)
			require.Equal(t, sortTallies(want), sortTallies(got), "%s, through %s", msg, through)
		}
	}
	check("created")
	for i, c := range cases[:20] {
		_, _, err := s.Update(ctx, c.ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			switch i % 4 {
			case 0:
				c.JudgeID = "j9"
			case 1:
				c.DueItems[0].Status, c.DueItems[0].DoneOn = enforcement.DueDone, today
			case 2:
				c.DueItems = append(c.DueItems, enforcement.DueItem{ID: "objection@n", Title: "提出执行异议", Owner: string(enforcement.OwnerParty),
					Computed: today, Status: enforcement.DueOpen, Right: enforcement.RightUntil})
			case 3:
				c.JudgeID = ""
				c.DueItems[1].Override = &enforcement.Override{Date: today.AddDays(3), Reason: "延期", By: "chief", Status: enforcement.OverrideApproved}
			}
			return nil, nil
		})
		require.NoError(t, err)
	}
	check("updated")
}

func refIDs(rs []enforcement.DueRef) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.CaseID + "/" + r.Item.ID
	}
	slices.Sort(out)
	return out
}

func testListDue(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	createSupervised(t, s)
	all, err := s.ListDue(ctx, "沪01", deadline.Date{}, mar31, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"c1/notice@filing", "c2/notice@filing", "c3/notice@filing", "c5/notice@filing"}, refIDs(all))
	for _, r := range all {
		require.Equal(t, "发出执行通知书", r.Item.Title)
		require.Equal(t, "notice.enforcement_legal", r.Item.Rule)
		require.Equal(t, mar13, r.Item.Computed)
		require.Equal(t, r.CaseID == "c1", r.Key)
		require.Equal(t, fmt.Sprintf("（2025）沪01执%s号", r.CaseID[1:]), r.Number)
		require.Equal(t, map[string]string{"c1": "j1", "c2": "j2", "c3": "j1", "c5": "j2"}[r.CaseID], r.JudgeID)
		if r.CaseID == "c3" {
			require.NotNil(t, r.Item.Override)
			require.Equal(t, mar20, r.Item.Due())
		} else {
			require.Nil(t, r.Item.Override)
		}
	}

	got, err := s.ListDue(ctx, "沪01", mar13.AddDays(1), mar31, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"c3/notice@filing"}, refIDs(got), "from is inclusive of the override's date only")

	got, err = s.ListDue(ctx, "沪01", deadline.Date{}, deadline.MustParseDate("2025-12-31"), 0)
	require.NoError(t, err)
	require.Len(t, got, 8, "open items only")
}

// testListDueLimit checks ListDue with a limit: exactly the first limit
// tasks by date, case ID and item ID, whoever owns them and whether or not
// the case has a judge, and never a party's right.
func testListDueLimit(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	item := func(id, owner string, due deadline.Date) enforcement.DueItem {
		return enforcement.DueItem{ID: id, Rule: "r", Title: "节点", Owner: owner, Computed: due, Status: enforcement.DueOpen}
	}
	mar10, mar12 := deadline.MustParseDate("2025-03-10"), deadline.MustParseDate("2025-03-12")
	// Case IDs and item IDs that sort differently by bytes and by a
	// language's collation: upper case before lower, "b-2" before "b10".
	specs := []struct {
		id, judge string
		items     []enforcement.DueItem
	}{
		{"b10", "j1", []enforcement.DueItem{item("z", "handler", mar12), item("a", "court", mar12)}},
		{"b-2", "", []enforcement.DueItem{item("k", "", mar12), item("K", "court", mar13)}}, // no judge: the court's
		{"B3", "j2", []enforcement.DueItem{item("p", "platform", mar12), item("q", "respondent", mar10)}},
		{"a1", "j1", []enforcement.DueItem{item("x", "handler", mar13)}},
	}
	for i, sp := range specs {
		c := NewCase(sp.id, "沪01", sp.judge, 10+i)
		c.DueItems = sp.items
		require.NoError(t, s.Create(ctx, c, nil))
	}
	right := NewCase("r1", "沪01", "j1", 20)
	right.DueItems = []enforcement.DueItem{item("objection", "respondent", mar10), item("higher", "applicant", mar10)}
	right.DueItems[0].Right, right.DueItems[1].Right = enforcement.RightUntil, enforcement.RightFrom
	require.NoError(t, s.Create(ctx, right, nil))

	order := []string{"B3/q", "B3/p", "b-2/k", "b10/a", "b10/z", "a1/x", "b-2/K"}
	for limit := 1; limit <= len(order)+1; limit++ {
		got, err := s.ListDue(ctx, "沪01", deadline.Date{}, mar31, limit)
		require.NoError(t, err)
		var ids []string
		for _, r := range got {
			ids = append(ids, r.CaseID+"/"+r.Item.ID)
		}
		require.Equal(t, order[:min(limit, len(order))], ids, "limit %d: in order, rights left out", limit)
	}
	got, err := s.ListDue(ctx, "沪01", deadline.Date{}, mar31, 3)
	require.NoError(t, err)
	require.Equal(t, "", got[2].JudgeID, "a case without a judge is listed")
	require.Equal(t, "（2025）沪01执11号", got[2].Number)

	all, err := s.ListDue(ctx, "沪01", deadline.Date{}, mar31, 0)
	require.NoError(t, err)
	require.ElementsMatch(t, order, refPaths(all), "without a limit: every task, no right")
	got, err = s.ListDue(ctx, "沪01", mar12, mar12, 2)
	require.NoError(t, err)
	require.Equal(t, []string{"B3/p", "b-2/k"}, refPaths(got), "from and through bound the limit")
}

func refPaths(rs []enforcement.DueRef) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.CaseID + "/" + r.Item.ID
	}
	return out
}

func testTallyCases(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	createSupervised(t, s)
	got, err := s.TallyCases(ctx, "沪01")
	require.NoError(t, err)
	slices.SortFunc(got, func(a, b enforcement.CaseTally) int { return cmp.Compare(a.JudgeID, b.JudgeID) })
	require.Len(t, got, 2)
	j1, j2 := got[0], got[1]
	require.Equal(t, "j1", j1.JudgeID)
	require.Equal(t, [4]int{2, 0, 1, 1}, [4]int{j1.Open, j1.Closed, j1.KeyCases, j1.LateAnswers})
	require.Equal(t, "240000", j1.Applied.String())
	require.True(t, j1.Recovered.IsZero())
	require.Equal(t, []enforcement.DateCount{{Date: deadline.MustParseDate("2025-03-03"), N: 2}}, j1.OpenFiled)
	require.Equal(t, "j2", j2.JudgeID)
	require.Equal(t, [4]int{1, 1, 0, 0}, [4]int{j2.Open, j2.Closed, j2.KeyCases, j2.LateAnswers}, "a request answered in time is not late")
	require.Equal(t, []enforcement.DateCount{{Date: deadline.MustParseDate("2025-03-03"), N: 1}}, j2.OpenFiled)
	require.True(t, decimal.RequireFromString("240000").Equal(j2.Applied))
}

func testSupervisedCases(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	createSupervised(t, s)
	got, err := s.SupervisedCases(ctx, "沪01")
	require.NoError(t, err)
	slices.SortFunc(got, func(a, b *enforcement.Case) int { return cmp.Compare(a.ID, b.ID) })
	require.Equal(t, []string{"c1", "c2", "c3"}, ids(got), "key, open request, order; not an answered request alone")
	c1, c2, c3 := got[0], got[1], got[2]
	require.True(t, c1.Key)
	require.Equal(t, "（2025）沪01执1号", c1.Number.String())
	require.Equal(t, "j1", c1.JudgeID)
	require.Equal(t, deadline.MustParseDate("2025-03-03"), c1.FiledOn)
	require.Equal(t, []string{"notice@filing", "limit@filing"}, []string{c1.DueItems[0].ID, c1.DueItems[1].ID}, "open items in the case's order")
	require.Len(t, c1.DueItems, 2)
	require.Equal(t, "办案期限届满", c1.DueItems[1].Title)
	require.Equal(t, enforcement.StatusClosed, c2.Status)
	require.Len(t, c2.Requests, 1)
	require.Equal(t, mar13, c2.Requests[0].ResolveBy)
	require.Len(t, c3.Orders, 1)
	require.Equal(t, "请报告进展", c3.Orders[0].Text)
	require.Len(t, c3.Requests, 1, "a case's answered requests come with it")

	// The caller owns the cases.
	c1.DueItems[0].Title = "changed"
	again, err := s.SupervisedCases(ctx, "沪01")
	require.NoError(t, err)
	for _, c := range again {
		if c.ID == "c1" {
			require.Equal(t, "发出执行通知书", c.DueItems[0].Title)
		}
	}
}

func testEmptyCourt(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	createSupervised(t, s)
	tallies, err := s.TallyDue(ctx, "沪09", mar31)
	require.NoError(t, err)
	require.Empty(t, tallies)
	refs, err := s.ListDue(ctx, "沪09", deadline.Date{}, mar31, 10)
	require.NoError(t, err)
	require.Empty(t, refs)
	cases, err := s.TallyCases(ctx, "沪09")
	require.NoError(t, err)
	require.Empty(t, cases)
	sup, err := s.SupervisedCases(ctx, "沪09")
	require.NoError(t, err)
	require.Empty(t, sup)
}

// testSameAsSupervise checks SuperviseFrom over the store against
// Supervise over the same cases, on a day well inside the official
// calendar and on one whose approaching window runs past its end, with
// and without a limit on the items listed.
func testSameAsSupervise(t *testing.T, s SupervisionStore) {
	ctx := t.Context()
	cal := deadline.Official()
	for k, today := range []deadline.Date{deadline.MustParseDate("2026-06-15"), deadline.MustParseDate("2026-12-24")} {
		court := []string{"沪01", "沪02"}[k]
		cases := SupervisionCases(300, court, today)
		for _, c := range cases {
			require.NoError(t, s.Create(ctx, c, nil))
		}
		// Changes through Update count as well as those at creation.
		_, _, err := s.Update(ctx, cases[1].ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			c.Requests = append(c.Requests, enforcement.Request{ID: "r9", PartyID: "a1", Text: "申请查询车辆", ReceivedAt: today.Start(), ResolveBy: today.AddDays(-1)})
			c.Orders = append(c.Orders, enforcement.SupervisionOrder{ID: "o9", IssuedBy: "chief", Text: "请说明", IssuedAt: today.Start(), Due: today})
			c.Key = true
			return nil, nil
		})
		require.NoError(t, err)
		all, err := s.Find(ctx, enforcement.CaseFilter{Court: court})
		require.NoError(t, err)
		for _, limit := range []int{0, 1, 25, 10_000} {
			cfg := enforcement.SupervisionConfig{DueLimit: limit}
			want, err := enforcement.Supervise(all, today, cal, cfg)
			require.NoError(t, err)
			got, err := enforcement.SuperviseFrom(ctx, s, court, today, cal, cfg)
			require.NoError(t, err)
			require.NotEmpty(t, want.Due)
			require.NotEmpty(t, want.Requests)
			require.NotEmpty(t, want.Orders)
			require.NotEmpty(t, want.KeyCases)
			if today.Month == 12 {
				require.NotEmpty(t, want.Unclassified, "items due past the calendar's end near today")
			}
			require.Equal(t, reportJSON(t, want), reportJSON(t, got), "%s, limit %d", today, limit)
		}
	}
	_, err := enforcement.SuperviseFrom(ctx, s, "沪01", deadline.MustParseDate("2031-01-05"), cal, enforcement.SupervisionConfig{})
	require.Error(t, err, "a day the calendar does not cover")
}

func reportJSON(t *testing.T, rep enforcement.Report) string {
	t.Helper()
	b, err := json.MarshalIndent(rep, "", " ")
	require.NoError(t, err)
	return string(b)
}

// SupervisionCases returns n seeded cases of court, with IDs prefixed by
// the court, over 6 judges and none, with everything the chief's report
// reads on day today: key and closed cases, due items of every owner from
// long overdue to beyond the official calendar, parties' rights,
// overrides, two items due the same day, a zero due date, party requests (open, late, answered late) and
// supervision orders (open, overdue, answered).
func SupervisionCases(n int, court string, today deadline.Date) []*enforcement.Case {
	r := rand.New(rand.NewPCG(0x5eed, 0xc0de))
	owners := []enforcement.Owner{"", enforcement.OwnerHandler, enforcement.OwnerCourt, enforcement.OwnerApplicant, enforcement.OwnerRespondent, enforcement.OwnerPlatform}
	at := func(d deadline.Date) time.Time { return d.Start().Add(10 * time.Hour) }
	out := make([]*enforcement.Case, n)
	for i := range out {
		c := NewCase(fmt.Sprintf("%s-c%05d", court, i), court, fmt.Sprintf("j%d", r.IntN(6)), i+1)
		c.FiledOn = today.AddDays(-r.IntN(400))
		c.ReceivedOn = c.FiledOn
		c.Key = r.IntN(20) == 0
		if r.IntN(3) == 0 {
			c.Status = enforcement.StatusClosed
		}
		if r.IntN(12) == 0 {
			c.JudgeID = "" // none assigned
		}
		c.AmountApplied = decimal.New(int64(r.IntN(10_000_000)), -2)
		c.AmountRecovered = decimal.New(int64(r.IntN(1_000_000)), -2)
		c.DueItems = make([]enforcement.DueItem, 6)
		for j := range c.DueItems {
			due := today.AddDays(r.IntN(240) - 40)
			if j > 0 && r.IntN(3) == 0 {
				due = c.DueItems[j-1].Computed // two items due the same day
			}
			// IDs out of list order, so that the store must keep the order.
			d := enforcement.DueItem{ID: fmt.Sprintf("rule%d@n", 9-j), Rule: fmt.Sprintf("rule%d", j), Title: fmt.Sprintf("节点%d", j), Owner: string(owners[r.IntN(len(owners))]),
				Computed: due, Status: enforcement.DueOpen, Severity: []enforcement.Severity{enforcement.SeverityInfo, enforcement.SeverityWarning, enforcement.SeverityCritical}[r.IntN(3)]}
			switch r.IntN(12) {
			case 0, 1, 2:
				d.Status = enforcement.DueDone
			case 3:
				d.Override = &enforcement.Override{Date: due.AddDays(r.IntN(20) - 5), Reason: "延期", By: "j", Status: []enforcement.OverrideStatus{enforcement.OverridePending, enforcement.OverrideApproved}[r.IntN(2)]}
			case 4:
				d.Provisional = true
			case 5:
				d.Owner, d.Right = string(enforcement.OwnerRespondent), enforcement.RightUntil
			}
			c.DueItems[j] = d
		}
		if i == 7 {
			c.DueItems[0].Computed = deadline.Date{} // corrupt data must not be lost
			c.DueItems[0].Status, c.DueItems[0].Override = enforcement.DueOpen, nil
		}
		if r.IntN(15) == 0 {
			req := enforcement.Request{ID: "r1", PartyID: "a1", Channel: "phone", Text: "询问进展", ReceivedAt: at(today.AddDays(-20)),
				RecordBy: today.AddDays(-18), ResolveBy: today.AddDays(r.IntN(20) - 10)}
			if r.IntN(2) == 0 {
				req.Answer, req.AnsweredBy, req.AnsweredAt = "已答复", "j", at(today.AddDays(-r.IntN(15)))
			}
			c.Requests = append(c.Requests, req)
		}
		if r.IntN(25) == 0 {
			o := enforcement.SupervisionOrder{ID: "o1", IssuedBy: "chief", IssuedAt: at(today.AddDays(-10)), Text: "请报告进展", Due: today.AddDays(r.IntN(14) - 7)}
			if r.IntN(2) == 0 {
				o.Response, o.RespondedBy, o.RespondedAt = "已报告", "j", at(today.AddDays(-r.IntN(8)))
			}
			c.Orders = append(c.Orders, o)
		}
		out[i] = c
	}
	return out
}
