package enforcement

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// Supervision is the bureau chief's view (院局长监管) over a set of cases:
// the overdue and approaching time limits, key cases, unanswered party
// requests, per-judge figures and supervision orders (督办). Courts must
// remind before time limits expire and report overdue cases periodically
// (Limits2000 arts. 21–22); [Supervise] computes that report over cases in
// memory, and [SuperviseFrom] over a store's answers ([SupervisionSource]).

// SupervisionConfig configures [Supervise] and [SuperviseFrom]. The zero value means the
// documented defaults.
type SupervisionConfig struct {
	// ApproachingWorkdays is how many working days before its due date an
	// item turns approaching; 0 means [DefaultApproachingWorkdays].
	ApproachingWorkdays int
	// DueLimit caps Report.Due at the DueLimit most urgent items, so that a
	// court with a large backlog gets a report a person can read; 0 (or
	// less) lists them all. Report.Counts and the judges' figures count
	// every item either way (Report.DueTotal), and a store's due index
	// ([DueIndex], [Classify]) lists the rest.
	DueLimit int
}

// limitDue returns the first DueLimit flags of due, ordered most urgent
// first, or all of them without a limit: what Supervise keeps in
// Report.Due.
func (cfg SupervisionConfig) limitDue(due []DueFlag) []DueFlag {
	if cfg.DueLimit > 0 && len(due) > cfg.DueLimit {
		return slices.Clip(due[:cfg.DueLimit])
	}
	return due
}

func (cfg SupervisionConfig) approaching() int {
	if cfg.ApproachingWorkdays <= 0 {
		return DefaultApproachingWorkdays
	}
	return cfg.ApproachingWorkdays
}

// LevelCounts counts open due items by warning level.
type LevelCounts struct {
	Normal, Approaching, DueToday, Overdue int
}

// Add counts n items of level l.
func (lc *LevelCounts) Add(l Level, n int) {
	switch l {
	case LevelNormal:
		lc.Normal += n
	case LevelApproaching:
		lc.Approaching += n
	case LevelDueToday:
		lc.DueToday += n
	case LevelOverdue:
		lc.Overdue += n
	}
}

// add adds the counts of o to lc.
func (lc *LevelCounts) add(o LevelCounts) {
	lc.Normal += o.Normal
	lc.Approaching += o.Approaching
	lc.DueToday += o.DueToday
	lc.Overdue += o.Overdue
}

// Total returns the number of items counted.
func (lc LevelCounts) Total() int { return lc.Normal + lc.Approaching + lc.DueToday + lc.Overdue }

// Of returns the count of level l (0 for an unknown level).
func (lc LevelCounts) Of(l Level) int {
	switch l {
	case LevelOverdue:
		return lc.Overdue
	case LevelDueToday:
		return lc.DueToday
	case LevelApproaching:
		return lc.Approaching
	case LevelNormal:
		return lc.Normal
	}
	return 0
}

// DueFlag is an open due item that needs attention: overdue, due today or
// approaching. It names the item by ID; the details are on the case.
type DueFlag struct {
	CaseID  string
	Number  string // the case number as written
	JudgeID string
	Key     bool
	DueID   string
	Rule    string
	Title   string
	Owner   string
	// Severity says how much missing it matters.
	Severity Severity
	// Due is the date in force (the override if any).
	Due         deadline.Date
	Overridden  bool
	Provisional bool
	Level       Level
	// DaysOverdue is the number of calendar days past Due; 0 unless overdue.
	DaysOverdue int
}

// Unclassified is an open due item whose level could not be determined,
// typically because its date lies close to today but beyond the calendar's
// coverage.
type Unclassified struct {
	CaseID string
	DueID  string
	Due    deadline.Date
	Err    error
}

// Classification is the result of [Classify]: every open task counted by
// level, and the ones needing attention listed most urgent first.
type Classification struct {
	Today deadline.Date
	// Counts counts the open tasks by level; Rights counts the parties'
	// open rights ([DueItem.IsRight]), which are nobody's overdue work and
	// are neither counted by level nor flagged.
	Counts LevelCounts
	Rights int
	// Flagged lists the overdue, due-today and approaching items: by level
	// (overdue first), then due date, case ID and item ID.
	Flagged      []DueFlag
	Unclassified []Unclassified
}

