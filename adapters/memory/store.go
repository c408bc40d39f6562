// Package memory implements zhixing's storage ports in process memory, for
// tests, demos and small deployments. Every type is safe for concurrent use
// and shares no memory with its callers.
package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Store holds cases and their event log in memory.
type Store struct {
	// Outbox and Draft, when both set, draft the notification messages for
	// every change and put them in Outbox atomically with the change.
	Outbox *Outbox
	Draft  func(c *enforcement.Case, events []enforcement.Event) ([]notify.Message, error)

	mu     sync.RWMutex
	cases  map[string]*enforcement.Case
	byNum  map[string]string // court + number -> id
	events []enforcement.Event
	seen   map[string]bool  // event IDs
	revs   map[string]int64 // court -> revision
	cursor map[string]int64 // consumer name -> last Seq relayed
}

var (
	_ enforcement.CaseStore = (*Store)(nil)
	_ enforcement.EventLog  = (*Store)(nil)
	_ enforcement.DueIndex  = (*Store)(nil)
	_ enforcement.Revisions = (*Store)(nil)
	_ notify.Cursor         = (*Store)(nil)
)

// New returns an empty Store.
func New() *Store {
	return &Store{cases: map[string]*enforcement.Case{}, byNum: map[string]string{}, seen: map[string]bool{}, revs: map[string]int64{}, cursor: map[string]int64{}}
}

func numKey(c *enforcement.Case) string { return c.Court + "\x00" + c.Number.String() }

// Create implements [enforcement.CaseStore].
func (s *Store) Create(ctx context.Context, c *enforcement.Case, events []enforcement.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cases[c.ID]; ok {
		return fmt.Errorf("memory: create case %s: %w", c.ID, enforcement.ErrConflict)
	}
	if _, ok := s.byNum[numKey(c)]; ok {
		return fmt.Errorf("memory: create case %s: number %s exists: %w", c.ID, c.Number, enforcement.ErrConflict)
	}
	msgs, err := s.draft(c, s.newEvents(events))
	if err != nil {
		return err
	}
	c.Version = 1
	s.cases[c.ID] = c.Clone()
	s.byNum[numKey(c)] = c.ID
	s.revs[c.Court]++
	s.appendEvents(events)
	s.putDrafts(msgs)
	return nil
}

