// Package storetest is the conformance suite for zhixing's storage ports.
// Every store (the in-memory one, the SQL one on SQLite, PostgreSQL and
// MariaDB, and a vendor's own) must pass it:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Store { return mystore.New(…) })
//	}
//
// [RunSupervision] checks the answers a store gives the chief's report
// ([enforcement.SupervisionSource]), [RunOutbox] the outbox and [RunPlans]
// the plan store.
package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Store is what the suite exercises: the case store, its event log and its
// due-item index.
type Store interface {
	enforcement.CaseStore
	enforcement.EventLog
	enforcement.DueIndex
}

// Run runs the conformance suite. open must return a new, empty store for
// each call; the suite closes nothing (use t.Cleanup in open).
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("CreateGet", func(t *testing.T) { testCreateGet(t, open(t)) })
	t.Run("CreateConflict", func(t *testing.T) { testCreateConflict(t, open(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, open(t)) })
	t.Run("UpdateVersionAndEvents", func(t *testing.T) { testUpdate(t, open(t)) })
	t.Run("UpdateFuncErrorWritesNothing", func(t *testing.T) { testUpdateAbort(t, open(t)) })
	t.Run("ConcurrentUpdatesNeverOverwrite", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("EventsDeduplicatedAndPaged", func(t *testing.T) { testEvents(t, open(t)) })
	t.Run("Find", func(t *testing.T) { testFind(t, open(t)) })
	t.Run("FindRequestsAndOrders", func(t *testing.T) { testFindRequestsOrders(t, open(t)) })
	t.Run("FindOpenSolicitations", func(t *testing.T) { testFindSolicitations(t, open(t)) })
	t.Run("DueItems", func(t *testing.T) { testDue(t, open(t)) })
	t.Run("DueItemsWarnedBy", func(t *testing.T) { testDueWarned(t, open(t)) })
	t.Run("NoSharedMemory", func(t *testing.T) { testNoSharedMemory(t, open(t)) })
	t.Run("Revision", func(t *testing.T) { testRevision(t, open(t)) })
	t.Run("IDsCompareExactly", func(t *testing.T) { testIDsExact(t, open(t)) })
	t.Run("FindOrderedByFilingDateThenID", func(t *testing.T) { testFindOrder(t, open(t)) })
	t.Run("DueItemsUseOverride", func(t *testing.T) { testDueOverride(t, open(t)) })
}

var base = time.Date(2025, 3, 3, 9, 0, 0, 0, deadline.China)

// NewCase returns a valid filed case for tests, with two open due items and
// one done, numbered （year）court执seq号.
func NewCase(id, court, judge string, seq int) *enforcement.Case {
	num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（2025）%s执%d号", court, seq))
	if err != nil {
		panic(err)
	}
	filed := deadline.MustParseDate("2025-03-03")
	return &enforcement.Case{
		ID: id, Number: num, Court: court, Cause: "民间借贷纠纷", JudgeID: judge,
		Source:          enforcement.SourceDocument{Title: "民事判决书", Number: "（2024）沪0115民初1号"},
		AmountApplied:   decimal.RequireFromString("120000.00"),
		AmountRecovered: decimal.RequireFromString("0"),
		ReceivedOn:      filed, FiledOn: filed, Status: enforcement.StatusOpen,
		QueryCode: "Q" + id,
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000", IDNumber: enforcement.NewIDNumber("11010519491231002X")},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
		DueItems: []enforcement.DueItem{
			{ID: "notice@filing", Rule: "notice.enforcement_legal", Title: "发出执行通知书", Trigger: filed, Computed: deadline.MustParseDate("2025-03-13"), Status: enforcement.DueOpen, Basis: "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十条",
				Steps: []deadline.Step{{Code: "start", Date: filed, Text: "起算日"}}},
			{ID: "limit@filing", Rule: "case.limit", Title: "办案期限届满", Trigger: filed, Computed: deadline.MustParseDate("2025-09-03"), Status: enforcement.DueOpen},
			{ID: "assign@filing", Rule: "case.assign_handler", Title: "确定承办人", Trigger: filed, Computed: deadline.MustParseDate("2025-03-10"), Status: enforcement.DueDone, DoneOn: filed},
		},
	}
}

func event(c *enforcement.Case, kind enforcement.EventKind, ref string) enforcement.Event {
	return enforcement.Event{ID: c.ID + "/" + string(kind) + "/" + ref, Kind: kind, CaseID: c.ID, Court: c.Court, Ref: ref, At: base}
}

func testCreateGet(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, []enforcement.Event{event(c, enforcement.EventCaseFiled, "c1")}))
	require.EqualValues(t, 1, c.Version)
	got, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.EqualValues(t, 1, got.Version)
	require.Equal(t, "11010519491231002X", got.Parties[0].IDNumber.Reveal(), "identity numbers are stored in full")
	require.Equal(t, c.Number, got.Number)
	require.True(t, c.AmountApplied.Equal(got.AmountApplied))
	require.Equal(t, c.DueItems[0].Steps, got.DueItems[0].Steps)
	require.Equal(t, c.DueItems[0].Computed, got.DueItems[0].Computed)
	require.Equal(t, c.FiledOn, got.FiledOn)
	require.Equal(t, c.Parties[0].Mobile, got.Parties[0].Mobile)
}

