package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

// RunOutbox runs the conformance suite of a [notify.Outbox]. open must
// return a new, empty outbox for each call.
func RunOutbox(t *testing.T, open func(t *testing.T) notify.Outbox) {
	t.Run("PutIsIdempotent", func(t *testing.T) { testPut(t, open(t)) })
	t.Run("ClaimDueOnly", func(t *testing.T) { testClaimDue(t, open(t)) })
	t.Run("PutSameIDTwoKeysInOneCall", func(t *testing.T) { testPutSameIDInOneCall(t, open(t)) })
	t.Run("CompleteNeedsLease", func(t *testing.T) { testLease(t, open(t)) })
	t.Run("RenewNeedsLease", func(t *testing.T) { testRenew(t, open(t)) })
	t.Run("LeaseLostMidBatchNeverSentTwice", func(t *testing.T) { testLeaseLostMidBatch(t, open(t)) })
	t.Run("ReceiptsAnyOrder", func(t *testing.T) { testReceipts(t, open(t)) })
	t.Run("UpdateConfirmsHeld", func(t *testing.T) { testUpdateHeld(t, open(t)) })
	t.Run("ConcurrentDispatchersNeverClaimTwice", func(t *testing.T) { testConcurrentDispatch(t, open(t)) })
	t.Run("CrashedDispatcherLosesNothing", func(t *testing.T) { testCrash(t, open(t)) })
}

var t0 = time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)

// NewMessage returns a valid queued message due at notBefore.
func NewMessage(i int, notBefore time.Time) notify.Message {
	key := notify.Key("c1", fmt.Sprintf("e%d", i), "party:a1", notify.KeyFilingApplicant)
	return notify.Message{
		ID: key, IdempotencyKey: key, CaseID: "c1", Court: "沪01", EventID: fmt.Sprintf("e%d", i),
		Recipient: notify.Recipient{PartyID: "a1", Role: notify.RecipientApplicant, Name: "张三", Mobile: "13800138000"},
		Template:  notify.KeyFilingApplicant, Params: map[string]string{"case_no": "（2025）沪01执1号"},
		Body: "【上海一中院】测试", Segments: 1, State: notify.StateQueued, NotBefore: notBefore,
		CreatedAt: t0.Add(time.Duration(i) * time.Millisecond),
		History:   []notify.Transition{{To: notify.StateQueued, At: t0, Actor: "policy"}},
	}
}

func testPut(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	m := NewMessage(1, t0)
	require.NoError(t, o.Put(ctx, m))
	dup := m
	dup.Body = "changed"
	require.NoError(t, o.Put(ctx, dup), "the same key again is dropped")
	got, err := o.Get(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, "【上海一中院】测试", got.Body)
	bad := NewMessage(2, t0)
	bad.Recipient.Mobile = ""
	require.ErrorIs(t, o.Put(ctx, NewMessage(3, t0), bad), notify.ErrInvalidMessage)
	_, err = o.Get(ctx, NewMessage(3, t0).ID)
	require.ErrorIs(t, err, notify.ErrNotFound, "an invalid message fails the whole call")
	list, err := o.List(ctx, notify.Filter{CaseID: "c1"})
	require.NoError(t, err)
	require.Len(t, list, 1)
}

