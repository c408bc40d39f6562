package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// Plans holds weekly plans in memory. It implements [planning.PlanStore].
type Plans struct {
	mu    sync.RWMutex
	plans map[string]*planning.Plan // by plan ID (judge and week)
}

var _ planning.PlanStore = (*Plans)(nil)

// NewPlans returns an empty plan store.
func NewPlans() *Plans { return &Plans{plans: map[string]*planning.Plan{}} }

// Get implements [planning.PlanStore].
func (s *Plans) Get(ctx context.Context, judgeID string, w planning.Week) (*planning.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := planning.PlanID(judgeID, w)
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.plans[id]
	if !ok {
		return nil, fmt.Errorf("memory: plan %s: %w", id, enforcement.ErrNotFound)
	}
	return p.Clone(), nil
}

// Save implements [planning.PlanStore].
func (s *Plans) Save(ctx context.Context, p *planning.Plan, expectedVersion int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("memory: save plan %s: %w", p.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var current int64
	if old, ok := s.plans[p.ID]; ok {
		current = old.Version
	}
	if current != expectedVersion {
		return fmt.Errorf("memory: save plan %s: stored version %d, expected %d: %w", p.ID, current, expectedVersion, enforcement.ErrConflict)
	}
	c := p.Clone()
	c.Version = expectedVersion + 1
	s.plans[p.ID] = c
	p.Version = c.Version
	return nil
}

// ListWeek implements [planning.PlanStore].
func (s *Plans) ListWeek(ctx context.Context, court string, w planning.Week) ([]*planning.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := []*planning.Plan{}
	for _, p := range s.plans {
		if p.Week == w && (court == "" || p.Court == court) {
			out = append(out, p.Clone())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *planning.Plan) int {
		return cmp.Or(cmp.Compare(a.JudgeID, b.JudgeID), cmp.Compare(a.Court, b.Court))
	})
	return out, nil
}