// Classify gives each open item in items its warning level on day today,
// counted on cal with the approaching threshold in working days (<= 0 means
// [DefaultApproachingWorkdays]). It serves stores that list due items
// directly ([DueIndex]). Done and cancelled items are skipped, and a
// party's right is counted in Rights only. Items whose
// level cannot be determined are listed in Unclassified rather than failing
// the whole view; the error is for a nil calendar or a today the calendar
// does not cover.
func Classify(items []DueRef, today deadline.Date, cal *deadline.Calendar, approaching int) (Classification, error) {
	if err := checkToday(today, cal); err != nil {
		return Classification{}, err
	}
	out := Classification{Today: today}
	for i := range items {
		r := &items[i]
		d := &r.Item
		if !d.IsOpen() {
			continue
		}
		if d.IsRight() {
			out.Rights++
			continue
		}
		due := d.Due()
		l, err := LevelOf(cal, due, today, approaching)
		if err != nil {
			out.Unclassified = append(out.Unclassified, Unclassified{CaseID: r.CaseID, DueID: d.ID, Due: due, Err: err})
			continue
		}
		out.Counts.Add(l, 1)
		if l > LevelNormal {
			out.Flagged = append(out.Flagged, dueFlag(r.CaseID, r.Number, r.JudgeID, r.Key, d, due, l, today))
		}
	}
	sortFlags(out.Flagged)
	sortUnclassified(out.Unclassified)
	return out, nil
}

func checkToday(today deadline.Date, cal *deadline.Calendar) error {
	if cal == nil {
		return errors.New("enforcement: supervision needs a calendar")
	}
	if !cal.Covers(today) {
		if _, err := cal.IsWorkday(today); err != nil {
			return fmt.Errorf("enforcement: supervision on %s: %w", today, err)
		}
	}
	return nil
}

func dueFlag(caseID, number, judge string, key bool, d *DueItem, due deadline.Date, l Level, today deadline.Date) DueFlag {
	f := DueFlag{
		CaseID: caseID, Number: number, JudgeID: judge, Key: key,
		DueID: d.ID, Rule: d.Rule, Title: d.Title, Owner: d.Owner, Severity: d.Severity,
		Due: due, Overridden: d.IsOverridden(), Provisional: d.Provisional, Level: l,
	}
	if l == LevelOverdue {
		f.DaysOverdue = today.Sub(due)
	}
	return f
}

func sortFlags(fs []DueFlag) {
	slices.SortFunc(fs, func(a, b DueFlag) int {
		if c := cmp.Compare(b.Level, a.Level); c != 0 {
			return c
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.DueID, b.DueID)
	})
}

func sortUnclassified(us []Unclassified) {
	slices.SortFunc(us, func(a, b Unclassified) int {
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.DueID, b.DueID)
	})
}

// KeyCase summarises a key case (重点案件) for the chief.
type KeyCase struct {
	CaseID  string
	Number  string
	JudgeID string
	Status  Status
	FiledOn deadline.Date
	// AgeDays is the calendar days from filing to today.
	AgeDays int
	Counts  LevelCounts
	// Worst is the most urgent level among its open items, zero if none.
	Worst Level
	// NextDue is the earliest date in force among its open items, and
	// NextTitle that item's title; zero and empty if none.
	NextDue   deadline.Date
	NextTitle string
}

// RequestFlag is a party request (当事人诉求) not yet answered.
type RequestFlag struct {
	CaseID     string
	Number     string
	JudgeID    string
	RequestID  string
	PartyID    string
	Channel    string
	ReceivedOn deadline.Date
	RecordBy   deadline.Date
	ResolveBy  deadline.Date
	// Level is the warning level of ResolveBy; zero when it cannot be
	// determined (beyond the calendar's coverage).
	Level Level
	// Unacknowledged is set when RecordBy has passed without an answer,
	// Late when ResolveBy has.
	Unacknowledged bool
	Late           bool
}

// OrderFlag is a supervision order (督办) with the judge's response.
type OrderFlag struct {
	CaseID   string
	Number   string
	JudgeID  string
	OrderID  string
	IssuedBy string
	IssuedOn deadline.Date
	Text     string
	Due      deadline.Date
	Answered bool
	Response string
	// RespondedBy and RespondedOn are set once answered.
	RespondedBy string
	RespondedOn deadline.Date
	// Level is the warning level of Due while unanswered; zero once
	// answered or when it cannot be determined.
	Level Level
	// Overdue is set when Due has passed without a response; AnsweredLate
	// when the response came after Due.
	Overdue      bool
	AnsweredLate bool
}

