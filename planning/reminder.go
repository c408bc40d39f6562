package planning

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// ErrInvalidReminders means [Reminders] or [ChiefAgenda] was called without
// a calendar or, for Reminders, without a judge.
var ErrInvalidReminders = errors.New("planning: invalid reminder input")

// ReminderConfig tunes [Reminders] and [ChiefAgenda]. Its zero value means
// the documented defaults.
type ReminderConfig struct {
	// ApproachingWorkdays is how many working days before its due date an
	// item turns approaching (临期). Zero or less means
	// enforcement.DefaultApproachingWorkdays (3).
	ApproachingWorkdays int
}

// Flag marks something on an agenda entry that needs attention besides its
// level.
type Flag string

// Agenda entry flags.
const (
	// FlagUnplanned: a due item in the window that no plan item links
	// (未列入计划).
	FlagUnplanned Flag = "unplanned"
	// FlagTooLate: a plan item linked to the due item is scheduled after its
	// due date (计划晚于期限).
	FlagTooLate Flag = "too_late"
	// FlagNotCovered: the level could not be worked out on the calendar,
	// usually because the due date lies beyond the official schedule's
	// coverage; Entry.Err says why. The entry is shown as approaching so
	// that it is not missed.
	FlagNotCovered Flag = "not_covered"
	// FlagProvisional: the due date was computed beyond the calendar's
	// coverage on weekends only (暂定).
	FlagProvisional Flag = "provisional"
	// FlagWarning: a reminder date of the due item has come (已到提醒日),
	// though the due date itself lies beyond the window.
	FlagWarning Flag = "warning"
)

var flagNames = map[Flag]string{
	FlagUnplanned:   "未列入计划",
	FlagTooLate:     "计划晚于期限",
	FlagNotCovered:  "超出官方日历范围",
	FlagProvisional: "暂定期限",
	FlagWarning:     "已到提醒日",
}

// Chinese returns the flag's label, e.g. 未列入计划.
func (f Flag) Chinese() string { return flagNames[f] }

// ItemRef points at a plan item.
type ItemRef struct {
	PlanID string
	ItemID string
	Kind   ItemKind
	Title  string
	Date   deadline.Date // the item's day
	Start  time.Time     // zero for an all-day item
	End    time.Time
	Done   bool
}

func refOf(p *Plan, it Item) ItemRef {
	return ItemRef{PlanID: p.ID, ItemID: it.ID, Kind: it.Kind, Title: it.Title, Date: it.Date(), Start: it.Start, End: it.End, Done: it.Done}
}

// Entry is one line of an agenda: an open due item of the judge's cases,
// with the plan items that work on it, or a plan item linked to no due item
// in the window.
type Entry struct {
	Level      enforcement.Level // Level.Colour() and Level.Chinese() for screens
	Title      string            // the due item's title, or the plan item's
	CaseID     string
	CaseNumber string        // e.g. "（2024）沪0115执1234号"; empty for an item on no case
	Date       deadline.Date // the day the entry falls on: the due date, or the plan item's day
	// Due is the date in force of the linked due item; zero when none.
	Due   deadline.Date
	DueID string
	// DueItem is a copy of the due item, with its legal basis (Basis,
	// CalcBasis) and the steps that explain its date; nil when none.
	DueItem *enforcement.DueItem
	// Items are the plan items on this entry: those linking the due item,
	// or the plan item itself.
	Items []ItemRef
	Flags []Flag
	// Err is why the level could not be computed, with FlagNotCovered.
	Err error `json:"-"`
}

// Has reports whether the entry carries flag f.
func (e Entry) Has(f Flag) bool { return slices.Contains(e.Flags, f) }

// Counts are the number of entries by level (the same counts the chief's
// report keeps, [enforcement.LevelCounts]) and by flag.
type Counts struct {
	enforcement.LevelCounts
	Unplanned, TooLate, NotCovered int
}

func (c *Counts) add(e Entry) {
	c.LevelCounts.Add(e.Level, 1)
	if e.Has(FlagUnplanned) {
		c.Unplanned++
	}
	if e.Has(FlagTooLate) {
		c.TooLate++
	}
	if e.Has(FlagNotCovered) {
		c.NotCovered++
	}
}

func (c *Counts) plus(o Counts) {
	c.Overdue += o.Overdue
	c.DueToday += o.DueToday
	c.Approaching += o.Approaching
	c.Normal += o.Normal
	c.Unplanned += o.Unplanned
	c.TooLate += o.TooLate
	c.NotCovered += o.NotCovered
}

