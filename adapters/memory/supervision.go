package memory

import (
	"context"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

var _ enforcement.SupervisionSource = (*Store)(nil)

// supervise answers a supervision question over court's cases with
// enforcement.CaseSlice, holding the read lock while it reads them.
func supervise[T any](ctx context.Context, s *Store, court string, ask func(enforcement.CaseSlice) (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var cs enforcement.CaseSlice
	for _, c := range s.cases {
		if c.Court == court {
			cs = append(cs, c)
		}
	}
	return ask(cs)
}

// TallyDue implements [enforcement.SupervisionSource].
func (s *Store) TallyDue(ctx context.Context, court string, through deadline.Date) ([]enforcement.DueTally, error) {
	return supervise(ctx, s, court, func(cs enforcement.CaseSlice) ([]enforcement.DueTally, error) {
		return cs.TallyDue(ctx, court, through)
	})
}

// ListDue implements [enforcement.SupervisionSource].
func (s *Store) ListDue(ctx context.Context, court string, from, through deadline.Date, limit int) ([]enforcement.DueRef, error) {
	return supervise(ctx, s, court, func(cs enforcement.CaseSlice) ([]enforcement.DueRef, error) {
		return cs.ListDue(ctx, court, from, through, limit)
	})
}

// TallyCases implements [enforcement.SupervisionSource].
func (s *Store) TallyCases(ctx context.Context, court string) ([]enforcement.CaseTally, error) {
	return supervise(ctx, s, court, func(cs enforcement.CaseSlice) ([]enforcement.CaseTally, error) {
		return cs.TallyCases(ctx, court)
	})
}

// SupervisedCases implements [enforcement.SupervisionSource].
func (s *Store) SupervisedCases(ctx context.Context, court string) ([]*enforcement.Case, error) {
	return supervise(ctx, s, court, func(cs enforcement.CaseSlice) ([]*enforcement.Case, error) {
		return cs.SupervisedCases(ctx, court)
	})
}
