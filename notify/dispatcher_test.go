package notify_test

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

// fakeOutbox is an in-memory notify.Outbox following the port's contract,
// the reference for adapters/memory.
type fakeOutbox struct {
	mu      sync.Mutex
	byID    map[string]*notify.Message
	byKey   map[string]string // idempotency key → ID
	byPID   map[string]string // provider ID → ID
	active  map[string]bool   // IDs of queued and sending messages
	due     dueHeap           // active messages by due time, with stale entries
	pending []notify.DeliveryReceipt
}

type dueEntry struct {
	at      time.Time
	created time.Time
	id      string
}

// dueHeap orders claimable messages by due time, then CreatedAt, then ID.
type dueHeap []dueEntry

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	return cmp.Or(h[i].at.Compare(h[j].at), h[i].created.Compare(h[j].created), strings.Compare(h[i].id, h[j].id)) < 0
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

var (
	_ notify.Outbox       = (*fakeOutbox)(nil)
	_ notify.LeaseRenewer = (*fakeOutbox)(nil)
)

func newFakeOutbox() *fakeOutbox {
	return &fakeOutbox{byID: map[string]*notify.Message{}, byKey: map[string]string{}, byPID: map[string]string{}, active: map[string]bool{}}
}

func (o *fakeOutbox) Put(ctx context.Context, msgs ...notify.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var add []notify.Message
	for _, m := range msgs {
		if err := m.Validate(); err != nil {
			return err
		}
		if _, ok := o.byKey[m.IdempotencyKey]; ok {
			continue
		}
		if x, ok := o.byID[m.ID]; ok && x.IdempotencyKey != m.IdempotencyKey {
			return fmt.Errorf("fake outbox: id %s: %w", m.ID, notify.ErrConflict)
		}
		add = append(add, m.Clone())
	}
	for _, m := range add {
		o.store(m)
	}
	return nil
}

func (o *fakeOutbox) store(m notify.Message) {
	o.byID[m.ID] = &m
	o.byKey[m.IdempotencyKey] = m.ID
	if m.ProviderID != "" {
		o.byPID[m.ProviderID] = m.ID
	}
	if m.State == notify.StateQueued || m.State == notify.StateSending {
		o.active[m.ID] = true
		heap.Push(&o.due, dueEntry{at: dueAt(&m), created: m.CreatedAt, id: m.ID})
	} else {
		delete(o.active, m.ID)
	}
}

func dueAt(m *notify.Message) time.Time {
	if m.State == notify.StateSending {
		return m.LeaseUntil
	}
	if m.NextAttemptAt.After(m.NotBefore) {
		return m.NextAttemptAt
	}
	return m.NotBefore
}

func (o *fakeOutbox) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := []notify.Message{}
	for len(out) < limit && o.due.Len() > 0 && !o.due[0].at.After(now) {
		e := heap.Pop(&o.due).(dueEntry)
		m := o.byID[e.id]
		if !m.IsDue(now) || !dueAt(m).Equal(e.at) {
			continue // stale: claimed, completed or rescheduled since
		}
		c := m.Clone()
		if err := c.Claim(now, lease); err != nil {
			return nil, err
		}
		o.store(c)
		out = append(out, c.Clone())
	}
	return out, nil
}

func (o *fakeOutbox) Complete(ctx context.Context, id, lease string, out notify.SendResult) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return fmt.Errorf("fake outbox: %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := c.ApplyOutcome(lease, out); err != nil {
		return err
	}
	if out.Kind == notify.ResultSent {
		keep := o.pending[:0]
		for _, r := range o.pending {
			if r.Matches(&c) {
				c.ApplyReceipt(r)
			} else {
				keep = append(keep, r)
			}
		}
		o.pending = keep
	}
	o.store(c)
	return nil
}

func (o *fakeOutbox) Receipt(ctx context.Context, r notify.DeliveryReceipt) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id, ok := o.byPID[r.ProviderID]
	if !ok && r.ProviderID == "" {
		id, ok = o.byKey[r.Key]
	}
	if ok && o.byID[id].ProviderID != "" {
		c := o.byID[id].Clone()
		c.ApplyReceipt(r)
		o.store(c)
		return true, nil
	}
	o.pending = append(o.pending, r)
	return false, nil
}

