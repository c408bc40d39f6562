package planning_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// dueCase returns a case of judge with one open due item per date, with IDs
// "d0", "d1", ….
func dueCase(tb testing.TB, id, number, judge string, dues ...deadline.Date) *enforcement.Case {
	tb.Helper()
	n, err := enforcement.ParseCaseNumber(number)
	require.NoError(tb, err)
	c := &enforcement.Case{ID: id, Number: n, Court: n.Court, JudgeID: judge, Status: enforcement.StatusOpen}
	for i, due := range dues {
		c.DueItems = append(c.DueItems, enforcement.DueItem{
			ID: "d" + string(rune('0'+i)), Title: "期限" + string(rune('A'+i)), Computed: due, Status: enforcement.DueOpen,
			Basis: "《民事诉讼法》第二百四十七条",
		})
	}
	return c
}

// TestReminders_Levels checks warning levels on the official calendar,
// counted in working days across weekends, State Council holidays and
// make-up workdays (调休上班日).
func TestReminders_Levels(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	tests := []struct {
		name        string
		today, due  deadline.Date
		approaching int
		want        enforcement.Level
		flags       []planning.Flag
	}{
		{"NationalDay2024/one workday left after the holiday block", d(2024, 9, 30), d(2024, 10, 8), 0, enforcement.LevelApproaching, nil},
		{"NationalDay2024/Sunday 9-29 is a make-up workday: 3 left", d(2024, 9, 27), d(2024, 10, 8), 0, enforcement.LevelApproaching, nil},
		{"NationalDay2024/4 workdays left", d(2024, 9, 26), d(2024, 10, 8), 0, enforcement.LevelNormal, nil},
		{"NationalDay2024/Saturday 10-12 is a make-up workday: 4 left", d(2024, 10, 9), d(2024, 10, 14), 0, enforcement.LevelNormal, nil},
		{"NationalDay2024/3 left with the make-up Saturday", d(2024, 10, 10), d(2024, 10, 14), 0, enforcement.LevelApproaching, nil},
		{"NationalDay2024/due on the make-up Saturday", d(2024, 10, 12), d(2024, 10, 12), 0, enforcement.LevelDueToday, nil},
		{"NationalDay2024/a day late", d(2024, 10, 9), d(2024, 10, 8), 0, enforcement.LevelOverdue, nil},
		{"SpringFestival2025/make-up Sunday 1-26: 3 left", d(2025, 1, 24), d(2025, 2, 5), 0, enforcement.LevelApproaching, nil},
		{"SpringFestival2025/4 left", d(2025, 1, 23), d(2025, 2, 5), 0, enforcement.LevelNormal, nil},
		{"Weekend/Wednesday to Monday: 3 left", d(2024, 11, 20), d(2024, 11, 25), 0, enforcement.LevelApproaching, nil},
		{"Weekend/Tuesday to Monday: 4 left", d(2024, 11, 19), d(2024, 11, 25), 0, enforcement.LevelNormal, nil},
		{"Weekend/configured 5 workdays", d(2024, 11, 19), d(2024, 11, 25), 5, enforcement.LevelApproaching, nil},
		{"Coverage/near date beyond the schedule is flagged, not fatal", d(2026, 12, 30), d(2027, 1, 4), 0, enforcement.LevelApproaching, []planning.Flag{planning.FlagNotCovered}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dueCase(t, "c1", "（2024）沪0115执1号", "j1", tt.due)
			a, err := planning.Reminders("j1", nil, []*enforcement.Case{c}, tt.today.Start().Add(10*time.Hour), cal, planning.ReminderConfig{ApproachingWorkdays: tt.approaching})
			require.NoError(t, err)
			all := append(append(append([]planning.Entry{}, a.Today...), a.ThisWeek...), a.NextWeek...)
			if len(all) == 0 {
				// A normal item due after next week is not on the agenda.
				require.Equal(t, enforcement.LevelNormal, tt.want)
				require.True(t, tt.due.After(a.Week.Add(1).End()))
				return
			}
			require.Len(t, all, 1)
			e := all[0]
			require.Equal(t, tt.want, e.Level, "level %s", e.Level)
			require.Equal(t, append([]planning.Flag{}, append(tt.flags, planning.FlagUnplanned)...), e.Flags)
			if e.Has(planning.FlagNotCovered) {
				require.ErrorIs(t, e.Err, deadline.ErrNotCovered)
			} else {
				require.NoError(t, e.Err)
			}
			require.Equal(t, 1, a.Counts.Of(tt.want))
			require.Equal(t, "《民事诉讼法》第二百四十七条", e.DueItem.Basis, "the basis travels with the entry")
		})
	}
}