func testCreateConflict(t *testing.T, s Store) {
	ctx := t.Context()
	require.NoError(t, s.Create(ctx, NewCase("c1", "沪01", "j1", 1), nil))
	err := s.Create(ctx, NewCase("c1", "沪01", "j1", 2), nil)
	require.ErrorIs(t, err, enforcement.ErrConflict, "same ID")
	err = s.Create(ctx, NewCase("c2", "沪01", "j1", 1), nil)
	require.ErrorIs(t, err, enforcement.ErrConflict, "same court and number")
	require.NoError(t, s.Create(ctx, NewCase("c3", "沪0115", "j1", 1), nil), "same sequence in another court")
}

func testNotFound(t *testing.T, s Store) {
	ctx := t.Context()
	_, err := s.Get(ctx, "missing")
	require.ErrorIs(t, err, enforcement.ErrNotFound)
	_, _, err = s.Update(ctx, "missing", func(c *enforcement.Case) ([]enforcement.Event, error) { return nil, nil })
	require.ErrorIs(t, err, enforcement.ErrNotFound)
}

func testUpdate(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, []enforcement.Event{event(c, enforcement.EventCaseFiled, "c1")}))
	got, evs, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Key = true
		c.DueItems[0].Status = enforcement.DueDone
		return []enforcement.Event{event(c, enforcement.EventNodeRecorded, "n1"), event(c, enforcement.EventDueCompleted, "n1")}, nil
	})
	require.NoError(t, err)
	require.EqualValues(t, 2, got.Version)
	require.Len(t, evs, 2)
	require.Greater(t, evs[1].Seq, evs[0].Seq)
	reread, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.True(t, reread.Key)
	require.EqualValues(t, 2, reread.Version)
	require.Equal(t, enforcement.DueDone, reread.DueItems[0].Status)
	all, err := s.EventsAfter(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
}

func testUpdateAbort(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, nil))
	boom := errors.New("boom")
	_, _, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Key = true
		return []enforcement.Event{event(c, enforcement.EventNodeRecorded, "x")}, boom
	})
	require.ErrorIs(t, err, boom)
	got, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.False(t, got.Key)
	require.EqualValues(t, 1, got.Version)
	evs, err := s.EventsAfter(ctx, 0, 0)
	require.NoError(t, err)
	require.Empty(t, evs)
}

func testConcurrent(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, nil))
	const writers = 8
	const each = 10
	var mu sync.Mutex
	wins := 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, _, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
					// A read-modify-write that loses increments if a store
					// silently overwrites a concurrent change.
					n := len(c.Requests)
					c.Requests = append(c.Requests[:n:n], enforcement.Request{ID: fmt.Sprintf("r%d-%d", w, i), PartyID: "a1", Text: "x"})
					return []enforcement.Event{event(c, enforcement.EventRequestReceived, fmt.Sprintf("r%d-%d", w, i))}, nil
				})
				if err != nil {
					if !errors.Is(err, enforcement.ErrConflict) {
						t.Errorf("update: %v", err)
					}
					continue
				}
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, got.Requests, wins, "every successful update is kept, none overwritten")
	require.EqualValues(t, 1+wins, got.Version)
	evs, err := s.EventsAfter(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, wins, "events are written with their change and only then")
}

