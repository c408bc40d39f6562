package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// MessageFilter selects outbox messages.
type MessageFilter struct {
	CaseID string
	States []notify.State
}

// ListMessages lists the messages p may see: a judge those of their cases,
// the chief all, a party the messages to parties of their case.
func (d *Desk) ListMessages(ctx context.Context, p *Principal, f MessageFilter) ([]notify.Message, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	if d.Outbox == nil {
		return nil, ErrNoOutbox
	}
	nf := notify.Filter{Court: d.CourtFor(p), CaseID: f.CaseID, States: f.States}
	if f.CaseID != "" && (p.Role == RoleJudge || p.Role == RoleSupervisor) {
		// A division head or the high court's supervisor reads an
		// overseen case's messages as its chief does (ReadCase).
		c, overseen, err := d.ReadCase(ctx, p, f.CaseID)
		if err != nil {
			return nil, err
		}
		if overseen {
			nf.Court = c.Court
			ms, err := d.Outbox.List(ctx, nf)
			if err != nil {
				return nil, err
			}
			for i := range ms {
				redactCodes(p, &ms[i])
			}
			return ms, nil
		}
	}
	var judgeCases map[string]bool
	switch p.Role {
	case RoleParty:
		if f.CaseID != "" && f.CaseID != p.CaseID {
			return nil, NotFound("case", f.CaseID)
		}
		if p.PartyID == "" {
			// Signed in without a party identity: the case, but no
			// party's messages.
			return []notify.Message{}, nil
		}
		nf.CaseID = p.CaseID
	case RoleChief:
		if f.CaseID != "" {
			if _, err := d.Get(ctx, p, f.CaseID); err != nil {
				return nil, err
			}
		}
	case RoleJudge:
		if f.CaseID != "" {
			if _, err := d.Get(ctx, p, f.CaseID); err != nil {
				return nil, err
			}
		} else {
			cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: d.CourtFor(p), JudgeID: p.UserID})
			if err != nil {
				return nil, err
			}
			judgeCases = map[string]bool{}
			for _, c := range cs {
				judgeCases[c.ID] = true
			}
		}
	}
	ms, err := d.Outbox.List(ctx, nf)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		switch {
		case p.Role == RoleParty && !m.Recipient.Role.IsParty():
			continue
		case p.Role == RoleParty && m.Recipient.PartyID != p.PartyID:
			continue
		case judgeCases != nil && !judgeCases[m.CaseID] && m.Recipient.UserID != p.UserID:
			continue
		}
		redactCodes(p, &m)
		out = append(out, m)
	}
	return out, nil
}

// changeMessage applies fn to message id for the judge of its case.
func (d *Desk) changeMessage(ctx context.Context, p *Principal, id string, fn func(m *notify.Message) error) (notify.Message, error) {
	if err := Need(p, RoleJudge, RoleChief, RoleParty); err != nil {
		return notify.Message{}, err
	}
	if d.Outbox == nil {
		return notify.Message{}, ErrNoOutbox
	}
	m, err := d.Outbox.Get(ctx, id)
	if err != nil {
		return notify.Message{}, err
	}
	if m.Court != d.CourtFor(p) {
		return notify.Message{}, NotFound("message", id)
	}
	c, err := d.Get(ctx, p, m.CaseID)
	if err != nil {
		if errors.Is(err, enforcement.ErrNotFound) {
			return notify.Message{}, NotFound("message", id)
		}
		return notify.Message{}, err
	}
	if p.Role != RoleJudge || c.JudgeID != p.UserID {
		return notify.Message{}, ErrForbidden
	}
	if err := d.Outbox.Update(ctx, id, fn); err != nil {
		return notify.Message{}, err
	}
	after, err := d.Outbox.Get(ctx, id)
	if err == nil {
		d.recordValues(ctx, p, ActionMessageChanged, m.CaseID, id, m, after)
	}
	return after, err
}

// ConfirmMessage releases a held message for sending.
func (d *Desk) ConfirmMessage(ctx context.Context, p *Principal, id string) (notify.Message, error) {
	return d.changeMessage(ctx, p, id, func(m *notify.Message) error {
		return d.Policy.Confirm(m, p.Actor(), d.Now())
	})
}

// CancelMessage cancels a message, with a reason.
func (d *Desk) CancelMessage(ctx context.Context, p *Principal, id, reason string) (notify.Message, error) {
	if err := CheckText("reason", reason, MaxNote, true); err != nil {
		return notify.Message{}, err
	}
	return d.changeMessage(ctx, p, id, func(m *notify.Message) error {
		return m.Cancel(p.Actor(), d.Now(), reason)
	})
}

