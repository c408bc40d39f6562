package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

var demoUsers = []struct {
	id, name, mobile string
	role             desk.Role
}{
	{"chief", "王建国", "13900000001", desk.RoleChief},
	{"judge-li", "李明", "13900000002", desk.RoleJudge},
	{"judge-zhang", "张华", "13900000003", desk.RoleJudge},
	{"judge-chen", "陈静", "13900000004", desk.RoleJudge},
}

// seedDemo creates the demo courts: in the default court a chief, three
// judges, and cases in many states relative to today; in 上海市浦东新区人民法院,
// when configured (demoCourts), a chief, two judges and a few cases of
// its own (seedPudong). It does nothing but print the accounts if the demo
// users exist already.
func (a *app) seedDemo(ctx context.Context) error {
	n, err := a.desk.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		for _, u := range demoUsers {
			if err := a.desk.CreateUser(ctx, desk.User{ID: u.id, Court: a.desk.DefaultCourt(), Role: u.role, Name: u.name, Mobile: u.mobile}, "demo-"+u.id); err != nil {
				return err
			}
		}
		if err := a.seedCases(ctx); err != nil {
			return err
		}
		if _, ok := a.desk.CourtOf(demoPudongCourt); ok {
			if err := a.seedPudong(ctx); err != nil {
				return fmt.Errorf("%s: %w", demoPudongCourt, err)
			}
		}
	}
	home := a.desk.DefaultCourt()
	if err := a.demoAccounts(ctx, home, demoUsers, 4); err != nil {
		return err
	}
	if _, ok := a.desk.CourtOf(demoPudongCourt); ok && home != demoPudongCourt {
		if err := a.demoAccounts(ctx, demoPudongCourt, pudongUsers, 2); err != nil {
			return err
		}
	}
	if err := a.seedOversight(ctx, n == 0); err != nil {
		return err
	}
	if a.cfg.Stdout != nil {
		fmt.Fprintln(a.cfg.Stdout, "Demo accounts (POST /api/v1/auth/login {user_id, password}; parties: POST /api/v1/auth/party-login {case_number, query_code}):")
		for _, d := range a.demo {
			fmt.Fprintf(a.cfg.Stdout, "  %-6s %-22s %-14s %s%s（%s）\n", d.Role, d.ID, d.Secret, d.Name, d.Note, d.Court)
		}
	}
	return nil
}

// demoCase is the outline of a demo case.
type demoCase struct {
	seq      int
	judge    string
	cause    string
	amount   string
	filedAgo int // days before today
	key      bool
	steps    func(a *app, c *enforcement.Case, judge *desk.Principal, today deadline.Date) error
}

func parties(seq int) []enforcement.Party {
	return []enforcement.Party{
		{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: []string{"赵大伟", "钱晓红", "孙立军", "周敏"}[seq%4], Mobile: fmt.Sprintf("138%08d", 1000+seq)},
		{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: []string{"上海某某贸易有限公司", "上海某某建筑工程有限公司", "上海某某科技有限公司"}[seq%3], Mobile: fmt.Sprintf("139%08d", 5000+seq)},
	}
}