func (o *fakeOutbox) Get(ctx context.Context, id string) (notify.Message, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return notify.Message{}, fmt.Errorf("fake outbox: %s: %w", id, notify.ErrNotFound)
	}
	return m.Clone(), nil
}

func (o *fakeOutbox) List(ctx context.Context, f notify.Filter) ([]notify.Message, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := []notify.Message{}
	for _, m := range o.byID {
		if f.Match(m) {
			out = append(out, m.Clone())
		}
	}
	slices.SortFunc(out, func(a, b notify.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func (o *fakeOutbox) Update(ctx context.Context, id string, fn func(*notify.Message) error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return fmt.Errorf("fake outbox: %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := fn(&c); err != nil {
		return err
	}
	o.store(c)
	return nil
}

func (o *fakeOutbox) Renew(ctx context.Context, id, lease string, until time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return fmt.Errorf("fake outbox: %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := c.RenewLease(lease, until); err != nil {
		return err
	}
	o.store(c)
	return nil
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// Sleep advances the clock instead of waiting.
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	return ctx.Err()
}

// scriptSender returns the scripted errors in turn for each key, then
// accepts, deduplicating by key like a provider with OutId.
type scriptSender struct {
	mu       sync.Mutex
	script   map[string][]error
	calls    map[string]int
	accepted map[string]notify.Outgoing
}

func newScriptSender() *scriptSender {
	return &scriptSender{script: map[string][]error{}, calls: map[string]int{}, accepted: map[string]notify.Outgoing{}}
}

func (s *scriptSender) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[o.IdempotencyKey]++
	if errs := s.script[o.IdempotencyKey]; len(errs) > 0 {
		s.script[o.IdempotencyKey] = errs[1:]
		return notify.Receipt{}, errs[0]
	}
	if _, ok := s.accepted[o.IdempotencyKey]; !ok {
		s.accepted[o.IdempotencyKey] = o
	}
	return notify.Receipt{ProviderID: "p-" + o.IdempotencyKey, Gateway: "fake"}, nil
}

var t0 = time.Date(2024, 10, 8, 10, 0, 0, 0, time.UTC) // 18:00 in Shanghai

func queued(id string, at time.Time) notify.Message {
	return notify.Message{
		ID: id, IdempotencyKey: id, CaseID: "case-1", Template: "filing.applicant",
		Recipient: notify.Recipient{PartyID: "p1", Role: notify.RecipientApplicant, Mobile: "13800138000"},
		Body:      "【上海一中院】立案告知", Segments: 1, State: notify.StateQueued, NotBefore: at, CreatedAt: at,
	}
}

type dispatchBundle struct {
	outbox *fakeOutbox
	sender *scriptSender
	clock  *fakeClock
	d      *notify.Dispatcher
	events []notify.DispatchEvent
}

func setupDispatcher(t *testing.T, msgs ...notify.Message) *dispatchBundle {
	t.Helper()
	b := &dispatchBundle{outbox: newFakeOutbox(), sender: newScriptSender(), clock: &fakeClock{t: t0}}
	require.NoError(t, b.outbox.Put(t.Context(), msgs...))
	b.d = &notify.Dispatcher{
		Outbox: b.outbox, Sender: b.sender, Now: b.clock.Now, Sleep: b.clock.Sleep,
		Rand:    rand.New(rand.NewPCG(1, 2)),
		Backoff: notify.Backoff{Base: time.Second, Max: time.Minute, MaxAttempts: 3},
		Lease:   time.Minute, BatchSize: 10,
		OnEvent: func(e notify.DispatchEvent) { b.events = append(b.events, e) },
	}
	return b
}

func (b *dispatchBundle) get(t *testing.T, id string) notify.Message {
	t.Helper()
	m, err := b.outbox.Get(t.Context(), id)
	require.NoError(t, err)
	return m
}

func TestDispatcher_RunOnce(t *testing.T) {
	t.Parallel()
	retry := &notify.SendError{Retryable: true, Code: "isv.BUSINESS_LIMIT_CONTROL", Reason: "触发流控"}
	perm := &notify.SendError{Code: "isv.MOBILE_NUMBER_ILLEGAL", Reason: "非法手机号"}

	t.Run("SentWithReceiptAndKey", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		n, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		m := b.get(t, "a")
		require.Equal(t, notify.StateSent, m.State)
		require.Equal(t, "p-a", m.ProviderID)
		require.Equal(t, 1, m.Attempts)
		require.Empty(t, m.Lease)
		require.Equal(t, "a", b.sender.accepted["a"].IdempotencyKey)
		require.Equal(t, []notify.State{notify.StateQueued, notify.StateSending}, []notify.State{m.History[0].From, m.History[0].To})
	})

	t.Run("NotBeforeQuietHours", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0.Add(time.Hour)))
		n, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Zero(t, n)
		b.clock.Advance(time.Hour)
		n, err = b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
	})

	t.Run("RetryableThenSent", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		b.sender.script["a"] = []error{retry}
		_, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		m := b.get(t, "a")
		require.Equal(t, notify.StateQueued, m.State)
		require.Equal(t, "isv.BUSINESS_LIMIT_CONTROL", m.LastError.Code)
		require.True(t, m.LastError.Retryable)
		require.False(t, m.NextAttemptAt.Before(t0))
		require.False(t, m.NextAttemptAt.After(t0.Add(time.Second)), "first retry waits at most Base")
		b.clock.Advance(time.Second)
		_, err = b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Equal(t, notify.StateSent, b.get(t, "a").State)
		require.Equal(t, 2, b.get(t, "a").Attempts)
	})

	t.Run("RetryAfterHint", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		b.sender.script["a"] = []error{&notify.SendError{Retryable: true, Code: "http 429", RetryAfter: 10 * time.Minute}}
		_, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Equal(t, t0.Add(10*time.Minute), b.get(t, "a").NextAttemptAt)
	})

	t.Run("PermanentFailsAtOnce", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		b.sender.script["a"] = []error{perm}
		_, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		m := b.get(t, "a")
		require.Equal(t, notify.StateFailed, m.State)
		require.Equal(t, notify.Failure{Code: "isv.MOBILE_NUMBER_ILLEGAL", Reason: "非法手机号"}, m.LastError)
		require.Equal(t, 1, b.sender.calls["a"])
	})

	t.Run("UnclassifiedErrorIsRetryable", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		b.sender.script["a"] = []error{errors.New("connection reset")}
		_, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		m := b.get(t, "a")
		require.Equal(t, notify.StateQueued, m.State)
		require.Equal(t, notify.Failure{Code: "error", Reason: "connection reset", Retryable: true}, m.LastError)
	})

	t.Run("AttemptsExhaustedKeepsReason", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		b.sender.script["a"] = []error{retry, retry, retry, retry}
		for range 3 {
			_, err := b.d.RunOnce(t.Context())
			require.NoError(t, err)
			b.clock.Advance(time.Minute)
		}
		m := b.get(t, "a")
		require.Equal(t, notify.StateFailed, m.State)
		require.Equal(t, 3, m.Attempts)
		require.Equal(t, "触发流控", m.LastError.Reason)
		require.Contains(t, m.History[len(m.History)-1].Note, "gave up after 3 attempts")
	})

	t.Run("ExpiredLeaseReclaimed", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0))
		claimed, err := b.outbox.Claim(t.Context(), t0, 10, time.Minute) // a dispatcher that then died
		require.NoError(t, err)
		require.Len(t, claimed, 1)
		n, err := b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Zero(t, n, "lease still held")
		b.clock.Advance(time.Minute)
		n, err = b.d.RunOnce(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, notify.StateSent, b.get(t, "a").State)
		err = b.outbox.Complete(t.Context(), "a", claimed[0].Lease, notify.SendResult{Kind: notify.ResultSent, At: t0})
		require.ErrorIs(t, err, notify.ErrConflict, "the dead dispatcher's lease is lost")
	})

	t.Run("CancelledBeforeSendReleases", func(t *testing.T) {
		t.Parallel()
		b := setupDispatcher(t, queued("a", t0), queued("b", t0.Add(time.Second)))
		ctx, cancel := context.WithCancel(t.Context())
		b.d.Sender = senderFunc(func(c context.Context, o notify.Outgoing) (notify.Receipt, error) {
			cancel() // shutdown arrives while the first send is in flight
			return b.sender.Send(c, o)
		})
		b.clock.Advance(time.Second)
		n, err := b.d.RunOnce(ctx)
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, 2, n)
		require.Equal(t, notify.StateSent, b.get(t, "a").State, "the send in flight is recorded")
		m := b.get(t, "b")
		require.Equal(t, notify.StateQueued, m.State, "the unsent one is released")
		require.Zero(t, m.Attempts)
		require.Len(t, b.sender.accepted, 1)
	})
}