// JudgeFigures are one judge's figures over the cases supervised.
type JudgeFigures struct {
	JudgeID string
	Cases   int
	// Open counts cases not closed (执行中, 中止, 暂缓); Closed the closed
	// ones.
	Open, Closed int
	// ClosureRate is Closed / Cases, rounded to 4 places.
	ClosureRate decimal.Decimal
	// MedianOpenAgeDays is the median of the calendar days from filing to
	// today over the open cases, to 1 place; zero without open cases.
	MedianOpenAgeDays decimal.Decimal
	KeyCases          int
	// Counts counts by level the open tasks the court owns (承办人 or 法院)
	// on the judge's cases: not the parties' and platforms' tasks, nor
	// the parties' rights.
	Counts LevelCounts
	// Applied and Recovered sum the amounts applied for and recovered.
	Applied, Recovered decimal.Decimal
	// RecoveryRatio is Recovered / Applied as [RecoveryRatio] computes it;
	// HasRatio is false (and the ratio zero) when it is undefined.
	RecoveryRatio decimal.Decimal
	HasRatio      bool
	// UnansweredRequests counts party requests not answered, LateRequests
	// those past their resolve-by date, answered or not.
	UnansweredRequests, LateRequests int
	// OpenOrders counts unanswered supervision orders, OverdueOrders those
	// of them past due.
	OpenOrders, OverdueOrders int
}

// Report is the chief's view computed by [Supervise] and [SuperviseFrom].
type Report struct {
	Today       deadline.Date
	Approaching int // the threshold used, in working days
	// Counts counts every open task by level (every open due item but a
	// party's right); Due lists the overdue, due-today and approaching
	// ones, most urgent first, at most SupervisionConfig.DueLimit of them.
	// Counts is the sum of the judges' Counts, Unassigned and PartyTasks
	// (see [Report.AddsUp]).
	Counts LevelCounts
	// Unassigned counts by level the open tasks the court owns (承办人 or
	// 法院) on cases without a judge; PartyTasks the open tasks of parties
	// and platforms (a property report, an auction step), which are no
	// judge's overdue work.
	Unassigned, PartyTasks LevelCounts
	// Rights counts the parties' open rights ([DueItem.IsRight]): they are
	// in no other count and never listed in Due.
	Rights int
	Due    []DueFlag
	// Unclassified lists open tasks whose level the calendar cannot
	// determine (a due date beyond its coverage, or corrupt data): at most
	// SupervisionConfig.DueLimit of them, the earliest due first, then in
	// case order; UnclassifiedTotal counts them all. They are in no other
	// count.
	Unclassified      []Unclassified
	UnclassifiedTotal int
	// KeyCases lists the key cases, worst level first, then next due date
	// and case ID.
	KeyCases []KeyCase
	// Requests lists unanswered party requests, most urgent first.
	Requests []RequestFlag
	// Orders lists every supervision order: unanswered first (most urgent
	// first), then answered ones by due date.
	Orders []OrderFlag
	// Judges holds per-judge figures, by judge ID.
	Judges []JudgeFigures
}

// DueTotal is the number of overdue, due-today and approaching items,
// whether or not Due lists them all.
func (r Report) DueTotal() int { return r.Counts.Approaching + r.Counts.DueToday + r.Counts.Overdue }

// AddsUp reports whether the headline Counts equal the judges' Counts plus
// Unassigned plus PartyTasks, level by level. A report composed from one
// store's answers adds up unless a change committed while they were read
// shows in one answer and not in another.
func (r Report) AddsUp() bool {
	sum := r.Unassigned
	sum.add(r.PartyTasks)
	for _, j := range r.Judges {
		sum.add(j.Counts)
	}
	return sum == r.Counts
}

// compareNext orders dates earliest first with the zero date last.
func compareNext(a, b deadline.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// courtOwned reports whether a due item with owner o is the court's to meet
// (承办人 or the court), as opposed to a party's or a platform's.
func courtOwned(o string) bool {
	return o == "" || o == string(OwnerHandler) || o == string(OwnerCourt)
}