func TestReminders_Agenda(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	// Wednesday 2024-10-09 of 2024-W41.
	now := cst(2024, 10, 9, 8, 30)
	c1 := dueCase(t, "c1", "（2024）沪0115执1号", "j-zhang",
		d(2024, 10, 8),  // d0: overdue
		d(2024, 10, 9),  // d1: due today, planned
		d(2024, 10, 11), // d2: approaching, planned too late
		d(2024, 10, 18), // d3: next week, unplanned
		d(2024, 11, 30), // d4: beyond next week
		d(2024, 10, 10), // d5: done
	)
	c1.DueItems[5].Status = enforcement.DueDone
	c1.DueItems[4].Warnings = []deadline.Date{d(2024, 10, 31)} // not yet
	c2 := dueCase(t, "c2", "（2024）沪0115执2号", "j-zhang", d(2024, 12, 31))
	c2.DueItems[0].Warnings = []deadline.Date{d(2024, 10, 1), d(2024, 12, 1)} // freeze expiry warning has come
	other := dueCase(t, "c3", "（2024）沪0115执3号", "j-li", d(2024, 10, 9))

	ch := planning.Change{By: "j-zhang", At: cst(2024, 10, 6, 18, 0), Cases: planning.LookupCases(c1, c2)}
	p := planning.NewPlan("沪0115", "j-zhang", week41)
	require.NoError(t, p.AddItem(planning.Item{ID: "a", Kind: planning.KindTask, CaseID: "c1", DueID: "d1", Title: "送达", Day: d(2024, 10, 9)}, ch))
	require.NoError(t, p.AddItem(planning.Item{ID: "b", Kind: planning.KindHearing, CaseID: "c1", DueID: "d2", Title: "约谈", Start: cst(2024, 10, 12, 9, 0), End: cst(2024, 10, 12, 10, 0)}, ch))
	require.NoError(t, p.AddItem(planning.Item{ID: "c", Kind: planning.KindTrip, CaseID: "c1", Title: "外出调查", Trip: pudong(cst(2024, 10, 10, 9, 0), cst(2024, 10, 10, 11, 0))}, ch))
	require.NoError(t, p.AddItem(planning.Item{ID: "old", Kind: planning.KindTask, Title: "周一例会", Day: d(2024, 10, 7)}, ch))
	require.NoError(t, p.AddItem(planning.Item{ID: "far", Kind: planning.KindTask, CaseID: "c1", DueID: "d4", Title: "准备拍卖", Day: d(2024, 10, 11)}, ch))

	a, err := planning.Reminders("j-zhang", []*planning.Plan{&p}, []*enforcement.Case{other, c1, c2}, now, cal, planning.ReminderConfig{})
	require.NoError(t, err)
	require.Equal(t, d(2024, 10, 9), a.Day)
	require.Equal(t, week41, a.Week)

	type line struct {
		level enforcement.Level
		title string
		items int
		flags []planning.Flag
	}
	lines := func(es []planning.Entry) []line {
		var out []line
		for _, e := range es {
			out = append(out, line{e.Level, e.Title, len(e.Items), e.Flags})
		}
		return out
	}
	require.Equal(t, []line{
		{enforcement.LevelOverdue, "期限A", 0, []planning.Flag{planning.FlagUnplanned}},
		{enforcement.LevelDueToday, "期限B", 1, nil},
		{enforcement.LevelNormal, "期限A", 0, []planning.Flag{planning.FlagWarning, planning.FlagUnplanned}},
	}, lines(a.Today))
	require.Equal(t, []line{
		// The trip has no due item: its level is that of its own day,
		// tomorrow.
		{enforcement.LevelApproaching, "外出调查", 1, nil},
		// d2 is due Friday; the hearing on it is planned for Saturday.
		{enforcement.LevelApproaching, "期限C", 1, []planning.Flag{planning.FlagTooLate}},
		// The auction task's due item d4 is far, so the task is normal.
		{enforcement.LevelNormal, "准备拍卖", 1, nil},
	}, lines(a.ThisWeek))
	require.Equal(t, []line{
		{enforcement.LevelNormal, "期限D", 0, []planning.Flag{planning.FlagUnplanned}},
	}, lines(a.NextWeek))
	require.Equal(t, planning.Counts{LevelCounts: enforcement.LevelCounts{Overdue: 1, DueToday: 1, Approaching: 2, Normal: 3}, Unplanned: 3, TooLate: 1}, a.Counts)

	e := a.ThisWeek[1]
	require.Equal(t, "c1", e.CaseID)
	require.Equal(t, "（2024）沪0115执1号", e.CaseNumber)
	require.Equal(t, d(2024, 10, 11), e.Due)
	require.Equal(t, "b", e.Items[0].ItemID)
	require.Equal(t, p.ID, e.Items[0].PlanID)
	require.Equal(t, "#f9a825", e.Level.Colour())
	require.Equal(t, "临期", e.Level.Chinese())
	require.Equal(t, "d4", a.ThisWeek[2].DueID, "a plan item keeps its link to a due item outside the window")

	// The agenda shares no memory with the cases.
	a.Today[0].DueItem.Title = "changed"
	require.Equal(t, "期限A", c1.DueItems[0].Title)
}