func (a *app) seedCases(ctx context.Context) error {
	today := a.desk.Today()
	node := func(k enforcement.NodeKind, daysAgo int) func(*app, *enforcement.Case, *desk.Principal, deadline.Date) error {
		return func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
			_, err := a.desk.RecordNode(ctx, j, c.ID, enforcement.Node{Kind: k, Date: today.AddDays(-daysAgo)})
			return err
		}
	}
	chain := func(fs ...func(*app, *enforcement.Case, *desk.Principal, deadline.Date) error) func(*app, *enforcement.Case, *desk.Principal, deadline.Date) error {
		return func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
			for _, f := range fs {
				if err := f(a, c, j, today); err != nil {
					return err
				}
			}
			return nil
		}
	}
	cases := []demoCase{
		{1, "judge-li", "民间借贷纠纷", "85000.00", 0, false, nil},
		{2, "judge-li", "买卖合同纠纷", "260000.00", 40, false, nil}, // overdue: no execution notice
		{3, "judge-zhang", "劳动争议", "42000.00", 8, false, nil},  // notice nearly due
		{4, "judge-zhang", "借款合同纠纷", "1200000.00", 355, true, chain( // a freeze about to expire
			node(enforcement.NodeExecutionNotice, 352), node(enforcement.NodePropertyReportOrder, 352), node(enforcement.NodeNetworkInquiry, 350),
			func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
				_, err := a.desk.RecordMeasure(ctx, j, c.ID, enforcement.Measure{ID: "m-freeze", Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
					Property: enforcement.PropertyDeposit, Target: "招商银行账户 6225****1234", Amount: decimal.RequireFromString("356000.00"),
					TakenOn: today.AddDays(-350), ExpiresOn: today.AddDays(12), Outcome: enforcement.OutcomeDone, Result: "冻结存款人民币356,000.00元"})
				return err
			})},
		{5, "judge-chen", "房屋租赁合同纠纷", "56000.00", 30, false, chain( // a pending party request
			node(enforcement.NodeExecutionNotice, 27),
			func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
				_, err := a.desk.ReceiveRequest(ctx, j, c.ID, enforcement.Request{PartyID: "a1", Channel: "phone", Text: "申请人询问是否已查询被执行人名下车辆，希望尽快采取措施。"})
				return err
			})},
		{6, "judge-li", "建设工程施工合同纠纷", "3400000.00", 20, true, chain( // a measure notice held for the judge
			node(enforcement.NodeExecutionNotice, 18), node(enforcement.NodeNetworkInquiry, 2),
			func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
				_, err := a.desk.RecordMeasure(ctx, j, c.ID, enforcement.Measure{Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
					Property: enforcement.PropertyDeposit, Target: "工商银行账户 6222****8888", Amount: decimal.RequireFromString("1200000.00"),
					TakenOn: today.AddDays(-1), Outcome: enforcement.OutcomeDone, Result: "冻结存款人民币1,200,000.00元"})
				return err
			})},
		{7, "judge-zhang", "民间借贷纠纷", "150000.00", 150, false, chain( // awaiting the applicant's opinion before 终本
			node(enforcement.NodeExecutionNotice, 148), node(enforcement.NodePropertyReportOrder, 148), node(enforcement.NodeNetworkInquiry, 140),
			node(enforcement.NodeConsumptionLimit, 120),
			func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
				_, err := a.desk.Solicit(ctx, j, c.ID, enforcement.Solicitation{PartyID: "a1", Purpose: enforcement.ClosureZhongBen,
					Summary: "经网络查控未发现可供执行财产，已限制消费，拟终结本次执行程序。", ReplyCode: "K7Q2"})
				return err
			})},
		{8, "judge-chen", "买卖合同纠纷", "98000.00", 100, false, chain( // under supervision
			node(enforcement.NodeExecutionNotice, 99),
			func(a *app, c *enforcement.Case, j *desk.Principal, today deadline.Date) error {
				chief := &desk.Principal{Role: desk.RoleChief, UserID: "chief", Court: a.desk.DefaultCourt()}
				_, err := a.desk.IssueSupervision(ctx, chief, c.ID, enforcement.SupervisionOrder{Text: "请于期限内报告财产调查进展。", Due: today.AddDays(5)})
				return err
			})},
	}
	for _, dc := range cases {
		if err := a.seedOne(ctx, dc, today); err != nil {
			return fmt.Errorf("demo case %d: %w", dc.seq, err)
		}
	}
	// Overlapping field trips: two judges to 浦东新区 tomorrow morning.
	tomorrow := today.AddDays(1).Start()
	for i, j := range []string{"judge-li", "judge-zhang"} {
		p := &desk.Principal{Role: desk.RoleJudge, UserID: j}
		_, err := a.desk.AddTrip(ctx, p, planning.Trip{ID: fmt.Sprintf("trip-demo-%d", i+1), Start: tomorrow.Add(time.Duration(9+i) * time.Hour), End: tomorrow.Add(12 * time.Hour),
			Place: planning.Place{Address: "浦东新区张江路" + fmt.Sprint(100+i) + "号", Division: "310115"}, Purpose: "现场调查被执行人财产"})
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *app) seedOne(ctx context.Context, dc demoCase, today deadline.Date) error {
	filed := today.AddDays(-dc.filedAgo)
	num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）%s执%d号", filed.Year, a.desk.DefaultCourt(), 100+dc.seq))
	if err != nil {
		return err
	}
	chief := &desk.Principal{Role: desk.RoleChief, UserID: "chief", Court: a.desk.DefaultCourt()}
	c := &enforcement.Case{ID: fmt.Sprintf("demo-%d", dc.seq), Number: num, Cause: dc.cause, AmountApplied: decimal.RequireFromString(dc.amount),
		ReceivedOn: filed, FiledOn: filed, JudgeID: dc.judge, Key: dc.key, Parties: parties(dc.seq),
		Source: enforcement.SourceDocument{Title: "民事判决书", Number: fmt.Sprintf("（%d）沪0115民初%d号", filed.Year-1, 4000+dc.seq), Issuer: "上海市浦东新区人民法院", EffectiveOn: filed.AddDays(-30)}}
	c, err = a.desk.CreateCase(ctx, chief, c)
	if err != nil {
		return err
	}
	if dc.steps != nil {
		return dc.steps(a, c, &desk.Principal{Role: desk.RoleJudge, UserID: dc.judge}, today)
	}
	return nil
}

// bulkJudges is how many judges the load test's court has by default: a
// court that files 10,000 enforcement cases a year has some 20 to 30
// enforcement judges, so each handles about 500 a year.
const bulkJudges = 20

