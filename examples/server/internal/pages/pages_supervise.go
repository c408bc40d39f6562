package pages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// typedForm is what a user typed into a form and the problems found with
// it, so that a refused form comes back with the input kept and the
// Chinese message at each field.
type typedForm struct {
	Values map[string]string
	Errors map[string]string
	// Other holds the problems no field of the form shows.
	Other []string
}

// formOf keeps the posted values of names.
func formOf(r *http.Request, names ...string) typedForm {
	f := typedForm{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		f.Values[n] = r.PostFormValue(n)
	}
	return f
}

// Value is a typed value; Err the message of field name, "" if none.
func (f typedForm) Value(name string) string { return f.Values[name] }
func (f typedForm) Err(name string) string   { return f.Errors[name] }

// HasErrors reports whether any problem was found.
func (f typedForm) HasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// refuse adds the field errors of err to f, each at the field alias maps
// it to (the form's own name) or among Other. It reports false when err
// carries no field error (it is shown on the error page instead).
func (f *typedForm) refuse(err error, alias map[string]string) bool {
	fs := respond.Fields(err)
	if len(fs) == 0 {
		return false
	}
	for _, fe := range fs {
		name := fe.Field
		if a, ok := alias[name]; ok {
			name = a
		}
		msg := fe.MessageZh
		if msg == "" {
			msg = respond.Lookup(err).Message
		}
		if _, shown := f.Values[name]; shown && f.Errors[name] == "" {
			f.Errors[name] = msg
		} else {
			f.Other = append(f.Other, msg)
		}
	}
	return true
}

// ----- supervision orders (督办) -----

// superviseView is the chief's page of supervision orders, with the form
// to issue one when a case is chosen.
type superviseView struct {
	Orders []desk.OrderView
	Names  map[string]string
	State  desk.OrderState
	States []stateOption
	// Case is the case an order is being issued on (nil: no form); Due
	// the overdue item the chief came from, if any.
	Case *enforcement.Case
	Due  *enforcement.DueItem
	Form typedForm
	Min  int
	Max  int
}

type stateOption struct {
	Value desk.OrderState
	Label string
}

// JudgeName is the name of a user ID.
func (v superviseView) JudgeName(id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return id
}

var orderStates = []stateOption{{"", "全部"}, {desk.OrderOpen, "待答复"}, {desk.OrderOverdue, "逾期未答复"}, {desk.OrderAnswered, "已答复"}}

// supervise shows the court's supervision orders and, with ?case=ID (and
// ?due=item from the dashboard's overdue list), the form to issue one.
func (pg *pages) supervise(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	q := r.URL.Query()
	f := typedForm{Values: map[string]string{"case_id": q.Get("case"), "workdays": strconv.Itoa(desk.DefaultOrderWorkdays)}, Errors: map[string]string{}}
	return pg.renderSupervise(w, r, p, http.StatusOK, f, q.Get("due"))
}

func (pg *pages) renderSupervise(w http.ResponseWriter, r *http.Request, p *desk.Principal, status int, f typedForm, dueID string) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	ctx := r.Context()
	v := superviseView{State: desk.OrderState(r.URL.Query().Get("state")), States: orderStates, Form: f, Names: pg.judgeNames(r),
		Min: desk.MinOrderWorkdays, Max: desk.MaxOrderWorkdays}
	if !v.State.IsKnown() {
		v.State = ""
	}
	var err error
	if v.Orders, err = pg.desk.SupervisionOrders(ctx, p, v.State); err != nil {
		return err
	}
	if id := f.Value("case_id"); id != "" {
		if v.Case, err = pg.desk.Get(ctx, p, id); err != nil {
			return err
		}
		if d, ok := v.Case.Due(dueID); ok && dueID != "" {
			v.Due = &d
			if _, typed := f.Values["text"]; !typed {
				f.Values["text"] = pg.orderText(d)
			}
		}
	}
	return pg.render(w, r, status, "supervise", page{Title: "督办", Nav: "supervise", Data: v})
}

