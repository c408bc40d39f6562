package enforcement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
)

// Counting is how a rule counts its period (计算方式). Its value is a stable
// text code used in rule data.
type Counting string

// Counting modes (reference §13).
const (
	CountCalendarDays Counting = "cal"    // 日: calendar days, start day excluded, last-day rest-day shift (CPL 85)
	CountWorkdays     Counting = "wd"     // 工作日: working days on the official calendar
	CountMonths       Counting = "month"  // 月: corresponding day of the final month (Civil Code 202)
	CountYears        Counting = "year"   // 年: corresponding day of the final year
	CountHours        Counting = "hours"  // 小时: clock hours from the next whole hour
	CountBefore       Counting = "before" // 前N日: minimum notice counted back from the parent date, never shifted
	CountExceed       Counting = "exceed" // 超过: met only from the day after the period ends (Civil Code 1259)
)

// units lists the period units each counting mode accepts.
var countingUnits = map[Counting][]deadline.Unit{
	CountCalendarDays: {deadline.Days},
	CountWorkdays:     {deadline.Workdays},
	CountMonths:       {deadline.Months},
	CountYears:        {deadline.Years},
	CountHours:        {deadline.Hours},
	CountBefore:       {deadline.Days, deadline.Workdays, deadline.Months},
	CountExceed:       {deadline.Days, deadline.Months, deadline.Years},
}

// IsKnown reports whether m is a known counting mode.
func (m Counting) IsKnown() bool { _, ok := countingUnits[m]; return ok }

// Owner is who must act on a due item.
type Owner string

// Owners of due items.
const (
	OwnerHandler    Owner = "handler"    // 承办人
	OwnerCourt      Owner = "court"      // 法院（立案庭、合议庭、院长等）
	OwnerApplicant  Owner = "applicant"  // 申请执行人
	OwnerRespondent Owner = "respondent" // 被执行人
	OwnerPlatform   Owner = "platform"   // 网络司法拍卖平台、询价平台、评估机构
	OwnerParty      Owner = "party"      // 当事人或利害关系人（异议、复议的提出人）
)

var ownerNames = map[Owner]string{OwnerHandler: "承办人", OwnerCourt: "法院", OwnerApplicant: "申请执行人", OwnerRespondent: "被执行人", OwnerPlatform: "平台/机构", OwnerParty: "当事人"}

// IsKnown reports whether o is a known owner.
func (o Owner) IsKnown() bool { _, ok := ownerNames[o]; return ok }

// Chinese returns the owner's Chinese name.
func (o Owner) Chinese() string { return ownerNames[o] }

// RightKind says whether a due item is a party's right rather than a task,
// and which way its date works. Its value is a stable text code used in
// rule data.
type RightKind string

// Right kinds. The zero value means the item is a task.
const (
	// RightUntil is a right that lapses after its date (…前可…): the
	// respondent's jurisdiction objection, a party's objection or suit.
	RightUntil RightKind = "until"
	// RightFrom is a right that opens after the period (…后可…): the
	// applicant's application to the higher court after more than six
	// months.
	RightFrom RightKind = "from"
)

// IsKnown reports whether k is a known right kind (not the zero value).
func (k RightKind) IsKnown() bool { return k == RightUntil || k == RightFrom }

// SourceLevel is the rank of the instrument a rule comes from (reference
// A17): statutes and judicial interpretations are law; SPC normative
// documents and local rules are management targets.
type SourceLevel string

// Source levels.
const (
	SourceLaw                    SourceLevel = "law"                     // 法律
	SourceJudicialInterpretation SourceLevel = "judicial_interpretation" // 司法解释
	SourceSPCNormative           SourceLevel = "spc_normative"           // 最高人民法院规范性文件
	SourceLocal                  SourceLevel = "local"                   // 地方法院规定
)

var sourceLevelNames = map[SourceLevel]string{SourceLaw: "法律", SourceJudicialInterpretation: "司法解释", SourceSPCNormative: "最高人民法院规范性文件", SourceLocal: "本院规定"}

// IsKnown reports whether l is a known source level.
func (l SourceLevel) IsKnown() bool { _, ok := sourceLevelNames[l]; return ok }

// Chinese returns the level's Chinese name.
func (l SourceLevel) Chinese() string { return sourceLevelNames[l] }

