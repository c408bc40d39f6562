package enforcement

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/deadline"
)

// OpinionChoice is the applicant's answer to an opinion solicitation.
type OpinionChoice string

// Opinion choices.
const (
	OpinionAgree    OpinionChoice = "agree"    // 同意终结本次执行程序
	OpinionDisagree OpinionChoice = "disagree" // 不同意
	OpinionOther    OpinionChoice = "other"    // 其他意见（见正文）
)

var opinionNames = map[OpinionChoice]string{OpinionAgree: "同意", OpinionDisagree: "不同意", OpinionOther: "其他意见"}

// Chinese returns the choice's Chinese name.
func (o OpinionChoice) Chinese() string { return opinionNames[o] }

// IsKnown reports whether o is a known choice.
func (o OpinionChoice) IsKnown() bool { _, ok := opinionNames[o]; return ok }

// Solicitation asks the applicant's opinion before the case is closed
// (ZhongBen art. 5: the applicant must be informed and heard before 终本).
type Solicitation struct {
	ID        string
	PartyID   string // the applicant asked
	ReplyCode string // short code the applicant puts in an SMS reply
	// Purpose says what is proposed, e.g. the closure mode.
	Purpose ClosureMode
	// Summary is what the applicant is told: status, measures, assets found.
	Summary string
	AskedOn deadline.Date
	At      time.Time
	By      string
	ReplyBy deadline.Date
	// ReplyByProvisional is set when ReplyBy lies beyond the calendar's
	// coverage: a weekend-only estimate awaiting the calendar (暂定).
	ReplyByProvisional bool `json:",omitempty"`
	// Answer is the applicant's opinion once received.
	Answer *Opinion
}

// Opinion is an applicant's reply to a solicitation.
type Opinion struct {
	Choice     OpinionChoice
	Text       string
	Channel    string // "sms", "web", "phone", "in_person"
	ReceivedAt time.Time
	// RecordedBy is the user who recorded it, empty for automatic channels.
	RecordedBy string
}

// SolicitOpinion asks the applicant s.PartyID for their opinion before
// closing. The reply deadline defaults to the court's setting. On error c is
// unchanged.
func (c *Case) SolicitOpinion(s Solicitation, env Env, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "solicit opinion", Reason: "case is closed", Closed: true}
	}
	pr := problems{what: "solicitation"}
	if s.ID == "" {
		pr.add("id", "required", "")
	} else if slices.ContainsFunc(c.Solicitations, func(x Solicitation) bool { return x.ID == s.ID }) {
		pr.add("id", "duplicate", s.ID)
	}
	if p, ok := c.Party(s.PartyID); !ok || p.Role != RoleApplicant {
		pr.add("party_id", "not_applicant", "the opinion is asked of an applicant (申请执行人)")
	}
	if len(s.ReplyCode) < 4 || len(s.ReplyCode) > 8 || strings.Trim(s.ReplyCode, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") != "" {
		pr.add("reply_code", "invalid_reply_code", "4 to 8 characters of 0-9 and A-Z without I and O")
	}
	for _, x := range c.Solicitations {
		if x.ReplyCode == s.ReplyCode && x.Answer == nil {
			pr.add("reply_code", "duplicate", "another open solicitation on this case uses it")
		}
	}
	if s.Purpose != "" && !s.Purpose.IsKnown() {
		pr.add("purpose", "unknown_closure_mode", string(s.Purpose))
	}
	if !s.AskedOn.IsValid() {
		pr.add("asked_on", "invalid_date", "")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if s.ReplyBy.IsZero() {
		r, err := env.Calendar.Compute(s.AskedOn, deadline.Spec{Period: env.Settings.opinionReply(), AllowProvisional: true})
		if err != nil {
			return nil, fmt.Errorf("enforcement: opinion reply date: %w", err)
		}
		s.ReplyBy, s.ReplyByProvisional = r.Due, r.Provisional
	}
	if s.At.IsZero() {
		s.At = now
	}
	s.Answer = nil
	work := c.Clone()
	work.Solicitations = append(work.Solicitations, s)
	events := []Event{newEvent(work, EventOpinionSolicited, s.ID, now, s.By)}
	evs, err := work.addNode(Node{ID: "solicitation/" + s.ID, Kind: NodeOpinionSolicitation, Date: s.AskedOn, At: now, Actor: s.By}, env, now, s.By)
	if err != nil {
		return nil, err
	}
	return work.commit(c, append(events, evs...))
}

