package enforcement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
)

// zhongBenFacts returns the items of the 终本 checklist that depend on
// facts recorded as nodes and measures (ZhongBen arts. 1(2), 1(5), 2(2)–(3),
// 3(1), 3(5)). Each is met, missing, or not applicable with the reason.
func (c *Case) zhongBenFacts(on deadline.Date) []Precondition {
	return []Precondition{
		c.checkDishonestList(on),
		c.checkMissingSearched(on),
		c.checkObstructionSanctioned(on),
		c.checkReportChecked(on),
		c.checkReportDefaultSanctioned(on),
		c.checkCluesVerified(on),
		c.checkAuditReward(on),
	}
}

func met(p Precondition, detail string) Precondition {
	p.Met, p.Status, p.Detail = true, CheckMet, detail
	return p
}

func missing(p Precondition, detail string) Precondition {
	p.Met, p.Status, p.Detail = false, CheckMissing, detail
	return p
}

func notApplicable(p Precondition, detail string) Precondition {
	p.Met, p.Status, p.Detail = true, CheckNotApplicable, detail
	return p
}

// nodesUntil returns the nodes of kind k dated on or before on.
func (c *Case) nodesUntil(k NodeKind, on deadline.Date) []Node {
	var out []Node
	for _, n := range c.Nodes {
		if n.Kind == k && !n.Date.After(on) {
			out = append(out, n)
		}
	}
	return out
}

// sanctions returns the fines and detentions (罚款、拘留) recorded at node
// kind k, effective on or before on, that did not fail.
func (c *Case) sanctions(k NodeKind, from, on deadline.Date) []Measure {
	var out []Measure
	for _, m := range c.Measures {
		if (m.Kind == MeasureFine || m.Kind == MeasureDetention) && m.Node == k &&
			m.Outcome != OutcomeFailed && !m.TakenOn.Before(from) && !m.TakenOn.After(on) {
			out = append(out, m)
		}
	}
	return out
}

// checkDishonestList: ZhongBen art. 1(2), every respondent who meets the
// conditions is put on the 失信被执行人 list; one who does not has the reason
// recorded (a dishonest_ineligible node).
func (c *Case) checkDishonestList(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.dishonest_list", Title: "符合条件的被执行人已纳入失信被执行人名单",
		Basis: basisZhongBen + "第一条第（二）项", Article: "第一条第（二）项"}
	all := slices.ContainsFunc(c.Measures, func(m Measure) bool {
		return m.Kind == MeasureDishonestList && m.Outcome != OutcomeFailed && !m.TakenOn.After(on)
	})
	var done, lacking []string
	for _, r := range c.Respondents() {
		listed := all
		for _, n := range c.nodesUntil(NodeDishonestList, on) {
			if n.PartyID == "" || n.PartyID == r.ID {
				listed = true
			}
		}
		if listed {
			done = append(done, r.Name+"已纳入")
			continue
		}
		reason := ""
		for _, n := range c.nodesUntil(NodeDishonestIneligible, on) {
			if n.PartyID == r.ID {
				reason = n.Note
			}
		}
		if reason != "" {
			done = append(done, r.Name+"不符合纳入条件："+reason)
			continue
		}
		lacking = append(lacking, r.Name)
	}
	if len(lacking) > 0 {
		return missing(p, "下列被执行人既未纳入失信名单，也未记录不符合条件的理由："+strings.Join(lacking, "、"))
	}
	return met(p, strings.Join(done, "；"))
}

// checkMissingSearched: ZhongBen art. 1(5), a respondent whose whereabouts
// are unknown has been searched for.
func (c *Case) checkMissingSearched(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.missing_searched", Title: "下落不明的被执行人已依法查找",
		Basis: basisZhongBen + "第一条第（五）项", Article: "第一条第（五）项"}
	gone := c.nodesUntil(NodeRespondentMissing, on)
	if len(gone) == 0 {
		return notApplicable(p, "未记录被执行人下落不明")
	}
	var done, lacking []string
	for _, g := range gone {
		name := c.partyName(g.PartyID)
		i := slices.IndexFunc(c.nodesUntil(NodeRespondentSearched, on), func(n Node) bool { return n.PartyID == g.PartyID })
		if i < 0 {
			lacking = append(lacking, name)
			continue
		}
		done = append(done, fmt.Sprintf("%s：%s已查找", name, c.nodesUntil(NodeRespondentSearched, on)[i].Date))
	}
	if len(lacking) > 0 {
		return missing(p, "下列下落不明的被执行人未记录查找："+strings.Join(lacking, "、"))
	}
	return met(p, strings.Join(done, "；"))
}

// checkObstructionSanctioned: ZhongBen art. 1(5), obstruction of
// enforcement, where it occurred, has been sanctioned (罚款、拘留).
func (c *Case) checkObstructionSanctioned(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.obstruction_sanctioned", Title: "妨碍执行行为已依法惩戒",
		Basis: basisZhongBen + "第一条第（五）项", Article: "第一条第（五）项"}
	return c.checkSanctioned(p, NodeObstruction, on, "未记录妨碍、抗拒执行的行为", "妨碍执行行为")
}

