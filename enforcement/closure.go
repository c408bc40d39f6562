package enforcement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// Legal bases cited by the closure checks.
const (
	basisZhongBen     = "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》"
	basisExecWork64   = "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第六十四条"
	basisOpinion2014  = "《最高人民法院关于执行案件立案、结案若干问题的意见》"
	basisCPL268       = "《中华人民共和国民事诉讼法》第二百六十八条"
	basisMoneyRules   = "《最高人民法院关于执行款物管理工作的规定》"
	basisInterp481    = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十一条"
	basisPostClosure  = basisZhongBen + "第九条"
	postClosureRule   = "post_closure_check"
	postClosureCount  = 10 // every 6 months for 5 years
	postClosureMonths = 6
)

// ClosureError lists every precondition of a closure mode that the case does
// not meet. It matches ErrNotAllowed.
type ClosureError struct {
	Mode  ClosureMode
	Unmet []Precondition
}

func (e *ClosureError) Error() string {
	keys := make([]string, len(e.Unmet))
	for i, p := range e.Unmet {
		keys[i] = p.Key
	}
	return fmt.Sprintf("enforcement: cannot close as %s: %d precondition(s) unmet: %s", e.Mode, len(e.Unmet), strings.Join(keys, ", "))
}

// Is reports whether target is ErrNotAllowed.
func (e *ClosureError) Is(target error) bool { return target == ErrNotAllowed }

// TerminationGround is a ground for 终结执行 (CPL art. 268).
type TerminationGround struct {
	Item int    // the item of CPL art. 268, 1 to 6
	Text string // the ground in the statute's words
	// Keywords are phrases of which one in a closure reason names the
	// ground.
	Keywords []string
}

var terminationGrounds = []TerminationGround{
	{1, "申请人撤销申请", []string{"撤销申请", "撤回申请", "撤回执行申请", "撤销执行申请"}},
	{2, "据以执行的法律文书被撤销", []string{"法律文书被撤销", "执行依据被撤销", "执行依据已被撤销"}},
	{3, "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人", []string{"被执行人死亡", "无遗产可供执行"}},
	{4, "追索赡养费、扶养费、抚育费案件的权利人死亡", []string{"权利人死亡"}},
	{5, "作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力", []string{"丧失劳动能力", "无力偿还借款"}},
	{6, "人民法院认为应当终结执行的其他情形", []string{"应当终结执行的其他情形", "破产", "第六项"}},
}

// TerminationGrounds returns the grounds for 终结执行 of CPL art. 268, in
// the statute's order.
func TerminationGrounds() []TerminationGround {
	out := make([]TerminationGround, len(terminationGrounds))
	for i, g := range terminationGrounds {
		g.Keywords = slices.Clone(g.Keywords)
		out[i] = g
	}
	return out
}

// terminationGround returns the ground reason names, if any: a keyword of a
// ground, or the article itself with its item ("第二百六十八条第三项").
func terminationGround(reason string) (TerminationGround, bool) {
	items := []string{"", "一", "二", "三", "四", "五", "六"}
	for _, g := range terminationGrounds {
		for _, k := range g.Keywords {
			if strings.Contains(reason, k) {
				return g, true
			}
		}
		if strings.Contains(reason, "第二百六十八条第"+items[g.Item]+"项") || strings.Contains(reason, fmt.Sprintf("第268条第%d项", g.Item)) {
			return g, true
		}
	}
	return TerminationGround{}, false
}