// Verification is how well a rule's text has been checked (reference §0).
type Verification string

// Verification states.
const (
	VerificationOfficial  Verification = "V" // the official text was read
	VerificationSecondary Verification = "S" // checked against a secondary copy only
	VerificationNone      Verification = "U" // from memory: ships disabled (reference A14)
)

// IsKnown reports whether v is a known verification state.
func (v Verification) IsKnown() bool {
	return v == VerificationOfficial || v == VerificationSecondary || v == VerificationNone
}

// RuleTrigger says what starts a rule's period: a node, a measure, or
// another rule's due date (a derived rule). Exactly one of Node (with no
// Measures), Measures, or Rules is the trigger; the other fields narrow it.
type RuleTrigger struct {
	// Node is the node kind that starts the period. For a measure trigger it
	// restricts the node at which the measure was taken; empty means any.
	Node NodeKind `json:"node,omitempty"`
	// Measures makes this a measure trigger: any of these measure kinds.
	Measures []MeasureKind `json:"measures,omitempty"`
	// Property restricts a measure trigger to these property kinds.
	Property []PropertyKind `json:"property,omitempty"`
	// SkipRenewals keeps a measure trigger from firing on a renewal (续行).
	SkipRenewals bool `json:"skip_renewals,omitempty"`
	// Rules makes this a derived rule: it starts on the due date of an item
	// of any of these rules, for the same trigger reference.
	Rules []string `json:"rules,omitempty"`
	// ClosureModes restricts a closure trigger to these closure modes; the
	// case's Closure record must be set when the closure node is scheduled.
	ClosureModes []ClosureMode `json:"closure_modes,omitempty"`
	// Requires lists node kinds that must already be on the case.
	Requires []NodeKind `json:"requires,omitempty"`
	// Unless lists node kinds whose presence on the case stops the trigger.
	Unless []NodeKind `json:"unless,omitempty"`
}

// IsDerived reports whether t is another rule's due date.
func (t RuleTrigger) IsDerived() bool { return len(t.Rules) > 0 }

// IsMeasure reports whether t is a measure.
func (t RuleTrigger) IsMeasure() bool { return len(t.Measures) > 0 }

