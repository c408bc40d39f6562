package enforcement

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// Status is the state of a case.
type Status string

// Case states.
const (
	StatusOpen      Status = "open"      // 执行中
	StatusSuspended Status = "suspended" // 中止执行
	StatusDeferred  Status = "deferred"  // 暂缓执行
	StatusClosed    Status = "closed"    // 已结案
)

var statusNames = map[Status]string{StatusOpen: "执行中", StatusSuspended: "中止执行", StatusDeferred: "暂缓执行", StatusClosed: "已结案"}

// Chinese returns the status's Chinese name.
func (s Status) Chinese() string { return statusNames[s] }

// SourceDocument is the enforcement basis (执行依据): the judgment, ruling,
// mediation statement, arbitral award or notarised debt instrument.
type SourceDocument struct {
	Title  string // e.g. "民事判决书"
	Number string // its case number, e.g. "（2023）沪0115民初4567号"
	Issuer string // e.g. "上海市浦东新区人民法院"
	// EffectiveOn is when the document took legal effect.
	EffectiveOn deadline.Date
	// PerformanceDue is the last day of the performance period it set, if any.
	PerformanceDue deadline.Date
	// Instalments are the last days of the instalments, when it orders
	// performance by instalments (分期履行).
	Instalments []deadline.Date `json:",omitempty"`
}

// Interval kinds of periods not counted in the case-handling limit
// (Limits2000 art. 9; ExecInterp2008 art. 13).
const (
	DeductNotice       = "notice"       // 公告
	DeductAppraisal    = "appraisal"    // 评估、审计
	DeductJurisdiction = "jurisdiction" // 管辖争议
	DeductSuspension   = "suspension"   // 中止
	DeductDeferral     = "deferral"     // 暂缓
	DeductSettlement   = "settlement"   // 和解
	DeductCoordination = "coordination" // 请示、协调
	DeductAuction      = "auction"      // 拍卖、变卖
)

// Deduction is a period not counted in the case's handling limit.
type Deduction struct {
	Kind string // one of the Deduct… constants
	From deadline.Date
	To   deadline.Date // zero while the period is still running
	Ref  string        // the node that opened it
}

// Case is an enforcement case (执行案件) with its parties, procedural nodes,
// measures, time limits, requests and supervision. Its fields are exported
// so vendors can store and show it; changes go through its methods, which
// check the rules and return events.
type Case struct {
	ID     string
	Number CaseNumber
	// Court is the court code the case belongs to (its storage key), e.g. "沪01".
	Court  string
	Cause  string // 案由, e.g. "民间借贷纠纷"
	Source SourceDocument
	// NonLitigation is set for non-litigation cases (非诉执行), whose
	// handling limit is 3 instead of 6 months (Limits2006 art. 1).
	NonLitigation bool
	Parties       []Party
	// AmountApplied is the sum applied for, in yuan.
	AmountApplied decimal.Decimal
	// AmountRecovered is the sum recovered so far (执行到位金额).
	AmountRecovered decimal.Decimal
	// ReceivedOn is the day the application was received.
	ReceivedOn deadline.Date
	// FiledOn is the day the case was docketed (立案).
	FiledOn deadline.Date
	JudgeID string
	// Key marks a key case (重点案件) the chief follows.
	Key    bool
	Status Status
	// QueryCode is the code (查询码) printed on the filing notice with which
	// a party signs in to follow the case. Set by the caller.
	QueryCode     string
	Nodes         []Node
	Measures      []Measure
	DueItems      []DueItem
	Deductions    []Deduction
	Solicitations []Solicitation
	Requests      []Request
	Orders        []SupervisionOrder
	Closure       *ClosureRecord
	// Withdrawn are the nodes and measures recorded by mistake and
	// withdrawn (see [Case.Withdraw]): kept with who, when and why, and
	// counted for nothing.
	Withdrawn []Withdrawal `json:",omitempty"`
	// LimitationEvents are the facts before filing that interrupt or
	// suspend the period for applying (see [ComputeApplicationPeriod]).
	LimitationEvents []LimitationEvent `json:",omitempty"`
	// ApplicationPeriod is the period for applying as computed at filing,
	// when the source document gives its dates; nil otherwise.
	ApplicationPeriod *ApplicationPeriod `json:",omitempty"`
	// LateAcknowledgedBy is the judge who acknowledged, at filing, the
	// warning that the application appears out of time.
	LateAcknowledgedBy string `json:",omitempty"`
	// Version is incremented by the store on every successful update.
	Version   int64
	UpdatedAt time.Time
}