// seedBulk files n generated cases spread over nJudges judges (the three
// demo judges and more, created here) and the last two years, for load
// tests. They are imported in batches without events, so no
// filing notices are drafted for them.
//
// Each case goes as a court's cases go, through the domain's own methods:
// every time limit that has passed was met on its day, except in one case
// in 25, which keeps its earliest one overdue; most cases older than half a
// year are closed, two in three paid in full (执行完毕) and the others
// terminated on withdrawal (终结执行); one open case in 40 has a party
// request, answered or not, and one in 90 a supervision order (督办).
func (a *app) seedBulk(ctx context.Context, n, nJudges int) error {
	today := a.desk.Today()
	judges := []string{"judge-li", "judge-zhang", "judge-chen"}
	for k := len(judges); k < nJudges; k++ {
		u := desk.User{ID: fmt.Sprintf("judge-%02d", k+1), Court: a.desk.DefaultCourt(), Role: desk.RoleJudge, Name: fmt.Sprintf("法官%02d", k+1), Mobile: fmt.Sprintf("139%08d", 100+k)}
		if err := a.desk.CreateUser(ctx, u, "demo-"+u.ID); err != nil {
			return err
		}
		judges = append(judges, u.ID)
	}
	env := a.desk.Env(a.desk.DefaultCourt())
	var batch []*enforcement.Case
	for i := range n {
		c, err := bulkCase(a.desk.DefaultCourt(), i, judges, today, env)
		if err != nil {
			return err
		}
		batch = append(batch, c)
		if len(batch) == 500 || i == n-1 {
			if err := a.store.Import(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// bulkCase returns bulk case number i of court, handled by one of judges
// and taken up to today (see seedBulk).
func bulkCase(court string, i int, judges []string, today deadline.Date, env enforcement.Env) (*enforcement.Case, error) {
	at := func(d deadline.Date) time.Time { return d.Start().Add(10 * time.Hour) }
	filed := today.AddDays(-(i % 700))
	num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）%s执%d号", filed.Year, court, 10000+i))
	if err != nil {
		return nil, err
	}
	judge := judges[i%len(judges)]
	c := &enforcement.Case{ID: fmt.Sprintf("bulk-%d", i), Court: court, Number: num, Cause: "民间借贷纠纷", AmountApplied: decimal.NewFromInt(int64(10000 + i)),
		ReceivedOn: filed, FiledOn: filed, JudgeID: judge, Key: i%50 == 0, Parties: parties(i)}
	if _, err := enforcement.File(c, env, at(filed), "chief"); err != nil {
		return nil, err
	}
	if err := bulkHistory(c, i, judge, today, env, at); err != nil {
		return nil, fmt.Errorf("bulk case %d: %w", i, err)
	}
	return c, nil
}

// bulkHistory takes bulk case number i of judge up to today (see seedBulk).
func bulkHistory(c *enforcement.Case, i int, judge string, today deadline.Date, env enforcement.Env, at func(deadline.Date) time.Time) error {
	age := today.Sub(c.FiledOn)
	closeOn := c.FiledOn.AddDays(150 + i%30)
	closing := age > 180 && i%20 < 17
	until := today
	if closing {
		until = closeOn
	}
	keepOverdue := i%25 == 7 && !closing
	skip := ""
	for {
		var next *enforcement.DueItem
		for k := range c.DueItems {
			d := &c.DueItems[k]
			if d.ID != skip && d.IsOpen() && d.Due().IsValid() && d.Due().Before(until) && (next == nil || d.Due().Before(next.Due())) {
				next = d
			}
		}
		if next == nil {
			break
		}
		if keepOverdue {
			keepOverdue, skip = false, next.ID
			continue
		}
		if _, err := c.CompleteDue(next.ID, next.Due(), judge, at(next.Due())); err != nil {
			return err
		}
	}
	if closing {
		if i%3 == 0 {
			if _, err := c.Close(enforcement.ClosureTerminated, closeOn, "申请执行人撤回执行申请（民事诉讼法第二百六十八条第一项）", judge, env, at(closeOn)); err != nil {
				return err
			}
			return nil
		}
		c.AmountRecovered = c.AmountApplied
		if _, err := c.RecordNode(enforcement.Node{ID: "disbursed", Kind: enforcement.NodeMoneyDisbursed, Date: closeOn, At: at(closeOn), Actor: judge}, env, at(closeOn)); err != nil {
			return err
		}
		if _, err := c.Close(enforcement.ClosureCompleted, closeOn, "被执行人已全部履行", judge, env, at(closeOn)); err != nil {
			return err
		}
		return nil
	}
	if i%40 == 1 {
		received := today.AddDays(-(i % 9))
		if _, err := c.ReceiveRequest(enforcement.Request{ID: "req-1", PartyID: "a1", Channel: "phone", Text: "申请人询问执行进展。", ReceivedAt: at(received)}, env, at(received)); err != nil {
			return err
		}
		if i%80 == 1 {
			if _, err := c.AnswerRequest("req-1", "已电话告知执行进展。", judge, at(today)); err != nil {
				return err
			}
		}
	}
	if i%90 == 2 {
		issued := today.AddDays(-(i % 11))
		if _, err := c.IssueSupervision(enforcement.SupervisionOrder{ID: "sup-1", IssuedBy: "chief", IssuedAt: at(issued), Text: "请报告财产调查进展。", Due: issued.AddDays(7)}, at(issued)); err != nil {
			return err
		}
		if i%180 == 2 {
			if _, err := c.AnswerSupervision("sup-1", "已完成网络查控，未发现可供执行财产。", judge, at(today)); err != nil {
				return err
			}
		}
	}
	return nil
}
