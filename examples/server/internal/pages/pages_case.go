package pages

import (
	"net/http"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// timelineEntry is a node or a measure on a case's timeline.
type timelineEntry struct {
	Date    deadline.Date
	Kind    string // "node" or "measure"
	Name    string
	Text    string // a node's plain-language text (party) or note (staff)
	Measure *enforcement.Measure
}

// dueLine is a due item with its warning level today.
type dueLine struct {
	enforcement.DueItem
	Level enforcement.Level // zero when not open, a party's right, or not computable
}

// caseView is the staff case page.
type caseView struct {
	Case          *enforcement.Case
	JudgeName     string
	Own           bool // the handling judge looks at it (forms shown)
	Timeline      []timelineEntry
	Due           []dueLine
	Mode          enforcement.ClosureMode
	Modes         []enforcement.ClosureMode
	Preconditions []enforcement.Precondition
	AllMet        bool
	Messages      []notify.Message
	Replies       []desk.StoredReply
	PartyNames    map[string]string
	Self          string
	// Close is the closing form: what was typed and why it was refused.
	Close closeForm
	// J holds the handling judge's forms (pages_judge.go).
	J *judgeForms
	// ReadOnly: a division head or a high court's supervisor reads a case
	// they do not handle (desk.ReadCase); CanOrder: the viewer may issue
	// a supervision order on it (desk.MayOrder).
	ReadOnly, CanOrder bool
}

// timeline merges a case's nodes and measures by date. public uses the
// nodes' plain-language texts for parties.
func timeline(c *enforcement.Case, public bool) []timelineEntry {
	var out []timelineEntry
	for _, n := range c.Nodes {
		info, _ := n.Kind.Info()
		e := timelineEntry{Date: n.Date, Kind: "node", Name: info.Name, Text: n.Note}
		if e.Name == "" {
			e.Name = string(n.Kind)
		}
		if public {
			e.Text = info.Public
		}
		out = append(out, e)
	}
	for i := range c.Measures {
		m := c.Measures[i]
		out = append(out, timelineEntry{Date: m.TakenOn, Kind: "measure", Name: m.Kind.Chinese(), Measure: &m})
	}
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return a.Date.Compare(b.Date) })
	return out
}

func (pg *pages) dueLines(c *enforcement.Case, public bool) []dueLine {
	cal, today := pg.desk.Calendar(), pg.desk.Today()
	var out []dueLine
	for _, d := range c.DueItems {
		if public && d.Internal {
			continue
		}
		l := dueLine{DueItem: d}
		// A party's right has no warning level: it is nobody's overdue
		// work (enforcement.DueItem.IsRight).
		if d.IsOpen() && !d.IsRight() {
			if lv, err := enforcement.LevelOf(cal, d.Due(), today, 0); err == nil {
				l.Level = lv
			}
		}
		out = append(out, l)
	}
	// Open items first, by due date; then the rest by due date.
	slices.SortStableFunc(out, func(a, b dueLine) int {
		if a.IsOpen() != b.IsOpen() {
			if a.IsOpen() {
				return -1
			}
			return 1
		}
		return a.Due().Compare(b.Due())
	})
	return out
}

// casePage is the case as staff see it; a party is sent to their own page.
func (pg *pages) casePage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if p == nil {
		return desk.ErrUnauthenticated
	}
	if p.Role == desk.RoleParty {
		if r.PathValue("id") != p.CaseID {
			return desk.NotFound("case", r.PathValue("id"))
		}
		http.Redirect(w, r, "/my-case", http.StatusSeeOther)
		return nil
	}
	mode := enforcement.ClosureZhongBen
	if m := enforcement.ClosureMode(r.URL.Query().Get("mode")); m.IsKnown() {
		mode = m
	}
	return pg.renderCase(w, r, p, http.StatusOK, r.PathValue("id"), closeForm{Mode: mode}, nil)
}

// renderCase renders case id for staff with status, the closure checklist
// of form.Mode and the closing form as form says; jf carries the state of
// another judge's form posted to it (nil for a plain view).
func (pg *pages) renderCase(w http.ResponseWriter, r *http.Request, p *desk.Principal, status int, id string, form closeForm, jf *judgeForms) error {
	ctx := r.Context()
	c, readOnly, err := pg.desk.ReadCase(ctx, p, id)
	if err != nil {
		return err
	}
	if form.On == "" {
		form.On = pg.desk.Today().String()
	}
	v := caseView{Case: c, Close: form, JudgeName: pg.judgeNames(r)[c.JudgeID], Own: p.Role == desk.RoleJudge && c.JudgeID == p.UserID,
		Timeline: timeline(c, false), Due: pg.dueLines(c, false), PartyNames: map[string]string{}, Self: "/cases/" + c.ID,
		ReadOnly: readOnly, CanOrder: pg.desk.MayOrder(p, c)}
	for _, pt := range c.Parties {
		v.PartyNames[pt.ID] = pt.Role.Chinese() + " " + pt.Name
	}
	v.Modes = []enforcement.ClosureMode{enforcement.ClosureCompleted, enforcement.ClosureZhongBen, enforcement.ClosureTerminated,
		enforcement.ClosureNotEnforced, enforcement.ClosureRejected, enforcement.ClosureCancelled}
	v.Mode = form.Mode
	if !c.IsClosed() {
		if readOnly {
			v.Preconditions = pg.desk.ClosureChecklist(c, v.Mode)
		} else if v.Preconditions, err = pg.desk.Preconditions(ctx, p, c.ID, v.Mode, pg.desk.Today()); err != nil {
			return err
		}
		v.AllMet = true
		for _, x := range v.Preconditions {
			v.AllMet = v.AllMet && x.Met
		}
	}
	if readOnly {
		// Messages and replies are the court's correspondence with the
		// parties: for those who handle the case.
		return pg.render(w, r, status, "case", page{Title: c.Number.String(), Nav: "case", Data: v})
	}
	if v.Messages, err = pg.desk.ListMessages(ctx, p, desk.MessageFilter{CaseID: c.ID}); err != nil {
		return err
	}
	rs, err := pg.desk.ListReplies(ctx, p)
	if err != nil {
		return err
	}
	for _, rp := range rs {
		if rp.CaseID == c.ID || slices.Contains(rp.Candidates, c.ID) {
			v.Replies = append(v.Replies, rp)
		}
	}
	if v.Own {
		v.J = pg.judgeFormsFor(r, c, v.Messages, jf)
	}
	return pg.render(w, r, status, "case", page{Title: c.Number.String(), Nav: "case", Data: v})
}

