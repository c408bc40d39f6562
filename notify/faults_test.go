package notify_test

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

var errCrashed = errors.New("dispatcher process died")

// crashable is one dispatcher process's view of the outbox: once the
// process "dies" every call fails, as if the process were gone, so nothing
// it had claimed is recorded.
type crashable struct {
	*fakeOutbox
	dead   atomic.Bool
	crash  func() // kills the process: marks it dead and cancels its ctx
	rng    *lockedRand
	pClaim float64 // chance of dying right after a claim
}

func (c *crashable) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	if c.dead.Load() {
		return nil, errCrashed
	}
	msgs, err := c.fakeOutbox.Claim(ctx, now, limit, lease)
	if err == nil && len(msgs) > 0 && c.rng.Float64() < c.pClaim {
		c.crash()
	}
	return msgs, err
}

func (c *crashable) Complete(ctx context.Context, id, lease string, o notify.SendResult) error {
	if c.dead.Load() {
		return errCrashed
	}
	return c.fakeOutbox.Complete(ctx, id, lease, o)
}

func (c *crashable) Renew(ctx context.Context, id, lease string, until time.Time) error {
	if c.dead.Load() {
		return errCrashed
	}
	return c.fakeOutbox.Renew(ctx, id, lease, until)
}

type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func (l *lockedRand) Float64() float64 { l.mu.Lock(); defer l.mu.Unlock(); return l.r.Float64() }

func (l *lockedRand) Shuffle(n int, swap func(i, j int)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.r.Shuffle(n, swap)
}

// faultGateway is an SMS provider that fails, times out after accepting,
// and kills the dispatcher process mid-send, at seeded random points. Like
// a provider with OutId it accepts each idempotency key once and answers a
// repeat with the first receipt.
type faultGateway struct {
	rng       *lockedRand
	outbox    *fakeOutbox // to report receipts to and to check invariants
	permanent map[string]bool
	crash     atomic.Pointer[func()] // the current process's crash

	mu        sync.Mutex
	accepted  map[string]int // key → acceptances (must stay 1)
	calls     int
	dupes     int // sends of an already accepted key
	afterSent []string
	later     []notify.DeliveryReceipt // receipts reported after the run, shuffled
	expect    map[string]notify.State  // final state the receipts imply
	errs      []error
}

func (g *faultGateway) accept(key string) notify.Receipt {
	rc := notify.Receipt{ProviderID: "biz-" + key, Gateway: "fault"}
	if g.accepted[key] > 0 {
		g.dupes++
		return rc
	}
	g.accepted[key]++
	g.expect[key] = notify.StateSent
	delivered := notify.DeliveryReceipt{ProviderID: rc.ProviderID, Status: notify.ReceiptDelivered, Code: "DELIVRD"}
	failed := notify.DeliveryReceipt{ProviderID: rc.ProviderID, Status: notify.ReceiptFailed, Code: "UNDELIV", Reason: "用户关机"}
	switch r := g.rng.Float64(); {
	case r < 0.2: // delivered, reported before the send is recorded
		g.expect[key] = notify.StateDelivered
		if matched, err := g.outbox.Receipt(context.Background(), delivered); matched || err != nil {
			g.errs = append(g.errs, fmt.Errorf("early receipt %s: matched %v, %v", key, matched, err))
		}
		g.later = append(g.later, delivered) // and again
	case r < 0.6: // delivered, reported twice, with an interim failure
		g.expect[key] = notify.StateDelivered
		g.later = append(g.later, delivered, failed, delivered)
	case r < 0.7: // undeliverable
		g.expect[key] = notify.StateFailed
		g.later = append(g.later, failed, failed)
	}
	return rc
}

func (g *faultGateway) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if m, err := g.outbox.Get(ctx, o.IdempotencyKey); err != nil || m.State != notify.StateSending {
		g.afterSent = append(g.afterSent, o.IdempotencyKey)
	}
	if g.permanent[o.IdempotencyKey] {
		return notify.Receipt{}, &notify.SendError{Code: "isv.MOBILE_NUMBER_ILLEGAL", Reason: "号码格式错误"}
	}
	switch r := g.rng.Float64(); {
	case r < 0.10: // throttled
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "isv.BUSINESS_LIMIT_CONTROL", Reason: "业务限流"}
	case r < 0.15: // accepted, but the answer timed out
		g.accept(o.IdempotencyKey)
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "timeout", Err: context.DeadlineExceeded}
	case r < 0.155: // the process dies before the gateway got it
		(*g.crash.Load())()
		return notify.Receipt{}, errCrashed
	case r < 0.16: // the process dies after the gateway accepted it
		g.accept(o.IdempotencyKey)
		(*g.crash.Load())()
		return notify.Receipt{}, errCrashed
	}
	return g.accept(o.IdempotencyKey), nil
}

