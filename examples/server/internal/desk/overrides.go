package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// OverrideDue asks to move due item did of case id to date, with a reason;
// the handling judge only. The override is pending until the chief
// approves it, and must lie within the court's bounds
// (enforcement.Settings.Overrides).
func (d *Desk) OverrideDue(ctx context.Context, p *Principal, id, did string, date deadline.Date, reason string) (*enforcement.Case, error) {
	c, err := d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, NotFound("due item", did)
		}
		return c.OverrideDue(did, date, reason, p.Actor(), env, now)
	})
	return c, overrideInput(err)
}

// ApproveOverride approves the pending override of due item did of case
// id, with an optional note; the chief only.
func (d *Desk) ApproveOverride(ctx context.Context, p *Principal, id, did, note string) (*enforcement.Case, error) {
	if err := CheckText("note", note, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleChief}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, NotFound("due item", did)
		}
		return c.ApproveOverride(did, note, p.Actor(), now)
	})
}

// RejectOverride rejects the pending override of due item did of case id,
// with a note saying why; the chief only.
func (d *Desk) RejectOverride(ctx context.Context, p *Principal, id, did, note string) (*enforcement.Case, error) {
	if err := CheckText("note", note, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleChief}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, NotFound("due item", did)
		}
		return c.RejectOverride(did, note, p.Actor(), now)
	})
}

// overrideInput turns a refused override into an InputError naming the
// field, with a Chinese message from its typed fields.
func overrideInput(err error) error {
	var oe *enforcement.OverrideError
	if !errors.As(err, &oe) {
		return err
	}
	var msg string
	switch oe.Code {
	case "before_earliest":
		msg = fmt.Sprintf("调整后的日期不得早于 %s", oe.Earliest)
	case "after_latest":
		msg = fmt.Sprintf("调整后的日期不得晚于 %s", oe.Latest)
	case "reason_too_short":
		msg = fmt.Sprintf("请写明调整理由，至少 %d 个字", oe.MinReason)
	default:
		msg = "日期无效"
	}
	return &InputError{Fields: []FieldError{{Field: oe.Field, Code: oe.Code, MessageZh: msg}}}
}

// OverrideRow is a due-date override as the chief's list shows it: the
// item, the computed date, the date asked for, who asked, when and why,
// and the decision.
type OverrideRow struct {
	CaseID     string        `json:"case_id"`
	CaseNumber string        `json:"case_number"`
	JudgeID    string        `json:"judge_id"`
	DueID      string        `json:"due_id"`
	Title      string        `json:"title"`
	Computed   deadline.Date `json:"computed"`
	Date       deadline.Date `json:"date"`
	Reason     string        `json:"reason"`
	By         string        `json:"by"`
	At         time.Time     `json:"at"`
	Status     string        `json:"status"`
	StatusZh   string        `json:"status_zh"`
	DecidedBy  string        `json:"decided_by,omitempty"`
	DecidedAt  *time.Time    `json:"decided_at,omitempty"`
	Note       string        `json:"note,omitempty"`
}

// Overrides lists the overrides on the court's open due items, pending
// first, then approved, each oldest request first; rejected ones are left
// out unless withRejected. The chief only. It reads the due index, not the
// supervision report.
func (d *Desk) Overrides(ctx context.Context, p *Principal, withRejected bool) ([]OverrideRow, error) {
	if err := Need(p, RoleChief); err != nil {
		return nil, err
	}
	refs, err := d.Store.DueItems(ctx, enforcement.DueFilter{Court: d.CourtFor(p), OpenOnly: true})
	if err != nil {
		return nil, err
	}
	out := []OverrideRow{}
	for _, r := range refs {
		o := r.Item.Override
		if o == nil || (o.Status == enforcement.OverrideRejected && !withRejected) {
			continue
		}
		st := o.Status
		if st == "" {
			st = enforcement.OverridePending
		}
		row := OverrideRow{CaseID: r.CaseID, CaseNumber: r.Number, JudgeID: r.JudgeID, DueID: r.Item.ID, Title: r.Item.Title,
			Computed: r.Item.Computed, Date: o.Date, Reason: o.Reason, By: o.By, At: o.At.In(chinaZone),
			Status: string(st), StatusZh: st.Chinese(), DecidedBy: o.DecidedBy, Note: o.Note}
		if !o.DecidedAt.IsZero() {
			t := o.DecidedAt.In(chinaZone)
			row.DecidedAt = &t
		}
		out = append(out, row)
	}
	rank := map[string]int{string(enforcement.OverridePending): 0, string(enforcement.OverrideApproved): 1, string(enforcement.OverrideRejected): 2}
	slices.SortStableFunc(out, func(a, b OverrideRow) int {
		if c := rank[a.Status] - rank[b.Status]; c != 0 {
			return c
		}
		return a.At.Compare(b.At)
	})
	return out, nil
}
