package deadline

import "time"

// Bits of index.flags.
const (
	flagKind    = 0x07 // DayKind in the low bits
	flagWorking = 0x40 // the day is a working day (Workday or MakeupWorkday)
	flagClosure = 0x80 // the day is a court closure day
)

// index is the dense, immutable lookup structure of a Calendar. It is built
// once and never written again, so any number of goroutines may read it.
//
// Day i of the coverage is the date firstYear-01-01 + i.
//
//	flags[i]  kind and working/closure bits of day i
//	names[i]  index into nameTab of the day's holiday name or closure reason
//	cum[i]    number of working days among days 0..i-1 (len = days+1)
//	work[k]   the k-th working day (k from 0), packed
//
// so a lookup is O(1), WorkdaysBetween is two reads of cum and AddWorkdays a
// read of cum and one of work.
type index struct {
	firstYear, lastYear int     // covered years; lastYear < firstYear when empty
	base                int     // days() of firstYear-01-01
	yearOff             []int32 // day number of Jan 1 of each covered year, plus one past the end
	flags               []uint8
	names               []uint16
	nameTab             []string
	cum                 []int32
	work                []packed
}

// packed is a Date in 32 bits (year<<9 | month<<5 | day), so AddWorkdays
// returns a date without converting a day number back to a calendar date.
type packed uint32

func pack(d Date) packed { return packed(d.Year<<9 | int(d.Month)<<5 | d.Day) }

func (p packed) date() Date {
	return Date{Year: int(p >> 9), Month: time.Month(p >> 5 & 0xf), Day: int(p & 0x1f)}
}

// cumDays[leap][m] is the number of days in the year before month m.
var cumDays = [2][13]int{
	{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334},
	{0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335},
}

// pos returns the day number of d in the index, and whether d is a valid
// date inside the coverage. It does no division on the hot path.
func (ix *index) pos(d Date) (int, bool) {
	y := d.Year - ix.firstYear
	if y < 0 || d.Year > ix.lastYear || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return 0, false
	}
	leap := 0
	if isLeap(d.Year) {
		leap = 1
	}
	if d.Day > 28 && d.Day > daysIn(d.Month, d.Year) {
		return 0, false
	}
	return int(ix.yearOff[y]) + cumDays[leap][d.Month] + d.Day - 1, true
}

// dayEntry is the resolved state of one date while an index is built.
type dayEntry struct {
	kind    DayKind
	name    string
	closure bool
}

// buildIndex builds the index of the covered years firstYear..lastYear from
// the listed dates (true = day off) and closure days. Dates outside the
// years are ignored.
func buildIndex(firstYear, lastYear int, listed map[Date]listedDay, closures map[Date]string) index {
	ix := index{firstYear: firstYear, lastYear: lastYear}
	if lastYear < firstYear {
		ix.cum = []int32{0}
		return ix
	}
	first := Date{Year: firstYear, Month: time.January, Day: 1}
	ix.base = first.days()
	n := Date{Year: lastYear + 1, Month: time.January, Day: 1}.days() - ix.base
	ix.yearOff = make([]int32, 0, lastYear-firstYear+2)
	for y := firstYear; y <= lastYear+1; y++ {
		ix.yearOff = append(ix.yearOff, int32(Date{Year: y, Month: time.January, Day: 1}.days()-ix.base))
	}
	ix.flags = make([]uint8, n)
	ix.names = make([]uint16, n)
	ix.cum = make([]int32, n+1)
	ix.nameTab = []string{""}
	nameID := map[string]uint16{"": 0}
	intern := func(s string) uint16 {
		if id, ok := nameID[s]; ok {
			return id
		}
		id := uint16(len(ix.nameTab))
		ix.nameTab = append(ix.nameTab, s)
		nameID[s] = id
		return id
	}
	working := 0
	for i := 0; i < n; i++ {
		d := fromDays(ix.base + i)
		e := resolveDay(d, listed, closures)
		f := uint8(e.kind)
		if e.kind.IsWorking() {
			f |= flagWorking
		}
		if e.closure {
			f |= flagClosure
		}
		ix.flags[i] = f
		ix.names[i] = intern(e.name)
		ix.cum[i] = int32(working)
		if e.kind.IsWorking() {
			working++
		}
	}
	ix.cum[n] = int32(working)
	ix.work = make([]packed, 0, working)
	for i := 0; i < n; i++ {
		if ix.flags[i]&flagWorking != 0 {
			ix.work = append(ix.work, pack(fromDays(ix.base+i)))
		}
	}
	return ix
}

// resolveDay applies the workday rule to one date: a closure wins, then a
// listed entry, then the normal week.
func resolveDay(d Date, listed map[Date]listedDay, closures map[Date]string) dayEntry {
	if reason, ok := closures[d]; ok {
		return dayEntry{kind: Holiday, name: reason, closure: true}
	}
	weekend := isWeekend(d)
	if l, ok := listed[d]; ok {
		switch {
		case l.off:
			return dayEntry{kind: Holiday, name: l.name}
		case weekend:
			return dayEntry{kind: MakeupWorkday, name: l.name}
		default:
			// A working day listed on a weekday (2020-02-03 in the shipped
			// data, from the second 2020 notice) is an ordinary workday.
			return dayEntry{kind: Workday}
		}
	}
	if weekend {
		return dayEntry{kind: RestDay}
	}
	return dayEntry{kind: Workday}
}