func (pg *pages) answerRequest(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	answer := strings.TrimSpace(r.PostFormValue("answer"))
	if answer == "" {
		return desk.BadField("answer", "required", "请填写答复内容")
	}
	if _, err := pg.desk.AnswerRequest(r.Context(), p, r.PathValue("id"), r.PathValue("rid"), answer); err != nil {
		return err
	}
	return back(w, r, "/cases/"+r.PathValue("id"), "answered")
}

// ----- the party's page -----

// partyPageView is the party's case page.
type partyPageView struct {
	Case     desk.PartyCaseView
	Timeline []timelineEntry
	Next     []dueLine
	Done     []dueLine
	Messages []notify.Message
	// Identified is set when the party signed in with their own query
	// code, which is needed to see their messages and to act.
	Identified bool
	// NeedsOTP is set when the party has a mobile number on file, so a
	// one-time code confirms them before they act; Acting when one was
	// confirmed; CanAct when they may act now. Mobile is the masked
	// number the code goes to.
	NeedsOTP, Acting, CanAct bool
	Mobile                   string
	// OTPSent shows the code entry; OTPError why a code was refused.
	OTPSent  bool
	OTPError string
	Choices  []enforcement.OpinionChoice
	// Forms are the party's forms as typed, with their problems.
	Forms partyForms
	// Requests are the party's own requests with their clocks.
	Requests []requestClock
}

func (pg *pages) myCase(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	return pg.renderMyCase(w, r, p, http.StatusOK, r.URL.Query().Get("ok") == "otp_sent", "", newPartyForms())
}

// renderMyCase renders the party's page, with the code entry shown when
// otpSent, otpErr as the refusal of a code, and forms as typed.
func (pg *pages) renderMyCase(w http.ResponseWriter, r *http.Request, p *desk.Principal, status int, otpSent bool, otpErr string, forms partyForms) error {
	if err := desk.Need(p, desk.RoleParty); err != nil {
		if p != nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return nil
		}
		return err
	}
	ctx := r.Context()
	c, err := pg.desk.Get(ctx, p, p.CaseID)
	if err != nil {
		return err
	}
	v := partyPageView{Case: desk.ViewForParty(p, c), Timeline: timeline(c, true), Identified: p.PartyID != "",
		Choices: []enforcement.OpinionChoice{enforcement.OpinionAgree, enforcement.OpinionDisagree, enforcement.OpinionOther},
		OTPSent: otpSent, OTPError: otpErr, Forms: forms, Requests: pg.requestClocks(p, c)}
	if pt, ok := c.Party(p.PartyID); ok {
		v.NeedsOTP = pt.Mobile != "" && !pt.WrongNumber
		v.Mobile = enforcement.MaskMobile(pt.Mobile)
		v.Acting = pg.desk.Now().Before(p.ActingUntil)
		v.CanAct = !v.NeedsOTP || v.Acting
	}
	for _, d := range pg.dueLines(c, true) {
		if d.IsOpen() {
			v.Next = append(v.Next, d)
		} else {
			v.Done = append(v.Done, d)
		}
	}
	if v.Messages, err = pg.desk.ListMessages(ctx, p, desk.MessageFilter{CaseID: c.ID}); err != nil {
		return err
	}
	// Only what was actually sent: held or drafted messages may still change.
	v.Messages = slices.DeleteFunc(v.Messages, func(m notify.Message) bool {
		return m.SentAt.IsZero() && m.State != notify.StateSent && m.State != notify.StateDelivered
	})
	return pg.render(w, r, status, "party", page{Title: "我的案件", Nav: "party", Data: v})
}

// opinion records an applicant's opinion on a solicitation: posted by the
// applicant on their page, or by the judge from a call.
func (pg *pages) opinion(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if p != nil && p.Role == desk.RoleParty {
		return pg.partyOpinion(w, r, p)
	}
	var ie desk.InputError
	choice := enforcement.OpinionChoice(r.PostFormValue("choice"))
	if !choice.IsKnown() {
		ie.Add("choice", "required", "请选择您的意见")
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if choice == enforcement.OpinionOther && text == "" {
		ie.Add("text", "required", "选择“其他意见”时请填写具体内容")
	}
	if len([]rune(text)) > 1000 {
		ie.Add("text", "too_long", "意见内容不超过1000字")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := pg.desk.RecordOpinion(r.Context(), p, id, r.PathValue("sid"), enforcement.Opinion{Choice: choice, Text: text, Channel: r.PostFormValue("channel")}); err != nil {
		return err
	}
	to := "/my-case"
	if p.Role != desk.RoleParty {
		to = "/cases/" + id
	}
	return back(w, r, to, "opinion")
}
