package planning_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// d returns a civil date.
func d(y int, m time.Month, day int) deadline.Date { return deadline.NewDate(y, m, day) }

// cst returns an instant in China Standard Time.
func cst(y int, m time.Month, day, hour, minute int) time.Time {
	return time.Date(y, m, day, hour, minute, 0, 0, deadline.China)
}

// week41 is 2024-W41, Monday 2024-10-07 (the last day of the National Day
// holiday) to Sunday 2024-10-13; Saturday 2024-10-12 is a make-up workday.
var week41 = planning.Week{Year: 2024, Number: 41}

// planCase returns judge j-zhang's case c1 with two open due items.
func planCase(tb testing.TB) *enforcement.Case {
	tb.Helper()
	n, err := enforcement.ParseCaseNumber("（2024）沪0115执1234号")
	require.NoError(tb, err)
	return &enforcement.Case{
		ID: "c1", Number: n, Court: n.Court, JudgeID: "j-zhang", Status: enforcement.StatusOpen, Version: 3,
		DueItems: []enforcement.DueItem{
			{ID: "notice", Title: "发出执行通知书", Computed: d(2024, 10, 8), Status: enforcement.DueOpen,
				Basis: "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第22条", Severity: enforcement.SeverityCritical},
			{ID: "report", Title: "财产调查", Computed: d(2024, 10, 14), Status: enforcement.DueOpen},
		},
	}
}

func change(tb testing.TB, cases ...*enforcement.Case) planning.Change {
	tb.Helper()
	return planning.Change{By: "j-zhang", At: cst(2024, 10, 6, 18, 0), Cases: planning.LookupCases(cases...)}
}

func TestParseWeek(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         string
		want       planning.Week
		monday     deadline.Date
		wantErr    bool
		sourceNote string
	}{
		{"2026-W48", planning.Week{2026, 48}, d(2026, 11, 23), false, "ISO 8601"},
		{"2024-W41", week41, d(2024, 10, 7), false, "National Day week"},
		{"2025-W01", planning.Week{2025, 1}, d(2024, 12, 30), false, "week 1 starts in the previous calendar year"},
		{"2020-W53", planning.Week{2020, 53}, d(2020, 12, 28), false, "a 53-week year"},
		{"2025-W53", planning.Week{}, deadline.Date{}, true, "2025 has 52 weeks"},
		{"2026-W53", planning.Week{2026, 53}, d(2026, 12, 28), false, "2026 starts on a Thursday: 53 weeks"},
		{"2026-W00", planning.Week{}, deadline.Date{}, true, "no week 0"},
		{"2026W48", planning.Week{}, deadline.Date{}, true, "missing dash"},
		{"2026-w48", planning.Week{}, deadline.Date{}, true, "lower-case w"},
		{"２026-W48", planning.Week{}, deadline.Date{}, true, "full-width digit"},
		{"", planning.Week{}, deadline.Date{}, true, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+tt.sourceNote, func(t *testing.T) {
			t.Parallel()
			got, err := planning.ParseWeek(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, planning.ErrInvalidWeek)
				require.Zero(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.in, got.String())
			require.Equal(t, tt.monday, got.Start())
			require.Equal(t, time.Monday, got.Start().Weekday())
			require.Equal(t, time.Sunday, got.End().Weekday())
			require.Equal(t, got, planning.WeekOf(got.Start()))
			require.Equal(t, got, planning.WeekOf(got.End()))
			require.True(t, got.Contains(got.End()))
			require.False(t, got.Contains(got.End().AddDays(1)))
			require.False(t, got.Contains(got.Start().AddDays(-1)))
			require.Equal(t, got.Start().AddDays(7), got.Add(1).Start())
		})
	}
}

func TestWeek_Text(t *testing.T) {
	t.Parallel()
	b, err := week41.MarshalText()
	require.NoError(t, err)
	require.Equal(t, "2024-W41", string(b))
	var w planning.Week
	require.NoError(t, w.UnmarshalText(b))
	require.Equal(t, week41, w)
	require.ErrorIs(t, w.UnmarshalText([]byte("2024-W99")), planning.ErrInvalidWeek)
	_, err = planning.Week{2025, 53}.MarshalText()
	require.ErrorIs(t, err, planning.ErrInvalidWeek)
}

