package deadline_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

func codes(steps []deadline.Step) []deadline.StepCode {
	out := make([]deadline.StepCode, len(steps))
	for i, s := range steps {
		out[i] = s.Code
	}
	return out
}

func TestCalendar_Compute(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	p := deadline.MustParsePeriod
	tests := []struct {
		name       string
		start      deadline.Date
		spec       deadline.Spec
		due        deadline.Date
		unextended deadline.Date
		extended   bool
		deducted   int
		basis      []string
		steps      []deadline.StepCode
	}{
		{
			name:  "CPL85(3) last day 2024-10-05 国庆节 → 2024-10-08",
			start: d(2024, 9, 30), spec: deadline.Spec{Period: p("5d")},
			due: d(2024, 10, 8), unextended: d(2024, 10, 5), extended: true,
			basis: []string{deadline.BasisCPL85, deadline.BasisCivil203, deadline.BasisHolidayRule},
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepExtend, deadline.StepDue},
		},
		{
			name:  "CPL85(3) rest days inside the period are not skipped: 10d over National Day ends on a workday",
			start: d(2024, 9, 28), spec: deadline.Spec{Period: p("10d")},
			due: d(2024, 10, 8), unextended: d(2024, 10, 8),
			basis: []string{deadline.BasisCPL85},
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepDue},
		},
		{
			name:  "CPL85(3) last day 2024-02-11 春节 → 调休 Sun 2024-02-18",
			start: d(2024, 1, 27), spec: deadline.Spec{Period: p("15d")},
			due: d(2024, 2, 18), unextended: d(2024, 2, 11), extended: true,
		},
		{
			name:  "P14 调休 make-up Sun 2024-02-04 is a working day: not extended",
			start: d(2024, 1, 25), spec: deadline.Spec{Period: p("10d")},
			due: d(2024, 2, 4), unextended: d(2024, 2, 4),
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepMakeup, deadline.StepDue},
		},
		{
			name:  "CPL85(3) ordinary weekend: Sat 2024-03-16 → Mon 2024-03-18",
			start: d(2024, 3, 1), spec: deadline.Spec{Period: p("15d")},
			due: d(2024, 3, 18), unextended: d(2024, 3, 16), extended: true,
		},
		{
			name:  "CPL85(3) Spring Festival 2025: last day 2025-01-30 → 2025-02-05",
			start: d(2025, 1, 15), spec: deadline.Spec{Period: p("15d")},
			due: d(2025, 2, 5), unextended: d(2025, 1, 30), extended: true,
		},
		{
			name:  "CPL85(3) year boundary: 2026-01-02 元旦 → make-up Sun 2026-01-04",
			start: d(2025, 12, 28), spec: deadline.Spec{Period: p("5d")},
			due: d(2026, 1, 4), unextended: d(2026, 1, 2), extended: true,
		},
		{
			name:  "CPL85(3) year boundary: 2008 notice makes 2007-12-31 a holiday → 2008-01-02",
			start: d(2007, 12, 21), spec: deadline.Spec{Period: p("10d")},
			due: d(2008, 1, 2), unextended: d(2007, 12, 31), extended: true,
		},
		{
			name:  "CivilCode202 Jan 31 + 1 month in a leap year → 2024-02-29",
			start: d(2024, 1, 31), spec: deadline.Spec{Period: p("1m")},
			due: d(2024, 2, 29), unextended: d(2024, 2, 29),
			basis: []string{deadline.BasisCPL85, deadline.BasisCivil202},
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepMonthEnd, deadline.StepDue},
		},
		{
			name:  "CivilCode202 Jan 31 + 1 month in a common year → 2023-02-28",
			start: d(2023, 1, 31), spec: deadline.Spec{Period: p("1m")},
			due: d(2023, 2, 28), unextended: d(2023, 2, 28),
		},
		{
			name:  "CivilCode202 P8 example 08-31 + 6 months → 2025-02-28",
			start: d(2024, 8, 31), spec: deadline.Spec{Period: p("6m")},
			due: d(2025, 2, 28), unextended: d(2025, 2, 28),
		},
		{
			name:  "CivilCode202 leap day + 1 year → 2025-02-28",
			start: d(2024, 2, 29), spec: deadline.Spec{Period: p("1y")},
			due: d(2025, 2, 28), unextended: d(2025, 2, 28),
		},
		{
			name:  "SPC 2014-12-12 P12 example: 3 months from 2014-05-28 → 2014-08-28",
			start: d(2014, 5, 28), spec: deadline.Spec{Period: p("3m")},
			due: d(2014, 8, 28), unextended: d(2014, 8, 28),
		},
		{
			name:  "CivilCode202+203 6 months ending on 国庆节 2024-10-01 → 2024-10-08",
			start: d(2024, 4, 1), spec: deadline.Spec{Period: p("6m")},
			due: d(2024, 10, 8), unextended: d(2024, 10, 1), extended: true,
			basis: []string{deadline.BasisCPL85, deadline.BasisCivil202, deadline.BasisCivil203, deadline.BasisHolidayRule},
		},
		{
			name:  "CivilCode1259 超过6个月: ends 2024-09-15 中秋节 → 2024-09-18, exceeded from 2024-09-19",
			start: d(2024, 3, 15), spec: deadline.Spec{Period: p("6m"), Exceed: true},
			due: d(2024, 9, 19), unextended: d(2024, 9, 15), extended: true,
			basis: []string{deadline.BasisCPL85, deadline.BasisCivil202, deadline.BasisCivil203, deadline.BasisHolidayRule, deadline.BasisCivil1259},
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepExtend, deadline.StepExceed, deadline.StepDue},
		},
		{
			name:  "CPL85(3) switched off (reference A10): 2024-10-05 stays",
			start: d(2024, 9, 30), spec: deadline.Spec{Period: p("5d"), NoExtension: true},
			due: d(2024, 10, 5), unextended: d(2024, 10, 5),
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepNoExtension, deadline.StepDue},
		},
		{
			name:  "P13 working days: 3wd from 2024-09-27 over 调休 Sun and National Day → 2024-10-08",
			start: d(2024, 9, 27), spec: deadline.Spec{Period: p("3wd")},
			due: d(2024, 10, 8), unextended: d(2024, 10, 8),
		},
		{
			name:  "P13 working days from a holiday: 1wd from 2024-10-03 → 2024-10-08",
			start: d(2024, 10, 3), spec: deadline.Spec{Period: p("1wd")},
			due: d(2024, 10, 8), unextended: d(2024, 10, 8),
		},
		{
			name:  "zero period: due is the start day, even a holiday",
			start: d(2024, 10, 5), spec: deadline.Spec{Period: p("0d")},
			due: d(2024, 10, 5), unextended: d(2024, 10, 5),
		},
		{
			name:  "A4 backward 15d before an auction on 2024-10-20: 15 full days between → 2024-10-04, no holiday shift",
			start: d(2024, 10, 20), spec: deadline.Spec{Period: p("15d"), Backward: true},
			due: d(2024, 10, 4), unextended: d(2024, 10, 4),
			basis: []string{deadline.BasisCPL85},
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepBackward, deadline.StepNoExtension, deadline.StepDue},
		},
		{
			name:  "A4 negative period counts backwards like Backward",
			start: d(2024, 10, 20), spec: deadline.Spec{Period: p("-15d")},
			due: d(2024, 10, 4), unextended: d(2024, 10, 4),
		},
		{
			name:  "A4 backward 1 month from 2024-03-31: corresponding day 2024-02-29 → 2024-02-28",
			start: d(2024, 3, 31), spec: deadline.Spec{Period: p("1m"), Backward: true},
			due: d(2024, 2, 28), unextended: d(2024, 2, 28),
		},
		{
			name:  "A4 backward working days: 2wd before 2024-10-08 → 2024-09-29 and 09-30 between → 2024-09-28",
			start: d(2024, 10, 8), spec: deadline.Spec{Period: p("2wd"), Backward: true},
			due: d(2024, 9, 28), unextended: d(2024, 9, 28),
		},
		{
			name:  "A5 deductions: 中止 and 公告 overlap, union 2024-03-01..04-09 = 40 days",
			start: d(2024, 1, 10),
			spec: deadline.Spec{Period: p("6m"), Deductions: []deadline.Interval{
				{From: d(2024, 3, 15), To: d(2024, 4, 9), Reason: "公告"},
				{From: d(2024, 3, 1), To: d(2024, 3, 31), Reason: "中止"},
			}},
			due: d(2024, 8, 19), unextended: d(2024, 8, 19), deducted: 40,
			steps: []deadline.StepCode{deadline.StepStart, deadline.StepCount, deadline.StepDeduct, deadline.StepDue},
		},
		{
			name:  "A5 deduction begun before the start counts from the day after the start",
			start: d(2024, 1, 10),
			spec: deadline.Spec{Period: p("10d"), Deductions: []deadline.Interval{
				{From: d(2023, 12, 1), To: d(2024, 1, 15), Reason: "暂缓"},
			}},
			due: d(2024, 1, 25), unextended: d(2024, 1, 25), deducted: 5,
		},
		{
			name:  "A5 deduction after the period ends is ignored",
			start: d(2024, 1, 10),
			spec: deadline.Spec{Period: p("10d"), Deductions: []deadline.Interval{
				{From: d(2024, 1, 21), To: d(2024, 1, 30)},
			}},
			due: d(2024, 1, 22), unextended: d(2024, 1, 20), extended: true,
		},
		{
			name:  "A5 deduction reached only because of an earlier one counts",
			start: d(2024, 3, 1),
			spec: deadline.Spec{Period: p("10d"), Deductions: []deadline.Interval{
				{From: d(2024, 3, 13), To: d(2024, 3, 14), Reason: "评估"},
				{From: d(2024, 3, 5), To: d(2024, 3, 6), Reason: "中止"},
			}},
			due: d(2024, 3, 15), unextended: d(2024, 3, 15), deducted: 4,
		},
		{
			name:  "A5 deduction in a working-day period resumes the count after it",
			start: d(2024, 3, 1),
			spec: deadline.Spec{Period: p("5wd"), Deductions: []deadline.Interval{
				{From: d(2024, 3, 5), To: d(2024, 3, 6)},
			}},
			due: d(2024, 3, 12), unextended: d(2024, 3, 12), deducted: 2,
		},
		{
			name:  "coverage edge: 15d ending on the last covered day",
			start: d(2026, 12, 16), spec: deadline.Spec{Period: p("15d")},
			due: d(2026, 12, 31), unextended: d(2026, 12, 31),
		},
		{
			name:  "start before coverage is fine when only covered days are looked up",
			start: d(2006, 12, 25), spec: deadline.Spec{Period: p("10d")},
			due: d(2007, 1, 4), unextended: d(2007, 1, 4),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := official.Compute(tt.start, tt.spec)
			require.NoError(t, err)
			require.Equal(t, tt.due, r.Due, "due")
			require.Equal(t, tt.unextended, r.Unextended, "unextended")
			require.Equal(t, tt.extended, r.Extended, "extended")
			require.Equal(t, tt.deducted, r.Deducted, "deducted")
			require.Equal(t, tt.start, r.Start)
			require.False(t, r.Provisional)
			if tt.basis != nil {
				require.Equal(t, tt.basis, r.Basis)
			}
			if tt.steps != nil {
				require.Equal(t, tt.steps, codes(r.Steps))
			}
			require.NotEmpty(t, r.Steps)
			require.Equal(t, deadline.StepDue, r.Steps[len(r.Steps)-1].Code)
			require.Equal(t, r.Due, r.Steps[len(r.Steps)-1].Date)
			if tt.spec.Exceed {
				require.Equal(t, tt.due.Start(), r.Deadline)
			} else {
				require.Equal(t, tt.due.End(), r.Deadline)
			}
		})
	}
}

