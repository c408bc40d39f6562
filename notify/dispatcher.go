package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Dispatcher defaults, used when the corresponding field is zero.
const (
	DefaultBatchSize    = 50
	DefaultLease        = 2 * time.Minute
	DefaultPollInterval = 5 * time.Second
	DefaultSendTimeout  = 30 * time.Second
	DefaultBackoffBase  = 30 * time.Second
	DefaultBackoffMax   = 1 * time.Hour
	DefaultMaxAttempts  = 8
	// DefaultRecordTimeout bounds how long the dispatcher keeps trying to
	// record a result after its context is cancelled.
	DefaultRecordTimeout = 5 * time.Second
)

// Backoff is how retryable failures are retried: the n-th retry waits a
// random time between zero and min(Max, Base·2ⁿ⁻¹) ("full jitter"), but at
// least the provider's RetryAfter hint. After MaxAttempts attempts the
// message fails with the last provider reason. Zero fields mean the
// defaults.
type Backoff struct {
	Base        time.Duration
	Max         time.Duration
	MaxAttempts int
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = DefaultBackoffBase
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoffMax
	}
	if b.MaxAttempts <= 0 {
		b.MaxAttempts = DefaultMaxAttempts
	}
	return b
}

// Delay returns the wait before retry after attempt attempts (1 for the
// first retry), given a uniform random int64N. It is the ceiling
// min(Max, Base·2^(attempt-1)) scaled by a random fraction.
func (b Backoff) Delay(attempt int, int64N func(n int64) int64) time.Duration {
	b = b.withDefaults()
	ceil := b.Max
	if attempt < 1 {
		attempt = 1
	}
	if attempt-1 < 62 {
		if c := b.Base << (attempt - 1); c > 0 && c < ceil && c>>(attempt-1) == b.Base {
			ceil = c
		}
	}
	return time.Duration(int64N(int64(ceil) + 1))
}

// DispatchEventKind is what a [DispatchEvent] reports.
type DispatchEventKind string

// Dispatch event kinds.
const (
	DispatchClaimed  DispatchEventKind = "claimed"  // a batch was claimed
	DispatchSent     DispatchEventKind = "sent"     // the gateway accepted a message
	DispatchRetry    DispatchEventKind = "retry"    // a retryable failure, queued again
	DispatchFailed   DispatchEventKind = "failed"   // given up on a message
	DispatchReleased DispatchEventKind = "released" // handed back unsent at shutdown
	DispatchError    DispatchEventKind = "error"    // the outbox failed; Err says how
	// DispatchLeaseLost: another dispatcher claimed the message after this
	// one's lease expired; this one left it unsent.
	DispatchLeaseLost DispatchEventKind = "lease_lost"
	// DispatchCancelled: the send-time check refused the message, which
	// was cancelled unsent.
	DispatchCancelled DispatchEventKind = "cancelled"
)

// DispatchEvent is reported to [Dispatcher.OnEvent], for logs and metrics.
type DispatchEvent struct {
	Kind      DispatchEventKind
	At        time.Time
	MessageID string // empty for batch and outbox events
	Attempt   int
	Count     int // DispatchClaimed: the batch size
	Failure   Failure
	Err       error
}

// Dispatcher hands due messages from an outbox to a gateway: it claims a
// batch (the record says "sending" before the gateway is called), sends
// each message with its idempotency key, and records the outcome.
// Retryable failures are retried with exponential back-off and full
// jitter up to Backoff.MaxAttempts; permanent failures fail at once; both
// keep the provider's reason.
//
// Delivery is at least once, made exactly once at the gateway by the
// idempotency key: if a dispatcher dies between the gateway's acceptance
// and recording it, the lease expires, another dispatcher claims the
// message again and sends it with the same key, which a gateway that
// honours keys (the provider's OutId) drops as a duplicate.
//
// A Dispatcher sends one message at a time; run several (in one process or
// many) over the same outbox for more throughput, since claims never
// overlap. Its zero fields mean the defaults; Outbox and Sender are
// required. A Dispatcher must not be copied or changed once running; Run
// and RunOnce must not be called concurrently on one Dispatcher (Rand is
// not locked).
type Dispatcher struct {
	Outbox Queue
	Sender Sender
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits for d or until ctx is done, returning ctx's error in that
	// case; nil means a timer. Tests pass one that advances a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand draws the back-off jitter; nil means math/rand/v2's top-level
	// source. Tests pass a seeded one.
	Rand    *rand.Rand
	Backoff Backoff
	// BatchSize is the most messages claimed at once.
	BatchSize int
	// Lease is how long a claimed message is reserved for this
	// dispatcher. The lease is renewed right before each send when the
	// outbox is a [LeaseRenewer] (so a batch may take longer than one
	// lease), and a message whose lease was lost is left unsent. It must
	// exceed Check plus SendTimeout plus the time to record the result, or
	// a slow send is claimed (and sent) twice.
	Lease time.Duration
	// PollInterval is the wait after a batch smaller than BatchSize.
	PollInterval time.Duration
	// SendTimeout bounds each Sender.Send.
	SendTimeout time.Duration
	// Check, if set, re-checks each message right before it is sent.
	Check CheckFunc
	// OnEvent, if set, is called synchronously for each event.
	OnEvent func(DispatchEvent)
}

