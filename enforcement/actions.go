package enforcement

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// File files a new case (立案): it validates c, records the application and
// filing nodes, schedules the first due items and returns the events. c must
// have ID, Number, Court, JudgeID, FiledOn and its parties set; Status and
// the lists are set by File. On error c is unchanged.
//
// When the source document gives its effective date, performance date or
// instalments, File computes the period for applying (CPL art. 250, see
// [ComputeApplicationPeriod]) for the day the application was received,
// with c.LimitationEvents, and keeps it in c.ApplicationPeriod. An
// application that appears out of time is not refused (Interp 2022 art.
// 481: the lapse is the respondent's defence), but it is filed only once
// the judge has acknowledged the warning (c.LateAcknowledgedBy); until then
// File returns a *[LateApplicationError] matching [ErrNeedsAcknowledgement].
func File(c *Case, env Env, now time.Time, actor string) ([]Event, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(c.Nodes) > 0 || len(c.DueItems) > 0 || c.Status != "" {
		return nil, &StateError{Action: "file case", Reason: "case already has nodes or a status"}
	}
	work := c.Clone()
	work.Status = StatusOpen
	work.UpdatedAt = now
	received := c.ReceivedOn
	if received.IsZero() {
		received = c.FiledOn
		work.ReceivedOn = received
	}
	if src := c.Source; env.Calendar != nil && (src.EffectiveOn.IsValid() || !src.PerformanceDue.IsZero() || len(src.Instalments) > 0) {
		p, err := ComputeApplicationPeriod(src, received, c.LimitationEvents, env.Calendar)
		if err != nil {
			return nil, err
		}
		if p.IsLate() && blank(c.LateAcknowledgedBy) {
			return nil, &LateApplicationError{Period: p}
		}
		work.ApplicationPeriod = &p
	}
	var events []Event
	events = append(events, newEvent(work, EventCaseFiled, work.ID, now, actor))
	for _, n := range []Node{
		{ID: "application", Kind: NodeApplication, Date: received, At: now, Actor: actor},
		{ID: "filing", Kind: NodeFiling, Date: work.FiledOn, At: now, Actor: actor},
	} {
		evs, err := work.addNode(n, env, now, actor)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
	}
	*c = *work
	return events, nil
}

