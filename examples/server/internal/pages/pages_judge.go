package pages

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// judgeForms are the handling judge's forms on the case page: record a
// node or a measure (with the preview of what it causes), correct a
// measure's result, override a due date, solicit the applicant's opinion,
// close the case, and the messages held for confirmation. A form posted
// with a problem comes back with the problems at its fields and the
// values as typed.
type judgeForms struct {
	// Open names the form posted ("node", "measure", "result:<id>",
	// "override:<id>", "solicit"), shown open.
	Open    string
	Form    form
	Preview *desk.Preview
	// Moved lists the due items the last correction moved (from the
	// redirect's moved=… IDs, looked up on the case).
	Moved []enforcement.DueItem

	Nodes      []enforcement.NodeInfo
	Measures   []option
	Properties []option
	Outcomes   []option
	Modes      []option
	Applicants []enforcement.Party
	Held       []heldMessage
	Today      deadline.Date
}

type option struct{ Code, Name string }

// Is reports whether form name is the one posted.
func (j *judgeForms) Is(name string) bool { return j.Open == name }

// F returns the posted form's state when name is the one posted, else an
// empty form.
func (j *judgeForms) F(name string) form {
	if j.Open == name {
		return j.Form
	}
	return form{Values: url.Values{}, Errors: map[string][]string{}}
}

var measureKinds = []enforcement.MeasureKind{enforcement.MeasureSeal, enforcement.MeasureDetain, enforcement.MeasureFreeze, enforcement.MeasureDeduct,
	enforcement.MeasureAuction, enforcement.MeasureSale, enforcement.MeasureInKind, enforcement.MeasureConsumptionLimit, enforcement.MeasureExitBan,
	enforcement.MeasureDishonestList, enforcement.MeasureDetention, enforcement.MeasureFine, enforcement.MeasureSearch}

var propertyKinds = []enforcement.PropertyKind{enforcement.PropertyDeposit, enforcement.PropertyImmovable, enforcement.PropertyVehicle,
	enforcement.PropertyMovable, enforcement.PropertyOtherRight, enforcement.PropertyNone}

var outcomes = []enforcement.Outcome{enforcement.OutcomePending, enforcement.OutcomeDone, enforcement.OutcomePartial, enforcement.OutcomeFailed}

var closureModes = []enforcement.ClosureMode{enforcement.ClosureCompleted, enforcement.ClosureZhongBen, enforcement.ClosureTerminated,
	enforcement.ClosureNotEnforced, enforcement.ClosureRejected, enforcement.ClosureCancelled}

// judgeFormsFor fills the options of the forms of case c; jf is the state
// of a posted form, if any.
func (pg *pages) judgeFormsFor(r *http.Request, c *enforcement.Case, msgs []notify.Message, jf *judgeForms) *judgeForms {
	if jf == nil {
		jf = &judgeForms{}
	}
	jf.Today = pg.desk.Today()
	for _, n := range enforcement.Nodes() {
		switch n.Kind {
		case enforcement.NodeApplication, enforcement.NodeFiling, enforcement.NodeClosure:
			continue // recorded by filing and closing
		}
		jf.Nodes = append(jf.Nodes, n)
	}
	for _, k := range measureKinds {
		jf.Measures = append(jf.Measures, option{string(k), k.Chinese()})
	}
	for _, k := range propertyKinds {
		jf.Properties = append(jf.Properties, option{string(k), k.Chinese()})
	}
	for _, o := range outcomes {
		jf.Outcomes = append(jf.Outcomes, option{string(o), o.Chinese()})
	}
	for _, m := range closureModes {
		jf.Modes = append(jf.Modes, option{string(m), m.Chinese()})
	}
	jf.Applicants = c.Applicants()
	var held []notify.Message
	for _, m := range msgs {
		if m.State == notify.StateHeld {
			held = append(held, m)
		}
	}
	var wv weekView
	wv.addHeld(held, []*enforcement.Case{c})
	jf.Held = wv.Held
	for _, id := range strings.Split(r.URL.Query().Get("moved"), ",") {
		if d, ok := c.Due(id); ok {
			jf.Moved = append(jf.Moved, d)
		}
	}
	return jf
}