func testPutSameIDInOneCall(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	a, b := NewMessage(1, t0), NewMessage(2, t0)
	b.ID = a.ID // same ID, another idempotency key
	require.ErrorIs(t, o.Put(ctx, a, b), notify.ErrConflict, "as two separate calls would")
	_, err := o.Get(ctx, a.ID)
	require.ErrorIs(t, err, notify.ErrNotFound, "neither message is stored")
	list, err := o.List(ctx, notify.Filter{})
	require.NoError(t, err)
	require.Empty(t, list)
	require.NoError(t, o.Put(ctx, a, a), "the same message twice in one call is one message")
	list, err = o.List(ctx, notify.Filter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
}

func testClaimDue(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	require.NoError(t, o.Put(ctx, NewMessage(1, t0), NewMessage(2, t0.Add(time.Hour)), NewMessage(3, t0.Add(-time.Hour))))
	got, err := o.Claim(ctx, t0, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, NewMessage(3, t0).ID, got[0].ID, "oldest due first")
	require.Equal(t, notify.StateSending, got[0].State)
	again, err := o.Claim(ctx, t0.Add(30*time.Second), 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, again, "claimed messages are leased")
	later, err := o.Claim(ctx, t0.Add(2*time.Hour), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, later, 3, "the later message is due, and expired leases are reclaimed")
}

func testLease(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	require.NoError(t, o.Put(ctx, NewMessage(1, t0)))
	first, err := o.Claim(ctx, t0, 1, time.Minute)
	require.NoError(t, err)
	second, err := o.Claim(ctx, t0.Add(2*time.Minute), 1, time.Minute)
	require.NoError(t, err)
	require.Len(t, second, 1)
	err = o.Complete(ctx, first[0].ID, first[0].Lease, notify.SendResult{Kind: notify.ResultSent, At: t0, Receipt: notify.Receipt{ProviderID: "p1"}})
	require.ErrorIs(t, err, notify.ErrConflict, "a lost lease cannot complete")
	require.NoError(t, o.Complete(ctx, second[0].ID, second[0].Lease, notify.SendResult{Kind: notify.ResultSent, At: t0, Receipt: notify.Receipt{ProviderID: "p1", Gateway: "g"}}))
	got, err := o.Get(ctx, second[0].ID)
	require.NoError(t, err)
	require.Equal(t, notify.StateSent, got.State)
	require.Equal(t, "p1", got.ProviderID)
	err = o.Complete(ctx, "missing", "x", notify.SendResult{Kind: notify.ResultSent, At: t0})
	require.ErrorIs(t, err, notify.ErrNotFound)
}

func testRenew(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	r, ok := o.(notify.LeaseRenewer)
	require.True(t, ok, "the outbox implements notify.LeaseRenewer")
	require.NoError(t, o.Put(ctx, NewMessage(1, t0)))
	first, err := o.Claim(ctx, t0, 1, time.Minute)
	require.NoError(t, err)
	require.Len(t, first, 1)
	id := first[0].ID
	require.NoError(t, r.Renew(ctx, id, first[0].Lease, t0.Add(3*time.Minute)))
	none, err := o.Claim(ctx, t0.Add(2*time.Minute), 1, time.Minute)
	require.NoError(t, err)
	require.Empty(t, none, "a renewed lease is not reclaimed before its new expiry")
	got, err := o.Get(ctx, id)
	require.NoError(t, err)
	require.True(t, got.LeaseUntil.Equal(t0.Add(3*time.Minute)), "lease until %s", got.LeaseUntil)
	second, err := o.Claim(ctx, t0.Add(3*time.Minute), 1, time.Minute)
	require.NoError(t, err)
	require.Len(t, second, 1)
	err = r.Renew(ctx, id, first[0].Lease, t0.Add(5*time.Minute))
	require.ErrorIs(t, err, notify.ErrLeaseLost, "the first claim's lease is lost")
	require.ErrorIs(t, err, notify.ErrConflict)
	got, err = o.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, second[0].Lease, got.Lease, "a failed renewal changes nothing")
	require.True(t, got.LeaseUntil.Equal(second[0].LeaseUntil))
	require.NoError(t, o.Complete(ctx, id, second[0].Lease, notify.SendResult{Kind: notify.ResultSent, At: t0, Receipt: notify.Receipt{ProviderID: "p1"}}))
	require.ErrorIs(t, r.Renew(ctx, id, second[0].Lease, t0.Add(5*time.Minute)), notify.ErrLeaseLost, "a completed message has no lease")
	require.ErrorIs(t, r.Renew(ctx, "missing", "x", t0), notify.ErrNotFound)
}

// senderFunc adapts a function to notify.Sender.
type senderFunc func(ctx context.Context, o notify.Outgoing) (notify.Receipt, error)

func (f senderFunc) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	return f(ctx, o)
}

