package desk

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Supervision orders (督办): the chief issues one on a case with a reply-by
// date counted in working days; the handling judge answers it; both see
// the orders with their answers and whether they are overdue.

// Bounds of a supervision order's reply period, in working days.
const (
	MinOrderWorkdays     = 1
	MaxOrderWorkdays     = 30
	DefaultOrderWorkdays = 5
)

// OrderState selects supervision orders by their state.
type OrderState string

// Order states a list may be narrowed to ("" lists every order).
const (
	OrderOpen     OrderState = "open"     // not answered yet
	OrderOverdue  OrderState = "overdue"  // not answered, reply-by date passed
	OrderAnswered OrderState = "answered" // answered
)

// IsKnown reports whether s is "" or one of the order states.
func (s OrderState) IsKnown() bool {
	return s == "" || s == OrderOpen || s == OrderOverdue || s == OrderAnswered
}

// OrderView is a supervision order with its case, and its state today.
type OrderView struct {
	CaseID     string
	CaseNumber string
	JudgeID    string
	enforcement.SupervisionOrder
	// Overdue: not answered and the reply-by date has passed.
	// AnsweredLate: answered after the reply-by date.
	Overdue, AnsweredLate bool
	// DaysLeft is the number of working days from today to the reply-by
	// date (negative when overdue), while the order is unanswered.
	DaysLeft int
}

// OrderReplyBy returns the reply-by date of an order issued today with n
// working days to answer: n working days after today on the court's
// calendar.
func (d *Desk) OrderReplyBy(n int) (deadline.Date, error) {
	if n < MinOrderWorkdays || n > MaxOrderWorkdays {
		return deadline.Date{}, BadField("workdays", "out_of_range",
			"答复期限须为"+strconv.Itoa(MinOrderWorkdays)+"至"+strconv.Itoa(MaxOrderWorkdays)+"个工作日："+strconv.Itoa(n))
	}
	due, err := d.Calendar().AddWorkdays(d.Today(), n)
	if err != nil {
		return deadline.Date{}, BadField("workdays", "beyond_calendar", "答复期限超出已公布的工作日历，请缩短天数")
	}
	return due, nil
}

// ParseOrderWorkdays reads the number of working days typed in a form or a
// query ("" is the default).
func ParseOrderWorkdays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultOrderWorkdays, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, BadField("workdays", "invalid_number", "答复期限须填写工作日天数（整数）："+s)
	}
	return n, nil
}

// SupervisionOrders lists the supervision orders p may see: every order of
// the court for the chief, the orders on their own cases for a judge.
// Unanswered orders come first, the earliest reply-by date first; then the
// answered ones, the latest answer first.
func (d *Desk) SupervisionOrders(ctx context.Context, p *Principal, state OrderState) ([]OrderView, error) {
	if err := Need(p, RoleChief, RoleJudge); err != nil {
		return nil, err
	}
	if !state.IsKnown() {
		return nil, BadField("state", "unknown_value", "督办状态的取值无法识别："+string(state))
	}
	f := enforcement.CaseFilter{Court: d.CourtFor(p), HasOrders: true}
	if p.Role == RoleJudge {
		f.JudgeID = p.UserID
	}
	cs, err := d.Store.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []OrderView
	for _, c := range cs {
		for _, o := range c.Orders {
			v := d.orderView(c, o)
			if keepOrder(v, state) {
				out = append(out, v)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b OrderView) int {
		if a.IsAnswered() != b.IsAnswered() {
			if a.IsAnswered() {
				return 1
			}
			return -1
		}
		if !a.IsAnswered() {
			if c := a.Due.Compare(b.Due); c != 0 {
				return c
			}
			return a.IssuedAt.Compare(b.IssuedAt)
		}
		return b.RespondedAt.Compare(a.RespondedAt)
	})
	return out, nil
}

func keepOrder(v OrderView, state OrderState) bool {
	switch state {
	case OrderOpen:
		return !v.IsAnswered()
	case OrderOverdue:
		return v.Overdue
	case OrderAnswered:
		return v.IsAnswered()
	}
	return true
}

// SupervisionOrder returns order oid of case id with its case, if p may see
// the case.
func (d *Desk) SupervisionOrder(ctx context.Context, p *Principal, id, oid string) (*enforcement.Case, OrderView, error) {
	if err := Need(p, RoleChief, RoleJudge); err != nil {
		return nil, OrderView{}, err
	}
	c, err := d.Get(ctx, p, id)
	if err != nil {
		return nil, OrderView{}, err
	}
	for _, o := range c.Orders {
		if o.ID == oid {
			return c, d.orderView(c, o), nil
		}
	}
	return nil, OrderView{}, NotFound("supervision order", oid)
}

func (d *Desk) orderView(c *enforcement.Case, o enforcement.SupervisionOrder) OrderView {
	today := d.Today()
	v := OrderView{CaseID: c.ID, CaseNumber: c.Number.String(), JudgeID: c.JudgeID, SupervisionOrder: o}
	if o.IsAnswered() {
		v.AnsweredLate = deadline.DateOf(o.RespondedAt).After(o.Due)
		return v
	}
	v.Overdue = today.After(o.Due)
	// Outside the calendar's coverage the count is unknown and left 0.
	v.DaysLeft, _ = d.Calendar().WorkdaysBetween(today, o.Due)
	return v
}
