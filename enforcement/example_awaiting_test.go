package enforcement_test

import (
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Filing on 2026-12-04 with the default settings succeeds although the
// official calendar ends on 2026-12-31: the items due in 2027 await the
// calendar and show no date. Once the 2027 schedule is loaded (here the
// made-up test fixture of package deadline, not the State Council's
// notice), Recalculate lists them with their definite dates.
func ExampleRecalculate_awaitingCalendar() {
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	n, _ := enforcement.ParseCaseNumber("（2026）沪0115执9001号")
	c := &enforcement.Case{
		ID: "c1", Number: n, Court: "沪0115", JudgeID: "judge-wang",
		FiledOn: deadline.NewDate(2026, 12, 4), AmountApplied: decimal.RequireFromString("50000.00"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
	if _, err := enforcement.File(c, env, time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC), "clerk"); err != nil {
		panic(err)
	}
	for _, d := range c.OpenDueItems() {
		if shown, ok := d.Shown(env.Settings.AllowProvisional); ok {
			fmt.Println(d.Title, shown)
		} else {
			fmt.Println(d.Title, "待日历公布")
		}
	}

	f, err := os.Open("../deadline/testdata/schedule-2027-fixture.json")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	cal, err := deadline.Official().WithSchedule(f)
	if err != nil {
		panic(err)
	}
	moves, err := enforcement.Recalculate(c, enforcement.DefaultRules(), cal, false, "2027年节假日安排载入")
	if err != nil {
		panic(err)
	}
	for _, m := range moves {
		fmt.Println("确定：", m.Title, m.New, m.Definite)
	}
	// Output:
	// 发出执行通知书 2026-12-14
	// 申请延长办案期限 待日历公布
	// 执行案件办案期限 待日历公布
	// 申请执行人可向上一级法院申请执行 待日历公布
	// 确定： 申请执行人可向上一级法院申请执行 2027-06-05 true
	// 确定： 执行案件办案期限 2027-06-04 true
	// 确定： 申请延长办案期限 2027-05-29 true
}