func TestCalendar_Compute_explanation(t *testing.T) {
	t.Parallel()
	r, err := deadline.Official().Due(d(2024, 9, 30), deadline.MustParsePeriod("5d"))
	require.NoError(t, err)
	require.Equal(t, []deadline.Step{
		{Code: deadline.StepStart, Date: d(2024, 9, 30), Text: "起算日 2024-09-30（不计入期间）"},
		{Code: deadline.StepCount, Date: d(2024, 10, 5), Text: "期间5日，自次日 2024-10-01 起算，期间届满日为 2024-10-05"},
		{Code: deadline.StepExtend, Date: d(2024, 10, 8), Text: "顺延：2024-10-05 为国庆节（法定节假日），期间届满日顺延至其后第一个工作日 2024-10-08"},
		{Code: deadline.StepDue, Date: d(2024, 10, 8), Text: "期间届满日为 2024-10-08，至当日24时（北京时间）届满"},
	}, r.Steps)
}

func TestCalendar_Compute_closure(t *testing.T) {
	t.Parallel()
	// A typhoon closure on Fri 2024-09-06 (made-up court closure).
	c, err := deadline.Official().WithClosures(deadline.Closure{Date: d(2024, 9, 6), Reason: "台风停止办公"})
	require.NoError(t, err)
	r, err := c.Due(d(2024, 8, 27), deadline.MustParsePeriod("10d"))
	require.NoError(t, err)
	require.Equal(t, d(2024, 9, 9), r.Due)
	require.Contains(t, r.Steps[2].Text, "法院停止办公日（台风停止办公）")
	// The official calendar is unchanged.
	r, err = deadline.Official().Due(d(2024, 8, 27), deadline.MustParsePeriod("10d"))
	require.NoError(t, err)
	require.Equal(t, d(2024, 9, 6), r.Due)
}