func testEvents(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, []enforcement.Event{event(c, enforcement.EventCaseFiled, "c1")}))
	for i := range 5 {
		_, evs, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
			return []enforcement.Event{event(c, enforcement.EventNodeRecorded, fmt.Sprint(i)), event(c, enforcement.EventCaseFiled, "c1")}, nil
		})
		require.NoError(t, err)
		require.Len(t, evs, 1, "an event ID already logged is not logged again")
	}
	page1, err := s.EventsAfter(ctx, 0, 4)
	require.NoError(t, err)
	require.Len(t, page1, 4)
	page2, err := s.EventsAfter(ctx, page1[3].Seq, 4)
	require.NoError(t, err)
	require.Len(t, page2, 2)
	require.Equal(t, "c1/node_recorded/4", page2[1].ID)
	none, err := s.EventsAfter(ctx, page2[1].Seq, 4)
	require.NoError(t, err)
	require.Empty(t, none)
}

func testFind(t *testing.T, s Store) {
	ctx := t.Context()
	for i, spec := range []struct{ court, judge string }{{"沪01", "j1"}, {"沪01", "j2"}, {"沪01", "j1"}, {"沪0115", "j1"}} {
		c := NewCase(fmt.Sprintf("c%d", i), spec.court, spec.judge, i+1)
		c.Key = i == 2
		require.NoError(t, s.Create(ctx, c, nil))
	}
	got, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Equal(t, []string{"c0", "c1", "c2"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", JudgeID: "j1"})
	require.NoError(t, err)
	require.Equal(t, []string{"c0", "c2"}, ids(got))
	yes := true
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", Key: &yes})
	require.NoError(t, err)
	require.Equal(t, []string{"c2"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", Limit: 2, Offset: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"c1", "c2"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Number: "（2025）沪0115执4号"})
	require.NoError(t, err)
	require.Equal(t, []string{"c3"}, ids(got))
}

func testFindRequestsOrders(t *testing.T, s Store) {
	ctx := t.Context()
	answered := base.Add(time.Hour)
	for i, spec := range []struct {
		requests []enforcement.Request
		orders   []enforcement.SupervisionOrder
	}{
		{}, // c0: neither
		{requests: []enforcement.Request{{ID: "r1", PartyID: "a1", Text: "询问进展", ReceivedAt: base}}},                                      // c1: one open
		{requests: []enforcement.Request{{ID: "r1", PartyID: "a1", Text: "询问进展", ReceivedAt: base, Answer: "已答复", AnsweredAt: answered}}}, // c2: answered
		{orders: []enforcement.SupervisionOrder{{ID: "o1", Text: "请报告进展", IssuedAt: base, Due: deadline.MustParseDate("2025-03-10")}}},    // c3: open order
		{orders: []enforcement.SupervisionOrder{{ID: "o1", Text: "请报告进展", IssuedAt: base, Response: "已报告", RespondedAt: answered}}},       // c4: answered order
	} {
		c := NewCase(fmt.Sprintf("c%d", i), "沪01", "j1", i+1)
		c.Requests, c.Orders = spec.requests, spec.orders
		require.NoError(t, s.Create(ctx, c, nil))
	}
	got, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenRequests: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c1"}, ids(got), "only unanswered requests count")
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", HasOrders: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c3", "c4"}, ids(got), "answered orders count too")

	// Updates keep the filters current.
	_, _, err = s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Requests[0].Answer, c.Requests[0].AnsweredAt = "已答复", answered
		return nil, nil
	})
	require.NoError(t, err)
	_, _, err = s.Update(ctx, "c0", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Requests = append(c.Requests, enforcement.Request{ID: "r9", PartyID: "a1", Text: "申请查询车辆", ReceivedAt: base})
		c.Orders = append(c.Orders, enforcement.SupervisionOrder{ID: "o9", Text: "请说明", IssuedAt: base, Due: deadline.MustParseDate("2025-03-10")})
		return nil, nil
	})
	require.NoError(t, err)
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenRequests: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c0"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", HasOrders: true, JudgeID: "j1"})
	require.NoError(t, err)
	require.Equal(t, []string{"c0", "c3", "c4"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪0115", HasOrders: true})
	require.NoError(t, err)
	require.Empty(t, got, "filters combine with the court")
}

func testFindSolicitations(t *testing.T, s Store) {
	ctx := t.Context()
	ask := func(id, code string, answered bool) enforcement.Solicitation {
		sol := enforcement.Solicitation{ID: id, PartyID: "a1", ReplyCode: code, Purpose: enforcement.ClosureZhongBen,
			Summary: "拟终结本次执行程序", AskedOn: deadline.MustParseDate("2025-03-05"), At: base, By: "j1", ReplyBy: deadline.MustParseDate("2025-03-12")}
		if answered {
			sol.Answer = &enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms", ReceivedAt: base.Add(time.Hour)}
		}
		return sol
	}
	for i, spec := range []struct {
		court  string
		sols   []enforcement.Solicitation
		closed bool
	}{
		{court: "沪01"}, // c0: none
		{court: "沪01", sols: []enforcement.Solicitation{ask("s1", "A1B2", false)}},                           // c1: one open
		{court: "沪01", sols: []enforcement.Solicitation{ask("s1", "A1B2", true)}},                            // c2: answered
		{court: "沪01", sols: []enforcement.Solicitation{ask("s1", "A1B2", true), ask("s2", "C3D4", false)}},  // c3: answered, then asked again
		{court: "沪01", sols: []enforcement.Solicitation{ask("s1", "A1B2", false)}, closed: true},             // c4: closed, still awaiting
		{court: "沪0115", sols: []enforcement.Solicitation{ask("s1", "A1B2", false)}},                         // c5: another court
		{court: "沪01", sols: []enforcement.Solicitation{ask("s1", "A1B2", false), ask("s2", "C3D4", false)}}, // c6: two open
	} {
		c := NewCase(fmt.Sprintf("c%d", i), spec.court, "j1", i+1)
		c.Solicitations = spec.sols
		if spec.closed {
			c.Status = enforcement.StatusClosed
		}
		require.NoError(t, s.Create(ctx, c, nil))
	}
	got, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenSolicitations: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c1", "c3", "c4", "c6"}, ids(got), "only cases with an unanswered solicitation, closed or not")
	for _, c := range got {
		require.True(t, slices.ContainsFunc(c.Solicitations, func(x enforcement.Solicitation) bool { return x.Answer == nil }), c.ID)
	}
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenSolicitations: true, Status: enforcement.StatusOpen})
	require.NoError(t, err)
	require.Equal(t, []string{"c1", "c3", "c6"}, ids(got), "the filter combines with the others")

	// Updates keep the filter current: answering the last open one drops
	// the case, answering one of two keeps it, asking adds one.
	answer := func(id, sol string) {
		t.Helper()
		_, _, err := s.Update(ctx, id, func(c *enforcement.Case) ([]enforcement.Event, error) {
			i := slices.IndexFunc(c.Solicitations, func(x enforcement.Solicitation) bool { return x.ID == sol })
			c.Solicitations[i].Answer = &enforcement.Opinion{Choice: enforcement.OpinionDisagree, Channel: "sms", ReceivedAt: base.Add(2 * time.Hour)}
			return nil, nil
		})
		require.NoError(t, err)
	}
	answer("c1", "s1")
	answer("c6", "s1")
	_, _, err = s.Update(ctx, "c0", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Solicitations = append(c.Solicitations, ask("s9", "E5F6", false))
		return nil, nil
	})
	require.NoError(t, err)
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenSolicitations: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c0", "c3", "c4", "c6"}, ids(got))
	answer("c6", "s2")
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenSolicitations: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c0", "c3", "c4"}, ids(got))
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪0115", OpenSolicitations: true})
	require.NoError(t, err)
	require.Equal(t, []string{"c5"}, ids(got), "filters combine with the court")
}

