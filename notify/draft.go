package notify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Staff finds a court user by ID, for messages to judges and leaders: name
// and mobile number. It reports false for an unknown user.
type Staff func(userID string) (Recipient, bool)

// Drafter turns what happened on a case into outbox messages: it picks the
// template for each event and recipient, renders it, gives it its
// idempotency key and routes it through the policy (send, hold for the
// judge, or skip). Drafting is pure and deterministic, so drafting the same
// events twice yields messages with the same keys, which the outbox keeps
// once.
//
// An SMS informs; it is never legal service (送达). Nothing here starts a
// legal period.
type Drafter struct {
	Templates *Templates
	Policy    Policy
	// Staff resolves the handling judge (Case.JudgeID) for prompts and
	// supervision orders; nil drafts no message to staff.
	Staff Staff
	// Phone is the number parties are given when the judge has none.
	Phone string
	// QueryCode gives each party its own query code (查询码) for the
	// filing notice and the notice of a reset; nil prints the case's
	// QueryCode to every party, as before per-party codes.
	QueryCode QueryCodeFunc
}

// QueryCodeFunc returns the query code (查询码) of party p of case c at its
// current [enforcement.Party.CodeGeneration]. It must be deterministic: a
// relay that drafts an event again must render the same text.
type QueryCodeFunc func(c *enforcement.Case, p enforcement.Party) string

func (d *Drafter) queryCode(c *enforcement.Case, p enforcement.Party) string {
	if d.QueryCode == nil {
		return c.QueryCode
	}
	return d.QueryCode(c, p)
}

// Draft returns the messages for events of case c (c as it stands after the
// change), routed at now. Events that no template serves yield nothing.
func (d *Drafter) Draft(c *enforcement.Case, events []enforcement.Event, now time.Time) ([]Message, error) {
	var out []Message
	for _, e := range events {
		msgs, err := d.draftEvent(c, e, now)
		if err != nil {
			return nil, fmt.Errorf("notify: draft %s: %w", e.ID, err)
		}
		out = append(out, msgs...)
	}
	return out, nil
}

func (d *Drafter) judge(c *enforcement.Case) (Recipient, bool) {
	if d.Staff == nil {
		return Recipient{}, false
	}
	r, ok := d.Staff(c.JudgeID)
	if ok {
		r.UserID, r.Role = c.JudgeID, RoleJudge
	}
	return r, ok
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
		case p.Role == enforcement.Applicant && v[VarApplicant] == "":
			v[VarApplicant] = p.Name
		case p.Role == enforcement.Respondent && v[VarRespondent] == "":
			v[VarRespondent] = p.Name
		}
	}
	return v
}

