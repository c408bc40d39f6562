package deadline

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidDate is returned (wrapped in a *DateError) when text is not a valid
// calendar date.
var ErrInvalidDate = errors.New("deadline: invalid date")

// DateError describes why a date string was rejected.
type DateError struct {
	Input  string // the text that was parsed
	Reason string // what was wrong with it
}

// Error names the input and the reason.
func (e *DateError) Error() string {
	return fmt.Sprintf("deadline: invalid date %q: %s", e.Input, e.Reason)
}

// Unwrap returns ErrInvalidDate.
func (e *DateError) Unwrap() error { return ErrInvalidDate }

// China is China Standard Time (UTC+8). China has observed no daylight saving
// time since 1991, so a fixed zone is exact and does not depend on the host's
// time zone database.
var China = time.FixedZone("CST", 8*60*60)

// Date is a civil date without a time zone, as used by legal periods (期间).
// The zero Date is "unset". Dates are comparable with ==.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalising out-of-range months and days the
// way time.Date does (2024-02-30 becomes 2024-03-01).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, China))
}

// DateOf returns the date of instant t in China Standard Time (Asia/Shanghai).
func DateOf(t time.Time) Date {
	y, m, d := t.In(China).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date in the form "2006-01-02". The date must exist:
// "2023-02-29" is an error.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, &DateError{Input: s, Reason: "want the form YYYY-MM-DD"}
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, &DateError{Input: s, Reason: "want digits in YYYY-MM-DD"}
	}
	if y < 1 {
		return Date{}, &DateError{Input: s, Reason: "year out of range"}
	}
	if m < 1 || m > 12 {
		return Date{}, &DateError{Input: s, Reason: "month out of range"}
	}
	if d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, &DateError{Input: s, Reason: fmt.Sprintf("day out of range for %04d-%02d", y, m)}
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// MustParseDate is like ParseDate but panics on error. It is meant for tests
// and constants.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days in month m (1..12) of year y. It is pure
// arithmetic because the calendar's hot path validates every date it is given.
func daysIn(m time.Month, y int) int {
	if m == time.February {
		if isLeap(y) {
			return 29
		}
		return 28
	}
	// 31 for Jan, Mar, May, Jul, Aug, Oct, Dec; 30 otherwise.
	return 30 + int((m+m/8)&1)
}

// isLeap reports whether y is a leap year of the proleptic Gregorian calendar.
func isLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// String returns the date as "2006-01-02".
func (d Date) String() string {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	// Explanations format many dates; this avoids fmt's reflection.
	y, m := d.Year, int(d.Month)
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-',
		byte('0' + d.Day/10), byte('0' + d.Day%10),
	}
	return string(b[:])
}

// IsZero reports whether d is the zero (unset) Date.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a day that exists.
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= daysIn(d.Month, d.Year)
}

// MarshalText implements encoding.TextMarshaler. The zero Date encodes as "".
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. "" decodes to the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Start returns the first instant of d (00:00) in China Standard Time.
func (d Date) Start() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, China)
}

// End returns the instant at which d ends (24:00 China Standard Time, i.e. the
// start of the next day). A deadline that falls on d is met by any act strictly
// before End.
func (d Date) End() time.Time {
	return d.AddDays(1).Start()
}

// days returns the number of days since 0001-01-01 (day 0), the proleptic
// Gregorian day number used for arithmetic.
func (d Date) days() int {
	// Algorithm from Howard Hinnant's days_from_civil, shifted to 0001-01-01.
	y := d.Year
	m := int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 306 // day 0 is 0001-01-01
}

// fromDays is the inverse of days.
func fromDays(n int) Date {
	z := n + 306
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: y, Month: time.Month(m), Day: d}
}

// AddDays returns the date n calendar days after d (before, if n < 0).
func (d Date) AddDays(n int) Date { return fromDays(d.days() + n) }

// Sub returns the number of calendar days from e to d (d - e).
func (d Date) Sub(e Date) int { return d.days() - e.days() }

// AddMonths returns the corresponding day n months after d (before, if n < 0).
// When the target month has no corresponding day, it returns that month's
// last day (Civil Code art. 202): 2024-01-31 + 1 month = 2024-02-29.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month-1) + n
	y := floorDiv(total, 12)
	m := time.Month(total - y*12 + 1)
	day := d.Day
	if last := daysIn(m, y); day > last {
		day = last
	}
	return Date{Year: y, Month: m, Day: day}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 was a Monday.
	return time.Weekday((d.days()%7 + 7 + 1) % 7)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	default:
		return cmp(d.Day, e.Day)
	}
}

// floorDiv returns a/b rounded towards negative infinity (b > 0).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }
