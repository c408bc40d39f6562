package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
	"github.com/courtkit/zhixing/planning"
)

// The demo's second court and the district of its area.
const (
	demoPudongCourt    = "沪0115"
	demoPudongDistrict = "310115"
)

// demoCourts is the demo's deployment: home, the court of the single-court
// flags (上海市第一中级人民法院 by default, with every district of
// Shanghai but 浦东新区 as its area), 上海市浦东新区人民法院 (沪0115, whose
// area is 浦东新区) and the high court (沪高), which has no cases.
func demoCourts(home desk.Court) []desk.Court {
	if home.Code == demoPudongCourt {
		return []desk.Court{home}
	}
	home.Area = nil
	for _, d := range desk.DefaultDistricts() {
		if d.Home && d.Code != demoPudongDistrict {
			home.Area = append(home.Area, d.Code)
		}
	}
	pudong := desk.Court{Code: demoPudongCourt, Name: "上海市浦东新区人民法院", Signature: "【浦东法院】", Contact: home.Contact, Phone: home.Phone,
		Area:      []string{demoPudongDistrict},
		Leaders:   []string{"pd-chief"},
		Divisions: []desk.Division{{Name: "执行一庭", Head: "pd-judge-zhao", Judges: []string{"pd-judge-zhao", "pd-judge-sun"}}}}
	high := desk.Court{Code: "沪高", Name: "上海市高级人民法院", High: true}
	return []desk.Court{home, pudong, high}
}

// pudongUsers are the demo accounts of 上海市浦东新区人民法院.
var pudongUsers = []struct {
	id, name, mobile string
	role             desk.Role
}{
	{"pd-chief", "刘振华", "13900000011", desk.RoleChief},
	{"pd-judge-zhao", "赵磊", "13900000012", desk.RoleJudge},
	{"pd-judge-sun", "孙悦", "13900000013", desk.RoleJudge},
}

// demoAccounts lists the accounts of court on the login page: its users
// and the parties of up to cases of its cases.
func (a *app) demoAccounts(ctx context.Context, court string, users []struct {
	id, name, mobile string
	role             desk.Role
}, cases int) error {
	name := a.desk.CourtName(court)
	for _, u := range users {
		a.demo = append(a.demo, pages.DemoAccount{Role: u.role, ID: u.id, Secret: "demo-" + u.id, Name: u.name, Court: name})
	}
	cs, err := a.store.Find(ctx, enforcement.CaseFilter{Court: court, Limit: cases})
	if err != nil {
		return err
	}
	for _, c := range cs {
		// Each party signs in with its own code.
		for _, pt := range c.Parties {
			a.demo = append(a.demo, pages.DemoAccount{Role: desk.RoleParty, ID: c.Number.String(), Secret: a.desk.PartyCode(c, pt),
				Name: pt.Role.Chinese() + " " + pt.Name + " ", Note: c.Cause, Court: name})
		}
	}
	return nil
}

