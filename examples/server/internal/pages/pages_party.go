package pages

import (
	"errors"
	"net/http"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// requestOTP sends the signed-in party a one-time code and shows the code
// entry.
func (pg *pages) requestOTP(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if _, err := pg.desk.RequestOTP(r.Context(), p); err != nil {
		if p == nil || p.PartyID == "" || !isOTPError(err) {
			return err
		}
		row := respond.Lookup(err)
		return pg.renderMyCase(w, r, p, row.Status, errors.Is(err, desk.ErrOTPRateLimited), row.Message)
	}
	return back(w, r, "/my-case#otp", "otp_sent")
}

// verifyOTP confirms a one-time code: the session may then act for its
// party for desk.ActingTTL.
func (pg *pages) verifyOTP(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	until, err := pg.desk.VerifyOTP(r.Context(), p, r.PostFormValue("code"))
	if err != nil {
		if p == nil || p.PartyID == "" || !isOTPError(err) {
			return err
		}
		row := respond.Lookup(err)
		msg := row.Message
		if fs := respond.Fields(err); len(fs) > 0 {
			msg = fs[0].MessageZh
		}
		return pg.renderMyCase(w, r, p, row.Status, !errors.Is(err, desk.ErrOTPExpired), msg)
	}
	if err := pg.auth.SetActing(r.Context(), p, until); err != nil {
		return err
	}
	return back(w, r, "/my-case", "verified")
}

// isOTPError reports whether err is a refusal the code form explains.
func isOTPError(err error) bool {
	return errors.Is(err, desk.ErrOTPInvalid) || errors.Is(err, desk.ErrOTPExpired) ||
		errors.Is(err, desk.ErrOTPRateLimited) || errors.Is(err, desk.ErrBadInput)
}

// resetQueryCode gives a party of the case a new query code; the handling
// judge only.
func (pg *pages) resetQueryCode(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	id := r.PathValue("id")
	if _, err := pg.desk.ResetQueryCode(r.Context(), p, id, r.PathValue("pid")); err != nil {
		return err
	}
	return back(w, r, "/cases/"+id+"#qc-h", "reset")
}
