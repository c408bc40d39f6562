package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/courtkit/zhixing/notify"
)

// Outbox is an in-memory [notify.Outbox].
type Outbox struct {
	mu       sync.Mutex
	msgs     map[string]*notify.Message
	keys     map[string]string // idempotency key -> id
	receipts []notify.DeliveryReceipt
}

var (
	_ notify.Outbox       = (*Outbox)(nil)
	_ notify.LeaseRenewer = (*Outbox)(nil)
)

// NewOutbox returns an empty Outbox.
func NewOutbox() *Outbox {
	return &Outbox{msgs: map[string]*notify.Message{}, keys: map[string]string{}}
}

// Put implements [notify.Outbox].
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
	return o.putLocked(msgs)
}

func (o *Outbox) putLocked(msgs []notify.Message) error {
	// keyOf is the key each ID will have once the call is applied: the
	// stored messages' and those earlier in msgs.
	keyOf := map[string]string{}
	for i := range msgs {
		m := &msgs[i]
		if _, ok := o.keys[m.IdempotencyKey]; ok {
			continue
		}
		key, ok := keyOf[m.ID]
		if !ok {
			if prev, stored := o.msgs[m.ID]; stored {
				key, ok = prev.IdempotencyKey, true
			}
		}
		if ok && key != m.IdempotencyKey {
			return fmt.Errorf("memory: put message %s: id taken by another key: %w", m.ID, notify.ErrConflict)
		}
		keyOf[m.ID] = m.IdempotencyKey
	}
	for i := range msgs {
		m := msgs[i].Clone()
		if _, ok := o.keys[m.IdempotencyKey]; ok {
			continue
		}
		o.keys[m.IdempotencyKey] = m.ID
		o.msgs[m.ID] = &m
	}
	return nil
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

// Claim implements [notify.Queue].
func (o *Outbox) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var due []*notify.Message
	for _, m := range o.msgs {
		if m.IsDue(now) {
			due = append(due, m)
		}
	}
	slices.SortFunc(due, func(a, b *notify.Message) int {
		if c := dueAt(a).Compare(dueAt(b)); c != 0 {
			return c
		}
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
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
func (o *Outbox) Complete(ctx context.Context, id, lease string, oc notify.SendResult) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.msgs[id]
	if !ok {
		return fmt.Errorf("memory: message %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := c.ApplyOutcome(lease, oc); err != nil {
		return err
	}
	if oc.Kind == notify.ResultSent {
		kept := o.receipts[:0]
		for _, r := range o.receipts {
			if r.Matches(&c) {
				c.ApplyReceipt(r)
				continue
			}
			kept = append(kept, r)
		}
		o.receipts = kept
	}
	*m = c
	return nil
}

// Renew implements [notify.LeaseRenewer].
func (o *Outbox) Renew(ctx context.Context, id, lease string, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.msgs[id]
	if !ok {
		return fmt.Errorf("memory: message %s: %w", id, notify.ErrNotFound)
	}
	return m.RenewLease(lease, until)
}

// Receipt implements [notify.Outbox].
func (o *Outbox) Receipt(ctx context.Context, r notify.DeliveryReceipt) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range o.msgs {
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
	m, ok := o.msgs[id]
	if !ok {
		return notify.Message{}, fmt.Errorf("memory: message %s: %w", id, notify.ErrNotFound)
	}
	return m.Clone(), nil
}

// List implements [notify.Outbox].
func (o *Outbox) List(ctx context.Context, f notify.Filter) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	var out []notify.Message
	for _, m := range o.msgs {
		if f.Match(m) {
			out = append(out, m.Clone())
		}
	}
	o.mu.Unlock()
	slices.SortFunc(out, func(a, b notify.Message) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	if out == nil {
		out = []notify.Message{}
	}
	return out, nil
}

// Update implements [notify.Outbox].
func (o *Outbox) Update(ctx context.Context, id string, fn func(*notify.Message) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.msgs[id]
	if !ok {
		return fmt.Errorf("memory: message %s: %w", id, notify.ErrNotFound)
	}
	c := m.Clone()
	if err := fn(&c); err != nil {
		return err
	}
	*m = c
	return nil
}