// ClosurePreconditions returns the checklist for closing c in mode on day
// on, each item met or not with a Chinese explanation. An unknown mode
// returns nil. It does not change c.
//
// 执行完毕 (completed) requires that the sum applied for has been recovered
// (AmountRecovered >= AmountApplied > 0), or, for a non-monetary obligation
// or a performed settlement, that an applicant confirmed full performance
// (an answered solicitation with purpose [ClosureCompleted] and choice
// [OpinionAgree]); and that money recovered has been paid out (a
// money_disbursed node).
//
// 终结本次执行程序 (ZhongBen arts. 1, 3, 5) requires: more than three months
// since filing ("超过" is strict: from the day after the corresponding day
// three months on, computed with [deadline.Spec] Exceed on env's calendar);
// the execution notice and the property report order issued; the network
// inquiry done; consumption restricted (a consumption_limit node or measure
// that did not fail); every applicant's opinion solicited and recorded; and
// no measure still awaiting its result, since the investigation and
// disposal must be exhausted first. It also requires, from the facts
// recorded as nodes and measures: every respondent on the 失信被执行人 list
// (a dishonest_list node or measure) or found ineligible with the reason
// (dishonest_ineligible, art. 1(2)); a missing respondent searched for
// (respondent_missing → respondent_searched, art. 1(5)); obstruction
// sanctioned by a fine or detention recorded at the obstruction node (art.
// 1(5)); the property report checked (property_report_checked, art. 2(2));
// a refused, late or false report sanctioned likewise (property_report_default,
// art. 2(3)); every clue the applicant supplied verified, each with its
// finding and date (clue_verification with Ref and Finding, art. 3(1)); and
// an audit ordered or a reward notice published when the applicant applied
// for one (audit_ordered or reward_notice after audit_reward_applied, art.
// 3(5)). Each item carries its Article and Status: met, missing, or not
// applicable with the reason in Detail. Control measures in force do not block
// 终本: property that cannot be disposed of stays under control after 终本
// and its expiry and renewal stay scheduled.
//
// 终结执行 requires the reason to name a ground of CPL art. 268 (see
// [TerminationGrounds]). 不予执行 requires an arbitral award, notarised
// debt instrument or non-litigation case, or a reason that cites the lapse
// of the application period (Interp art. 481). 驳回申请 requires that
// nothing has been recovered. 销案 requires an entrusted (委托) node or a
// reason naming designated, elevated or entrusted enforcement or a filing in
// error.
//
// Every mode requires that on is not before the filing day.
func (c *Case) ClosurePreconditions(mode ClosureMode, on deadline.Date, env Env) []Precondition {
	return c.closurePreconditions(mode, on, "", env)
}

func (c *Case) closurePreconditions(mode ClosureMode, on deadline.Date, reason string, env Env) []Precondition {
	if !mode.IsKnown() {
		return nil
	}
	var out []Precondition
	out = append(out, c.checkFiled(on))
	switch mode {
	case ClosureCompleted:
		out = append(out, c.checkPerformed(), c.checkDisbursed())
	case ClosureZhongBen:
		out = append(out,
			c.checkThreeMonths(on, env),
			c.checkNode("zhongben.execution_notice", NodeExecutionNotice, "已发出执行通知书", basisZhongBen+"第一条第（一）项", on),
			c.checkNode("zhongben.property_report_order", NodePropertyReportOrder, "已责令被执行人报告财产", basisZhongBen+"第一条第（一）项、第二条", on),
			c.checkNode("zhongben.network_inquiry", NodeNetworkInquiry, "已通过网络执行查控系统查询财产", basisZhongBen+"第一条第（三）项、第三条", on),
			c.checkConsumptionLimit(on),
			c.checkOpinions(on),
			c.checkNoPendingMeasure(),
		)
		out = append(out, c.zhongBenFacts(on)...)
	case ClosureTerminated:
		p := Precondition{Key: "terminated.ground", Title: "具有法定终结执行情形", Basis: basisCPL268}
		if g, ok := terminationGround(reason); ok {
			p.Met, p.Detail = true, fmt.Sprintf("结案理由援引第二百六十八条第%d项：%s", g.Item, g.Text)
		} else {
			p.Detail = "结案理由未载明民事诉讼法第二百六十八条规定的终结执行情形"
		}
		out = append(out, p)
	case ClosureNotEnforced:
		out = append(out, c.checkNotEnforced(reason))
	case ClosureRejected:
		p := Precondition{Key: "rejected.no_recovery", Title: "尚无执行到位款项", Basis: basisOpinion2014}
		if c.AmountRecovered.IsPositive() {
			p.Detail = "已执行到位" + yuan(c.AmountRecovered) + "，不宜以驳回申请方式结案"
		} else {
			p.Met, p.Detail = true, "尚无执行到位款项"
		}
		out = append(out, p)
	case ClosureCancelled:
		p := Precondition{Key: "cancelled.ground", Title: "具有销案情形（指定、提级、委托执行或立案错误）", Basis: basisOpinion2014}
		switch {
		case c.HasNode(NodeEntrusted):
			p.Met, p.Detail = true, "案件已委托执行"
		case containsAny(reason, "指定执行", "提级执行", "委托执行", "移送", "重复立案", "错误立案", "立案错误"):
			p.Met, p.Detail = true, "结案理由载明销案情形"
		default:
			p.Detail = "未记录委托执行，结案理由也未载明指定执行、提级执行、委托执行或立案错误"
		}
		out = append(out, p)
	}
	for i := range out {
		out[i].Status = out[i].State()
	}
	return out
}