func ids(cs []*enforcement.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func testDue(t *testing.T, s Store) {
	ctx := t.Context()
	require.NoError(t, s.Create(ctx, NewCase("c1", "沪01", "j1", 1), nil))
	require.NoError(t, s.Create(ctx, NewCase("c2", "沪01", "j2", 2), nil))
	require.NoError(t, s.Create(ctx, NewCase("c3", "沪0115", "j1", 3), nil))
	got, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", OpenOnly: true})
	require.NoError(t, err)
	require.Len(t, got, 4)
	require.Equal(t, "c1", got[0].CaseID)
	require.Equal(t, "notice@filing", got[0].Item.ID)
	require.Equal(t, "（2025）沪01执1号", got[0].Number)
	got, err = s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", JudgeID: "j2", DueBefore: deadline.MustParseDate("2025-03-31")})
	require.NoError(t, err)
	require.Len(t, got, 2, "one open and one done item due by then")
	got, err = s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", OpenOnly: true, DueBefore: deadline.MustParseDate("2025-03-31")})
	require.NoError(t, err)
	require.Len(t, got, 2)
	// An update re-indexes the items.
	_, _, err = s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Status = enforcement.DueDone
		return nil, nil
	})
	require.NoError(t, err)
	got, err = s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", OpenOnly: true, DueBefore: deadline.MustParseDate("2025-03-31")})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "c2", got[0].CaseID)
}

