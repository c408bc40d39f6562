package deadline_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// d builds a date; rows read like the schedules they come from.
func d(y int, m time.Month, day int) deadline.Date {
	return deadline.Date{Year: y, Month: m, Day: day}
}

func TestCalendar_Coverage(t *testing.T) {
	t.Parallel()
	first, last := deadline.Official().Coverage()
	// data/SOURCE.md: notices 2007–2026 have entries; 2027 is listed empty.
	require.Equal(t, d(2007, 1, 1), first)
	require.Equal(t, d(2026, 12, 31), last)
}

func TestCalendar_Day(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name string
		date deadline.Date
		kind deadline.DayKind
		hol  string
	}{
		{"2024 notice: 国庆节 Tue 2024-10-01", d(2024, 10, 1), deadline.Holiday, "国庆节"},
		{"2024 notice: Sat inside the 国庆节 block 2024-10-05", d(2024, 10, 5), deadline.Holiday, "国庆节"},
		{"2024 notice: 调休 Sat 2024-10-12 worked for 国庆节", d(2024, 10, 12), deadline.MakeupWorkday, "国庆节"},
		{"2024 notice: 调休 Sun 2024-09-29 worked for 国庆节", d(2024, 9, 29), deadline.MakeupWorkday, "国庆节"},
		{"2024 notice: 春节 Sat 2024-02-10", d(2024, 2, 10), deadline.Holiday, "春节"},
		{"2024 notice: 调休 Sun 2024-02-04 worked for 春节", d(2024, 2, 4), deadline.MakeupWorkday, "春节"},
		{"2024 notice: 除夕 2024-02-09 not listed, ordinary Friday", d(2024, 2, 9), deadline.Workday, ""},
		{"2026 notice: 调休 Sat 2026-02-28 worked for 春节", d(2026, 2, 28), deadline.MakeupWorkday, "春节"},
		{"2026 notice: 元旦 make-up Sun 2026-01-04", d(2026, 1, 4), deadline.MakeupWorkday, "元旦"},
		{"ordinary weekend Sun 2024-10-13", d(2024, 10, 13), deadline.RestDay, ""},
		{"ordinary workday Tue 2024-10-08 after the block", d(2024, 10, 8), deadline.Workday, ""},
		{"2020 second notice: Mon 2020-02-03 listed worked is an ordinary workday", d(2020, 2, 3), deadline.Workday, ""},
		{"2020 second notice: 2020-02-02 Sun off (COVID extension)", d(2020, 2, 2), deadline.Holiday, "春节"},
		{"2008 notice lists 2007-12-29 Sat as 元旦 make-up (index by date)", d(2007, 12, 29), deadline.MakeupWorkday, "元旦"},
		{"2008 notice lists 2007-12-31 Mon as 元旦 day off", d(2007, 12, 31), deadline.Holiday, "元旦"},
		{"2023 notice lists 2022-12-31 Sat as 元旦 day off", d(2022, 12, 31), deadline.Holiday, "元旦"},
		{"2015 second notice: victory anniversary 2015-09-03", d(2015, 9, 3), deadline.Holiday, "抗日战争暨世界反法西斯战争胜利70周年纪念日"},
		{"2015 second notice: make-up Sun 2015-09-06", d(2015, 9, 6), deadline.MakeupWorkday, "抗日战争暨世界反法西斯战争胜利70周年纪念日"},
		{"2007 notice “十一” normalised to 国庆节", d(2007, 10, 1), deadline.Holiday, "国庆节"},
		{"2007 notice “五一” normalised to 劳动节", d(2007, 5, 1), deadline.Holiday, "劳动节"},
		{"2020 notice 国庆节、中秋节 normalised to calendar order", d(2020, 10, 1), deadline.Holiday, "中秋节、国庆节"},
		{"leap day Thu 2024-02-29", d(2024, 2, 29), deadline.Workday, ""},
		{"coverage edge: first day 2007-01-01 元旦", d(2007, 1, 1), deadline.Holiday, "元旦"},
		{"coverage edge: last day Thu 2026-12-31", d(2026, 12, 31), deadline.Workday, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info, err := official.Day(tt.date)
			require.NoError(t, err)
			require.Equal(t, tt.kind, info.Kind)
			require.Equal(t, tt.hol, info.Name)
			require.Equal(t, tt.date, info.Date)
			kind, err := official.Kind(tt.date)
			require.NoError(t, err)
			require.Equal(t, tt.kind, kind)
			work, err := official.IsWorkday(tt.date)
			require.NoError(t, err)
			require.Equal(t, tt.kind == deadline.Workday || tt.kind == deadline.MakeupWorkday, work)
			name, err := official.HolidayName(tt.date)
			require.NoError(t, err)
			require.Equal(t, tt.hol, name)
		})
	}
}

