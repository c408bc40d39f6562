package api

import (
	"net/http"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// DueMove is a due date of a judge's case that a calendar change moved or
// made definite, as the judge's week page lists it.
type DueMove struct {
	CaseID  string        `json:"case_id"`
	Number  string        `json:"number"`
	JudgeID string        `json:"judge_id"`
	DueID   string        `json:"due_id"`
	Title   string        `json:"title"`
	From    deadline.Date `json:"from"`
	To      deadline.Date `json:"to"`
	// Definite: the date was provisional and is definite now.
	Definite bool `json:"definite"`
	// Provisional: the new date is still provisional.
	Provisional bool `json:"provisional"`
	CreatedAt   Time `json:"created_at"`
	// ToldAt is when the judge's digest telling of it was queued; absent
	// until then (and for a judge without a mobile number).
	ToldAt *Time `json:"told_at,omitempty"`
}

// dueMoves answers with the judge's due dates moved by calendar changes in
// the last 30 days, and those not yet told, newest first.
func (h *API) dueMoves() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) ([]DueMove, error) {
		ms, err := h.desk.JudgeMoves(r.Context(), p, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		out := make([]DueMove, len(ms))
		for i, m := range ms {
			out[i] = DueMove{CaseID: m.CaseID, Number: m.Number, JudgeID: m.JudgeID, DueID: m.DueID, Title: m.Title,
				From: m.From, To: m.To, Definite: m.Definite, Provisional: m.Provisional, CreatedAt: Time(m.CreatedAt)}
			if m.ToldAt != nil {
				t := Time(*m.ToldAt)
				out[i].ToldAt = &t
			}
		}
		return out, nil
	})
}
