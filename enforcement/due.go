package enforcement

import (
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// DueStatus is the state of a due item.
type DueStatus string

// Due item states.
const (
	DueOpen      DueStatus = "open"      // 待办
	DueDone      DueStatus = "done"      // 已完成
	DueCancelled DueStatus = "cancelled" // 已撤销（如案件结案、措施解除）
)

// Severity says how much a missed due item matters.
type Severity string

// Severities.
const (
	SeverityInfo     Severity = "info"     // a management target (内部管理期限)
	SeverityWarning  Severity = "warning"  // an SPC normative time limit
	SeverityCritical Severity = "critical" // a statutory or judicial-interpretation limit, or a right that lapses
)

// DueItem is one time limit on a case: what must be done, by whom, by when,
// and why (legal basis and the step-by-step computation).
type DueItem struct {
	// ID is deterministic: the rule key and the trigger's reference, so that
	// scheduling the same trigger twice yields the same item.
	ID    string
	Rule  string // rule key, e.g. "notice.enforcement_legal"
	Title string // Chinese, e.g. "发出执行通知书"
	// RuleVersion identifies the effective-dated version of the rule used,
	// e.g. "2015-02-04".
	RuleVersion string
	Owner       string // who must act: handler, court, applicant, respondent, platform
	Severity    Severity
	// Basis is the legal basis of the time limit: instrument and article.
	Basis string
	// Trigger is the date of the event that started the period.
	Trigger    deadline.Date
	TriggerRef string // ID of the node or measure that triggered it
	// Computed is the due date the calendar gives.
	Computed deadline.Date
	// Deadline is the instant the period expires (24:00 CST on the due date).
	Deadline time.Time
	// Steps explain the computation in Chinese, with step codes.
	Steps []deadline.Step
	// CalcBasis lists the period rules applied (CPL art. 85 …).
	CalcBasis []string
	// Provisional is set when Computed is not definite: it lies beyond the
	// official calendar's coverage and was computed on weekends only, or it
	// was derived from such a date (an item counted from a provisional date
	// is provisional too).
	Provisional bool
	// AwaitingCalendar is set when the date depends on a year the calendar
	// does not cover yet (待日历公布): the item has no definite date.
	// Computed then holds the weekend-only estimate, which orders the item
	// and places it in indexes; whether it may be shown as a date (marked
	// 暂定) is the caller's choice, see [DueItem.Shown]. [Recalculate] lists
	// the item once the year is loaded, with its definite date.
	AwaitingCalendar bool
	// Warnings are the dates on which reminders should go out before the due
	// date (e.g. 30 and 7 days before a freeze expires).
	Warnings []deadline.Date
	Override *Override
	Status   DueStatus
	DoneOn   deadline.Date
	// Internal is set for management targets (内部管理期限) as opposed to
	// time limits set by law or judicial interpretation.
	Internal bool
	// Right is set when the item is a party's right rather than a task
	// (see RightKind): it is never a judge's overdue work. RightAction is
	// what the owner may do, in Chinese.
	Right       RightKind `json:",omitempty"`
	RightAction string    `json:",omitempty"`
}

// IsRight reports whether d is a party's right rather than a task: views
// of a judge's or a chief's work leave it out of their overdue and
// approaching counts.
func (d DueItem) IsRight() bool { return d.Right.IsKnown() }

// RightText renders a right for a party in Chinese, with the wording the
// law uses: a right that lapses reads "被执行人于2026年12月14日前可对执行管辖提出异议",
// one that opens after a period "申请执行人自2027年6月4日后可向上一级法院申请执行"
// (dates and words from [DueItem.RightWhen]). A date that is not definite
// is marked （暂定）. It returns "" for a task.
func (d DueItem) RightText() string {
	if !d.IsRight() {
		return ""
	}
	who := Owner(d.Owner).Chinese()
	if who == "" {
		who = "当事人"
	}
	action := d.RightAction
	if action == "" {
		action = d.Title
	}
	mark := ""
	if !d.IsDefinite() {
		mark = "（暂定）"
	}
	on, word := d.RightWhen()
	if d.Right == RightFrom {
		return who + "自" + chineseDate(on) + mark + word + "可" + action
	}
	return who + "于" + chineseDate(on) + mark + word + "可" + action
}

// RightWhen returns the date a text about d names and the word the law
// puts after it, so that every text (the party's page, the filing notice,
// the feed) says the same day:
//
//   - a right that opens after a period ([RightFrom], "超过六个月…可…"):
//     the item's date in force is the first day the right may be used, so
//     the text names the day before it with 后 ("6月4日后" for a right
//     usable from 6月5日);
//   - a right that lapses ([RightUntil]) and a task: the date in force,
//     which is still in time, with 前 ("12月17日前", that day included, as
//     the notices say).
//
// Whether the date is definite is [DueItem.IsDefinite]; the caller marks
// it 暂定 when it is not.
func (d DueItem) RightWhen() (deadline.Date, string) {
	if d.Right == RightFrom {
		return d.Due().AddDays(-1), "后"
	}
	return d.Due(), "前"
}

// chineseDate formats d as 2027年6月4日.
func chineseDate(d deadline.Date) string {
	return itoa(d.Year) + "年" + itoa(int(d.Month)) + "月" + itoa(d.Day) + "日"
}

// Due returns the date in force: an approved override if there is one, else
// the computed date. A pending or rejected override does not move the date
// in force: supervision, the due index and warnings go by the computed date
// until the chief approves it.
func (d DueItem) Due() deadline.Date {
	if d.IsOverridden() {
		return d.Override.Date
	}
	return d.Computed
}

// IsOverridden reports whether the date in force is an approved override.
func (d DueItem) IsOverridden() bool { return d.Override != nil && d.Override.IsApproved() }

// IsDefinite reports whether the date in force is definite: an approved
// override, or a computed date that is not provisional.
func (d DueItem) IsDefinite() bool { return d.IsOverridden() || !d.Provisional }

// Shown returns the date to show for the item and whether there is one: the
// date in force when it is definite, the weekend-only estimate when it is
// not and allowProvisional is set (the caller marks it 暂定), and no date
// for an item awaiting the calendar when provisional answers are not
// allowed (the caller shows 待日历公布).
func (d DueItem) Shown(allowProvisional bool) (deadline.Date, bool) {
	if d.IsDefinite() || allowProvisional {
		return d.Due(), true
	}
	return deadline.Date{}, false
}

// IsOpen reports whether the item still has to be done.
func (d DueItem) IsOpen() bool { return d.Status == DueOpen || d.Status == "" }

// clone returns a deep copy of d.
func (d DueItem) clone() DueItem {
	d.Steps = append([]deadline.Step(nil), d.Steps...)
	d.CalcBasis = append([]string(nil), d.CalcBasis...)
	d.Warnings = append([]deadline.Date(nil), d.Warnings...)
	if d.Override != nil {
		o := *d.Override
		d.Override = &o
	}
	return d
}

// Level is the warning level of a due item on a given day, as a judge's or
// chief's screen shows it.
type Level int

// Warning levels, in increasing urgency. The zero Level is unset.
const (
	LevelNormal      Level = iota + 1 // 正常
	LevelApproaching                  // 临期
	LevelDueToday                     // 今日到期
	LevelOverdue                      // 已超期
)

var levelCodes = [...]string{LevelNormal: "normal", LevelApproaching: "approaching", LevelDueToday: "due_today", LevelOverdue: "overdue"}
var levelNames = [...]string{LevelNormal: "正常", LevelApproaching: "临期", LevelDueToday: "今日到期", LevelOverdue: "已超期"}
var levelColours = [...]string{LevelNormal: "#2e7d32", LevelApproaching: "#f9a825", LevelDueToday: "#ef6c00", LevelOverdue: "#c62828"}

// String returns the level's stable code, e.g. "overdue".
func (l Level) String() string { return enumString(levelCodes[:], int(l), "Level") }

// Chinese returns the label shown beside the colour, e.g. 已超期.
func (l Level) Chinese() string { return enumString(levelNames[:], int(l), "Level") }

// Colour returns a CSS colour for the level (green, amber, orange, red).
func (l Level) Colour() string { return enumString(levelColours[:], int(l), "Level") }

// MarshalText implements encoding.TextMarshaler.
func (l Level) MarshalText() ([]byte, error) { return enumMarshal(levelCodes[:], int(l), "level") }

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := enumParse(levelCodes[:], string(b), "level")
	*l = Level(v)
	return err
}

