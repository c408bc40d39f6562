package enforcement

import (
	"time"
)

// EventKind is what happened on a case. Its value is a stable text code.
type EventKind string

// Event kinds.
const (
	EventCaseFiled           EventKind = "case_filed"
	EventNodeRecorded        EventKind = "node_recorded"
	EventNodeCorrected       EventKind = "node_corrected" // a node's date was corrected
	EventWithdrawn           EventKind = "withdrawn"      // a node or measure recorded by mistake was withdrawn
	EventMeasureRecorded     EventKind = "measure_recorded"
	EventMeasureResult       EventKind = "measure_result"
	EventDueScheduled        EventKind = "due_scheduled"
	EventDueCompleted        EventKind = "due_completed"
	EventDueMoved            EventKind = "due_moved"
	EventDueOverridden       EventKind = "due_overridden" // an override was requested (pending)
	EventOverrideApproved    EventKind = "override_approved"
	EventOverrideRejected    EventKind = "override_rejected"
	EventOpinionSolicited    EventKind = "opinion_solicited"
	EventOpinionRecorded     EventKind = "opinion_recorded"
	EventRequestReceived     EventKind = "request_received"
	EventRequestAnswered     EventKind = "request_answered"
	EventSupervisionOrdered  EventKind = "supervision_ordered"
	EventSupervisionAnswered EventKind = "supervision_answered"
	EventCaseSuspended       EventKind = "case_suspended"
	EventCaseResumed         EventKind = "case_resumed"
	EventCaseClosed          EventKind = "case_closed"
	EventPartyUpdated        EventKind = "party_updated"
	EventDeductionRecorded   EventKind = "deduction_recorded"
	EventQueryCodeReset      EventKind = "query_code_reset"
)

// Event is something that happened on a case. Domain methods return events
// as values; the caller stores them (in the same transaction as the case)
// and passes them on, e.g. to notify for drafting messages.
//
// An event names what it is about by ID (Ref); consumers read the details
// from the case.
type Event struct {
	// Seq is the position in the store's event log, assigned by the store.
	Seq int64
	// ID is deterministic: case, kind and reference, so that the same change
	// applied twice yields the same event ID and consumers can drop
	// duplicates.
	ID     string
	Kind   EventKind
	CaseID string
	Court  string
	Ref    string // ID of the node, measure, due item, request, order or solicitation
	At     time.Time
	Actor  string
	// Due lists the due items this event opened, completed or moved.
	Due []string
}

func newEvent(c *Case, kind EventKind, ref string, at time.Time, actor string, due ...string) Event {
	return Event{
		ID:     c.ID + "/" + string(kind) + "/" + ref,
		Kind:   kind,
		CaseID: c.ID,
		Court:  c.Court,
		Ref:    ref,
		At:     at,
		Actor:  actor,
		Due:    due,
	}
}
