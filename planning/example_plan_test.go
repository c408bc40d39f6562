package planning_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// exampleCase returns judge j-zhang's case with three open due items in the
// week after the 2024 National Day holiday.
func exampleCase() *enforcement.Case {
	n, _ := enforcement.ParseCaseNumber("（2024）沪0115执1234号")
	return &enforcement.Case{
		ID: "c1", Number: n, Court: n.Court, JudgeID: "j-zhang", Status: enforcement.StatusOpen, Version: 4,
		DueItems: []enforcement.DueItem{
			{ID: "notice", Title: "发出执行通知书", Computed: deadline.NewDate(2024, 10, 8), Status: enforcement.DueOpen,
				Basis: "执行工作若干问题的规定第22条", Warnings: []deadline.Date{deadline.NewDate(2024, 10, 1)}},
			{ID: "inquiry", Title: "网络查控", Computed: deadline.NewDate(2024, 10, 11), Status: enforcement.DueOpen},
			{ID: "report", Title: "报告财产令回执", Computed: deadline.NewDate(2024, 10, 16), Status: enforcement.DueOpen},
		},
	}
}

func ExamplePlan_AddItem() {
	c := exampleCase()
	plan := planning.NewPlan(c.Court, "j-zhang", planning.Week{Year: 2024, Number: 41})
	ch := planning.Change{By: "j-zhang", At: time.Date(2024, 10, 6, 18, 0, 0, 0, deadline.China), Cases: planning.LookupCases(c)}

	err := plan.AddItem(planning.Item{
		ID: "t1", Kind: planning.KindTrip, CaseID: "c9", DueID: "notice", Title: "现场调查",
		Trip: &planning.Trip{
			Start: time.Date(2024, 10, 14, 9, 0, 0, 0, deadline.China), // next week
			End:   time.Date(2024, 10, 14, 8, 0, 0, 0, deadline.China), // before the start
			Place: planning.Place{Address: "浦东新区张江路100号", Division: "310115"},
		},
	}, ch)
	fmt.Println(errors.Is(err, planning.ErrOutsideWeek), errors.Is(err, planning.ErrUnknownCase), len(plan.Items))
	var pe *planning.PlanError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			fmt.Println(" -", p)
		}
	}
	// Output:
	// true true 0
	//  - planning: item "t1": End: 2024-10-14 08:00 is before start 2024-10-14 09:00
	//  - planning: item "t1": Start: 2024-10-14 09:00 is not in week 2024-W41 (2024-10-07..2024-10-13)
	//  - planning: item "t1": End: 2024-10-14 08:00 is not in week 2024-W41 (2024-10-07..2024-10-13)
	//  - planning: trip "j-zhang/2024-W41/t1": End: 2024-10-14T08:00:00+08:00 is before start 2024-10-14T09:00:00+08:00
	//  - planning: item "t1": CaseID: "c9" is not one of the judge's cases
}

func ExampleReminders() {
	c := exampleCase()
	plan := planning.NewPlan(c.Court, "j-zhang", planning.Week{Year: 2024, Number: 41})
	ch := planning.Change{By: "j-zhang", At: time.Date(2024, 10, 6, 18, 0, 0, 0, deadline.China), Cases: planning.LookupCases(c)}
	// The inquiry is planned for Saturday 10-12, a make-up workday, but it
	// is due on Friday.
	if err := plan.AddItem(planning.Item{ID: "i1", Kind: planning.KindTask, CaseID: "c1", DueID: "inquiry", Title: "网络查控", Day: deadline.NewDate(2024, 10, 12)}, ch); err != nil {
		fmt.Println(err)
		return
	}

	now := time.Date(2024, 10, 9, 8, 30, 0, 0, deadline.China) // Wednesday
	a, err := planning.Reminders("j-zhang", []*planning.Plan{&plan}, []*enforcement.Case{c}, now, deadline.Official(), planning.ReminderConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(name string, es []planning.Entry) {
		fmt.Println(name)
		for _, e := range es {
			var flags []string
			for _, f := range e.Flags {
				flags = append(flags, f.Chinese())
			}
			fmt.Printf("  [%s %s] %s %s %s %s\n", e.Level.Chinese(), e.Level.Colour(), e.Due, e.Title, e.CaseNumber, strings.Join(flags, "、"))
		}
	}
	show("今日", a.Today)
	show("本周", a.ThisWeek)
	show("下周", a.NextWeek)
	fmt.Printf("overdue %d, approaching %d, unplanned %d, too late %d\n", a.Counts.Overdue, a.Counts.Approaching, a.Counts.Unplanned, a.Counts.TooLate)
	// Output:
	// 今日
	//   [已超期 #c62828] 2024-10-08 发出执行通知书 （2024）沪0115执1234号 未列入计划
	// 本周
	//   [临期 #f9a825] 2024-10-11 网络查控 （2024）沪0115执1234号 计划晚于期限
	// 下周
	//   [正常 #2e7d32] 2024-10-16 报告财产令回执 （2024）沪0115执1234号 未列入计划
	// overdue 1, approaching 1, unplanned 2, too late 1
}

func ExampleFeed() {
	c := exampleCase()
	c.DueItems = c.DueItems[:1]
	now := time.Date(2024, 9, 30, 6, 0, 0, 0, deadline.China)
	cfg := planning.FeedConfig{Domain: "zhixing.court.example.cn"}
	feed, err := planning.Feed("j-zhang", nil, []*enforcement.Case{c}, now, deadline.Official(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The judge moves the deadline; the store bumps the case version, so
	// the event keeps its UID and gets a higher SEQUENCE. Its approaching
	// alarm falls on Sunday 09-29, a make-up workday.
	c.DueItems[0].Override = &enforcement.Override{Date: deadline.NewDate(2024, 10, 9), Reason: "补正送达地址", By: "j-zhang", At: now, Status: enforcement.OverrideApproved}
	c.Version++
	moved, err := planning.Feed("j-zhang", nil, []*enforcement.Case{c}, now, deadline.Official(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range [][]byte{feed, moved} {
		for _, line := range strings.Split(string(b), "\r\n") {
			for _, p := range []string{"UID:", "SEQUENCE:", "DTSTART;VALUE=DATE:", "TRIGGER;"} {
				if strings.HasPrefix(line, p) {
					fmt.Println(line)
				}
			}
		}
		fmt.Println("--")
	}
	// Output:
	// DTSTART;VALUE=DATE:20241008
	// SEQUENCE:4
	// UID:due/c1/notice@zhixing.court.example.cn
	// TRIGGER;VALUE=DATE-TIME:20240927T010000Z
	// TRIGGER;VALUE=DATE-TIME:20241001T010000Z
	// TRIGGER;VALUE=DATE-TIME:20241008T010000Z
	// --
	// DTSTART;VALUE=DATE:20241009
	// SEQUENCE:5
	// UID:due/c1/notice@zhixing.court.example.cn
	// TRIGGER;VALUE=DATE-TIME:20240929T010000Z
	// TRIGGER;VALUE=DATE-TIME:20241001T010000Z
	// TRIGGER;VALUE=DATE-TIME:20241009T010000Z
	// --
}
