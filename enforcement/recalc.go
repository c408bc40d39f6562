package enforcement

import (
	"fmt"
	"slices"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// Move is an open due item whose date changes on recalculation.
type Move struct {
	CaseID string
	DueID  string
	Title  string
	Old    deadline.Date
	New    deadline.Date
	Reason string // Chinese
	// Overridden is set when a judge overrode the item's date: the computed
	// date moves but the date in force does not, and the judge should look.
	Overridden bool
	// Definite is set when the item was provisional or awaiting the
	// calendar and New is now definite.
	Definite bool
	updated  DueItem
}

// Recalculate recomputes every open due item of c with rules on cal and
// lists those whose computed date moves, old and new, with reason, and those
// that become definite: after a year's schedule is loaded, every item that
// was awaiting the calendar for that year is listed with its definite date
// (Move.Definite). It does not change c; pass the moves to [Case.ApplyMoves].
func Recalculate(c *Case, rules Recomputer, cal *deadline.Calendar, provisional bool, reason string) ([]Move, error) {
	var moves []Move
	for _, d := range c.DueItems {
		if !d.IsOpen() {
			continue
		}
		n, err := rules.Recompute(c, d, cal, provisional)
		if err != nil {
			return nil, fmt.Errorf("enforcement: recompute %s on case %s: %w", d.ID, c.ID, err)
		}
		if n.Computed == d.Computed && n.Provisional == d.Provisional && n.AwaitingCalendar == d.AwaitingCalendar {
			continue
		}
		n.Override = d.Override
		n.Status = d.Status
		moves = append(moves, Move{
			CaseID: c.ID, DueID: d.ID, Title: d.Title,
			Old: d.Computed, New: n.Computed, Reason: reason,
			Overridden: d.IsOverridden(), Definite: d.Provisional && !n.Provisional, updated: n,
		})
	}
	return moves, nil
}

// ApplyMoves applies moves computed by [Recalculate] to c: each item takes
// its new computed date and explanation; an overridden item keeps its
// override in force. Moves for other cases or unknown items are errors and
// c is unchanged.
func (c *Case) ApplyMoves(moves []Move, actor string, now time.Time) ([]Event, error) {
	work := c.Clone()
	var ids []string
	for _, m := range moves {
		i := slices.IndexFunc(work.DueItems, func(d DueItem) bool { return d.ID == m.DueID })
		if m.CaseID != c.ID || i < 0 || m.updated.ID != m.DueID {
			return nil, fmt.Errorf("enforcement: move %s on case %s: %w", m.DueID, m.CaseID, ErrNotFound)
		}
		if work.DueItems[i].Computed != m.Old {
			return nil, fmt.Errorf("enforcement: move %s: item changed since recalculation: %w", m.DueID, ErrConflict)
		}
		u := m.updated.clone()
		u.Override = work.DueItems[i].Override
		u.Status = work.DueItems[i].Status
		work.DueItems[i] = u
		ids = append(ids, m.DueID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ref := "recalc@" + now.UTC().Format(time.RFC3339Nano)
	return work.commit(c, []Event{newEvent(work, EventDueMoved, ref, now, actor, ids...)})
}

// recalculateDeductible recomputes the open items after a deduction period
// ended, and applies the moves.
func (c *Case) recalculateDeductible(env Env, now time.Time, actor string) ([]Event, error) {
	r, ok := env.Rules.(Recomputer)
	if !ok {
		return nil, nil
	}
	moves, err := Recalculate(c, r, env.Calendar, env.Settings.AllowProvisional, "中止/暂缓期间不计入办案期限")
	if err != nil {
		return nil, err
	}
	if len(moves) == 0 {
		return nil, nil
	}
	var ids []string
	for _, m := range moves {
		i := slices.IndexFunc(c.DueItems, func(d DueItem) bool { return d.ID == m.DueID })
		u := m.updated.clone()
		u.Override = c.DueItems[i].Override
		u.Status = c.DueItems[i].Status
		c.DueItems[i] = u
		ids = append(ids, m.DueID)
	}
	return []Event{newEvent(c, EventDueMoved, "resume@"+now.UTC().Format(time.RFC3339Nano), now, actor, ids...)}, nil
}