// Rule is one effective-dated version of a time-limit rule: "within Period
// after Trigger, Owner must do Title", with its legal basis. Several versions
// of one Key may exist with disjoint [From, Until) windows; the version in
// force on the trigger date applies.
type Rule struct {
	// Key identifies the rule across versions, e.g. "notice.enforcement_legal".
	Key string `json:"key"`
	// Version names this version; it defaults to From, e.g. "2015-02-04".
	Version string `json:"version,omitempty"`
	// Title is what must be done, in Chinese.
	Title   string      `json:"title"`
	Trigger RuleTrigger `json:"trigger"`
	// CompletedBy lists the node kinds whose recording completes the items
	// of this rule triggered on or before the node's date.
	CompletedBy []NodeKind `json:"completed_by,omitempty"`
	// RenewalCompletes marks items of the renewed measure done when a
	// renewal (Measure.RenewalOf) is recorded.
	RenewalCompletes bool `json:"renewal_completes,omitempty"`
	// Recurring allows a completing node equal to the trigger node: each
	// node completes the previous item and opens the next one.
	Recurring bool `json:"recurring,omitempty"`
	// Period is the time limit, e.g. "10d", "6m", "1y", "24h".
	Period deadline.Period `json:"period"`
	// RenewalPeriod replaces Period when the trigger is a renewal (续行) of
	// a measure under this version: the 2004 seizure provisions cap a
	// renewal at half the original term (art. 29(2)).
	RenewalPeriod deadline.Period `json:"renewal_period,omitzero"`
	// UrgentPeriod replaces Period when the trigger is urgent.
	UrgentPeriod deadline.Period `json:"urgent_period,omitzero"`
	// NonLitigationPeriod replaces Period on a non-litigation case (非诉执行).
	NonLitigationPeriod deadline.Period `json:"non_litigation_period,omitzero"`
	Counting            Counting        `json:"counting"`
	// NoExtension switches the last-day rest-day shift (CPL 85(3)) off, as
	// for the expiry of a seizure term (reference A10).
	NoExtension bool `json:"no_extension,omitempty"`
	// Deduct lists the deduction kinds (Deduct… constants) whose closed
	// periods on the case are not counted (reference A5).
	Deduct []string `json:"deduct,omitempty"`
	// Expiry marks the item as a measure's term end: the end date the
	// assisting unit reported (Measure.ExpiresOn) is used when there is one.
	Expiry bool `json:"expiry,omitempty"`
	// Horizon stops a recurring rule: no item is opened whose due date lies
	// more than Horizon after the case's closure date (终本 checks: 5 years).
	Horizon deadline.Period `json:"horizon,omitzero"`
	// AllowProvisional lets this rule's dates beyond the calendar's coverage
	// be computed on weekends only and marked provisional, whatever the
	// caller asked: for checks years ahead (终本 follow-up), where refusing
	// the item for want of a schedule would help nobody.
	AllowProvisional bool `json:"allow_provisional,omitempty"`
	// Warnings are how long before the due date reminders go out, e.g.
	// ["30d", "7d"].
	Warnings []deadline.Period `json:"warnings,omitempty"`
	Owner    Owner             `json:"owner"`
	Severity Severity          `json:"severity"`
	// Right marks a party's right rather than a task (see RightKind);
	// RightAction is what the owner may do, in Chinese, e.g. "向上一级法院申请执行".
	Right       RightKind `json:"right,omitempty"`
	RightAction string    `json:"right_action,omitempty"`
	// CompletedByJudge marks the item done when the case has a judge
	// (Case.JudgeID): 确定承办人 is met by the assignment itself.
	CompletedByJudge bool `json:"completed_by_judge,omitempty"`
	// Internal marks a management target (内部管理期限).
	Internal bool        `json:"internal,omitempty"`
	Level    SourceLevel `json:"level"`
	// Status is the verification status of the rule's text.
	Status  Verification `json:"status"`
	Enabled bool         `json:"enabled"`
	// Basis is the legal basis: instrument and article.
	Basis string `json:"basis"`
	// Ref is the row of the legal reference the rule encodes, e.g. "E8".
	Ref string `json:"ref,omitempty"`
	// From is the first day the version is in force; zero means always.
	From deadline.Date `json:"from,omitzero"`
	// Until is the first day the version is no longer in force; zero means
	// still in force.
	Until deadline.Date `json:"until,omitzero"`
	Note  string        `json:"note,omitempty"`
}

// VersionName returns the rule's version: Version, else From, else "base".
func (r Rule) VersionName() string {
	switch {
	case r.Version != "":
		return r.Version
	case !r.From.IsZero():
		return r.From.String()
	}
	return "base"
}

// InForce reports whether the version is in force on day d.
func (r Rule) InForce(d deadline.Date) bool {
	return (r.From.IsZero() || !d.Before(r.From)) && (r.Until.IsZero() || d.Before(r.Until))
}

func (r Rule) clone() Rule {
	r.Trigger.Measures = slices.Clone(r.Trigger.Measures)
	r.Trigger.Property = slices.Clone(r.Trigger.Property)
	r.Trigger.Rules = slices.Clone(r.Trigger.Rules)
	r.Trigger.ClosureModes = slices.Clone(r.Trigger.ClosureModes)
	r.Trigger.Requires = slices.Clone(r.Trigger.Requires)
	r.Trigger.Unless = slices.Clone(r.Trigger.Unless)
	r.CompletedBy = slices.Clone(r.CompletedBy)
	r.Deduct = slices.Clone(r.Deduct)
	r.Warnings = slices.Clone(r.Warnings)
	return r
}

// RuleOptions are a court's choices on top of the rule data, where courts
// differ (reference §14). The zero value keeps the data as it is.
type RuleOptions struct {
	// Enable switches rules on: "key" (every version) or "key@version".
	// A court enables an unverified rule once it has checked the text.
	Enable []string `json:"enable,omitempty"`
	// Disable switches rules off, in the same form; it wins over Enable.
	Disable []string `json:"disable,omitempty"`
	// NoInternalExtension switches the last-day rest-day shift off for
	// management targets (Internal rules), for courts that read the
	// handling limits literally (reference A2). Default: shift.
	NoInternalExtension bool `json:"no_internal_extension,omitempty"`
	// Workdays lists rule keys whose day periods the court counts in
	// working days (reference A1: some local courts do).
	Workdays []string `json:"workdays,omitempty"`
	// Deduct replaces a rule's deduction kinds, by rule key (reference A5),
	// e.g. {"case.limit": ["suspension", "deferral"]}.
	Deduct map[string][]string `json:"deduct,omitempty"`
}

