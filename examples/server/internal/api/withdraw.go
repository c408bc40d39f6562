package api

import (
	"net/http"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// withdraw withdraws a node or a measure recorded by mistake; path value
// key names it. The answer is the case.
func (h *API) withdraw(key string) handlerFunc {
	type input struct {
		Reason string `json:"reason"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.Withdraw(r.Context(), p, r.PathValue("id"), r.PathValue(key), in.Reason)
	})
}

// Withdrawal is a node or measure withdrawn as recorded by mistake
// (enforcement.Withdrawal): Record is "node" or "measure", Kind its kind.
type Withdrawal struct {
	ID        string   `json:"id"`
	Record    string   `json:"record"`
	Kind      string   `json:"kind"`
	Reason    string   `json:"reason"`
	Actor     string   `json:"actor"`
	At        Time     `json:"at"`
	Cancelled []string `json:"cancelled"`
	Reopened  []string `json:"reopened"`
	// StatusBefore and StatusAfter are the case's state before and after,
	// when a node that changed it (中止, 暂缓, 和解, 恢复执行) was withdrawn.
	StatusBefore string `json:"status_before,omitempty"`
	StatusAfter  string `json:"status_after,omitempty"`
}

func withdrawalOut(w enforcement.Withdrawal) Withdrawal {
	v := Withdrawal{ID: w.ID(), Reason: w.Reason, Actor: w.Actor, At: timeOf(w.At), Cancelled: nonNil(w.Cancelled), Reopened: nonNil(w.Reopened),
		StatusBefore: string(w.StatusBefore), StatusAfter: string(w.StatusAfter)}
	if w.Node != nil {
		v.Record, v.Kind = "node", string(w.Node.Kind)
	}
	if w.Measure != nil {
		v.Record, v.Kind = "measure", string(w.Measure.Kind)
	}
	return v
}
