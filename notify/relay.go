package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// DefaultRelayBatch is how many events a [Relay] reads at a time when
// Relay.Batch is zero.
const DefaultRelayBatch = 200

// DefaultRelayCursor is the cursor name a [Relay] uses when Relay.Name is
// empty.
const DefaultRelayCursor = "notify.relay"

// Cursor keeps a consumer's place in the event log, durably. A store that
// implements it next to its [enforcement.EventLog] lets a [Relay] resume
// where it stopped after a restart or a crash.
//
// Implementations must be safe for concurrent use.
type Cursor interface {
	// Cursor returns the last sequence number saved under name, or 0 and
	// no error if none was saved.
	Cursor(ctx context.Context, name string) (int64, error)

	// SetCursor saves seq under name if it is greater than the position
	// saved there, and otherwise leaves it: a cursor never moves back, so
	// two relays racing on one name cannot rewind each other.
	SetCursor(ctx context.Context, name string, seq int64) error
}

// CaseGetter reads a case by ID; [enforcement.CaseStore] implements it.
type CaseGetter interface {
	// Get returns the case with the given ID, or an error matching
	// enforcement.ErrNotFound.
	Get(ctx context.Context, id string) (*enforcement.Case, error)
}

// Putter stores drafted messages; [Outbox] implements it. Put must keep one
// message per idempotency key, as [Outbox.Put] does.
type Putter interface {
	Put(ctx context.Context, msgs ...Message) error
}

// Relay drafts the messages for the events in a store's event log and puts
// them in the outbox, for stores that cannot draft inside the transaction
// of the change (as sqlstore's Store.Draft does). It gives the same
// guarantee: no message lost, none queued twice.
//
//   - Nothing lost: the cursor is saved only after the messages of every
//     event before it are in the outbox. A crash between reading the log and
//     writing the outbox leaves the cursor where it was, and the next run
//     drafts the same events again.
//   - Nothing twice: drafting is deterministic, so drafting an event again
//     yields messages with the same idempotency keys, which the outbox keeps
//     once. Several relays may therefore run on one log at once.
//
// The log must hand out events in commit order (see
// [enforcement.EventLog]); a log that lets a lower sequence number commit
// after a higher one was read would make the relay skip it.
//
// A Relay's fields are set before the first call to [Relay.Once] and not
// changed after. Once is safe for concurrent use.
type Relay struct {
	Log     enforcement.EventLog
	Cases   CaseGetter
	Drafter *Drafter
	Outbox  Putter
	Cursor  Cursor

	// Name is the cursor's name; empty means DefaultRelayCursor. Relays
	// over different courts of one log use different names.
	Name string
	// Court, when set, drafts only the events of that court; the others
	// are passed over (and the cursor moves past them).
	Court string
	// Batch is how many events are read at a time; zero means
	// DefaultRelayBatch.
	Batch int
	// OnDraftError, when set, is told about a case whose events could not
	// be drafted (a template that does not render, say). Such a case is
	// passed over so that it does not block the others; nil passes it over
	// silently.
	OnDraftError func(caseID string, err error)
}

// Once relays every event logged after the cursor, batch by batch, routing
// the messages at now (quiet hours), and returns the number of messages put in the outbox (including ones the
// outbox already held and dropped). It stops at the first error of the
// log, the case store, the outbox or the cursor, with the cursor after the
// last batch fully relayed.
func (r *Relay) Once(ctx context.Context, now time.Time) (int, error) {
	if r.Log == nil || r.Cases == nil || r.Drafter == nil || r.Outbox == nil || r.Cursor == nil {
		panic("notify: Relay needs Log, Cases, Drafter, Outbox and Cursor")
	}
	name := r.Name
	if name == "" {
		name = DefaultRelayCursor
	}
	batch := r.Batch
	if batch <= 0 {
		batch = DefaultRelayBatch
	}
	cursor, err := r.Cursor.Cursor(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("notify: relay %s: read cursor: %w", name, err)
	}
	total := 0
	for {
		evs, err := r.Log.EventsAfter(ctx, cursor, batch)
		if err != nil {
			return total, fmt.Errorf("notify: relay %s: read events after %d: %w", name, cursor, err)
		}
		if len(evs) == 0 {
			return total, nil
		}
		n, err := r.relay(ctx, evs, now)
		total += n
		if err != nil {
			return total, fmt.Errorf("notify: relay %s: %w", name, err)
		}
		cursor = evs[len(evs)-1].Seq
		if err := r.Cursor.SetCursor(ctx, name, cursor); err != nil {
			return total, fmt.Errorf("notify: relay %s: save cursor %d: %w", name, cursor, err)
		}
		if len(evs) < batch {
			return total, nil
		}
	}
}

// relay drafts and puts the messages of one batch of events, case by case
// in the order the cases first appear.
func (r *Relay) relay(ctx context.Context, evs []enforcement.Event, now time.Time) (int, error) {
	byCase := map[string][]enforcement.Event{}
	var order []string
	for _, e := range evs {
		if r.Court != "" && e.Court != r.Court {
			continue
		}
		if _, ok := byCase[e.CaseID]; !ok {
			order = append(order, e.CaseID)
		}
		byCase[e.CaseID] = append(byCase[e.CaseID], e)
	}
	total := 0
	for _, id := range order {
		c, err := r.Cases.Get(ctx, id)
		if errors.Is(err, enforcement.ErrNotFound) {
			continue // deleted since: nobody to tell
		}
		if err != nil {
			return total, fmt.Errorf("read case %s: %w", id, err)
		}
		msgs, err := r.Drafter.Draft(c, byCase[id], now)
		if err != nil {
			if r.OnDraftError != nil {
				r.OnDraftError(id, err)
			}
			continue
		}
		if len(msgs) > 0 {
			if err := r.Outbox.Put(ctx, msgs...); err != nil {
				return total, fmt.Errorf("put messages of case %s: %w", id, err)
			}
			total += len(msgs)
		}
		n, err := r.followUp(ctx, c, byCase[id], now)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
