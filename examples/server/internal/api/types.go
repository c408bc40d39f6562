package api

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// The types below are the API's answers. They are mapped from the
// domain's and the desk's types field by field, so that renaming a Go
// field cannot change the API. Rules: snake_case names; times in RFC 3339
// with the +08:00 offset of China Standard Time; dates YYYY-MM-DD; money
// as a decimal string with two places; enumerations by their text code
// (with a _zh name beside where a person reads it); a value that is unset
// is left out, never sent as a zero time or an empty date.

// Time is an instant answered in RFC 3339 at +08:00, e.g.
// "2026-11-26T10:00:00+08:00"; the zero time is left out (omitzero).
type Time time.Time

// MarshalText writes t in RFC 3339 at China Standard Time.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).In(deadline.China).Format(time.RFC3339)), nil
}

// UnmarshalText reads an RFC 3339 time.
func (t *Time) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339, string(b))
	*t = Time(v)
	return err
}

// IsZero reports whether t is unset.
func (t Time) IsZero() bool { return time.Time(t).IsZero() }

// Money is a sum in yuan answered as a decimal string with two places,
// e.g. "100000.00".
type Money decimal.Decimal

// MarshalText writes m with two decimal places.
func (m Money) MarshalText() ([]byte, error) { return []byte(decimal.Decimal(m).StringFixed(2)), nil }

// UnmarshalText reads a decimal string.
func (m *Money) UnmarshalText(b []byte) error {
	d, err := decimal.NewFromString(string(b))
	*m = Money(d)
	return err
}

// Source is the enforcement basis (执行依据).
type Source struct {
	Title          string          `json:"title"`
	Number         string          `json:"number"`
	Issuer         string          `json:"issuer"`
	EffectiveOn    deadline.Date   `json:"effective_on,omitzero"`
	PerformanceDue deadline.Date   `json:"performance_due,omitzero"`
	Instalments    []deadline.Date `json:"instalments,omitempty"`
}

// Party is a party as the staff see it.
type Party struct {
	ID          string `json:"id"`
	Role        string `json:"role"`
	RoleZh      string `json:"role_zh"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number,omitempty"`
	Mobile      string `json:"mobile,omitempty"`
	OptOut      bool   `json:"opt_out"`
	WrongNumber bool   `json:"wrong_number"`
}

// Node is a procedural node reached on a case.
type Node struct {
	ID      string        `json:"id"`
	Kind    string        `json:"kind"`
	Date    deadline.Date `json:"date"`
	At      Time          `json:"at,omitzero"`
	Actor   string        `json:"actor,omitempty"`
	Note    string        `json:"note,omitempty"`
	Urgent  bool          `json:"urgent"`
	PartyID string        `json:"party_id,omitempty"`
}

// Measure is an enforcement measure and its result.
type Measure struct {
	ID          string        `json:"id"`
	Node        string        `json:"node"`
	Kind        string        `json:"kind"`
	KindZh      string        `json:"kind_zh"`
	Property    string        `json:"property,omitempty"`
	Target      string        `json:"target,omitempty"`
	Amount      Money         `json:"amount"`
	TakenOn     deadline.Date `json:"taken_on"`
	EffectiveOn deadline.Date `json:"effective_on,omitzero"`
	ExpiresOn   deadline.Date `json:"expires_on,omitzero"`
	Outcome     string        `json:"outcome"`
	OutcomeZh   string        `json:"outcome_zh"`
	Result      string        `json:"result,omitempty"`
	RenewalOf   string        `json:"renewal_of,omitempty"`
	At          Time          `json:"at,omitzero"`
	Actor       string        `json:"actor,omitempty"`
}

// Step is one step of a due date's computation.
type Step struct {
	Code string        `json:"code"`
	Date deadline.Date `json:"date,omitzero"`
	Text string        `json:"text"`
}

// Override is a judge's correction of a computed due date.
type Override struct {
	Date   deadline.Date `json:"date"`
	Reason string        `json:"reason"`
	By     string        `json:"by"`
	At     Time          `json:"at,omitzero"`
}

// Due is a time limit on a case.
type Due struct {
	ID               string          `json:"id"`
	Rule             string          `json:"rule"`
	Title            string          `json:"title"`
	RuleVersion      string          `json:"rule_version,omitempty"`
	Owner            string          `json:"owner"`
	Severity         string          `json:"severity"`
	Basis            string          `json:"basis"`
	Trigger          deadline.Date   `json:"trigger,omitzero"`
	TriggerRef       string          `json:"trigger_ref,omitempty"`
	Computed         deadline.Date   `json:"computed"`
	Due              deadline.Date   `json:"due"`
	Deadline         Time            `json:"deadline,omitzero"`
	Steps            []Step          `json:"steps,omitempty"`
	CalcBasis        []string        `json:"calc_basis,omitempty"`
	Provisional      bool            `json:"provisional"`
	AwaitingCalendar bool            `json:"awaiting_calendar"`
	Warnings         []deadline.Date `json:"warnings,omitempty"`
	Override         *Override       `json:"override,omitempty"`
	Status           string          `json:"status"`
	DoneOn           deadline.Date   `json:"done_on,omitzero"`
	Internal         bool            `json:"internal"`
	Right            string          `json:"right,omitempty"`
	RightAction      string          `json:"right_action,omitempty"`
	// Level and LevelZh are the warning level today of an open item; only
	// GET /cases/{id}/due sets them.
	Level   string `json:"level,omitempty"`
	LevelZh string `json:"level_zh,omitempty"`
}