func (d *Drafter) draftEvent(c *enforcement.Case, e enforcement.Event, now time.Time) ([]Message, error) {
	var out []Message
	common := d.commonVars(c)
	partyVars := func(p enforcement.Party) Vars {
		v := make(Vars, len(common)+6)
		for k, x := range common {
			v[k] = x
		}
		v[VarPartyName] = p.Name
		return v
	}
	add := func(r Recipient, key string, vars Vars, measure enforcement.MeasureKind) error {
		m, ok, err := d.message(c, e, r, key, vars, measure, now)
		if err != nil {
			return err
		}
		if ok {
			out = append(out, m)
		}
		return nil
	}
	parties := func(roles ...enforcement.Role) []enforcement.Party {
		var ps []enforcement.Party
		for _, p := range c.Parties {
			for _, r := range roles {
				if p.Role == r {
					ps = append(ps, p)
				}
			}
		}
		return ps
	}
	switch e.Kind {
	case enforcement.EventCaseFiled:
		nodes := NodesSummary(c, 90)
		for _, p := range parties(enforcement.Applicant, enforcement.Respondent) {
			v := partyVars(p)
			v[VarNodes], v[VarQueryCode] = nodes, d.queryCode(c, p)
			v[VarIDNumber] = p.IDNumber.Reveal()
			if v[VarIDNumber] == "" {
				v[VarIDNumber] = "未登记"
			}
			key := KeyFilingApplicant
			if p.Role == enforcement.Respondent {
				key = KeyFilingRespondent
			}
			if err := add(PartyRecipient(p), key, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventMeasureRecorded, enforcement.EventMeasureResult:
		id := e.Ref
		if i := strings.IndexByte(id, '@'); i >= 0 {
			id = id[:i]
		}
		m, ok := c.Measure(id)
		if !ok {
			return nil, nil
		}
		held := false
		for _, p := range parties(enforcement.Applicant, enforcement.Respondent) {
			v := partyVars(p)
			v[VarMeasure] = m.Kind.Chinese()
			v[VarTarget] = orDash(m.Target, m.Property.Chinese())
			v[VarResult] = orDash(m.Result, m.Outcome.Chinese())
			v[VarDate] = formatDate(m.TakenOn)
			key := KeyMeasureNotice
			if m.Amount.IsPositive() {
				key = KeyMeasureMoney
				v[VarAmount] = FormatAmount(m.Amount)
			}
			before := len(out)
			if err := add(PartyRecipient(p), key, v, m.Kind); err != nil {
				return nil, err
			}
			if len(out) > before && out[len(out)-1].State == StateHeld {
				held = true
			}
		}
		if j, ok := d.judge(c); ok && held {
			v := Vars{VarJudge: j.Name, VarCaseNo: c.Number.String(), VarMeasure: m.Kind.Chinese(),
				VarTarget: orDash(m.Target, m.Property.Chinese()), VarResult: orDash(m.Result, m.Outcome.Chinese()),
				VarPartyName: "被执行人", VarDate: formatDate(m.TakenOn)}
			// The prompt is for the judge, so it is sent whatever the
			// policy says about the parties' notices.
			msg, err := d.render(c, e, j, KeyMeasurePrompt, v, now)
			if err != nil {
				return nil, err
			}
			if err := msg.Queue("policy", now, now); err != nil {
				return nil, err
			}
			out = append(out, msg)
		}
	case enforcement.EventOpinionSolicited:
		for _, s := range c.Solicitations {
			if s.ID != e.Ref {
				continue
			}
			p, ok := c.Party(s.PartyID)
			if !ok {
				return nil, nil
			}
			v := partyVars(p)
			v[VarReplyCode], v[VarDueDate] = s.ReplyCode, formatDate(s.ReplyBy)
			if err := add(PartyRecipient(p), KeyOpinionSolicit, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventOpinionRecorded:
		for _, s := range c.Solicitations {
			if s.ID != e.Ref || s.Answer == nil {
				continue
			}
			p, ok := c.Party(s.PartyID)
			if !ok {
				return nil, nil
			}
			v := partyVars(p)
			v[VarChoice], v[VarReplyCode] = s.Answer.Choice.Chinese(), s.ReplyCode
			if err := add(PartyRecipient(p), KeyReplyAck, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventRequestAnswered:
		for _, r := range c.Requests {
			if r.ID != e.Ref {
				continue
			}
			p, ok := c.Party(r.PartyID)
			if !ok {
				return nil, nil
			}
			v := partyVars(p)
			v[VarRequest], v[VarAnswer] = r.Text, r.Answer
			if err := add(PartyRecipient(p), KeyRequestAnswer, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventSupervisionOrdered:
		j, ok := d.judge(c)
		if !ok {
			return nil, nil
		}
		for _, o := range c.Orders {
			if o.ID != e.Ref {
				continue
			}
			v := Vars{VarJudge: j.Name, VarCaseNo: c.Number.String(), VarNode: o.Text, VarDueDate: formatDate(o.Due),
				VarLevel: "督办", VarSupervisor: o.IssuedBy, VarReplyBy: formatDate(o.Due)}
			if err := add(j, KeySupervision, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventCaseClosed:
		if c.Closure == nil {
			return nil, nil
		}
		for _, p := range parties(enforcement.Applicant, enforcement.Respondent) {
			v := partyVars(p)
			v[VarDate], v[VarOutcome] = formatDate(c.Closure.On), c.Closure.Mode.Chinese()
			if err := add(PartyRecipient(p), KeyClosureOutcome, v, ""); err != nil {
				return nil, err
			}
		}
	case enforcement.EventQueryCodeReset:
		pid, gen, _ := strings.Cut(e.Ref, "@")
		p, ok := c.Party(pid)
		// A later reset makes this notice's code void: a relay that drafts
		// an older reset again after a newer one sends nothing for it.
		if !ok || strconv.Itoa(p.CodeGeneration) != gen {
			return nil, nil
		}
		v := partyVars(p)
		v[VarQueryCode] = d.queryCode(c, p)
		if err := add(PartyRecipient(p), KeyQueryCodeReset, v, ""); err != nil {
			return nil, err
		}
	case enforcement.EventNodeRecorded:
		for _, n := range c.Nodes {
			if n.ID != e.Ref || n.Kind != enforcement.NodePostClosureCheck {
				continue
			}
			for _, p := range parties(enforcement.Applicant) {
				v := partyVars(p)
				v[VarDate], v[VarResult] = formatDate(n.Date), orDash(n.Note, "未发现可供执行的财产")
				if err := add(PartyRecipient(p), KeyClosureCheck, v, ""); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// message renders and routes one message; ok is false when the policy says
// not to notify this recipient at all.
func (d *Drafter) message(c *enforcement.Case, e enforcement.Event, r Recipient, key string, vars Vars, measure enforcement.MeasureKind, now time.Time) (Message, bool, error) {
	dec := d.Policy.Decide(e.Kind, measure, r)
	if dec.Action == ActionNone && dec.Skip == "" {
		return Message{}, false, nil
	}
	m, err := d.render(c, e, r, key, vars, now)
	if err != nil {
		return Message{}, false, err
	}
	if _, err := d.Policy.Route(&m, e.Kind, measure, now); err != nil && m.State != StateHeld {
		return Message{}, false, err
	}
	// A message the policy could not schedule (its calendar does not cover
	// the date) is held for the judge rather than dropped.
	return m, true, nil
}

func (d *Drafter) render(c *enforcement.Case, e enforcement.Event, r Recipient, key string, vars Vars, now time.Time) (Message, error) {
	out, err := d.Templates.Render(key, vars)
	if err != nil {
		return Message{}, err
	}
	k := Key(c.ID, e.ID, r.ID(), key)
	return Message{
		ID: k, IdempotencyKey: k, CaseID: c.ID, Court: c.Court, EventID: e.ID,
		Recipient: r, Template: key, Params: vars, Body: out.Text, Segments: out.Segments,
		State: StateDrafted, CreatedAt: now,
		History: []Transition{{To: StateDrafted, At: now, Actor: "drafter"}},
	}, nil
}

// DraftOTP drafts the one-time code (验证码) party p of case c asked for
// to act on the web, queued to go at once: the party is waiting for it, so
// quiet hours do not apply, and an opt-out of notices does not stop a code
// the party asked for. seq tells the codes a party asked for apart (e.g. a
// request counter or the time); the code itself never enters the key. A
// party without a usable number gets an error matching ErrInvalidMessage.
func (d *Drafter) DraftOTP(c *enforcement.Case, p enforcement.Party, code, seq string, now time.Time) (Message, error) {
	r := PartyRecipient(p)
	r.OptOut = false
	if s := SkipReasonFor(r); s != "" {
		return Message{}, &MessageError{ID: c.ID + "/otp/" + p.ID, Problems: []string{"recipient: " + string(s)}}
	}
	e := enforcement.Event{ID: c.ID + "/otp/" + p.ID + "/" + seq, Kind: "party_otp", CaseID: c.ID, Court: c.Court}
	m, err := d.render(c, e, r, KeyPartyOTP, Vars{VarCaseNo: c.Number.String(), VarOTP: code}, now)
	if err != nil {
		return Message{}, err
	}
	m.Urgent = true
	if err := m.Queue("party", now, now); err != nil {
		return Message{}, err
	}
	return m, nil
}

// DraftReminder drafts the deadline reminder (节点期限提醒) to the judge
// of case c for due item d at warning level lvl on day today. The key
// includes the day and level, so one reminder goes out per item, level and
// day however often the scheduler runs.
func (d *Drafter) DraftReminder(c *enforcement.Case, item enforcement.DueItem, lvl enforcement.Level, today deadline.Date, now time.Time) (Message, bool, error) {
	j, ok := d.judge(c)
	if !ok {
		return Message{}, false, nil
	}
	e := enforcement.Event{ID: c.ID + "/reminder/" + item.ID + "/" + today.String() + "/" + lvl.String(), Kind: "deadline_reminder", CaseID: c.ID, Court: c.Court}
	v := Vars{VarJudge: j.Name, VarCaseNo: c.Number.String(), VarNode: item.Title, VarDueDate: formatDate(item.Due()), VarLevel: lvl.Chinese()}
	m, err := d.render(c, e, j, KeyDeadlineReminder, v, now)
	if err != nil {
		return Message{}, false, err
	}
	if err := m.Queue("scheduler", now, now); err != nil {
		return Message{}, false, err
	}
	return m, true, nil
}

// Trip is what an itinerary suggestion says about a group of coinciding
// field trips.
type Trip struct {
	GroupID string
	Court   string
	Date    string // e.g. "11月27日上午"
	Place   string
}

// DraftItinerary drafts the coordination suggestion (集约出行) to each judge
// of a group and to their leaders. judges are the judges whose trips
// coincide; each is told who else is going.
func (d *Drafter) DraftItinerary(t Trip, judges, leaders []Recipient, now time.Time) ([]Message, error) {
	var names []string
	for _, j := range judges {
		names = append(names, j.Name)
	}
	var out []Message
	c := &enforcement.Case{ID: "itinerary/" + t.GroupID, Court: t.Court}
	e := enforcement.Event{ID: "itinerary/" + t.GroupID, Kind: "itinerary"}
	for _, j := range judges {
		var others []string
		for _, n := range names {
			if n != j.Name {
				others = append(others, n)
			}
		}
		j.Role = RoleJudge
		m, err := d.render(c, e, j, KeyItineraryJudge, Vars{VarJudge: j.Name, VarDate: t.Date, VarPlace: t.Place, VarJudges: strings.Join(others, "、")}, now)
		if err != nil {
			return nil, err
		}
		if err := m.Queue("planner", now, now); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	for _, l := range leaders {
		l.Role = RoleLeader
		m, err := d.render(c, e, l, KeyItineraryLeader, Vars{VarLeader: l.Name, VarDate: t.Date, VarPlace: t.Place, VarJudges: strings.Join(names, "、")}, now)
		if err != nil {
			return nil, err
		}
		if err := m.Queue("planner", now, now); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// NodesSummary lists the case's open time limits for a filing notice,
// earliest first, as "发出执行通知书(3月13日前)；…" ("后" for a right that
// opens on its date), cut to max characters at an item boundary. Internal
// management targets are left out, except the handling limit (case.limit):
// a party is told how long the court has for the case (执行公开规定, D5).
func NodesSummary(c *enforcement.Case, max int) string {
	var b strings.Builder
	for _, it := range c.OpenDueItems() {
		if it.Internal && it.Rule != "case.limit" {
			continue
		}
		// An "超过" item is a right that opens on its date (the applicant
		// may apply to the higher court after it), not a time limit.
		when := "前"
		if slices.ContainsFunc(it.Steps, func(s deadline.Step) bool { return s.Code == deadline.StepExceed }) {
			when = "后"
		}
		s := fmt.Sprintf("%s(%s%s)", it.Title, formatDate(it.Due()), when)
		sep := ""
		if b.Len() > 0 {
			sep = "；"
		}
		if utf8.RuneCountInString(b.String()+sep+s) > max {
			break
		}
		b.WriteString(sep + s)
	}
	if b.Len() == 0 {
		return "详见执行通知书"
	}
	return b.String()
}

func formatDate(d deadline.Date) string {
	if d.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%d月%d日", int(d.Month), d.Day)
}

// FormatAmount formats a yuan amount with thousands separators and two
// decimal places: 12345.5 → "12,345.50".
func FormatAmount(a decimal.Decimal) string {
	s := a.Abs().StringFixed(2)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	if a.IsNegative() {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + frac
}

func orDash(s, alt string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	if strings.TrimSpace(alt) != "" {
		return alt
	}
	return "-"
}