type senderFunc func(ctx context.Context, o notify.Outgoing) (notify.Receipt, error)

func (f senderFunc) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	return f(ctx, o)
}

func TestDispatcher_MissingPorts(t *testing.T) {
	t.Parallel()
	_, err := (&notify.Dispatcher{}).RunOnce(t.Context())
	require.ErrorIs(t, err, notify.ErrDispatcherConfig)
	require.ErrorIs(t, (&notify.Dispatcher{Outbox: newFakeOutbox()}).Run(t.Context()), notify.ErrDispatcherConfig)
}

func TestBackoff_Delay(t *testing.T) {
	t.Parallel()
	b := notify.Backoff{Base: time.Second, Max: time.Minute}
	top := func(n int64) int64 { return n - 1 }
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {7, time.Minute}, {100, time.Minute}, {0, time.Second},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, b.Delay(tt.attempt, top), "attempt %d", tt.attempt)
		require.Zero(t, b.Delay(tt.attempt, func(int64) int64 { return 0 }), "full jitter reaches zero")
	}
}

// TestDispatcher_RunStops runs the dispatcher with its real timer in a
// synctest bubble: Run returns after cancellation, and synctest.Test fails
// if any goroutine the dispatcher started were still running.
func TestDispatcher_RunStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := newFakeOutbox()
		now := time.Now()
		require.NoError(t, out.Put(t.Context(), queued("a", now), queued("b", now.Add(time.Hour))))
		snd := newScriptSender()
		d := &notify.Dispatcher{Outbox: out, Sender: snd, PollInterval: time.Minute}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		time.Sleep(2 * time.Hour) // fake time: about 120 polls
		synctest.Wait()
		cancel()
		require.NoError(t, <-done)
		require.Len(t, snd.accepted, 2)
	})
}

