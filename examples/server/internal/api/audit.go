package api

import (
	"net/http"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// decideOverride approves or rejects the pending override of a due item.
func (h *API) decideOverride(approve bool) handlerFunc {
	type input struct {
		Note string `json:"note"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		if approve {
			return h.desk.ApproveOverride(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.Note)
		}
		return h.desk.RejectOverride(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.Note)
	})
}

// overrides lists the court's pending and approved overrides (with
// ?rejected=1, rejected ones too).
func (h *API) overrides() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (any, error) {
		rows, err := h.desk.Overrides(r.Context(), p, r.URL.Query().Get("rejected") == "1")
		if err != nil {
			return nil, err
		}
		return map[string]any{"overrides": rows}, nil
	})
}

// audit answers a page of the audit log.
func (h *API) audit() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (any, error) {
		q, err := desk.ParseAuditQuery(r.URL.Query())
		if err != nil {
			return nil, err
		}
		return h.desk.AuditLog(r.Context(), p, q)
	})
}

// auditCSV exports the audit log as CSV (UTF-8 with a byte-order mark).
func (h *API) auditCSV(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	q, err := desk.ParseAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-log.csv"`)
	return h.desk.WriteAuditCSV(r.Context(), p, q, w)
}
