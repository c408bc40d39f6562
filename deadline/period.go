package deadline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidPeriod is returned (wrapped in a *PeriodError) when text is not a
// valid period.
var ErrInvalidPeriod = errors.New("deadline: invalid period")

// PeriodError describes why a period string was rejected.
type PeriodError struct {
	Input  string
	Reason string
}

// Error names the input and the reason.
func (e *PeriodError) Error() string {
	return fmt.Sprintf("deadline: invalid period %q: %s", e.Input, e.Reason)
}

// Unwrap returns ErrInvalidPeriod.
func (e *PeriodError) Unwrap() error { return ErrInvalidPeriod }

// Unit is the unit a period (期间) is counted in (CPL 2023 art. 85(1)).
// The zero Unit is unset.
type Unit int

// Units of a period.
const (
	Hours    Unit = iota + 1 // 时: clock hours, starting the next hour
	Days                     // 日: calendar days
	Workdays                 // 工作日: working days on the official calendar
	Months                   // 月: corresponding day of the final month
	Years                    // 年: corresponding day of the final year
)

var unitCodes = [...]string{Hours: "h", Days: "d", Workdays: "wd", Months: "m", Years: "y"}
var unitNames = [...]string{Hours: "小时", Days: "日", Workdays: "个工作日", Months: "个月", Years: "年"}

// String returns the unit's code: "h", "d", "wd", "m" or "y".
func (u Unit) String() string {
	if u < Hours || u > Years {
		return fmt.Sprintf("Unit(%d)", int(u))
	}
	return unitCodes[u]
}

// Chinese returns the unit's Chinese name as used in a period ("日", "个月" …).
func (u Unit) Chinese() string {
	if u < Hours || u > Years {
		return "?"
	}
	return unitNames[u]
}

// Period is a length of time in one unit, such as 15 days or 6 months.
// N may be zero or negative; a negative period counts backwards.
type Period struct {
	N    int
	Unit Unit
}

// ParsePeriod parses a period such as "24h", "15d", "10wd", "6m" or "1y".
// A leading minus sign counts backwards ("-15d").
func ParsePeriod(s string) (Period, error) {
	var u Unit
	var num string
	switch {
	case strings.HasSuffix(s, "wd"):
		u, num = Workdays, s[:len(s)-2]
	case strings.HasSuffix(s, "h"):
		u, num = Hours, s[:len(s)-1]
	case strings.HasSuffix(s, "d"):
		u, num = Days, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		u, num = Months, s[:len(s)-1]
	case strings.HasSuffix(s, "y"):
		u, num = Years, s[:len(s)-1]
	default:
		return Period{}, &PeriodError{Input: s, Reason: `want a number followed by "h", "d", "wd", "m" or "y"`}
	}
	digits := strings.TrimPrefix(num, "-")
	if digits == "" || len(digits) > 6 || strings.TrimLeft(digits, "0123456789") != "" {
		return Period{}, &PeriodError{Input: s, Reason: "want 1 to 6 decimal digits before the unit"}
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Period{}, &PeriodError{Input: s, Reason: err.Error()}
	}
	if len(digits) > 1 && digits[0] == '0' {
		return Period{}, &PeriodError{Input: s, Reason: "leading zeros are not allowed"}
	}
	if n == 0 && num != "0" {
		return Period{}, &PeriodError{Input: s, Reason: "zero has no sign"}
	}
	return Period{N: n, Unit: u}, nil
}

// MustParsePeriod is like ParsePeriod but panics on error; for tests and
// constants.
func MustParsePeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the period in the form ParsePeriod accepts, such as "15d".
func (p Period) String() string {
	return strconv.Itoa(p.N) + p.Unit.String()
}

// Chinese returns the period as Chinese text, such as "15日" or "6个月".
func (p Period) Chinese() string {
	return strconv.Itoa(p.N) + p.Unit.Chinese()
}

// IsZero reports whether p is the zero (unset) Period.
func (p Period) IsZero() bool { return p == Period{} }

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) {
	if p.IsZero() {
		return []byte{}, nil
	}
	if p.Unit < Hours || p.Unit > Years {
		return nil, &PeriodError{Input: p.String(), Reason: "unknown unit"}
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