// TestDispatcher_NoGoroutineLeft checks with the goroutine profile that
// nothing of the dispatcher runs after Run returned.
func TestDispatcher_NoGoroutineLeft(t *testing.T) {
	b := setupDispatcher(t, queued("a", t0))
	b.d.Sleep = nil
	b.d.PollInterval = time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- b.d.Run(ctx) }()
	for b.get(t, "a").State != notify.StateSent {
		runtime.Gosched()
	}
	cancel()
	require.NoError(t, <-done)
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	require.NotContains(t, stacks, "notify.(*Dispatcher)")
}

func sentMessage(t *testing.T) notify.Message {
	t.Helper()
	m := queued("a", t0)
	require.NoError(t, m.Claim(t0, time.Minute))
	require.NoError(t, m.ApplyOutcome(m.Lease, notify.SendResult{Kind: notify.ResultSent, At: t0, Receipt: notify.Receipt{ProviderID: "biz-a", Gateway: "fake"}}))
	return m
}

func TestMessage_ApplyReceipt(t *testing.T) {
	t.Parallel()
	delivered := notify.DeliveryReceipt{ProviderID: "biz-a", Status: notify.ReceiptDelivered, Code: "DELIVRD", At: t0.Add(time.Second)}
	failed := notify.DeliveryReceipt{ProviderID: "biz-a", Status: notify.ReceiptFailed, Code: "UNDELIV", Reason: "空号", At: t0.Add(2 * time.Second)}
	byKey := notify.DeliveryReceipt{Key: "a", Status: notify.ReceiptDelivered}
	other := notify.DeliveryReceipt{ProviderID: "biz-b", Status: notify.ReceiptDelivered}
	tests := []struct {
		name     string
		receipts []notify.DeliveryReceipt
		changes  []bool
		want     notify.State
	}{
		{"delivered", []notify.DeliveryReceipt{delivered}, []bool{true}, notify.StateDelivered},
		{"delivered twice", []notify.DeliveryReceipt{delivered, delivered}, []bool{true, false}, notify.StateDelivered},
		{"failed after delivered is ignored", []notify.DeliveryReceipt{delivered, failed}, []bool{true, false}, notify.StateDelivered},
		{"delivered after failed wins", []notify.DeliveryReceipt{failed, delivered}, []bool{true, true}, notify.StateDelivered},
		{"failed twice", []notify.DeliveryReceipt{failed, failed}, []bool{true, false}, notify.StateFailed},
		{"matched by idempotency key", []notify.DeliveryReceipt{byKey}, []bool{true}, notify.StateDelivered},
		{"another message's receipt", []notify.DeliveryReceipt{other}, []bool{false}, notify.StateSent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := sentMessage(t)
			for i, r := range tt.receipts {
				require.Equal(t, tt.changes[i], m.ApplyReceipt(r), "receipt %d", i)
			}
			require.Equal(t, tt.want, m.State)
		})
	}
	t.Run("OrderIndependent", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(3, 4))
		for range 200 {
			rs := []notify.DeliveryReceipt{delivered, failed, delivered, failed, byKey}[:1+rng.IntN(5)]
			want := notify.StateFailed
			if slices.ContainsFunc(rs, func(r notify.DeliveryReceipt) bool { return r.Status == notify.ReceiptDelivered }) {
				want = notify.StateDelivered
			}
			rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
			m := sentMessage(t)
			for _, r := range rs {
				m.ApplyReceipt(r)
			}
			require.Equal(t, want, m.State, "%v", rs)
		}
	})
	t.Run("NotYetSent", func(t *testing.T) {
		t.Parallel()
		m := queued("a", t0)
		require.NoError(t, m.Claim(t0, time.Minute))
		before := m.Clone()
		require.False(t, m.ApplyReceipt(byKey))
		require.Equal(t, before, m)
	})
	t.Run("FailedReceiptKeepsCarrierReason", func(t *testing.T) {
		t.Parallel()
		m := sentMessage(t)
		m.ApplyReceipt(failed)
		require.Equal(t, notify.Failure{Code: "UNDELIV", Reason: "空号"}, m.LastError)
	})
}