// CheckFunc re-checks message m right before a [Dispatcher] sends it, so
// that a message queued (in quiet hours, for back-off) or held for a while
// is measured against the recipient's current opt-out, number and case
// state rather than those it was drafted with. It returns "" to let the
// message go, or the reason, in Chinese for the court's staff, to cancel
// it: the dispatcher then records it cancelled with the reason and never
// sends it. An error leaves the message unsent and queued for a retry.
// [RecheckCase] is the check against the case.
type CheckFunc func(ctx context.Context, m Message) (cancel string, err error)

// ErrDispatcherConfig is returned by Run and RunOnce when Outbox or Sender
// is missing.
var ErrDispatcherConfig = errors.New("notify: dispatcher needs an outbox and a sender")

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) int64N(n int64) int64 {
	if d.Rand != nil {
		return d.Rand.Int64N(n)
	}
	return rand.Int64N(n)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func (d *Dispatcher) emit(e DispatchEvent) {
	if d.OnEvent != nil {
		d.OnEvent(e)
	}
}

func (d *Dispatcher) sleep(ctx context.Context, dur time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, dur)
	}
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Run dispatches until ctx is done, then returns nil. It claims and sends
// batch after batch, and waits PollInterval after a batch that was not
// full. An outbox error is reported to OnEvent and retried after
// PollInterval: a database restart does not stop the dispatcher.
//
// After ctx is cancelled, Run finishes the send in flight (Sender.Send
// sees the cancellation and returns), records its outcome with a context
// detached from ctx and bounded by DefaultRecordTimeout, releases the
// claimed messages it has not sent, and returns. A message whose outcome
// cannot be recorded stays claimed until its lease expires. Run starts no
// goroutine.
func (d *Dispatcher) Run(ctx context.Context) error {
	if d.Outbox == nil || d.Sender == nil {
		return ErrDispatcherConfig
	}
	batch, poll := orDefault(d.BatchSize, DefaultBatchSize), orDefault(d.PollInterval, DefaultPollInterval)
	for {
		n, err := d.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.emit(DispatchEvent{Kind: DispatchError, At: d.now(), Err: err})
		}
		if err != nil || n < batch {
			if d.sleep(ctx, poll) != nil {
				return nil
			}
		}
	}
}

