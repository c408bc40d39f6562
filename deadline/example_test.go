package deadline_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

func Example() {
	official := deadline.Official()
	first, last := official.Coverage()
	fmt.Println("coverage:", first, "to", last)

	// A party served on 2024-09-30 has 5 days (CPL art. 85).
	r, err := official.Due(deadline.MustParseDate("2024-09-30"), deadline.MustParsePeriod("5d"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("due:", r.Due, "extended from", r.Unextended)
	fmt.Println("in time at 2024-10-08 23:30:", r.InTime(time.Date(2024, 10, 8, 23, 30, 0, 0, deadline.China)))
	for _, s := range r.Steps {
		fmt.Println(s.Text)
	}
	// Output:
	// coverage: 2007-01-01 to 2026-12-31
	// due: 2024-10-08 extended from 2024-10-05
	// in time at 2024-10-08 23:30: true
	// 起算日 2024-09-30（不计入期间）
	// 期间5日，自次日 2024-10-01 起算，期间届满日为 2024-10-05
	// 顺延：2024-10-05 为国庆节（法定节假日），期间届满日顺延至其后第一个工作日 2024-10-08
	// 期间届满日为 2024-10-08，至当日24时（北京时间）届满
}

func ExampleCalendar_AddWorkdays() {
	official := deadline.Official()
	for _, tc := range []struct {
		from string
		n    int
	}{
		{"2024-09-30", 1},  // over the National Day block
		{"2024-10-11", 1},  // to a make-up Saturday (调休上班)
		{"2024-10-08", -1}, // backwards
		{"2024-10-05", 0},  // zero: the day itself, even a holiday
	} {
		got, err := official.AddWorkdays(deadline.MustParseDate(tc.from), tc.n)
		if err != nil {
			fmt.Println(err)
			continue
		}
		kind, _ := official.Kind(got)
		fmt.Printf("%s %+d → %s (%s)\n", tc.from, tc.n, got, kind.Chinese())
	}
	_, err := official.AddWorkdays(deadline.MustParseDate("2026-12-31"), 1)
	fmt.Println(errors.Is(err, deadline.ErrNotCovered), err)
	// Output:
	// 2024-09-30 +1 → 2024-10-08 (工作日)
	// 2024-10-11 +1 → 2024-10-12 (调休上班日)
	// 2024-10-08 -1 → 2024-09-30 (工作日)
	// 2024-10-05 +0 → 2024-10-05 (法定节假日)
	// true deadline: 2027-01-01 outside coverage 2007-01-01..2026-12-31 (year 2027 has no official schedule: load the State Council holiday notice for 2027 with Calendar.WithSchedule, or allow weekend-only provisional dates with Spec.AllowProvisional or enforcement Settings.AllowProvisional)
}

func ExampleCalendar_Due() {
	official := deadline.Official()
	// Civil Code art. 202: a month period ends on the corresponding day, or
	// on the last day of a month that has none.
	r, err := official.Due(deadline.MustParseDate("2024-01-31"), deadline.MustParsePeriod("1m"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Due)
	fmt.Println(r.Basis)
	fmt.Println(r.Deadline)
	// Output:
	// 2024-02-29
	// [《中华人民共和国民事诉讼法》第八十五条 《中华人民共和国民法典》第二百零二条]
	// 2024-03-01 00:00:00 +0800 CST
}

func ExampleCalendar_Compute() {
	official := deadline.Official()
	// A six-month limit from filing, with a suspension (中止) and a public
	// notice (公告) that overlap: their union is not counted (reference A5).
	r, err := official.Compute(deadline.MustParseDate("2024-01-10"), deadline.Spec{
		Period: deadline.MustParsePeriod("6m"),
		Deductions: []deadline.Interval{
			{From: deadline.MustParseDate("2024-03-01"), To: deadline.MustParseDate("2024-03-31"), Reason: "中止"},
			{From: deadline.MustParseDate("2024-03-15"), To: deadline.MustParseDate("2024-04-09"), Reason: "公告"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Steps {
		fmt.Printf("%-8s %s  %s\n", s.Code, s.Date, s.Text)
	}
	fmt.Println("deducted:", r.Deducted, "days; remaining on 2024-06-01:", r.DaysRemaining(deadline.MustParseDate("2024-06-01")))
	// Output:
	// start    2024-01-10  起算日 2024-01-10（不计入期间）
	// count    2024-07-10  期间6个月，自次日 2024-01-11 起算，期间届满日为最后一月的对应日 2024-07-10
	// deduct   2024-08-19  扣除 2024-03-01 至 2024-04-09（中止、公告）共40日，不计入期间，届满日相应推后至 2024-08-19
	// due      2024-08-19  期间届满日为 2024-08-19，至当日24时（北京时间）届满
	// deducted: 40 days; remaining on 2024-06-01: 79
}

func ExampleCalendar_Compute_backward() {
	// "拍卖十五日前公告": the announcement must leave 15 full days before
	// the auction on 2024-10-20 (reference A4); the result is not moved for
	// holidays.
	r, err := deadline.Official().Compute(deadline.MustParseDate("2024-10-20"), deadline.Spec{
		Period:   deadline.MustParsePeriod("15d"),
		Backward: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Steps {
		fmt.Println(s.Code, s.Text)
	}
	// Output:
	// start 基准日 2024-10-20（不计入期间）
	// backward 须在基准日前留足15日（办理日与基准日均不计入）：2024-10-05 至 2024-10-19，最晚应于 2024-10-04 办理
	// no_extension 2024-10-04 为国庆节（法定节假日）；倒计期间不因休息日调整，须于该日或之前办理
	// due 最晚办理日为 2024-10-04，至当日24时（北京时间）止
}

// Today is late 2026: a six-month limit that starts now ends in 2027, a
// year whose schedule is not in the data yet.
func ExampleCalendar_WithSchedule() {
	official := deadline.Official()
	now := time.Date(2026, 11, 3, 15, 0, 0, 0, deadline.China)
	spec := deadline.Spec{Period: deadline.MustParsePeriod("6m")}

	// By default: an error naming the uncovered year, never a guess.
	_, err := official.ComputeAt(now, spec)
	var nc *deadline.NotCoveredError
	if errors.As(err, &nc) {
		fmt.Println("default:", err)
	}

	// Opting in: a weekend-only answer, marked provisional.
	spec.AllowProvisional = true
	r, err := official.ComputeAt(now, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("provisional:", r.Due, r.Provisional)
	fmt.Println(r.ProvisionalReason)

	// After loading a 2027 schedule (here a made-up test fixture, not the
	// official notice): 2027-05-03 is inside its 劳动节 block.
	f, err := os.Open("testdata/schedule-2027-fixture.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	with2027, err := official.WithSchedule(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err = with2027.ComputeAt(now, deadline.Spec{Period: deadline.MustParsePeriod("6m")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("with 2027:", r.Due, r.Provisional)
	fmt.Println(r.Steps[2].Text)
	// Output:
	// default: deadline: 2027-05-03 outside coverage 2007-01-01..2026-12-31 (year 2027 has no official schedule: load the State Council holiday notice for 2027 with Calendar.WithSchedule, or allow weekend-only provisional dates with Spec.AllowProvisional or enforcement Settings.AllowProvisional)
	// provisional: 2027-05-03 true
	// 临时结果：2027年国务院节假日安排尚未载入（日历覆盖 2007年至2026年），该年度按周六、周日休息推算；安排公布并载入后须重新计算
	// with 2027: 2027-05-06 false
	// 顺延：2027-05-03 为劳动节（法定节假日），期间届满日顺延至其后第一个工作日 2027-05-06
}

func ExampleCalendar_Day() {
	official := deadline.Official()
	for _, s := range []string{"2024-02-10", "2024-02-04", "2023-10-02", "2024-10-13", "2020-02-03"} {
		info, err := official.Day(deadline.MustParseDate(s))
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, info.Kind, info.Chinese())
	}
	// Output:
	// 2024-02-10 holiday 春节（法定节假日）
	// 2024-02-04 makeup_workday 春节调休上班日（工作日）
	// 2023-10-02 holiday 中秋节、国庆节（法定节假日）
	// 2024-10-13 rest_day 休息日（星期日）
	// 2020-02-03 workday 工作日（星期一）
}

func ExampleCalendar_WithClosures() {
	c, err := deadline.Official().WithClosures(deadline.Closure{
		Date:   deadline.MustParseDate("2024-09-06"),
		Reason: "台风停止办公",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := c.Due(deadline.MustParseDate("2024-08-27"), deadline.MustParsePeriod("10d"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Due)
	fmt.Println(r.Steps[2].Text)
	// Output:
	// 2024-09-09
	// 顺延：2024-09-06 为法院停止办公日（台风停止办公），期间届满日顺延至其后第一个工作日 2024-09-09
}

func ExampleCalendar_BusinessCalendar() {
	bc := deadline.Official().BusinessCalendar()
	from := deadline.MustParseDate("2024-09-30").Start()
	fmt.Println(deadline.DateOf(bc.WorkdaysFrom(from, 1)))
	fmt.Println(bc.IsWorkday(deadline.MustParseDate("2024-10-12").Start()))
	// Output:
	// 2024-10-08
	// true
}