func (o RuleOptions) clone() RuleOptions {
	o.Enable = slices.Clone(o.Enable)
	o.Disable = slices.Clone(o.Disable)
	o.Workdays = slices.Clone(o.Workdays)
	if o.Deduct != nil {
		m := make(map[string][]string, len(o.Deduct))
		for k, v := range o.Deduct {
			m[k] = slices.Clone(v)
		}
		o.Deduct = m
	}
	return o
}

func optionMatches(list []string, r Rule) bool {
	for _, s := range list {
		if s == r.Key || s == r.Key+"@"+r.VersionName() {
			return true
		}
	}
	return false
}

// RuleSet is a set of time-limit rules with a court's options. It implements
// [Scheduler] and [Recomputer]. Build one with [LoadRules] or
// [DefaultRules], or fill the fields and call [RuleSet.Validate]; the
// scheduling methods assume a valid set and do not change it, so a RuleSet
// is safe for concurrent use once built.
type RuleSet struct {
	// Name identifies the set, e.g. "zhixing-default" or a court's name.
	Name    string      `json:"name"`
	Options RuleOptions `json:"options,omitzero"`
	Rules   []Rule      `json:"rules"`
}

// Clone returns a deep copy of s.
func (s *RuleSet) Clone() *RuleSet {
	if s == nil {
		return nil
	}
	out := &RuleSet{Name: s.Name, Options: s.Options.clone(), Rules: make([]Rule, len(s.Rules))}
	for i, r := range s.Rules {
		out.Rules[i] = r.clone()
	}
	return out
}

// WithOptions returns a copy of s with options o, validated.
func (s *RuleSet) WithOptions(o RuleOptions) (*RuleSet, error) {
	out := s.Clone()
	out.Options = o.clone()
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

// IsEnabled reports whether rule r is on under the set's options.
func (s *RuleSet) IsEnabled(r Rule) bool {
	if optionMatches(s.Options.Disable, r) {
		return false
	}
	return r.Enabled || optionMatches(s.Options.Enable, r)
}

// Version returns the enabled version of rule key in force on day d.
func (s *RuleSet) Version(key string, d deadline.Date) (Rule, bool) {
	for _, r := range s.Rules {
		if r.Key == key && r.InForce(d) && s.IsEnabled(r) {
			return r, true
		}
	}
	return Rule{}, false
}

// Keys returns the distinct rule keys in data order.
func (s *RuleSet) Keys() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range s.Rules {
		if !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, r.Key)
		}
	}
	return out
}

// hasKey reports whether any version of key exists.
func (s *RuleSet) versions(key string) []Rule {
	var out []Rule
	for _, r := range s.Rules {
		if r.Key == key {
			out = append(out, r)
		}
	}
	return out
}

// DueID returns the deterministic ID of the item rule key opens for the
// trigger reference ref.
func DueID(key, ref string) string { return key + "@" + ref }

// maxDerivedDepth bounds chains of derived rules; Validate rejects loops, so
// this only guards sets used without validation.
const maxDerivedDepth = 8

// matches reports whether rule r fires on trigger t for case c.
func (r Rule) matches(c *Case, t Trigger) bool {
	tr := r.Trigger
	if tr.IsDerived() {
		return false
	}
	if tr.IsMeasure() {
		m := t.Measure
		if m == nil || !slices.Contains(tr.Measures, m.Kind) {
			return false
		}
		if tr.Node != "" && tr.Node != t.Node {
			return false
		}
		if len(tr.Property) > 0 && !slices.Contains(tr.Property, m.Property) {
			return false
		}
		if tr.SkipRenewals && m.RenewalOf != "" {
			return false
		}
	} else if t.Measure != nil || tr.Node != t.Node {
		return false
	}
	if len(tr.ClosureModes) > 0 && (c.Closure == nil || !slices.Contains(tr.ClosureModes, c.Closure.Mode)) {
		return false
	}
	for _, k := range tr.Requires {
		if !c.HasNode(k) {
			return false
		}
	}
	for _, k := range tr.Unless {
		if c.HasNode(k) {
			return false
		}
	}
	return true
}