// Agenda is what a judge must do, at a moment: today, the rest of this
// week, and next week, most urgent first.
type Agenda struct {
	JudgeID string
	Day     deadline.Date // today, in China Standard Time
	Week    Week          // this week
	// Today holds what is overdue, due today, or planned for today, and
	// due items whose reminder date has come.
	Today []Entry
	// ThisWeek holds the rest of this week, NextWeek the week after, and
	// items due later that are already approaching (when a holiday block
	// lies before their due date).
	ThisWeek, NextWeek []Entry
	// Counts count every entry of the agenda, listed or not.
	Counts Counts
	// More counts the entries of each list that are not listed: those
	// after the first n that [Agenda.Limit] keeps, and the due items
	// counted by [Agenda.AddUnlisted].
	More More
}

// More counts an agenda's entries that its lists leave out, per list.
type More struct {
	Today, ThisWeek, NextWeek int
}

// Limit returns a with each list cut to its first n entries, the most
// urgent, and the entries cut counted in More; Counts are unchanged. n ≤ 0
// keeps every entry.
func (a Agenda) Limit(n int) Agenda {
	if n <= 0 {
		return a
	}
	cut := func(es []Entry, more *int) []Entry {
		if len(es) <= n {
			return es
		}
		*more += len(es) - n
		return slices.Clip(es[:n])
	}
	a.Today = cut(a.Today, &a.More.Today)
	a.ThisWeek = cut(a.ThisWeek, &a.More.ThisWeek)
	a.NextWeek = cut(a.NextWeek, &a.More.NextWeek)
	return a
}

// AddUnlisted counts n open due items that a was computed without, all due
// on due and linked by no plan item, that [Reminders] lists in Today:
// overdue ones (due before a's day), or ones due after the window (next
// week) that are still normal but whose reminder date has come. A store
// that knows how many a judge has per date (a summary table) lists only
// the most urgent and counts the rest this way. They count as Reminders
// would count them, by their level and as unplanned, and in More.Today;
// the caller makes sure that those listed are the more urgent ones. It
// returns an error wrapping [ErrInvalidReminders] for a negative n or a
// due date Reminders would not list in Today that way, and then changes
// nothing.
func (a *Agenda) AddUnlisted(due deadline.Date, n int, cal *deadline.Calendar, cfg ReminderConfig) error {
	bad := cal == nil || n < 0 || !due.Before(a.Day) && !due.After(a.Week.Add(1).End())
	var level enforcement.Level
	var err error
	if !bad {
		level, err = levelOf(cal, due, a.Day, cfg)
		bad = due.After(a.Day) && (err != nil || level != enforcement.LevelNormal)
	}
	if bad {
		return fmt.Errorf("%w: %d unlisted items due %v on an agenda of %v", ErrInvalidReminders, n, due, a.Day)
	}
	a.Counts.Add(level, n)
	a.Counts.Unplanned += n
	if err != nil {
		a.Counts.NotCovered += n
	}
	a.More.Today += n
	return nil
}

// Reminders returns judge judgeID's agenda at now (智能提醒): the open due
// items of the judge's cases falling due by the end of next week (and those
// already overdue, those due later that are already approaching, and those
// whose reminder date has come), merged with the items of the judge's plans, ordered by
// urgency (overdue, due today, approaching, normal), then by date.
//
// Warning levels are [enforcement.LevelOf] on cal, counted in working days,
// so a holiday block before a due date does not hide it. A due item that no
// plan item links (by DueID) is flagged [FlagUnplanned]; one whose linked
// plan item is scheduled after its due date [FlagTooLate]. Overdue items
// stay in Today until they are done.
//
// Plan items linked to a due item in the agenda are shown on that item's
// entry. Other plan items that are not done are entries of their own, on
// their day, from today to the end of next week; past plan items are left
// out, since a plan is an intention, not a time limit. Their level is that
// of their linked due item if any, else that of their own day.
//
// Cases and plans of other judges are ignored, so the same slices can be
// passed for every judge. A due date the calendar does not cover near
// today does not fail the agenda: the entry is flagged [FlagNotCovered]
// and shown as approaching. Reminders returns an error only when cal is
// nil or judgeID is empty.
func Reminders(judgeID string, plans []*Plan, cases []*enforcement.Case, now time.Time, cal *deadline.Calendar, cfg ReminderConfig) (Agenda, error) {
	if cal == nil || strings.TrimSpace(judgeID) == "" {
		return Agenda{}, fmt.Errorf("%w: need a calendar and a judge", ErrInvalidReminders)
	}
	var ps []*Plan
	for _, p := range plans {
		if p != nil && p.JudgeID == judgeID {
			ps = append(ps, p)
		}
	}
	var cs []*enforcement.Case
	for _, c := range cases {
		if c != nil && c.JudgeID == judgeID {
			cs = append(cs, c)
		}
	}
	return agenda(judgeID, ps, cs, now, cal, cfg), nil
}

