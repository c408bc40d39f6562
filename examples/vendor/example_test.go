package vendor_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/vendor"
	"github.com/courtkit/zhixing/notify"
)

// A case filed on 4 December 2026 with the default settings, on the
// vendor's own store. The official calendar ends on 31 December 2026, so the
// limits that end in 2027 await the calendar instead of failing the
// filing. The store logs the filing; the relay drafts the filing notice
// from the log into the vendor's outbox, and the dispatcher hands it to the
// vendor's SMS gateway.
func Example() {
	ctx := context.Background()
	store, outbox := vendor.NewStore(), vendor.NewOutbox()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, deadline.China)

	n, _ := enforcement.ParseCaseNumber("（2026）沪0115执9001号")
	c := &enforcement.Case{
		ID: "c9001", Number: n, Court: "沪0115", JudgeID: "judge-wang", Cause: "民间借贷纠纷",
		Source:     enforcement.SourceDocument{Title: "民事判决书", Number: "（2026）沪0115民初88号"},
		ReceivedOn: deadline.NewDate(2026, 12, 2), FiledOn: deadline.NewDate(2026, 12, 4),
		AmountApplied: decimal.RequireFromString("50000.00"), QueryCode: "Q7F3K2",
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
	events, err := enforcement.File(c, env, now, "clerk")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := store.Create(ctx, c, events); err != nil {
		fmt.Println(err)
		return
	}

	fmt.Println("期限：")
	var awaiting []enforcement.DueItem
	for _, d := range c.OpenDueItems() {
		if on, ok := d.Shown(env.Settings.AllowProvisional); ok {
			fmt.Println(" ", d.Title, on)
		} else {
			awaiting = append(awaiting, d)
		}
	}
	// The default settings show no date for these; the estimate counts
	// weekends only and is what the filing notice prints, marked 暂定.
	fmt.Println("待日历公布（2027年节假日安排未载入）：")
	for _, d := range awaiting {
		estimate, _ := d.Shown(true)
		fmt.Println(" ", d.Title, "暂估", estimate)
	}

	tpls, err := notify.DefaultTemplates(notify.Config{Signature: "【浦东法院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The vendor's user directory gives the judge's bare name and office
	// number, which the notice prints.
	staff := func(id string) (notify.Recipient, bool) {
		return notify.Recipient{Name: "王明", Mobile: "13900139000"}, id == "judge-wang"
	}
	drafter := &notify.Drafter{Templates: tpls, Staff: staff, Phone: "021-50000000"}
	relay := &notify.Relay{Log: store, Cases: store, Cursor: store, Outbox: outbox, Drafter: drafter}
	if _, err := relay.Once(ctx, now); err != nil {
		fmt.Println(err)
		return
	}
	d := &notify.Dispatcher{Outbox: outbox, Sender: &vendor.Sender{W: os.Stdout}, Now: func() time.Time { return now }}
	if _, err := d.RunOnce(ctx); err != nil {
		fmt.Println(err)
		return
	}
	msgs, _ := outbox.List(ctx, notify.Filter{CaseID: "c9001"})
	for _, m := range msgs {
		fmt.Println(m.Template, m.State, m.ProviderID)
	}
	// Output:
	// 期限：
	//   发出执行通知书 2026-12-14
	// 待日历公布（2027年节假日安排未载入）：
	//   申请延长办案期限 暂估 2027-05-29
	//   申请执行人可向上一级法院申请执行 暂估 2027-06-03
	//   执行案件办案期限 暂估 2027-06-04
	// 短信 → 138****8000（3条）：【浦东法院】张*您好：您申请执行的（2026）沪0115执9001号案已立案，承办法官王明，联系电话021-50000000。主要节点及期限：发出执行通知书(12月14日前)；申请执行人自2027年6月2日后可向上一级法院申请执行(暂定)；执行案件办案期限(2027年6月4日前，暂定)。凭查询码Q7F3K2可登录zxgk.court.gov.cn查询案件进展。诉讼服务热线12368
	// filing.applicant sent v1
	// filing.respondent skipped
}
