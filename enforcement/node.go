package enforcement

import (
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// NodeKind is a procedural node (流程节点) of an enforcement case. Its value
// is a stable text code used in rule data, storage and the API.
type NodeKind string

// Procedural nodes. The rule set (see rules/default.json) refers to them by
// code.
const (
	NodeApplication            NodeKind = "application"               // 收到执行申请
	NodeFiling                 NodeKind = "filing"                    // 立案
	NodeHandlerAssigned        NodeKind = "handler_assigned"          // 承办人收到案卷
	NodeExecutionNotice        NodeKind = "execution_notice"          // 执行通知书
	NodePropertyReportOrder    NodeKind = "property_report_order"     // 报告财产令
	NodeNetworkInquiry         NodeKind = "network_inquiry"           // 网络查控
	NodeClueSubmitted          NodeKind = "clue_submitted"            // 申请执行人提供财产线索
	NodeClueVerification       NodeKind = "clue_verification"         // 财产线索核查
	NodeInvestigationAsked     NodeKind = "investigation_asked"       // 申请法院调查
	NodePropertyChange         NodeKind = "property_change"           // 被执行人财产变动
	NodeAuditRewardApplied     NodeKind = "audit_reward_applied"      // 申请审计或悬赏
	NodeSeizure                NodeKind = "seizure"                   // 查封、扣押、冻结
	NodeRefPrice               NodeKind = "ref_price"                 // 确定财产处置参考价（询价、评估）
	NodeReportReceived         NodeKind = "report_received"           // 收到询价或评估报告
	NodeReportServed           NodeKind = "report_served_party"       // 参考价报告送达当事人
	NodeRefPriceFixed          NodeKind = "ref_price_fixed"           // 参考价确定
	NodeAuctionAnnouncement    NodeKind = "auction_announcement"      // 拍卖公告
	NodeAuction                NodeKind = "auction"                   // 拍卖、变卖
	NodeAuctionFailed          NodeKind = "auction_failed"            // 流拍
	NodeAuctionPauseEnded      NodeKind = "auction_pause_ended"       // 拍卖暂缓、中止事由消失
	NodeSecondAuctionFailed    NodeKind = "second_auction_failed"     // 第二次网络拍卖流拍
	NodeSaleAnnouncement       NodeKind = "sale_announcement"         // 变卖公告
	NodeTransferNeeded         NodeKind = "transfer_needed"           // 需办理财产过户登记
	NodeMoneyReceived          NodeKind = "money_received"            // 执行款到账
	NodeMoneyDisbursed         NodeKind = "money_disbursed"           // 执行款发放
	NodeDistributionPlan       NodeKind = "distribution_plan"         // 分配方案送达
	NodeDistributionObjection  NodeKind = "distribution_objection"    // 分配方案异议通知送达
	NodeDistributionOpposition NodeKind = "distribution_opposition"   // 反对意见通知送达异议人
	NodeObjection              NodeKind = "objection"                 // 执行异议
	NodeObjectionDocketed      NodeKind = "objection_docketed"        // 执行异议立案
	NodeObjectionRuling        NodeKind = "objection_ruling"          // 异议裁定送达
	NodeThirdPartyRuling       NodeKind = "third_party_ruling"        // 案外人异议裁定送达
	NodeThirdPartyWindowClosed NodeKind = "third_party_window_closed" // 许可执行之诉起诉期限届满未起诉
	NodeReconsideration        NodeKind = "reconsideration"           // 执行复议
	NodeConsumptionLimit       NodeKind = "consumption_limit"         // 限制消费
	NodeDishonestList          NodeKind = "dishonest_list"            // 纳入失信被执行人名单
	NodeSuspension             NodeKind = "suspension"                // 中止执行
	NodeResumption             NodeKind = "resumption"                // 恢复执行
	NodeOpinionSolicitation    NodeKind = "opinion_solicitation"      // 征询申请执行人意见
	NodeOpinionReceived        NodeKind = "opinion_received"          // 申请执行人意见
	NodeClosure                NodeKind = "closure"                   // 结案
	NodePostClosureCheck       NodeKind = "post_closure_check"        // 终本后定期财产查询
	NodeSettlement             NodeKind = "settlement"                // 执行和解
	NodeDeferral               NodeKind = "deferral"                  // 暂缓执行
	NodeEntrusted              NodeKind = "entrusted"                 // 收到委托执行函

	// Facts the 终本 checklist (ZhongBen arts. 1–3) asks about. Node.PartyID
	// names the respondent concerned where the fact is about one.
	NodeDishonestIneligible NodeKind = "dishonest_ineligible"    // 不符合纳入失信名单条件（Note 载明理由）
	NodeRespondentMissing   NodeKind = "respondent_missing"      // 被执行人下落不明
	NodeRespondentSearched  NodeKind = "respondent_searched"     // 依法查找被执行人
	NodeObstruction         NodeKind = "obstruction"             // 妨碍、抗拒执行行为
	NodeReportChecked       NodeKind = "property_report_checked" // 核查被执行人财产报告
	NodeReportDefault       NodeKind = "property_report_default" // 拒绝报告、逾期报告或虚假报告财产
	NodeAuditOrdered        NodeKind = "audit_ordered"           // 决定审计
	NodeRewardNotice        NodeKind = "reward_notice"           // 发布悬赏公告
)

// Finding is the result of verifying a property clue (财产线索核查结果),
// recorded on a clue_verification node.
type Finding string

// Findings of a clue verification.
const (
	FindingProperty   Finding = "property"    // 核实有财产
	FindingNoProperty Finding = "no_property" // 未发现财产
)

var findingNames = map[Finding]string{FindingProperty: "核实有财产", FindingNoProperty: "未发现财产"}

// IsKnown reports whether f is a known finding.
func (f Finding) IsKnown() bool { _, ok := findingNames[f]; return ok }

// Chinese returns the finding's Chinese name.
func (f Finding) Chinese() string { return findingNames[f] }

// NodeInfo describes a node kind.
type NodeInfo struct {
	Kind    NodeKind
	Name    string        // Chinese name shown to judges and parties
	Public  string        // plain-language text for a party's timeline
	Allowed []MeasureKind // measures that may be recorded at this node
}

var nodeTable = []NodeInfo{
	{NodeApplication, "收到执行申请", "法院已收到您的执行申请", nil},
	{NodeFiling, "立案", "案件已立案", nil},
	{NodeHandlerAssigned, "承办人收到案卷", "案件已分配承办法官", nil},
	{NodeExecutionNotice, "发出执行通知书", "法院已向被执行人发出执行通知书", nil},
	{NodePropertyReportOrder, "发出报告财产令", "法院已责令被执行人报告财产", nil},
	{NodeNetworkInquiry, "网络查控", "法院已通过网络执行查控系统查询被执行人财产", []MeasureKind{MeasureFreeze, MeasureDeduct}},
	{NodeClueSubmitted, "收到财产线索", "法院已收到您提供的财产线索", nil},
	{NodeClueVerification, "核查财产线索", "法院已核查财产线索", []MeasureKind{MeasureSeal, MeasureDetain, MeasureFreeze}},
	{NodeInvestigationAsked, "申请法院调查", "法院已收到您的调查申请", nil},
	{NodePropertyChange, "被执行人财产变动", "被执行人的财产情况发生变动", nil},
	{NodeAuditRewardApplied, "申请审计或悬赏", "法院已收到审计或悬赏申请", nil},
	{NodeSeizure, "查封、扣押、冻结", "法院已对被执行人财产采取控制措施", []MeasureKind{MeasureSeal, MeasureDetain, MeasureFreeze, MeasureDeduct}},
	{NodeRefPrice, "确定参考价", "法院已启动财产处置参考价程序", nil},
	{NodeReportReceived, "收到参考价报告", "法院已收到财产处置参考价报告", nil},
	{NodeReportServed, "参考价报告送达", "财产处置参考价报告已送达当事人", nil},
	{NodeRefPriceFixed, "参考价确定", "财产处置参考价已确定", nil},
	{NodeAuctionAnnouncement, "拍卖公告", "法院已发布拍卖公告", nil},
	{NodeAuction, "拍卖、变卖", "法院已对财产进行拍卖或变卖", []MeasureKind{MeasureAuction, MeasureSale, MeasureInKind}},
	{NodeAuctionFailed, "流拍", "拍卖未成交", []MeasureKind{MeasureInKind}},
	{NodeAuctionPauseEnded, "拍卖暂缓、中止事由消失", "拍卖暂缓或中止的事由已消失，法院将恢复拍卖", nil},
	{NodeSecondAuctionFailed, "第二次网络拍卖流拍", "第二次网络拍卖未成交", []MeasureKind{MeasureInKind}},
	{NodeSaleAnnouncement, "变卖公告", "法院已发布变卖公告", nil},
	{NodeTransferNeeded, "需办理过户登记", "法院将通知登记机关协助办理财产过户", nil},
	{NodeMoneyReceived, "执行款到账", "执行款已到账", nil},
	{NodeMoneyDisbursed, "执行款发放", "执行款已发放", nil},
	{NodeDistributionPlan, "分配方案送达", "财产分配方案已送达", nil},
	{NodeDistributionObjection, "分配方案异议通知送达", "法院已通知有关债权人和被执行人：有人对分配方案提出异议", nil},
	{NodeDistributionOpposition, "反对意见通知送达", "法院已将对异议的反对意见通知异议人", nil},
	{NodeObjection, "执行异议", "法院已收到执行异议", nil},
	{NodeObjectionDocketed, "执行异议立案", "执行异议已立案审查", nil},
	{NodeObjectionRuling, "异议裁定送达", "执行异议裁定已送达", nil},
	{NodeThirdPartyRuling, "案外人异议裁定送达", "案外人异议裁定已送达", nil},
	{NodeThirdPartyWindowClosed, "执行异议之诉起诉期限届满", "执行异议之诉的起诉期限已届满，无人起诉", nil},
	{NodeReconsideration, "执行复议", "执行复议已提出", nil},
	{NodeConsumptionLimit, "限制消费", "法院已对被执行人限制消费", []MeasureKind{MeasureConsumptionLimit, MeasureExitBan}},
	{NodeDishonestList, "纳入失信名单", "被执行人已被纳入失信被执行人名单", []MeasureKind{MeasureDishonestList}},
	{NodeSuspension, "中止执行", "案件中止执行", nil},
	{NodeResumption, "恢复执行", "案件恢复执行", nil},
	{NodeOpinionSolicitation, "征询申请执行人意见", "法院正在征询您的意见", nil},
	{NodeOpinionReceived, "收到申请执行人意见", "法院已收到您的意见", nil},
	{NodeClosure, "结案", "案件已结案", nil},
	{NodePostClosureCheck, "终本后财产查询", "法院已对被执行人财产进行定期查询", []MeasureKind{MeasureFreeze, MeasureSeal, MeasureDetain, MeasureDeduct}},
	{NodeSettlement, "执行和解", "当事人已达成执行和解", nil},
	{NodeDeferral, "暂缓执行", "案件暂缓执行", nil},
	{NodeEntrusted, "委托执行", "案件已委托执行", nil},
	{NodeDishonestIneligible, "不符合纳入失信名单条件", "被执行人不符合纳入失信被执行人名单的条件", nil},
	{NodeRespondentMissing, "被执行人下落不明", "被执行人下落不明", nil},
	{NodeRespondentSearched, "查找被执行人", "法院已依法查找被执行人", nil},
	{NodeObstruction, "妨碍执行行为", "发现妨碍、抗拒执行的行为", nil},
	{NodeReportChecked, "核查财产报告", "法院已核查被执行人的财产报告", nil},
	{NodeReportDefault, "未如实报告财产", "被执行人拒绝报告、逾期报告或虚假报告财产", nil},
	{NodeAuditOrdered, "决定审计", "法院已决定对被执行人进行审计", nil},
	{NodeRewardNotice, "发布悬赏公告", "法院已发布悬赏公告", nil},
}

// coercion lists the measures that may be recorded at any node because they
// sanction obstruction (拘留, 罚款) rather than act on property.
var coercion = []MeasureKind{MeasureDetention, MeasureFine, MeasureSearch}

var nodeIndex = func() map[NodeKind]NodeInfo {
	m := make(map[NodeKind]NodeInfo, len(nodeTable))
	for _, n := range nodeTable {
		m[n.Kind] = n
	}
	return m
}()

// Nodes returns every known node kind in procedural order.
func Nodes() []NodeInfo {
	out := make([]NodeInfo, len(nodeTable))
	copy(out, nodeTable)
	return out
}

// Info returns the description of k, and false if k is unknown.
func (k NodeKind) Info() (NodeInfo, bool) {
	n, ok := nodeIndex[k]
	return n, ok
}

// IsKnown reports whether k is a known node kind.
func (k NodeKind) IsKnown() bool { _, ok := nodeIndex[k]; return ok }

// Chinese returns the Chinese name of k, or its code if unknown.
func (k NodeKind) Chinese() string {
	if n, ok := nodeIndex[k]; ok {
		return n.Name
	}
	return string(k)
}

// Allows reports whether measure m may be recorded at node k.
func (k NodeKind) Allows(m MeasureKind) bool {
	for _, c := range coercion {
		if c == m {
			return true
		}
	}
	for _, a := range nodeIndex[k].Allowed {
		if a == m {
			return true
		}
	}
	return false
}

// Node is a procedural node reached on a case: what happened and when.
type Node struct {
	ID   string
	Kind NodeKind
	// Date is the legal date of the node (the trigger date of its time
	// limits), e.g. the day the ruling was served.
	Date deadline.Date
	// At is when it was recorded.
	At     time.Time
	Actor  string // user who recorded it
	Note   string
	Urgent bool // e.g. an urgent property clue (3 instead of 7 days)
	// PartyID names the party the node is about, where it is about one: the
	// respondent put on the 失信 list or found ineligible for it, searched
	// for, or who obstructed enforcement. Empty means the case as a whole
	// (a dishonest_list node without a party concerns every respondent).
	PartyID string `json:",omitempty"`
	// Ref is the ID of the node this one answers: a clue_verification node
	// names the clue_submitted node it verified.
	Ref string `json:",omitempty"`
	// Finding is the result of a clue_verification node.
	Finding Finding `json:",omitempty"`
}

// Validate reports every problem with n.
func (n Node) Validate() error {
	pr := problems{what: "node"}
	n.validate(&pr, "")
	return pr.err()
}

func (n Node) validate(pr *problems, prefix string) {
	if n.ID == "" {
		pr.add(prefix+"id", "required", "")
	}
	if !n.Kind.IsKnown() {
		pr.add(prefix+"kind", "unknown_node", string(n.Kind))
	}
	if !n.Date.IsValid() {
		pr.add(prefix+"date", "invalid_date", n.Date.String())
	}
	if n.Finding != "" && !n.Finding.IsKnown() {
		pr.add(prefix+"finding", "unknown_finding", string(n.Finding))
	}
	switch n.Kind {
	case NodeDishonestIneligible:
		if n.PartyID == "" {
			pr.add(prefix+"party_id", "required", "the respondent found ineligible")
		}
		if blank(n.Note) {
			pr.add(prefix+"note", "required", "the reason the respondent is not eligible")
		}
	case NodeRespondentMissing, NodeRespondentSearched:
		if n.PartyID == "" {
			pr.add(prefix+"party_id", "required", "the respondent concerned")
		}
	case NodeClueVerification:
		if n.Ref != "" && n.Finding == "" {
			pr.add(prefix+"finding", "required", "the result of verifying the clue")
		}
	}
}