// Opinion is an applicant's reply to a solicitation.
type Opinion struct {
	Choice     string `json:"choice"`
	Text       string `json:"text,omitempty"`
	Channel    string `json:"channel"`
	ReceivedAt Time   `json:"received_at,omitzero"`
	RecordedBy string `json:"recorded_by,omitempty"`
}

// Solicitation asks the applicant's opinion before closing.
type Solicitation struct {
	ID                 string        `json:"id"`
	PartyID            string        `json:"party_id"`
	ReplyCode          string        `json:"reply_code"`
	Purpose            string        `json:"purpose"`
	Summary            string        `json:"summary"`
	AskedOn            deadline.Date `json:"asked_on,omitzero"`
	At                 Time          `json:"at,omitzero"`
	By                 string        `json:"by,omitempty"`
	ReplyBy            deadline.Date `json:"reply_by,omitzero"`
	ReplyByProvisional bool          `json:"reply_by_provisional"`
	Answer             *Opinion      `json:"answer,omitempty"`
}

// Request is a party's request or complaint.
type Request struct {
	ID          string        `json:"id"`
	PartyID     string        `json:"party_id"`
	Channel     string        `json:"channel"`
	Text        string        `json:"text"`
	ReceivedAt  Time          `json:"received_at,omitzero"`
	RecordBy    deadline.Date `json:"record_by,omitzero"`
	ResolveBy   deadline.Date `json:"resolve_by,omitzero"`
	Provisional bool          `json:"provisional"`
	Answer      string        `json:"answer,omitempty"`
	AnsweredBy  string        `json:"answered_by,omitempty"`
	AnsweredAt  Time          `json:"answered_at,omitzero"`
}

// Order is a supervision order (督办) and the judge's response.
type Order struct {
	ID          string        `json:"id"`
	IssuedBy    string        `json:"issued_by"`
	IssuedAt    Time          `json:"issued_at,omitzero"`
	Text        string        `json:"text"`
	Due         deadline.Date `json:"due,omitzero"`
	Response    string        `json:"response,omitempty"`
	RespondedBy string        `json:"responded_by,omitempty"`
	RespondedAt Time          `json:"responded_at,omitzero"`
}

// Deduction is a period not counted in the handling limit.
type Deduction struct {
	Kind string        `json:"kind"`
	From deadline.Date `json:"from"`
	To   deadline.Date `json:"to,omitzero"`
	Ref  string        `json:"ref,omitempty"`
}

// Precondition is one item of a closure checklist.
type Precondition struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Basis   string `json:"basis"`
	Article string `json:"article,omitempty"`
	Met     bool   `json:"met"`
	Status  string `json:"status,omitempty"`
	Detail  string `json:"detail"`
}

// Closure is how a case was closed.
type Closure struct {
	Mode   string         `json:"mode"`
	ModeZh string         `json:"mode_zh"`
	On     deadline.Date  `json:"on"`
	Reason string         `json:"reason"`
	By     string         `json:"by"`
	At     Time           `json:"at,omitzero"`
	Checks []Precondition `json:"checks"`
	Unmet  []string       `json:"unmet,omitempty"`
}

// Case is an enforcement case as the staff see it.
type Case struct {
	ID                 string         `json:"id"`
	Number             string         `json:"number"`
	Court              string         `json:"court"`
	Cause              string         `json:"cause"`
	Source             Source         `json:"source"`
	NonLitigation      bool           `json:"non_litigation"`
	Parties            []Party        `json:"parties"`
	AmountApplied      Money          `json:"amount_applied"`
	AmountRecovered    Money          `json:"amount_recovered"`
	ReceivedOn         deadline.Date  `json:"received_on,omitzero"`
	FiledOn            deadline.Date  `json:"filed_on"`
	JudgeID            string         `json:"judge_id"`
	Key                bool           `json:"key"`
	Status             string         `json:"status"`
	StatusZh           string         `json:"status_zh"`
	QueryCode          string         `json:"query_code,omitempty"`
	Nodes              []Node         `json:"nodes"`
	Measures           []Measure      `json:"measures"`
	DueItems           []Due          `json:"due_items"`
	Deductions         []Deduction    `json:"deductions"`
	Solicitations      []Solicitation `json:"solicitations"`
	Requests           []Request      `json:"requests"`
	Orders             []Order        `json:"orders"`
	Closure            *Closure       `json:"closure,omitempty"`
	Withdrawn          []Withdrawal   `json:"withdrawn,omitempty"`
	LateAcknowledgedBy string         `json:"late_acknowledged_by,omitempty"`
	Version            int64          `json:"version"`
	UpdatedAt          Time           `json:"updated_at,omitzero"`
}

func timeOf(t time.Time) Time { return Time(t) }

func sourceOut(s enforcement.SourceDocument) Source {
	return Source{Title: s.Title, Number: s.Number, Issuer: s.Issuer, EffectiveOn: s.EffectiveOn, PerformanceDue: s.PerformanceDue, Instalments: s.Instalments}
}

func partyOut(p enforcement.Party) Party {
	return Party{ID: p.ID, Role: p.Role.String(), RoleZh: p.Role.Chinese(), Kind: p.Kind.String(), Name: p.Name, IDNumber: p.IDNumber.String(),
		Mobile: p.Mobile, OptOut: p.OptOut, WrongNumber: p.WrongNumber}
}