func TestCalendar_Compute_notCovered(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name  string
		start deadline.Date
		spec  deadline.Spec
		at    deadline.Date
	}{
		{"last day in 2027", d(2026, 12, 20), deadline.Spec{Period: deadline.MustParsePeriod("15d")}, d(2027, 1, 4)},
		{"extension runs past coverage", d(2026, 12, 21), deadline.Spec{Period: deadline.MustParsePeriod("15d")}, d(2027, 1, 5)},
		{"working days past coverage", d(2026, 12, 30), deadline.Spec{Period: deadline.MustParsePeriod("3wd")}, d(2027, 1, 1)},
		{"last day before coverage", d(2006, 12, 1), deadline.Spec{Period: deadline.MustParsePeriod("10d")}, d(2006, 12, 11)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := official.Compute(tt.start, tt.spec)
			var nc *deadline.NotCoveredError
			require.ErrorAs(t, err, &nc)
			require.Equal(t, tt.at, nc.Date)
			require.Equal(t, deadline.Result{}, r, "error ⇒ zero Result")

			spec := tt.spec
			spec.AllowProvisional = true
			r, err = official.Compute(tt.start, spec)
			require.NoError(t, err)
			require.True(t, r.Provisional)
			require.Contains(t, r.ProvisionalReason, "临时结果")
			require.Contains(t, r.ProvisionalReason, strconv.Itoa(tt.at.Year)+"年")
			require.Contains(t, codes(r.Steps), deadline.StepProvisional)
		})
	}
	t.Run("31 Dec 2026 + 1 day is 2027-01-01, weekend-only guess is a Friday", func(t *testing.T) {
		t.Parallel()
		r, err := official.Compute(d(2026, 12, 31), deadline.Spec{Period: deadline.MustParsePeriod("1d"), AllowProvisional: true})
		require.NoError(t, err)
		// The real 2027 元旦 will make this wrong; that is why it is marked.
		require.Equal(t, d(2027, 1, 1), r.Due)
		require.True(t, r.Provisional)
	})
	t.Run("provisional flag changes nothing inside coverage", func(t *testing.T) {
		t.Parallel()
		r, err := official.Compute(d(2024, 9, 30), deadline.Spec{Period: deadline.MustParsePeriod("5d"), AllowProvisional: true})
		require.NoError(t, err)
		require.False(t, r.Provisional)
		require.Empty(t, r.ProvisionalReason)
		require.Equal(t, d(2024, 10, 8), r.Due)
	})
}