// TestDispatcher_Faults sends 10,000 messages through a gateway that fails,
// times out and kills the dispatcher at random (seeded) points, restarting
// a new dispatcher after each death. Every message must end sent, delivered
// or failed as its receipts say; permanent failures end failed with the
// provider's reason; the gateway accepts each key once; and no message is
// handed to the gateway after its send was recorded.
func TestDispatcher_Faults(t *testing.T) {
	t.Parallel()
	const n = 10000
	rng := &lockedRand{r: rand.New(rand.NewPCG(0xdead1337, 42))}
	out := newFakeOutbox()
	clock := &fakeClock{t: t0}
	gw := &faultGateway{rng: rng, outbox: out, permanent: map[string]bool{},
		accepted: map[string]int{}, expect: map[string]notify.State{}}
	msgs := make([]notify.Message, n)
	for i := range msgs {
		id := fmt.Sprintf("m%05d", i)
		msgs[i] = queued(id, t0.Add(time.Duration(i%600)*time.Second))
		if i%53 == 0 {
			gw.permanent[id] = true
		}
	}
	require.NoError(t, out.Put(t.Context(), msgs...))

	done := func() bool { out.mu.Lock(); defer out.mu.Unlock(); return len(out.active) == 0 }
	var generations, crashes int
	for ; !done(); generations++ {
		require.Less(t, generations, 2000, "dispatchers keep dying without progress")
		ctx, cancel := context.WithCancel(t.Context())
		proc := &crashable{fakeOutbox: out, rng: rng, pClaim: 0.01}
		crash := func() { proc.dead.Store(true); cancel() }
		proc.crash = crash
		gw.crash.Store(&crash)
		d := &notify.Dispatcher{
			Outbox: proc, Sender: gw, Now: clock.Now,
			Sleep: func(ctx context.Context, dur time.Duration) error {
				clock.Advance(dur)
				if done() {
					cancel()
				}
				return ctx.Err()
			},
			Rand:    rand.New(rand.NewPCG(uint64(generations), 7)),
			Backoff: notify.Backoff{Base: time.Second, Max: 30 * time.Second, MaxAttempts: 20},
			Lease:   30 * time.Second, PollInterval: 5 * time.Second, BatchSize: 50,
		}
		require.NoError(t, d.Run(ctx))
		if proc.dead.Load() {
			crashes++
		}
		cancel()
	}
	// Late receipts: duplicated, out of order.
	rng.Shuffle(len(gw.later), func(i, j int) { gw.later[i], gw.later[j] = gw.later[j], gw.later[i] })
	for _, r := range gw.later {
		matched, err := out.Receipt(t.Context(), r)
		require.NoError(t, err)
		require.True(t, matched, "every send was recorded by now")
	}

	require.Empty(t, gw.errs)
	require.Empty(t, gw.afterSent, "handed to the gateway while not claimed")
	require.Empty(t, out.pending, "early receipts applied when the send was recorded")
	require.Greater(t, crashes, 10, "the test kills dispatchers")
	require.Positive(t, gw.dupes, "the test resends accepted messages")
	counts := map[notify.State]int{}
	for _, m := range msgs {
		got, err := out.Get(t.Context(), m.ID)
		require.NoError(t, err)
		counts[got.State]++
		if gw.permanent[m.ID] {
			require.Equal(t, notify.StateFailed, got.State, m.ID)
			require.Equal(t, "号码格式错误", got.LastError.Reason, m.ID)
			require.Zero(t, gw.accepted[m.ID], m.ID)
			continue
		}
		require.Equal(t, 1, gw.accepted[m.ID], "%s accepted once", m.ID)
		require.Equal(t, gw.expect[m.ID], got.State, m.ID)
		require.Equal(t, "biz-"+m.ID, got.ProviderID, m.ID)
		require.Empty(t, got.Lease, m.ID)
	}
	t.Logf("%d generations, %d crashes, %d sends, %d duplicate sends; final states %v", generations, crashes, gw.calls, gw.dupes, counts)
}

// TestDispatcher_Concurrent runs four dispatchers at once over one outbox:
// claims never overlap, so each message reaches the gateway once.
func TestDispatcher_Concurrent(t *testing.T) {
	t.Parallel()
	const n = 2000
	out := newFakeOutbox()
	msgs := make([]notify.Message, n)
	for i := range msgs {
		msgs[i] = queued(fmt.Sprintf("c%04d", i), t0)
	}
	require.NoError(t, out.Put(t.Context(), msgs...))
	var mu sync.Mutex
	sends := map[string]int{}
	snd := senderFunc(func(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
		mu.Lock()
		defer mu.Unlock()
		sends[o.IdempotencyKey]++
		return notify.Receipt{ProviderID: "biz-" + o.IdempotencyKey}, nil
	})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			d := &notify.Dispatcher{Outbox: out, Sender: snd, Now: func() time.Time { return t0 },
				Rand: rand.New(rand.NewPCG(uint64(i), 1)), BatchSize: 7}
			for {
				k, err := d.RunOnce(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				if k == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	require.Len(t, sends, n)
	for k, c := range sends {
		require.Equal(t, 1, c, k)
	}
}
