package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Outbox conditions. Outbox methods return errors that match them with
// errors.Is.
var (
	// ErrNotFound: no message has the ID asked for.
	ErrNotFound = errors.New("notify: message not found")
	// ErrConflict: the caller's lease was lost (the message was reclaimed
	// after the lease expired, or already completed), an ID is taken by a
	// message with another idempotency key, or a concurrent update won.
	ErrConflict = errors.New("notify: outbox conflict")
	// ErrLeaseLost: the message is no longer sending under the caller's
	// lease (another dispatcher claimed it after the lease expired, or its
	// result is recorded). It matches ErrConflict too.
	ErrLeaseLost = fmt.Errorf("notify: lease lost: %w", ErrConflict)
)

// ResultKind is how a send attempt ended.
type ResultKind string

// Result kinds.
const (
	ResultSent     ResultKind = "sent"     // the gateway accepted the message
	ResultRetry    ResultKind = "retry"    // a retryable failure: queue again for RetryAt
	ResultFailed   ResultKind = "failed"   // a permanent failure, or attempts used up
	ResultReleased ResultKind = "released" // the dispatcher stopped before handing it over
	// ResultCancelled: the send-time check refused the message (see
	// [CheckFunc]); it is cancelled with Note as the reason, never sent.
	ResultCancelled ResultKind = "cancelled"
)

// SendResult is the result of one claimed send, recorded by [Queue.Complete].
type SendResult struct {
	Kind    ResultKind
	At      time.Time
	Receipt Receipt   // ResultSent: the gateway's receipt
	Failure Failure   // ResultRetry, ResultFailed: the provider's reason
	RetryAt time.Time // ResultRetry: when the message is due again
	Note    string    // recorded in the transition
}

// ApplyOutcome records o for the message claimed under lease:
//
//   - ResultSent: sent, with the provider's ID and gateway;
//   - ResultRetry: queued again, due at RetryAt, with the failure kept;
//   - ResultFailed: failed, with the failure kept;
//   - ResultReleased: queued again, due at once, and the attempt is not
//     counted;
//   - ResultCancelled: cancelled, with Note as the reason, and the
//     attempt is not counted.
//
// The lease is cleared. If m is not sending under lease (the lease was lost
// to a later claim, or the result is already recorded), it returns an error
// matching ErrConflict and m is unchanged. A lease that has expired but was
// not reclaimed is still honoured: a late result is better than a resend.
// Outboxes call it inside Complete, then apply any receipts kept for the
// message (see [Outbox]).
func (m *Message) ApplyOutcome(lease string, o SendResult) error {
	if err := m.holds(lease); err != nil {
		return err
	}
	var to State
	switch o.Kind {
	case ResultSent:
		to = StateSent
	case ResultRetry, ResultReleased:
		to = StateQueued
	case ResultFailed:
		to = StateFailed
	case ResultCancelled:
		to = StateCancelled
	default:
		return m.deny("complete with "+string(o.Kind), "")
	}
	switch o.Kind {
	case ResultSent:
		m.ProviderID, m.Gateway, m.SentAt = o.Receipt.ProviderID, o.Receipt.Gateway, o.At
	case ResultRetry:
		m.LastError, m.NextAttemptAt = o.Failure, o.RetryAt
	case ResultFailed:
		m.LastError = o.Failure
	case ResultReleased:
		m.Attempts--
		m.NextAttemptAt = time.Time{}
	case ResultCancelled:
		m.Attempts--
	}
	m.Lease, m.LeaseUntil = "", time.Time{}
	note := o.Note
	if note == "" && !o.Failure.IsZero() {
		note = o.Failure.Code + " " + o.Failure.Reason
	}
	m.move(to, o.At, "dispatcher", note)
	return nil
}

// holds returns an error matching ErrLeaseLost unless m is sending under
// lease.
func (m *Message) holds(lease string) error {
	if m.State != StateSending || m.Lease != lease || lease == "" {
		return fmt.Errorf("notify: message %s: lease %q not held (state %s): %w", m.ID, lease, m.State, ErrLeaseLost)
	}
	return nil
}