func TestCalendar_Compute_invalid(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	tests := []struct {
		name  string
		start deadline.Date
		spec  deadline.Spec
		want  error
	}{
		{"unset period", d(2024, 1, 1), deadline.Spec{}, deadline.ErrInvalidSpec},
		{"impossible start", d(2023, 2, 29), deadline.Spec{Period: deadline.MustParsePeriod("5d")}, deadline.ErrInvalidDate},
		{"backward with a negative period", d(2024, 1, 1), deadline.Spec{Period: deadline.MustParsePeriod("-5d"), Backward: true}, deadline.ErrInvalidSpec},
		{"backward with deductions", d(2024, 1, 1), deadline.Spec{Period: deadline.MustParsePeriod("5d"), Backward: true, Deductions: []deadline.Interval{{From: d(2024, 1, 1), To: d(2024, 1, 2)}}}, deadline.ErrInvalidSpec},
		{"deduction ends before it starts", d(2024, 1, 1), deadline.Spec{Period: deadline.MustParsePeriod("5d"), Deductions: []deadline.Interval{{From: d(2024, 1, 3), To: d(2024, 1, 2)}}}, deadline.ErrInvalidSpec},
		{"hour period without an instant", d(2024, 1, 1), deadline.Spec{Period: deadline.MustParsePeriod("24h")}, deadline.ErrInvalidSpec},
		{"absurd period", d(2024, 1, 1), deadline.Spec{Period: deadline.Period{N: 1 << 40, Unit: deadline.Days}}, deadline.ErrInvalidSpec},
		{"result beyond year 9999", d(2024, 1, 1), deadline.Spec{Period: deadline.Period{N: 9_000_000, Unit: deadline.Months}, NoExtension: true}, deadline.ErrInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := official.Compute(tt.start, tt.spec)
			require.ErrorIs(t, err, tt.want)
			require.Equal(t, deadline.Result{}, r)
		})
	}
}

