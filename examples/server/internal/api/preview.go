package api

import (
	"net/http"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// nodeIn is a procedural node to record.
type nodeIn struct {
	Kind   enforcement.NodeKind `json:"kind"`
	Date   deadline.Date        `json:"date"`
	Note   string               `json:"note"`
	Urgent bool                 `json:"urgent"`
}

func (in nodeIn) node() enforcement.Node {
	return enforcement.Node{Kind: in.Kind, Date: in.Date, Note: in.Note, Urgent: in.Urgent}
}

// previewCase shows what filing a case would do (its due items and filing
// notices) without filing it; the same input then goes to POST /cases.
func (h *API) previewCase() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in caseIn) (desk.Preview, error) {
		if err := desk.Need(p, desk.RoleJudge, desk.RoleChief); err != nil {
			return desk.Preview{}, err
		}
		c, err := in.toCase()
		if err != nil {
			return desk.Preview{}, err
		}
		return h.desk.PreviewCase(r.Context(), p, c)
	})
}

// previewNode shows what recording a node would do.
func (h *API) previewNode() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in nodeIn) (desk.Preview, error) {
		return h.desk.PreviewNode(r.Context(), p, r.PathValue("id"), in.node())
	})
}

// previewMeasure shows what recording a measure would do.
func (h *API) previewMeasure() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in measureIn) (desk.Preview, error) {
		if in.Outcome == "" {
			in.Outcome = enforcement.OutcomePending
		}
		return h.desk.PreviewMeasure(r.Context(), p, r.PathValue("id"), in.measure(), desk.Confirm{OverApplied: in.ConfirmOverApplied})
	})
}
