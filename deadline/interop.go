package deadline

import (
	"time"

	"github.com/rickar/cal/v2"
)

// BusinessCalendar returns c as a *cal.BusinessCalendar of
// github.com/rickar/cal/v2, for code that already works with that package.
// Its WorkdayFunc asks c, so inside the coverage it agrees with
// [Calendar.IsWorkday] day by day, including make-up workdays (调休上班日)
// and court closures; it defines no cal.Holiday entries. The date of a
// time.Time is taken in the time's own location, as cal does: pass times in
// [China].
//
// cal has no way to report an error, so outside the coverage the returned
// calendar treats Monday to Friday as working days. That is the weekend-only
// guess this package otherwise refuses to make: check [Calendar.Covers]
// first, or use the methods of c, which return ErrNotCovered.
//
// Each call returns a new, independent *cal.BusinessCalendar; the caller may
// change its working hours.
func (c *Calendar) BusinessCalendar() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.Name = "CN-court"
	bc.Description = "中国法院工作日历（国务院节假日安排）"
	bc.WorkdayFunc = func(t time.Time) bool {
		y, m, d := t.Date()
		day := Date{Year: y, Month: m, Day: d}
		if i, ok := c.ix.pos(day); ok {
			return c.ix.flags[i]&flagWorking != 0
		}
		return !isWeekend(day)
	}
	return bc
}