// EditMessage changes the parameters of a held message.
func (d *Desk) EditMessage(ctx context.Context, p *Principal, id string, params map[string]string) (notify.Message, error) {
	var ie InputError
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if err := CheckText("params."+k, params[k], MaxNote, false); err != nil {
			ie.Fields = append(ie.Fields, err.(*InputError).Fields...)
		}
	}
	if err := ie.Err(); err != nil {
		return notify.Message{}, err
	}
	dr := d.Drafter(d.CourtFor(p))
	if dr == nil {
		return notify.Message{}, ErrNoOutbox
	}
	render := func(key string, vars map[string]string) (string, int, error) {
		r, err := dr.Templates.Render(key, notify.Vars(vars))
		return r.Text, r.Segments, renderInput(err)
	}
	return d.changeMessage(ctx, p, id, func(m *notify.Message) error {
		return m.Edit(p.Actor(), d.Now(), params, render)
	})
}

// renderInput names each variable an edit left blank or made longer than
// its template allows, at field "params.<name>"; other errors are
// returned as they are.
func renderInput(err error) error {
	if err == nil {
		return nil
	}
	var ie InputError
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var re *notify.RenderError
		if !errors.As(e, &re) || re.Var == "" {
			return err
		}
		switch {
		case errors.Is(re, notify.ErrValueTooLong):
			ie.Add("params."+re.Var, "too_long", fmt.Sprintf("不能超过%d个字（现有%d个字），短信模板对该项有长度限制", re.Max, re.Len))
		case errors.Is(re, notify.ErrMissingVar):
			ie.Add("params."+re.Var, "required", "不能为空")
		default:
			return err
		}
	}
	return ie.Err()
}

// OnReceipt records a gateway's delivery receipt in the outbox.
func (d *Desk) OnReceipt(ctx context.Context, r sms.DeliveryReceipt) error {
	if d.Outbox == nil {
		return ErrNoOutbox
	}
	st := notify.ReceiptDelivered
	if r.Status == sms.Failed {
		st = notify.ReceiptFailed
	}
	_, err := d.Outbox.Receipt(ctx, notify.DeliveryReceipt{ProviderID: r.ProviderID, Key: r.IdempotencyKey, Status: st, Code: r.Code, Reason: r.Reason, At: r.At})
	return err
}

// StoredReply is an inbound SMS reply as the server keeps it: matched
// replies are recorded on their case; the others wait for a person.
type StoredReply struct {
	ID         string             `json:"id"`
	From       string             `json:"from"`
	Text       string             `json:"text"`
	ExtCode    string             `json:"ext_code,omitempty"`
	ReceivedAt string             `json:"received_at"`
	Status     notify.MatchStatus `json:"status"`
	CaseID     string             `json:"case_id,omitempty"`
	Reason     string             `json:"reason,omitempty"`
	Candidates []string           `json:"candidate_cases,omitempty"`
}