// seedPudong creates 上海市浦东新区人民法院's demo data: its chief and two
// judges, three cases (one overdue, one with a measure notice held for the
// judge and a supervision order, one with a pending party request), and
// field trips tomorrow morning: one to 浦东新区, where the default court's
// demo judges go too, and one to 徐汇区, out of the court's area.
func (a *app) seedPudong(ctx context.Context) error {
	court := demoPudongCourt
	for _, u := range pudongUsers {
		if err := a.desk.CreateUser(ctx, desk.User{ID: u.id, Court: court, Role: u.role, Name: u.name, Mobile: u.mobile}, "demo-"+u.id); err != nil {
			return err
		}
	}
	today := a.desk.Today()
	chief := &desk.Principal{Role: desk.RoleChief, UserID: "pd-chief", Court: court}
	type pdCase struct {
		seq                  int
		judge, cause, amount string
		filedAgo             int
		applicant, respond   string
	}
	for _, pc := range []pdCase{
		{1, "pd-judge-zhao", "民间借贷纠纷", "68000.00", 5, "吴晓峰", "上海浦江某某实业有限公司"},
		{2, "pd-judge-sun", "买卖合同纠纷", "315000.00", 45, "郑美玲", "上海张江某某电子有限公司"},
		{3, "pd-judge-zhao", "借款合同纠纷", "920000.00", 25, "冯国强", "上海陆家嘴某某投资有限公司"},
	} {
		filed := today.AddDays(-pc.filedAgo)
		num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）%s执%d号", filed.Year, court, 500+pc.seq))
		if err != nil {
			return err
		}
		c := &enforcement.Case{ID: fmt.Sprintf("pd-%d", pc.seq), Number: num, Cause: pc.cause, AmountApplied: decimal.RequireFromString(pc.amount),
			ReceivedOn: filed, FiledOn: filed, JudgeID: pc.judge,
			Parties: []enforcement.Party{
				{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: pc.applicant, Mobile: fmt.Sprintf("137%08d", 2000+pc.seq)},
				{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: pc.respond, Mobile: fmt.Sprintf("137%08d", 6000+pc.seq)},
			},
			Source: enforcement.SourceDocument{Title: "民事判决书", Number: fmt.Sprintf("（%d）沪0115民初%d号", filed.Year-1, 8000+pc.seq), Issuer: "上海市浦东新区人民法院", EffectiveOn: filed.AddDays(-30)}}
		if _, err := a.desk.CreateCase(ctx, chief, c); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		j := &desk.Principal{Role: desk.RoleJudge, UserID: pc.judge, Court: court}
		switch pc.seq {
		case 2:
			if _, err := a.desk.ReceiveRequest(ctx, j, c.ID, enforcement.Request{PartyID: "a1", Channel: "phone", Text: "申请人询问被执行人名下房产是否已查封。"}); err != nil {
				return err
			}
		case 3:
			if _, err := a.desk.RecordNode(ctx, j, c.ID, enforcement.Node{Kind: enforcement.NodeExecutionNotice, Date: today.AddDays(-23)}); err != nil {
				return err
			}
			if _, err := a.desk.RecordNode(ctx, j, c.ID, enforcement.Node{Kind: enforcement.NodeNetworkInquiry, Date: today.AddDays(-3)}); err != nil {
				return err
			}
			if _, err := a.desk.RecordMeasure(ctx, j, c.ID, enforcement.Measure{Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
				Property: enforcement.PropertyDeposit, Target: "浦发银行账户 6217****5566", Amount: decimal.RequireFromString("400000.00"),
				TakenOn: today.AddDays(-2), Outcome: enforcement.OutcomeDone, Result: "冻结存款人民币400,000.00元"}); err != nil {
				return err
			}
			if _, err := a.desk.IssueSupervision(ctx, chief, c.ID, enforcement.SupervisionOrder{Text: "请报告冻结款项的后续处置。", Due: today.AddDays(5)}); err != nil {
				return err
			}
		}
	}
	tomorrow := today.AddDays(1).Start()
	for _, t := range []struct {
		id, judge, address, division string
		hour                         int
	}{
		{"trip-pd-1", "pd-judge-zhao", "浦东新区张江路120号", demoPudongDistrict, 9},
		{"trip-pd-2", "pd-judge-sun", "徐汇区漕溪北路88号", "310104", 9},
	} {
		j := &desk.Principal{Role: desk.RoleJudge, UserID: t.judge, Court: court}
		if _, err := a.desk.AddTrip(ctx, j, planning.Trip{ID: t.id, Start: tomorrow.Add(time.Duration(t.hour) * time.Hour), End: tomorrow.Add(12 * time.Hour),
			Place: planning.Place{Address: t.address, Division: t.division}, Purpose: "现场调查被执行人财产"}); err != nil {
			return err
		}
	}
	return nil
}
