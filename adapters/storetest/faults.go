package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

// RunOutboxFaults sends n messages from o through a gateway that throttles,
// times out after accepting, fails permanently and kills the dispatcher
// process, before or after accepting, at seeded random points; a new
// dispatcher process takes over after each death. Sends take simulated
// time, so a batch outlives its first lease, and now and then a rival
// dispatcher claims the messages whose lease expired mid-batch. Receipts
// come early, late, twice and out of order. Parties opt out while their
// notices wait, and the send-time check must cancel those.
//
// It asserts that no message is lost (every one ends sent, delivered,
// failed or cancelled, none waits or is leased), that the gateway accepts
// each idempotency key at most once, that no message is handed to the
// gateway again except after a timeout or a process death (never because
// of a lost lease), that no opted-out number gets a message, and that
// every receipt is applied.
func RunOutboxFaults(t *testing.T, o notify.Outbox, n int) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(0xdead1337, uint64(n)))
	f := &faultRun{t: t, o: o, rng: rng, now: t0, accepted: map[string]int{}, optedOut: map[string]bool{},
		permanent: map[string]bool{}, expect: map[string]notify.State{}}
	msgs := make([]notify.Message, n)
	for i := range msgs {
		// Bursts of 40 every 10 minutes: a batch is claimed whole and
		// outlives its first lease.
		m := NewMessage(i, t0.Add(time.Duration(i/40)*10*time.Minute))
		m.Recipient.Mobile = fmt.Sprintf("139%08d", i)
		m.Recipient.PartyID = fmt.Sprintf("p%d", i)
		msgs[i] = m
		switch {
		case i%53 == 0:
			f.permanent[m.IdempotencyKey] = true
		case i%37 == 0:
			f.optedOut[m.Recipient.Mobile] = true // opted out before dispatch
		}
	}
	for i := 0; i < n; i += 500 {
		require.NoError(t, o.Put(ctx, msgs[i:min(i+500, n)]...))
	}
	f.mobiles = make(map[string]string, n)
	for _, m := range msgs {
		f.mobiles[m.IdempotencyKey] = m.Recipient.Mobile
	}

	lease := 30 * time.Second
	done := func() bool {
		left, err := o.List(ctx, notify.Filter{States: []notify.State{notify.StateQueued, notify.StateSending}, Limit: 1})
		require.NoError(t, err)
		return len(left) == 0
	}
	for f.generations = 0; !done(); f.generations++ {
		require.Less(t, f.generations, 5000, "dispatchers keep dying without progress")
		pctx, cancel := context.WithCancel(ctx)
		proc := &deadQueue{Outbox: o}
		f.kill = func() { proc.dead.Store(true); cancel() }
		d := f.dispatcher(proc, lease, 20, uint64(f.generations))
		d.Sleep = func(ctx context.Context, dur time.Duration) error {
			f.advance(dur)
			if done() {
				cancel()
			}
			return ctx.Err()
		}
		require.NoError(t, d.Run(pctx))
		if proc.dead.Load() {
			f.crashes++
			f.advance(lease) // the dead process's leases expire
		}
		cancel()
	}
	// Late receipts: duplicated, out of order.
	rng.Shuffle(len(f.later), func(i, j int) { f.later[i], f.later[j] = f.later[j], f.later[i] })
	for _, r := range f.later {
		matched, err := o.Receipt(ctx, r)
		require.NoError(t, err)
		require.True(t, matched, "every send was recorded by now")
	}

	if len(f.errs) > 0 {
		t.Fatalf("%d violations, the first: %v", len(f.errs), f.errs[:min(5, len(f.errs))])
	}
	require.Greater(t, f.crashes, 5, "the test kills dispatchers")
	require.Positive(t, f.rivals, "rival dispatchers reclaim expired leases mid-batch")
	require.LessOrEqual(t, f.dupes, f.timeouts+f.crashes, "a key is sent again only after a timeout or a death")
	all, err := o.List(ctx, notify.Filter{})
	require.NoError(t, err)
	require.Len(t, all, n, "no message lost")
	counts := map[notify.State]int{}
	for _, m := range all {
		counts[m.State]++
		key := m.IdempotencyKey
		if f.optedOut[m.Recipient.Mobile] && m.State == notify.StateCancelled {
			continue // opt-out honoured (the gateway may have a copy from a timed-out send before it)
		}
		switch {
		case f.permanent[key]:
			require.Equal(t, notify.StateFailed, m.State, key)
			require.Zero(t, f.accepted[key], key)
		case f.optedOut[m.Recipient.Mobile] && f.accepted[key] == 0:
			require.Equal(t, notify.StateCancelled, m.State, "opt-out honoured: %s", key)
		default:
			require.Equal(t, 1, f.accepted[key], "%s accepted once", key)
			require.Equal(t, f.expect[key], m.State, key)
			require.Empty(t, m.Lease, key)
		}
	}
	require.Positive(t, counts[notify.StateCancelled])
	t.Logf("%d messages: %d generations, %d crashes, %d rival takeovers, %d sends, %d resends after timeouts or deaths, %d opt-outs; final states %v",
		n, f.generations, f.crashes, f.rivals, f.calls, f.dupes, len(f.optedOut), counts)
}