func TestReminders_Invalid(t *testing.T) {
	t.Parallel()
	_, err := planning.Reminders("", nil, nil, cst(2024, 10, 9, 8, 0), deadline.Official(), planning.ReminderConfig{})
	require.ErrorIs(t, err, planning.ErrInvalidReminders)
	_, err = planning.Reminders("j1", nil, nil, cst(2024, 10, 9, 8, 0), nil, planning.ReminderConfig{})
	require.ErrorIs(t, err, planning.ErrInvalidReminders)
	_, err = planning.ChiefAgenda(nil, nil, cst(2024, 10, 9, 8, 0), nil, planning.ReminderConfig{})
	require.ErrorIs(t, err, planning.ErrInvalidReminders)
}

func TestChiefAgenda(t *testing.T) {
	t.Parallel()
	now := cst(2024, 10, 9, 8, 30)
	cases := []*enforcement.Case{
		dueCase(t, "c1", "（2024）沪0115执1号", "j-zhang", d(2024, 10, 11)),
		dueCase(t, "c2", "（2024）沪0115执2号", "j-li", d(2024, 10, 8), d(2024, 10, 9)),
		dueCase(t, "c3", "（2024）沪0115执3号", "j-wang", d(2024, 10, 30)),
		dueCase(t, "c4", "（2024）沪0115执4号", "j-zhang", d(2024, 10, 7)),
	}
	p := planning.NewPlan("沪0115", "j-zhao", week41)
	require.NoError(t, p.AddItem(planning.Item{ID: "m", Kind: planning.KindHearing, Title: "听证", Start: cst(2024, 10, 10, 9, 0), End: cst(2024, 10, 10, 10, 0)},
		planning.Change{By: "j-zhao", At: now}))
	v, err := planning.ChiefAgenda([]*planning.Plan{&p}, cases, now, deadline.Official(), planning.ReminderConfig{})
	require.NoError(t, err)
	var judges []string
	for _, a := range v.Judges {
		judges = append(judges, a.JudgeID)
	}
	// j-li and j-zhang each have one overdue item; j-li also one due today.
	require.Equal(t, []string{"j-li", "j-zhang", "j-zhao", "j-wang"}, judges)
	require.Equal(t, planning.Counts{LevelCounts: enforcement.LevelCounts{Overdue: 1, Approaching: 1}, Unplanned: 2}, v.Judges[1].Counts)
	require.Equal(t, planning.Counts{LevelCounts: enforcement.LevelCounts{Overdue: 2, DueToday: 1, Approaching: 2}, Unplanned: 4}, v.Totals)
	require.Empty(t, v.Judges[3].Today, "j-wang has nothing in the window")
}

// TestReminders_PartyPeriodsNotTheJudges: a party's own period (a
// jurisdiction objection window, owner respondent) is not on the judge's
// agenda; the court's and the auction platform's are.
func TestReminders_PartyPeriodsNotTheJudges(t *testing.T) {
	t.Parallel()
	now := cst(2024, 10, 9, 8, 30)
	c := dueCase(t, "c1", "（2024）沪0115执1号", "j-zhang", d(2024, 10, 9), d(2024, 10, 9), d(2024, 10, 9), d(2024, 10, 9))
	c.DueItems[0].Owner = string(enforcement.OwnerRespondent)
	c.DueItems[1].Owner = string(enforcement.OwnerHandler)
	c.DueItems[2].Owner = string(enforcement.OwnerPlatform)
	c.DueItems[3].Owner = string(enforcement.OwnerParty)
	a, err := planning.Reminders("j-zhang", nil, []*enforcement.Case{c}, now, deadline.Official(), planning.ReminderConfig{})
	require.NoError(t, err)
	var ids []string
	for _, e := range a.Today {
		ids = append(ids, e.DueID)
	}
	require.ElementsMatch(t, []string{"d1", "d2"}, ids)
}

// A party's own right is never the judge's work, whoever the rule names
// as its owner: an overdue right is neither on the judge's agenda nor in
// the chief's counts.
func TestReminders_RightsNotTheJudges(t *testing.T) {
	t.Parallel()
	now := cst(2024, 10, 9, 8, 30)
	c := dueCase(t, "c1", "（2024）沪0115执1号", "j-zhang", d(2024, 9, 30), d(2024, 9, 30), d(2024, 9, 30))
	c.DueItems[0].Owner, c.DueItems[0].Right = string(enforcement.OwnerApplicant), enforcement.RightFrom
	c.DueItems[1].Right = enforcement.RightUntil // no owner recorded
	c.DueItems[2].Owner = string(enforcement.OwnerHandler)
	a, err := planning.Reminders("j-zhang", nil, []*enforcement.Case{c}, now, deadline.Official(), planning.ReminderConfig{})
	require.NoError(t, err)
	var ids []string
	for _, e := range a.Today {
		ids = append(ids, e.DueID)
	}
	require.Equal(t, []string{"d2"}, ids)
	require.Equal(t, 1, a.Counts.Overdue)
	v, err := planning.ChiefAgenda(nil, []*enforcement.Case{c}, now, deadline.Official(), planning.ReminderConfig{})
	require.NoError(t, err)
	require.Equal(t, 1, v.Totals.Overdue)
}
