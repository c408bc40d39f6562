package enforcement

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// MeasureKind is an enforcement measure (执行措施). Its value is a stable
// text code.
type MeasureKind string

// Enforcement measures.
const (
	MeasureSeal             MeasureKind = "seal"              // 查封
	MeasureDetain           MeasureKind = "detain"            // 扣押
	MeasureFreeze           MeasureKind = "freeze"            // 冻结
	MeasureDeduct           MeasureKind = "deduct"            // 扣划
	MeasureAuction          MeasureKind = "auction"           // 拍卖
	MeasureSale             MeasureKind = "sale"              // 变卖
	MeasureInKind           MeasureKind = "in_kind"           // 以物抵债
	MeasureConsumptionLimit MeasureKind = "consumption_limit" // 限制消费
	MeasureExitBan          MeasureKind = "exit_ban"          // 限制出境
	MeasureDishonestList    MeasureKind = "dishonest_list"    // 纳入失信被执行人名单
	MeasureDetention        MeasureKind = "detention"         // 司法拘留
	MeasureFine             MeasureKind = "fine"              // 罚款
	MeasureSearch           MeasureKind = "search"            // 搜查
)

var measureNames = map[MeasureKind]string{
	MeasureSeal: "查封", MeasureDetain: "扣押", MeasureFreeze: "冻结", MeasureDeduct: "扣划",
	MeasureAuction: "拍卖", MeasureSale: "变卖", MeasureInKind: "以物抵债",
	MeasureConsumptionLimit: "限制消费", MeasureExitBan: "限制出境", MeasureDishonestList: "纳入失信被执行人名单",
	MeasureDetention: "司法拘留", MeasureFine: "罚款", MeasureSearch: "搜查",
}

// IsKnown reports whether m is a known measure.
func (m MeasureKind) IsKnown() bool { _, ok := measureNames[m]; return ok }

// Chinese returns the Chinese name of m, or its code if unknown.
func (m MeasureKind) Chinese() string {
	if s, ok := measureNames[m]; ok {
		return s
	}
	return string(m)
}

// IsControl reports whether m keeps property under the court's control for a
// limited term (查封, 扣押, 冻结), so that it expires and must be renewed.
func (m MeasureKind) IsControl() bool {
	return m == MeasureSeal || m == MeasureDetain || m == MeasureFreeze
}

// PropertyKind is the kind of property a measure acts on. It decides the
// maximum term of a control measure (Interp 2022 art. 485).
type PropertyKind string

// Property kinds.
const (
	PropertyDeposit    PropertyKind = "deposit"     // 银行存款
	PropertyMovable    PropertyKind = "movable"     // 动产
	PropertyImmovable  PropertyKind = "immovable"   // 不动产
	PropertyOtherRight PropertyKind = "other_right" // 其他财产权（股权、知识产权等）
	PropertyVehicle    PropertyKind = "vehicle"     // 机动车（动产）
	PropertyNone       PropertyKind = "none"        // 不涉及财产（限制消费、拘留等）
)

var propertyNames = map[PropertyKind]string{
	PropertyDeposit: "银行存款", PropertyMovable: "动产", PropertyImmovable: "不动产",
	PropertyOtherRight: "其他财产权", PropertyVehicle: "机动车", PropertyNone: "",
}

// IsKnown reports whether p is a known property kind.
func (p PropertyKind) IsKnown() bool { _, ok := propertyNames[p]; return ok }

// Chinese returns the Chinese name of p.
func (p PropertyKind) Chinese() string { return propertyNames[p] }

// Outcome is the result of a measure.
type Outcome string

// Outcomes.
const (
	OutcomePending Outcome = "pending" // 办理中
	OutcomeDone    Outcome = "done"    // 已完成
	OutcomePartial Outcome = "partial" // 部分完成
	OutcomeFailed  Outcome = "failed"  // 未果
)

var outcomeNames = map[Outcome]string{OutcomePending: "办理中", OutcomeDone: "已完成", OutcomePartial: "部分完成", OutcomeFailed: "未果"}

// Chinese returns the outcome's Chinese name.
func (o Outcome) Chinese() string { return outcomeNames[o] }

// IsKnown reports whether o is a known outcome.
func (o Outcome) IsKnown() bool { _, ok := outcomeNames[o]; return ok }

// Measure is an enforcement measure taken on a case and its result.
type Measure struct {
	ID       string
	Node     NodeKind // the node at which it was taken
	Kind     MeasureKind
	Property PropertyKind
	// Target describes the property or person, e.g. "招商银行账户 6225…" or
	// "沪(2021)浦字不动产权第123号".
	Target string
	// Amount is the sum frozen, deducted or realised, in yuan (2 places).
	Amount decimal.Decimal
	// TakenOn is the day the court took the measure.
	TakenOn deadline.Date
	// EffectiveOn is the day a control measure took legal effect: when the
	// ruling and assistance notice were served on the assisting unit
	// (查封扣押冻结规定 art. 1). Defaults to TakenOn.
	EffectiveOn deadline.Date
	// ExpiresOn is the end date written by the assisting unit (bank,
	// registry), when it reported one; otherwise the rule set computes it.
	ExpiresOn deadline.Date
	Outcome   Outcome
	Result    string // what came of it, in Chinese, e.g. "冻结存款人民币12,000.00元"
	// RenewalOf is the ID of the measure this one renews (续行), if any.
	RenewalOf string
	At        time.Time
	Actor     string
}

// Effective returns the day the measure took legal effect.
func (m Measure) Effective() deadline.Date {
	if !m.EffectiveOn.IsZero() {
		return m.EffectiveOn
	}
	return m.TakenOn
}

// Validate reports every problem with m on its own (not against a case).
func (m Measure) Validate() error {
	pr := problems{what: "measure"}
	m.validate(&pr, "")
	return pr.err()
}

func (m Measure) validate(pr *problems, prefix string) {
	if m.ID == "" {
		pr.add(prefix+"id", "required", "")
	}
	if !m.Kind.IsKnown() {
		pr.add(prefix+"kind", "unknown_measure", string(m.Kind))
	}
	if !m.Node.IsKnown() {
		pr.add(prefix+"node", "unknown_node", string(m.Node))
	} else if m.Kind.IsKnown() && !m.Node.Allows(m.Kind) {
		pr.add(prefix+"kind", "not_allowed_at_node", string(m.Kind)+" at "+string(m.Node))
	}
	if m.Property == "" || !m.Property.IsKnown() {
		pr.add(prefix+"property", "unknown_property", string(m.Property))
	}
	if !m.TakenOn.IsValid() {
		pr.add(prefix+"taken_on", "invalid_date", "")
	}
	if !m.EffectiveOn.IsZero() && (!m.EffectiveOn.IsValid() || m.EffectiveOn.Before(m.TakenOn)) {
		pr.add(prefix+"effective_on", "invalid_date", "must not be before taken_on")
	}
	if !m.ExpiresOn.IsZero() && (!m.ExpiresOn.IsValid() || !m.ExpiresOn.After(m.Effective())) {
		pr.add(prefix+"expires_on", "invalid_date", "must be after the effective date")
	}
	if m.Amount.IsNegative() {
		pr.add(prefix+"amount", "negative", "")
	} else if m.Amount.Exponent() < -2 && !m.Amount.Equal(m.Amount.Round(2)) {
		pr.add(prefix+"amount", "too_precise", "at most 2 decimal places")
	}
	if m.Outcome != "" && !m.Outcome.IsKnown() {
		pr.add(prefix+"outcome", "unknown_outcome", string(m.Outcome))
	}
}
