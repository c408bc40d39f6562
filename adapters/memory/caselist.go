package memory

import (
	"cmp"
	"context"

	"slices"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

var _ enforcement.CaseLister = (*Store)(nil)

// ListCases implements [enforcement.CaseLister] by reading every case of
// the court; held messages are counted in the store's Outbox.
func (s *Store) ListCases(ctx context.Context, f enforcement.CaseListFilter) (enforcement.CaseListPage, error) {
	if err := ctx.Err(); err != nil {
		return enforcement.CaseListPage{}, err
	}
	held := map[string]int{}
	if s.Outbox != nil {
		msgs, err := s.Outbox.List(ctx, notify.Filter{Court: f.Court, States: []notify.State{notify.StateHeld}})
		if err != nil {
			return enforcement.CaseListPage{}, err
		}
		for _, m := range msgs {
			held[m.CaseID]++
		}
	}
	type row struct {
		enforcement.CaseListRow
		next deadline.Date
		has  bool
	}
	var rows []row
	s.mu.RLock()
	for _, c := range s.cases {
		if f.Matches(c, held[c.ID]) {
			next, has := c.NextDue()
			rows = append(rows, row{enforcement.CaseListRow{Case: c.Clone(), Held: held[c.ID]}, next, has})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(rows, func(a, b row) int {
		if a.has != b.has {
			if a.has {
				return -1
			}
			return 1
		}
		if c := a.next.Compare(b.next); c != 0 {
			return c
		}
		return cmp.Compare(a.Case.ID, b.Case.ID)
	})
	page := enforcement.CaseListPage{Total: len(rows), Rows: []enforcement.CaseListRow{}}
	if f.Offset > 0 {
		rows = rows[min(f.Offset, len(rows)):]
	}
	if f.Limit > 0 && len(rows) > f.Limit {
		rows = rows[:f.Limit]
	}
	for _, r := range rows {
		page.Rows = append(page.Rows, r.CaseListRow)
	}
	return page, nil
}
