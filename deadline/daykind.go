package deadline

import (
	"errors"
	"fmt"
	"time"
)

// DayKind classifies a date on the official working-day calendar.
type DayKind int

// Day kinds. The zero DayKind is unset.
const (
	Workday       DayKind = iota + 1 // ordinary working day (Mon–Fri)
	RestDay                          // weekend rest day (休息日)
	Holiday                          // statutory holiday (法定节假日) or a court closure day
	MakeupWorkday                    // 调休上班: a weekend day worked in exchange for a holiday
)

// ErrInvalidDayKind is returned when text is not a day kind code.
var ErrInvalidDayKind = errors.New("deadline: invalid day kind")

var dayKindCodes = [...]string{Workday: "workday", RestDay: "rest_day", Holiday: "holiday", MakeupWorkday: "makeup_workday"}
var dayKindNames = [...]string{Workday: "工作日", RestDay: "休息日", Holiday: "法定节假日", MakeupWorkday: "调休上班日"}

// IsValid reports whether k is one of the four day kinds.
func (k DayKind) IsValid() bool { return k >= Workday && k <= MakeupWorkday }

// IsWorking reports whether a day of kind k is a working day: an ordinary
// workday or a make-up workday (调休上班日).
func (k DayKind) IsWorking() bool { return k == Workday || k == MakeupWorkday }

// String returns the stable text code of k: "workday", "rest_day",
// "holiday" or "makeup_workday".
func (k DayKind) String() string {
	if !k.IsValid() {
		return fmt.Sprintf("DayKind(%d)", int(k))
	}
	return dayKindCodes[k]
}

// Chinese returns the Chinese name of k, such as "法定节假日".
func (k DayKind) Chinese() string {
	if !k.IsValid() {
		return "未知"
	}
	return dayKindNames[k]
}

// MarshalText implements encoding.TextMarshaler with the code of String.
// The zero DayKind encodes as "".
func (k DayKind) MarshalText() ([]byte, error) {
	if k == 0 {
		return []byte{}, nil
	}
	if !k.IsValid() {
		return nil, fmt.Errorf("%w: %d", ErrInvalidDayKind, int(k))
	}
	return []byte(dayKindCodes[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. "" decodes to the zero
// DayKind.
func (k *DayKind) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*k = 0
		return nil
	}
	for v := Workday; v <= MakeupWorkday; v++ {
		if dayKindCodes[v] == string(b) {
			*k = v
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrInvalidDayKind, b)
}

// DayInfo describes one date on a calendar.
type DayInfo struct {
	Date Date
	Kind DayKind
	// Name is the holiday a Holiday or MakeupWorkday belongs to ("春节",
	// "国庆节", "中秋节、国庆节" …), the reason of a court closure, or "".
	Name string
	// Closure reports whether the day is a court closure day added with
	// [Calendar.WithClosures].
	Closure bool
	// Provisional reports that the date is outside the calendar's coverage
	// and Kind was guessed from the weekday alone. Only results computed with
	// [Spec.AllowProvisional] contain such days; [Calendar.Day] never guesses.
	Provisional bool
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Chinese returns the Chinese description of the day used in explanations,
// such as "国庆节（法定节假日）", "休息日（星期六）" or "春节调休上班日".
func (i DayInfo) Chinese() string {
	switch {
	case i.Closure:
		return "法院停止办公日（" + i.Name + "）"
	case i.Kind == Holiday && i.Name != "":
		return i.Name + "（法定节假日）"
	case i.Kind == Holiday:
		return "法定节假日"
	case i.Kind == RestDay:
		return "休息日（" + weekdayNames[i.Date.Weekday()] + "）"
	case i.Kind == MakeupWorkday && i.Name != "":
		return i.Name + "调休上班日（工作日）"
	case i.Kind == MakeupWorkday:
		return "调休上班日（工作日）"
	default:
		return "工作日（" + weekdayNames[i.Date.Weekday()] + "）"
	}
}

// isWeekend reports whether d is a Saturday or Sunday.
func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