// Validate reports every problem with c.
func (c *Case) Validate() error {
	pr := problems{what: "case"}
	if c.ID == "" {
		pr.add("id", "required", "")
	}
	if c.Number.IsZero() {
		pr.add("number", "required", "")
	}
	if c.Court == "" {
		pr.add("court", "required", "")
	} else if !c.Number.IsZero() && c.Number.Court != c.Court {
		pr.add("court", "mismatch", "the case number names court "+c.Number.Court)
	}
	if c.JudgeID == "" {
		pr.add("judge_id", "required", "")
	}
	if !c.FiledOn.IsValid() {
		pr.add("filed_on", "invalid_date", "")
	}
	if !c.ReceivedOn.IsZero() && (!c.ReceivedOn.IsValid() || c.ReceivedOn.After(c.FiledOn)) {
		pr.add("received_on", "invalid_date", "must not be after filed_on")
	}
	if c.AmountApplied.IsNegative() {
		pr.add("amount_applied", "negative", "")
	}
	if c.AmountRecovered.IsNegative() {
		pr.add("amount_recovered", "negative", "")
	}
	if !c.AmountApplied.Equal(c.AmountApplied.Round(2)) {
		pr.add("amount_applied", "too_precise", "at most 2 decimal places")
	}
	var applicants, respondents int
	ids := map[string]bool{}
	for i, p := range c.Parties {
		prefix := "parties[" + itoa(i) + "]."
		p.validate(&pr, prefix)
		if ids[p.ID] {
			pr.add(prefix+"id", "duplicate", p.ID)
		}
		ids[p.ID] = true
		switch p.Role {
		case RoleApplicant:
			applicants++
		case RoleRespondent:
			respondents++
		}
	}
	if applicants == 0 {
		pr.add("parties", "no_applicant", "at least one applicant (申请执行人)")
	}
	if respondents == 0 {
		pr.add("parties", "no_respondent", "at least one respondent (被执行人)")
	}
	return pr.err()
}

// Env is what the case methods need to compute time limits: the working-day
// calendar, the rule set and the court's settings.
type Env struct {
	Calendar *deadline.Calendar
	Rules    Scheduler
	Settings Settings
}

// Settings are a court's choices where courts differ. The zero value means
// the documented defaults.
type Settings struct {
	// RequestRecordWithin is how soon a party request must be recorded and
	// acknowledged; default 5 working days.
	RequestRecordWithin deadline.Period
	// RequestResolveWithin is how soon it must be resolved; default 30
	// working days (after the SPC's 2021 opinion on supervising enforcement
	// power).
	RequestResolveWithin deadline.Period
	// OpinionReplyWithin is how long the applicant has to reply to an
	// opinion solicitation; default 10 days.
	OpinionReplyWithin deadline.Period
	// AllowProvisional lets due dates beyond the calendar's coverage be
	// shown as weekend-only estimates marked 暂定. Off by default: such an
	// item is kept awaiting the calendar ([DueItem.AwaitingCalendar]) and
	// shown without a date ([DueItem.Shown]). Either way filing a case and
	// recording a node never fail for want of next year's schedule; loading
	// it ([deadline.Calendar.WithSchedule]) and recalculating
	// ([Recalculate]) makes the dates definite.
	AllowProvisional bool
	// Overrides bounds a judge's override of a computed due date; the zero
	// value means the defaults of [OverridePolicy].
	Overrides OverridePolicy
}

func (s Settings) requestRecord() deadline.Period {
	if s.RequestRecordWithin.IsZero() {
		return deadline.Period{N: 5, Unit: deadline.Workdays}
	}
	return s.RequestRecordWithin
}

func (s Settings) requestResolve() deadline.Period {
	if s.RequestResolveWithin.IsZero() {
		return deadline.Period{N: 30, Unit: deadline.Workdays}
	}
	return s.RequestResolveWithin
}

func (s Settings) opinionReply() deadline.Period {
	if s.OpinionReplyWithin.IsZero() {
		return deadline.Period{N: 10, Unit: deadline.Days}
	}
	return s.OpinionReplyWithin
}

// Trigger is something that happened on a case and may start time limits.
type Trigger struct {
	Node    NodeKind
	Measure *Measure // set when the trigger is a measure
	Date    deadline.Date
	Ref     string // ID of the node or measure
	Urgent  bool
}

// Scheduler turns triggers into due items. The rule set implements it.
type Scheduler interface {
	// Schedule returns the due items trigger t opens on case c (computed on
	// cal), and the IDs of the open items of c that t completes. It does not
	// change c. A date beyond cal's coverage must not fail the schedule:
	// the item is returned awaiting the calendar (DueItem.AwaitingCalendar,
	// Provisional, with a weekend-only estimate); provisional says whether
	// the caller shows such estimates, and [RuleSet] computes the same items
	// either way.
	Schedule(c *Case, t Trigger, cal *deadline.Calendar, provisional bool) (opened []DueItem, completed []string, err error)
}