// RecordNode records that node n was reached, completes the due items it
// satisfies and schedules the ones it starts. Suspension (中止), deferral
// (暂缓) and settlement (和解) nodes open a period not counted in the handling
// limit; a resumption node closes it and moves the limit. On error c is
// unchanged.
func (c *Case) RecordNode(n Node, env Env, now time.Time) ([]Event, error) {
	if c.IsClosed() && !allowedAfterClosure[n.Kind] {
		return nil, &StateError{Action: "record node", Reason: "case is closed", Closed: true}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	switch n.Kind {
	case NodeFiling, NodeApplication:
		return nil, &StateError{Action: "record node", Reason: "filing is recorded by File"}
	case NodeClosure:
		return nil, &StateError{Action: "record node", Reason: "closure is recorded by Close"}
	}
	if n.PartyID != "" {
		if _, ok := c.Party(n.PartyID); !ok {
			return nil, &ValidationError{What: "node", Fields: []FieldError{{Field: "party_id", Code: "unknown_party", Detail: n.PartyID}}}
		}
	}
	if n.Date.Before(c.FiledOn) && n.Kind != NodeClueSubmitted {
		return nil, &ValidationError{What: "node", Fields: []FieldError{{Field: "date", Code: "before_filing", Detail: n.Date.String()}}}
	}
	work := c.Clone()
	events, err := work.addNode(n, env, now, n.Actor)
	if err != nil {
		return nil, err
	}
	*c = *work
	return events, nil
}

// allowedAfterClosure are the nodes a closed case still records: the
// periodic checks after 终本, resumption, and what the debtor or applicant
// reports afterwards (the duty to report property changes survives 终本,
// PropInv art. 11; new clues lead to resumption).
var allowedAfterClosure = map[NodeKind]bool{
	NodePostClosureCheck: true, NodeResumption: true, NodePropertyChange: true, NodeClueSubmitted: true,
}

func (c *Case) addNode(n Node, env Env, now time.Time, actor string) ([]Event, error) {
	for _, x := range c.Nodes {
		if x.ID == n.ID {
			return nil, &ValidationError{What: "node", Fields: []FieldError{{Field: "id", Code: "duplicate", Detail: n.ID}}}
		}
	}
	if n.At.IsZero() {
		n.At = now
	}
	c.Nodes = append(c.Nodes, n)
	events := []Event{newEvent(c, EventNodeRecorded, n.ID, now, actor)}
	switch n.Kind {
	case NodeSuspension, NodeDeferral, NodeSettlement:
		if open := c.runningDeduction(); open >= 0 {
			return nil, &StateError{Action: "suspend", Reason: "a suspension, deferral or settlement is already running"}
		}
		kind := map[NodeKind]string{NodeSuspension: DeductSuspension, NodeDeferral: DeductDeferral, NodeSettlement: DeductSettlement}[n.Kind]
		c.Deductions = append(c.Deductions, Deduction{Kind: kind, From: n.Date, Ref: n.ID})
		if n.Kind == NodeDeferral {
			c.Status = StatusDeferred
		} else {
			c.Status = StatusSuspended
		}
		events = append(events, newEvent(c, EventCaseSuspended, n.ID, now, actor))
	case NodeResumption:
		i := c.runningDeduction()
		if i < 0 && !c.IsClosed() {
			return nil, &StateError{Action: "resume", Reason: "the case is not suspended"}
		}
		if i >= 0 {
			if n.Date.Before(c.Deductions[i].From) {
				return nil, &ValidationError{What: "node", Fields: []FieldError{{Field: "date", Code: "before_suspension", Detail: n.Date.String()}}}
			}
			// The resumption day itself counts again.
			c.Deductions[i].To = n.Date.AddDays(-1)
		}
		c.Status = StatusOpen
		if c.Closure != nil {
			// Resuming after 终本 reopens the case (执恢 is a new number in
			// practice; here the case is reopened for follow-up).
			c.Closure = nil
		}
		events = append(events, newEvent(c, EventCaseResumed, n.ID, now, actor))
		moved, err := c.recalculateDeductible(env, now, actor)
		if err != nil {
			return nil, err
		}
		events = append(events, moved...)
	}
	evs, err := c.schedule(Trigger{Node: n.Kind, Date: n.Date, Ref: n.ID, Urgent: n.Urgent}, env, now, actor)
	if err != nil {
		return nil, err
	}
	return append(events, evs...), nil
}

func (c *Case) runningDeduction() int {
	for i, d := range c.Deductions {
		if d.To.IsZero() && (d.Kind == DeductSuspension || d.Kind == DeductDeferral || d.Kind == DeductSettlement) {
			return i
		}
	}
	return -1
}

// schedule asks the rule set for the due items t opens and completes, and
// applies them to c.
func (c *Case) schedule(t Trigger, env Env, now time.Time, actor string) ([]Event, error) {
	if env.Rules == nil || env.Calendar == nil {
		return nil, errors.New("enforcement: env needs a calendar and rules")
	}
	opened, completed, err := env.Rules.Schedule(c, t, env.Calendar, env.Settings.AllowProvisional)
	if err != nil {
		return nil, fmt.Errorf("enforcement: schedule %s %s: %w", t.Node, t.Ref, err)
	}
	var events []Event
	var done []string
	for _, id := range completed {
		for i := range c.DueItems {
			if c.DueItems[i].ID == id && c.DueItems[i].IsOpen() {
				c.DueItems[i].Status = DueDone
				c.DueItems[i].DoneOn = t.Date
				done = append(done, id)
			}
		}
	}
	if len(done) > 0 {
		events = append(events, newEvent(c, EventDueCompleted, t.Ref, now, actor, done...))
	}
	var added []string
	for _, d := range opened {
		if _, exists := c.Due(d.ID); exists {
			continue // scheduling the same trigger twice opens nothing new
		}
		if d.Status == "" {
			d.Status = DueOpen
		}
		c.DueItems = append(c.DueItems, d.clone())
		added = append(added, d.ID)
	}
	if len(added) > 0 {
		events = append(events, newEvent(c, EventDueScheduled, t.Ref, now, actor, added...))
	}
	return events, nil
}

// RecordMeasure records enforcement measure m (查封, 冻结, 扣划, 拍卖 …) with
// its result so far, and schedules the due items it starts (e.g. the expiry
// of a freeze and the renewal warning before it). A measure on a closed
// case, or at a node that does not allow it, is an error and c is unchanged.
func (c *Case) RecordMeasure(m Measure, env Env, now time.Time) ([]Event, error) {
	if c.IsClosed() && m.Node != NodePostClosureCheck {
		return nil, &StateError{Action: "record measure", Reason: "case is closed", Closed: true}
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if _, dup := c.Measure(m.ID); dup {
		return nil, &ValidationError{What: "measure", Fields: []FieldError{{Field: "id", Code: "duplicate", Detail: m.ID}}}
	}
	if m.TakenOn.Before(c.FiledOn) {
		return nil, &ValidationError{What: "measure", Fields: []FieldError{{Field: "taken_on", Code: "before_filing", Detail: m.TakenOn.String()}}}
	}
	if m.RenewalOf != "" {
		prev, ok := c.Measure(m.RenewalOf)
		if !ok || !prev.Kind.IsControl() || prev.Kind != m.Kind {
			return nil, &ValidationError{What: "measure", Fields: []FieldError{{Field: "renewal_of", Code: "unknown_measure", Detail: m.RenewalOf}}}
		}
	}
	if m.Outcome == "" {
		m.Outcome = OutcomePending
	}
	if m.At.IsZero() {
		m.At = now
	}
	work := c.Clone()
	work.Measures = append(work.Measures, m)
	if (m.Kind == MeasureDeduct || m.Kind == MeasureAuction || m.Kind == MeasureSale || m.Kind == MeasureInKind) && m.Outcome == OutcomeDone {
		work.AmountRecovered = work.AmountRecovered.Add(m.Amount)
	}
	events := []Event{newEvent(work, EventMeasureRecorded, m.ID, now, m.Actor)}
	mm := m
	evs, err := work.schedule(Trigger{Node: m.Node, Measure: &mm, Date: m.Effective(), Ref: m.ID}, env, now, m.Actor)
	if err != nil {
		return nil, err
	}
	*c = *work
	return append(events, evs...), nil
}

// MeasureUpdate is a partial update of a measure's result.
type MeasureUpdate struct {
	Outcome     *Outcome
	Result      *string
	Amount      *decimal.Decimal
	EffectiveOn *deadline.Date
	ExpiresOn   *deadline.Date
}

// RecordMeasureResult records the result of measure id (e.g. the bank
// reported the freeze, the auction sold). Amounts realised by a completed
// deduction, auction, sale or in-kind transfer are added to the recovered
// amount once. It does not recompute due items: use [Case.UpdateMeasure]
// when the update changes the measure's effective or end date. On error c
// is unchanged.
func (c *Case) RecordMeasureResult(id string, u MeasureUpdate, actor string, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "record measure result", Reason: "case is closed", Closed: true}
	}
	i := slices.IndexFunc(c.Measures, func(m Measure) bool { return m.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: measure %s: %w", id, ErrNotFound)
	}
	work := c.Clone()
	m := work.Measures[i]
	before := m
	if u.Outcome != nil {
		m.Outcome = *u.Outcome
	}
	if u.Result != nil {
		m.Result = *u.Result
	}
	if u.Amount != nil {
		m.Amount = *u.Amount
	}
	if u.EffectiveOn != nil {
		m.EffectiveOn = *u.EffectiveOn
	}
	if u.ExpiresOn != nil {
		m.ExpiresOn = *u.ExpiresOn
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	realising := m.Kind == MeasureDeduct || m.Kind == MeasureAuction || m.Kind == MeasureSale || m.Kind == MeasureInKind
	if realising {
		if before.Outcome == OutcomeDone {
			work.AmountRecovered = work.AmountRecovered.Sub(before.Amount)
		}
		if m.Outcome == OutcomeDone {
			work.AmountRecovered = work.AmountRecovered.Add(m.Amount)
		}
	}
	work.Measures[i] = m
	return work.commit(c, []Event{newEvent(work, EventMeasureResult, id+"@"+now.UTC().Format(time.RFC3339Nano), now, actor)})
}

// UpdateMeasure records the result of measure id like
// [Case.RecordMeasureResult] and then recomputes the open due items the
// measure started (its expiry and the renewal deadline counted from it):
// an end date the bank or registry reported (ExpiresOn) replaces the
// estimate, and a corrected effective date moves the term, with their
// reminders recomputed. The moved items are listed in an [EventDueMoved]
// event. On error c is unchanged.
func (c *Case) UpdateMeasure(id string, u MeasureUpdate, env Env, actor string, now time.Time) ([]Event, error) {
	work := c.Clone()
	events, err := work.RecordMeasureResult(id, u, actor, now)
	if err != nil {
		return nil, err
	}
	r, ok := env.Rules.(Recomputer)
	if !ok || env.Calendar == nil || (u.ExpiresOn == nil && u.EffectiveOn == nil) {
		return work.commit(c, events)
	}
	var ids []string
	for i, d := range work.DueItems {
		if !d.IsOpen() || d.TriggerRef != id {
			continue
		}
		n, err := r.Recompute(work, d, env.Calendar, env.Settings.AllowProvisional)
		if err != nil {
			return nil, fmt.Errorf("enforcement: recompute %s: %w", d.ID, err)
		}
		if n.Computed == d.Computed && n.Provisional == d.Provisional && slices.Equal(n.Warnings, d.Warnings) && n.Title == d.Title {
			continue
		}
		work.DueItems[i] = n
		ids = append(ids, d.ID)
	}
	if len(ids) > 0 {
		events = append(events, newEvent(work, EventDueMoved, "measure/"+id+"@"+now.UTC().Format(time.RFC3339Nano), now, actor, ids...))
	}
	return work.commit(c, events)
}

// RecordDeduction records a closed period not counted in the handling
// limit (Limits2000 art. 9; ExecInterp2008 art. 13) of any kind the rule
// set knows: 公告 (DeductNotice), 评估、审计 (DeductAppraisal), 管辖争议
// (DeductJurisdiction), 请示、协调 (DeductCoordination), 拍卖、变卖
// (DeductAuction), and also 中止, 暂缓 and 和解 when they are recorded after
// the fact rather than by their nodes. From and To are both included. The
// open items that deduct that kind (the case limit) are recomputed and an
// [EventDueMoved] event lists those that moved. On error c is unchanged.
func (c *Case) RecordDeduction(d Deduction, env Env, actor string, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "record deduction", Reason: "case is closed", Closed: true}
	}
	pr := problems{what: "deduction"}
	if !slices.Contains(knownDeductions, d.Kind) {
		pr.add("kind", "unknown_deduction", d.Kind)
	}
	if !d.From.IsValid() {
		pr.add("from", "invalid_date", d.From.String())
	} else if d.From.Before(c.FiledOn) {
		pr.add("from", "before_filing", d.From.String())
	}
	if !d.To.IsValid() {
		pr.add("to", "invalid_date", "a recorded deduction is a closed period")
	} else if d.From.IsValid() && d.To.Before(d.From) {
		pr.add("to", "before_from", d.To.String())
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	work := c.Clone()
	work.Deductions = append(work.Deductions, d)
	ref := "deduction/" + d.Kind + "/" + d.From.String()
	if d.Ref != "" {
		ref = d.Ref
	}
	events := []Event{newEvent(work, EventDeductionRecorded, ref, now, actor)}
	if r, ok := env.Rules.(Recomputer); ok && env.Calendar != nil {
		moves, err := Recalculate(work, r, env.Calendar, env.Settings.AllowProvisional, deductionNames[d.Kind]+"期间不计入办案期限")
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, m := range moves {
			i := slices.IndexFunc(work.DueItems, func(x DueItem) bool { return x.ID == m.DueID })
			u := m.updated.clone()
			u.Override = work.DueItems[i].Override
			u.Status = work.DueItems[i].Status
			work.DueItems[i] = u
			ids = append(ids, m.DueID)
		}
		if len(ids) > 0 {
			events = append(events, newEvent(work, EventDueMoved, ref, now, actor, ids...))
		}
	}
	return work.commit(c, events)
}

func (work *Case) commit(c *Case, events []Event) ([]Event, error) {
	*c = *work
	return events, nil
}

// CompleteDue marks due item id done on day on, for items no node completes
// automatically.
func (c *Case) CompleteDue(id string, on deadline.Date, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.DueItems, func(d DueItem) bool { return d.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: due item %s: %w", id, ErrNotFound)
	}
	if !c.DueItems[i].IsOpen() {
		return nil, &StateError{Action: "complete due item", Reason: "item is no longer open"}
	}
	if !on.IsValid() {
		return nil, &ValidationError{What: "due item", Fields: []FieldError{{Field: "on", Code: "invalid_date"}}}
	}
	work := c.Clone()
	work.DueItems[i].Status = DueDone
	work.DueItems[i].DoneOn = on
	return work.commit(c, []Event{newEvent(work, EventDueCompleted, id, now, by, id)})
}