func (c *Case) checkFiled(on deadline.Date) Precondition {
	p := Precondition{Key: "common.after_filing", Title: "结案日期不早于立案日期", Basis: basisExecWork64}
	if !on.IsValid() || on.Before(c.FiledOn) {
		p.Detail = fmt.Sprintf("结案日期%s早于立案日期%s", on, c.FiledOn)
		return p
	}
	p.Met, p.Detail = true, fmt.Sprintf("立案日期%s", c.FiledOn)
	return p
}

func (c *Case) checkPerformed() Precondition {
	p := Precondition{Key: "completed.performed", Title: "生效法律文书确定的义务已全部履行", Basis: basisExecWork64 + "；" + basisOpinion2014 + "第十五条"}
	if c.AmountApplied.IsPositive() && c.AmountRecovered.GreaterThanOrEqual(c.AmountApplied) {
		p.Met, p.Detail = true, fmt.Sprintf("申请执行标的%s，已执行到位%s", yuan(c.AmountApplied), yuan(c.AmountRecovered))
		return p
	}
	for _, s := range c.Solicitations {
		if s.Purpose == ClosureCompleted && s.Answer != nil && s.Answer.Choice == OpinionAgree {
			p.Met, p.Detail = true, "申请执行人已确认义务全部履行完毕"
			return p
		}
	}
	if c.AmountApplied.IsPositive() {
		p.Detail = fmt.Sprintf("申请执行标的%s，已执行到位%s，尚差%s，且申请执行人未确认履行完毕",
			yuan(c.AmountApplied), yuan(c.AmountRecovered), yuan(c.AmountApplied.Sub(c.AmountRecovered)))
	} else {
		p.Detail = "非金钱给付义务，申请执行人未确认履行完毕"
	}
	return p
}

func (c *Case) checkDisbursed() Precondition {
	p := Precondition{Key: "completed.disbursed", Title: "执行款已发放", Basis: basisMoneyRules}
	switch {
	case !c.AmountRecovered.IsPositive():
		p.Met, p.Detail = true, "无执行款"
	case c.HasNode(NodeMoneyDisbursed):
		n, _ := c.LastNode(NodeMoneyDisbursed)
		p.Met, p.Detail = true, fmt.Sprintf("执行款已于%s发放", n.Date)
	default:
		p.Detail = "已执行到位" + yuan(c.AmountRecovered) + "，尚未记录执行款发放"
	}
	return p
}

// zhongBenEarliest returns the first day on which more than three months
// have passed since filing. It uses the calendar when env has one (Exceed,
// without rest-day extension: the condition is elapsed time, not an act to
// be done); the corresponding-day rule needs no holiday data, so without a
// calendar, or beyond its coverage, it counts the months directly.
func (c *Case) zhongBenEarliest(env Env) deadline.Date {
	if env.Calendar != nil {
		r, err := env.Calendar.Compute(c.FiledOn, deadline.Spec{Period: deadline.Period{N: 3, Unit: deadline.Months}, Exceed: true, NoExtension: true, AllowProvisional: true})
		if err == nil {
			return r.Due
		}
	}
	return c.FiledOn.AddMonths(3).AddDays(1)
}