// RunOnce claims one batch of due messages, sends them and records the
// outcomes. It returns how many messages it claimed. Errors recording
// outcomes do not stop the batch; they are returned together. If ctx is
// cancelled during the batch, RunOnce behaves as Run does and returns
// ctx's error with the count.
func (d *Dispatcher) RunOnce(ctx context.Context) (n int, err error) {
	if d.Outbox == nil || d.Sender == nil {
		return 0, ErrDispatcherConfig
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	lease := orDefault(d.Lease, DefaultLease)
	msgs, err := d.Outbox.Claim(ctx, d.now(), orDefault(d.BatchSize, DefaultBatchSize), lease)
	if err != nil {
		return 0, fmt.Errorf("notify: claim: %w", err)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	d.emit(DispatchEvent{Kind: DispatchClaimed, At: d.now(), Count: len(msgs)})
	var errs []error
	for i := range msgs {
		if ctx.Err() != nil {
			for _, m := range msgs[i:] {
				o := SendResult{Kind: ResultReleased, At: d.now(), Note: "dispatcher stopped before sending"}
				if err := d.record(ctx, &m, o); err != nil {
					errs = append(errs, err)
				}
			}
			return len(msgs), errors.Join(append([]error{ctx.Err()}, errs...)...)
		}
		if err := d.send(ctx, &msgs[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return len(msgs), errors.Join(errs...)
}

// send hands m to the gateway and records the outcome.
func (d *Dispatcher) send(ctx context.Context, m *Message) error {
	b := d.Backoff.withDefaults()
	if m.Attempts > b.MaxAttempts {
		// Claimed again and again after lease expiries: its dispatchers keep
		// dying while sending it. Stop rather than loop for ever.
		f := m.LastError
		if f.IsZero() {
			f = Failure{Code: "attempts_exhausted", Reason: "claimed too often without a recorded result"}
		}
		return d.record(ctx, m, SendResult{Kind: ResultFailed, At: d.now(), Failure: f,
			Note: fmt.Sprintf("gave up after %d attempts", m.Attempts-1)})
	}
	if held, err := d.holdLease(ctx, m); !held {
		return err
	}
	if d.Check != nil {
		reason, err := d.Check(ctx, *m)
		if err != nil {
			now := d.now()
			f := Failure{Code: "check_failed", Reason: err.Error(), Retryable: true}
			return d.record(ctx, m, SendResult{Kind: ResultRetry, At: now, Failure: f, RetryAt: now.Add(b.Delay(m.Attempts, d.int64N))})
		}
		if reason != "" {
			return d.record(ctx, m, SendResult{Kind: ResultCancelled, At: d.now(), Note: reason})
		}
	}
	sctx, cancel := context.WithTimeout(ctx, orDefault(d.SendTimeout, DefaultSendTimeout))
	rc, err := d.Sender.Send(sctx, Outgoing{
		IdempotencyKey: m.IdempotencyKey,
		To:             m.Recipient.Mobile,
		Body:           m.Body,
		Template:       m.Template,
		Params:         m.Params,
		Segments:       m.Segments,
	})
	cancel()
	now := d.now()
	if err == nil {
		return d.record(ctx, m, SendResult{Kind: ResultSent, At: now, Receipt: rc})
	}
	f := FailureOf(err)
	if ctx.Err() != nil {
		// Interrupted by shutdown: the gateway may or may not have it. Queue
		// it again at once; the idempotency key stops a duplicate.
		f.Retryable = true
		return d.record(ctx, m, SendResult{Kind: ResultRetry, At: now, Failure: f, RetryAt: now, Note: "interrupted by shutdown"})
	}
	if !f.Retryable {
		return d.record(ctx, m, SendResult{Kind: ResultFailed, At: now, Failure: f})
	}
	if m.Attempts >= b.MaxAttempts {
		return d.record(ctx, m, SendResult{Kind: ResultFailed, At: now, Failure: f,
			Note: fmt.Sprintf("gave up after %d attempts: %s %s", m.Attempts, f.Code, f.Reason)})
	}
	wait := b.Delay(m.Attempts, d.int64N)
	var se *SendError
	if errors.As(err, &se) && se.RetryAfter > wait {
		wait = se.RetryAfter
	}
	return d.record(ctx, m, SendResult{Kind: ResultRetry, At: now, Failure: f, RetryAt: now.Add(wait)})
}

// holdLease makes sure the dispatcher still holds m's lease for the whole
// send and reports whether it does. With a [LeaseRenewer] it renews the
// lease to now+Lease; without one it releases a message whose claimed
// lease would expire before the send timeout. A lost lease is reported as
// DispatchLeaseLost and is no error.
func (d *Dispatcher) holdLease(ctx context.Context, m *Message) (bool, error) {
	now := d.now()
	r, ok := d.Outbox.(LeaseRenewer)
	if !ok {
		if !now.Add(orDefault(d.SendTimeout, DefaultSendTimeout)).Before(m.LeaseUntil) {
			err := d.record(ctx, m, SendResult{Kind: ResultReleased, At: now, Note: "lease too short for the send"})
			if errors.Is(err, ErrConflict) {
				d.emit(DispatchEvent{Kind: DispatchLeaseLost, At: now, MessageID: m.ID, Attempt: m.Attempts})
				err = nil
			}
			return false, err
		}
		return true, nil
	}
	until := now.Add(orDefault(d.Lease, DefaultLease))
	err := r.Renew(ctx, m.ID, m.Lease, until)
	switch {
	case err == nil:
		m.LeaseUntil = until
		return true, nil
	case errors.Is(err, ErrConflict):
		d.emit(DispatchEvent{Kind: DispatchLeaseLost, At: now, MessageID: m.ID, Attempt: m.Attempts})
		return false, nil
	default:
		err = fmt.Errorf("notify: renew lease of message %s: %w", m.ID, err)
		d.emit(DispatchEvent{Kind: DispatchError, At: now, MessageID: m.ID, Attempt: m.Attempts, Err: err})
		return false, err
	}
}

// record completes m with o, detached from ctx's cancellation so that a
// shutdown does not lose a result the gateway already has.
func (d *Dispatcher) record(ctx context.Context, m *Message, o SendResult) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultRecordTimeout)
	defer cancel()
	err := d.Outbox.Complete(rctx, m.ID, m.Lease, o)
	e := DispatchEvent{At: o.At, MessageID: m.ID, Attempt: m.Attempts, Failure: o.Failure}
	switch o.Kind {
	case ResultSent:
		e.Kind = DispatchSent
	case ResultRetry:
		e.Kind = DispatchRetry
	case ResultFailed:
		e.Kind = DispatchFailed
	case ResultReleased:
		e.Kind = DispatchReleased
	case ResultCancelled:
		e.Kind = DispatchCancelled
	}
	if err != nil {
		err = fmt.Errorf("notify: record %s of message %s: %w", o.Kind, m.ID, err)
		e.Kind, e.Err = DispatchError, err
	}
	d.emit(e)
	return err
}
