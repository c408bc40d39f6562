package enforcement

import (
	"fmt"
	"slices"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// Withdrawal is a node or a measure recorded by mistake and withdrawn:
// the record is kept as it was, with who withdrew it, when and why, and
// counts for nothing (no time limit, closure check or timeline reads it).
// Exactly one of Node and Measure is set.
type Withdrawal struct {
	Node    *Node    `json:",omitempty"`
	Measure *Measure `json:",omitempty"`
	Reason  string
	Actor   string
	At      time.Time
	// Cancelled are the due items the record had started, cancelled with
	// it; Reopened are those it had completed, open again.
	Cancelled []string `json:",omitempty"`
	Reopened  []string `json:",omitempty"`
	// StatusBefore and StatusAfter are the case's state before and after
	// the withdrawal, set when a node that changed it was withdrawn
	// (中止, 暂缓, 和解 or 恢复执行).
	StatusBefore Status `json:",omitempty"`
	StatusAfter  Status `json:",omitempty"`
	// Period is the period not counted in the handling limit that the
	// withdrawal undid: the one a withdrawn 中止, 暂缓 or 和解 opened
	// (removed), or the one a withdrawn 恢复执行 ended (running again), as
	// it was before.
	Period *Deduction `json:",omitempty"`
}

// ID returns the ID of the withdrawn node or measure.
func (w Withdrawal) ID() string {
	if w.Node != nil {
		return w.Node.ID
	}
	if w.Measure != nil {
		return w.Measure.ID
	}
	return ""
}

func cloneWithdrawals(ws []Withdrawal) []Withdrawal {
	if ws == nil {
		return nil
	}
	out := make([]Withdrawal, len(ws))
	for i, w := range ws {
		if w.Node != nil {
			n := *w.Node
			w.Node = &n
		}
		if w.Measure != nil {
			m := *w.Measure
			w.Measure = &m
		}
		w.Cancelled = slices.Clone(w.Cancelled)
		w.Reopened = slices.Clone(w.Reopened)
		if w.Period != nil {
			p := *w.Period
			w.Period = &p
		}
		out[i] = w
	}
	return out
}

// MinWithdrawReason is the fewest letters or digits a reason for a
// withdrawal has.
const MinWithdrawReason = 4

// Withdraw withdraws node or measure id, recorded by mistake. The record
// moves to c.Withdrawn with actor, now and reason; the due items it
// started are cancelled and those it completed are open again (and the
// closure checks, the seizure expiry reminders and the timelines no longer
// see it). It returns an [EventWithdrawn] event listing the due items
// that changed.
//
// A node that changed the case's state is withdrawn with its change: a
// 中止, 暂缓 or 和解 still running is removed with the period it opened
// and the case is open again; a 恢复执行 that ended such a period makes
// it run again and the case is suspended (or deferred) again. The open
// time limits are then computed again from the periods that remain
// ([EventDueMoved] lists those that moved), and the Withdrawal keeps the
// state before and after and the period undone.
//
// Refused with a [WithdrawError] (which matches [ErrNotAllowed] and is a
// [StateError]): the application and filing nodes, the closure, a 中止,
// 暂缓 or 和解 already ended by a 恢复执行 (withdraw that first), a
// 恢复执行 followed by a later 中止, 暂缓 or 和解, a 恢复执行 that reopened
// a closed case, and a measure renewed by another. A record already
// withdrawn and a closed case are refused with a [StateError]; an unknown
// id with [ErrNotFound]; a reason of fewer than [MinWithdrawReason]
// letters with a [ValidationError]. On error c is unchanged.
func (c *Case) Withdraw(id, reason string, env Env, actor string, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "withdraw", Reason: "case is closed", Closed: true}
	}
	if reasonLength(reason) < MinWithdrawReason {
		pr := problems{what: "withdrawal"}
		pr.add("reason", "reason_too_short", fmt.Sprintf("at least %d letters", MinWithdrawReason))
		return nil, pr.err()
	}
	if env.Rules == nil || env.Calendar == nil {
		return nil, fmt.Errorf("enforcement: withdraw: env needs a calendar and rules: %w", ErrInvalid)
	}
	if slices.ContainsFunc(c.Withdrawn, func(w Withdrawal) bool { return w.ID() == id }) {
		return nil, &StateError{Action: "withdraw", Reason: id + " is already withdrawn"}
	}
	work := c.Clone()
	w := Withdrawal{Reason: reason, Actor: actor, At: now}
	var t Trigger
	if i := slices.IndexFunc(work.Nodes, func(n Node) bool { return n.ID == id }); i >= 0 {
		n := work.Nodes[i]
		switch n.Kind {
		case NodeApplication, NodeFiling:
			return nil, &WithdrawError{ID: id, Kind: n.Kind, Code: WithdrawFiling}
		case NodeClosure:
			return nil, &WithdrawError{ID: id, Kind: n.Kind, Code: WithdrawClosure}
		case NodeSuspension, NodeDeferral, NodeSettlement, NodeResumption:
			if err := work.undoState(n, &w); err != nil {
				return nil, err
			}
		}
		work.Nodes = slices.Delete(work.Nodes, i, i+1)
		w.Node = &n
		t = Trigger{Node: n.Kind, Date: n.Date, Ref: n.ID, Urgent: n.Urgent}
	} else if i := slices.IndexFunc(work.Measures, func(m Measure) bool { return m.ID == id }); i >= 0 {
		m := work.Measures[i]
		if j := slices.IndexFunc(work.Measures, func(x Measure) bool { return x.RenewalOf == id }); j >= 0 {
			return nil, &WithdrawError{ID: id, Code: WithdrawRenewed, By: work.Measures[j].ID}
		}
		work.Measures = slices.Delete(work.Measures, i, i+1)
		w.Measure = &m
		mm := m
		t = Trigger{Node: m.Node, Measure: &mm, Date: m.Effective(), Ref: m.ID}
	} else {
		return nil, fmt.Errorf("enforcement: node or measure %s: %w", id, ErrNotFound)
	}
	// The items the record completed: done on its date, and completed by
	// it when asked again with them open.
	probe := work.Clone()
	var candidates []int
	for j, d := range probe.DueItems {
		if d.Status == DueDone && d.DoneOn == t.Date && d.TriggerRef != id {
			probe.DueItems[j].Status, probe.DueItems[j].DoneOn = DueOpen, deadline.Date{}
			candidates = append(candidates, j)
		}
	}
	var completed []string
	if len(candidates) > 0 {
		var err error
		if _, completed, err = env.Rules.Schedule(probe, t, env.Calendar, env.Settings.AllowProvisional); err != nil {
			return nil, fmt.Errorf("enforcement: withdraw %s: %w", id, err)
		}
	}
	for _, j := range candidates {
		if slices.Contains(completed, work.DueItems[j].ID) {
			work.DueItems[j].Status, work.DueItems[j].DoneOn = DueOpen, deadline.Date{}
			w.Reopened = append(w.Reopened, work.DueItems[j].ID)
		}
	}
	for j, d := range work.DueItems {
		if d.TriggerRef == id && d.Status != DueCancelled {
			work.DueItems[j].Status = DueCancelled
			w.Cancelled = append(w.Cancelled, d.ID)
		}
	}
	work.Withdrawn = append(work.Withdrawn, w)
	changed := append(slices.Clone(w.Cancelled), w.Reopened...)
	events := []Event{newEvent(work, EventWithdrawn, id+"@"+now.UTC().Format(time.RFC3339Nano), now, actor, changed...)}
	if w.Period != nil {
		// The periods not counted changed: the open limits follow.
		moved, err := work.recalculateDeductible(env, now, actor)
		if err != nil {
			return nil, fmt.Errorf("enforcement: withdraw %s: %w", id, err)
		}
		events = append(events, moved...)
	}
	return work.commit(c, events)
}

