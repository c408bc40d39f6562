package enforcement_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// exampleCase files a case on the default rules: application received
// 2024-02-28, filed 2024-03-01, 100,000 yuan applied for.
func exampleCase(env enforcement.Env, id string) *enforcement.Case {
	n, _ := enforcement.ParseCaseNumber("（2024）沪0115执" + id + "号")
	c := &enforcement.Case{
		ID: id, Number: n, Court: "沪0115", JudgeID: "judge-wang",
		ReceivedOn: deadline.NewDate(2024, 2, 28), FiledOn: deadline.NewDate(2024, 3, 1),
		AmountApplied: decimal.RequireFromString("100000.00"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
	if _, err := enforcement.File(c, env, time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), "clerk"); err != nil {
		panic(err)
	}
	return c
}

// Closing as 终结本次执行程序 too early lists every unmet precondition, and
// the case is unchanged.
func ExampleCase_Close() {
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	c := exampleCase(env, "101")
	on := deadline.NewDate(2024, 5, 31)
	_, err := c.RecordNode(enforcement.Node{ID: "n1", Kind: enforcement.NodeExecutionNotice, Date: deadline.NewDate(2024, 3, 5)}, env, on.Start())
	if err != nil {
		panic(err)
	}

	_, err = c.Close(enforcement.ClosureZhongBen, on, "未发现可供执行的财产", "judge-wang", env, on.Start())
	var ce *enforcement.ClosureError
	if errors.As(err, &ce) {
		fmt.Println("不能以", ce.Mode.Chinese(), "结案：")
		for _, p := range ce.Unmet {
			fmt.Printf("- %s：%s\n", p.Title, p.Detail)
		}
	}
	fmt.Println(errors.Is(err, enforcement.ErrNotAllowed), c.Status)
	// Output:
	// 不能以 终结本次执行程序 结案：
	// - 自立案之日起已超过三个月：立案日期2024-03-01，至2024-06-02方超过三个月，结案日期2024-05-31尚未超过
	// - 已责令被执行人报告财产：未记录发出报告财产令
	// - 已通过网络执行查控系统查询财产：未记录网络查控
	// - 已发出限制消费令：未记录限制消费
	// - 已告知申请执行人并听取其意见：尚未听取申请执行人意见：张三
	// - 符合条件的被执行人已纳入失信被执行人名单：下列被执行人既未纳入失信名单，也未记录不符合条件的理由：某某贸易有限公司
	// - 已核查被执行人的财产报告：未记录核查被执行人的财产报告（被执行人未报告的，记录核查情况并按第二条第（三）项处理）
	// true open
}

// The chief's view over two judges' cases on 2024-09-27, the Friday before
// the National Day holiday.
func ExampleSupervise() {
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	c1 := exampleCase(env, "201")
	c1.Key = true
	for _, n := range []enforcement.Node{
		{ID: "n1", Kind: enforcement.NodeHandlerAssigned, Date: deadline.NewDate(2024, 3, 4)},
		{ID: "n2", Kind: enforcement.NodeExecutionNotice, Date: deadline.NewDate(2024, 3, 5)},
	} {
		if _, err := c1.RecordNode(n, env, n.Date.Start()); err != nil {
			panic(err)
		}
	}
	c2 := exampleCase(env, "202")
	c2.JudgeID = "judge-zhao"
	c2.FiledOn, c2.ReceivedOn = deadline.NewDate(2024, 9, 20), deadline.NewDate(2024, 9, 20)
	c2.DueItems, c2.Nodes, c2.Status = nil, nil, ""
	if _, err := enforcement.File(c2, env, time.Date(2024, 9, 20, 10, 0, 0, 0, time.UTC), "clerk"); err != nil {
		panic(err)
	}

	rep, err := enforcement.Supervise([]*enforcement.Case{c2, c1}, deadline.NewDate(2024, 9, 27), env.Calendar, enforcement.SupervisionConfig{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("超期%d项，今日到期%d项，临期%d项\n", rep.Counts.Overdue, rep.Counts.DueToday, rep.Counts.Approaching)
	for _, f := range rep.Due {
		fmt.Printf("[%s] %s %s 截止%s\n", f.Level.Chinese(), f.Number, f.Title, f.Due)
	}
	for _, k := range rep.KeyCases {
		fmt.Printf("重点案件 %s：立案%d日，最早期限%s（%s）\n", k.Number, k.AgeDays, k.NextDue, k.NextTitle)
	}
	for _, j := range rep.Judges {
		fmt.Printf("%s：未结%d件，已结%d件，超期%d项\n", j.JudgeID, j.Open, j.Closed, j.Counts.Overdue)
	}
	fmt.Printf("未分配承办人的案件超期%d项，当事人、平台的期限超期%d项，当事人权利%d项（不计超期）\n", rep.Unassigned.Overdue, rep.PartyTasks.Overdue, rep.Rights)
	fmt.Println("合计相符:", rep.AddsUp())
	// Output:
	// 超期4项，今日到期0项，临期1项
	// [已超期] （2024）沪0115执201号 告知申请执行人提供财产线索 截止2024-03-07
	// [已超期] （2024）沪0115执201号 完成财产调查 截止2024-04-07
	// [已超期] （2024）沪0115执201号 申请延长办案期限 截止2024-08-27
	// [已超期] （2024）沪0115执201号 执行案件办案期限 截止2024-09-02
	// [临期] （2024）沪0115执202号 发出执行通知书 截止2024-09-30
	// 重点案件 （2024）沪0115执201号：立案210日，最早期限2024-03-07（告知申请执行人提供财产线索）
	// judge-wang：未结1件，已结0件，超期4项
	// judge-zhao：未结1件，已结0件，超期0项
	// 未分配承办人的案件超期0项，当事人、平台的期限超期0项，当事人权利3项（不计超期）
	// 合计相符: true
}