func TestCalendar_DueAt_hours(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	at := func(y int, m time.Month, day, h, min int) time.Time {
		return time.Date(y, m, day, h, min, 0, 0, deadline.China)
	}
	tests := []struct {
		name     string
		start    time.Time
		spec     deadline.Spec
		deadline time.Time
		due      deadline.Date
	}{
		{"Interp125 hour periods start at the next hour: 24h from 10:25", at(2024, 10, 1, 10, 25), deadline.Spec{Period: deadline.MustParsePeriod("24h")}, at(2024, 10, 2, 11, 0), d(2024, 10, 2)},
		{"CPL103 48h over a holiday is not extended", at(2024, 9, 30, 16, 0), deadline.Spec{Period: deadline.MustParsePeriod("48h")}, at(2024, 10, 2, 17, 0), d(2024, 10, 2)},
		{"ending at 24:00 belongs to the day before", at(2024, 10, 1, 23, 10), deadline.Spec{Period: deadline.MustParsePeriod("24h")}, at(2024, 10, 3, 0, 0), d(2024, 10, 2)},
		{"instant in UTC is read in China Standard Time", time.Date(2024, 10, 1, 2, 25, 0, 0, time.UTC), deadline.Spec{Period: deadline.MustParsePeriod("24h")}, at(2024, 10, 2, 11, 0), d(2024, 10, 2)},
		{"backward 24h", at(2024, 10, 2, 10, 25), deadline.Spec{Period: deadline.MustParsePeriod("24h"), Backward: true}, at(2024, 10, 1, 10, 0), d(2024, 10, 1)},
		{"hours need no coverage", at(2030, 1, 1, 9, 0), deadline.Spec{Period: deadline.MustParsePeriod("24h")}, at(2030, 1, 2, 10, 0), d(2030, 1, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := official.ComputeAt(tt.start, tt.spec)
			require.NoError(t, err)
			require.True(t, tt.deadline.Equal(r.Deadline), "deadline %s", r.Deadline)
			require.Equal(t, tt.due, r.Due)
			require.False(t, r.Extended)
			require.Contains(t, r.Basis, deadline.BasisInterp125)
		})
	}
	t.Run("DueAt for a day period uses the date in China", func(t *testing.T) {
		t.Parallel()
		r, err := official.DueAt(time.Date(2024, 9, 29, 16, 30, 0, 0, time.UTC), deadline.MustParsePeriod("5d"))
		require.NoError(t, err)
		require.Equal(t, d(2024, 9, 30), r.Start) // 00:30 on 09-30 in Beijing
		require.Equal(t, d(2024, 10, 8), r.Due)
	})
}

