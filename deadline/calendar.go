package deadline

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotCovered is returned (wrapped in a *NotCoveredError) for a date that the
// calendar's official schedules do not cover. The calendar never guesses.
var ErrNotCovered = errors.New("deadline: date not covered by the calendar")

// NotCoveredError names the uncovered date and the calendar's coverage. First
// and Last are zero when the calendar covers nothing.
type NotCoveredError struct{ Date, First, Last Date }

// Error names the date and the coverage.
func (e *NotCoveredError) Error() string {
	return fmt.Sprintf("deadline: %s outside coverage %s..%s (year %d has no official schedule: load the State Council holiday notice for %d with Calendar.WithSchedule, or allow weekend-only provisional dates with Spec.AllowProvisional or enforcement Settings.AllowProvisional)", e.Date, e.First, e.Last, e.Date.Year, e.Date.Year)
}

// Unwrap returns ErrNotCovered.
func (e *NotCoveredError) Unwrap() error { return ErrNotCovered }

// Closure is a day on which a court is closed (e.g. a typhoon closure). It is
// treated as a rest day by every computation on the calendar it is added to.
type Closure struct {
	Date   Date
	Reason string // shown in explanations, e.g. "台风停止办公"
}

// Calendar is the official working-day calendar: weekends, State Council
// holidays and make-up working days, for the years it covers. A Calendar is
// immutable and safe for concurrent use; loading data returns a new Calendar.
//
// Lookups use a dense index built once per Calendar: [Calendar.Kind] and
// [Calendar.IsWorkday] are O(1), [Calendar.AddWorkdays] and
// [Calendar.WorkdaysBetween] are O(1), and none of them allocates for a date
// inside the coverage.
type Calendar struct {
	ix       index
	sched    schedule        // the schedules the index was built from (names normalised)
	closures map[Date]string // court closure days and their reasons
}

// Coverage returns the first and last date the calendar covers: January 1 of
// its first covered year and December 31 of its last. Coverage is always a
// contiguous range of whole years. Both are zero if the calendar covers
// nothing.
func (c *Calendar) Coverage() (first, last Date) {
	if c.ix.lastYear < c.ix.firstYear {
		return Date{}, Date{}
	}
	return Date{Year: c.ix.firstYear, Month: time.January, Day: 1}, Date{Year: c.ix.lastYear, Month: time.December, Day: 31}
}

// Covers reports whether d is a valid date inside the coverage.
func (c *Calendar) Covers(d Date) bool {
	_, ok := c.ix.pos(d)
	return ok
}

// errAt returns the error for a date that pos rejected: *DateError for an
// impossible date, otherwise *NotCoveredError.
func (c *Calendar) errAt(d Date) error {
	if !d.IsValid() {
		return &DateError{Input: d.String(), Reason: "no such day"}
	}
	first, last := c.Coverage()
	return &NotCoveredError{Date: d, First: first, Last: last}
}

// Kind returns the kind of day d is. A date outside the coverage returns an
// error wrapping ErrNotCovered; an impossible date one wrapping
// ErrInvalidDate.
func (c *Calendar) Kind(d Date) (DayKind, error) {
	i, ok := c.ix.pos(d)
	if !ok {
		return 0, c.errAt(d)
	}
	return DayKind(c.ix.flags[i] & flagKind), nil
}

// Day returns the kind of d with the name of its holiday (春节, 国庆节 …) or
// the reason of a court closure. Errors are those of [Calendar.Kind].
func (c *Calendar) Day(d Date) (DayInfo, error) {
	i, ok := c.ix.pos(d)
	if !ok {
		return DayInfo{}, c.errAt(d)
	}
	f := c.ix.flags[i]
	return DayInfo{
		Date:    d,
		Kind:    DayKind(f & flagKind),
		Name:    c.ix.nameTab[c.ix.names[i]],
		Closure: f&flagClosure != 0,
	}, nil
}

// HolidayName returns the name of the holiday d belongs to (also for a
// make-up workday, which is worked in exchange for that holiday), the reason
// of a court closure, or "" for an ordinary day.
func (c *Calendar) HolidayName(d Date) (string, error) {
	i, ok := c.ix.pos(d)
	if !ok {
		return "", c.errAt(d)
	}
	return c.ix.nameTab[c.ix.names[i]], nil
}

// IsWorkday reports whether d is a working day: an ordinary workday or a
// make-up workday (调休上班日). Errors are those of [Calendar.Kind].
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	i, ok := c.ix.pos(d)
	if !ok {
		return false, c.errAt(d)
	}
	return c.ix.flags[i]&flagWorking != 0, nil
}

// AddWorkdays returns the n-th working day after d (n > 0) or before d
// (n < 0); d itself is never counted. For n == 0 it returns d itself, even
// when d is a rest day. d must be inside the coverage, and so must the
// result: otherwise the error wraps ErrNotCovered and names the first
// uncovered date the count would need.
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) {
	i, ok := c.ix.pos(d)
	if !ok {
		return Date{}, c.errAt(d)
	}
	switch {
	case n > 0:
		k := int(c.ix.cum[i+1]) - 1 + n
		if n > len(c.ix.work) || k >= len(c.ix.work) {
			first, last := c.Coverage()
			return Date{}, &NotCoveredError{Date: last.AddDays(1), First: first, Last: last}
		}
		return c.ix.work[k].date(), nil
	case n < 0:
		k := int(c.ix.cum[i]) + n
		if k < 0 {
			first, last := c.Coverage()
			return Date{}, &NotCoveredError{Date: first.AddDays(-1), First: first, Last: last}
		}
		return c.ix.work[k].date(), nil
	}
	return d, nil
}

// WorkdaysBetween returns the number of working days in (from, to]: from is
// not counted, to is. If to is before from the result is negative:
// WorkdaysBetween(from, to) == -WorkdaysBetween(to, from). Both dates must
// be inside the coverage.
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) {
	i, ok := c.ix.pos(from)
	if !ok {
		return 0, c.errAt(from)
	}
	j, ok := c.ix.pos(to)
	if !ok {
		return 0, c.errAt(to)
	}
	return int(c.ix.cum[j+1] - c.ix.cum[i+1]), nil
}

// NextWorkday returns the first working day after d.
func (c *Calendar) NextWorkday(d Date) (Date, error) { return c.AddWorkdays(d, 1) }