// deadQueue is one dispatcher process's view of the outbox: once the
// process dies every call fails, so nothing it had claimed is recorded.
type deadQueue struct {
	notify.Outbox
	dead atomic.Bool
}

var errDead = errors.New("dispatcher process died")

func (q *deadQueue) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	if q.dead.Load() {
		return nil, errDead
	}
	return q.Outbox.Claim(ctx, now, limit, lease)
}

func (q *deadQueue) Complete(ctx context.Context, id, lease string, o notify.SendResult) error {
	if q.dead.Load() {
		return errDead
	}
	return q.Outbox.Complete(ctx, id, lease, o)
}

func (q *deadQueue) Renew(ctx context.Context, id, lease string, until time.Time) error {
	if q.dead.Load() {
		return errDead
	}
	r, ok := q.Outbox.(notify.LeaseRenewer)
	if !ok {
		return fmt.Errorf("outbox cannot renew leases: %w", notify.ErrLeaseLost)
	}
	return r.Renew(ctx, id, lease, until)
}

// faultRun is the state of one RunOutboxFaults run. Dispatchers run one at
// a time (a rival runs inside a send), so only the clock is shared with
// the dispatchers' calls.
type faultRun struct {
	t    *testing.T
	o    notify.Outbox
	rng  *rand.Rand
	mu   sync.Mutex
	now  time.Time
	kill func()

	inRival   bool
	mobiles   map[string]string // idempotency key → number
	accepted  map[string]int
	optedOut  map[string]bool // numbers
	permanent map[string]bool
	expect    map[string]notify.State
	later     []notify.DeliveryReceipt
	errs      []error

	generations, crashes, rivals, calls, dupes, timeouts int
}

func (f *faultRun) clock() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *faultRun) advance(d time.Duration) { f.mu.Lock(); defer f.mu.Unlock(); f.now = f.now.Add(d) }

func (f *faultRun) dispatcher(q notify.Queue, lease time.Duration, batch int, seed uint64) *notify.Dispatcher {
	return &notify.Dispatcher{
		Outbox: q, Sender: senderFunc(f.send), Now: f.clock,
		Rand:    rand.New(rand.NewPCG(seed, 7)),
		Backoff: notify.Backoff{Base: time.Second, Max: 30 * time.Second, MaxAttempts: 40},
		Lease:   lease, SendTimeout: 25 * time.Second, PollInterval: 2 * time.Minute, BatchSize: batch,
		Check: func(_ context.Context, m notify.Message) (string, error) {
			if f.optedOut[m.Recipient.Mobile] {
				return notify.SkipOptOut.Chinese(), nil
			}
			return "", nil
		},
	}
}

