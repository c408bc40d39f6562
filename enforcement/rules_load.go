package enforcement

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/courtkit/zhixing/deadline"
)

// ErrInvalidRules is matched by every error of [RuleSet.Validate] and
// [LoadRules].
var ErrInvalidRules = errors.New("enforcement: invalid rule set")

// Rule problem codes, stable for tools that list them (examples/rulecheck).
const (
	ProblemSyntax          = "syntax"           // the data is not a rule set
	ProblemRequired        = "required"         // a required field is empty
	ProblemUnknownNode     = "unknown_node"     // a node kind that does not exist
	ProblemUnknownMeasure  = "unknown_measure"  // a measure kind that does not exist
	ProblemUnknownProperty = "unknown_property" // a property kind that does not exist
	ProblemUnknownRule     = "unknown_rule"     // a derived rule's parent, or an option's key, does not exist
	ProblemUnknownValue    = "unknown_value"    // an enum field has an unknown code
	ProblemBadPeriod       = "bad_period"       // a period that is missing, not positive or of the wrong unit
	ProblemBadTrigger      = "bad_trigger"      // a trigger that is empty or mixes kinds
	ProblemNoBasis         = "no_basis"         // a rule without legal basis
	ProblemCycle           = "cycle"            // self-completion, or derived rules that loop
	ProblemOverlap         = "overlap"          // versions of one key in force on the same day
	ProblemDuplicate       = "duplicate"        // the same key and version twice
	ProblemBadWindow       = "bad_window"       // Until not after From
	ProblemBadDeduction    = "bad_deduction"    // an unknown deduction kind or one the counting cannot use
)

// RuleProblem is one problem found in a rule set.
type RuleProblem struct {
	Index   int    // position of the rule in Rules, -1 for the set itself
	Key     string // rule key, if any
	Version string
	Field   string // e.g. "trigger.node", "period"
	Code    string // one of the Problem… codes
	Detail  string // English detail
}