func (c *Case) checkThreeMonths(on deadline.Date, env Env) Precondition {
	p := Precondition{Key: "zhongben.three_months", Title: "自立案之日起已超过三个月", Basis: basisZhongBen + "第一条"}
	earliest := c.zhongBenEarliest(env)
	if on.Before(earliest) {
		p.Detail = fmt.Sprintf("立案日期%s，至%s方超过三个月，结案日期%s尚未超过", c.FiledOn, earliest, on)
		return p
	}
	p.Met, p.Detail = true, fmt.Sprintf("立案日期%s，自%s起已超过三个月", c.FiledOn, earliest)
	return p
}

func (c *Case) checkNode(key string, k NodeKind, title, basis string, on deadline.Date) Precondition {
	p := Precondition{Key: key, Title: title, Basis: basis}
	for _, n := range c.Nodes {
		if n.Kind == k && !n.Date.After(on) {
			p.Met, p.Detail = true, fmt.Sprintf("%s：%s", k.Chinese(), n.Date)
			return p
		}
	}
	p.Detail = "未记录" + k.Chinese()
	return p
}

func (c *Case) checkConsumptionLimit(on deadline.Date) Precondition {
	p := c.checkNode("zhongben.consumption_limit", NodeConsumptionLimit, "已发出限制消费令", basisZhongBen+"第一条第（二）项", on)
	if p.Met {
		return p
	}
	for _, m := range c.Measures {
		if m.Kind == MeasureConsumptionLimit && m.Outcome != OutcomeFailed && !m.TakenOn.After(on) {
			p.Met, p.Detail = true, fmt.Sprintf("限制消费措施：%s", m.TakenOn)
			return p
		}
	}
	return p
}

func (c *Case) checkOpinions(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.applicant_opinion", Title: "已告知申请执行人并听取其意见", Basis: basisZhongBen + "第五条"}
	var missing, heard []string
	disagree := false
	for _, a := range c.Applicants() {
		var ans *Opinion
		for _, s := range c.Solicitations {
			if s.PartyID == a.ID && (s.Purpose == ClosureZhongBen || s.Purpose == "") && s.Answer != nil && !s.AskedOn.After(on) {
				ans = s.Answer
			}
		}
		if ans == nil {
			missing = append(missing, a.Name)
			continue
		}
		heard = append(heard, a.Name+"（"+ans.Choice.Chinese()+"）")
		if ans.Choice != OpinionAgree {
			disagree = true
		}
	}
	if len(missing) > 0 {
		p.Detail = "尚未听取申请执行人意见：" + strings.Join(missing, "、")
		return p
	}
	p.Met, p.Detail = true, "已听取申请执行人意见："+strings.Join(heard, "、")
	if disagree {
		// Interp 2022 art. 517: without the applicant's signed
		// confirmation, 终本 needs a collegial panel and the president.
		p.Detail += "；申请执行人未同意的，应经合议庭合议并报院长批准"
	}
	return p
}

func (c *Case) checkNoPendingMeasure() Precondition {
	p := Precondition{Key: "zhongben.no_pending_measure", Title: "财产调查、处置措施均已有结果", Basis: basisZhongBen + "第一条第（三）项"}
	var pending, controls []string
	for _, m := range c.Measures {
		switch {
		case m.Outcome == OutcomePending:
			pending = append(pending, m.Kind.Chinese()+" "+m.ID)
		case m.Kind.IsControl() && (m.Outcome == OutcomeDone || m.Outcome == OutcomePartial):
			controls = append(controls, m.Kind.Chinese()+" "+m.ID)
		}
	}
	if len(pending) > 0 {
		p.Detail = "下列措施尚无结果：" + strings.Join(pending, "、")
		return p
	}
	p.Met, p.Detail = true, "无待结果的措施"
	if len(controls) > 0 {
		p.Detail += "；下列控制措施终本后继续有效，须按期续行：" + strings.Join(controls, "、")
	}
	return p
}