// testLeaseLostMidBatch runs this schedule: a dispatcher claims 4 messages
// in one batch under a 60 s lease, and each send takes 25 s. At +75 s a
// second dispatcher claims the messages whose lease has expired and sends
// them. The first must leave those alone: the gateway gets each message
// exactly once.
func testLeaseLostMidBatch(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	const n = 4
	var msgs []notify.Message
	for i := range n {
		msgs = append(msgs, NewMessage(i, t0))
	}
	require.NoError(t, o.Put(ctx, msgs...))
	var (
		clock    = t0
		calls    []string // who sent what
		received = map[string]int{}
		lease    = 60 * time.Second
		step     = 25 * time.Second
		takeover = t0.Add(75 * time.Second)
	)
	accept := func(who string, m notify.Outgoing) notify.Receipt {
		received[m.IdempotencyKey]++
		calls = append(calls, fmt.Sprintf("%s %s at +%s", who, m.IdempotencyKey, clock.Sub(t0)))
		return notify.Receipt{ProviderID: "p-" + m.IdempotencyKey, Gateway: "fake"}
	}
	second := &notify.Dispatcher{Outbox: o, Now: func() time.Time { return takeover }, BatchSize: n, Lease: lease, SendTimeout: 30 * time.Second,
		Sender: senderFunc(func(_ context.Context, m notify.Outgoing) (notify.Receipt, error) { return accept("second", m), nil })}
	tookOver := false
	first := &notify.Dispatcher{Outbox: o, Now: func() time.Time { return clock }, BatchSize: n, Lease: lease, SendTimeout: 30 * time.Second,
		Sender: senderFunc(func(_ context.Context, m notify.Outgoing) (notify.Receipt, error) {
			clock = clock.Add(step)
			rc := accept("first", m)
			if !tookOver && !clock.Before(takeover) {
				tookOver = true
				_, err := second.RunOnce(ctx)
				require.NoError(t, err)
			}
			return rc, nil
		})}
	claimed, firstErr := first.RunOnce(ctx)
	require.Equal(t, n, claimed)
	if !tookOver {
		clock = takeover
		_, err := second.RunOnce(ctx)
		require.NoError(t, err)
	}
	require.Len(t, received, n, "every message reached the gateway: %v", calls)
	for k, c := range received {
		require.Equal(t, 1, c, "message %s sent %d times: %v", k, c, calls)
	}
	require.NoError(t, firstErr, "the first dispatcher records every message it sent")
	all, err := o.List(ctx, notify.Filter{})
	require.NoError(t, err)
	for _, m := range all {
		require.Equal(t, notify.StateSent, m.State, "message %s", m.ID)
	}
}

func testReceipts(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	m := NewMessage(1, t0)
	require.NoError(t, o.Put(ctx, m))
	early := notify.DeliveryReceipt{Key: m.IdempotencyKey, Status: notify.ReceiptDelivered, Code: "DELIVRD", At: t0.Add(time.Second)}
	matched, err := o.Receipt(ctx, early)
	require.NoError(t, err)
	require.False(t, matched, "a receipt before the send is kept")
	matched, err = o.Receipt(ctx, early)
	require.NoError(t, err)
	require.False(t, matched)
	c, err := o.Claim(ctx, t0, 1, time.Minute)
	require.NoError(t, err)
	require.NoError(t, o.Complete(ctx, c[0].ID, c[0].Lease, notify.SendResult{Kind: notify.ResultSent, At: t0, Receipt: notify.Receipt{ProviderID: "p9"}}))
	got, err := o.Get(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, notify.StateDelivered, got.State, "the kept receipt is applied when the send is recorded")
	failed := notify.DeliveryReceipt{ProviderID: "p9", Status: notify.ReceiptFailed, Code: "UNDELIV", At: t0.Add(2 * time.Second)}
	matched, err = o.Receipt(ctx, failed)
	require.NoError(t, err)
	require.True(t, matched)
	got, err = o.Get(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, notify.StateDelivered, got.State, "a late failure does not undo delivery")
}

