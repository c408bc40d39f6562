package notify

import (
	"cmp"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Staff finds a court user by ID, for messages to judges and leaders: name
// and mobile number. It reports false for an unknown user. A judge's name
// is bare (李明): templates write 法官 after it (see [VarJudge]); a name
// given with the title is rendered without a doubled one.
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
		r.UserID, r.Role = c.JudgeID, RecipientJudge
	}
	return r, ok
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
// day however often the scheduler runs. A party's own right
// ([enforcement.DueItem.IsRight]) is not the judge's task: it drafts
// nothing for one (ok is false), as when the judge has no number.
func (d *Drafter) DraftReminder(c *enforcement.Case, item enforcement.DueItem, lvl enforcement.Level, today deadline.Date, now time.Time) (Message, bool, error) {
	if item.IsRight() {
		return Message{}, false, nil
	}
	j, ok := d.judge(c)
	if !ok {
		return Message{}, false, nil
	}
	e := enforcement.Event{ID: c.ID + "/reminder/" + item.ID + "/" + today.String() + "/" + lvl.String(), Kind: "deadline_reminder", CaseID: c.ID, Court: c.Court}
	v := Vars{VarJudge: j.Name, VarCaseNo: c.Number.String(), VarNode: item.Title, VarDueDate: provisionalDate(item.Due(), today, !item.IsDefinite()), VarLevel: lvl.Chinese()}
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
		j.Role = RecipientJudge
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
		l.Role = RecipientLeader
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

// NodesSummary lists the case's open time limits for a filing notice sent
// on day today, earliest first, as "发出执行通知书(3月13日前)；…" (a date in
// another year than today with its year), cut to max characters at an item
// boundary. A party's right reads in the law's words, with the day and the
// 前/后 of [enforcement.DueItem.RightWhen]:
// "申请执行人自9月3日后可向上一级法院申请执行". A date that is not definite
// is marked 暂定: "(2027年6月4日前，暂定)". Internal management targets are
// left out, except the handling limit (case.limit): a party is told how
// long the court has for the case (执行公开规定, D5).
func NodesSummary(c *enforcement.Case, max int, today deadline.Date) string {
	var b strings.Builder
	for _, it := range c.OpenDueItems() {
		if it.Internal && it.Rule != "case.limit" {
			continue
		}
		s := summaryItem(it, today)
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

// summaryItem is one item of [NodesSummary].
func summaryItem(it enforcement.DueItem, today deadline.Date) string {
	on, word := it.RightWhen()
	if it.IsRight() {
		who := enforcement.Owner(it.Owner).Chinese()
		if who == "" {
			who = "当事人"
		}
		action := cmp.Or(it.RightAction, it.Title)
		s := who + "于" + formatDate(on, today) + word + "可" + action
		if it.Right == enforcement.RightFrom {
			s = who + "自" + formatDate(on, today) + word + "可" + action
		}
		if !it.IsDefinite() {
			s += "(暂定)"
		}
		return s
	}
	mark := ""
	if !it.IsDefinite() {
		mark = "，暂定"
	}
	return it.Title + "(" + formatDate(on, today) + word + mark + ")"
}

// signIn is how party p signs in to follow the case: with its ID number,
// masked, and the query code, or with the query code alone when no ID
// number is on file.
func signIn(p enforcement.Party, queryCode string) string {
	if id := p.IDNumber.Reveal(); id != "" {
		return "身份证号" + MaskIDNumber(id) + "及查询码" + queryCode
	}
	return "查询码" + queryCode
}

// formatDate formats d for a text sent on day today: "12月22日", or
// "2025年12月22日" when d falls in another year than today, so that a
// reader never takes it for a date of the current year.
func formatDate(d, today deadline.Date) string {
	if d.IsZero() {
		return "-"
	}
	if d.Year != today.Year {
		return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
	}
	return fmt.Sprintf("%d月%d日", int(d.Month), d.Day)
}

// provisionalDate is formatDate with （暂定） after a date that is not
// definite: "2027年1月6日（暂定）".
func provisionalDate(d, today deadline.Date, provisional bool) string {
	if provisional && !d.IsZero() {
		return formatDate(d, today) + "（暂定）"
	}
	return formatDate(d, today)
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
