package deadline

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrNotCovered is returned (wrapped in a *NotCoveredError) for a date that the
// calendar's official schedules do not cover. The calendar never guesses.
var ErrNotCovered = errors.New("deadline: date not covered by the calendar")

// NotCoveredError names the uncovered date and the calendar's coverage.
type NotCoveredError struct{ Date, First, Last Date }

func (e *NotCoveredError) Error() string {
	return fmt.Sprintf("deadline: %s outside coverage %s..%s (year %d has no official schedule)", e.Date, e.First, e.Last, e.Date.Year)
}

// Unwrap returns ErrNotCovered.
func (e *NotCoveredError) Unwrap() error { return ErrNotCovered }

// DayKind classifies a date on the official working-day calendar.
type DayKind int

// Day kinds. The zero DayKind is unset.
const (
	Workday       DayKind = iota + 1 // ordinary working day (Mon–Fri)
	RestDay                          // weekend rest day
	Holiday                          // statutory holiday (法定节假日) or a court closure day
	MakeupWorkday                    // 调休上班: a weekend day worked in exchange for a holiday
)

// Closure is a day on which a court is closed (e.g. a typhoon closure). It is
// treated as a rest day by every computation on the calendar it is added to.
type Closure struct {
	Date   Date
	Reason string // shown in explanations, e.g. "台风停止办公"
}

// Calendar is the official working-day calendar: weekends, State Council
// holidays and make-up working days, for the years it covers. A Calendar is
// immutable and safe for concurrent use; loading data returns a new Calendar.
type Calendar struct {
	// implementation: dense index over the covered days
}

// Official returns the calendar of the embedded State Council schedules.
func Official() *Calendar { panic("unimplemented") }

// Load reads schedules in the format of the embedded data and returns a new
// calendar holding only them.
func Load(r io.Reader) (*Calendar, error) { panic("unimplemented") }

// WithSchedule returns a copy of c extended (or corrected) by the schedules read
// from r. On error, c is unchanged and the error lists every problem.
func (c *Calendar) WithSchedule(r io.Reader) (*Calendar, error) { panic("unimplemented") }

// WithClosures returns a copy of c in which the given days are rest days.
func (c *Calendar) WithClosures(cs ...Closure) (*Calendar, error) { panic("unimplemented") }

// Coverage returns the first and last date the calendar covers.
func (c *Calendar) Coverage() (first, last Date) { panic("unimplemented") }

// Kind returns the kind of day d is.
func (c *Calendar) Kind(d Date) (DayKind, error) { panic("unimplemented") }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) { panic("unimplemented") }

// AddWorkdays returns the n-th working day after d (n > 0) or before d (n < 0).
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) { panic("unimplemented") }

// WorkdaysBetween returns the number of working days in (from, to].
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) { panic("unimplemented") }

// Interval is an inclusive range of dates, such as a suspension (中止) period.
type Interval struct{ From, To Date }

// Spec says how to count one period.
type Spec struct {
	Period           Period
	Backward         bool       // count back from the start: the latest allowed date ("至少提前N日")
	NoExtension      bool       // do not move a last day that is a rest day (CPL 85(3) switched off)
	Exceed           bool       // "超过": satisfied only from the day after the period ends (Civil Code 1259)
	Deductions       []Interval // periods not counted (公告, 评估, 中止, 暂缓 …), may overlap
	AllowProvisional bool       // beyond coverage, answer with a weekend-only calendar and mark the result
}

// Step is one step of an explanation.
type Step struct {
	Code StepCode
	Date Date
	Text string // Chinese, for a judge
}

// StepCode is a machine-readable code for an explanation step.
type StepCode string

// Result is a computed due date with its legal basis and explanation.
type Result struct {
	Start             Date
	Due               Date      // the last day on which the act is in time
	Deadline          time.Time // the instant the period expires (24:00 CST on Due, or the hour)
	Unextended        Date      // the last day before any rest-day extension
	Extended          bool
	Deducted          int // calendar days added for deductions
	Provisional       bool
	ProvisionalReason string
	Basis             []string // instruments and articles applied, e.g. "《中华人民共和国民事诉讼法》第八十五条"
	Steps             []Step
}

// Due computes the due date of period p starting on start (the start day is
// not counted), with the rest-day extension.
func (c *Calendar) Due(start Date, p Period) (Result, error) {
	return c.Compute(start, Spec{Period: p})
}

// Compute computes a period as spec says.
func (c *Calendar) Compute(start Date, spec Spec) (Result, error) { panic("unimplemented") }