// Schedule implements [Scheduler]: it returns the due items trigger t opens
// on case c (with the items derived from them) and the IDs of the open items
// of c that t completes. The version of each rule is the one in force on
// the trigger date. It does not change c.
func (s *RuleSet) Schedule(c *Case, t Trigger, cal *deadline.Calendar, provisional bool) (opened []DueItem, completed []string, err error) {
	if c == nil || cal == nil {
		return nil, nil, fmt.Errorf("enforcement: schedule: %w", ErrInvalid)
	}
	completed = s.completes(c, t)
	for _, r := range s.Rules {
		if !r.InForce(t.Date) || !s.IsEnabled(r) || !r.matches(c, t) {
			continue
		}
		d, ok, err := s.compute(c, r, t.Date, t.Ref, t.Measure, t.Urgent, cal, provisional)
		if err != nil {
			return nil, nil, fmt.Errorf("enforcement: rule %s: %w", r.Key, err)
		}
		if !ok || slices.ContainsFunc(opened, func(x DueItem) bool { return x.ID == d.ID }) {
			continue
		}
		if r.CompletedByJudge && c.JudgeID != "" {
			d.Status, d.DoneOn = DueDone, t.Date
		}
		opened = append(opened, d)
		opened, err = s.derive(c, d, t.Date, cal, provisional, opened, 0)
		if err != nil {
			return nil, nil, err
		}
	}
	return opened, completed, nil
}

// completes returns the open items of c that trigger t completes.
func (s *RuleSet) completes(c *Case, t Trigger) []string {
	var out []string
	for _, d := range c.DueItems {
		if !d.IsOpen() {
			continue
		}
		vs := s.versions(d.Rule)
		done := false
		for _, r := range vs {
			// A node completes items triggered on or before its date; an
			// item counted back from a later date (an announcement due
			// before a planned auction) is completed whenever its node
			// comes.
			if slices.Contains(r.CompletedBy, t.Node) && (!t.Date.Before(d.Trigger) || d.Computed.Before(d.Trigger)) {
				done = true
			}
			if r.RenewalCompletes && t.Measure != nil && t.Measure.RenewalOf != "" && t.Measure.RenewalOf == d.TriggerRef {
				done = true
			}
		}
		if done {
			out = append(out, d.ID)
		}
	}
	return out
}

// derive appends the items of the rules derived from parent.
func (s *RuleSet) derive(c *Case, parent DueItem, origin deadline.Date, cal *deadline.Calendar, provisional bool, opened []DueItem, depth int) ([]DueItem, error) {
	if depth >= maxDerivedDepth {
		return opened, nil
	}
	for _, r := range s.Rules {
		if !slices.Contains(r.Trigger.Rules, parent.Rule) || !r.InForce(origin) || !s.IsEnabled(r) {
			continue
		}
		d, ok, err := s.computeDerived(c, r, parent, cal, provisional)
		if err != nil {
			return nil, fmt.Errorf("enforcement: rule %s: %w", r.Key, err)
		}
		if !ok || slices.ContainsFunc(opened, func(x DueItem) bool { return x.ID == d.ID }) {
			continue
		}
		opened = append(opened, d)
		if opened, err = s.derive(c, d, origin, cal, provisional, opened, depth+1); err != nil {
			return nil, err
		}
	}
	return opened, nil
}

// Recompute implements [Recomputer]: it computes item d afresh from its
// rule, finding the trigger date again on c by d.TriggerRef (a node or
// measure ID), so that a corrected node date moves the item. A derived item
// is recomputed from its parent's date in force (the judge's override if
// there is one). If the trigger is no longer on the case, the stored trigger
// date is used. If no enabled version of the rule applies any more, or the
// rule set has no rule of that key, d is returned unchanged. Override, status and completion are kept.
func (s *RuleSet) Recompute(c *Case, d DueItem, cal *deadline.Calendar, provisional bool) (DueItem, error) {
	n, ok, err := s.recompute(c, d, cal, provisional, 0)
	if err != nil {
		return DueItem{}, fmt.Errorf("enforcement: recompute %s: %w", d.ID, err)
	}
	if !ok {
		return d.clone(), nil
	}
	n.Override = d.Override
	if d.Override != nil {
		o := *d.Override
		n.Override = &o
	}
	n.Status, n.DoneOn = d.Status, d.DoneOn
	return n, nil
}