// orderText is the text an order on an overdue item starts from.
func (pg *pages) orderText(d enforcement.DueItem) string {
	s := "“" + d.Title + "”期限为" + d.Due().String()
	if n, err := pg.desk.Calendar().WorkdaysBetween(d.Due(), pg.desk.Today()); err == nil && n > 0 {
		s += "，已超期" + strconv.Itoa(n) + "个工作日"
	}
	return s + "。请尽快办理并报告办理情况。"
}

// issueOrder issues a supervision order from the form of the chief (on
// this page or on a case page), a division head or a high court's
// supervisor (on the case page); the chief's refused input comes back on
// this page.
func (pg *pages) issueOrder(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	f := formOf(r, "case_id", "text", "workdays", "due_id")
	id := strings.TrimSpace(f.Value("case_id"))
	text := strings.TrimSpace(f.Value("text"))
	if id == "" {
		return desk.BadField("case_id", "required", "请选择要督办的案件")
	}
	var due deadline.Date
	n, err := desk.ParseOrderWorkdays(f.Value("workdays"))
	if err == nil {
		due, err = pg.desk.OrderReplyBy(n)
	}
	if err == nil && text == "" {
		err = desk.BadField("text", "required", "请填写督办内容")
	}
	if err == nil {
		_, err = pg.desk.IssueSupervision(r.Context(), p, id, enforcement.SupervisionOrder{Text: text, Due: due})
	}
	chief := p != nil && p.Role == desk.RoleChief
	if err != nil {
		// A division head's or a supervisor's form is on the case page:
		// a refusal shows on the error page with its reasons.
		if !chief || !f.refuse(err, map[string]string{"due": "workdays"}) {
			return err
		}
		return pg.renderSupervise(w, r, p, respond.Lookup(err).Status, f, f.Value("due_id"))
	}
	if !chief {
		return back(w, r, "/cases/"+id+"#sup", "ordered")
	}
	return back(w, r, "/chief/supervise", "ordered")
}

// orderView is the page of one supervision order, with the judge's answer
// form.
type orderView struct {
	Case  *enforcement.Case
	Order desk.OrderView
	Own   bool
	Form  typedForm
	Names map[string]string
}

// orderPage shows a supervision order of a case: the answer form for the
// handling judge, the answer once given.
func (pg *pages) orderPage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	return pg.renderOrder(w, r, p, http.StatusOK, typedForm{Values: map[string]string{}, Errors: map[string]string{}})
}

func (pg *pages) renderOrder(w http.ResponseWriter, r *http.Request, p *desk.Principal, status int, f typedForm) error {
	c, o, err := pg.desk.SupervisionOrder(r.Context(), p, r.PathValue("id"), r.PathValue("oid"))
	if err != nil {
		return err
	}
	v := orderView{Case: c, Order: o, Own: p.Role == desk.RoleJudge && c.JudgeID == p.UserID, Form: f, Names: pg.judgeNames(r)}
	nav := "week"
	if p.Role == desk.RoleChief {
		nav = "supervise"
	}
	return pg.render(w, r, status, "order", page{Title: "督办 · " + c.Number.String(), Nav: nav, Data: v})
}

// answerSupervision records the handling judge's answer to an order;
// refused input comes back on the order's page with the text kept.
func (pg *pages) answerSupervision(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	f := formOf(r, "response")
	resp := strings.TrimSpace(f.Value("response"))
	var err error
	if resp == "" {
		err = desk.BadField("response", "required", "请填写报告内容")
	} else {
		_, err = pg.desk.AnswerSupervision(r.Context(), p, r.PathValue("id"), r.PathValue("oid"), resp)
	}
	if err != nil {
		if !f.refuse(err, nil) {
			return err
		}
		return pg.renderOrder(w, r, p, respond.Lookup(err).Status, f)
	}
	return back(w, r, "/cases/"+r.PathValue("id"), "reported")
}
