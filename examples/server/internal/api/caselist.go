package api

import (
	"net/http"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// listCases is the case list (我的案件): the page of cases the query asks
// for, by next due date, each as a summary row and in full.
func (h *API) listCases() handlerFunc {
	type out struct {
		Cases   []any          `json:"cases"`
		Rows    []desk.CaseRow `json:"rows"`
		Total   int            `json:"total"`
		Page    int            `json:"page"`
		Pages   int            `json:"pages"`
		PerPage int            `json:"per_page"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		q, err := desk.ParseCaseListQuery(r.URL.Query())
		if err != nil {
			return out{}, err
		}
		l, err := h.desk.CaseList(r.Context(), p, q)
		if err != nil {
			return out{}, err
		}
		v := out{Cases: make([]any, 0, len(l.Cases)), Rows: l.Rows, Total: l.Total, Page: l.Page, Pages: l.Pages, PerPage: l.PerPage}
		for _, c := range l.Cases {
			v.Cases = append(v.Cases, caseView(p, c))
		}
		return v, nil
	})
}