func (s *RuleSet) recompute(c *Case, d DueItem, cal *deadline.Calendar, provisional bool, depth int) (DueItem, bool, error) {
	vs := s.versions(d.Rule)
	if len(vs) == 0 {
		// Not made by this rule set (e.g. a fixed schedule added by Close,
		// or an item of a rule a court has since removed): leave it as is.
		return DueItem{}, false, nil
	}
	if vs[0].Trigger.IsDerived() {
		if depth >= maxDerivedDepth {
			return DueItem{}, false, nil
		}
		parent, origin, ok, err := s.parentOf(c, vs[0], d, cal, provisional, depth)
		if err != nil || !ok {
			return DueItem{}, false, err
		}
		r, ok := s.Version(d.Rule, origin)
		if !ok {
			return DueItem{}, false, nil
		}
		return s.computeDerived(c, r, parent, cal, provisional)
	}
	t := s.findTrigger(c, vs[0], d)
	r, ok := s.Version(d.Rule, t.Date)
	if !ok {
		return DueItem{}, false, nil
	}
	return s.compute(c, r, t.Date, t.Ref, t.Measure, t.Urgent, cal, provisional)
}

// parentOf recomputes the parent item of derived item d and returns it with
// the origin date (the trigger date of the chain's root).
func (s *RuleSet) parentOf(c *Case, r Rule, d DueItem, cal *deadline.Calendar, provisional bool, depth int) (DueItem, deadline.Date, bool, error) {
	for _, pk := range r.Trigger.Rules {
		stored, ok := c.Due(DueID(pk, d.TriggerRef))
		if !ok {
			continue
		}
		p, ok, err := s.recompute(c, stored, cal, provisional, depth+1)
		if err != nil || !ok {
			return DueItem{}, deadline.Date{}, false, err
		}
		p.Override = stored.Override
		return p, s.origin(c, p, depth), true, nil
	}
	return DueItem{}, deadline.Date{}, false, nil
}

// origin returns the trigger date of the root of item p's chain.
func (s *RuleSet) origin(c *Case, p DueItem, depth int) deadline.Date {
	for i := 0; i < maxDerivedDepth; i++ {
		vs := s.versions(p.Rule)
		if len(vs) == 0 || !vs[0].Trigger.IsDerived() {
			return p.Trigger
		}
		found := false
		for _, pk := range vs[0].Trigger.Rules {
			if q, ok := c.Due(DueID(pk, p.TriggerRef)); ok {
				p, found = q, true
				break
			}
		}
		if !found {
			return p.Trigger
		}
	}
	return p.Trigger
}

// findTrigger finds the node or measure d was triggered by on c.
func (s *RuleSet) findTrigger(c *Case, r Rule, d DueItem) Trigger {
	if r.Trigger.IsMeasure() {
		if m, ok := c.Measure(d.TriggerRef); ok {
			return Trigger{Node: m.Node, Measure: &m, Date: m.Effective(), Ref: m.ID}
		}
	} else {
		for _, n := range c.Nodes {
			if n.ID == d.TriggerRef {
				return Trigger{Node: n.Kind, Date: n.Date, Ref: n.ID, Urgent: n.Urgent}
			}
		}
	}
	return Trigger{Node: r.Trigger.Node, Date: d.Trigger, Ref: d.TriggerRef}
}

// StepRule is the explanation step that names the rule, its version and
// basis; StepExpiryReported and StepExpiryEstimated say where a measure's
// term end came from (reference A10).
const (
	StepRule            deadline.StepCode = "rule"
	StepExpiryReported  deadline.StepCode = "expiry_reported"
	StepExpiryEstimated deadline.StepCode = "expiry_estimated"
	StepDerived         deadline.StepCode = "derived"
	StepRuleWarning     deadline.StepCode = "warning"
)

// period returns the period that applies to rule r on case c.
func (s *RuleSet) period(c *Case, r Rule, urgent bool) (deadline.Period, Counting) {
	p := r.Period
	if urgent && !r.UrgentPeriod.IsZero() {
		p = r.UrgentPeriod
	}
	if c.NonLitigation && !r.NonLitigationPeriod.IsZero() {
		p = r.NonLitigationPeriod
	}
	mode := r.Counting
	if p.Unit == deadline.Days && slices.Contains(s.Options.Workdays, r.Key) {
		p.Unit = deadline.Workdays
		if mode == CountCalendarDays {
			mode = CountWorkdays
		}
	}
	return p, mode
}