// OnReply matches an applicant's SMS reply to the open solicitations and
// records the opinion on the case when it matches exactly one; otherwise
// the reply is kept for a person. An opt-out reply ("TD", "退订", "T",
// "N") is never an opinion: it sets the opt-out of every party of the
// court with the sender's number (see OptOut) and queues the
// confirmation carriers require. A reply already recorded is not recorded
// twice (the provider ID or the text and time identify it). The deployment
// has one SMS gateway: a reply is matched against the open solicitations
// of every court and kept for the court of its case (or of its first
// candidate case; the default court's when it names none).
func (d *Desk) OnReply(ctx context.Context, r sms.InboundReply) error {
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{OpenSolicitations: true})
	if err != nil {
		return err
	}
	var open []notify.OpenSolicitation
	courtOf := map[string]string{}
	for _, c := range cs {
		courtOf[c.ID] = c.Court
		for _, s := range c.Solicitations {
			if s.Answer != nil {
				continue
			}
			pt, _ := c.Party(s.PartyID)
			open = append(open, notify.OpenSolicitation{CaseID: c.ID, SolicitationID: s.ID, PartyMobile: pt.Mobile, ReplyCode: s.ReplyCode})
		}
	}
	in := notify.InboundReply{From: r.From, Text: r.Text, ExtCode: r.ExtCode, ReceivedAt: r.ReceivedAt}
	match := notify.MatchReply(in, open)
	id := r.ProviderID
	if id == "" {
		id = notify.Key(r.From, r.ReceivedAt.UTC().String(), r.Text, "reply")
	}
	sr := StoredReply{ID: id, From: r.From, Text: r.Text, ExtCode: r.ExtCode, ReceivedAt: r.ReceivedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Status: match.Status, CaseID: match.CaseID, Reason: match.Reason}
	for _, c := range match.Candidates {
		if !slices.Contains(sr.Candidates, c.CaseID) {
			sr.Candidates = append(sr.Candidates, c.CaseID)
		}
	}
	court := d.home
	for _, cid := range append([]string{sr.CaseID}, sr.Candidates...) {
		if c, ok := courtOf[cid]; ok {
			court = c
			break
		}
	}
	if match.Status == notify.MatchOptOut {
		n, err := d.OptOut(ctx, r.From, id)
		if err != nil {
			return err
		}
		sr.Reason = fmt.Sprintf("%s（%d名当事人已退订）", match.Reason, n)
	}
	if match.Status == notify.MatchMatched {
		o := match.Opinion
		o.Channel = "sms"
		_, _, err := d.Store.Update(ctx, match.CaseID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			return c.RecordOpinion(match.SolicitationID, o, d.Env(c.Court), d.Now())
		})
		if err != nil && !errors.Is(err, enforcement.ErrNotAllowed) && !errors.Is(err, enforcement.ErrInvalid) {
			return err
		}
		if err != nil { // answered already, or closed since: a person looks
			sr.Status, sr.Reason = notify.MatchUnmatched, "回复对应的征询已答复或不可再答复："+err.Error()
		}
	}
	doc, err := json.Marshal(sr)
	if err != nil {
		return err
	}
	_, err = d.DB.Exec(ctx, `INSERT INTO server_replies (id, court, status, doc, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		sr.ID, court, string(sr.Status), string(doc), r.ReceivedAt.Unix())
	if err != nil {
		return fmt.Errorf("store reply: %w", err)
	}
	d.Log.InfoContext(ctx, "sms reply", "from", r.From, "status", string(sr.Status), "case", sr.CaseID)
	return nil
}

// ListReplies lists inbound replies: the chief sees all, a judge those
// about (or possibly about) their cases.
func (d *Desk) ListReplies(ctx context.Context, p *Principal) ([]StoredReply, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	rows, err := d.DB.Query(ctx, `SELECT doc FROM server_replies WHERE court = ? ORDER BY received_at, id`, d.CourtFor(p))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []StoredReply{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var sr StoredReply
		if err := json.Unmarshal([]byte(doc), &sr); err != nil {
			return nil, err
		}
		if p.Role == RoleJudge && !d.judgeMaySee(ctx, p, append([]string{sr.CaseID}, sr.Candidates...)) {
			continue
		}
		out = append(out, sr)
	}
	return out, rows.Err()
}

func (d *Desk) judgeMaySee(ctx context.Context, p *Principal, caseIDs []string) bool {
	for _, id := range caseIDs {
		if id == "" {
			continue
		}
		if _, err := d.Get(ctx, p, id); err == nil {
			return true
		}
	}
	return false
}

// optOutActor is how an opt-out by SMS reply is recorded on the party.
const optOutActor = "sms-reply"

// OptOut sets the opt-out of every party whose number is mobile, on every
// case (open or closed) of every court (the deployment sends from one
// gateway), recorded as a party update by SMS reply, and queues the
// opt-out confirmation (退订确认) to the number, drafted by the court of
// the first such party's case.
// replyID identifies the reply, so a reply handled twice queues one
// confirmation. It returns the number of parties opted out by this call.
func (d *Desk) OptOut(ctx context.Context, mobile, replyID string) (int, error) {
	from, err := enforcement.NormaliseMobile(mobile)
	if err != nil {
		// No party has such a number and no SMS can go to it; failing
		// would only make the gateway post the reply again.
		d.Log.WarnContext(ctx, "opt-out from a number that is not a mobile", "from", mobile)
		return 0, nil
	}
	to := notify.Recipient{Role: notify.RecipientApplicant, Mobile: from}
	court := d.home
	yes := true
	n := 0
	const page = 500
	for off := 0; ; off += page {
		cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Limit: page, Offset: off})
		if err != nil {
			return n, err
		}
		for _, c := range cs {
			var ids []string
			for _, p := range c.Parties {
				if p.Mobile != from {
					continue
				}
				if to.PartyID == "" {
					to, court = notify.PartyRecipient(p), c.Court
				}
				if !p.OptOut {
					ids = append(ids, p.ID)
				}
			}
			if len(ids) == 0 {
				continue
			}
			now := d.Now()
			_, _, err := d.Store.Update(ctx, c.ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
				var evs []enforcement.Event
				for _, pid := range ids {
					ev, err := c.UpdateParty(pid, enforcement.PartyUpdate{OptOut: &yes}, optOutActor, now)
					if err != nil {
						return nil, err
					}
					evs = append(evs, ev...)
				}
				return evs, nil
			})
			if err != nil {
				return n, fmt.Errorf("opt out on case %s: %w", c.ID, err)
			}
			n += len(ids)
		}
		if len(cs) < page {
			break
		}
	}
	if dr := d.Drafter(court); d.Outbox != nil && dr != nil {
		m, err := dr.DraftOptOutConfirmation(court, to, replyID, d.Now())
		if err != nil {
			return n, fmt.Errorf("draft opt-out confirmation: %w", err)
		}
		if err := d.Outbox.Put(ctx, m); err != nil {
			return n, err
		}
	}
	return n, nil
}
