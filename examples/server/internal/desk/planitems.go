package desk

import (
	"context"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/planning"
)

// ActionPlanItemRemoved is the audit action of a plan item removed; the
// entry's Before holds the plan with the item, its After the plan without
// it (and, once submitted, the removal in its History).
const ActionPlanItemRemoved = "plan_item_removed"

// Half-days a plan item can move to.
const (
	HalfMorning   = "am" // 上午, from 09:00 to 12:00
	HalfAfternoon = "pm" // 下午, from 14:00 to 17:30
)

// halfHours are the working hours of each half-day, start and end, as
// [hour, minute] pairs.
var halfHours = map[string][2][2]int{
	HalfMorning:   {{9, 0}, {12, 0}},
	HalfAfternoon: {{14, 0}, {17, 30}},
}

// ItemMove says where a plan item moves: to Day, a day of the plan's week,
// in the half-day Half ("am", "pm") or at the clock time Start ("15:04"),
// which wins over Half. With neither, a timed item keeps its time of day
// and an all-day item stays all-day. An all-day item moved to a half-day
// or a time becomes timed: the half-day's hours, or an hour from Start.
type ItemMove struct {
	Day   deadline.Date
	Half  string
	Start string
}

// check reports every problem with m for week w.
func (m ItemMove) check(w planning.Week) error {
	var ie InputError
	switch {
	case m.Day.IsZero():
		ie.Add("day", "required", "请选择日期")
	case !w.Contains(m.Day):
		ie.Add("day", "other_week", "只能改到本周内的日期；跨周请在新的一周另行添加")
	}
	if _, ok := halfHours[m.Half]; m.Half != "" && !ok {
		ie.Add("half", "unknown_value", "请选择上午或下午")
	}
	if s := strings.TrimSpace(m.Start); s != "" {
		if _, err := time.Parse("15:04", s); err != nil {
			ie.Add("start", "invalid", "时间格式有误，如 09:00")
		}
	}
	return ie.Err()
}

// at returns the instant of clock hour:minute on day d, China time.
func at(d deadline.Date, hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, deadline.China)
}

// MovePlanItem moves item id of the judge's own plan for week w as m says.
// The move of a submitted plan is kept in its History.
func (d *Desk) MovePlanItem(ctx context.Context, p *Principal, judge string, w planning.Week, id string, m ItemMove) (*planning.Plan, error) {
	if err := m.check(w); err != nil {
		return nil, err
	}
	return d.ChangePlan(ctx, p, judge, w, func(pl *planning.Plan, ch planning.Change) error {
		it, ok := pl.Item(id)
		if !ok {
			return NotFound("plan item", id)
		}
		var start, end time.Time // the new start; end only for an all-day item made timed
		if s := strings.TrimSpace(m.Start); s != "" {
			t, _ := time.Parse("15:04", s) // checked above
			start = at(m.Day, t.Hour(), t.Minute())
			end = start.Add(time.Hour)
		} else if h, ok := halfHours[m.Half]; ok {
			start, end = at(m.Day, h[0][0], h[0][1]), at(m.Day, h[1][0], h[1][1])
		}
		switch {
		case start.IsZero() && it.IsAllDay():
			return pl.MoveItem(id, m.Day.Start(), ch)
		case start.IsZero():
			c := it.Start.In(deadline.China)
			return pl.MoveItem(id, at(m.Day, c.Hour(), c.Minute()), ch)
		case it.IsAllDay():
			it.Day, it.Start, it.End = deadline.Date{}, start, end
			return pl.UpdateItem(it, ch)
		default:
			return pl.MoveItem(id, start, ch)
		}
	})
}

// SetPlanItemDone marks item id of the judge's own plan for week w done,
// or, with done false, undoes that. Marking it as it already is changes
// nothing.
func (d *Desk) SetPlanItemDone(ctx context.Context, p *Principal, judge string, w planning.Week, id string, done bool) (*planning.Plan, error) {
	return d.ChangePlan(ctx, p, judge, w, func(pl *planning.Plan, ch planning.Change) error {
		it, ok := pl.Item(id)
		if !ok {
			return NotFound("plan item", id)
		}
		if it.Done == done {
			return errUnchanged
		}
		it.Done = done
		return pl.UpdateItem(it, ch)
	})
}

// RemovePlanItem removes item id from the judge's own plan for week w. A
// submitted plan keeps the removed item in its History; either way the
// removal is on the audit record as ActionPlanItemRemoved.
func (d *Desk) RemovePlanItem(ctx context.Context, p *Principal, judge string, w planning.Week, id string) (*planning.Plan, error) {
	return d.changePlan(ctx, p, judge, w, ActionPlanItemRemoved, id, func(pl *planning.Plan, ch planning.Change) error {
		if _, ok := pl.Item(id); !ok {
			return NotFound("plan item", id)
		}
		return pl.RemoveItem(id, ch)
	})
}