// deductions returns the closed periods of c that rule r does not count.
func (s *RuleSet) deductions(c *Case, r Rule) []deadline.Interval {
	kinds := r.Deduct
	if k, ok := s.Options.Deduct[r.Key]; ok {
		kinds = k
	}
	var out []deadline.Interval
	for _, d := range c.Deductions {
		// A running period is not counted until it ends: the resumption
		// recalculates the items (see Case.RecordNode).
		if d.To.IsZero() || !slices.Contains(kinds, d.Kind) {
			continue
		}
		out = append(out, deadline.Interval{From: d.From, To: d.To, Reason: deductionNames[d.Kind]})
	}
	return out
}

var deductionNames = map[string]string{
	DeductNotice: "公告", DeductAppraisal: "评估、审计", DeductJurisdiction: "管辖争议", DeductSuspension: "中止",
	DeductDeferral: "暂缓", DeductSettlement: "和解", DeductCoordination: "请示、协调", DeductAuction: "拍卖、变卖",
}

// compute computes the item rule r opens for a trigger on day start.
func (s *RuleSet) compute(c *Case, r Rule, start deadline.Date, ref string, m *Measure, urgent bool, cal *deadline.Calendar, provisional bool) (DueItem, bool, error) {
	d := s.newItem(r, start, ref)
	if r.Expiry && m != nil && !m.ExpiresOn.IsZero() {
		d.Computed = m.ExpiresOn
		d.Deadline = m.ExpiresOn.End()
		d.Steps = append(d.Steps, deadline.Step{Code: StepExpiryReported, Date: m.ExpiresOn,
			Text: "协助执行单位回执载明的到期日 " + m.ExpiresOn.String() + "，以回执为准"})
		return s.finish(d, r, cal), true, nil
	}
	p, mode := s.period(c, r, urgent)
	if m != nil && m.RenewalOf != "" && !r.RenewalPeriod.IsZero() {
		p = r.RenewalPeriod
		d.Steps = append(d.Steps, deadline.Step{Code: StepRule, Date: start,
			Text: "续行期限不得超过原期限的二分之一：" + r.RenewalPeriod.String()})
	}
	spec := deadline.Spec{
		Period:      p,
		NoExtension: r.NoExtension || (r.Internal && s.Options.NoInternalExtension),
		Backward:    mode == CountBefore,
		Exceed:      mode == CountExceed,
		// A date beyond the calendar's coverage never fails the schedule:
		// it is estimated on weekends only and the item awaits the
		// calendar (DueItem.AwaitingCalendar).
		AllowProvisional: true,
	}
	if mode != CountBefore && p.Unit != deadline.Hours {
		spec.Deductions = s.deductions(c, r)
	}
	var res deadline.Result
	var err error
	if p.Unit == deadline.Hours {
		// A day-only trigger counts from 00:00 of that day, the earliest
		// instant it can have happened, so the reminder is never late.
		res, err = cal.ComputeAt(start.Start(), spec)
	} else {
		res, err = cal.Compute(start, spec)
	}
	if err != nil {
		return DueItem{}, false, err
	}
	d.Computed, d.Deadline, d.Provisional = res.Due, res.Deadline, res.Provisional
	d.AwaitingCalendar = res.Provisional
	d.Steps = append(d.Steps, res.Steps...)
	d.CalcBasis = append(d.CalcBasis, res.Basis...)
	if r.Expiry && m != nil {
		d.Steps = append(d.Steps, deadline.Step{Code: StepExpiryEstimated, Date: res.Due,
			Text: "协助执行单位未回报到期日，按《中华人民共和国民法典》第二百零二条推算且不因节假日顺延，请与回执核对"})
		d.Title += "（推算）"
	}
	if r.Horizon.N > 0 && c.Closure != nil && !c.Closure.On.IsZero() {
		limit := addPeriod(c.Closure.On, r.Horizon)
		if d.Computed.After(limit) {
			return DueItem{}, false, nil
		}
	}
	return s.finish(d, r, cal), true, nil
}