// undoState undoes the change of state node n made, on c, and notes it
// on w; it refuses with a [WithdrawError] where that cannot be done.
func (c *Case) undoState(n Node, w *Withdrawal) error {
	if n.Kind == NodeResumption {
		// The period it ended: the last one ended the day before.
		i := -1
		for j, d := range c.Deductions {
			if !d.To.IsZero() && d.To == n.Date.AddDays(-1) && isSuspensionKind(d.Kind) {
				i = j
			}
		}
		if i < 0 {
			return &WithdrawError{ID: n.ID, Kind: n.Kind, Code: WithdrawReopenedClosed}
		}
		for _, d := range c.Deductions[i+1:] {
			if isSuspensionKind(d.Kind) {
				return &WithdrawError{ID: n.ID, Kind: n.Kind, Code: WithdrawLaterSuspension, By: d.Ref}
			}
		}
		if c.runningDeduction() >= 0 {
			return &WithdrawError{ID: n.ID, Kind: n.Kind, Code: WithdrawLaterSuspension, By: c.Deductions[c.runningDeduction()].Ref}
		}
		before := c.Deductions[i]
		w.Period = &before
		c.Deductions[i].To = deadline.Date{}
		w.StatusBefore = c.Status
		c.Status = StatusSuspended
		if before.Kind == DeductDeferral {
			c.Status = StatusDeferred
		}
		w.StatusAfter = c.Status
		return nil
	}
	i := slices.IndexFunc(c.Deductions, func(d Deduction) bool { return d.Ref == n.ID })
	if i < 0 {
		// A period recorded without its deduction (data from before
		// deductions were kept): only the node goes.
		return nil
	}
	if !c.Deductions[i].To.IsZero() {
		by := ""
		for _, x := range c.Nodes {
			if x.Kind == NodeResumption && x.Date == c.Deductions[i].To.AddDays(1) {
				by = x.ID
			}
		}
		return &WithdrawError{ID: n.ID, Kind: n.Kind, Code: WithdrawEnded, By: by}
	}
	before := c.Deductions[i]
	w.Period = &before
	c.Deductions = slices.Delete(c.Deductions, i, i+1)
	w.StatusBefore = c.Status
	c.Status = StatusOpen
	w.StatusAfter = c.Status
	return nil
}