// posted handles a judge's form on case id: on success it redirects to
// the case with flash (and the moved due items); otherwise it renders the
// case with the form's problems, or with the preview when preview is set.
func (pg *pages) posted(w http.ResponseWriter, r *http.Request, p *desk.Principal, name, flash string, preview *desk.Preview, moved []string, err error) error {
	id := r.PathValue("id")
	if err == nil && preview == nil {
		to := "/cases/" + url.PathEscape(id) + "?ok=" + flash
		if len(moved) > 0 {
			to += "&moved=" + url.QueryEscape(strings.Join(moved, ","))
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	values := r.PostForm
	values.Del("csrf_token")
	f, err := newForm(values, err)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if f.Bad() {
		status, preview = http.StatusBadRequest, nil
	}
	return pg.renderCase(w, r, p, status, id, closeForm{Mode: enforcement.ClosureZhongBen}, &judgeForms{Open: name, Form: f, Preview: preview})
}

// formDate reads date field name; blank is the zero date unless required.
func formDate(r *http.Request, ie *desk.InputError, name, label string, required bool) deadline.Date {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		if required {
			ie.Add(name, "required", "请填写"+label)
		}
		return deadline.Date{}
	}
	d, err := deadline.ParseDate(s)
	if err != nil {
		ie.Add(name, "invalid_date", label+"应为日期，如 2026-12-01："+s)
	}
	return d
}

// formAmount reads amount field name in yuan; blank is zero.
func formAmount(r *http.Request, ie *desk.InputError, name, label string) (decimal.Decimal, bool) {
	s := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue(name)), ",", "")
	if s == "" {
		return decimal.Zero, false
	}
	a, err := decimal.NewFromString(s)
	if err != nil || !amountText.MatchString(s) {
		ie.Add(name, "invalid_amount", label+"应为金额，如 12000.00："+s)
	}
	return a, true
}

// recordNode records a node (step "record") or previews it, as POST
// /api/v1/cases/{id}/nodes and …/nodes/preview do.
func (pg *pages) recordNode(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	var ie desk.InputError
	n := enforcement.Node{Kind: enforcement.NodeKind(r.PostFormValue("kind")), Note: strings.TrimSpace(r.PostFormValue("note")), Urgent: r.PostFormValue("urgent") == "1"}
	if !n.Kind.IsKnown() {
		ie.Add("kind", "required", "请选择节点")
	}
	n.Date = formDate(r, &ie, "date", "日期", true)
	err := ie.Err()
	if err == nil {
		if r.PostFormValue("step") == "record" {
			_, err = pg.desk.RecordNode(r.Context(), p, r.PathValue("id"), n)
			return pg.posted(w, r, p, "node", "node", nil, nil, err)
		}
		var pv desk.Preview
		if pv, err = pg.desk.PreviewNode(r.Context(), p, r.PathValue("id"), n); err == nil {
			return pg.posted(w, r, p, "node", "", &pv, nil, nil)
		}
	}
	return pg.posted(w, r, p, "node", "", nil, nil, err)
}

// recordMeasure records a measure (step "record") or previews it, as POST
// /api/v1/cases/{id}/measures and …/measures/preview do.
func (pg *pages) recordMeasure(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	var ie desk.InputError
	m := enforcement.Measure{Node: enforcement.NodeKind(r.PostFormValue("node")), Kind: enforcement.MeasureKind(r.PostFormValue("kind")),
		Property: enforcement.PropertyKind(r.PostFormValue("property")), Target: strings.TrimSpace(r.PostFormValue("target")),
		Outcome: enforcement.Outcome(r.PostFormValue("outcome")), Result: strings.TrimSpace(r.PostFormValue("result"))}
	if !m.Node.IsKnown() {
		ie.Add("node", "required", "请选择措施所属的节点")
	}
	if !m.Kind.IsKnown() {
		ie.Add("kind", "required", "请选择措施")
	}
	if m.Outcome == "" {
		m.Outcome = enforcement.OutcomePending
	}
	m.Amount, _ = formAmount(r, &ie, "amount", "金额")
	m.TakenOn = formDate(r, &ie, "taken_on", "采取措施日期", true)
	m.EffectiveOn = formDate(r, &ie, "effective_on", "生效日期", false)
	m.ExpiresOn = formDate(r, &ie, "expires_on", "届满日期", false)
	err := ie.Err()
	ok := desk.Confirm{OverApplied: r.PostFormValue("confirm_over_applied") == "1"}
	if err == nil {
		if r.PostFormValue("step") == "record" {
			_, err = pg.desk.RecordMeasureConfirmed(r.Context(), p, r.PathValue("id"), m, ok)
			return pg.posted(w, r, p, "measure", "measure", nil, nil, err)
		}
		var pv desk.Preview
		if pv, err = pg.desk.PreviewMeasure(r.Context(), p, r.PathValue("id"), m, ok); err == nil {
			return pg.posted(w, r, p, "measure", "", &pv, nil, nil)
		}
	}
	return pg.posted(w, r, p, "measure", "", nil, nil, err)
}

