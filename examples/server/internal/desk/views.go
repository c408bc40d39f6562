package desk

import (
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// CaseView returns the case as p may see it: staff see the whole record; a
// party sees the public timeline without other parties' contact details.
func CaseView(p *Principal, c *enforcement.Case) any {
	if p != nil && p.Role == RoleParty {
		return ViewForParty(p, c)
	}
	return c
}

type partyView struct {
	ID   string `json:"id"`
	Role string `json:"role"`
	Name string `json:"name"`
}

// PartyViews lists the parties of c as the public sees them: names of
// persons masked, no contact details.
func PartyViews(c *enforcement.Case) []partyView {
	out := []partyView{}
	for _, pt := range c.Parties {
		name := pt.Name
		if pt.Kind == enforcement.PartyPerson {
			name = notify.MaskName(name)
		}
		out = append(out, partyView{ID: pt.ID, Role: pt.Role.Chinese(), Name: name})
	}
	return out
}

type publicNode struct {
	Kind string        `json:"kind"`
	Name string        `json:"name"`
	Text string        `json:"text"`
	Date deadline.Date `json:"date"`
}

type publicMeasure struct {
	Kind    string        `json:"kind"`
	Name    string        `json:"name"`
	TakenOn deadline.Date `json:"taken_on"`
	Outcome string        `json:"outcome"`
	Result  string        `json:"result,omitempty"`
}

type publicDue struct {
	Title string        `json:"title"`
	Owner string        `json:"owner"`
	Due   deadline.Date `json:"due"`
	Basis string        `json:"basis"`
	State string        `json:"status"`
	// Provisional is set when Due is not definite (暂定): beyond the
	// official calendar, or counted from such a date.
	Provisional bool `json:"provisional"`
	// Right is "until" or "from" for a party's own right (a window that
	// closes, a right that opens), "" for a task; RightText says it in the
	// law's words, e.g. 申请执行人自2027年6月4日后可向上一级法院申请执行.
	Right     string `json:"right"`
	RightText string `json:"right_text"`
}

type publicSolicitation struct {
	ID      string        `json:"id"`
	Summary string        `json:"summary"`
	Purpose string        `json:"purpose"`
	ReplyBy deadline.Date `json:"reply_by"`
	// ReplyByProvisional is set when ReplyBy is not definite (暂定).
	ReplyByProvisional bool `json:"reply_by_provisional"`
	Answered           bool `json:"answered"`
	CanAnswer          bool `json:"can_answer"`
}

// publicRequest is a party's own request (诉求) with its answer.
type publicRequest struct {
	ID          string        `json:"id"`
	Text        string        `json:"text"`
	ReceivedOn  deadline.Date `json:"received_on"`
	ResolveBy   deadline.Date `json:"resolve_by"`
	Provisional bool          `json:"provisional"`
	Answered    bool          `json:"answered"`
	Answer      string        `json:"answer,omitempty"`
	AnsweredOn  deadline.Date `json:"answered_on,omitzero"`
}

// ViewForParty is the case as a party sees it.
type PartyCaseView struct {
	ID            string               `json:"id"`
	Number        string               `json:"number"`
	Court         string               `json:"court"`
	Cause         string               `json:"cause"`
	Status        string               `json:"status"`
	FiledOn       deadline.Date        `json:"filed_on"`
	Parties       []partyView          `json:"parties"`
	Nodes         []publicNode         `json:"nodes"`
	Measures      []publicMeasure      `json:"measures"`
	Due           []publicDue          `json:"due"`
	Solicitations []publicSolicitation `json:"solicitations"`
	// Requests are the signed-in party's own requests; SMSOptOut whether
	// they opted out of the court's text messages (退订).
	Requests  []publicRequest `json:"requests"`
	SMSOptOut bool            `json:"sms_opt_out"`
}

// ViewForParty returns case c as party p sees it.
func ViewForParty(p *Principal, c *enforcement.Case) PartyCaseView {
	v := PartyCaseView{ID: c.ID, Number: c.Number.String(), Court: c.Court, Cause: c.Cause, Status: c.Status.Chinese(), FiledOn: c.FiledOn,
		Parties: PartyViews(c), Nodes: []publicNode{}, Measures: []publicMeasure{}, Due: []publicDue{}, Solicitations: []publicSolicitation{},
		Requests: []publicRequest{}}
	if pt, ok := c.Party(p.PartyID); ok && p.PartyID != "" {
		v.SMSOptOut = pt.OptOut
	}
	for _, r := range c.Requests {
		if p.PartyID == "" || r.PartyID != p.PartyID {
			continue
		}
		pr := publicRequest{ID: r.ID, Text: r.Text, ReceivedOn: deadline.DateOf(r.ReceivedAt), ResolveBy: r.ResolveBy, Provisional: r.Provisional,
			Answered: r.IsAnswered(), Answer: r.Answer}
		if r.IsAnswered() {
			pr.AnsweredOn = deadline.DateOf(r.AnsweredAt)
		}
		v.Requests = append(v.Requests, pr)
	}
	for _, n := range c.Nodes {
		info, _ := n.Kind.Info()
		v.Nodes = append(v.Nodes, publicNode{Kind: string(n.Kind), Name: info.Name, Text: info.Public, Date: n.Date})
	}
	for _, m := range c.Measures {
		v.Measures = append(v.Measures, publicMeasure{Kind: string(m.Kind), Name: m.Kind.Chinese(), TakenOn: m.TakenOn, Outcome: m.Outcome.Chinese(), Result: m.Result})
	}
	for _, d := range c.DueItems {
		if d.Internal {
			continue
		}
		v.Due = append(v.Due, publicDue{Title: d.Title, Owner: enforcement.Owner(d.Owner).Chinese(), Due: d.Due(), Basis: d.Basis, State: string(d.Status),
			Provisional: !d.IsDefinite(), Right: string(d.Right), RightText: d.RightText()})
	}
	for _, s := range c.Solicitations {
		if p.PartyID != "" && s.PartyID != p.PartyID {
			continue
		}
		v.Solicitations = append(v.Solicitations, publicSolicitation{ID: s.ID, Summary: s.Summary, Purpose: s.Purpose.Chinese(), ReplyBy: s.ReplyBy,
			ReplyByProvisional: s.ReplyByProvisional, Answered: s.Answer != nil, CanAnswer: s.Answer == nil && p.PartyID == s.PartyID})
	}
	return v
}

// MessageViews hides staff-only details from parties: they see the text
// and state of the messages sent to them, not the recipients' numbers.
func MessageViews(p *Principal, ms []notify.Message) any {
	if p.Role != RoleParty {
		if ms == nil {
			return []notify.Message{}
		}
		return ms
	}
	type pm struct {
		ID      string `json:"id"`
		Body    string `json:"body"`
		State   string `json:"state"`
		Created string `json:"created_at"`
	}
	out := []pm{}
	for _, m := range ms {
		out = append(out, pm{ID: m.ID, Body: m.Body, State: m.State.Chinese(), Created: m.CreatedAt.Format("2006-01-02 15:04")})
	}
	return out
}