func (c *Case) checkNotEnforced(reason string) Precondition {
	p := Precondition{Key: "not_enforced.ground", Title: "具有不予执行情形", Basis: "《中华人民共和国民事诉讼法》第二百四十八条、第二百四十九条；" + basisInterp481}
	switch {
	case containsAny(c.Source.Title, "仲裁"):
		p.Met, p.Detail = true, "执行依据为仲裁裁决"
	case containsAny(c.Source.Title, "公证"):
		p.Met, p.Detail = true, "执行依据为公证债权文书"
	case c.NonLitigation:
		p.Met, p.Detail = true, "非诉执行案件"
	case containsAny(reason, "申请执行时效", "申请执行期间", "申请执行期限", "第二百五十条"):
		p.Met, p.Detail = true, "结案理由载明申请执行期间已届满"
	default:
		p.Detail = "执行依据不是仲裁裁决、公证债权文书或非诉执行案件，结案理由也未载明申请执行期间届满"
	}
	return p
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func yuan(d decimal.Decimal) string { return d.StringFixed(2) + "元" }

// Close closes c (结案) in mode on day on, with the reason written in the
// closing ruling or decision and the user who closed it.
//
// Every precondition of [Case.ClosurePreconditions] must be met; otherwise
// the error is a *[ClosureError] listing every unmet one, and c is
// unchanged. A closed case, an unknown mode, an invalid date or a blank
// reason or user is an error too.
//
// Closing records a closure node (which the rule set may use to complete
// items such as the handling limit) and a [ClosureRecord] with the checks,
// ends a running suspension, and cancels the due items still open, except
// that after 终本 the expiry and renewal items of control measures stay
// open: a seizure or freeze stays in force after 终本 and must still be
// renewed (Interp 2022 art. 485). Items the closure itself opens stay open.
//
// For 终本 the periodic property checks of ZhongBen art. 9 must be
// scheduled. When the rule set opens them on the closure trigger (the
// default rules open zhongben.first_check, and each check recorded opens
// the next, up to five years), Close adds nothing; otherwise it adds the
// fixed five-year schedule of [PostClosureChecks], so a court that turns
// those rules off still gets the checks, and never gets both.
//
// The [EventCaseClosed] event lists the cancelled items in Due.
func (c *Case) Close(mode ClosureMode, on deadline.Date, reason, by string, env Env, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "close case", Reason: "case is already closed", Closed: true}
	}
	pr := problems{what: "closure"}
	if !mode.IsKnown() {
		pr.add("mode", "unknown_closure_mode", string(mode))
	}
	if !on.IsValid() {
		pr.add("on", "invalid_date", on.String())
	}
	if blank(reason) {
		pr.add("reason", "required", "the closing ruling's reason")
	}
	if blank(by) {
		pr.add("by", "required", "")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	checks := c.closurePreconditions(mode, on, reason, env)
	var unmet []Precondition
	for _, p := range checks {
		if !p.Met {
			unmet = append(unmet, p)
		}
	}
	if len(unmet) > 0 {
		return nil, &ClosureError{Mode: mode, Unmet: unmet}
	}
	if env.Rules == nil || env.Calendar == nil {
		return nil, errors.New("enforcement: env needs a calendar and rules")
	}

	work := c.Clone()
	nodeID := "closure"
	for i := 2; slices.ContainsFunc(work.Nodes, func(n Node) bool { return n.ID == nodeID }); i++ {
		nodeID = "closure-" + itoa(i)
	}
	if i := work.runningDeduction(); i >= 0 {
		work.Deductions[i].To = on
	}
	work.Status = StatusClosed
	work.UpdatedAt = now
	work.Closure = &ClosureRecord{Mode: mode, On: on, Reason: reason, By: by, At: now, Checks: checks}

	before := make(map[string]bool, len(work.DueItems))
	for _, d := range work.DueItems {
		before[d.ID] = true
	}
	events, err := work.addNode(Node{ID: nodeID, Kind: NodeClosure, Date: on, At: now, Actor: by, Note: mode.Chinese()}, env, now, by)
	if err != nil {
		return nil, err
	}
	var cancelled []string
	for i := range work.DueItems {
		d := &work.DueItems[i]
		if !d.IsOpen() || !before[d.ID] {
			continue // done, or opened by the closure itself
		}
		if mode == ClosureZhongBen && work.keepsControl(*d) {
			continue
		}
		d.Status = DueCancelled
		d.DoneOn = on
		cancelled = append(cancelled, d.ID)
	}
	if mode == ClosureZhongBen && !opensChecks(work.DueItems, before) {
		checks, err := PostClosureChecks(on, nodeID, env.Calendar)
		if err != nil {
			return nil, err
		}
		var added []string
		for _, d := range checks {
			if _, exists := work.Due(d.ID); exists {
				continue
			}
			work.DueItems = append(work.DueItems, d)
			added = append(added, d.ID)
		}
		if len(added) > 0 {
			events = append(events, newEvent(work, EventDueScheduled, nodeID+"/"+postClosureRule, now, by, added...))
		}
	}
	events = append(events, newEvent(work, EventCaseClosed, nodeID, now, by, cancelled...))
	return work.commit(c, events)
}