// Applicants returns the case's applicants (申请执行人).
func (c *Case) Applicants() []Party { return c.partiesWith(RoleApplicant) }

// Respondents returns the case's respondents (被执行人).
func (c *Case) Respondents() []Party { return c.partiesWith(RoleRespondent) }

func (c *Case) partiesWith(r Role) []Party {
	var out []Party
	for _, p := range c.Parties {
		if p.Role == r {
			out = append(out, p)
		}
	}
	return out
}

// Party returns the party with the given ID.
func (c *Case) Party(id string) (Party, bool) {
	for _, p := range c.Parties {
		if p.ID == id {
			return p, true
		}
	}
	return Party{}, false
}

// Measure returns the measure with the given ID.
func (c *Case) Measure(id string) (Measure, bool) {
	for _, m := range c.Measures {
		if m.ID == id {
			return m, true
		}
	}
	return Measure{}, false
}

// Due returns the due item with the given ID.
func (c *Case) Due(id string) (DueItem, bool) {
	for _, d := range c.DueItems {
		if d.ID == id {
			return d.clone(), true
		}
	}
	return DueItem{}, false
}

// OpenDueItems returns copies of the due items still to be done, earliest
// first.
func (c *Case) OpenDueItems() []DueItem {
	var out []DueItem
	for _, d := range c.DueItems {
		if d.IsOpen() {
			out = append(out, d.clone())
		}
	}
	slices.SortStableFunc(out, func(a, b DueItem) int { return a.Due().Compare(b.Due()) })
	return out
}

// HasNode reports whether a node of kind k has been recorded.
func (c *Case) HasNode(k NodeKind) bool {
	for _, n := range c.Nodes {
		if n.Kind == k {
			return true
		}
	}
	return false
}

// LastNode returns the latest recorded node of kind k.
func (c *Case) LastNode(k NodeKind) (Node, bool) {
	for i := len(c.Nodes) - 1; i >= 0; i-- {
		if c.Nodes[i].Kind == k {
			return c.Nodes[i], true
		}
	}
	return Node{}, false
}

// IsClosed reports whether the case is closed.
func (c *Case) IsClosed() bool { return c.Status == StatusClosed }

// DeductionIntervals returns the periods not counted in the handling limit
// as of today: a running period counts up to today.
func (c *Case) DeductionIntervals(today deadline.Date) []deadline.Interval {
	var out []deadline.Interval
	for _, d := range c.Deductions {
		to := d.To
		if to.IsZero() {
			to = today
		}
		out = append(out, deadline.Interval{From: d.From, To: to})
	}
	return out
}

// Clone returns a deep copy of c. Stores use it to share no memory with
// callers.
func (c *Case) Clone() *Case {
	if c == nil {
		return nil
	}
	d := *c
	d.Parties = slices.Clone(c.Parties)
	d.Nodes = slices.Clone(c.Nodes)
	d.Measures = slices.Clone(c.Measures)
	d.DueItems = make([]DueItem, len(c.DueItems))
	for i, x := range c.DueItems {
		d.DueItems[i] = x.clone()
	}
	if c.DueItems == nil {
		d.DueItems = nil
	}
	d.Deductions = slices.Clone(c.Deductions)
	d.Solicitations = slices.Clone(c.Solicitations)
	d.Requests = slices.Clone(c.Requests)
	d.Orders = slices.Clone(c.Orders)
	d.Withdrawn = cloneWithdrawals(c.Withdrawn)
	d.Source.Instalments = slices.Clone(c.Source.Instalments)
	d.LimitationEvents = slices.Clone(c.LimitationEvents)
	if c.ApplicationPeriod != nil {
		p := c.ApplicationPeriod.clone()
		d.ApplicationPeriod = &p
	}
	if c.Closure != nil {
		cl := *c.Closure
		cl.Checks = slices.Clone(c.Closure.Checks)
		cl.Unmet = slices.Clone(c.Closure.Unmet)
		d.Closure = &cl
	}
	return &d
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Recomputer is implemented by schedulers that can recompute an existing due
// item from its rule, for recalculation after a trigger date is corrected,
// a deduction ends or the calendar changes.
type Recomputer interface {
	// Recompute returns d computed afresh from its rule against the current
	// state of c on cal. It does not change c or d's override.
	Recompute(c *Case, d DueItem, cal *deadline.Calendar, provisional bool) (DueItem, error)
}