// computeDerived computes the item derived rule r opens from parent's date
// in force.
func (s *RuleSet) computeDerived(c *Case, r Rule, parent DueItem, cal *deadline.Calendar, provisional bool) (DueItem, bool, error) {
	anchor := parent.Due()
	// Derived items keep the parent's trigger reference, so that the chain
	// is found again on recomputation.
	d, ok, err := s.compute(c, r, anchor, parent.TriggerRef, nil, false, cal, provisional)
	if err != nil || !ok {
		return d, ok, err
	}
	// Drop reminders dated before the chain began. A parent counted back
	// from a later anchor began before its own trigger, so its children
	// keep all their reminders.
	if !parent.Computed.Before(parent.Trigger) {
		d.Warnings = slices.DeleteFunc(d.Warnings, func(w deadline.Date) bool { return !w.After(parent.Trigger) })
	}
	d.Steps = append([]deadline.Step{{Code: StepDerived, Date: anchor,
		Text: "以「" + parent.Title + "」的期限 " + anchor.String() + " 为基准计算"}}, d.Steps...)
	// A date counted from a provisional date is provisional; a judge's
	// override of the parent is definite.
	if !parent.IsDefinite() {
		d.Provisional = true
		d.AwaitingCalendar = d.AwaitingCalendar || parent.AwaitingCalendar
		d.Steps = append(d.Steps, deadline.Step{Code: deadline.StepProvisional, Date: d.Computed,
			Text: "基准期限「" + parent.Title + "」为暂定日期，本期限随之暂定"})
	}
	return d, true, nil
}

func (s *RuleSet) newItem(r Rule, start deadline.Date, ref string) DueItem {
	return DueItem{
		ID:          DueID(r.Key, ref),
		Rule:        r.Key,
		Title:       r.Title,
		RuleVersion: r.VersionName(),
		Owner:       string(r.Owner),
		Severity:    r.Severity,
		Basis:       r.Basis,
		Trigger:     start,
		TriggerRef:  ref,
		Status:      DueOpen,
		Internal:    r.Internal,
		Right:       r.Right,
		RightAction: r.RightAction,
		Steps: []deadline.Step{{Code: StepRule, Date: start,
			Text: "规则 " + r.Key + "（版本 " + r.VersionName() + "）：" + r.Title + "，依据" + r.Basis}},
	}
}

// finish adds the warning dates before the due date: those after the
// trigger date, earliest first.
func (s *RuleSet) finish(d DueItem, r Rule, cal *deadline.Calendar) DueItem {
	for _, w := range r.Warnings {
		wd := subtractPeriod(cal, d.Computed, w)
		// A backward item lies before its anchor: only its due date bounds
		// its warnings (computeDerived drops those before the chain's start).
		lower := d.Trigger
		if !d.Computed.After(d.Trigger) {
			lower = deadline.Date{}
		}
		if wd.IsZero() || (!lower.IsZero() && !wd.After(lower)) || !wd.Before(d.Computed) {
			continue
		}
		if !slices.Contains(d.Warnings, wd) {
			d.Warnings = append(d.Warnings, wd)
		}
	}
	slices.SortFunc(d.Warnings, func(a, b deadline.Date) int { return a.Compare(b) })
	if len(d.Warnings) > 0 {
		parts := make([]string, len(d.Warnings))
		for i, w := range d.Warnings {
			parts[i] = w.String()
		}
		d.Steps = append(d.Steps, deadline.Step{Code: StepRuleWarning, Date: d.Warnings[0],
			Text: "提醒日：" + strings.Join(parts, "、")})
	}
	return d
}

// subtractPeriod returns d minus p: calendar arithmetic for days, months
// and years, the official calendar for working days (zero when not covered).
func subtractPeriod(cal *deadline.Calendar, d deadline.Date, p deadline.Period) deadline.Date {
	switch p.Unit {
	case deadline.Workdays:
		w, err := cal.AddWorkdays(d, -p.N)
		if err != nil {
			return deadline.Date{}
		}
		return w
	case deadline.Hours:
		return d.AddDays(-(p.N + 23) / 24)
	}
	return addPeriod(d, deadline.Period{N: -p.N, Unit: p.Unit})
}

// addPeriod adds a day, month or year period by calendar arithmetic.
func addPeriod(d deadline.Date, p deadline.Period) deadline.Date {
	switch p.Unit {
	case deadline.Months:
		return d.AddMonths(p.N)
	case deadline.Years:
		return d.AddMonths(12 * p.N)
	}
	return d.AddDays(p.N)
}