func (p RuleProblem) String() string {
	var b strings.Builder
	if p.Index >= 0 {
		fmt.Fprintf(&b, "rules[%d]", p.Index)
		if p.Key != "" {
			fmt.Fprintf(&b, " %s@%s", p.Key, p.Version)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Field + ": " + p.Code)
	if p.Detail != "" {
		b.WriteString(" (" + p.Detail + ")")
	}
	return b.String()
}

// RuleSetError lists every problem of a rule set. It matches
// ErrInvalidRules and ErrInvalid.
type RuleSetError struct {
	Name     string
	Problems []RuleProblem
}

func (e *RuleSetError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("enforcement: invalid rule set %q: %d problems: %s", e.Name, len(e.Problems), strings.Join(parts, "; "))
}

// Unwrap returns ErrInvalidRules and ErrInvalid.
func (e *RuleSetError) Unwrap() []error { return []error{ErrInvalidRules, ErrInvalid} }

// Has reports whether a problem with code is listed.
func (e *RuleSetError) Has(code string) bool {
	return slices.ContainsFunc(e.Problems, func(p RuleProblem) bool { return p.Code == code })
}

type ruleChecker struct {
	list []RuleProblem
}

func (c *ruleChecker) add(i int, r Rule, field, code, detail string) {
	p := RuleProblem{Index: i, Field: field, Code: code, Detail: detail}
	if i >= 0 {
		p.Key, p.Version = r.Key, r.VersionName()
	}
	c.list = append(c.list, p)
}

var knownDeductions = []string{DeductNotice, DeductAppraisal, DeductJurisdiction, DeductSuspension, DeductDeferral, DeductSettlement, DeductCoordination, DeductAuction}

// Validate reports every problem of s at once, as a *RuleSetError: unknown
// nodes, measures, property kinds and parent rules; missing or ill-formed
// periods; rules without legal basis; a rule completed by its own trigger
// node (unless Recurring) and derived rules that loop; overlapping
// effective dates and duplicates of one key; and options naming unknown
// rules.
func (s *RuleSet) Validate() error {
	var ck ruleChecker
	if s == nil {
		ck.add(-1, Rule{}, "rules", ProblemRequired, "nil rule set")
		return &RuleSetError{Problems: ck.list}
	}
	if blank(s.Name) {
		ck.add(-1, Rule{}, "name", ProblemRequired, "")
	}
	if len(s.Rules) == 0 {
		ck.add(-1, Rule{}, "rules", ProblemRequired, "no rules")
	}
	keys := map[string]bool{}
	for _, r := range s.Rules {
		keys[r.Key] = true
	}
	for i, r := range s.Rules {
		checkRule(&ck, i, r, keys)
	}
	checkVersions(&ck, s.Rules)
	checkCycles(&ck, s.Rules)
	for _, list := range [][]string{s.Options.Enable, s.Options.Disable, s.Options.Workdays} {
		for _, k := range list {
			key, _, _ := strings.Cut(k, "@")
			if !keys[key] {
				ck.add(-1, Rule{}, "options", ProblemUnknownRule, k)
			}
		}
	}
	for _, k := range slices.Sorted(mapKeys(s.Options.Deduct)) {
		if !keys[k] {
			ck.add(-1, Rule{}, "options.deduct", ProblemUnknownRule, k)
		}
		for _, d := range s.Options.Deduct[k] {
			if !slices.Contains(knownDeductions, d) {
				ck.add(-1, Rule{}, "options.deduct."+k, ProblemBadDeduction, d)
			}
		}
	}
	if len(ck.list) == 0 {
		return nil
	}
	return &RuleSetError{Name: s.Name, Problems: ck.list}
}

func mapKeys(m map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func checkRule(ck *ruleChecker, i int, r Rule, keys map[string]bool) {
	if blank(r.Key) {
		ck.add(i, r, "key", ProblemRequired, "")
	} else if strings.ContainsAny(r.Key, "@ \t\n") {
		ck.add(i, r, "key", ProblemUnknownValue, "a key has no '@' or spaces")
	}
	if blank(r.Title) {
		ck.add(i, r, "title", ProblemRequired, "")
	}
	if blank(r.Basis) {
		ck.add(i, r, "basis", ProblemNoBasis, "instrument and article are required")
	}
	if !r.Owner.IsKnown() {
		ck.add(i, r, "owner", ProblemUnknownValue, string(r.Owner))
	}
	if r.Severity != SeverityInfo && r.Severity != SeverityWarning && r.Severity != SeverityCritical {
		ck.add(i, r, "severity", ProblemUnknownValue, string(r.Severity))
	}
	if !r.Level.IsKnown() {
		ck.add(i, r, "level", ProblemUnknownValue, string(r.Level))
	}
	if !r.Status.IsKnown() {
		ck.add(i, r, "status", ProblemUnknownValue, string(r.Status))
	}
	if !r.Counting.IsKnown() {
		ck.add(i, r, "counting", ProblemUnknownValue, string(r.Counting))
	}
	if !r.From.IsZero() && !r.From.IsValid() {
		ck.add(i, r, "from", ProblemBadWindow, "invalid date")
	}
	if !r.Until.IsZero() && (!r.Until.IsValid() || (!r.From.IsZero() && !r.Until.After(r.From))) {
		ck.add(i, r, "until", ProblemBadWindow, "must be a valid date after from")
	}
	checkPeriod(ck, i, r, "period", r.Period, true)
	checkPeriod(ck, i, r, "urgent_period", r.UrgentPeriod, false)
	checkPeriod(ck, i, r, "renewal_period", r.RenewalPeriod, false)
	checkPeriod(ck, i, r, "non_litigation_period", r.NonLitigationPeriod, false)
	if !r.Horizon.IsZero() && (r.Horizon.N <= 0 || r.Horizon.Unit == deadline.Hours || r.Horizon.Unit == deadline.Workdays) {
		ck.add(i, r, "horizon", ProblemBadPeriod, r.Horizon.String())
	}
	for j, w := range r.Warnings {
		if w.N <= 0 || w.Unit < deadline.Hours || w.Unit > deadline.Years {
			ck.add(i, r, "warnings["+itoa(j)+"]", ProblemBadPeriod, "a warning is a positive period before the due date")
		}
	}
	for _, d := range r.Deduct {
		if !slices.Contains(knownDeductions, d) {
			ck.add(i, r, "deduct", ProblemBadDeduction, d)
		}
	}
	if len(r.Deduct) > 0 && (r.Counting == CountBefore || r.Counting == CountHours) {
		ck.add(i, r, "deduct", ProblemBadDeduction, "deductions apply to forward day, month and year periods only")
	}
	for _, k := range r.CompletedBy {
		if !k.IsKnown() {
			ck.add(i, r, "completed_by", ProblemUnknownNode, string(k))
		}
	}
	if r.Right != "" && !r.Right.IsKnown() {
		ck.add(i, r, "right", ProblemUnknownValue, string(r.Right))
	}
	if r.Right != "" && (r.Owner == OwnerHandler || r.Owner == OwnerCourt) {
		ck.add(i, r, "right", ProblemUnknownValue, "a right belongs to a party, not to "+string(r.Owner))
	}
	checkTrigger(ck, i, r, keys)
}

func checkPeriod(ck *ruleChecker, i int, r Rule, field string, p deadline.Period, required bool) {
	if p.IsZero() {
		if required {
			ck.add(i, r, field, ProblemBadPeriod, "required")
		}
		return
	}
	if p.N <= 0 {
		ck.add(i, r, field, ProblemBadPeriod, "must be positive: "+p.String())
		return
	}
	if units, ok := countingUnits[r.Counting]; ok && !slices.Contains(units, p.Unit) {
		ck.add(i, r, field, ProblemBadPeriod, fmt.Sprintf("unit of %s does not fit counting %q", p, r.Counting))
	}
}

func checkTrigger(ck *ruleChecker, i int, r Rule, keys map[string]bool) {
	t := r.Trigger
	switch {
	case t.IsDerived():
		if t.Node != "" || t.IsMeasure() || len(t.Property) > 0 || len(t.ClosureModes) > 0 {
			ck.add(i, r, "trigger", ProblemBadTrigger, "a derived rule names parent rules only")
		}
		for _, k := range t.Rules {
			if !keys[k] {
				ck.add(i, r, "trigger.rules", ProblemUnknownRule, k)
			}
		}
		if r.Expiry {
			ck.add(i, r, "expiry", ProblemBadTrigger, "only a measure rule can be a term end")
		}
	case t.IsMeasure():
		for _, m := range t.Measures {
			if !m.IsKnown() {
				ck.add(i, r, "trigger.measures", ProblemUnknownMeasure, string(m))
			}
		}
	default:
		if t.Node == "" {
			ck.add(i, r, "trigger", ProblemBadTrigger, "name a node, measures or parent rules")
		}
		if len(t.Property) > 0 || t.SkipRenewals {
			ck.add(i, r, "trigger", ProblemBadTrigger, "property and skip_renewals apply to measure triggers")
		}
		if r.Expiry || r.RenewalCompletes {
			ck.add(i, r, "trigger", ProblemBadTrigger, "expiry and renewal_completes need a measure trigger")
		}
	}
	if t.Node != "" && !t.Node.IsKnown() {
		ck.add(i, r, "trigger.node", ProblemUnknownNode, string(t.Node))
	}
	for _, p := range t.Property {
		if !p.IsKnown() {
			ck.add(i, r, "trigger.property", ProblemUnknownProperty, string(p))
		}
	}
	for _, m := range t.ClosureModes {
		if !m.IsKnown() {
			ck.add(i, r, "trigger.closure_modes", ProblemUnknownValue, string(m))
		}
	}
	if len(t.ClosureModes) > 0 && t.Node != NodeClosure {
		ck.add(i, r, "trigger.closure_modes", ProblemBadTrigger, "closure modes need the closure node")
	}
	for _, k := range append(slices.Clone(t.Requires), t.Unless...) {
		if !k.IsKnown() {
			ck.add(i, r, "trigger.requires", ProblemUnknownNode, string(k))
		}
	}
	if t.Node != "" && !t.IsMeasure() && slices.Contains(r.CompletedBy, t.Node) && !r.Recurring {
		ck.add(i, r, "completed_by", ProblemCycle, "completed by its own trigger node "+string(t.Node)+" (set recurring if intended)")
	}
}

// checkVersions reports duplicates and overlapping windows of one key, and
// keys whose versions mix trigger kinds.
func checkVersions(ck *ruleChecker, rules []Rule) {
	for i, a := range rules {
		for j := i + 1; j < len(rules); j++ {
			b := rules[j]
			if a.Key != b.Key || blank(a.Key) {
				continue
			}
			switch {
			case a.VersionName() == b.VersionName():
				ck.add(j, b, "version", ProblemDuplicate, "same key and version as rules["+itoa(i)+"]")
			case overlaps(a, b):
				ck.add(j, b, "from", ProblemOverlap, "in force on the same days as rules["+itoa(i)+"] version "+a.VersionName())
			}
			if a.Trigger.IsDerived() != b.Trigger.IsDerived() || a.Trigger.IsMeasure() != b.Trigger.IsMeasure() {
				ck.add(j, b, "trigger", ProblemBadTrigger, "versions of one key must have the same kind of trigger")
			}
		}
	}
}

func overlaps(a, b Rule) bool {
	// [a.From, a.Until) and [b.From, b.Until) with zero as unbounded.
	aEndsBeforeB := !a.Until.IsZero() && !b.From.IsZero() && !a.Until.After(b.From)
	bEndsBeforeA := !b.Until.IsZero() && !a.From.IsZero() && !b.Until.After(a.From)
	return !aEndsBeforeB && !bEndsBeforeA
}

// checkCycles reports derived rules whose parent chain loops.
func checkCycles(ck *ruleChecker, rules []Rule) {
	parents := map[string][]string{}
	first := map[string]int{}
	for i, r := range rules {
		parents[r.Key] = append(parents[r.Key], r.Trigger.Rules...)
		if _, ok := first[r.Key]; !ok {
			first[r.Key] = i
		}
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	reported := map[string]bool{}
	var visit func(k string, path []string)
	visit = func(k string, path []string) {
		switch state[k] {
		case done:
			return
		case active:
			start := slices.Index(path, k)
			loop := append(slices.Clone(path[start:]), k)
			if !reported[k] {
				reported[k] = true
				i := first[k]
				ck.add(i, rules[i], "trigger.rules", ProblemCycle, "derived rules loop: "+strings.Join(loop, " → "))
			}
			return
		}
		state[k] = active
		for _, p := range parents[k] {
			if _, ok := parents[p]; ok {
				visit(p, append(path, k))
			}
		}
		state[k] = done
	}
	for _, r := range rules {
		visit(r.Key, nil)
	}
}

// LoadRules reads a rule set in the JSON format of rules/default.json and
// validates it. On any problem it returns a nil set and an error listing
// every problem (a *RuleSetError; a syntax error is reported as its one
// problem). Unknown fields are errors, so a misspelt field is not silently
// ignored.
func LoadRules(r io.Reader) (*RuleSet, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s RuleSet
	if err := dec.Decode(&s); err != nil {
		return nil, &RuleSetError{Problems: []RuleProblem{{Index: -1, Field: "json", Code: ProblemSyntax, Detail: err.Error()}}}
	}
	if dec.More() {
		return nil, &RuleSetError{Name: s.Name, Problems: []RuleProblem{{Index: -1, Field: "json", Code: ProblemSyntax, Detail: "data after the rule set"}}}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.normalise()
	return &s, nil
}

// normalise makes empty lists nil, so that a loaded set equals the set its
// own JSON loads to.
func (s *RuleSet) normalise() {
	o := &s.Options
	o.Enable, o.Disable, o.Workdays = nilIfEmpty(o.Enable), nilIfEmpty(o.Disable), nilIfEmpty(o.Workdays)
	if len(o.Deduct) == 0 {
		o.Deduct = nil
	}
	for k, v := range o.Deduct {
		o.Deduct[k] = nilIfEmpty(v)
	}
	for i := range s.Rules {
		r := &s.Rules[i]
		t := &r.Trigger
		t.Measures, t.Property, t.Rules = nilIfEmpty(t.Measures), nilIfEmpty(t.Property), nilIfEmpty(t.Rules)
		t.ClosureModes, t.Requires, t.Unless = nilIfEmpty(t.ClosureModes), nilIfEmpty(t.Requires), nilIfEmpty(t.Unless)
		r.CompletedBy, r.Deduct, r.Warnings = nilIfEmpty(r.CompletedBy), nilIfEmpty(r.Deduct), nilIfEmpty(r.Warnings)
	}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// MarshalRules writes s as indented JSON in the format LoadRules reads.
func MarshalRules(s *RuleSet) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("enforcement: marshal rules: %w", err)
	}
	return buf.Bytes(), nil
}

//go:embed rules/default.json
var defaultRulesFS embed.FS

var defaultRules = sync.OnceValues(func() (*RuleSet, error) {
	b, err := defaultRulesFS.ReadFile("rules/default.json")
	if err != nil {
		return nil, err
	}
	return LoadRules(bytes.NewReader(b))
})

// DefaultRules returns a copy of the embedded default rule set
// (rules/default.json): the node → time-limit table of the legal reference,
// with unverified rules disabled. It panics if the embedded data is corrupt,
// which the package's tests rule out.
func DefaultRules() *RuleSet {
	s, err := defaultRules()
	if err != nil {
		panic("enforcement: embedded rules/default.json: " + err.Error())
	}
	return s.Clone()
}

// DefaultRulesJSON returns the embedded default rule set as JSON, for a
// court to start its own from.
func DefaultRulesJSON() []byte {
	b, err := defaultRulesFS.ReadFile("rules/default.json")
	if err != nil {
		panic("enforcement: embedded rules/default.json: " + err.Error())
	}
	return b
}
