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
// that changed. The filing and closure nodes, the nodes that suspend or
// resume the case, a measure renewed by another and a record already
// withdrawn are refused with a [StateError]; an unknown id with [ErrNotFound]; a
// reason of fewer than [MinWithdrawReason] letters with a
// [ValidationError]. On error c is unchanged.
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
		case NodeApplication, NodeFiling, NodeClosure, NodeSuspension, NodeDeferral, NodeSettlement, NodeResumption:
			return nil, &StateError{Action: "withdraw", Reason: "node " + string(n.Kind) + " changes the case's state and cannot be withdrawn"}
		}
		work.Nodes = slices.Delete(work.Nodes, i, i+1)
		w.Node = &n
		t = Trigger{Node: n.Kind, Date: n.Date, Ref: n.ID, Urgent: n.Urgent}
	} else if i := slices.IndexFunc(work.Measures, func(m Measure) bool { return m.ID == id }); i >= 0 {
		m := work.Measures[i]
		if slices.ContainsFunc(work.Measures, func(x Measure) bool { return x.RenewalOf == id }) {
			return nil, &StateError{Action: "withdraw", Reason: "measure " + id + " is renewed by another; withdraw the renewal first"}
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
	return work.commit(c, events)
}