// newEvents returns the events not yet logged.
func (s *Store) newEvents(events []enforcement.Event) []enforcement.Event {
	var out []enforcement.Event
	for _, e := range events {
		if !s.seen[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

func (s *Store) draft(c *enforcement.Case, events []enforcement.Event) ([]notify.Message, error) {
	if s.Draft == nil || s.Outbox == nil || len(events) == 0 {
		return nil, nil
	}
	msgs, err := s.Draft(c, events)
	if err != nil {
		return nil, fmt.Errorf("memory: draft messages for case %s: %w", c.ID, err)
	}
	for i := range msgs {
		if err := msgs[i].Validate(); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

func (s *Store) putDrafts(msgs []notify.Message) {
	if len(msgs) == 0 {
		return
	}
	s.Outbox.mu.Lock()
	defer s.Outbox.mu.Unlock()
	// Validated above; an ID taken by another key is the only failure left,
	// and keys derive from IDs, so it cannot happen for drafted messages.
	_ = s.Outbox.putLocked(msgs)
}

func (s *Store) appendEvents(events []enforcement.Event) []enforcement.Event {
	out := make([]enforcement.Event, 0, len(events))
	for _, e := range events {
		if s.seen[e.ID] {
			continue
		}
		s.seen[e.ID] = true
		e.Seq = int64(len(s.events) + 1)
		e.Due = slices.Clone(e.Due)
		s.events = append(s.events, e)
		out = append(out, e)
	}
	return out
}

// Get implements [enforcement.CaseStore].
func (s *Store) Get(ctx context.Context, id string) (*enforcement.Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("memory: case %s: %w", id, enforcement.ErrNotFound)
	}
	return c.Clone(), nil
}

// Update implements [enforcement.CaseStore]. fn runs outside the lock on a
// copy; the write checks the version, so concurrent updates conflict rather
// than overwrite each other.
func (s *Store) Update(ctx context.Context, id string, fn enforcement.UpdateFunc) (*enforcement.Case, []enforcement.Event, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	loaded := c.Version
	events, err := fn(c)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.cases[id]
	if !ok {
		return nil, nil, fmt.Errorf("memory: case %s: %w", id, enforcement.ErrNotFound)
	}
	if cur.Version != loaded {
		return nil, nil, fmt.Errorf("memory: update case %s: version %d, stored %d: %w", id, loaded, cur.Version, enforcement.ErrConflict)
	}
	if c.ID != id {
		return nil, nil, fmt.Errorf("memory: update case %s: fn changed the ID: %w", id, enforcement.ErrConflict)
	}
	msgs, err := s.draft(c, s.newEvents(events))
	if err != nil {
		return nil, nil, err
	}
	c.Version = loaded + 1
	if numKey(c) != numKey(cur) {
		if _, taken := s.byNum[numKey(c)]; taken {
			return nil, nil, fmt.Errorf("memory: update case %s: number %s exists: %w", id, c.Number, enforcement.ErrConflict)
		}
		delete(s.byNum, numKey(cur))
		s.byNum[numKey(c)] = id
	}
	s.cases[id] = c.Clone()
	s.revs[cur.Court]++
	if c.Court != cur.Court {
		s.revs[c.Court]++
	}
	stored := s.appendEvents(events)
	s.putDrafts(msgs)
	return c, stored, nil
}

// Revision implements [enforcement.Revisions]: a count of the changes to
// court's cases.
func (s *Store) Revision(ctx context.Context, court string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.revs[court], nil
}

// Find implements [enforcement.CaseStore].
func (s *Store) Find(ctx context.Context, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []*enforcement.Case
	for _, c := range s.cases {
		if matches(c, f) {
			out = append(out, c.Clone())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *enforcement.Case) int {
		if c := a.FiledOn.Compare(b.FiledOn); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if f.Offset > 0 {
		if f.Offset >= len(out) {
			return nil, nil
		}
		out = out[f.Offset:]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func matches(c *enforcement.Case, f enforcement.CaseFilter) bool {
	return (f.Court == "" || c.Court == f.Court) &&
		(f.JudgeID == "" || c.JudgeID == f.JudgeID) &&
		(f.Status == "" || c.Status == f.Status) &&
		(f.Key == nil || c.Key == *f.Key) &&
		(f.Number == "" || c.Number.String() == f.Number) &&
		(!f.OpenRequests || slices.ContainsFunc(c.Requests, func(r enforcement.Request) bool { return !r.IsAnswered() })) &&
		(!f.OpenSolicitations || slices.ContainsFunc(c.Solicitations, func(s enforcement.Solicitation) bool { return s.Answer == nil })) &&
		(!f.HasOrders || len(c.Orders) > 0)
}

// EventsAfter implements [enforcement.EventLog].
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]enforcement.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if after < 0 {
		after = 0
	}
	if after >= int64(len(s.events)) {
		return nil, nil
	}
	rest := s.events[after:]
	if limit > 0 && len(rest) > limit {
		rest = rest[:limit]
	}
	out := make([]enforcement.Event, len(rest))
	for i, e := range rest {
		e.Due = slices.Clone(e.Due)
		out[i] = e
	}
	return out, nil
}

// DueItems implements [enforcement.DueIndex].
func (s *Store) DueItems(ctx context.Context, f enforcement.DueFilter) ([]enforcement.DueRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []enforcement.DueRef
	for _, c := range s.cases {
		if (f.Court != "" && c.Court != f.Court) || (f.JudgeID != "" && c.JudgeID != f.JudgeID) {
			continue
		}
		for _, d := range c.DueItems {
			if f.OpenOnly && !d.IsOpen() {
				continue
			}
			if !f.DueBefore.IsZero() && d.Due().After(f.DueBefore) && !warned(d, f.WarnedBy) {
				continue
			}
			if !f.DueFrom.IsZero() && d.Due().Before(f.DueFrom) {
				continue
			}
			item, _ := c.Due(d.ID)
			out = append(out, enforcement.DueRef{CaseID: c.ID, Number: c.Number.String(), JudgeID: c.JudgeID, Key: c.Key, Item: item})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b enforcement.DueRef) int {
		if c := a.Item.Due().Compare(b.Item.Due()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.Item.ID, b.Item.ID)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// warned reports whether d has a reminder date on or before by (never for
// a zero by).
func warned(d enforcement.DueItem, by deadline.Date) bool {
	return !by.IsZero() && slices.ContainsFunc(d.Warnings, func(w deadline.Date) bool { return !w.After(by) })
}

// Cursor implements [notify.Cursor].
func (s *Store) Cursor(ctx context.Context, name string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cursor[name], nil
}

// SetCursor implements [notify.Cursor].
func (s *Store) SetCursor(ctx context.Context, name string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq > s.cursor[name] {
		s.cursor[name] = seq
	}
	return nil
}