// TestOutbox_EarlyReceipt: a receipt that arrives before the send is
// recorded is kept and applied by Complete.
func TestOutbox_EarlyReceipt(t *testing.T) {
	t.Parallel()
	b := setupDispatcher(t, queued("a", t0))
	b.d.Sender = senderFunc(func(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
		matched, err := b.outbox.Receipt(ctx, notify.DeliveryReceipt{ProviderID: "p-a", Status: notify.ReceiptDelivered, At: t0})
		require.NoError(t, err)
		require.False(t, matched, "not sent yet")
		return b.sender.Send(ctx, o)
	})
	_, err := b.d.RunOnce(t.Context())
	require.NoError(t, err)
	m := b.get(t, "a")
	require.Equal(t, notify.StateDelivered, m.State)
	require.Empty(t, b.outbox.pending)
	matched, err := b.outbox.Receipt(t.Context(), notify.DeliveryReceipt{ProviderID: "p-a", Status: notify.ReceiptDelivered, At: t0})
	require.NoError(t, err)
	require.True(t, matched)
	require.Equal(t, m, b.get(t, "a"), "a repeat changes nothing")
}

func TestOutbox_PutIdempotent(t *testing.T) {
	t.Parallel()
	out := newFakeOutbox()
	m := queued("a", t0)
	require.NoError(t, out.Put(t.Context(), m))
	m2 := m.Clone()
	m2.Body = "changed"
	require.NoError(t, out.Put(t.Context(), m2))
	got, err := out.Get(t.Context(), "a")
	require.NoError(t, err)
	require.Equal(t, m.Body, got.Body, "the first one is kept")
	bad := queued("b", t0)
	bad.Recipient.Role = ""
	require.ErrorIs(t, out.Put(t.Context(), queued("c", t0), bad), notify.ErrInvalidMessage)
	_, err = out.Get(t.Context(), "c")
	require.ErrorIs(t, err, notify.ErrNotFound, "nothing stored when one is invalid")
}