func partiesOut(ps []enforcement.Party) []Party {
	out := make([]Party, 0, len(ps))
	for _, p := range ps {
		out = append(out, partyOut(p))
	}
	return out
}

func stepsOut(ss []deadline.Step) []Step {
	out := make([]Step, 0, len(ss))
	for _, s := range ss {
		out = append(out, Step{Code: string(s.Code), Date: s.Date, Text: s.Text})
	}
	return out
}

func dueOut(d enforcement.DueItem) Due {
	v := Due{ID: d.ID, Rule: d.Rule, Title: d.Title, RuleVersion: d.RuleVersion, Owner: d.Owner, Severity: string(d.Severity), Basis: d.Basis,
		Trigger: d.Trigger, TriggerRef: d.TriggerRef, Computed: d.Computed, Due: d.Due(), Deadline: timeOf(d.Deadline), Steps: stepsOut(d.Steps),
		CalcBasis: nonNil(d.CalcBasis), Provisional: d.Provisional, AwaitingCalendar: d.AwaitingCalendar, Warnings: nonNil(d.Warnings),
		Status: string(d.Status), DoneOn: d.DoneOn, Internal: d.Internal, Right: string(d.Right), RightAction: d.RightAction}
	if o := d.Override; o != nil {
		v.Override = &Override{Date: o.Date, Reason: o.Reason, By: o.By, At: timeOf(o.At)}
	}
	return v
}

