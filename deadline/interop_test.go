package deadline_test

import (
	"math/rand"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// baselineData is the shipped schedule read without the deadline package.
type baselineData struct {
	off    []time.Time            // listed days off
	worked map[time.Time]bool     // listed working days on a weekend (make-up days)
	listed map[deadline.Date]bool // every listed day → isOffDay
}

func newBaselineData(tb testing.TB) baselineData {
	tb.Helper()
	o := newOracle(tb)
	b := baselineData{worked: map[time.Time]bool{}, listed: map[deadline.Date]bool{}}
	for s, off := range o.listed {
		t, err := time.Parse(time.DateOnly, s)
		require.NoError(tb, err)
		b.listed[toDate(t)] = off
		switch {
		case off:
			b.off = append(b.off, t)
		case t.Weekday() == time.Saturday || t.Weekday() == time.Sunday:
			b.worked[t] = true
		}
	}
	return b
}

// holidaysCalendar is baseline (a): the way cal users define holidays, one
// cal.Holiday per listed day off, and make-up days through a WorkdayFunc.
func (b baselineData) holidaysCalendar() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	for _, t := range b.off {
		bc.AddHoliday(&cal.Holiday{
			Name:      "listed day off",
			Type:      cal.ObservancePublic,
			StartYear: t.Year(),
			EndYear:   t.Year(),
			Month:     t.Month(),
			Day:       t.Day(),
			Func:      cal.CalcDayOfMonth,
		})
	}
	worked := b.worked
	bc.WorkdayFunc = func(t time.Time) bool {
		switch t.Weekday() {
		case time.Saturday, time.Sunday:
			y, m, d := t.Date()
			return worked[time.Date(y, m, d, 0, 0, 0, 0, time.UTC)]
		}
		return true
	}
	return bc
}

// mapCalendar is baseline (b): every listed day in a map behind a
// WorkdayFunc, no cal.Holiday at all, cal's fastest configuration.
func (b baselineData) mapCalendar() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	listed := b.listed
	bc.WorkdayFunc = func(t time.Time) bool {
		y, m, d := t.Date()
		if off, ok := listed[deadline.Date{Year: y, Month: m, Day: d}]; ok {
			return !off
		}
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	return bc
}

func TestCalendar_BusinessCalendar(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	bc := official.BusinessCalendar()
	base := newBaselineData(t)
	holidays, mapped := base.holidaysCalendar(), base.mapCalendar()
	first, last := official.Coverage()
	for x := first; !x.After(last); x = x.AddDays(1) {
		want, err := official.IsWorkday(x)
		require.NoError(t, err)
		noon := time.Date(x.Year, x.Month, x.Day, 12, 0, 0, 0, deadline.China)
		require.Equal(t, want, bc.IsWorkday(x.Start()), x.String())
		require.Equal(t, want, bc.IsWorkday(noon), x.String())
		// The baselines hold the same days, so the benchmarks compare like with like.
		require.Equal(t, want, mapped.IsWorkday(noon), "map baseline %s", x)
		if x.Year == 2024 || x.Year == 2007 || x.Year == 2020 {
			require.Equal(t, want, holidays.IsWorkday(noon), "holiday baseline %s", x)
		}
	}
	rng := rand.New(rand.NewSource(0xdead1337))
	for i := 0; i < 300; i++ {
		from := first.AddDays(rng.Intn(last.Sub(first) - 400))
		n := rng.Intn(250) + 1
		want, err := official.AddWorkdays(from, n)
		require.NoError(t, err)
		require.Equal(t, want, deadline.DateOf(bc.WorkdaysFrom(from.Start(), n)), "%s + %d", from, n)
		to := from.AddDays(1 + rng.Intn(365))
		between, err := official.WorkdaysBetween(from, to)
		require.NoError(t, err)
		// cal counts [start, end]; ours is (from, to].
		require.Equal(t, between, bc.WorkdaysInRange(from.AddDays(1).Start(), to.Start()), "(%s, %s]", from, to)
	}
	// Outside coverage cal cannot report an error: it falls back to Mon–Fri.
	require.True(t, bc.IsWorkday(deadline.MustParseDate("2027-01-01").Start()))
	require.False(t, bc.IsWorkday(deadline.MustParseDate("2027-01-02").Start()))
}
