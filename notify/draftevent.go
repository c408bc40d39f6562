package notify

import (
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// eventDraft drafts the messages for one event of a case: it holds what
// every message of the event shares and collects the messages.
type eventDraft struct {
	d      *Drafter
	c      *enforcement.Case
	e      enforcement.Event
	now    time.Time
	today  deadline.Date
	common Vars // the variables every party notice of the case may use
	out    []Message
}

// draftEvent drafts the messages for event e of case c.
func (d *Drafter) draftEvent(c *enforcement.Case, e enforcement.Event, now time.Time) ([]Message, error) {
	b := &eventDraft{d: d, c: c, e: e, now: now, today: deadline.DateOf(now), common: d.commonVars(c)}
	var err error
	switch e.Kind {
	case enforcement.EventCaseFiled:
		err = b.filing()
	case enforcement.EventMeasureRecorded, enforcement.EventMeasureResult:
		err = b.measure()
	case enforcement.EventOpinionSolicited:
		err = b.solicitation()
	case enforcement.EventOpinionRecorded:
		err = b.opinion()
	case enforcement.EventRequestReceived:
		err = b.requestReceived()
	case enforcement.EventRequestAnswered:
		err = b.requestAnswered()
	case enforcement.EventSupervisionOrdered:
		err = b.supervisionOrdered()
	case enforcement.EventSupervisionAnswered:
		err = b.supervisionAnswered()
	case enforcement.EventCaseSuspended, enforcement.EventCaseResumed:
		err = b.suspension()
	case enforcement.EventCaseClosed:
		err = b.closure()
	case enforcement.EventNodeRecorded:
		err = b.node()
	case enforcement.EventQueryCodeReset:
		err = b.queryCodeReset()
	}
	if err != nil {
		return nil, err
	}
	return b.out, nil
}

// commonVars are the variables every party notice of case c may use, but
// the addressee's name.
func (d *Drafter) commonVars(c *enforcement.Case) Vars {
	v := make(Vars, 12)
	v[VarCaseNo], v[VarJudge], v[VarPhone] = c.Number.String(), c.JudgeID, d.Phone
	if j, ok := d.judge(c); ok {
		v[VarJudge] = j.Name
		if j.Mobile != "" && d.Phone == "" {
			v[VarPhone] = j.Mobile
		}
	}
	if v[VarPhone] == "" {
		v[VarPhone] = "12368"
	}
	for i := range c.Parties {
		p := &c.Parties[i]
		switch {
		case p.Role == enforcement.RoleApplicant && v[VarApplicant] == "":
			v[VarApplicant] = p.Name
		case p.Role == enforcement.RoleRespondent && v[VarRespondent] == "":
			v[VarRespondent] = p.Name
		}
	}
	return v
}

// partyVars returns the common variables with p as the addressee.
func (b *eventDraft) partyVars(p enforcement.Party) Vars {
	v := make(Vars, len(b.common)+6)
	for k, x := range b.common {
		v[k] = x
	}
	v[VarPartyName] = p.Name
	return v
}

// add drafts the message from template key to r, if the policy notifies r.
func (b *eventDraft) add(r Recipient, key string, vars Vars, measure enforcement.MeasureKind) error {
	m, ok, err := b.d.message(b.c, b.e, r, key, vars, measure, b.now)
	if err != nil {
		return err
	}
	if ok {
		b.out = append(b.out, m)
	}
	return nil
}

// parties returns the case's parties with one of roles, in case order.
func (b *eventDraft) parties(roles ...enforcement.Role) []enforcement.Party {
	var ps []enforcement.Party
	for _, p := range b.c.Parties {
		for _, r := range roles {
			if p.Role == r {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// toParties drafts template key to the applicants and respondents, with
// the variables vars adds to each party's.
func (b *eventDraft) toParties(key string, vars func(p enforcement.Party, v Vars)) error {
	for _, p := range b.parties(enforcement.RoleApplicant, enforcement.RoleRespondent) {
		v := b.partyVars(p)
		vars(p, v)
		if err := b.add(PartyRecipient(p), key, v, ""); err != nil {
			return err
		}
	}
	return nil
}

// date formats d for the event's messages.
func (b *eventDraft) date(d deadline.Date) string { return formatDate(d, b.today) }

// staffName returns the display name of court user id, or fallback when
// the directory does not know the user: never the user ID.
func (b *eventDraft) staffName(id, fallback string) string {
	if b.d.Staff != nil {
		if r, ok := b.d.Staff(id); ok && strings.TrimSpace(r.Name) != "" {
			return r.Name
		}
	}
	return fallback
}

// roleWord is the Chinese word for a party's role.
func roleWord(r enforcement.Role) string {
	switch r {
	case enforcement.RoleApplicant:
		return "申请执行人"
	case enforcement.RoleRespondent:
		return "被执行人"
	}
	return "当事人"
}

func (b *eventDraft) filing() error {
	nodes := NodesSummary(b.c, 90, b.today)
	for _, p := range b.parties(enforcement.RoleApplicant, enforcement.RoleRespondent) {
		v := b.partyVars(p)
		code := b.d.queryCode(b.c, p)
		v[VarNodes], v[VarQueryCode] = nodes, code
		v[VarSignIn] = signIn(p, code)
		key := KeyFilingApplicant
		if p.Role == enforcement.RoleRespondent {
			key = KeyFilingRespondent
		}
		if err := b.add(PartyRecipient(p), key, v, ""); err != nil {
			return err
		}
	}
	return nil
}

// measureOf returns the measure event e is about: a recorded measure's
// event refers to it by ID, a result's event by its ID, "@" and the time
// of the result. The longest matching ID wins, so an ID that itself
// contains "@" is still found.
func measureOf(c *enforcement.Case, e enforcement.Event) (enforcement.Measure, bool) {
	best := -1
	for i, m := range c.Measures {
		if e.Ref != m.ID && !(e.Kind == enforcement.EventMeasureResult && strings.HasPrefix(e.Ref, m.ID+"@")) {
			continue
		}
		if best < 0 || len(m.ID) > len(c.Measures[best].ID) {
			best = i
		}
	}
	if best < 0 {
		return enforcement.Measure{}, false
	}
	return c.Measures[best], true
}

func (b *eventDraft) measure() error {
	m, ok := measureOf(b.c, b.e)
	if !ok {
		return nil
	}
	target, result := orDash(m.Target, m.Property.Chinese()), orDash(m.Result, m.Outcome.Chinese())
	held := false
	for _, p := range b.parties(enforcement.RoleApplicant, enforcement.RoleRespondent) {
		v := b.partyVars(p)
		v[VarMeasure], v[VarTarget], v[VarResult], v[VarDate] = m.Kind.Chinese(), target, result, b.date(m.TakenOn)
		key := KeyMeasureNotice
		if m.Amount.IsPositive() {
			key = KeyMeasureMoney
			v[VarAmount] = FormatAmount(m.Amount)
		}
		before := len(b.out)
		if err := b.add(PartyRecipient(p), key, v, m.Kind); err != nil {
			return err
		}
		if len(b.out) > before && b.out[len(b.out)-1].State == StateHeld {
			held = true
		}
	}
	j, ok := b.d.judge(b.c)
	if !ok || !held {
		return nil
	}
	v := Vars{VarJudge: j.Name, VarCaseNo: b.c.Number.String(), VarMeasure: m.Kind.Chinese(),
		VarTarget: target, VarResult: result, VarAddressee: "被执行人", VarDate: b.date(m.TakenOn)}
	// The prompt is for the judge, so it is sent whatever the policy says
	// about the parties' notices.
	msg, err := b.d.render(b.c, b.e, j, KeyMeasurePrompt, v, b.now)
	if err != nil {
		return err
	}
	if err := msg.Queue("policy", b.now, b.now); err != nil {
		return err
	}
	b.out = append(b.out, msg)
	return nil
}

func (b *eventDraft) solicitation() error {
	for _, s := range b.c.Solicitations {
		if s.ID != b.e.Ref {
			continue
		}
		p, ok := b.c.Party(s.PartyID)
		if !ok {
			return nil
		}
		v := b.partyVars(p)
		v[VarReplyCode], v[VarDueDate] = s.ReplyCode, provisionalDate(s.ReplyBy, b.today, s.ReplyByProvisional)
		return b.add(PartyRecipient(p), KeyOpinionSolicit, v, "")
	}
	return nil
}

// opinion acknowledges the applicant's answer and tells the judge.
func (b *eventDraft) opinion() error {
	for _, s := range b.c.Solicitations {
		if s.ID != b.e.Ref || s.Answer == nil {
			continue
		}
		p, ok := b.c.Party(s.PartyID)
		if !ok {
			return nil
		}
		v := b.partyVars(p)
		v[VarChoice], v[VarReplyCode] = s.Answer.Choice.Chinese(), s.ReplyCode
		if err := b.add(PartyRecipient(p), KeyReplyAck, v, ""); err != nil {
			return err
		}
		if j, ok := b.d.judge(b.c); ok {
			jv := Vars{VarJudge: j.Name, VarCaseNo: b.c.Number.String(), VarAddressee: roleWord(p.Role),
				VarPartyName: p.Name, VarChoice: s.Answer.Choice.Chinese()}
			return b.add(j, KeyOpinionJudge, jv, "")
		}
		return nil
	}
	return nil
}

// requestReceived tells the judge a party's request (诉求) came in.
func (b *eventDraft) requestReceived() error {
	j, ok := b.d.judge(b.c)
	if !ok {
		return nil
	}
	for _, r := range b.c.Requests {
		if r.ID != b.e.Ref {
			continue
		}
		p, ok := b.c.Party(r.PartyID)
		if !ok {
			return nil
		}
		v := Vars{VarJudge: j.Name, VarCaseNo: b.c.Number.String(), VarAddressee: roleWord(p.Role),
			VarPartyName: p.Name, VarRequest: r.Text, VarDueDate: provisionalDate(r.ResolveBy, b.today, r.Provisional)}
		return b.add(j, KeyRequestReceived, v, "")
	}
	return nil
}

func (b *eventDraft) requestAnswered() error {
	for _, r := range b.c.Requests {
		if r.ID != b.e.Ref {
			continue
		}
		p, ok := b.c.Party(r.PartyID)
		if !ok {
			return nil
		}
		v := b.partyVars(p)
		v[VarRequest], v[VarAnswer] = r.Text, r.Answer
		return b.add(PartyRecipient(p), KeyRequestAnswer, v, "")
	}
	return nil
}

func (b *eventDraft) supervisionOrdered() error {
	j, ok := b.d.judge(b.c)
	if !ok {
		return nil
	}
	for _, o := range b.c.Orders {
		if o.ID != b.e.Ref {
			continue
		}
		v := Vars{VarJudge: j.Name, VarCaseNo: b.c.Number.String(), VarNode: o.Text, VarDueDate: b.date(o.Due),
			VarLevel: "督办", VarSupervisor: b.staffName(o.IssuedBy, "执行局"), VarReplyBy: b.date(o.Due)}
		return b.add(j, KeySupervision, v, "")
	}
	return nil
}

// supervisionAnswered tells whoever issued a 督办 order that the judge
// answered it.
func (b *eventDraft) supervisionAnswered() error {
	if b.d.Staff == nil {
		return nil
	}
	for _, o := range b.c.Orders {
		if o.ID != b.e.Ref || !o.IsAnswered() {
			continue
		}
		chief, ok := b.d.Staff(o.IssuedBy)
		if !ok {
			return nil
		}
		chief.UserID, chief.Role = o.IssuedBy, RecipientChief
		v := Vars{VarLeader: chief.Name, VarCaseNo: b.c.Number.String(), VarNode: o.Text,
			VarJudge: b.staffName(o.RespondedBy, "承办法官"), VarDate: b.date(deadline.DateOf(o.RespondedAt)), VarAnswer: o.Response}
		return b.add(chief, KeySupervisionAnswered, v, "")
	}
	return nil
}

// suspension tells the parties the case was suspended (中止) or resumed
// (恢复).
func (b *eventDraft) suspension() error {
	n, ok := b.nodeOf()
	if !ok {
		return nil
	}
	key := KeyCaseSuspended
	if b.e.Kind == enforcement.EventCaseResumed {
		key = KeyCaseResumed
	}
	return b.toParties(key, func(_ enforcement.Party, v Vars) {
		v[VarDate], v[VarNode] = b.date(n.Date), n.Kind.Chinese()
	})
}

func (b *eventDraft) closure() error {
	cl := b.c.Closure
	if cl == nil {
		return nil
	}
	return b.toParties(KeyClosureOutcome, func(p enforcement.Party, v Vars) {
		v[VarDate], v[VarOutcome], v[VarNextStep] = b.date(cl.On), cl.Mode.Chinese(), NextStep(cl.Mode, p.Role)
	})
}

// nodeOf returns the node the event refers to.
func (b *eventDraft) nodeOf() (enforcement.Node, bool) {
	for _, n := range b.c.Nodes {
		if n.ID == b.e.Ref {
			return n, true
		}
	}
	return enforcement.Node{}, false
}

// nodeNotices are the templates of the nodes parties are told about.
var nodeNotices = map[enforcement.NodeKind]string{
	enforcement.NodeExecutionNotice:     KeyNodeExecutionNotice,
	enforcement.NodePropertyReportOrder: KeyNodePropertyReport,
	enforcement.NodeAuctionAnnouncement: KeyNodeAuction,
	enforcement.NodeMoneyDisbursed:      KeyNodeDisbursed,
}

// node tells the parties of the nodes that concern them, and the applicant
// of a post-closure property check.
func (b *eventDraft) node() error {
	n, ok := b.nodeOf()
	if !ok {
		return nil
	}
	if n.Kind == enforcement.NodePostClosureCheck {
		for _, p := range b.parties(enforcement.RoleApplicant) {
			v := b.partyVars(p)
			v[VarDate], v[VarResult] = b.date(n.Date), orDash(n.Note, "未发现可供执行的财产")
			if err := b.add(PartyRecipient(p), KeyClosureCheck, v, ""); err != nil {
				return err
			}
		}
		return nil
	}
	key, ok := nodeNotices[n.Kind]
	if !ok {
		return nil
	}
	return b.toParties(key, func(_ enforcement.Party, v Vars) { v[VarDate] = b.date(n.Date) })
}

// NextStep says, in Chinese, what a party with role may do after a case
// closed in mode: after 终本 the applicant may apply to resume when
// property is found, and the respondent's duty and restrictions remain.
func NextStep(mode enforcement.ClosureMode, role enforcement.Role) string {
	switch mode {
	case enforcement.ClosureZhongBen:
		if role == enforcement.RoleApplicant {
			return "发现被执行人有可供执行财产的，可随时申请恢复执行"
		}
		return "您仍负有履行义务，限制消费等措施继续有效"
	case enforcement.ClosureTerminated, enforcement.ClosureNotEnforced, enforcement.ClosureRejected:
		return "如有异议，可依法提出执行异议或申请复议"
	}
	return "无需再办理其他事项"
}

// queryCodeReset drafts the notice of a party's new query code. A later
// reset makes this notice's code void: a relay that drafts an older reset
// again after a newer one sends nothing for it.
func (b *eventDraft) queryCodeReset() error {
	pid, gen, _ := strings.Cut(b.e.Ref, "@")
	p, ok := b.c.Party(pid)
	if !ok || strconv.Itoa(p.CodeGeneration) != gen {
		return nil
	}
	v := b.partyVars(p)
	v[VarQueryCode] = b.d.queryCode(b.c, p)
	return b.add(PartyRecipient(p), KeyQueryCodeReset, v, "")
}