// RenewLease extends the lease under which m is sending to until. If m is
// not sending under lease (it was claimed again after the lease expired,
// or its result is recorded), it returns an error matching ErrLeaseLost
// and m is unchanged. Like [Message.ApplyOutcome], it honours a lease that
// has expired but was not reclaimed. Outboxes call it inside Renew.
func (m *Message) RenewLease(lease string, until time.Time) error {
	if err := m.holds(lease); err != nil {
		return err
	}
	m.LeaseUntil = until
	return nil
}

// ReceiptStatus is what a delivery receipt reports.
type ReceiptStatus string

// Receipt statuses.
const (
	ReceiptDelivered ReceiptStatus = "delivered" // the handset received the message
	ReceiptFailed    ReceiptStatus = "failed"    // the carrier could not deliver it
)

// DeliveryReceipt is a gateway's report (状态报告) on a message it
// accepted. Receipts may come twice, out of order, and before the send was
// recorded.
type DeliveryReceipt struct {
	ProviderID string // the provider's message id, as in [Receipt]
	// Key is the idempotency key (the provider's OutId) where the gateway
	// echoes it; it matches a message when ProviderID does not.
	Key    string
	Status ReceiptStatus
	Code   string // the carrier's code, e.g. "DELIVRD", "UNDELIV"
	Reason string
	At     time.Time // when the carrier reported it
}

// Matches reports whether r is about m: same provider ID, or same
// idempotency key.
func (r DeliveryReceipt) Matches(m *Message) bool {
	return (r.ProviderID != "" && r.ProviderID == m.ProviderID) ||
		(r.Key != "" && r.Key == m.IdempotencyKey)
}

// ApplyReceipt records delivery receipt r on m and reports whether m
// changed. It is idempotent and order-independent:
//
//   - a receipt is applied only to a message that was sent (it has a
//     ProviderID); for a message not yet sent it changes nothing, and the
//     Outbox keeps it until the send is recorded;
//   - "delivered" moves a sent message to delivered; it also moves a
//     message failed by an earlier receipt to delivered, because carriers
//     report interim failures before a later successful delivery and a
//     handset that has the message has it;
//   - "failed" moves a sent message to failed with the carrier's reason,
//     and is ignored once the message is delivered;
//   - a repeated receipt, or one that does not match m, changes nothing.
//
// So whatever order the receipts come in, a message ends delivered if any
// receipt said so, else failed if any said so.
func (m *Message) ApplyReceipt(r DeliveryReceipt) (changed bool) {
	if !r.Matches(m) || m.ProviderID == "" {
		return false
	}
	note := string(r.Status)
	if r.Code != "" || r.Reason != "" {
		note += ": " + r.Code + " " + r.Reason
	}
	switch r.Status {
	case ReceiptDelivered:
		if m.State != StateSent && m.State != StateFailed {
			return false
		}
		m.DeliveredAt = r.At
		m.move(StateDelivered, r.At, "gateway", note)
		return true
	case ReceiptFailed:
		if m.State != StateSent {
			return false
		}
		m.LastError = Failure{Code: r.Code, Reason: r.Reason}
		m.move(StateFailed, r.At, "gateway", note)
		return true
	}
	return false
}

// Filter selects messages for [Outbox.List]. Zero fields select all.
type Filter struct {
	Court   string
	CaseID  string
	EventID string
	States  []State // any of these
	Mobile  string  // the recipient's number
	// Limit caps the result; zero means no limit.
	Limit int
}

// Match reports whether m passes f (ignoring Limit). Outboxes that filter
// in memory use it.
func (f Filter) Match(m *Message) bool {
	if f.Court != "" && m.Court != f.Court || f.CaseID != "" && m.CaseID != f.CaseID ||
		f.EventID != "" && m.EventID != f.EventID || f.Mobile != "" && m.Recipient.Mobile != f.Mobile {
		return false
	}
	if len(f.States) == 0 {
		return true
	}
	for _, s := range f.States {
		if m.State == s {
			return true
		}
	}
	return false
}

