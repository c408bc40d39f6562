package api

import (
	"net/http"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// otpVerified is the answer to a confirmed one-time code.
type otpVerified struct {
	ActingUntil Time `json:"acting_until"`
}

// otpSent is the answer to a request for a one-time code.
type otpSent struct {
	Mobile      string `json:"mobile"` // masked: 138****5678
	ExpiresAt   Time   `json:"expires_at"`
	ResendAfter Time   `json:"resend_after"`
}

// queryCodeReset is the answer to a reset of a party's query code: the
// new code is not shown, it goes to the party in a notice.
type queryCodeReset struct {
	PartyID        string `json:"party_id"`
	CodeGeneration int    `json:"code_generation"`
	NoticeQueued   bool   `json:"notice_queued"`
}

// requestOTP sends the signed-in party a one-time code.
func (h *API) requestOTP() handlerFunc {
	return handle(http.StatusAccepted, func(r *http.Request, p *desk.Principal, _ struct{}) (otpSent, error) {
		s, err := h.desk.RequestOTP(r.Context(), p)
		if err != nil {
			return otpSent{}, err
		}
		return otpSent{Mobile: s.Mobile, ExpiresAt: timeOf(s.ExpiresAt), ResendAfter: timeOf(s.ResendAfter)}, nil
	})
}

// verifyOTP confirms a one-time code, letting the session act for its
// party for desk.ActingTTL.
func (h *API) verifyOTP() handlerFunc {
	type input struct {
		Code string `json:"code"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in input) (otpVerified, error) {
		until, err := h.desk.VerifyOTP(r.Context(), p, in.Code)
		if err != nil {
			return otpVerified{}, err
		}
		if err := h.auth.SetActing(r.Context(), p, until); err != nil {
			return otpVerified{}, err
		}
		return otpVerified{ActingUntil: timeOf(until)}, nil
	})
}

// resetQueryCode gives a party a new query code; the handling judge only.
func (h *API) resetQueryCode() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (queryCodeReset, error) {
		pid := r.PathValue("pid")
		c, err := h.desk.ResetQueryCode(r.Context(), p, r.PathValue("id"), pid)
		if err != nil {
			return queryCodeReset{}, err
		}
		pt, _ := c.Party(pid)
		return queryCodeReset{PartyID: pid, CodeGeneration: pt.CodeGeneration, NoticeQueued: pt.CanReceiveSMS() && pt.Role != enforcement.RoleInterested}, nil
	})
}