func FuzzParseWeek(f *testing.F) {
	f.Add("2026-W48") // valid
	f.Add("2020-W53") // valid 53rd week
	f.Add("2025-W53") // no such week
	f.Add("0000-W01") // year 0
	f.Add("9999-W52") // last year
	f.Add("2026-W4")  // too short
	f.Add("")         // empty
	f.Fuzz(func(t *testing.T, s string) {
		w, err := planning.ParseWeek(s)
		if err != nil {
			if !w.IsZero() {
				t.Fatalf("ParseWeek(%q) = %v with error %v", s, w, err)
			}
			return
		}
		if s != w.String() {
			t.Fatalf("ParseWeek(%q).String() = %q", s, w.String())
		}
		if w2, err := planning.ParseWeek(w.String()); err != nil || w2 != w {
			t.Fatalf("round trip of %q: %v, %v", s, w2, err)
		}
		if planning.WeekOf(w.Start()) != w {
			t.Fatalf("WeekOf(%v.Start()) = %v", w, planning.WeekOf(w.Start()))
		}
	})
}

// newPlan returns j-zhang's draft plan for week41 with one all-day task on
// the notice due item.
func newPlan(t *testing.T, c *enforcement.Case) planning.Plan {
	t.Helper()
	p := planning.NewPlan("沪0115", "j-zhang", week41)
	require.NoError(t, p.AddItem(planning.Item{ID: "i1", Kind: planning.KindTask, CaseID: "c1", DueID: "notice", Title: "发出执行通知书", Day: d(2024, 10, 8)}, change(t, c)))
	require.NoError(t, p.Validate())
	return p
}

func pudong(start, end time.Time) *planning.Trip {
	return &planning.Trip{Start: start, End: end, Place: planning.Place{Address: "浦东新区张江路100号", Division: "310115"}, Purpose: "现场调查被执行人财产"}
}

func TestPlan_AddItem_Invalid(t *testing.T) {
	t.Parallel()
	c := planCase(t)
	tests := []struct {
		name string
		item planning.Item
		want []error
	}{
		{"EndBeforeStart", planning.Item{ID: "x", Kind: planning.KindHearing, Title: "约谈被执行人", Start: cst(2024, 10, 9, 10, 0), End: cst(2024, 10, 9, 9, 0)},
			[]error{planning.ErrItemEndBeforeStart}},
		{"DayOutsideWeek", planning.Item{ID: "x", Kind: planning.KindTask, Title: "t", Day: d(2024, 10, 14)},
			[]error{planning.ErrOutsideWeek}},
		{"TripEndsNextWeek", planning.Item{ID: "x", Kind: planning.KindTrip, Title: "外出", Trip: pudong(cst(2024, 10, 13, 9, 0), cst(2024, 10, 14, 0, 30))},
			[]error{planning.ErrOutsideWeek}},
		{"TripStartsLastWeek", planning.Item{ID: "x", Kind: planning.KindTrip, Title: "外出", Trip: pudong(cst(2024, 10, 6, 23, 0), cst(2024, 10, 7, 9, 0))},
			[]error{planning.ErrOutsideWeek}},
		{"TripWithoutPlace", planning.Item{ID: "x", Kind: planning.KindTrip, Title: "外出", Trip: &planning.Trip{Start: cst(2024, 10, 9, 9, 0), End: cst(2024, 10, 9, 11, 0)}},
			[]error{planning.ErrTripNoPlace}},
		{"UnknownCase", planning.Item{ID: "x", Kind: planning.KindTask, CaseID: "c9", Title: "t", Day: d(2024, 10, 8)},
			[]error{planning.ErrUnknownCase}},
		{"DueNotOnCase", planning.Item{ID: "x", Kind: planning.KindTask, CaseID: "c1", DueID: "auction", Title: "t", Day: d(2024, 10, 8)},
			[]error{planning.ErrUnknownDue}},
		{"DuplicateID", planning.Item{ID: "i1", Kind: planning.KindTask, Title: "t", Day: d(2024, 10, 8)},
			[]error{planning.ErrDuplicateItem}},
		{"NoTime", planning.Item{ID: "x", Kind: planning.KindTask, Title: "t"},
			[]error{planning.ErrItemNoTime}},
		{"EveryProblemAtOnce", planning.Item{ID: "x", Kind: "meeting", CaseID: "c9", DueID: "notice", Start: cst(2024, 10, 20, 10, 0), End: cst(2024, 10, 20, 9, 0)},
			[]error{planning.ErrInvalidItem, planning.ErrItemEndBeforeStart, planning.ErrOutsideWeek, planning.ErrUnknownCase}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newPlan(t, c)
			before := p.Clone()
			err := p.AddItem(tt.item, change(t, c))
			require.ErrorIs(t, err, planning.ErrInvalidPlan)
			for _, want := range tt.want {
				require.ErrorIs(t, err, want)
			}
			var pe *planning.PlanError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, "add", pe.Op)
			require.Equal(t, *before, p, "the plan is unchanged")
		})
	}
}

