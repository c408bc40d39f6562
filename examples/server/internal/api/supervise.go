package api

import (
	"net/http"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// OrderRow is a supervision order (督办) in the list of orders, with its
// case and its state today.
type OrderRow struct {
	CaseID     string `json:"case_id"`
	CaseNumber string `json:"case_number"`
	JudgeID    string `json:"judge_id"`
	Order      Order  `json:"order"`
	Answered   bool   `json:"answered"`
	// Overdue: not answered and past its reply-by date; AnsweredLate:
	// answered after it.
	Overdue      bool `json:"overdue"`
	AnsweredLate bool `json:"answered_late"`
	// DaysLeft counts the working days to the reply-by date (negative
	// when overdue); 0 once answered.
	DaysLeft int `json:"days_left"`
}

func orderOut(o enforcement.SupervisionOrder) Order {
	return Order{ID: o.ID, IssuedBy: o.IssuedBy, IssuedAt: timeOf(o.IssuedAt), Text: o.Text, Due: o.Due,
		Response: o.Response, RespondedBy: o.RespondedBy, RespondedAt: timeOf(o.RespondedAt)}
}

// orders lists the supervision orders the caller may see: the chief every
// order of the court, a judge those on their cases.
func (h *API) orders() handlerFunc {
	type out struct {
		Orders []OrderRow `json:"orders"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		os, err := h.desk.SupervisionOrders(r.Context(), p, desk.OrderState(r.URL.Query().Get("state")))
		if err != nil {
			return out{}, err
		}
		v := out{Orders: []OrderRow{}}
		for _, o := range os {
			v.Orders = append(v.Orders, OrderRow{CaseID: o.CaseID, CaseNumber: o.CaseNumber, JudgeID: o.JudgeID, Order: orderOut(o.SupervisionOrder),
				Answered: o.IsAnswered(), Overdue: o.Overdue, AnsweredLate: o.AnsweredLate, DaysLeft: o.DaysLeft})
		}
		return v, nil
	})
}
