package desk

import (
	"context"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Preview is what a change would do, shown to the judge before it is
// made: the due items it adds, moves or ends, and the SMS it would cause.
type Preview struct {
	Due      []DueChange  `json:"due"`
	Messages []SMSPreview `json:"messages"`
}

// DueChange is a due item a change adds, moves or ends.
type DueChange struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Change is "added", "moved", "done" or "cancelled".
	Change   string `json:"change"`
	ChangeZh string `json:"change_zh"`
	// From is the date shown before the change (zero for an added item),
	// To after it (zero when the item awaits the calendar).
	From  deadline.Date `json:"from,omitzero"`
	To    deadline.Date `json:"to,omitzero"`
	Basis string        `json:"basis,omitempty"`
	// Provisional marks a date not yet definite (暂定).
	Provisional bool `json:"provisional"`
}

// SMSPreview is a message a change would cause.
type SMSPreview struct {
	Recipient string `json:"recipient"`
	Mobile    string `json:"mobile,omitempty"`
	Body      string `json:"body"`
	// Outcome is "send" (sent now, or after quiet hours: SendAt), "held"
	// (sent once the judge confirms it) or "skipped" (not sent: Reason).
	Outcome   string `json:"outcome"`
	OutcomeZh string `json:"outcome_zh"`
	// SendAt is when, after quiet hours, in RFC 3339 at +08:00.
	SendAt string `json:"send_at,omitempty"`
	Reason string `json:"reason,omitempty"`
}

var changeZh = map[string]string{"added": "新增", "moved": "变更", "done": "完成", "cancelled": "撤销"}

// dueChanges compares the due items of before (nil for a new case) and
// after.
func dueChanges(before, after *enforcement.Case, provisional bool) []DueChange {
	old := map[string]enforcement.DueItem{}
	if before != nil {
		for _, d := range before.DueItems {
			old[d.ID] = d
		}
	}
	var out []DueChange
	for _, d := range after.DueItems {
		to := shownDate(d, provisional)
		ch := DueChange{ID: d.ID, Title: d.Title, To: to, Basis: d.Basis, Provisional: !d.IsDefinite()}
		b, had := old[d.ID]
		switch {
		case !had:
			if !d.IsOpen() {
				continue
			}
			ch.Change = "added"
		case b.IsOpen() && !d.IsOpen():
			ch.Change, ch.From = "done", shownDate(b, provisional)
			if d.Status == enforcement.DueCancelled {
				ch.Change = "cancelled"
			}
		case b.IsOpen() && shownDate(b, provisional) != to:
			ch.Change, ch.From = "moved", shownDate(b, provisional)
		default:
			continue
		}
		ch.ChangeZh = changeZh[ch.Change]
		out = append(out, ch)
	}
	return out
}

// shownDate is the date a due item shows, zero when it awaits the
// calendar; provisional is the court's Settings.AllowProvisional.
func shownDate(d enforcement.DueItem, provisional bool) deadline.Date {
	day, _ := d.Shown(provisional)
	return day
}

// preview drafts the messages of events on case c, as the store would in
// the change's transaction, and says what becomes of each.
func (d *Desk) preview(p *Principal, before, after *enforcement.Case, events []enforcement.Event, now time.Time) (Preview, error) {
	out := Preview{Due: dueChanges(before, after, d.Env(after.Court).Settings.AllowProvisional), Messages: []SMSPreview{}}
	if out.Due == nil {
		out.Due = []DueChange{}
	}
	dr := d.Drafter(after.Court)
	if dr == nil {
		return out, nil
	}
	msgs, err := dr.Draft(after, events, now)
	if err != nil {
		return out, err
	}
	for _, m := range msgs {
		redactCodes(p, &m)
		v := SMSPreview{Recipient: m.Recipient.Role.Chinese() + " " + m.Recipient.Name, Mobile: m.Recipient.Mobile, Body: m.Body}
		switch m.State {
		case notify.StateHeld:
			v.Outcome, v.OutcomeZh = "held", "待法官确认后发送"
		case notify.StateSkipped:
			v.Outcome, v.OutcomeZh, v.Reason = "skipped", "不发送", m.Skipped.Chinese()
		default:
			v.Outcome, v.OutcomeZh = "send", "立即发送"
			if m.NotBefore.After(now) {
				at := m.NotBefore.In(deadline.China)
				v.SendAt, v.OutcomeZh = at.Format(time.RFC3339), "免打扰时段后发送（"+at.Format("1月2日 15:04")+"）"
			}
		}
		out.Messages = append(out.Messages, v)
	}
	return out, nil
}

// previewChange runs fn on a copy of case id as change would, and returns
// what it would do without storing anything.
func (d *Desk) previewChange(ctx context.Context, p *Principal, id string, roles []Role, fn func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error)) (Preview, error) {
	c, err := d.Get(ctx, p, id)
	if err != nil {
		return Preview{}, err
	}
	if err := Need(p, roles...); err != nil {
		return Preview{}, err
	}
	env, now := d.Env(c.Court), d.Now()
	after := c.Clone()
	evs, err := fn(after, env, now)
	if err != nil {
		return Preview{}, err
	}
	return d.preview(p, c, after, evs, now)
}

// PreviewCase shows what filing case c would do: its due items and the
// filing notices, with what becomes of each. Nothing is stored.
func (d *Desk) PreviewCase(ctx context.Context, p *Principal, c *enforcement.Case) (Preview, error) {
	c = c.Clone()
	evs, err := d.fileCase(ctx, p, c)
	if err != nil {
		return Preview{}, err
	}
	return d.preview(p, nil, c, evs, d.Now())
}

// PreviewNode shows what recording node n on case id would do.
func (d *Desk) PreviewNode(ctx context.Context, p *Principal, id string, n enforcement.Node) (Preview, error) {
	return d.previewChange(ctx, p, id, []Role{RoleJudge}, d.nodeChange(p, n))
}

// PreviewMeasure shows what recording measure m on case id would do.
func (d *Desk) PreviewMeasure(ctx context.Context, p *Principal, id string, m enforcement.Measure, ok Confirm) (Preview, error) {
	fn, err := d.measureChange(p, m, ok)
	if err != nil {
		return Preview{}, err
	}
	return d.previewChange(ctx, p, id, []Role{RoleJudge}, fn)
}

// CorrectNode corrects the date of node nid of case id, recorded wrongly
// (enforcement.Case.CorrectNode): the audit log keeps the case before and
// after, and the due items the node started are recomputed.
func (d *Desk) CorrectNode(ctx context.Context, p *Principal, id, nid string, date deadline.Date) (*enforcement.Case, error) {
	if today := d.Today(); date.After(today) {
		return nil, BadField("date", "date_in_future", "节点日期不能晚于今天（"+today.String()+"）："+date.String())
	}
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.CorrectNode(nid, date, env, p.Actor(), now)
	})
}
