package planning

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// ErrInvalidWeek is matched by a *WeekError: the text is not an ISO week
// such as "2026-W48", or the week does not exist.
var ErrInvalidWeek = errors.New("planning: invalid ISO week")

// WeekError says why a week could not be parsed.
type WeekError struct {
	Input  string
	Reason string
}

func (e *WeekError) Error() string {
	return fmt.Sprintf("planning: week %q: %s", e.Input, e.Reason)
}

// Unwrap returns ErrInvalidWeek.
func (e *WeekError) Unwrap() error { return ErrInvalidWeek }

// Week is an ISO 8601 week (周) of a week-numbering year, Monday to Sunday,
// in China Standard Time. Its text form is "2026-W48". The zero Week is
// unset. Weeks are comparable with ==.
type Week struct {
	Year   int // ISO week-numbering year, which differs from the calendar year near January 1
	Number int // 1 to 52 or 53
}

// WeekOf returns the ISO week that holds d.
func WeekOf(d deadline.Date) Week {
	y, w := d.Start().ISOWeek()
	return Week{Year: y, Number: w}
}

// weeksIn returns the number of ISO weeks of year y: December 28 always
// lies in the last one.
func weeksIn(y int) int {
	_, w := time.Date(y, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// ParseWeek parses an ISO week in the form "2026-W48". The week must exist:
// "2025-W53" is an error because 2025 has 52 ISO weeks.
func ParseWeek(s string) (Week, error) {
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return Week{}, &WeekError{Input: s, Reason: "want the form YYYY-Www"}
	}
	y, ok1 := digits(s[:4])
	n, ok2 := digits(s[6:])
	if !ok1 || !ok2 {
		return Week{}, &WeekError{Input: s, Reason: "want the form YYYY-Www"}
	}
	w := Week{Year: y, Number: n}
	if !w.IsValid() {
		return Week{}, &WeekError{Input: s, Reason: fmt.Sprintf("year %d has no week %d", y, n)}
	}
	return w, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// IsValid reports whether w is a week that exists, in years 1 to 9999.
func (w Week) IsValid() bool {
	return w.Year >= 1 && w.Year <= 9999 && w.Number >= 1 && w.Number <= weeksIn(w.Year)
}

// IsZero reports whether w is unset.
func (w Week) IsZero() bool { return w == Week{} }

// String returns the week in the form "2026-W48".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Start returns the Monday of w.
func (w Week) Start() deadline.Date {
	jan4 := deadline.NewDate(w.Year, time.January, 4) // always in week 1
	sinceMonday := (int(jan4.Weekday()) + 6) % 7
	return jan4.AddDays(7*(w.Number-1) - sinceMonday)
}

// End returns the Sunday of w.
func (w Week) End() deadline.Date { return w.Start().AddDays(6) }

// Contains reports whether d lies in w, Monday to Sunday.
func (w Week) Contains(d deadline.Date) bool {
	return !d.Before(w.Start()) && !d.After(w.End())
}

// Add returns the week n weeks after w (before it for negative n).
func (w Week) Add(n int) Week { return WeekOf(w.Start().AddDays(7 * n)) }

// MarshalText implements encoding.TextMarshaler.
func (w Week) MarshalText() ([]byte, error) {
	if w.IsZero() {
		return []byte{}, nil
	}
	if !w.IsValid() {
		return nil, &WeekError{Input: w.String(), Reason: "no such week"}
	}
	return []byte(w.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. Empty text is the zero
// Week.
func (w *Week) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*w = Week{}
		return nil
	}
	v, err := ParseWeek(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// ItemKind is the kind of a plan item.
type ItemKind string

// Plan item kinds.
const (
	KindTask    ItemKind = "task"    // 办案事项, e.g. 发出执行通知书
	KindHearing ItemKind = "hearing" // 约谈、听证
	KindTrip    ItemKind = "trip"    // 外出办案, with a [Trip]
)

var kindNames = map[ItemKind]string{KindTask: "办案事项", KindHearing: "约谈", KindTrip: "外出办案"}

// IsValid reports whether k is a known kind.
func (k ItemKind) IsValid() bool { _, ok := kindNames[k]; return ok }

// Chinese returns the kind's Chinese name, e.g. 外出办案.
func (k ItemKind) Chinese() string { return kindNames[k] }

// PlanStatus is the state of a weekly plan.
type PlanStatus string

// Plan states.
const (
	StatusDraft     PlanStatus = "draft"     // 草稿
	StatusSubmitted PlanStatus = "submitted" // 已提交
)

// Chinese returns the status's Chinese name.
func (s PlanStatus) Chinese() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusSubmitted:
		return "已提交"
	}
	return ""
}

// Item is one entry of a weekly plan: a task, a hearing or interview (约谈)
// or a field trip, usually on one of the judge's cases and often meant to
// meet one of its due items.
//
// An item is either all-day (Day set, Start and End zero), as a task
// usually is, or timed (Start and End set, Day zero). A trip item is timed
// and carries its [Trip]; the trip's times are the item's.
type Item struct {
	ID     string // unique within the plan
	Kind   ItemKind
	CaseID string // the case the item works on; empty for an item on no case (a meeting)
	// DueID links the item to the [enforcement.DueItem] of case CaseID that
	// it is meant to meet. A due item is covered by the plan when an item
	// links it.
	DueID string
	Title string // Chinese, e.g. "现场调查被执行人财产"
	Day   deadline.Date
	Start time.Time
	End   time.Time
	Trip  *Trip // set exactly for KindTrip
	Done  bool
}

// IsAllDay reports whether the item is all-day.
func (it Item) IsAllDay() bool { return !it.Day.IsZero() }

// Date returns the day of the item: Day, or the China Standard Time date of
// Start.
func (it Item) Date() deadline.Date {
	if it.IsAllDay() {
		return it.Day
	}
	return deadline.DateOf(it.Start)
}

// clone returns a deep copy of it.
func (it Item) clone() Item {
	if it.Trip != nil {
		t := *it.Trip
		it.Trip = &t
	}
	return it
}

// RevisionOp is what a revision did.
type RevisionOp string

// Revision operations.
const (
	OpSubmit RevisionOp = "submit" // 提交
	OpAdd    RevisionOp = "add"    // 新增
	OpUpdate RevisionOp = "update" // 修改
	OpMove   RevisionOp = "move"   // 调整时间
	OpRemove RevisionOp = "remove" // 删除
)

// Revision is one change to a submitted plan, kept so that the chief can see
// how the plan the judge committed to was changed afterwards.
type Revision struct {
	At     time.Time
	By     string
	Op     RevisionOp
	ItemID string // empty for OpSubmit
	// Changed names the item fields that changed, e.g. ["Start", "End"].
	Changed []string
	Before  *Item // the item before the change; nil for OpAdd and OpSubmit
	After   *Item // the item after the change; nil for OpRemove and OpSubmit
}

func (r Revision) clone() Revision {
	r.Changed = slices.Clone(r.Changed)
	if r.Before != nil {
		b := r.Before.clone()
		r.Before = &b
	}
	if r.After != nil {
		a := r.After.clone()
		r.After = &a
	}
	return r
}

// Plan is a judge's weekly work plan (周工作计划). Plans are drafted, then
// submitted; a submitted plan can still change, but every change is kept in
// History.
//
// Changes go through the methods, which check every problem at once and
// leave the plan unchanged when they return an error. Version is the
// store's, as with [enforcement.Case].
type Plan struct {
	ID      string // PlanID(JudgeID, Week)
	Court   string // the court code, as on the judge's cases
	JudgeID string
	Week    Week
	Items   []Item
	Status  PlanStatus
	// SubmittedAt and SubmittedBy record the submission.
	SubmittedAt time.Time
	SubmittedBy string
	// UpdatedAt is the time of the last change made through a method.
	UpdatedAt time.Time
	History   []Revision
	// Version is incremented by the store on every successful save.
	Version int64
}

// PlanID returns the ID of judge's plan for week w, e.g. "j-zhang/2026-W48".
func PlanID(judgeID string, w Week) string { return judgeID + "/" + w.String() }

// NewPlan returns an empty draft plan of judge judgeID at court for week w.
func NewPlan(court, judgeID string, w Week) Plan {
	return Plan{ID: PlanID(judgeID, w), Court: court, JudgeID: judgeID, Week: w, Status: StatusDraft}
}

// Clone returns a deep copy of p.
func (p *Plan) Clone() *Plan {
	c := *p
	c.Items = make([]Item, len(p.Items))
	for i, it := range p.Items {
		c.Items[i] = it.clone()
	}
	c.History = make([]Revision, len(p.History))
	for i, r := range p.History {
		c.History[i] = r.clone()
	}
	if p.Items == nil {
		c.Items = nil
	}
	if p.History == nil {
		c.History = nil
	}
	return &c
}

// Item returns a copy of the item with the given ID.
func (p *Plan) Item(id string) (Item, bool) {
	if i := p.index(id); i >= 0 {
		return p.Items[i].clone(), true
	}
	return Item{}, false
}

func (p *Plan) index(id string) int {
	return slices.IndexFunc(p.Items, func(it Item) bool { return it.ID == id })
}

// Trips returns copies of the plan's field trips, for [Coordinate]. Done
// trips are left out.
func (p *Plan) Trips() []Trip {
	var out []Trip
	for _, it := range p.Items {
		if it.Trip != nil && !it.Done {
			out = append(out, *it.Trip)
		}
	}
	return out
}

// Validate reports every structural problem with p: its identity, status,
// and each item's kind, times, week and trip, and duplicate item IDs. It
// does not check that cases and due items exist; the methods do that.
func (p *Plan) Validate() error {
	var pr []error
	add := func(field, reason string, sentinel error) {
		pr = append(pr, &ItemError{Field: field, Reason: reason, Err: sentinel})
	}
	if strings.TrimSpace(p.JudgeID) == "" {
		add("JudgeID", "empty", ErrInvalidPlan)
	}
	if !p.Week.IsValid() {
		add("Week", fmt.Sprintf("%v is not an ISO week", p.Week), ErrInvalidPlan)
	} else if p.ID != PlanID(p.JudgeID, p.Week) {
		add("ID", fmt.Sprintf("%q, want %q", p.ID, PlanID(p.JudgeID, p.Week)), ErrInvalidPlan)
	}
	if p.Status != StatusDraft && p.Status != StatusSubmitted {
		add("Status", fmt.Sprintf("unknown status %q", p.Status), ErrInvalidPlan)
	}
	seen := map[string]bool{}
	for _, it := range p.Items {
		if seen[it.ID] {
			pr = append(pr, &ItemError{ItemID: it.ID, Field: "ID", Reason: "used twice", Err: ErrDuplicateItem})
		}
		seen[it.ID] = true
		if p.Week.IsValid() {
			pr = append(pr, p.check(&it, nil, false)...)
		}
	}
	if len(pr) == 0 {
		return nil
	}
	return &PlanError{PlanID: p.ID, Op: "validate", Problems: pr}
}

// Sentinel errors for plan changes. Each problem is an *ItemError that
// matches one of them; a *PlanError lists the problems and matches
// ErrInvalidPlan and every problem's sentinel.
var (
	// ErrInvalidPlan is matched by every *PlanError, and names problems
	// with the plan itself or the change (no author, no time).
	ErrInvalidPlan = errors.New("planning: invalid plan change")
	// ErrInvalidItem means an item field is missing or malformed (no ID,
	// unknown kind, no title, a trip on a non-trip item).
	ErrInvalidItem = errors.New("planning: invalid plan item")
	// ErrItemNoTime means an item has neither a day nor both start and end
	// times, or has both a day and times.
	ErrItemNoTime = errors.New("planning: plan item has no valid time")
	// ErrItemEndBeforeStart means an item ends before it starts.
	ErrItemEndBeforeStart = errors.New("planning: plan item ends before it starts")
	// ErrOutsideWeek means an item (or its trip) lies outside the plan's week.
	ErrOutsideWeek = errors.New("planning: plan item outside the plan's week")
	// ErrUnknownCase means an item names a case the judge does not have.
	ErrUnknownCase = errors.New("planning: unknown case")
	// ErrUnknownDue means an item links a due item that its case does not have.
	ErrUnknownDue = errors.New("planning: unknown due item")
	// ErrDuplicateItem means two items share an ID.
	ErrDuplicateItem = errors.New("planning: duplicate plan item ID")
	// ErrNoSuchItem means the plan has no item with the given ID.
	ErrNoSuchItem = errors.New("planning: no such plan item")
	// ErrAlreadySubmitted means Submit was called on a submitted plan.
	ErrAlreadySubmitted = errors.New("planning: plan already submitted")
)

// ItemError is one problem with a plan change. Problems of an item's trip
// are *TripError values instead.
type ItemError struct {
	ItemID string // empty for a problem with the plan or the change
	Field  string // e.g. "End", "CaseID", "Change.By"
	Reason string // English
	Err    error  // the sentinel
}

func (e *ItemError) Error() string {
	if e.ItemID == "" {
		return fmt.Sprintf("planning: %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("planning: item %q: %s: %s", e.ItemID, e.Field, e.Reason)
}

// Unwrap returns the sentinel.
func (e *ItemError) Unwrap() error { return e.Err }

// PlanError lists every problem that stopped a change to a plan. The plan is
// unchanged. It matches ErrInvalidPlan and each problem's sentinel with
// errors.Is, and each problem with errors.As.
type PlanError struct {
	PlanID   string
	Op       string // "add", "update", "move", "remove", "submit" or "validate"
	Problems []error
}

func (e *PlanError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = strings.TrimPrefix(p.Error(), "planning: ")
	}
	return fmt.Sprintf("planning: %s on plan %s: %s", e.Op, e.PlanID, strings.Join(parts, "; "))
}

// Unwrap returns the problems.
func (e *PlanError) Unwrap() []error { return e.Problems }

// Is reports whether target is ErrInvalidPlan.
func (e *PlanError) Is(target error) bool { return target == ErrInvalidPlan }

// CaseLookupFunc returns the judge's case with the given ID, or false when
// the judge has no such case. The plan methods only read the case.
type CaseLookupFunc func(caseID string) (*enforcement.Case, bool)

// LookupCases returns a CaseLookupFunc over cases.
func LookupCases(cases ...*enforcement.Case) CaseLookupFunc {
	m := make(map[string]*enforcement.Case, len(cases))
	for _, c := range cases {
		if c != nil {
			m[c.ID] = c
		}
	}
	return func(id string) (*enforcement.Case, bool) {
		c, ok := m[id]
		return c, ok
	}
}

// Change says who changes a plan, when, and against which cases. By and At
// are required; Cases is required when an item names a case.
type Change struct {
	By    string
	At    time.Time
	Cases CaseLookupFunc
}

func (ch Change) problems() []error {
	var pr []error
	if strings.TrimSpace(ch.By) == "" {
		pr = append(pr, &ItemError{Field: "Change.By", Reason: "empty", Err: ErrInvalidPlan})
	}
	if ch.At.IsZero() {
		pr = append(pr, &ItemError{Field: "Change.At", Reason: "zero time", Err: ErrInvalidPlan})
	}
	return pr
}

// normalise fills a trip item's missing times from its trip and the trip's
// from the item, and the trip's judge and ID from the plan.
func (p *Plan) normalise(it *Item) {
	if it.Trip == nil {
		return
	}
	t := *it.Trip
	if it.Start.IsZero() {
		it.Start = t.Start
	}
	if it.End.IsZero() {
		it.End = t.End
	}
	if t.Start.IsZero() {
		t.Start = it.Start
	}
	if t.End.IsZero() {
		t.End = it.End
	}
	if t.JudgeID == "" {
		t.JudgeID = p.JudgeID
	}
	if t.ID == "" && it.ID != "" {
		t.ID = p.ID + "/" + it.ID
	}
	it.Trip = &t
}

// check returns every problem with item it in p. With cases false it skips
// the case and due-item checks.
func (p *Plan) check(it *Item, lookup CaseLookupFunc, cases bool) []error {
	var pr []error
	add := func(field, reason string, sentinel error) {
		pr = append(pr, &ItemError{ItemID: it.ID, Field: field, Reason: reason, Err: sentinel})
	}
	if strings.TrimSpace(it.ID) == "" {
		add("ID", "empty", ErrInvalidItem)
	}
	if !it.Kind.IsValid() {
		add("Kind", fmt.Sprintf("unknown kind %q", it.Kind), ErrInvalidItem)
	}
	if strings.TrimSpace(it.Title) == "" {
		add("Title", "empty", ErrInvalidItem)
	}
	weekStart, weekEnd := p.Week.Start(), p.Week.End()
	switch {
	case it.IsAllDay():
		if !it.Start.IsZero() || !it.End.IsZero() {
			add("Day", "both a day and start or end times", ErrItemNoTime)
		}
		if !it.Day.IsValid() {
			add("Day", fmt.Sprintf("%v is not a date", it.Day), ErrItemNoTime)
		} else if !p.Week.Contains(it.Day) {
			add("Day", fmt.Sprintf("%s is not in week %s (%s..%s)", it.Day, p.Week, weekStart, weekEnd), ErrOutsideWeek)
		}
	case it.Start.IsZero() || it.End.IsZero():
		add("Start", "neither a day nor both start and end times", ErrItemNoTime)
	default:
		if it.End.Before(it.Start) {
			add("End", fmt.Sprintf("%s is before start %s", fmtTime(it.End), fmtTime(it.Start)), ErrItemEndBeforeStart)
		}
		if it.Start.Before(weekStart.Start()) || it.Start.After(weekEnd.End()) {
			add("Start", fmt.Sprintf("%s is not in week %s (%s..%s)", fmtTime(it.Start), p.Week, weekStart, weekEnd), ErrOutsideWeek)
		}
		if it.End.Before(weekStart.Start()) || it.End.After(weekEnd.End()) {
			add("End", fmt.Sprintf("%s is not in week %s (%s..%s)", fmtTime(it.End), p.Week, weekStart, weekEnd), ErrOutsideWeek)
		}
	}
	switch {
	case it.Kind == KindTrip && it.Trip == nil:
		add("Trip", "a trip item needs a trip", ErrInvalidItem)
	case it.Kind != KindTrip && it.Trip != nil:
		add("Trip", fmt.Sprintf("a %s item has no trip", it.Kind), ErrInvalidItem)
	case it.Trip != nil:
		t := it.Trip
		if err := t.Validate(); err != nil {
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				pr = append(pr, j.Unwrap()...)
			} else {
				pr = append(pr, err)
			}
		}
		if !t.Start.Equal(it.Start) || !t.End.Equal(it.End) {
			add("Trip", "the trip's times differ from the item's", ErrInvalidItem)
		}
		if t.JudgeID != p.JudgeID {
			add("Trip.JudgeID", fmt.Sprintf("%q is not the plan's judge %q", t.JudgeID, p.JudgeID), ErrInvalidItem)
		}
	}
	if it.DueID != "" && it.CaseID == "" {
		add("DueID", "links a due item but names no case", ErrUnknownDue)
	}
	if !cases || it.CaseID == "" {
		return pr
	}
	var c *enforcement.Case
	ok := false
	if lookup != nil {
		c, ok = lookup(it.CaseID)
	}
	if !ok || c == nil {
		add("CaseID", fmt.Sprintf("%q is not one of the judge's cases", it.CaseID), ErrUnknownCase)
		return pr
	}
	if it.DueID != "" && !slices.ContainsFunc(c.DueItems, func(d enforcement.DueItem) bool { return d.ID == it.DueID }) {
		add("DueID", fmt.Sprintf("%q is not a due item of case %s", it.DueID, it.CaseID), ErrUnknownDue)
	}
	return pr
}

func fmtTime(t time.Time) string { return t.In(deadline.China).Format("2006-01-02 15:04") }

// commit records a change: the time, and a revision if the plan is
// submitted.
func (p *Plan) commit(op RevisionOp, id string, before, after *Item, ch Change) {
	p.UpdatedAt = ch.At
	if p.Status != StatusSubmitted {
		return
	}
	r := Revision{At: ch.At, By: ch.By, Op: op, ItemID: id, Changed: changedFields(before, after)}
	if before != nil {
		b := before.clone()
		r.Before = &b
	}
	if after != nil {
		a := after.clone()
		r.After = &a
	}
	p.History = append(p.History, r)
}

// changedFields names the fields that differ between two versions of an
// item; nil when either is nil.
func changedFields(a, b *Item) []string {
	if a == nil || b == nil {
		return nil
	}
	var out []string
	diff := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	diff("Kind", a.Kind == b.Kind)
	diff("CaseID", a.CaseID == b.CaseID)
	diff("DueID", a.DueID == b.DueID)
	diff("Title", a.Title == b.Title)
	diff("Day", a.Day == b.Day)
	diff("Start", a.Start.Equal(b.Start))
	diff("End", a.End.Equal(b.End))
	diff("Trip", (a.Trip == nil) == (b.Trip == nil) && (a.Trip == nil || tripEqual(*a.Trip, *b.Trip)))
	diff("Done", a.Done == b.Done)
	return out
}

func tripEqual(a, b Trip) bool {
	return a.ID == b.ID && a.JudgeID == b.JudgeID && a.JudgeName == b.JudgeName && a.CaseID == b.CaseID &&
		a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Place == b.Place && a.Purpose == b.Purpose
}

func (p *Plan) fail(op string, pr []error) error {
	return &PlanError{PlanID: p.ID, Op: op, Problems: pr}
}

// AddItem adds a copy of it to the plan. A trip item's missing times are
// taken from its trip and the other way round, and the trip's missing judge
// and ID are set from the plan (the trip ID is "<plan ID>/<item ID>"). On a
// submitted plan the addition is recorded in History.
//
// It returns a *PlanError listing every problem, and leaves p unchanged,
// when the change or the item is invalid, the item lies outside the week,
// names a case ch.Cases does not know or a due item that case lacks, or
// reuses an item ID.
func (p *Plan) AddItem(it Item, ch Change) error {
	it = it.clone()
	p.normalise(&it)
	pr := ch.problems()
	if it.ID != "" && p.index(it.ID) >= 0 {
		pr = append(pr, &ItemError{ItemID: it.ID, Field: "ID", Reason: "the plan already has this item", Err: ErrDuplicateItem})
	}
	pr = append(pr, p.check(&it, ch.Cases, true)...)
	if len(pr) > 0 {
		return p.fail("add", pr)
	}
	p.Items = append(p.Items, it)
	p.commit(OpAdd, it.ID, nil, &it, ch)
	return nil
}

// UpdateItem replaces the item with it.ID by a copy of it, with the checks
// of [Plan.AddItem]. Use it to change an item's title, times, link or Done
// flag. On a submitted plan the change is recorded in History with the
// previous item.
func (p *Plan) UpdateItem(it Item, ch Change) error {
	return p.update("update", OpUpdate, it, ch)
}

func (p *Plan) update(opName string, op RevisionOp, it Item, ch Change) error {
	it = it.clone()
	i := p.index(it.ID)
	pr := ch.problems()
	if i < 0 {
		pr = append(pr, &ItemError{ItemID: it.ID, Field: "ID", Reason: "not in the plan", Err: ErrNoSuchItem})
		return p.fail(opName, pr)
	}
	if it.Trip != nil {
		// Keep the trip's generated identity when the caller edits a copy.
		if old := p.Items[i].Trip; old != nil && it.Trip.ID == "" {
			it.Trip.ID = old.ID
		}
	}
	p.normalise(&it)
	pr = append(pr, p.check(&it, ch.Cases, true)...)
	if len(pr) > 0 {
		return p.fail(opName, pr)
	}
	before := p.Items[i]
	p.Items[i] = it
	p.commit(op, it.ID, &before, &it, ch)
	return nil
}

// MoveItem moves item id to start: a timed item (and its trip) keeps its
// duration, an all-day item moves to the China Standard Time date of start.
// The moved item is checked as by [Plan.UpdateItem]; the same errors apply.
func (p *Plan) MoveItem(id string, start time.Time, ch Change) error {
	i := p.index(id)
	if i < 0 {
		return p.fail("move", append(ch.problems(), &ItemError{ItemID: id, Field: "ID", Reason: "not in the plan", Err: ErrNoSuchItem}))
	}
	it := p.Items[i].clone()
	if it.IsAllDay() {
		it.Day = deadline.DateOf(start)
	} else {
		d := start.Sub(it.Start)
		it.Start, it.End = start, it.End.Add(d)
		if it.Trip != nil {
			it.Trip.Start, it.Trip.End = it.Start, it.End
		}
	}
	return p.update("move", OpMove, it, ch)
}

// RemoveItem removes item id. On a submitted plan the removal is recorded
// in History with the removed item.
func (p *Plan) RemoveItem(id string, ch Change) error {
	pr := ch.problems()
	i := p.index(id)
	if i < 0 {
		pr = append(pr, &ItemError{ItemID: id, Field: "ID", Reason: "not in the plan", Err: ErrNoSuchItem})
	}
	if len(pr) > 0 {
		return p.fail("remove", pr)
	}
	before := p.Items[i]
	p.Items = slices.Delete(slices.Clone(p.Items), i, i+1)
	p.commit(OpRemove, id, &before, nil, ch)
	return nil
}

// Submit submits a draft plan. Every item is checked again against
// ch.Cases, since cases change while a plan is drafted; all problems are
// reported and the plan stays a draft. Changes after submission are kept in
// History, starting with the submission itself.
func (p *Plan) Submit(ch Change) error {
	pr := ch.problems()
	if p.Status == StatusSubmitted {
		pr = append(pr, &ItemError{Field: "Status", Reason: "submitted at " + fmtTime(p.SubmittedAt), Err: ErrAlreadySubmitted})
	}
	for i := range p.Items {
		it := p.Items[i]
		pr = append(pr, p.check(&it, ch.Cases, true)...)
	}
	if len(pr) > 0 {
		return p.fail("submit", pr)
	}
	p.Status = StatusSubmitted
	p.SubmittedAt, p.SubmittedBy = ch.At, ch.By
	p.commit(OpSubmit, "", nil, nil, ch)
	return nil
}
