package enforcement

import (
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// ClosureMode is how an enforcement case is closed (结案方式, ExecWork item
// 64; Opinion2014 art. 14).
type ClosureMode string

// Closure modes.
const (
	ClosureCompleted   ClosureMode = "completed"    // 执行完毕
	ClosureZhongBen    ClosureMode = "zhongben"     // 终结本次执行程序
	ClosureTerminated  ClosureMode = "terminated"   // 终结执行
	ClosureNotEnforced ClosureMode = "not_enforced" // 不予执行
	ClosureRejected    ClosureMode = "rejected"     // 驳回申请
	ClosureCancelled   ClosureMode = "cancelled"    // 销案
)

var closureNames = map[ClosureMode]string{
	ClosureCompleted: "执行完毕", ClosureZhongBen: "终结本次执行程序", ClosureTerminated: "终结执行",
	ClosureNotEnforced: "不予执行", ClosureRejected: "驳回申请", ClosureCancelled: "销案",
}

// ClosureModes returns every closure mode, in the order of the constants.
func ClosureModes() []ClosureMode {
	return []ClosureMode{ClosureCompleted, ClosureZhongBen, ClosureTerminated, ClosureNotEnforced, ClosureRejected, ClosureCancelled}
}

// IsKnown reports whether m is a known closure mode.
func (m ClosureMode) IsKnown() bool { _, ok := closureNames[m]; return ok }

// Chinese returns the mode's Chinese name.
func (m ClosureMode) Chinese() string { return closureNames[m] }

// Precondition is one condition a closure mode requires, checked against a
// case.
type Precondition struct {
	Key   string // stable code, e.g. "zhongben.three_months"
	Title string // Chinese, shown as a checklist item
	Basis string // instrument and article
	// Article is the article and item of the instrument, e.g. "第一条第（二）项".
	Article string `json:",omitempty"`
	// Met is set when the item is met or does not apply (Status).
	Met bool
	// Status is met, missing or not applicable; empty on records made
	// before it existed, where Met alone tells.
	Status CheckStatus `json:",omitempty"`
	// Detail explains why it is met, missing or not applicable, in Chinese.
	Detail string
}

// CheckStatus is the state of a closure checklist item.
type CheckStatus string

// Checklist states.
const (
	CheckMet           CheckStatus = "met"            // 已满足
	CheckMissing       CheckStatus = "missing"        // 未满足
	CheckNotApplicable CheckStatus = "not_applicable" // 不适用（Detail 载明理由）
)

var checkStatusNames = map[CheckStatus]string{CheckMet: "已满足", CheckMissing: "未满足", CheckNotApplicable: "不适用"}

// IsKnown reports whether s is a known checklist state.
func (s CheckStatus) IsKnown() bool { _, ok := checkStatusNames[s]; return ok }

// Chinese returns the state's Chinese name.
func (s CheckStatus) Chinese() string { return checkStatusNames[s] }

// State returns the item's status, derived from Met when Status is unset.
func (p Precondition) State() CheckStatus {
	switch {
	case p.Status != "":
		return p.Status
	case p.Met:
		return CheckMet
	}
	return CheckMissing
}

// ClosureRecord records how and when a case was closed.
type ClosureRecord struct {
	Mode   ClosureMode
	On     deadline.Date
	Reason string
	By     string
	At     time.Time
	// Checks are the preconditions as they stood at closure.
	Checks []Precondition
	// Unmet lists the keys of preconditions overridden with approval, if the
	// court allows that; normally empty.
	Unmet []string
}