type dueKey struct{ caseID, dueID string }

func agenda(judgeID string, plans []*Plan, cases []*enforcement.Case, now time.Time, cal *deadline.Calendar, cfg ReminderConfig) Agenda {
	day := deadline.DateOf(now)
	a := Agenda{JudgeID: judgeID, Day: day, Week: WeekOf(day)}
	horizon := a.Week.Add(1).End()

	// Plan items by the due item they link.
	linked := map[dueKey][]ItemRef{}
	for _, p := range plans {
		for _, it := range p.Items {
			if it.DueID != "" {
				k := dueKey{it.CaseID, it.DueID}
				linked[k] = append(linked[k], refOf(p, it))
			}
		}
	}

	var entries []Entry
	shown := map[dueKey]bool{}
	open := map[dueKey]*enforcement.DueItem{}
	numbers := map[string]string{}
	for _, c := range cases {
		numbers[c.ID] = c.Number.String()
		for i := range c.DueItems {
			d := &c.DueItems[i]
			// A party's own right (an objection window, the application
			// to the higher court) is never the judge's task.
			if !d.IsOpen() || d.IsRight() || !JudgeFollows(d.Owner) {
				continue
			}
			k := dueKey{c.ID, d.ID}
			open[k] = d
			due := d.Due()
			e := dueEntry(c, d, day, cal, cfg)
			if due.After(horizon) {
				// Beyond the window: shown when it is already
				// approaching (a holiday block lies between), or when one
				// of its reminder dates has come.
				warned := slices.ContainsFunc(d.Warnings, func(w deadline.Date) bool { return !w.After(day) })
				switch {
				case e.Level > enforcement.LevelNormal:
					e.Date = horizon
				case warned:
					e.Flags = append(e.Flags, FlagWarning)
					e.Date = day
				default:
					continue
				}
			}
			e.Items = linked[k]
			if len(e.Items) == 0 {
				e.Flags = append(e.Flags, FlagUnplanned)
			}
			if slices.ContainsFunc(e.Items, func(r ItemRef) bool { return r.Date.After(due) }) {
				e.Flags = append(e.Flags, FlagTooLate)
			}
			shown[k] = true
			entries = append(entries, e)
		}
	}

	for _, p := range plans {
		for _, it := range p.Items {
			k := dueKey{it.CaseID, it.DueID}
			date := it.Date()
			if it.Done || shown[k] || date.Before(day) || date.After(horizon) {
				continue
			}
			e := Entry{Title: it.Title, CaseID: it.CaseID, CaseNumber: numbers[it.CaseID], Date: date, Items: []ItemRef{refOf(p, it)}}
			target := date
			if d := open[k]; d != nil && it.DueID != "" {
				cp := cloneDue(d)
				e.DueItem, e.DueID, e.Due = &cp, d.ID, d.Due()
				target = e.Due
			}
			e.Level, e.Err = levelOf(cal, target, day, cfg)
			if e.Err != nil {
				e.Flags = append(e.Flags, FlagNotCovered)
			}
			entries = append(entries, e)
		}
	}

	weekEnd := a.Week.End()
	for _, e := range entries {
		a.Counts.add(e)
		switch {
		case !e.Date.After(day):
			a.Today = append(a.Today, e)
		case !e.Date.After(weekEnd):
			a.ThisWeek = append(a.ThisWeek, e)
		default:
			a.NextWeek = append(a.NextWeek, e)
		}
	}
	for _, b := range [][]Entry{a.Today, a.ThisWeek, a.NextWeek} {
		slices.SortStableFunc(b, compareEntries)
	}
	return a
}

func dueEntry(c *enforcement.Case, d *enforcement.DueItem, day deadline.Date, cal *deadline.Calendar, cfg ReminderConfig) Entry {
	cp := cloneDue(d)
	e := Entry{
		Title:      d.Title,
		CaseID:     c.ID,
		CaseNumber: c.Number.String(),
		Date:       d.Due(),
		Due:        d.Due(),
		DueID:      d.ID,
		DueItem:    &cp,
	}
	e.Level, e.Err = levelOf(cal, e.Due, day, cfg)
	if e.Err != nil {
		e.Flags = append(e.Flags, FlagNotCovered)
	}
	if d.Provisional {
		e.Flags = append(e.Flags, FlagProvisional)
	}
	if !e.Due.IsValid() {
		e.Date = day
	}
	return e
}