func TestCalendar_Kind_errors(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	t.Run("NotCovered", func(t *testing.T) {
		t.Parallel()
		for _, date := range []deadline.Date{
			d(2006, 12, 31), // listed by the 2007 notice, but 2006 is not covered
			d(2027, 1, 1),   // 2027 is listed with no entries: unknown, not "no holidays"
			d(2027, 10, 1),
			d(1, 1, 1),
		} {
			_, err := official.Kind(date)
			require.ErrorIs(t, err, deadline.ErrNotCovered, date.String())
			var nc *deadline.NotCoveredError
			require.ErrorAs(t, err, &nc)
			require.Equal(t, date, nc.Date)
			require.Equal(t, d(2007, 1, 1), nc.First)
			require.Equal(t, d(2026, 12, 31), nc.Last)
			require.Contains(t, err.Error(), date.String())
			require.Contains(t, err.Error(), "2007-01-01..2026-12-31")
			_, err = official.IsWorkday(date)
			require.ErrorIs(t, err, deadline.ErrNotCovered)
			_, err = official.Day(date)
			require.ErrorIs(t, err, deadline.ErrNotCovered)
		}
	})
	t.Run("InvalidDate", func(t *testing.T) {
		t.Parallel()
		for _, date := range []deadline.Date{{}, d(2023, 2, 29), d(2024, 13, 1), d(2024, 4, 31), d(2024, 1, 0)} {
			_, err := official.Kind(date)
			require.ErrorIs(t, err, deadline.ErrInvalidDate, date.String())
			require.NotErrorIs(t, err, deadline.ErrNotCovered)
		}
	})
}

func TestCalendar_AddWorkdays(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name string
		from deadline.Date
		n    int
		want deadline.Date
	}{
		{"over National Day 2024", d(2024, 9, 30), 1, d(2024, 10, 8)},
		{"Fri to 调休 Sun 2024-09-29", d(2024, 9, 27), 1, d(2024, 9, 29)},
		{"Fri to 调休 Sat 2024-10-12", d(2024, 10, 11), 1, d(2024, 10, 12)},
		{"back over National Day 2024", d(2024, 10, 8), -1, d(2024, 9, 30)},
		{"over Spring Festival 2024 to 调休 Sun", d(2024, 2, 9), 1, d(2024, 2, 18)},
		{"over Spring Festival 2025", d(2025, 1, 27), 1, d(2025, 2, 5)},
		{"year boundary 2025→2026 元旦 to make-up Sun", d(2025, 12, 31), 1, d(2026, 1, 4)},
		{"n == 0 on a rest day is the day itself", d(2024, 10, 5), 0, d(2024, 10, 5)},
		{"from a holiday, n = 1", d(2024, 10, 3), 1, d(2024, 10, 8)},
		{"from a holiday, n = -1", d(2024, 10, 3), -1, d(2024, 9, 30)},
		{"250 working days", d(2024, 3, 1), 250, d(2025, 3, 4)},
		{"-250 working days", d(2025, 3, 4), -250, d(2024, 3, 1)},
		{"coverage edge: to the last day", d(2026, 12, 30), 1, d(2026, 12, 31)},
		{"coverage edge: from the first day", d(2007, 1, 1), 1, d(2007, 1, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := official.AddWorkdays(tt.from, tt.n)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	t.Run("beyond the last covered day", func(t *testing.T) {
		t.Parallel()
		_, err := official.AddWorkdays(d(2026, 12, 31), 1)
		var nc *deadline.NotCoveredError
		require.ErrorAs(t, err, &nc)
		require.Equal(t, d(2027, 1, 1), nc.Date)
		_, err = official.AddWorkdays(d(2026, 12, 1), 1_000_000)
		require.ErrorIs(t, err, deadline.ErrNotCovered)
	})
	t.Run("before the first covered day", func(t *testing.T) {
		t.Parallel()
		_, err := official.AddWorkdays(d(2007, 1, 4), -1) // 2007-01-01..03 were 元旦
		var nc *deadline.NotCoveredError
		require.ErrorAs(t, err, &nc)
		require.Equal(t, d(2006, 12, 31), nc.Date)
	})
	t.Run("start outside coverage", func(t *testing.T) {
		t.Parallel()
		_, err := official.AddWorkdays(d(2027, 1, 4), 0)
		require.ErrorIs(t, err, deadline.ErrNotCovered)
	})
}

func TestCalendar_WorkdaysBetween(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name     string
		from, to deadline.Date
		want     int
	}{
		{"over National Day 2024", d(2024, 9, 30), d(2024, 10, 8), 1},
		{"reversed is negative", d(2024, 10, 8), d(2024, 9, 30), -1},
		{"same day", d(2024, 10, 8), d(2024, 10, 8), 0},
		{"from excluded, to included", d(2024, 10, 7), d(2024, 10, 8), 1},
		{"2024 has 251 working days", d(2023, 12, 31), d(2024, 12, 31), 251},
		{"2025 has 248 working days", d(2024, 12, 31), d(2025, 12, 31), 248},
		{"whole 2007 from its first day", d(2007, 1, 1), d(2007, 12, 31), 249},
		{"make-up Sat counts", d(2024, 10, 11), d(2024, 10, 12), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := official.WorkdaysBetween(tt.from, tt.to)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	t.Run("NotCovered", func(t *testing.T) {
		t.Parallel()
		_, err := official.WorkdaysBetween(d(2026, 12, 1), d(2027, 1, 5))
		var nc *deadline.NotCoveredError
		require.ErrorAs(t, err, &nc)
		require.Equal(t, d(2027, 1, 5), nc.Date)
	})
}

func TestDayKind_Text(t *testing.T) {
	t.Parallel()
	for _, k := range []deadline.DayKind{deadline.Workday, deadline.RestDay, deadline.Holiday, deadline.MakeupWorkday} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back deadline.DayKind
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, k, back)
		require.Equal(t, k.String(), string(b))
	}
	require.Equal(t, "调休上班日", deadline.MakeupWorkday.Chinese())
	var k deadline.DayKind
	require.ErrorIs(t, k.UnmarshalText([]byte("weekend")), deadline.ErrInvalidDayKind)
	_, err := deadline.DayKind(9).MarshalText()
	require.ErrorIs(t, err, deadline.ErrInvalidDayKind)
}
