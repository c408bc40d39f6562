package vendor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/courtkit/zhixing/notify"
)

// Outbox keeps messages until they are sent, and their history. One mutex
// makes each call atomic, so two dispatchers never claim one message.
type Outbox struct {
	mu       sync.Mutex
	byID     map[string]*notify.Message
	keys     map[string]bool          // idempotency keys stored
	receipts []notify.DeliveryReceipt // receipts that came before their send was recorded
}

var (
	_ notify.Outbox       = (*Outbox)(nil)
	_ notify.LeaseRenewer = (*Outbox)(nil)
)

// NewOutbox returns an empty Outbox.
func NewOutbox() *Outbox {
	return &Outbox{byID: map[string]*notify.Message{}, keys: map[string]bool{}}
}

// Put implements [notify.Outbox]: all or nothing, one message per
// idempotency key.
func (o *Outbox) Put(ctx context.Context, msgs ...notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range msgs {
		if err := msgs[i].Validate(); err != nil {
			return err
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	keyOf := map[string]string{} // ID -> key, for the new messages of this call
	for _, m := range msgs {
		if o.keys[m.IdempotencyKey] {
			continue
		}
		key, ok := keyOf[m.ID]
		if stored, found := o.byID[m.ID]; !ok && found {
			key, ok = stored.IdempotencyKey, true
		}
		if ok && key != m.IdempotencyKey {
			return fmt.Errorf("vendor: put message %s: the ID has another key: %w", m.ID, notify.ErrConflict)
		}
		keyOf[m.ID] = m.IdempotencyKey
	}
	for i := range msgs {
		if o.keys[msgs[i].IdempotencyKey] {
			continue
		}
		m := msgs[i].Clone()
		o.keys[m.IdempotencyKey] = true
		o.byID[m.ID] = &m
	}
	return nil
}

// dueAt is when m became claimable, for Claim's order.
func dueAt(m *notify.Message) time.Time {
	if m.State == notify.StateSending {
		return m.LeaseUntil
	}
	if m.NextAttemptAt.After(m.NotBefore) {
		return m.NextAttemptAt
	}
	return m.NotBefore
}

// Claim implements [notify.Queue].
func (o *Outbox) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var due []*notify.Message
	for _, m := range o.byID {
		if m.IsDue(now) {
			due = append(due, m)
		}
	}
	slices.SortFunc(due, func(a, b *notify.Message) int {
		return cmp.Or(dueAt(a).Compare(dueAt(b)), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(due) > limit {
		due = due[:limit]
	}
	out := make([]notify.Message, 0, len(due))
	for _, m := range due {
		if err := m.Claim(now, lease); err != nil {
			return nil, err
		}
		out = append(out, m.Clone())
	}
	return out, nil
}

// Complete implements [notify.Queue].
func (o *Outbox) Complete(ctx context.Context, id, lease string, r notify.SendResult) error {
	return o.change(ctx, id, func(m *notify.Message) error {
		if err := m.ApplyOutcome(lease, r); err != nil {
			return err
		}
		if r.Kind == notify.ResultSent {
			o.receipts = slices.DeleteFunc(o.receipts, func(rc notify.DeliveryReceipt) bool {
				if !rc.Matches(m) {
					return false
				}
				m.ApplyReceipt(rc)
				return true
			})
		}
		return nil
	})
}

// Renew implements [notify.LeaseRenewer].
func (o *Outbox) Renew(ctx context.Context, id, lease string, until time.Time) error {
	return o.change(ctx, id, func(m *notify.Message) error { return m.RenewLease(lease, until) })
}

// Update implements [notify.Outbox].
func (o *Outbox) Update(ctx context.Context, id string, fn func(*notify.Message) error) error {
	return o.change(ctx, id, fn)
}

// change applies fn to a copy of message id and stores the copy if fn
// succeeds, holding the lock throughout.
func (o *Outbox) change(ctx context.Context, id string, fn func(*notify.Message) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return fmt.Errorf("vendor: message %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := fn(&c); err != nil {
		return err
	}
	*m = c
	return nil
}

// Receipt implements [notify.Outbox].
func (o *Outbox) Receipt(ctx context.Context, r notify.DeliveryReceipt) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range o.byID {
		if m.ProviderID != "" && r.Matches(m) {
			m.ApplyReceipt(r)
			return true, nil
		}
	}
	if !slices.Contains(o.receipts, r) {
		o.receipts = append(o.receipts, r)
	}
	return false, nil
}

// Get implements [notify.Outbox].
func (o *Outbox) Get(ctx context.Context, id string) (notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return notify.Message{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.byID[id]
	if !ok {
		return notify.Message{}, fmt.Errorf("vendor: message %s: %w", id, notify.ErrNotFound)
	}
	return m.Clone(), nil
}

// List implements [notify.Outbox].
func (o *Outbox) List(ctx context.Context, f notify.Filter) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	out := []notify.Message{}
	for _, m := range o.byID {
		if f.Match(m) {
			out = append(out, m.Clone())
		}
	}
	o.mu.Unlock()
	slices.SortFunc(out, func(a, b notify.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}