// DefaultApproachingWorkdays is how many working days before its due date an
// item turns "approaching" unless configured otherwise.
const DefaultApproachingWorkdays = 3

// LevelOf returns the warning level of due date due on day today:
// overdue after the due date, due today on it, approaching from
// [ApproachingFrom] on (at most approaching working days remain, counted
// on cal, so a weekend or holiday block before the due date does not hide
// it), and normal otherwise. approaching <= 0 means
// [DefaultApproachingWorkdays].
func LevelOf(cal *deadline.Calendar, due, today deadline.Date, approaching int) (Level, error) {
	if approaching <= 0 {
		approaching = DefaultApproachingWorkdays
	}
	switch c := today.Compare(due); {
	case c > 0:
		return LevelOverdue, nil
	case c == 0:
		return LevelDueToday, nil
	}
	if due.After(normalBeyond(today, approaching)) {
		return LevelNormal, nil
	}
	from, err := ApproachingFrom(cal, due, approaching)
	if err != nil {
		return 0, err
	}
	if !today.Before(from) {
		return LevelApproaching, nil
	}
	return LevelNormal, nil
}

// ApproachingFrom returns the first day on which an item due on due is
// approaching (see [LevelOf]): the day from which at most approaching
// working days of cal remain up to and including the due date. That is
// the (approaching+1)-th working day counted back from the due date, the
// due date itself counting when it is a working day: for 3 working days
// and a due date on a Friday, the Tuesday before; for a due date on a
// Saturday or in a holiday block, the days are counted from the last
// working day before it, so the item turns approaching a working day
// earlier than [deadline.Calendar.AddWorkdays] of the due date would say.
// A calendar feed's alarm falls on this day. approaching <= 0 means
// [DefaultApproachingWorkdays]. The error is the calendar's, for a range
// it does not cover.
func ApproachingFrom(cal *deadline.Calendar, due deadline.Date, approaching int) (deadline.Date, error) {
	if approaching <= 0 {
		approaching = DefaultApproachingWorkdays
	}
	work, err := cal.IsWorkday(due)
	if err != nil {
		return deadline.Date{}, err
	}
	n := approaching + 1
	if work {
		n = approaching
	}
	return cal.AddWorkdays(due, -n)
}

// normalBeyond returns the last date that LevelOf may need the calendar to
// classify: any run of approaching working days spans far fewer calendar
// days than this bound (the longest official rest block is 9 days), so a
// later due date is normal without consulting the calendar, even when it
// lies beyond the calendar's coverage.
func normalBeyond(today deadline.Date, approaching int) deadline.Date {
	return today.AddDays(approaching*7 + 30)
}

// ApproachingUntil returns the first day that is no longer approaching seen
// from today: an item due after today and before it has at most workdays
// working days left on cal (see [LevelOf]); workdays <= 0 means
// [DefaultApproachingWorkdays]. A store can count the approaching items as
// those due in between. The error is the calendar's, for a range it does
// not cover.
func ApproachingUntil(cal *deadline.Calendar, today deadline.Date, workdays int) (deadline.Date, error) {
	if workdays <= 0 {
		workdays = DefaultApproachingWorkdays
	}
	return cal.AddWorkdays(today, workdays+1)
}