func preconditionsOut(ps []enforcement.Precondition) []Precondition {
	out := make([]Precondition, 0, len(ps))
	for _, p := range ps {
		out = append(out, Precondition{Key: p.Key, Title: p.Title, Basis: p.Basis, Article: p.Article, Met: p.Met, Status: string(p.Status), Detail: p.Detail})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// caseOut maps c to its API form.
func caseOut(c *enforcement.Case) Case {
	v := Case{ID: c.ID, Number: c.Number.String(), Court: c.Court, Cause: c.Cause, Source: sourceOut(c.Source), NonLitigation: c.NonLitigation,
		Parties: partiesOut(c.Parties), AmountApplied: Money(c.AmountApplied), AmountRecovered: Money(c.AmountRecovered),
		ReceivedOn: c.ReceivedOn, FiledOn: c.FiledOn, JudgeID: c.JudgeID, Key: c.Key, Status: string(c.Status), StatusZh: c.Status.Chinese(),
		QueryCode: c.QueryCode, LateAcknowledgedBy: c.LateAcknowledgedBy, Version: c.Version, UpdatedAt: timeOf(c.UpdatedAt),
		Nodes: []Node{}, Measures: []Measure{}, DueItems: []Due{}, Deductions: []Deduction{}, Solicitations: []Solicitation{}, Requests: []Request{}, Orders: []Order{}}
	for _, n := range c.Nodes {
		v.Nodes = append(v.Nodes, Node{ID: n.ID, Kind: string(n.Kind), Date: n.Date, At: timeOf(n.At), Actor: n.Actor, Note: n.Note, Urgent: n.Urgent, PartyID: n.PartyID})
	}
	for _, m := range c.Measures {
		v.Measures = append(v.Measures, Measure{ID: m.ID, Node: string(m.Node), Kind: string(m.Kind), KindZh: m.Kind.Chinese(), Property: string(m.Property),
			Target: m.Target, Amount: Money(m.Amount), TakenOn: m.TakenOn, EffectiveOn: m.EffectiveOn, ExpiresOn: m.ExpiresOn,
			Outcome: string(m.Outcome), OutcomeZh: m.Outcome.Chinese(), Result: m.Result, RenewalOf: m.RenewalOf, At: timeOf(m.At), Actor: m.Actor})
	}
	for _, d := range c.DueItems {
		v.DueItems = append(v.DueItems, dueOut(d))
	}
	for _, w := range c.Withdrawn {
		v.Withdrawn = append(v.Withdrawn, withdrawalOut(w))
	}
	for _, d := range c.Deductions {
		v.Deductions = append(v.Deductions, Deduction{Kind: d.Kind, From: d.From, To: d.To, Ref: d.Ref})
	}
	for _, s := range c.Solicitations {
		o := Solicitation{ID: s.ID, PartyID: s.PartyID, ReplyCode: s.ReplyCode, Purpose: string(s.Purpose), Summary: s.Summary, AskedOn: s.AskedOn,
			At: timeOf(s.At), By: s.By, ReplyBy: s.ReplyBy, ReplyByProvisional: s.ReplyByProvisional}
		if a := s.Answer; a != nil {
			o.Answer = &Opinion{Choice: string(a.Choice), Text: a.Text, Channel: a.Channel, ReceivedAt: timeOf(a.ReceivedAt), RecordedBy: a.RecordedBy}
		}
		v.Solicitations = append(v.Solicitations, o)
	}
	for _, r := range c.Requests {
		v.Requests = append(v.Requests, Request{ID: r.ID, PartyID: r.PartyID, Channel: r.Channel, Text: r.Text, ReceivedAt: timeOf(r.ReceivedAt),
			RecordBy: r.RecordBy, ResolveBy: r.ResolveBy, Provisional: r.Provisional, Answer: r.Answer, AnsweredBy: r.AnsweredBy, AnsweredAt: timeOf(r.AnsweredAt)})
	}
	for _, o := range c.Orders {
		v.Orders = append(v.Orders, Order{ID: o.ID, IssuedBy: o.IssuedBy, IssuedAt: timeOf(o.IssuedAt), Text: o.Text, Due: o.Due,
			Response: o.Response, RespondedBy: o.RespondedBy, RespondedAt: timeOf(o.RespondedAt)})
	}
	if cl := c.Closure; cl != nil {
		v.Closure = &Closure{Mode: string(cl.Mode), ModeZh: cl.Mode.Chinese(), On: cl.On, Reason: cl.Reason, By: cl.By, At: timeOf(cl.At),
			Checks: preconditionsOut(cl.Checks), Unmet: cl.Unmet}
	}
	return v
}

// caseView is the case as p may see it: the staff's whole record, or a
// party's public view.
func caseView(p *desk.Principal, c *enforcement.Case) any {
	if p != nil && p.Role == desk.RoleParty {
		return desk.ViewForParty(p, c)
	}
	return caseOut(c)
}

// Recipient is who a message goes to.
type Recipient struct {
	PartyID     string `json:"party_id,omitempty"`
	UserID      string `json:"user_id,omitempty"`
	Role        string `json:"role"`
	Name        string `json:"name"`
	Mobile      string `json:"mobile,omitempty"`
	OptOut      bool   `json:"opt_out"`
	WrongNumber bool   `json:"wrong_number"`
}

// Transition is one change of a message's state.
type Transition struct {
	From  string `json:"from,omitempty"`
	To    string `json:"to"`
	At    Time   `json:"at,omitzero"`
	Actor string `json:"actor,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Message is an SMS as the staff see it.
type Message struct {
	ID          string            `json:"id"`
	CaseID      string            `json:"case_id"`
	EventID     string            `json:"event_id,omitempty"`
	Recipient   Recipient         `json:"recipient"`
	Template    string            `json:"template"`
	Params      map[string]string `json:"params"`
	Body        string            `json:"body"`
	Segments    int               `json:"segments"`
	State       string            `json:"state"`
	StateZh     string            `json:"state_zh"`
	Urgent      bool              `json:"urgent"`
	NotBefore   Time              `json:"not_before,omitzero"`
	Attempts    int               `json:"attempts"`
	LastError   string            `json:"last_error,omitempty"`
	Skipped     string            `json:"skipped,omitempty"`
	SentAt      Time              `json:"sent_at,omitzero"`
	DeliveredAt Time              `json:"delivered_at,omitzero"`
	History     []Transition      `json:"history"`
	CreatedAt   Time              `json:"created_at,omitzero"`
}

func messageOut(m notify.Message) Message {
	v := Message{ID: m.ID, CaseID: m.CaseID, EventID: m.EventID, Template: m.Template, Params: m.Params, Body: m.Body, Segments: m.Segments,
		State: string(m.State), StateZh: m.State.Chinese(), Urgent: m.Urgent, NotBefore: timeOf(m.NotBefore), Attempts: m.Attempts,
		LastError: m.LastError.Code, Skipped: string(m.Skipped), SentAt: timeOf(m.SentAt), DeliveredAt: timeOf(m.DeliveredAt),
		CreatedAt: timeOf(m.CreatedAt), History: []Transition{},
		Recipient: Recipient{PartyID: m.Recipient.PartyID, UserID: m.Recipient.UserID, Role: string(m.Recipient.Role), Name: m.Recipient.Name,
			Mobile: m.Recipient.Mobile, OptOut: m.Recipient.OptOut, WrongNumber: m.Recipient.WrongNumber}}
	if v.Params == nil {
		v.Params = map[string]string{}
	}
	for _, t := range m.History {
		v.History = append(v.History, Transition{From: string(t.From), To: string(t.To), At: timeOf(t.At), Actor: t.Actor, Note: t.Note})
	}
	return v
}

// messagesView lists ms as p may see them: the staff's whole record, or a
// party's text and state.
func messagesView(p *desk.Principal, ms []notify.Message) any {
	if p.Role == desk.RoleParty {
		return desk.MessageViews(p, ms)
	}
	out := make([]Message, 0, len(ms))
	for _, m := range ms {
		out = append(out, messageOut(m))
	}
	return out
}

// Place is where a trip goes.
type Place struct {
	Address  string   `json:"address,omitempty"`
	Division string   `json:"division,omitempty"`
	Lat      *float64 `json:"lat,omitempty"`
	Lng      *float64 `json:"lng,omitempty"`
}

// Trip is a judge's trip out of the court.
type Trip struct {
	ID        string `json:"id"`
	JudgeID   string `json:"judge_id"`
	JudgeName string `json:"judge_name,omitempty"`
	CaseID    string `json:"case_id,omitempty"`
	Start     Time   `json:"start"`
	End       Time   `json:"end"`
	Place     Place  `json:"place"`
	Purpose   string `json:"purpose,omitempty"`
	// Entrust, for a trip of the signed-in user's court to a place outside
	// the court's area, suggests entrusting the task to the court of the
	// place (执行事项委托).
	Entrust *Entrust `json:"entrust,omitempty"`
}

// Entrust is the suggestion to entrust a field trip's task to the court of
// the place (执行事项委托): the district, the deployment's court whose area
// it is (if any) and the hint in Chinese.
type Entrust struct {
	District     string `json:"district"`
	DistrictName string `json:"district_name,omitempty"`
	Court        string `json:"court,omitempty"`
	CourtName    string `json:"court_name,omitempty"`
	Hint         string `json:"hint"`
}

// entrust sets the entrustment suggestion of t, a trip of court.
func (h *API) entrust(court string, t *Trip) {
	if e, ok := h.desk.EntrustHint(court, planning.Place{Division: t.Place.Division}); ok {
		t.Entrust = &Entrust{District: e.District, DistrictName: e.DistrictName, Court: e.Court, CourtName: e.CourtName, Hint: e.Hint}
	}
}

// planHints sets the entrustment suggestions of the trips of plan v, a
// plan of court.
func (h *API) planHints(court string, v Plan) Plan {
	for i := range v.Items {
		if v.Items[i].Trip != nil {
			h.entrust(court, v.Items[i].Trip)
		}
	}
	return v
}

func placeOut(p planning.Place) Place {
	v := Place{Address: p.Address, Division: p.Division}
	if p.HasCoords {
		lat, lng := p.Lat, p.Lng
		v.Lat, v.Lng = &lat, &lng
	}
	return v
}

func tripOut(t planning.Trip) Trip {
	return Trip{ID: t.ID, JudgeID: t.JudgeID, JudgeName: t.JudgeName, CaseID: t.CaseID, Start: timeOf(t.Start), End: timeOf(t.End),
		Place: placeOut(t.Place), Purpose: t.Purpose}
}

func tripsOut(ts []planning.Trip) []Trip {
	out := make([]Trip, 0, len(ts))
	for _, t := range ts {
		out = append(out, tripOut(t))
	}
	return out
}

// Window is a span of time.
type Window struct {
	Start Time `json:"start"`
	End   Time `json:"end"`
}

// Stop is one place of a coordination group.
type Stop struct {
	Place   Place    `json:"place"`
	Start   Time     `json:"start"`
	TripIDs []string `json:"trip_ids"`
}

// Delegation is the option of entrusting a task to the court of the place.
type Delegation struct {
	Division string   `json:"division"`
	Name     string   `json:"name,omitempty"`
	TripIDs  []string `json:"trip_ids"`
}

// Group is a set of trips that can be pooled.
type Group struct {
	ID          string       `json:"id"`
	Trips       []Trip       `json:"trips"`
	Judges      []string     `json:"judges"`
	Window      Window       `json:"window"`
	Common      *Window      `json:"common,omitempty"`
	Stops       []Stop       `json:"stops"`
	Delegations []Delegation `json:"delegations"`
	Summary     string       `json:"summary"`
}

func groupsOut(gs []planning.Group) []Group {
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		v := Group{ID: g.ID, Trips: tripsOut(g.Trips), Judges: nonNil(g.Judges), Window: Window{timeOf(g.Window.Start), timeOf(g.Window.End)},
			Stops: []Stop{}, Delegations: []Delegation{}, Summary: g.Summary}
		if g.Common != nil {
			v.Common = &Window{timeOf(g.Common.Start), timeOf(g.Common.End)}
		}
		for _, s := range g.Stops {
			v.Stops = append(v.Stops, Stop{Place: placeOut(s.Place), Start: timeOf(s.Start), TripIDs: nonNil(s.TripIDs)})
		}
		for _, d := range g.Delegations {
			v.Delegations = append(v.Delegations, Delegation{Division: d.Division, Name: d.Name, TripIDs: nonNil(d.TripIDs)})
		}
		out = append(out, v)
	}
	return out
}

// PlanItem is one item of a weekly plan.
type PlanItem struct {
	ID     string        `json:"id"`
	Kind   string        `json:"kind"`
	CaseID string        `json:"case_id,omitempty"`
	DueID  string        `json:"due_id,omitempty"`
	Title  string        `json:"title"`
	Day    deadline.Date `json:"day,omitzero"`
	Start  Time          `json:"start,omitzero"`
	End    Time          `json:"end,omitzero"`
	Trip   *Trip         `json:"trip,omitempty"`
	Done   bool          `json:"done"`
}

// Revision is one change of a plan.
type Revision struct {
	At      Time     `json:"at,omitzero"`
	By      string   `json:"by"`
	Op      string   `json:"op"`
	ItemID  string   `json:"item_id,omitempty"`
	Changed []string `json:"changed,omitempty"`
	// Before is the item before the change: the removed item of a removal.
	Before *PlanItem `json:"before,omitempty"`
}

// Plan is a judge's weekly plan.
type Plan struct {
	ID          string     `json:"id"`
	Court       string     `json:"court"`
	JudgeID     string     `json:"judge_id"`
	Week        string     `json:"week"`
	Items       []PlanItem `json:"items"`
	Status      string     `json:"status"`
	SubmittedAt Time       `json:"submitted_at,omitzero"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	UpdatedAt   Time       `json:"updated_at,omitzero"`
	History     []Revision `json:"history"`
	Version     int64      `json:"version"`
}

func planOut(p *planning.Plan) Plan {
	v := Plan{ID: p.ID, Court: p.Court, JudgeID: p.JudgeID, Week: p.Week.String(), Items: []PlanItem{}, Status: string(p.Status),
		SubmittedAt: timeOf(p.SubmittedAt), SubmittedBy: p.SubmittedBy, UpdatedAt: timeOf(p.UpdatedAt), History: []Revision{}, Version: p.Version}
	for _, it := range p.Items {
		v.Items = append(v.Items, planItemOut(it))
	}
	for _, r := range p.History {
		rv := Revision{At: timeOf(r.At), By: r.By, Op: string(r.Op), ItemID: r.ItemID, Changed: r.Changed}
		if r.Before != nil {
			b := planItemOut(*r.Before)
			rv.Before = &b
		}
		v.History = append(v.History, rv)
	}
	return v
}

func planItemOut(it planning.Item) PlanItem {
	o := PlanItem{ID: it.ID, Kind: string(it.Kind), CaseID: it.CaseID, DueID: it.DueID, Title: it.Title, Day: it.Day,
		Start: timeOf(it.Start), End: timeOf(it.End), Done: it.Done}
	if it.Trip != nil {
		t := tripOut(*it.Trip)
		o.Trip = &t
	}
	return o
}

// LevelCounts counts open due items per warning level.
type LevelCounts struct {
	Normal      int `json:"normal"`
	Approaching int `json:"approaching"`
	DueToday    int `json:"due_today"`
	Overdue     int `json:"overdue"`
}

// DueFlag is an open due item in the due index.
type DueFlag struct {
	CaseID      string        `json:"case_id"`
	Number      string        `json:"number"`
	JudgeID     string        `json:"judge_id"`
	Key         bool          `json:"key"`
	DueID       string        `json:"due_id"`
	Rule        string        `json:"rule"`
	Title       string        `json:"title"`
	Owner       string        `json:"owner"`
	Severity    string        `json:"severity"`
	Due         deadline.Date `json:"due"`
	Overridden  bool          `json:"overridden"`
	Provisional bool          `json:"provisional"`
	Level       string        `json:"level"`
	DaysOverdue int           `json:"days_overdue"`
}

// Unclassified is an open due item whose level could not be determined.
type Unclassified struct {
	CaseID string        `json:"case_id"`
	DueID  string        `json:"due_id"`
	Due    deadline.Date `json:"due"`
}

// DueIndex is the classification of open due items today.
type DueIndex struct {
	Today        deadline.Date  `json:"today"`
	Counts       LevelCounts    `json:"counts"`
	Flagged      []DueFlag      `json:"flagged"`
	Unclassified []Unclassified `json:"unclassified"`
	// Rights counts the parties' open rights, which are nobody's overdue
	// work: neither counted by level nor flagged.
	Rights int `json:"rights"`
}

func dueIndexOut(c enforcement.Classification) DueIndex {
	v := DueIndex{Today: c.Today, Counts: countsOut(c.Counts),
		Flagged: []DueFlag{}, Unclassified: []Unclassified{}, Rights: c.Rights}
	for _, f := range c.Flagged {
		v.Flagged = append(v.Flagged, DueFlag{CaseID: f.CaseID, Number: f.Number, JudgeID: f.JudgeID, Key: f.Key, DueID: f.DueID, Rule: f.Rule,
			Title: f.Title, Owner: f.Owner, Severity: string(f.Severity), Due: f.Due, Overridden: f.Overridden, Provisional: f.Provisional,
			Level: f.Level.String(), DaysOverdue: f.DaysOverdue})
	}
	for _, u := range c.Unclassified {
		v.Unclassified = append(v.Unclassified, Unclassified{CaseID: u.CaseID, DueID: u.DueID, Due: u.Due})
	}
	return v
}

// KeyCase is a key case in the chief's report.
type KeyCase struct {
	CaseID    string        `json:"case_id"`
	Number    string        `json:"number"`
	JudgeID   string        `json:"judge_id"`
	Status    string        `json:"status"`
	FiledOn   deadline.Date `json:"filed_on"`
	AgeDays   int           `json:"age_days"`
	Counts    LevelCounts   `json:"counts"`
	Worst     string        `json:"worst,omitempty"`
	NextDue   deadline.Date `json:"next_due,omitzero"`
	NextTitle string        `json:"next_title,omitempty"`
}

// RequestFlag is an unanswered party request in the chief's report.
type RequestFlag struct {
	CaseID         string        `json:"case_id"`
	Number         string        `json:"number"`
	JudgeID        string        `json:"judge_id"`
	RequestID      string        `json:"request_id"`
	PartyID        string        `json:"party_id"`
	Channel        string        `json:"channel"`
	ReceivedOn     deadline.Date `json:"received_on,omitzero"`
	RecordBy       deadline.Date `json:"record_by,omitzero"`
	ResolveBy      deadline.Date `json:"resolve_by,omitzero"`
	Level          string        `json:"level,omitempty"`
	Unacknowledged bool          `json:"unacknowledged"`
	Late           bool          `json:"late"`
}

// OrderFlag is a supervision order in the chief's report.
type OrderFlag struct {
	CaseID       string        `json:"case_id"`
	Number       string        `json:"number"`
	JudgeID      string        `json:"judge_id"`
	OrderID      string        `json:"order_id"`
	IssuedBy     string        `json:"issued_by"`
	IssuedOn     deadline.Date `json:"issued_on,omitzero"`
	Text         string        `json:"text"`
	Due          deadline.Date `json:"due,omitzero"`
	Answered     bool          `json:"answered"`
	Response     string        `json:"response,omitempty"`
	RespondedBy  string        `json:"responded_by,omitempty"`
	RespondedOn  deadline.Date `json:"responded_on,omitzero"`
	Level        string        `json:"level,omitempty"`
	Overdue      bool          `json:"overdue"`
	AnsweredLate bool          `json:"answered_late"`
}

// JudgeFigures are one judge's figures in the chief's report. Rates and
// ratios are decimal strings.
type JudgeFigures struct {
	JudgeID            string      `json:"judge_id"`
	Cases              int         `json:"cases"`
	Open               int         `json:"open"`
	Closed             int         `json:"closed"`
	ClosureRate        string      `json:"closure_rate"`
	MedianOpenAgeDays  string      `json:"median_open_age_days"`
	KeyCases           int         `json:"key_cases"`
	Counts             LevelCounts `json:"counts"`
	Applied            Money       `json:"applied"`
	Recovered          Money       `json:"recovered"`
	RecoveryRatio      string      `json:"recovery_ratio,omitempty"`
	UnansweredRequests int         `json:"unanswered_requests"`
	LateRequests       int         `json:"late_requests"`
	OpenOrders         int         `json:"open_orders"`
	OverdueOrders      int         `json:"overdue_orders"`
}

// Report is the chief's supervision report.
type Report struct {
	Today        deadline.Date  `json:"today"`
	Approaching  int            `json:"approaching"`
	Counts       LevelCounts    `json:"counts"`
	Due          []DueFlag      `json:"due"`
	Unclassified []Unclassified `json:"unclassified"`
	// UnclassifiedTotal counts the unclassified tasks; unclassified lists
	// the earliest due of them, as many as the report lists flagged ones.
	UnclassifiedTotal int       `json:"unclassified_total"`
	KeyCases          []KeyCase `json:"key_cases"`
	// More counts what each list leaves out: the flagged and unclassified
	// items beyond those listed, and with ?limit= the key cases, requests
	// and orders after the first limit.
	More     desk.ReportMore `json:"more"`
	Requests []RequestFlag   `json:"requests"`
	Orders   []OrderFlag     `json:"orders"`
	Judges   []JudgeFigures  `json:"judges"`
	// Unassigned and PartyTasks count the tasks of cases without a judge
	// and of parties and platforms; Rights the parties' open rights;
	// AddsUp whether Counts equals the judges' counts plus Unassigned
	// plus PartyTasks (enforcement.Report.AddsUp).
	Unassigned LevelCounts `json:"unassigned"`
	PartyTasks LevelCounts `json:"party_tasks"`
	Rights     int         `json:"rights"`
	AddsUp     bool        `json:"adds_up"`
}

func levelOf(l enforcement.Level) string {
	if l == 0 {
		return ""
	}
	return l.String()
}

func countsOut(c enforcement.LevelCounts) LevelCounts {
	return LevelCounts{c.Normal, c.Approaching, c.DueToday, c.Overdue}
}

func reportOut(r enforcement.Report) Report {
	ix := dueIndexOut(enforcement.Classification{Today: r.Today, Counts: r.Counts, Flagged: r.Due, Unclassified: r.Unclassified})
	v := Report{Today: r.Today, Approaching: r.Approaching, Counts: ix.Counts, Due: ix.Flagged, Unclassified: ix.Unclassified,
		KeyCases: []KeyCase{}, Requests: []RequestFlag{}, Orders: []OrderFlag{}, Judges: []JudgeFigures{},
		Unassigned: countsOut(r.Unassigned), PartyTasks: countsOut(r.PartyTasks), Rights: r.Rights, AddsUp: r.AddsUp(),
		UnclassifiedTotal: r.UnclassifiedTotal,
		More:              desk.ReportMoreOf(r)}
	for _, k := range r.KeyCases {
		v.KeyCases = append(v.KeyCases, KeyCase{CaseID: k.CaseID, Number: k.Number, JudgeID: k.JudgeID, Status: string(k.Status), FiledOn: k.FiledOn,
			AgeDays: k.AgeDays, Counts: countsOut(k.Counts), Worst: levelOf(k.Worst), NextDue: k.NextDue, NextTitle: k.NextTitle})
	}
	for _, q := range r.Requests {
		v.Requests = append(v.Requests, RequestFlag{CaseID: q.CaseID, Number: q.Number, JudgeID: q.JudgeID, RequestID: q.RequestID, PartyID: q.PartyID,
			Channel: q.Channel, ReceivedOn: q.ReceivedOn, RecordBy: q.RecordBy, ResolveBy: q.ResolveBy, Level: levelOf(q.Level),
			Unacknowledged: q.Unacknowledged, Late: q.Late})
	}
	for _, o := range r.Orders {
		v.Orders = append(v.Orders, OrderFlag{CaseID: o.CaseID, Number: o.Number, JudgeID: o.JudgeID, OrderID: o.OrderID, IssuedBy: o.IssuedBy,
			IssuedOn: o.IssuedOn, Text: o.Text, Due: o.Due, Answered: o.Answered, Response: o.Response, RespondedBy: o.RespondedBy,
			RespondedOn: o.RespondedOn, Level: levelOf(o.Level), Overdue: o.Overdue, AnsweredLate: o.AnsweredLate})
	}
	for _, j := range r.Judges {
		f := JudgeFigures{JudgeID: j.JudgeID, Cases: j.Cases, Open: j.Open, Closed: j.Closed, ClosureRate: j.ClosureRate.String(),
			MedianOpenAgeDays: j.MedianOpenAgeDays.String(), KeyCases: j.KeyCases, Counts: countsOut(j.Counts), Applied: Money(j.Applied),
			Recovered: Money(j.Recovered), UnansweredRequests: j.UnansweredRequests, LateRequests: j.LateRequests,
			OpenOrders: j.OpenOrders, OverdueOrders: j.OverdueOrders}
		if j.HasRatio {
			f.RecoveryRatio = j.RecoveryRatio.String()
		}
		v.Judges = append(v.Judges, f)
	}
	return v
}

// AgendaCounts counts a judge's reminders.
type AgendaCounts struct {
	Overdue     int `json:"overdue"`
	DueToday    int `json:"due_today"`
	Approaching int `json:"approaching"`
	Normal      int `json:"normal"`
	Unplanned   int `json:"unplanned"`
	TooLate     int `json:"too_late"`
	NotCovered  int `json:"not_covered"`
}

// ItemRef is a plan item an agenda entry stands for.
type ItemRef struct {
	PlanID string        `json:"plan_id"`
	ItemID string        `json:"item_id"`
	Kind   string        `json:"kind"`
	Title  string        `json:"title"`
	Date   deadline.Date `json:"date,omitzero"`
	Start  Time          `json:"start,omitzero"`
	End    Time          `json:"end,omitzero"`
	Done   bool          `json:"done"`
}

// Entry is one reminder: a due item, plan items, or both. Its due item
// comes without the steps and period rules that explain its date (the
// case answers carry them).
type Entry struct {
	Level      string        `json:"level,omitempty"`
	LevelZh    string        `json:"level_zh,omitempty"`
	Title      string        `json:"title"`
	CaseID     string        `json:"case_id,omitempty"`
	CaseNumber string        `json:"case_number,omitempty"`
	Date       deadline.Date `json:"date"`
	Due        deadline.Date `json:"due,omitzero"`
	DueID      string        `json:"due_id,omitempty"`
	DueItem    *Due          `json:"due_item,omitempty"`
	Items      []ItemRef     `json:"items"`
	Flags      []string      `json:"flags"`
}

// Agenda is a judge's reminders (智能提醒).
type Agenda struct {
	JudgeID  string        `json:"judge_id"`
	Day      deadline.Date `json:"day"`
	Week     string        `json:"week"`
	Counts   AgendaCounts  `json:"counts"`
	Today    []Entry       `json:"today"`
	ThisWeek []Entry       `json:"this_week"`
	NextWeek []Entry       `json:"next_week"`
	// More counts the entries each list leaves out (after its first
	// limit, the most urgent); counts count them all.
	More AgendaMore `json:"more"`
}

// AgendaMore counts the entries of a judge's reminders not listed, per list.
type AgendaMore struct {
	Today    int `json:"today"`
	ThisWeek int `json:"this_week"`
	NextWeek int `json:"next_week"`
}

// ChiefAgenda is every judge's reminders, for the chief.
type ChiefAgenda struct {
	Day    deadline.Date `json:"day"`
	Judges []Agenda      `json:"judges"`
	Totals AgendaCounts  `json:"totals"`
}

func agendaCounts(c planning.Counts) AgendaCounts {
	return AgendaCounts{c.Overdue, c.DueToday, c.Approaching, c.Normal, c.Unplanned, c.TooLate, c.NotCovered}
}

func entriesOut(es []planning.Entry) []Entry {
	out := make([]Entry, 0, len(es))
	for _, e := range es {
		v := Entry{Title: e.Title, CaseID: e.CaseID, CaseNumber: e.CaseNumber, Date: e.Date, Due: e.Due, DueID: e.DueID,
			Items: []ItemRef{}, Flags: []string{}}
		if e.Level != 0 {
			v.Level, v.LevelZh = e.Level.String(), e.Level.Chinese()
		}
		if e.DueItem != nil {
			d := dueOut(*e.DueItem)
			d.Steps, d.CalcBasis = nil, nil
			v.DueItem = &d
		}
		for _, it := range e.Items {
			v.Items = append(v.Items, ItemRef{PlanID: it.PlanID, ItemID: it.ItemID, Kind: string(it.Kind), Title: it.Title, Date: it.Date,
				Start: timeOf(it.Start), End: timeOf(it.End), Done: it.Done})
		}
		for _, f := range e.Flags {
			v.Flags = append(v.Flags, string(f))
		}
		out = append(out, v)
	}
	return out
}

func agendaOut(a planning.Agenda) Agenda {
	return Agenda{JudgeID: a.JudgeID, Day: a.Day, Week: a.Week.String(), Counts: agendaCounts(a.Counts),
		Today: entriesOut(a.Today), ThisWeek: entriesOut(a.ThisWeek), NextWeek: entriesOut(a.NextWeek),
		More: AgendaMore{Today: a.More.Today, ThisWeek: a.More.ThisWeek, NextWeek: a.More.NextWeek}}
}

func chiefAgendaOut(v planning.ChiefView) ChiefAgenda {
	out := ChiefAgenda{Day: v.Day, Judges: []Agenda{}, Totals: agendaCounts(v.Totals)}
	for _, a := range v.Judges {
		out.Judges = append(out.Judges, agendaOut(a))
	}
	return out
}