func testDueWarned(t *testing.T, s Store) {
	ctx := t.Context()
	c1 := NewCase("c1", "沪01", "j1", 1)
	// The handling limit (2025-09-03) is reminded of a month and ten days
	// before.
	c1.DueItems[1].Warnings = []deadline.Date{deadline.MustParseDate("2025-08-24"), deadline.MustParseDate("2025-08-04")}
	require.NoError(t, s.Create(ctx, c1, nil))
	require.NoError(t, s.Create(ctx, NewCase("c2", "沪01", "j1", 2), nil)) // no reminder dates
	dueIDs := func(rs []enforcement.DueRef) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.CaseID+"/"+r.Item.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name                       string
		dueFrom, dueBefore, warned string
		want                       []string
	}{
		{"before the first reminder date", "", "2025-03-31", "2025-08-03", []string{"c1/notice@filing", "c2/notice@filing"}},
		{"on the first reminder date", "", "2025-03-31", "2025-08-04", []string{"c1/notice@filing", "c2/notice@filing", "c1/limit@filing"}},
		{"due by then anyway", "", "2025-09-30", "2025-08-04", []string{"c1/notice@filing", "c2/notice@filing", "c1/limit@filing", "c2/limit@filing"}},
		{"from a date: reminded only", "2025-04-01", "2025-03-31", "2025-08-04", []string{"c1/limit@filing"}},
		{"from a date: due or reminded", "2025-04-01", "2025-09-30", "2025-08-03", []string{"c1/limit@filing", "c2/limit@filing"}},
		{"from the due date itself", "2025-09-03", "2025-09-03", "", []string{"c1/limit@filing", "c2/limit@filing"}},
		{"from after everything", "2025-09-04", "2025-09-30", "2025-08-04", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			date := func(s string) deadline.Date {
				if s == "" {
					return deadline.Date{}
				}
				return deadline.MustParseDate(s)
			}
			got, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", JudgeID: "j1", OpenOnly: true,
				DueFrom: date(tt.dueFrom), DueBefore: date(tt.dueBefore), WarnedBy: date(tt.warned)})
			require.NoError(t, err)
			require.Equal(t, tt.want, dueIDs(got))
		})
	}
	// A done item is not kept by its reminder date under OpenOnly.
	_, _, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[1].Status = enforcement.DueDone
		return nil, nil
	})
	require.NoError(t, err)
	got, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", OpenOnly: true,
		DueBefore: deadline.MustParseDate("2025-03-31"), WarnedBy: deadline.MustParseDate("2025-08-31")})
	require.NoError(t, err)
	require.Equal(t, []string{"c1/notice@filing", "c2/notice@filing"}, dueIDs(got))
}

func testNoSharedMemory(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, nil))
	c.Parties[0].Name = "changed after create"
	got, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, "张三", got.Parties[0].Name)
	got.DueItems[0].Title = "changed after get"
	again, err := s.Get(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, "发出执行通知书", again.DueItems[0].Title)
}

// testRevision checks [enforcement.Revisions] on stores that have it: every
// change to a court's cases, even one that writes no event, raises the
// court's revision, so that a view kept under the old one is not served.
func testRevision(t *testing.T, s Store) {
	rs, ok := s.(enforcement.Revisions)
	if !ok {
		t.Skip("the store does not implement enforcement.Revisions")
	}
	ctx := t.Context()
	rev := func(court string) int64 {
		t.Helper()
		r, err := rs.Revision(ctx, court)
		require.NoError(t, err)
		return r
	}
	last := rev("沪01")
	raised := func(what string) {
		t.Helper()
		r := rev("沪01")
		require.Greater(t, r, last, what)
		last = r
	}
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, []enforcement.Event{event(c, enforcement.EventCaseFiled, "c1")}))
	raised("create")
	_, _, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Status = enforcement.DueDone
		return []enforcement.Event{event(c, enforcement.EventDueCompleted, "n1")}, nil
	})
	require.NoError(t, err)
	raised("update with an event")
	_, _, err = s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Key = true
		return nil, nil
	})
	require.NoError(t, err)
	raised("update without an event")

	// Concurrent changes each count: the revision after all of them is
	// above the one before by at least one.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			c := NewCase(fmt.Sprintf("p%d", i), "沪01", "j2", 100+i)
			if err := s.Create(ctx, c, nil); err != nil {
				t.Errorf("create %s: %v", c.ID, err)
			}
		})
	}
	wg.Wait()
	raised("concurrent creates")
}
