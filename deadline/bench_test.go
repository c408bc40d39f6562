package deadline_test

import (
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// benchDates returns seeded random dates in 2008..2025, so that ±250 working
// days stay inside the coverage.
func benchDates() []deadline.Date {
	rng := rand.New(rand.NewSource(0xdead1337))
	out := make([]deadline.Date, 1024)
	start := deadline.MustParseDate("2008-01-01")
	span := deadline.MustParseDate("2025-12-31").Sub(start)
	for i := range out {
		out[i] = start.AddDays(rng.Intn(span))
	}
	return out
}

func noon(d deadline.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, deadline.China)
}

// nsPerOp is the time per iteration of a finished benchmark loop.
func nsPerOp(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }

// compare runs the two rickar/cal baselines, then zhixing, and reports how
// many times faster zhixing is than each.
func compare(b *testing.B, baseline func(b *testing.B, bc *cal.BusinessCalendar), zhixing func(b *testing.B, c *deadline.Calendar)) {
	data := newBaselineData(b)
	var holidaysNs, funcNs float64
	b.Run("baseline-holidays", func(b *testing.B) {
		bc := data.holidaysCalendar()
		b.ReportAllocs()
		baseline(b, bc)
		holidaysNs = nsPerOp(b)
	})
	b.Run("baseline-workdayfunc", func(b *testing.B) {
		bc := data.mapCalendar()
		b.ReportAllocs()
		baseline(b, bc)
		funcNs = nsPerOp(b)
	})
	b.Run("zhixing", func(b *testing.B) {
		c := deadline.Official()
		b.ReportAllocs()
		zhixing(b, c)
		ns := nsPerOp(b)
		if holidaysNs > 0 {
			b.ReportMetric(holidaysNs/ns, "x-vs-baseline-holidays")
		}
		if funcNs > 0 {
			b.ReportMetric(funcNs/ns, "x-vs-baseline-workdayfunc")
		}
	})
}

var (
	sinkBool bool
	sinkDate deadline.Date
	sinkTime time.Time
	sinkInt  int
)

func BenchmarkCalendar_IsWorkday(b *testing.B) {
	dates := benchDates()
	times := make([]time.Time, len(dates))
	for i, x := range dates {
		times[i] = noon(x)
	}
	compare(b, func(b *testing.B, bc *cal.BusinessCalendar) {
		i := 0
		for b.Loop() {
			sinkBool = bc.IsWorkday(times[i&1023])
			i++
		}
	}, func(b *testing.B, c *deadline.Calendar) {
		i := 0
		for b.Loop() {
			ok, err := c.IsWorkday(dates[i&1023])
			if err != nil {
				b.Fatal(err)
			}
			sinkBool = ok
			i++
		}
	})
}

func benchAddWorkdays(b *testing.B, n int) {
	dates := benchDates()
	times := make([]time.Time, len(dates))
	for i, x := range dates {
		times[i] = noon(x)
	}
	compare(b, func(b *testing.B, bc *cal.BusinessCalendar) {
		i := 0
		for b.Loop() {
			sinkTime = bc.WorkdaysFrom(times[i&1023], n)
			i++
		}
	}, func(b *testing.B, c *deadline.Calendar) {
		i := 0
		for b.Loop() {
			r, err := c.AddWorkdays(dates[i&1023], n)
			if err != nil {
				b.Fatal(err)
			}
			sinkDate = r
			i++
		}
	})
}

func BenchmarkCalendar_AddWorkdays250(b *testing.B)      { benchAddWorkdays(b, 250) }
func BenchmarkCalendar_AddWorkdaysMinus250(b *testing.B) { benchAddWorkdays(b, -250) }

func BenchmarkCalendar_WorkdaysBetweenYear(b *testing.B) {
	dates := benchDates()
	ends := make([]deadline.Date, len(dates))
	from := make([]time.Time, len(dates))
	to := make([]time.Time, len(dates))
	for i, x := range dates {
		ends[i] = x.AddMonths(12)
		from[i] = noon(x.AddDays(1)) // cal counts [from, to]; ours is (from, to]
		to[i] = noon(ends[i])
	}
	compare(b, func(b *testing.B, bc *cal.BusinessCalendar) {
		i := 0
		for b.Loop() {
			sinkInt = bc.WorkdaysInRange(from[i&1023], to[i&1023])
			i++
		}
	}, func(b *testing.B, c *deadline.Calendar) {
		i := 0
		for b.Loop() {
			n, err := c.WorkdaysBetween(dates[i&1023], ends[i&1023])
			if err != nil {
				b.Fatal(err)
			}
			sinkInt = n
			i++
		}
	})
}

// BenchmarkCalendar_Due measures a whole CPL 85 computation with its
// explanation; the baselines only find the date.
func BenchmarkCalendar_Due(b *testing.B) {
	dates := benchDates()
	p := deadline.MustParsePeriod("15d")
	compare(b, func(b *testing.B, bc *cal.BusinessCalendar) {
		i := 0
		for b.Loop() {
			t := noon(dates[i&1023]).AddDate(0, 0, 15)
			for !bc.IsWorkday(t) {
				t = t.AddDate(0, 0, 1)
			}
			sinkTime = t
			i++
		}
	}, func(b *testing.B, c *deadline.Calendar) {
		i := 0
		for b.Loop() {
			r, err := c.Due(dates[i&1023], p)
			if err != nil {
				b.Fatal(err)
			}
			sinkDate = r.Due
			i++
		}
	})
}

func TestCalendar_zeroAllocs(t *testing.T) {
	official := deadline.Official()
	x := deadline.MustParseDate("2024-09-30")
	y := deadline.MustParseDate("2025-09-30")
	tests := []struct {
		name string
		fn   func()
	}{
		{"Kind", func() { _, _ = official.Kind(x) }},
		{"IsWorkday", func() { sinkBool, _ = official.IsWorkday(x) }},
		{"Day", func() { _, _ = official.Day(x) }},
		{"AddWorkdays+250", func() { sinkDate, _ = official.AddWorkdays(x, 250) }},
		{"AddWorkdays-250", func() { sinkDate, _ = official.AddWorkdays(y, -250) }},
		{"WorkdaysBetween", func() { sinkInt, _ = official.WorkdaysBetween(x, y) }},
		{"Coverage", func() { sinkDate, _ = official.Coverage() }},
		{"Official", func() { _ = deadline.Official() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Zero(t, testing.AllocsPerRun(1000, tt.fn))
		})
	}
}

// TestCalendar_concurrent is meant for -race: the shared official calendar
// and calendars derived from it are read from many goroutines at once.
func TestCalendar_concurrent(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	dates := benchDates()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := official
			if g%2 == 0 {
				var err error
				c, err = official.WithClosures(deadline.Closure{Date: dates[g], Reason: "台风停止办公"})
				if err != nil {
					t.Error(err)
					return
				}
			}
			for i := 0; i < 500; i++ {
				x := dates[(g*131+i)&1023]
				if _, err := c.Kind(x); err != nil {
					t.Error(err)
					return
				}
				if _, err := c.AddWorkdays(x, 20); err != nil {
					t.Error(err)
					return
				}
				if _, err := deadline.Official().Due(x, deadline.Period{N: 15, Unit: deadline.Days}); err != nil {
					t.Error(err)
					return
				}
				want, err := c.IsWorkday(x)
				if err != nil || c.BusinessCalendar().IsWorkday(noon(x)) != want {
					t.Errorf("BusinessCalendar disagrees on %s", x)
					return
				}
			}
		}()
	}
	wg.Wait()
}