// checkReportDefaultSanctioned: ZhongBen art. 2(3), a refusal to report,
// a late or a false report has been sanctioned (罚款、拘留).
func (c *Case) checkReportDefaultSanctioned(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.report_default_sanctioned", Title: "拒绝报告、逾期报告或虚假报告财产的已依法惩戒",
		Basis: basisZhongBen + "第二条第（三）项", Article: "第二条第（三）项"}
	return c.checkSanctioned(p, NodeReportDefault, on, "未记录被执行人拒绝报告、逾期报告或虚假报告财产", "未如实报告财产行为")
}

func (c *Case) checkSanctioned(p Precondition, k NodeKind, on deadline.Date, none, what string) Precondition {
	acts := c.nodesUntil(k, on)
	if len(acts) == 0 {
		return notApplicable(p, none)
	}
	var done, lacking []string
	for _, a := range acts {
		ms := c.sanctions(k, a.Date, on)
		if len(ms) == 0 {
			lacking = append(lacking, fmt.Sprintf("%s（%s）", a.Date, a.ID))
			continue
		}
		done = append(done, fmt.Sprintf("%s的%s已于%s予以%s", a.Date, what, ms[0].TakenOn, ms[0].Kind.Chinese()))
	}
	if len(lacking) > 0 {
		return missing(p, "下列"+what+"未记录罚款或拘留："+strings.Join(lacking, "、"))
	}
	return met(p, strings.Join(done, "；"))
}

// checkReportChecked: ZhongBen art. 2(2), the respondent's property report
// has been checked.
func (c *Case) checkReportChecked(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.report_checked", Title: "已核查被执行人的财产报告",
		Basis: basisZhongBen + "第二条第（二）项", Article: "第二条第（二）项"}
	if ns := c.nodesUntil(NodeReportChecked, on); len(ns) > 0 {
		n := ns[len(ns)-1]
		d := fmt.Sprintf("%s核查财产报告", n.Date)
		if n.Note != "" {
			d += "：" + n.Note
		}
		return met(p, d)
	}
	return missing(p, "未记录核查被执行人的财产报告（被执行人未报告的，记录核查情况并按第二条第（三）项处理）")
}

// checkCluesVerified: ZhongBen art. 3(1), every property clue the applicant
// supplied has been verified, with its finding and date.
func (c *Case) checkCluesVerified(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.clues_verified", Title: "申请执行人提供的财产线索已核查",
		Basis: basisZhongBen + "第三条第（一）项", Article: "第三条第（一）项"}
	clues := c.nodesUntil(NodeClueSubmitted, on)
	if len(clues) == 0 {
		return notApplicable(p, "申请执行人未提供财产线索")
	}
	checks := c.nodesUntil(NodeClueVerification, on)
	var done, lacking []string
	for _, cl := range clues {
		i := slices.IndexFunc(checks, func(n Node) bool { return n.Ref == cl.ID && n.Finding.IsKnown() })
		label := fmt.Sprintf("%s提供的线索", cl.Date)
		if cl.Note != "" {
			label += "（" + cl.Note + "）"
		}
		if i < 0 {
			lacking = append(lacking, label)
			continue
		}
		done = append(done, fmt.Sprintf("%s：%s核查，%s", label, checks[i].Date, checks[i].Finding.Chinese()))
	}
	if len(lacking) > 0 {
		return missing(p, "下列财产线索未记录核查结果："+strings.Join(lacking, "、"))
	}
	return met(p, strings.Join(done, "；"))
}

// checkAuditReward: ZhongBen art. 3(5), where the applicant applied for an
// audit (审计) or a reward notice (悬赏公告), one has been ordered.
func (c *Case) checkAuditReward(on deadline.Date) Precondition {
	p := Precondition{Key: "zhongben.audit_reward", Title: "申请执行人申请审计或悬赏的，已决定审计或发布悬赏公告",
		Basis: basisZhongBen + "第三条第（五）项", Article: "第三条第（五）项"}
	apps := c.nodesUntil(NodeAuditRewardApplied, on)
	if len(apps) == 0 {
		return notApplicable(p, "申请执行人未申请审计或悬赏")
	}
	first := apps[0].Date
	for _, k := range []NodeKind{NodeAuditOrdered, NodeRewardNotice} {
		for _, n := range c.nodesUntil(k, on) {
			if !n.Date.Before(first) {
				return met(p, fmt.Sprintf("申请日期%s，%s：%s", first, k.Chinese(), n.Date))
			}
		}
	}
	return missing(p, fmt.Sprintf("申请执行人于%s申请审计或悬赏，未记录决定审计或发布悬赏公告", first))
}

// partyName returns the name of party id, or id when unknown.
func (c *Case) partyName(id string) string {
	if pt, ok := c.Party(id); ok {
		return pt.Name
	}
	return id
}