// Queue is the part of the outbox a [Dispatcher] uses.
//
// Implementations must be safe for concurrent use by several dispatchers,
// in one process or many: a message is claimed by at most one of them at a
// time.
type Queue interface {
	// Claim atomically claims up to limit messages that are due at now
	// ([Message.IsDue]: queued with NotBefore and NextAttemptAt passed, or
	// sending under a lease that has expired) and moves each to sending
	// with [Message.Claim](now, lease), all in one transaction per message
	// or batch. It returns the claimed messages, oldest due first (by
	// NotBefore, NextAttemptAt or LeaseUntil, then CreatedAt, then ID), or
	// an empty slice if none is due. Two concurrent Claims never return the
	// same message. The caller owns the returned slice and messages.
	Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Message, error)

	// Complete records the outcome of the send of message id claimed under
	// lease with [Message.ApplyOutcome]. If o is ResultSent, it then
	// applies, in the same transaction, every delivery receipt kept for
	// the message (by provider ID or idempotency key) with
	// [Message.ApplyReceipt] and forgets them. It returns an error matching
	// ErrNotFound for an unknown id and ErrConflict if lease is no longer
	// held; the message is then unchanged.
	Complete(ctx context.Context, id, lease string, o SendResult) error
}

// LeaseRenewer is the optional capability of a [Queue] to check and extend
// a lease. A [Dispatcher] whose queue has it renews each message's lease
// right before handing it to the gateway, so a batch may take longer than
// one lease and a message reclaimed by another dispatcher meanwhile is
// never sent twice. Without it, the dispatcher sends a claimed message
// only while its lease, as claimed, outlasts the send timeout, and
// releases the rest.
type LeaseRenewer interface {
	// Renew atomically checks that message id is sending under lease and
	// moves its expiry to until (see [Message.RenewLease]). It returns an
	// error matching ErrNotFound for an unknown id and ErrLeaseLost if the
	// lease is no longer held; the message is then unchanged.
	Renew(ctx context.Context, id, lease string, until time.Time) error
}

// Outbox stores messages until they are sent, and their history for ever.
// It is the transactional outbox of the case store: drafting a message
// writes it with the case change that caused it (see the enforcement
// store's update function), so no notice is lost or sent for a change that
// was rolled back.
//
// Implementations must be safe for concurrent use. They never share memory
// with callers: messages are copied on the way in and out ([Message.Clone]).
type Outbox interface {
	Queue

	// Put stores msgs in one transaction. A message whose idempotency key
	// is already stored is dropped and the stored one kept unchanged, so
	// drafting the same event twice queues nothing new. A message that
	// fails [Message.Validate] fails the whole call (error matching
	// ErrInvalidMessage) and nothing is stored; a message whose ID is taken
	// by a message with another key fails it with ErrConflict.
	Put(ctx context.Context, msgs ...Message) error

	// Receipt records delivery receipt r. If a sent message matches it
	// (provider ID, or idempotency key if r has no provider ID), Receipt
	// applies it with [Message.ApplyReceipt] and reports matched. If none
	// does (the receipt came before the send was recorded), Receipt keeps
	// it, reports not matched and no error, and Complete applies it when
	// the send is recorded. Recording the same receipt twice is harmless.
	Receipt(ctx context.Context, r DeliveryReceipt) (matched bool, err error)

	// Get returns message id, or an error matching ErrNotFound.
	Get(ctx context.Context, id string) (Message, error)

	// List returns the messages that pass f, oldest first (CreatedAt, then
	// ID), or an empty slice.
	List(ctx context.Context, f Filter) ([]Message, error)

	// Update loads message id, calls fn with a copy and, if fn returns
	// nil, stores the copy, atomically with respect to Claim, Complete and
	// other Updates. fn changes the message only through its methods
	// (Confirm, Edit, Cancel …) so that every change is recorded; if fn
	// returns an error, Update returns it and nothing changes. An unknown
	// id is ErrNotFound; losing a race with a concurrent change is
	// ErrConflict (or the implementation retries fn).
	Update(ctx context.Context, id string, fn func(*Message) error) error
}
