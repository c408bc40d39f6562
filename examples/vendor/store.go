// Package vendor shows the library embedded in a court-software vendor's own
// system, without the example server, adapters/memory or sqlstore: the
// vendor keeps cases in its own store ([Store], here maps behind a mutex
// where a real system has its database), keeps messages in its own outbox
// ([Outbox]) and sends them through its own SMS gateway ([Sender]). The
// store logs each change's events; [notify.Relay] drafts the messages from
// that log into the outbox, and a [notify.Dispatcher] hands them to the
// sender.
//
// The store and the outbox are honest implementations of the ports: the
// tests run the conformance suites of adapters/storetest on them.
package vendor

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

// Store keeps cases, their event log and the relay's cursor. One mutex
// serialises every write, so an update never races another one and event
// sequence numbers are handed out in commit order, as
// [enforcement.EventLog] requires.
type Store struct {
	mu      sync.Mutex
	cases   map[string]*enforcement.Case
	numbers map[string]string // court and case number -> case ID
	events  []enforcement.Event
	logged  map[string]bool  // event IDs in the log
	cursors map[string]int64 // consumer -> last Seq read
}

var (
	_ enforcement.CaseStore = (*Store)(nil)
	_ enforcement.EventLog  = (*Store)(nil)
	_ enforcement.DueIndex  = (*Store)(nil)
	_ notify.Cursor         = (*Store)(nil)
)

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{cases: map[string]*enforcement.Case{}, numbers: map[string]string{},
		logged: map[string]bool{}, cursors: map[string]int64{}}
}

func numberKey(c *enforcement.Case) string { return c.Court + "\x00" + c.Number.String() }

// log appends the events not logged yet, numbered in order, and returns
// them. The caller holds s.mu.
func (s *Store) log(events []enforcement.Event) []enforcement.Event {
	var out []enforcement.Event
	for _, e := range events {
		if s.logged[e.ID] {
			continue
		}
		s.logged[e.ID] = true
		e.Seq = int64(len(s.events) + 1)
		e.Due = slices.Clone(e.Due)
		s.events = append(s.events, e)
		out = append(out, e)
	}
	return out
}

// Create implements [enforcement.CaseStore].
func (s *Store) Create(ctx context.Context, c *enforcement.Case, events []enforcement.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cases[c.ID]; ok {
		return fmt.Errorf("vendor: create case %s: %w", c.ID, enforcement.ErrConflict)
	}
	if _, ok := s.numbers[numberKey(c)]; ok {
		return fmt.Errorf("vendor: create case %s: number %s taken: %w", c.ID, c.Number, enforcement.ErrConflict)
	}
	c.Version = 1
	s.cases[c.ID] = c.Clone()
	s.numbers[numberKey(c)] = c.ID
	s.log(events)
	return nil
}

// Get implements [enforcement.CaseStore].
func (s *Store) Get(ctx context.Context, id string) (*enforcement.Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("vendor: case %s: %w", id, enforcement.ErrNotFound)
	}
	return c.Clone(), nil
}

// Update implements [enforcement.CaseStore]. It calls fn on a copy while
// holding the lock, so no other change can come between the read and the
// write and an update never conflicts.
func (s *Store) Update(ctx context.Context, id string, fn enforcement.UpdateFunc) (*enforcement.Case, []enforcement.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.cases[id]
	if !ok {
		return nil, nil, fmt.Errorf("vendor: case %s: %w", id, enforcement.ErrNotFound)
	}
	c := old.Clone()
	events, err := fn(c)
	if err != nil {
		return nil, nil, err
	}
	if c.ID != id {
		return nil, nil, fmt.Errorf("vendor: update case %s: the ID changed to %s: %w", id, c.ID, enforcement.ErrConflict)
	}
	if numberKey(c) != numberKey(old) {
		if _, taken := s.numbers[numberKey(c)]; taken {
			return nil, nil, fmt.Errorf("vendor: update case %s: number %s taken: %w", id, c.Number, enforcement.ErrConflict)
		}
		delete(s.numbers, numberKey(old))
		s.numbers[numberKey(c)] = id
	}
	c.Version = old.Version + 1
	s.cases[id] = c.Clone()
	return c, s.log(events), nil
}

// Find implements [enforcement.CaseStore].
func (s *Store) Find(ctx context.Context, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var out []*enforcement.Case
	for _, c := range s.cases {
		if matches(c, f) {
			out = append(out, c.Clone())
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b *enforcement.Case) int {
		return cmp.Or(a.FiledOn.Compare(b.FiledOn), cmp.Compare(a.ID, b.ID))
	})
	out = out[min(f.Offset, len(out)):]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func matches(c *enforcement.Case, f enforcement.CaseFilter) bool {
	unanswered := func(r enforcement.Request) bool { return !r.IsAnswered() }
	unsolicited := func(s enforcement.Solicitation) bool { return s.Answer == nil }
	return (f.Court == "" || c.Court == f.Court) &&
		(f.JudgeID == "" || c.JudgeID == f.JudgeID) &&
		(f.Status == "" || c.Status == f.Status) &&
		(f.Key == nil || c.Key == *f.Key) &&
		(f.Number == "" || c.Number.String() == f.Number) &&
		(!f.OpenRequests || slices.ContainsFunc(c.Requests, unanswered)) &&
		(!f.OpenSolicitations || slices.ContainsFunc(c.Solicitations, unsolicited)) &&
		(!f.HasOrders || len(c.Orders) > 0)
}

// EventsAfter implements [enforcement.EventLog].
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]enforcement.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rest := s.events[min(max(after, 0), int64(len(s.events))):]
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

// DueItems implements [enforcement.DueIndex] by scanning every case; a
// database keeps an index on the date in force instead.
func (s *Store) DueItems(ctx context.Context, f enforcement.DueFilter) ([]enforcement.DueRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var out []enforcement.DueRef
	for _, c := range s.cases {
		if f.Court != "" && c.Court != f.Court || f.JudgeID != "" && c.JudgeID != f.JudgeID {
			continue
		}
		for _, d := range c.DueItems {
			if f.OpenOnly && !d.IsOpen() {
				continue
			}
			warned := !f.WarnedBy.IsZero() && slices.ContainsFunc(d.Warnings, func(w deadline.Date) bool { return !w.After(f.WarnedBy) })
			if !f.DueBefore.IsZero() && d.Due().After(f.DueBefore) && !warned {
				continue
			}
			if !f.DueFrom.IsZero() && d.Due().Before(f.DueFrom) {
				continue
			}
			item, _ := c.Due(d.ID) // a copy
			out = append(out, enforcement.DueRef{CaseID: c.ID, Number: c.Number.String(), JudgeID: c.JudgeID, Key: c.Key, Item: item})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b enforcement.DueRef) int {
		return cmp.Or(a.Item.Due().Compare(b.Item.Due()), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Item.ID, b.Item.ID))
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// Cursor implements [notify.Cursor].
func (s *Store) Cursor(ctx context.Context, name string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[name], nil
}

// SetCursor implements [notify.Cursor]: a cursor never moves back.
func (s *Store) SetCursor(ctx context.Context, name string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[name] = max(s.cursors[name], seq)
	return nil
}