// cloneDue returns a deep copy of d, so that agendas share no memory with
// the cases they were built from.
func cloneDue(d *enforcement.DueItem) enforcement.DueItem {
	c := *d
	c.Steps = slices.Clone(d.Steps)
	c.CalcBasis = slices.Clone(d.CalcBasis)
	c.Warnings = slices.Clone(d.Warnings)
	if d.Override != nil {
		o := *d.Override
		c.Override = &o
	}
	return c
}

// levelOf is enforcement.LevelOf that degrades instead of failing: a date
// it cannot place on the calendar is approaching, so that it is looked at.
func levelOf(cal *deadline.Calendar, due, day deadline.Date, cfg ReminderConfig) (enforcement.Level, error) {
	if !due.IsValid() {
		return enforcement.LevelApproaching, fmt.Errorf("planning: due date %v: %w", due, deadline.ErrInvalidDate)
	}
	l, err := enforcement.LevelOf(cal, due, day, cfg.ApproachingWorkdays)
	if err != nil {
		return enforcement.LevelApproaching, err
	}
	return l, nil
}

func firstStart(e Entry) time.Time {
	for _, r := range e.Items {
		if !r.Start.IsZero() {
			return r.Start
		}
	}
	return time.Time{}
}

func compareEntries(a, b Entry) int {
	if c := cmp.Compare(b.Level, a.Level); c != 0 {
		return c
	}
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	if c := firstStart(a).Compare(firstStart(b)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.CaseNumber, b.CaseNumber); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DueID, b.DueID); c != 0 {
		return c
	}
	var ai, bi string
	if len(a.Items) > 0 {
		ai = a.Items[0].ItemID
	}
	if len(b.Items) > 0 {
		bi = b.Items[0].ItemID
	}
	return cmp.Compare(ai, bi)
}

// ChiefView is the chief's (执行局长) reminders across judges.
type ChiefView struct {
	Day deadline.Date
	// Judges holds each judge's agenda, the judges with the most overdue
	// entries first (then due today, approaching, unplanned), then by ID.
	Judges []Agenda
	Totals Counts
}

// ChiefAgenda returns the agendas of every judge who has a case among cases
// or a plan among plans, computed as by [Reminders], with counts per level
// per judge and in total. It returns an error only when cal is nil.
func ChiefAgenda(plans []*Plan, cases []*enforcement.Case, now time.Time, cal *deadline.Calendar, cfg ReminderConfig) (ChiefView, error) {
	if cal == nil {
		return ChiefView{}, fmt.Errorf("%w: need a calendar", ErrInvalidReminders)
	}
	byJudgePlans := map[string][]*Plan{}
	byJudgeCases := map[string][]*enforcement.Case{}
	var judges []string
	seen := map[string]bool{}
	note := func(j string) {
		if !seen[j] {
			seen[j] = true
			judges = append(judges, j)
		}
	}
	for _, c := range cases {
		if c != nil {
			byJudgeCases[c.JudgeID] = append(byJudgeCases[c.JudgeID], c)
			note(c.JudgeID)
		}
	}
	for _, p := range plans {
		if p != nil {
			byJudgePlans[p.JudgeID] = append(byJudgePlans[p.JudgeID], p)
			note(p.JudgeID)
		}
	}
	v := ChiefView{Day: deadline.DateOf(now)}
	for _, j := range judges {
		a := agenda(j, byJudgePlans[j], byJudgeCases[j], now, cal, cfg)
		v.Totals.plus(a.Counts)
		v.Judges = append(v.Judges, a)
	}
	slices.SortFunc(v.Judges, func(a, b Agenda) int {
		x, y := a.Counts, b.Counts
		for _, c := range []int{cmp.Compare(y.Overdue, x.Overdue), cmp.Compare(y.DueToday, x.DueToday), cmp.Compare(y.Approaching, x.Approaching), cmp.Compare(y.Unplanned, x.Unplanned)} {
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.JudgeID, b.JudgeID)
	})
	return v, nil
}

// JudgeFollows reports whether a judge's reminders show an open due item
// owned by owner that is not a party's right ([enforcement.DueItem.IsRight]
// items are never shown): the court's own time limits and the platforms'
// (auction, price inquiry) that the judge chases. A party's own period (an
// objection window, a reply) is not the judge's task; it shows on the case
// page.
func JudgeFollows(owner string) bool {
	switch enforcement.Owner(owner) {
	case "", enforcement.OwnerHandler, enforcement.OwnerCourt, enforcement.OwnerPlatform:
		return true
	}
	return false
}
