package api

import (
	"net/http"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// planItemAnswer is handle for a change to one item of a judge's weekly
// plan through the desk method fn; the answer is the plan after it.
func planItemAnswer[In any](fn func(r *http.Request, p *desk.Principal, judge string, wk planning.Week, item string, in In) (*planning.Plan, error)) handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in In) (Plan, error) {
		wk, err := desk.ParseWeek(r.PathValue("week"))
		if err != nil {
			return Plan{}, err
		}
		pl, err := fn(r, p, r.PathValue("judge"), wk, r.PathValue("item"), in)
		if err != nil {
			return Plan{}, err
		}
		return planOut(pl), nil
	})
}

type itemMoveIn struct {
	Day   deadline.Date `json:"day"`
	Half  string        `json:"half"`
	Start string        `json:"start"`
}

func (h *API) movePlanItem() handlerFunc {
	return planItemAnswer(func(r *http.Request, p *desk.Principal, judge string, wk planning.Week, item string, in itemMoveIn) (*planning.Plan, error) {
		return h.desk.MovePlanItem(r.Context(), p, judge, wk, item, desk.ItemMove{Day: in.Day, Half: in.Half, Start: in.Start})
	})
}

type itemDoneIn struct {
	// Done is the item's new state: true marks it done, false undoes that.
	Done *bool `json:"done"`
}

func (h *API) donePlanItem() handlerFunc {
	return planItemAnswer(func(r *http.Request, p *desk.Principal, judge string, wk planning.Week, item string, in itemDoneIn) (*planning.Plan, error) {
		if in.Done == nil {
			return nil, desk.BadField("done", "required", "请说明是标记完成（true）还是撤销完成（false）")
		}
		return h.desk.SetPlanItemDone(r.Context(), p, judge, wk, item, *in.Done)
	})
}

func (h *API) removePlanItem() handlerFunc {
	return planItemAnswer(func(r *http.Request, p *desk.Principal, judge string, wk planning.Week, item string, _ struct{}) (*planning.Plan, error) {
		return h.desk.RemovePlanItem(r.Context(), p, judge, wk, item)
	})
}
