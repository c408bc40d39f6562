package pages

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"

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
		return pg.renderMyCase(w, r, p, row.Status, errors.Is(err, desk.ErrOTPRateLimited), row.Message, newPartyForms())
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
		forms := newPartyForms()
		if code := r.PostFormValue("code"); len(code) <= 64 {
			forms.Code = code
		}
		return pg.renderMyCase(w, r, p, row.Status, !errors.Is(err, desk.ErrOTPExpired), msg, forms)
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

// ----- the party's own actions: requests, SMS opt-out, opinion -----

// partyForms are the forms of the party's page as typed.
type partyForms struct {
	Request, SMS, Opinion typedForm
	// OpinionID is the solicitation the opinion form answered.
	OpinionID string
	// Code is the one-time code as typed, when it was refused.
	Code string
}

func newPartyForms() partyForms {
	empty := func() typedForm { return typedForm{Values: map[string]string{}, Errors: map[string]string{}} }
	return partyForms{Request: empty(), SMS: empty(), Opinion: empty()}
}

// requestClock is a party's request with its working-day clock today.
type requestClock struct {
	enforcement.Request
	ReceivedOn deadline.Date
	// DaysLeft counts the working days to ResolveBy (negative when
	// overdue), while unanswered; Overdue is set past ResolveBy.
	DaysLeft int
	Overdue  bool
	// Counted is set when DaysLeft could be counted: ResolveBy lies
	// inside the calendar's coverage.
	Counted bool
}

// requestClocks lists party p's own requests of c, the newest first.
func (pg *pages) requestClocks(p *desk.Principal, c *enforcement.Case) []requestClock {
	today := pg.desk.Today()
	var out []requestClock
	for _, rq := range c.Requests {
		if p.PartyID == "" || rq.PartyID != p.PartyID {
			continue
		}
		rc := requestClock{Request: rq, ReceivedOn: deadline.DateOf(rq.ReceivedAt)}
		if !rq.IsAnswered() {
			rc.Overdue = today.After(rq.ResolveBy)
			n, err := pg.desk.Calendar().WorkdaysBetween(today, rq.ResolveBy)
			rc.DaysLeft, rc.Counted = n, err == nil
		}
		out = append(out, rc)
	}
	slices.Reverse(out)
	return out
}

// refuseParty puts err on form f of the party's page: field errors at
// their fields, a missing one-time code as a note at the form. It reports
// false when err is for the error page.
func refuseParty(f *typedForm, err error, alias map[string]string) bool {
	if errors.Is(err, desk.ErrOTPRequired) {
		f.Other = append(f.Other, "请先完成上方的短信验证，再提交。")
		return true
	}
	return f.refuse(err, alias)
}

// partyRequest sends the party's request (诉求) to the judge.
func (pg *pages) partyRequest(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleParty); err != nil {
		return err
	}
	forms := newPartyForms()
	forms.Request = formOf(r, "text")
	text := strings.TrimSpace(forms.Request.Value("text"))
	var err error
	if text == "" {
		err = desk.BadField("text", "required", "请填写诉求内容")
	} else {
		_, err = pg.desk.ReceiveRequest(r.Context(), p, p.CaseID, enforcement.Request{Text: text})
	}
	if err != nil {
		if !refuseParty(&forms.Request, err, nil) {
			return err
		}
		return pg.renderMyCase(w, r, p, respond.Lookup(err).Status, false, "", forms)
	}
	return back(w, r, "/my-case#req", "requested")
}

// partySMS opts the party out of the court's text messages or back in.
func (pg *pages) partySMS(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleParty); err != nil {
		return err
	}
	forms := newPartyForms()
	// The choice is the button pressed, not typed: a problem with it is
	// shown above the form.
	forms.SMS = formOf(r)
	var out bool
	var err error
	switch r.PostFormValue("opt_out") {
	case "1":
		out = true
	case "0":
	default:
		err = desk.BadField("opt_out", "required", "请选择退订或恢复短信通知")
	}
	if err == nil {
		_, err = pg.desk.UpdateParty(r.Context(), p, p.CaseID, p.PartyID, enforcement.PartyUpdate{OptOut: &out})
	}
	if err != nil {
		if !refuseParty(&forms.SMS, err, nil) {
			return err
		}
		return pg.renderMyCase(w, r, p, respond.Lookup(err).Status, false, "", forms)
	}
	flash := "sms_on"
	if out {
		flash = "sms_off"
	}
	return back(w, r, "/my-case#sms", flash)
}

// partyOpinion records the signed-in applicant's opinion; a refused one
// comes back on their page with the choice and text kept.
func (pg *pages) partyOpinion(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	forms := newPartyForms()
	forms.Opinion = formOf(r, "choice", "text")
	forms.OpinionID = r.PathValue("sid")
	var ie desk.InputError
	choice := enforcement.OpinionChoice(forms.Opinion.Value("choice"))
	if !choice.IsKnown() {
		ie.Add("choice", "required", "请选择您的意见")
	}
	text := strings.TrimSpace(forms.Opinion.Value("text"))
	if choice == enforcement.OpinionOther && text == "" {
		ie.Add("text", "required", "选择“其他意见”时请填写具体内容")
	}
	if len([]rune(text)) > 1000 {
		ie.Add("text", "too_long", "意见内容不超过1000字")
	}
	err := ie.Err()
	if err == nil {
		_, err = pg.desk.RecordOpinion(r.Context(), p, r.PathValue("id"), r.PathValue("sid"), enforcement.Opinion{Choice: choice, Text: text})
	}
	if err != nil {
		if !refuseParty(&forms.Opinion, err, nil) {
			return err
		}
		return pg.renderMyCase(w, r, p, respond.Lookup(err).Status, false, "", forms)
	}
	return back(w, r, "/my-case", "opinion")
}
