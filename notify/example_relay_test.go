package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// A store that cannot draft inside its transactions logs the filing event;
// the relay drafts the filing notice from the log, and running it again
// (after a crash, or on a second instance) queues nothing twice.
func ExampleRelay_Once() {
	ctx := context.Background()
	store, outbox := memory.New(), memory.NewOutbox()
	filed := deadline.MustParseDate("2025-03-03")
	num, _ := enforcement.ParseCaseNumber("（2025）沪01执1号")
	c := &enforcement.Case{
		ID: "c1", Number: num, Court: "沪01", Cause: "民间借贷纠纷", JudgeID: "j1",
		Source:        enforcement.SourceDocument{Title: "民事判决书", Number: "（2024）沪0115民初1号"},
		AmountApplied: decimal.RequireFromString("120000.00"), ReceivedOn: filed, FiledOn: filed,
		Status: enforcement.StatusOpen, QueryCode: "Q7F3K2",
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
	filing := enforcement.Event{ID: "c1/case_filed/c1", CaseID: "c1", Court: "沪01", Kind: enforcement.EventCaseFiled, At: time.Date(2025, 3, 3, 9, 0, 0, 0, deadline.China)}
	if err := store.Create(ctx, c, []enforcement.Event{filing}); err != nil {
		fmt.Println(err)
		return
	}

	tpls, err := notify.DefaultTemplates(notify.Config{Signature: "【上海一中院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	if err != nil {
		fmt.Println(err)
		return
	}
	relay := &notify.Relay{Log: store, Cases: store, Cursor: store, Outbox: outbox, Drafter: &notify.Drafter{Templates: tpls}}
	now := time.Date(2025, 3, 3, 9, 5, 0, 0, deadline.China)
	n, _ := relay.Once(ctx, now)
	fmt.Println("first run:", n, "message(s)")
	n, _ = relay.Once(ctx, now)
	fmt.Println("second run:", n, "message(s)")

	msgs, _ := outbox.List(ctx, notify.Filter{})
	for _, m := range msgs {
		fmt.Println(m.Template, m.State)
	}
	// Output:
	// first run: 2 message(s)
	// second run: 0 message(s)
	// filing.applicant queued
	// filing.respondent skipped
}