func TestResult_InTime(t *testing.T) {
	t.Parallel()
	r, err := deadline.Official().Due(d(2024, 9, 30), deadline.MustParsePeriod("5d"))
	require.NoError(t, err)
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"CivilCode203 last day until 24:00", time.Date(2024, 10, 8, 23, 59, 59, 0, deadline.China), true},
		{"24:00 is too late", time.Date(2024, 10, 9, 0, 0, 0, 0, deadline.China), false},
		{"UTC 16:30 is 00:30 next day in Beijing", time.Date(2024, 10, 8, 16, 30, 0, 0, time.UTC), false},
		{"UTC 15:59 is 23:59 in Beijing", time.Date(2024, 10, 8, 15, 59, 0, 0, time.UTC), true},
		{"on the unextended holiday", time.Date(2024, 10, 5, 10, 0, 0, 0, deadline.China), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, r.InTime(tt.t))
		})
	}
}

func TestResult_DaysRemaining(t *testing.T) {
	t.Parallel()
	r, err := deadline.Official().Compute(d(2024, 1, 10), deadline.Spec{
		Period:     deadline.MustParsePeriod("6m"),
		Deductions: []deadline.Interval{{From: d(2024, 3, 1), To: d(2024, 3, 31), Reason: "中止"}},
	})
	require.NoError(t, err)
	require.Equal(t, d(2024, 8, 10), r.Unextended) // 2024-07-10 + 31 days, a Saturday
	require.Equal(t, d(2024, 8, 12), r.Due)        // extended to Monday
	tests := []struct {
		name string
		on   deadline.Date
		want int
	}{
		{"before the suspension", d(2024, 2, 29), 134},
		{"suspended: remaining days do not run", d(2024, 3, 10), 134},
		{"last suspended day", d(2024, 3, 31), 134},
		{"running again", d(2024, 4, 1), 133},
		{"due date", d(2024, 8, 12), 0},
		{"overdue by 3 days", d(2024, 8, 15), -3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, r.DaysRemaining(tt.on))
		})
	}
}

func TestMergeIntervals(t *testing.T) {
	t.Parallel()
	in := []deadline.Interval{
		{From: d(2024, 3, 10), To: d(2024, 3, 20), Reason: "公告"},
		{From: d(2024, 3, 1), To: d(2024, 3, 5), Reason: "中止"},
		{From: d(2024, 3, 6), To: d(2024, 3, 8), Reason: "中止"},   // adjacent: merged
		{From: d(2024, 3, 15), To: d(2024, 3, 16), Reason: "评估"}, // inside
		{From: d(2024, 4, 1), To: d(2024, 4, 1)},
	}
	got := deadline.MergeIntervals(in)
	require.Equal(t, []deadline.Interval{
		{From: d(2024, 3, 1), To: d(2024, 3, 8), Reason: "中止"},
		{From: d(2024, 3, 10), To: d(2024, 3, 20), Reason: "公告、评估"},
		{From: d(2024, 4, 1), To: d(2024, 4, 1)},
	}, got)
	require.Equal(t, d(2024, 3, 10), in[0].From, "input unchanged")
}