func testUpdateHeld(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	m := NewMessage(1, t0)
	m.State = notify.StateHeld
	require.NoError(t, o.Put(ctx, m))
	none, err := o.Claim(ctx, t0, 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, none, "held messages are not sent")
	boom := errors.New("boom")
	require.ErrorIs(t, o.Update(ctx, m.ID, func(m *notify.Message) error { m.Body = "x"; return boom }), boom)
	require.NoError(t, o.Update(ctx, m.ID, func(m *notify.Message) error { return m.Confirm("j1", t0, t0) }))
	got, err := o.Get(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, notify.StateQueued, got.State)
	require.Equal(t, "【上海一中院】测试", got.Body)
	claimed, err := o.Claim(ctx, t0, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	require.ErrorIs(t, o.Update(ctx, "missing", func(*notify.Message) error { return nil }), notify.ErrNotFound)
}

// gateway is a fake SMS gateway that, like a real one given an OutId,
// accepts each idempotency key once and counts every attempt.
type gateway struct {
	mu       sync.Mutex
	accepted map[string]int
	attempts atomic.Int64
	// failAfter, when positive, makes the gateway "crash" the caller after
	// that many attempts by returning errCrash.
	crashAt int64
}

var errCrash = errors.New("dispatcher killed")

func (g *gateway) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	n := g.attempts.Add(1)
	g.mu.Lock()
	g.accepted[o.IdempotencyKey]++
	g.mu.Unlock()
	if g.crashAt > 0 && n == g.crashAt {
		return notify.Receipt{}, errCrash
	}
	return notify.Receipt{ProviderID: "p-" + o.IdempotencyKey, Gateway: "fake"}, nil
}

func (g *gateway) distinct() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.accepted))
	for k, v := range g.accepted {
		out[k] = v
	}
	return out
}

func testConcurrentDispatch(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	const n = 200
	var msgs []notify.Message
	for i := range n {
		msgs = append(msgs, NewMessage(i, t0))
	}
	require.NoError(t, o.Put(ctx, msgs...))
	g := &gateway{accepted: map[string]int{}}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := &notify.Dispatcher{Outbox: o, Sender: g, Now: func() time.Time { return t0 }, BatchSize: 7, Lease: time.Hour}
			for {
				k, err := d.RunOnce(ctx)
				if err != nil && !errors.Is(err, notify.ErrConflict) {
					t.Errorf("dispatch: %v", err)
					return
				}
				if k == 0 && err == nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	sent := g.distinct()
	require.Len(t, sent, n, "every message reached the gateway")
	for k, c := range sent {
		require.Equal(t, 1, c, "message %s was claimed and sent by two dispatchers", k)
	}
	list, err := o.List(ctx, notify.Filter{States: []notify.State{notify.StateSent}})
	require.NoError(t, err)
	require.Len(t, list, n)
}

// crashingQueue stops recording results once killed, as a dispatcher
// process that died mid-batch would.
type crashingQueue struct {
	notify.Queue
	killed atomic.Bool
}

func (q *crashingQueue) Complete(ctx context.Context, id, lease string, o notify.SendResult) error {
	if q.killed.Load() {
		return errCrash
	}
	if errors.Is(errors.New(o.Failure.Reason), errCrash) || o.Failure.Reason == errCrash.Error() {
		q.killed.Store(true)
		return errCrash
	}
	return q.Queue.Complete(ctx, id, lease, o)
}

func testCrash(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	const n = 60
	var msgs []notify.Message
	for i := range n {
		msgs = append(msgs, NewMessage(i, t0))
	}
	require.NoError(t, o.Put(ctx, msgs...))
	g := &gateway{accepted: map[string]int{}, crashAt: 25}
	q := &crashingQueue{Queue: o}
	lease := 5 * time.Minute
	first := &notify.Dispatcher{Outbox: q, Sender: g, Now: func() time.Time { return t0 }, BatchSize: 20, Lease: lease}
	for !q.killed.Load() {
		_, _ = first.RunOnce(ctx)
	}
	// The first dispatcher died holding leases on part of a batch. A new
	// one, after the lease expired, finishes the work.
	g.crashAt = 0
	later := t0.Add(lease + time.Second)
	second := &notify.Dispatcher{Outbox: o, Sender: g, Now: func() time.Time { return later }, BatchSize: 20, Lease: lease}
	for {
		k, err := second.RunOnce(ctx)
		require.NoError(t, err)
		if k == 0 {
			break
		}
	}
	all, err := o.List(ctx, notify.Filter{})
	require.NoError(t, err)
	require.Len(t, all, n, "no message lost")
	for _, m := range all {
		require.Equal(t, notify.StateSent, m.State, "message %s", m.ID)
	}
	sent := g.distinct()
	require.Len(t, sent, n, "every message reached the gateway")
	resent := 0
	for _, c := range sent {
		if c > 1 {
			resent++
		}
	}
	// Only messages the dead dispatcher had claimed but not recorded are
	// handed to the gateway again, with the same idempotency key, so the
	// gateway delivers each once.
	require.LessOrEqual(t, resent, 20)
}