// measureResult corrects or completes a recorded measure's result (the
// outcome, amount, and the effective and end dates the bank or registry
// reported), as POST /api/v1/cases/{id}/measures/{mid}/result does; the
// change is in the audit log with its before and after, and the due items
// it moved are listed on the case page.
func (pg *pages) measureResult(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	id, mid := r.PathValue("id"), r.PathValue("mid")
	name := "result:" + mid
	before, err := pg.desk.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	m, found := before.Measure(mid)
	if !found {
		return desk.NotFound("measure", mid)
	}
	var ie desk.InputError
	var u enforcement.MeasureUpdate
	if o := enforcement.Outcome(r.PostFormValue("outcome")); o != m.Outcome {
		if !o.IsKnown() {
			ie.Add("outcome", "required", "请选择结果")
		}
		u.Outcome = &o
	}
	if s := strings.TrimSpace(r.PostFormValue("result")); s != m.Result {
		u.Result = &s
	}
	if a, given := formAmount(r, &ie, "amount", "金额"); given && !a.Equal(m.Amount) {
		u.Amount = &a
	}
	if d := formDate(r, &ie, "effective_on", "生效日期", false); d != m.EffectiveOn && !d.IsZero() {
		u.EffectiveOn = &d
	}
	if d := formDate(r, &ie, "expires_on", "届满日期", false); d != m.ExpiresOn && !d.IsZero() {
		u.ExpiresOn = &d
	}
	if err := ie.Err(); err != nil {
		return pg.posted(w, r, p, name, "", nil, nil, err)
	}
	ok := desk.Confirm{OverApplied: r.PostFormValue("confirm_over_applied") == "1"}
	after, err := pg.desk.RecordMeasureResultConfirmed(r.Context(), p, id, mid, u, ok)
	var moved []string
	if err == nil {
		moved = movedDue(before, after)
	}
	return pg.posted(w, r, p, name, "corrected", nil, moved, err)
}

// movedDue lists the due items whose date shown changed between before
// and after.
func movedDue(before, after *enforcement.Case) []string {
	var out []string
	for _, d := range after.DueItems {
		b, ok := before.Due(d.ID)
		if !ok || b.Due() != d.Due() || b.IsOpen() != d.IsOpen() {
			out = append(out, d.ID)
		}
	}
	slices.Sort(out)
	return out
}

// overrideDue asks to move a computed date, as POST
// /api/v1/cases/{id}/due/{did}/override does; the chief approves it.
func (pg *pages) overrideDue(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	var ie desk.InputError
	date := formDate(r, &ie, "date", "调整后的日期", true)
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		ie.Add("reason", "required", "请填写调整理由")
	}
	err := ie.Err()
	if err == nil {
		_, err = pg.desk.OverrideDue(r.Context(), p, r.PathValue("id"), r.PathValue("did"), date, reason)
	}
	return pg.posted(w, r, p, "override:"+r.PathValue("did"), "override", nil, nil, err)
}

// solicit asks the applicant's opinion, as POST
// /api/v1/cases/{id}/solicitations does.
func (pg *pages) solicit(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	var ie desk.InputError
	s := enforcement.Solicitation{PartyID: r.PostFormValue("party_id"), Purpose: enforcement.ClosureMode(r.PostFormValue("purpose")),
		Summary: strings.TrimSpace(r.PostFormValue("summary"))}
	if !s.Purpose.IsKnown() {
		ie.Add("purpose", "required", "请选择拟采取的结案方式")
	}
	if s.Summary == "" {
		ie.Add("summary", "required", "请填写征询内容")
	}
	s.ReplyBy = formDate(r, &ie, "reply_by", "答复期限", false)
	err := ie.Err()
	if err == nil {
		_, err = pg.desk.Solicit(r.Context(), p, r.PathValue("id"), s)
	}
	return pg.posted(w, r, p, "solicit", "solicited", nil, nil, err)
}

