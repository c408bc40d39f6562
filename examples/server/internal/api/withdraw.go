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
