package deadline_test

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// oracle is a brute-force reading of the shipped data, written straight from
// data/SOURCE.md without the index: listed off → holiday, listed worked on a
// weekend → make-up workday, otherwise the normal week.
type oracle struct {
	listed      map[string]bool // date → isOffDay
	first, last time.Time
}

func newOracle(tb testing.TB) *oracle {
	tb.Helper()
	var doc struct {
		Years map[string]struct {
			Days []struct {
				Date     string
				IsOffDay bool
			}
		}
	}
	require.NoError(tb, json.Unmarshal(readFile(tb, "data/holiday-cn.json"), &doc))
	o := &oracle{listed: map[string]bool{}}
	for _, y := range doc.Years {
		for _, e := range y.Days {
			o.listed[e.Date] = e.IsOffDay
		}
	}
	o.first = time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC)
	o.last = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	return o
}

func (o *oracle) covered(t time.Time) bool { return !t.Before(o.first) && !t.After(o.last) }

func (o *oracle) kind(t time.Time) deadline.DayKind {
	weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
	off, ok := o.listed[t.Format(time.DateOnly)]
	switch {
	case ok && off:
		return deadline.Holiday
	case ok && weekend:
		return deadline.MakeupWorkday
	case weekend:
		return deadline.RestDay
	}
	return deadline.Workday
}

func (o *oracle) working(t time.Time) bool {
	k := o.kind(t)
	return k == deadline.Workday || k == deadline.MakeupWorkday
}

// addWorkdays walks day by day; ok is false if it leaves the coverage.
func (o *oracle) addWorkdays(t time.Time, n int) (time.Time, bool) {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if !o.covered(t) {
			return time.Time{}, false
		}
		if o.working(t) {
			n--
		}
	}
	return t, true
}

func (o *oracle) between(from, to time.Time) int {
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for t := from.AddDate(0, 0, 1); !t.After(to); t = t.AddDate(0, 0, 1) {
		if o.working(t) {
			n++
		}
	}
	return sign * n
}

// due applies CPL 85 to a day period by brute force.
func (o *oracle) due(start time.Time, days int) (time.Time, bool) {
	t := start.AddDate(0, 0, days)
	for {
		if !o.covered(t) {
			return time.Time{}, false
		}
		if o.working(t) {
			return t, true
		}
		t = t.AddDate(0, 0, 1)
	}
}

func toDate(t time.Time) deadline.Date {
	return deadline.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func TestCalendar_matchesOracle(t *testing.T) {
	t.Parallel()
	o := newOracle(t)
	official := deadline.Official()

	t.Run("Kind of every covered day", func(t *testing.T) {
		t.Parallel()
		for day := o.first; !day.After(o.last); day = day.AddDate(0, 0, 1) {
			got, err := official.Kind(toDate(day))
			require.NoError(t, err)
			require.Equal(t, o.kind(day), got, day.Format(time.DateOnly))
		}
	})

	t.Run("AddWorkdays WorkdaysBetween and Due at random", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewSource(0xdead1337))
		span := int(o.last.Sub(o.first).Hours()/24) + 1
		for i := 0; i < 10000; i++ {
			from := o.first.AddDate(0, 0, rng.Intn(span))
			n := rng.Intn(601) - 300
			if i%50 == 0 {
				n = rng.Intn(8001) - 4000 // long counts, some beyond coverage
			}
			want, ok := o.addWorkdays(from, n)
			got, err := official.AddWorkdays(toDate(from), n)
			if !ok {
				require.ErrorIs(t, err, deadline.ErrNotCovered, "%s %+d", from.Format(time.DateOnly), n)
			} else {
				require.NoError(t, err)
				require.Equal(t, toDate(want), got, "%s %+d", from.Format(time.DateOnly), n)
			}

			to := from.AddDate(0, 0, rng.Intn(1601)-800)
			if i%100 == 0 {
				to = o.first.AddDate(0, 0, rng.Intn(span))
			}
			if !o.covered(to) {
				to = from
			}
			between, err := official.WorkdaysBetween(toDate(from), toDate(to))
			require.NoError(t, err)
			require.Equal(t, o.between(from, to), between, "(%s, %s]", from.Format(time.DateOnly), to.Format(time.DateOnly))

			days := rng.Intn(400)
			wantDue, ok := o.due(from, days)
			r, err := official.Due(toDate(from), deadline.Period{N: days, Unit: deadline.Days})
			if !ok {
				require.ErrorIs(t, err, deadline.ErrNotCovered)
			} else if days > 0 {
				require.NoError(t, err)
				require.Equal(t, toDate(wantDue), r.Due, "%s + %dd", from.Format(time.DateOnly), days)
				require.Equal(t, r.Due != r.Unextended, r.Extended)
			}
		}
	})

	t.Run("AddWorkdays and WorkdaysBetween agree", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewSource(0xdead1337))
		for i := 0; i < 5000; i++ {
			from := deadline.Date{Year: 2007 + rng.Intn(20), Month: time.Month(1 + rng.Intn(12)), Day: 1 + rng.Intn(28)}
			n := rng.Intn(250) + 1
			to, err := official.AddWorkdays(from, n)
			if err != nil {
				require.ErrorIs(t, err, deadline.ErrNotCovered)
				continue
			}
			got, err := official.WorkdaysBetween(from, to)
			require.NoError(t, err)
			require.Equal(t, n, got)
			ok, err := official.IsWorkday(to)
			require.NoError(t, err)
			require.True(t, ok)
			back, err := official.AddWorkdays(to, -n)
			if err != nil {
				require.ErrorIs(t, err, deadline.ErrNotCovered) // from was in the first days of 2007
				continue
			}
			require.False(t, back.After(from), "the n-th working day before the n-th after is not after the start")
		}
	})
}