// OpenSolicitation returns the unanswered solicitation with reply code code.
func (c *Case) OpenSolicitation(code string) (Solicitation, bool) {
	for _, s := range c.Solicitations {
		if s.Answer == nil && strings.EqualFold(s.ReplyCode, code) {
			return s, true
		}
	}
	return Solicitation{}, false
}

// RecordOpinion records the applicant's opinion on solicitation id. A second
// answer to the same solicitation is an error (the first one stands; a new
// solicitation asks again). On error c is unchanged.
func (c *Case) RecordOpinion(id string, o Opinion, env Env, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.Solicitations, func(s Solicitation) bool { return s.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: solicitation %s: %w", id, ErrNotFound)
	}
	if c.Solicitations[i].Answer != nil {
		return nil, &StateError{Action: "record opinion", Reason: "the solicitation was already answered"}
	}
	pr := problems{what: "opinion"}
	if !o.Choice.IsKnown() {
		pr.add("choice", "unknown_choice", string(o.Choice))
	}
	if utf8.RuneCountInString(o.Text) > 2000 {
		pr.add("text", "too_long", "at most 2000 characters")
	}
	if o.Choice == OpinionOther && blank(o.Text) {
		pr.add("text", "required", "an 'other' opinion needs text")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if o.ReceivedAt.IsZero() {
		o.ReceivedAt = now
	}
	work := c.Clone()
	op := o
	work.Solicitations[i].Answer = &op
	events := []Event{newEvent(work, EventOpinionRecorded, id, now, o.RecordedBy)}
	if !c.IsClosed() {
		evs, err := work.addNode(Node{ID: "opinion/" + id, Kind: NodeOpinionReceived, Date: deadline.DateOf(o.ReceivedAt), At: now, Actor: o.RecordedBy}, env, now, o.RecordedBy)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
	}
	return work.commit(c, events)
}

// Request is a party's request or complaint (当事人诉求), tracked until it is
// answered.
type Request struct {
	ID         string
	PartyID    string
	Channel    string // "sms", "web", "phone", "visit", "letter"
	Text       string
	ReceivedAt time.Time
	// RecordBy is the date by which it must be recorded and acknowledged;
	// ResolveBy the date by which it must be answered.
	RecordBy  deadline.Date
	ResolveBy deadline.Date
	// Provisional is set when RecordBy or ResolveBy lies beyond the
	// calendar's coverage: a weekend-only estimate awaiting the calendar
	// (暂定). Receiving a request never fails for want of a schedule.
	Provisional bool `json:",omitempty"`
	Answer      string
	AnsweredBy  string
	AnsweredAt  time.Time
}

// IsAnswered reports whether the request has been answered.
func (r Request) IsAnswered() bool { return !r.AnsweredAt.IsZero() }

// ReceiveRequest records a party's request and computes its record-by and
// resolve-by dates. On error c is unchanged.
func (c *Case) ReceiveRequest(r Request, env Env, now time.Time) ([]Event, error) {
	pr := problems{what: "request"}
	if r.ID == "" {
		pr.add("id", "required", "")
	} else if slices.ContainsFunc(c.Requests, func(x Request) bool { return x.ID == r.ID }) {
		pr.add("id", "duplicate", r.ID)
	}
	if _, ok := c.Party(r.PartyID); !ok {
		pr.add("party_id", "unknown_party", r.PartyID)
	}
	if blank(r.Text) {
		pr.add("text", "required", "")
	} else if utf8.RuneCountInString(r.Text) > 2000 {
		pr.add("text", "too_long", "at most 2000 characters")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
	}
	day := deadline.DateOf(r.ReceivedAt)
	rec, err := env.Calendar.Compute(day, deadline.Spec{Period: env.Settings.requestRecord(), AllowProvisional: true})
	if err != nil {
		return nil, fmt.Errorf("enforcement: request record-by date: %w", err)
	}
	res, err := env.Calendar.Compute(day, deadline.Spec{Period: env.Settings.requestResolve(), AllowProvisional: true})
	if err != nil {
		return nil, fmt.Errorf("enforcement: request resolve-by date: %w", err)
	}
	r.RecordBy, r.ResolveBy = rec.Due, res.Due
	r.Provisional = rec.Provisional || res.Provisional
	r.Answer, r.AnsweredBy, r.AnsweredAt = "", "", time.Time{}
	work := c.Clone()
	work.Requests = append(work.Requests, r)
	return work.commit(c, []Event{newEvent(work, EventRequestReceived, r.ID, now, "")})
}

// AnswerRequest records the answer to request id. On error c is unchanged.
func (c *Case) AnswerRequest(id, answer, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.Requests, func(r Request) bool { return r.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: request %s: %w", id, ErrNotFound)
	}
	if c.Requests[i].IsAnswered() {
		return nil, &StateError{Action: "answer request", Reason: "already answered"}
	}
	pr := problems{what: "answer"}
	if blank(answer) {
		pr.add("answer", "required", "")
	} else if utf8.RuneCountInString(answer) > 2000 {
		pr.add("answer", "too_long", "at most 2000 characters")
	}
	if blank(by) {
		pr.add("by", "required", "")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	work := c.Clone()
	work.Requests[i].Answer, work.Requests[i].AnsweredBy, work.Requests[i].AnsweredAt = answer, by, now
	return work.commit(c, []Event{newEvent(work, EventRequestAnswered, id, now, by)})
}

// SupervisionOrder is an order (督办) from the bureau chief or a higher court
// to act on a case by a date, and the judge's response.
type SupervisionOrder struct {
	ID          string
	IssuedBy    string
	IssuedAt    time.Time
	Text        string
	Due         deadline.Date
	Response    string
	RespondedBy string
	RespondedAt time.Time
}

// IsAnswered reports whether the judge has responded.
func (o SupervisionOrder) IsAnswered() bool { return !o.RespondedAt.IsZero() }

// IssueSupervision records supervision order o on the case. On error c is
// unchanged.
func (c *Case) IssueSupervision(o SupervisionOrder, now time.Time) ([]Event, error) {
	pr := problems{what: "supervision order"}
	if o.ID == "" {
		pr.add("id", "required", "")
	} else if slices.ContainsFunc(c.Orders, func(x SupervisionOrder) bool { return x.ID == o.ID }) {
		pr.add("id", "duplicate", o.ID)
	}
	if blank(o.IssuedBy) {
		pr.add("issued_by", "required", "")
	}
	if blank(o.Text) {
		pr.add("text", "required", "")
	} else if utf8.RuneCountInString(o.Text) > 2000 {
		pr.add("text", "too_long", "at most 2000 characters")
	}
	if !o.Due.IsValid() {
		pr.add("due", "invalid_date", "")
	} else if o.Due.Before(deadline.DateOf(now)) {
		pr.add("due", "in_past", o.Due.String())
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if o.IssuedAt.IsZero() {
		o.IssuedAt = now
	}
	o.Response, o.RespondedBy, o.RespondedAt = "", "", time.Time{}
	work := c.Clone()
	work.Orders = append(work.Orders, o)
	return work.commit(c, []Event{newEvent(work, EventSupervisionOrdered, o.ID, now, o.IssuedBy)})
}

// AnswerSupervision records the judge's response to order id. On error c is
// unchanged.
func (c *Case) AnswerSupervision(id, response, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.Orders, func(o SupervisionOrder) bool { return o.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: supervision order %s: %w", id, ErrNotFound)
	}
	if c.Orders[i].IsAnswered() {
		return nil, &StateError{Action: "answer supervision order", Reason: "already answered"}
	}
	if blank(response) || blank(by) {
		return nil, &ValidationError{What: "supervision response", Fields: []FieldError{{Field: "response", Code: "required"}}}
	}
	work := c.Clone()
	work.Orders[i].Response, work.Orders[i].RespondedBy, work.Orders[i].RespondedAt = response, by, now
	return work.commit(c, []Event{newEvent(work, EventSupervisionAnswered, id, now, by)})
}