func TestPlan_EveryProblemListed(t *testing.T) {
	t.Parallel()
	c := planCase(t)
	p := newPlan(t, c)
	err := p.AddItem(planning.Item{ID: "x", Kind: planning.KindHearing, CaseID: "c1", DueID: "auction", Title: "约谈",
		Start: cst(2024, 10, 20, 10, 0), End: cst(2024, 10, 20, 9, 0)}, planning.Change{})
	var pe *planning.PlanError
	require.ErrorAs(t, err, &pe)
	var fields []string
	for _, e := range pe.Problems {
		var ie *planning.ItemError
		require.True(t, errors.As(e, &ie))
		fields = append(fields, ie.Field)
	}
	// No author, no time, end before start, start and end outside the
	// week, and no case lookup to find c1 in.
	require.Equal(t, []string{"Change.By", "Change.At", "End", "Start", "End", "CaseID"}, fields)
}

func TestPlan_Trips(t *testing.T) {
	t.Parallel()
	c := planCase(t)
	p := newPlan(t, c)
	require.NoError(t, p.AddItem(planning.Item{ID: "t1", Kind: planning.KindTrip, CaseID: "c1", Title: "现场调查", Trip: pudong(cst(2024, 10, 9, 9, 0), cst(2024, 10, 9, 11, 0))}, change(t, c)))
	it, ok := p.Item("t1")
	require.True(t, ok)
	require.Equal(t, cst(2024, 10, 9, 9, 0), it.Start, "the item takes the trip's times")
	trips := p.Trips()
	require.Len(t, trips, 1)
	require.Equal(t, "j-zhang/2024-W41/t1", trips[0].ID)
	require.Equal(t, "j-zhang", trips[0].JudgeID)

	// Another judge's trip to the same district the same morning pools.
	q := planning.NewPlan("沪0115", "j-li", week41)
	require.NoError(t, q.AddItem(planning.Item{ID: "t1", Kind: planning.KindTrip, Title: "送达", Trip: pudong(cst(2024, 10, 9, 9, 30), cst(2024, 10, 9, 10, 30))},
		planning.Change{By: "j-li", At: cst(2024, 10, 6, 18, 0)}))
	groups, err := planning.Coordinate(append(p.Trips(), q.Trips()...), planning.CoordinationConfig{})
	require.NoError(t, err)
	require.Len(t, groups, 1)
	require.Equal(t, []string{"j-zhang", "j-li"}, groups[0].Judges)

	// Moving the trip item moves its trip.
	require.NoError(t, p.MoveItem("t1", cst(2024, 10, 10, 14, 0), change(t, c)))
	it, _ = p.Item("t1")
	require.Equal(t, cst(2024, 10, 10, 16, 0), it.End)
	require.Equal(t, cst(2024, 10, 10, 14, 0), p.Trips()[0].Start)
}