func (f *faultRun) send(ctx context.Context, out notify.Outgoing) (notify.Receipt, error) {
	f.calls++
	key := out.IdempotencyKey
	if f.optedOut[out.To] {
		f.errs = append(f.errs, fmt.Errorf("%s sent to opted-out number %s", key, out.To))
	}
	if m, err := f.o.Get(ctx, key); err != nil || m.State != notify.StateSending {
		f.errs = append(f.errs, fmt.Errorf("%s handed to the gateway while not claimed", key))
	}
	f.advance(time.Duration(5+f.rng.IntN(15)) * time.Second) // the send takes time
	if f.permanent[key] {
		return notify.Receipt{}, &notify.SendError{Code: "isv.MOBILE_NUMBER_ILLEGAL", Reason: "号码格式错误"}
	}
	if !f.inRival {
		switch r := f.rng.Float64(); {
		case r < 0.03: // a rival claims what expired mid-batch
			f.rival()
		case r < 0.05: // another party opts out while its notice waits
			f.optedOut[fmt.Sprintf("139%08d", f.rng.IntN(len(f.mobiles)))] = true
		case r < 0.053: // the process dies before the gateway got it
			f.kill()
			return notify.Receipt{}, errDead
		case r < 0.056: // the process dies after the gateway accepted it
			f.accept(ctx, key)
			f.kill()
			return notify.Receipt{}, errDead
		}
	}
	switch r := f.rng.Float64(); {
	case r < 0.08:
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "isv.BUSINESS_LIMIT_CONTROL", Reason: "业务限流"}
	case r < 0.11: // accepted, but the answer timed out
		f.accept(ctx, key)
		f.timeouts++
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "timeout", Err: context.DeadlineExceeded}
	}
	return f.accept(ctx, key), nil
}

// rival runs a second dispatcher at the current time: it claims the
// messages whose lease expired (the rest of the first dispatcher's batch)
// and sends them.
func (f *faultRun) rival() {
	f.inRival = true
	defer func() { f.inRival = false }()
	d := f.dispatcher(f.o, 30*time.Second, 50, uint64(f.calls))
	n, err := d.RunOnce(context.Background())
	if err != nil {
		f.errs = append(f.errs, fmt.Errorf("rival: %w", err))
	}
	if n > 0 {
		f.rivals++
	}
}

func (f *faultRun) accept(ctx context.Context, key string) notify.Receipt {
	rc := notify.Receipt{ProviderID: "biz-" + key, Gateway: "fault"}
	if f.accepted[key] > 0 {
		f.dupes++
		return rc
	}
	f.accepted[key]++
	f.expect[key] = notify.StateSent
	delivered := notify.DeliveryReceipt{ProviderID: rc.ProviderID, Status: notify.ReceiptDelivered, Code: "DELIVRD", At: f.clock()}
	failed := notify.DeliveryReceipt{ProviderID: rc.ProviderID, Status: notify.ReceiptFailed, Code: "UNDELIV", Reason: "用户关机", At: f.clock()}
	switch r := f.rng.Float64(); {
	case r < 0.2: // delivered, reported before the send is recorded, and again later
		f.expect[key] = notify.StateDelivered
		if matched, err := f.o.Receipt(ctx, delivered); matched || err != nil {
			f.errs = append(f.errs, fmt.Errorf("early receipt %s: matched %v, %v", key, matched, err))
		}
		f.later = append(f.later, delivered)
	case r < 0.6: // delivered, reported twice, with an interim failure
		f.expect[key] = notify.StateDelivered
		f.later = append(f.later, delivered, failed, delivered)
	case r < 0.7: // undeliverable, reported twice
		f.expect[key] = notify.StateFailed
		f.later = append(f.later, failed, failed)
	}
	return rc
}