func isSuspensionKind(kind string) bool {
	return kind == DeductSuspension || kind == DeductDeferral || kind == DeductSettlement
}

// Codes of a [WithdrawError]: why a record cannot be withdrawn.
const (
	// WithdrawFiling: the application and filing nodes are the case
	// itself; a case filed by mistake is closed (e.g. 驳回申请, 销案).
	WithdrawFiling = "filing"
	// WithdrawClosure: a closure is undone only by 恢复执行.
	WithdrawClosure = "closure"
	// WithdrawEnded: a 中止, 暂缓 or 和解 ended by a 恢复执行 (By); withdraw
	// the resumption first.
	WithdrawEnded = "ended"
	// WithdrawLaterSuspension: a 恢复执行 followed by a later 中止, 暂缓 or
	// 和解 (By); withdraw that first.
	WithdrawLaterSuspension = "later_suspension"
	// WithdrawReopenedClosed: a 恢复执行 that reopened a closed case; the
	// closure record is not kept to restore.
	WithdrawReopenedClosed = "reopened_closed"
	// WithdrawRenewed: a measure renewed by another (By); withdraw the
	// renewal first.
	WithdrawRenewed = "renewed"
)

// WithdrawError says why record ID cannot be withdrawn: Code is one of
// the Withdraw… codes, Kind the node's kind (empty for a measure) and By
// the record that must be withdrawn first, if any. It is a [StateError]
// (errors.As) and matches [ErrNotAllowed].
type WithdrawError struct {
	ID   string
	Kind NodeKind
	Code string
	By   string
}

func (e *WithdrawError) Error() string {
	s := "enforcement: cannot withdraw " + e.ID + ": " + e.Code
	if e.By != "" {
		s += " (" + e.By + ")"
	}
	return s
}

// Unwrap returns the [StateError] the refusal is.
func (e *WithdrawError) Unwrap() error {
	return &StateError{Action: "withdraw", Reason: e.ID + ": " + e.Code}
}