// opensChecks reports whether the rule set scheduled the post-closure
// checks itself on the closure trigger (the default rules open
// zhongben.first_check, and each check recorded opens the next one).
func opensChecks(items []DueItem, before map[string]bool) bool {
	for _, d := range items {
		if !before[d.ID] && strings.HasPrefix(d.Rule, "zhongben.") && strings.HasSuffix(d.Rule, "_check") {
			return true
		}
	}
	return false
}

// keepsControl reports whether d is the expiry or renewal of a control
// measure (查封, 扣押, 冻结), which stays in force after 终本.
func (c *Case) keepsControl(d DueItem) bool {
	m, ok := c.Measure(d.TriggerRef)
	if !ok || !m.Kind.IsControl() {
		return false
	}
	return strings.HasPrefix(d.Rule, "seizure.") || strings.Contains(d.Rule, "expir") || strings.Contains(d.Rule, "renew")
}

// PostClosureChecks returns the due items of the periodic property checks
// after 终本: every six months for five years the court queries the
// respondent's property through the network inquiry system and tells the
// applicant the result (ZhongBen art. 9). The k-th check is due k×6 months
// after the closure day on (each counted from on, not from the previous
// check, so month-end days do not drift; Civil Code art. 202 and the
// rest-day extension apply). ref is the closure node's ID. The items have
// rule key "post_closure_check" and IDs "post_closure_check@<ref>#01" to
// "#10"; the judge completes each with [Case.CompleteDue].
//
// The checks reach five years ahead, usually beyond the published holiday
// schedules, so dates beyond cal's coverage are computed provisionally on
// weekends only and marked Provisional, whatever the court's setting:
// refusing 终本 for want of a schedule years ahead would help nobody, and
// recalculation corrects them once the schedule is loaded.
func PostClosureChecks(on deadline.Date, ref string, cal *deadline.Calendar) ([]DueItem, error) {
	if cal == nil {
		return nil, errors.New("enforcement: post-closure checks need a calendar")
	}
	out := make([]DueItem, 0, postClosureCount)
	for k := 1; k <= postClosureCount; k++ {
		d, err := postClosureCheck(on, ref, k, cal)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func postClosureCheck(on deadline.Date, ref string, k int, cal *deadline.Calendar) (DueItem, error) {
	r, err := cal.Compute(on, deadline.Spec{Period: deadline.Period{N: k * postClosureMonths, Unit: deadline.Months}, AllowProvisional: true})
	if err != nil {
		return DueItem{}, fmt.Errorf("enforcement: post-closure check %d: %w", k, err)
	}
	return DueItem{
		ID:          fmt.Sprintf("%s@%s#%02d", postClosureRule, ref, k),
		Rule:        postClosureRule,
		Title:       fmt.Sprintf("终本后第%d次定期财产查询并告知申请执行人", k),
		RuleVersion: "2016-12-01",
		Owner:       "court",
		Severity:    SeverityWarning,
		Basis:       basisPostClosure,
		Trigger:     on,
		TriggerRef:  ref,
		Computed:    r.Due,
		Deadline:    r.Deadline,
		Steps:       r.Steps,
		CalcBasis:   r.Basis,
		Provisional: r.Provisional,
		Status:      DueOpen,
	}, nil
}
