package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// FollowUp is what the withdrawal of a record recorded by mistake means
// for the messages about it: a correction (更正) to each party who was
// sent one, and the cancellation of those not sent yet.
type FollowUp struct {
	// Corrections are the correction notices ([KeyRecordWithdrawn]), one
	// per party who was sent a message about the record, drafted and
	// routed like any other; their keys derive from the withdrawal event,
	// so drafting them again yields the same messages.
	Corrections []Message
	// Cancel are the IDs of the messages about the record still drafted,
	// held or queued: they are cancelled instead of sent.
	Cancel []string
}

// DraftWithdrawal drafts the follow-up of withdrawal event e
// ([enforcement.EventWithdrawn]) of case c (as it stands after the
// withdrawal), given msgs, the case's messages in the outbox. A message is
// about the withdrawn record when its event's reference is the record (a
// node or measure recorded, a measure's result, a suspension or
// resumption). Messages to court staff are cancelled when unsent but get
// no correction. Another kind of event, or a withdrawal c does not list,
// yields an empty FollowUp.
func (d *Drafter) DraftWithdrawal(c *enforcement.Case, e enforcement.Event, msgs []Message, now time.Time) (FollowUp, error) {
	var out FollowUp
	if e.Kind != enforcement.EventWithdrawn {
		return out, nil
	}
	id := e.Ref
	if i := strings.LastIndex(id, "@"); i >= 0 {
		id = id[:i]
	}
	var w *enforcement.Withdrawal
	for i := range c.Withdrawn {
		if c.Withdrawn[i].ID() == id {
			w = &c.Withdrawn[i]
		}
	}
	if w == nil {
		return out, nil
	}
	what, on := "", deadline.Date{}
	switch {
	case w.Node != nil:
		what, on = w.Node.Kind.Chinese(), w.Node.Date
	case w.Measure != nil:
		what, on = w.Measure.Kind.Chinese()+"措施", w.Measure.TakenOn
	}
	b := &eventDraft{d: d, c: c, e: e, now: now, today: deadline.DateOf(now), common: d.commonVars(c)}
	told := map[string]bool{}
	for _, m := range msgs {
		if m.CaseID != c.ID || !aboutRecord(m.EventID, c.ID, id) {
			continue
		}
		switch m.State {
		case StateDrafted, StateHeld, StateQueued:
			out.Cancel = append(out.Cancel, m.ID)
			continue
		case StateSending, StateSent, StateDelivered:
		default:
			continue // failed, cancelled or skipped: the party was not told
		}
		if !m.Recipient.Role.IsParty() || told[m.Recipient.ID()] {
			continue
		}
		told[m.Recipient.ID()] = true
		r := m.Recipient
		v := make(Vars, len(b.common)+3)
		for k, x := range b.common {
			v[k] = x
		}
		v[VarPartyName] = r.Name
		if p, ok := c.Party(r.PartyID); ok {
			r = PartyRecipient(p)
			v = b.partyVars(p)
		}
		v[VarNode], v[VarDate] = what, b.date(on)
		msg, ok, err := d.message(c, e, r, KeyRecordWithdrawn, v, "", now)
		if err != nil {
			return FollowUp{}, fmt.Errorf("notify: draft correction for %s: %w", id, err)
		}
		if ok {
			out.Corrections = append(out.Corrections, msg)
		}
	}
	return out, nil
}

// aboutRecord reports whether event eventID of case caseID refers to
// record id: its reference is id, or id@… (a measure's result).
func aboutRecord(eventID, caseID, id string) bool {
	rest, ok := strings.CutPrefix(eventID, caseID+"/")
	if !ok {
		return false
	}
	_, ref, ok := strings.Cut(rest, "/")
	return ok && (ref == id || strings.HasPrefix(ref, id+"@"))
}

// Lister lists outbox messages; [Outbox.List] has this contract.
type Lister interface {
	List(ctx context.Context, f Filter) ([]Message, error)
}

// Updater changes an outbox message; [Outbox.Update] has this contract.
type Updater interface {
	Update(ctx context.Context, id string, fn func(*Message) error) error
}

// followUp applies the follow-up of the withdrawal events among evs of
// case c: the corrections are put, the unsent messages about the withdrawn
// records cancelled. It needs an outbox that also lists and updates
// messages; with a plain Putter it does nothing. Running it again after a
// failure sends nothing twice: the corrections keep their keys and only
// messages not yet cancelled are cancelled.
func (r *Relay) followUp(ctx context.Context, c *enforcement.Case, evs []enforcement.Event, now time.Time) (int, error) {
	lister, okL := r.Outbox.(Lister)
	updater, okU := r.Outbox.(Updater)
	if !okL || !okU {
		return 0, nil
	}
	n := 0
	for _, e := range evs {
		if e.Kind != enforcement.EventWithdrawn {
			continue
		}
		msgs, err := lister.List(ctx, Filter{CaseID: c.ID})
		if err != nil {
			return n, fmt.Errorf("list messages of case %s: %w", c.ID, err)
		}
		fu, err := r.Drafter.DraftWithdrawal(c, e, msgs, now)
		if err != nil {
			if r.OnDraftError != nil {
				r.OnDraftError(c.ID, err)
			}
			continue
		}
		if len(fu.Corrections) > 0 {
			if err := r.Outbox.Put(ctx, fu.Corrections...); err != nil {
				return n, fmt.Errorf("put corrections of case %s: %w", c.ID, err)
			}
			n += len(fu.Corrections)
		}
		for _, id := range fu.Cancel {
			err := updater.Update(ctx, id, func(m *Message) error {
				if m.State != StateDrafted && m.State != StateHeld && m.State != StateQueued {
					return errAlreadyMoved
				}
				return m.Cancel("relay", now, "所涉记录已撤回")
			})
			if err != nil && !errors.Is(err, errAlreadyMoved) {
				return n, fmt.Errorf("cancel message %s: %w", id, err)
			}
		}
	}
	return n, nil
}

// errAlreadyMoved stops an Update of a message that left the unsent
// states since it was listed (sent meanwhile, or cancelled by a retry).
var errAlreadyMoved = errors.New("notify: message no longer unsent")
