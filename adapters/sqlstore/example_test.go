package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Example files a case in a SQLite store whose Draft hook writes the filing
// notices to the outbox in the same transaction.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "zhixing")
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, "sqlite", filepath.Join(dir, "court.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	tpl, _ := notify.DefaultTemplates(notify.Config{Signature: "【上海一中院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	drafter := &notify.Drafter{Templates: tpl, Phone: "021-12345678"}
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, deadline.China)
	store.Draft = func(c *enforcement.Case, evs []enforcement.Event) ([]notify.Message, error) {
		return drafter.Draft(c, evs, now)
	}

	num, _ := enforcement.ParseCaseNumber("（2025）沪01执100号")
	c := &enforcement.Case{
		ID: "c1", Number: num, Court: "沪01", JudgeID: "j1", FiledOn: deadline.MustParseDate("2025-03-03"),
		QueryCode: "K7Q2X9", AmountApplied: decimal.RequireFromString("120000"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", Mobile: "13800138000"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyPerson, Name: "李四", Mobile: "13700137000"},
		},
	}
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	events, err := enforcement.File(c, env, now, "clerk")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := store.Create(ctx, c, events); err != nil {
		fmt.Println(err)
		return
	}
	msgs, _ := store.Outbox().List(ctx, notify.Filter{CaseID: "c1"})
	for _, m := range msgs {
		fmt.Println(m.Recipient.Role, m.Template, m.State)
	}
	// Output:
	// applicant filing.applicant queued
	// respondent filing.respondent queued
}

// ExampleMarshalCase keeps a case in the stored form, as a store of another
// kind would: unlike the case's own JSON, which masks identity numbers, the
// stored form keeps them in full, and reading it back restores the case.
func ExampleMarshalCase() {
	num, _ := enforcement.ParseCaseNumber("（2025）沪01执100号")
	c := &enforcement.Case{
		ID: "c1", Number: num, Court: "沪01", JudgeID: "j1", FiledOn: deadline.MustParseDate("2025-03-03"),
		AmountApplied: decimal.RequireFromString("120000"),
		Parties: []enforcement.Party{
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyPerson, Name: "李四", IDNumber: enforcement.NewIDNumber("310101199001011234")},
		},
	}
	doc, err := sqlstore.MarshalCase(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	back, err := sqlstore.UnmarshalCase(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	head, _, _ := strings.Cut(string(doc), `,"court"`)
	fmt.Println(head)
	fmt.Println(back.Number, back.Parties[0].Name, back.Parties[0].IDNumber.Reveal(), back.AmountApplied)
	// Output:
	// {"v":1,"id":"c1","number":"（2025）沪01执100号"
	// （2025）沪01执100号 李四 310101199001011234 120000
}
