package api

import (
	"net/http"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// ----- holiday notices and closure days -----

// previewNotice reads a State Council holiday notice and answers with its
// days and the due items that loading it would move; nothing changes.
func (h *API) previewNotice() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in desk.NoticeIn) (desk.NoticePreview, error) {
		return h.desk.PreviewNotice(r.Context(), p, in)
	})
}

// loadNotice loads the year of a holiday notice and answers with the moves
// applied.
func (h *API) loadNotice() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in desk.NoticeIn) (desk.CalendarChange, error) {
		return h.desk.LoadNotice(r.Context(), p, in)
	})
}

// listClosures answers with the court's closure days.
func (h *API) listClosures() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) ([]desk.ClosureIn, error) {
		if err := desk.Need(p, desk.RoleChief, desk.RoleJudge); err != nil {
			return nil, err
		}
		out := h.desk.Closures()
		if out == nil {
			out = []desk.ClosureIn{}
		}
		return out, nil
	})
}

// removeClosure reopens a closure day and answers with the moves applied.
func (h *API) removeClosure() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (desk.CalendarChange, error) {
		if err := desk.Need(p, desk.RoleChief); err != nil {
			return desk.CalendarChange{}, err
		}
		d, err := deadline.ParseDate(r.PathValue("date"))
		if err != nil {
			return desk.CalendarChange{}, desk.BadField("date", "invalid_date", "日期无效，格式为 YYYY-MM-DD")
		}
		return h.desk.RemoveClosure(r.Context(), p, d)
	})
}