func TestPlan_History(t *testing.T) {
	t.Parallel()
	c := planCase(t)
	p := newPlan(t, c)
	require.NoError(t, p.AddItem(planning.Item{ID: "h1", Kind: planning.KindHearing, CaseID: "c1", Title: "约谈被执行人", Start: cst(2024, 10, 9, 9, 0), End: cst(2024, 10, 9, 10, 0)}, change(t, c)))
	require.Empty(t, p.History, "draft edits are not history")

	submit := planning.Change{By: "j-zhang", At: cst(2024, 10, 7, 8, 0), Cases: planning.LookupCases(c)}
	require.NoError(t, p.Submit(submit))
	require.Equal(t, planning.StatusSubmitted, p.Status)
	require.ErrorIs(t, p.Submit(submit), planning.ErrAlreadySubmitted)

	later := planning.Change{By: "j-zhang", At: cst(2024, 10, 8, 17, 0), Cases: planning.LookupCases(c)}
	require.NoError(t, p.MoveItem("h1", cst(2024, 10, 11, 14, 0), later))
	require.NoError(t, p.RemoveItem("i1", later))
	require.NoError(t, p.AddItem(planning.Item{ID: "i2", Kind: planning.KindTask, CaseID: "c1", DueID: "report", Title: "财产调查", Day: d(2024, 10, 12)}, later))
	done, _ := p.Item("i2")
	done.Done = true
	require.NoError(t, p.UpdateItem(done, later))

	require.Len(t, p.History, 5)
	ops := make([]planning.RevisionOp, len(p.History))
	for i, r := range p.History {
		ops[i] = r.Op
		require.Equal(t, "j-zhang", r.By)
	}
	require.Equal(t, []planning.RevisionOp{planning.OpSubmit, planning.OpMove, planning.OpRemove, planning.OpAdd, planning.OpUpdate}, ops)
	move := p.History[1]
	require.Equal(t, later.At, move.At)
	require.Equal(t, []string{"Start", "End"}, move.Changed)
	require.Equal(t, cst(2024, 10, 9, 9, 0), move.Before.Start, "the previous item is kept")
	require.Equal(t, cst(2024, 10, 11, 14, 0), move.After.Start)
	require.Equal(t, "发出执行通知书", p.History[2].Before.Title)
	require.Nil(t, p.History[2].After)
	require.Equal(t, []string{"Done"}, p.History[4].Changed)

	// An invalid change after submission leaves plan and history as they are.
	before := p.Clone()
	require.ErrorIs(t, p.MoveItem("h1", cst(2024, 10, 15, 9, 0), later), planning.ErrOutsideWeek)
	require.ErrorIs(t, p.RemoveItem("nope", later), planning.ErrNoSuchItem)
	require.ErrorIs(t, p.UpdateItem(planning.Item{ID: "nope"}, later), planning.ErrNoSuchItem)
	require.Equal(t, *before, p)

	// The history shares no memory with the plan.
	clone := p.Clone()
	clone.History[1].Before.Title = "changed"
	require.Equal(t, "约谈被执行人", p.History[1].Before.Title)
}

func TestPlan_SubmitRechecksCases(t *testing.T) {
	t.Parallel()
	c := planCase(t)
	p := newPlan(t, c)
	gone := planCase(t)
	gone.DueItems = gone.DueItems[1:] // the notice due item was recomputed away
	before := p.Clone()
	err := p.Submit(change(t, gone))
	require.ErrorIs(t, err, planning.ErrUnknownDue)
	require.Equal(t, *before, p)
	require.Equal(t, planning.StatusDraft, p.Status)
}

func TestPlan_Validate(t *testing.T) {
	t.Parallel()
	p := planning.Plan{ID: "x", JudgeID: "j", Week: planning.Week{2025, 53}, Status: "sent",
		Items: []planning.Item{{ID: "a", Kind: planning.KindTask, Title: "t", Day: d(2026, 1, 1)}, {ID: "a", Kind: planning.KindTask, Title: "t", Day: d(2026, 1, 1)}}}
	err := p.Validate()
	require.ErrorIs(t, err, planning.ErrInvalidPlan)
	require.ErrorIs(t, err, planning.ErrDuplicateItem)
	var pe *planning.PlanError
	require.ErrorAs(t, err, &pe)
	require.Len(t, pe.Problems, 3, "week, status, duplicate")
}
