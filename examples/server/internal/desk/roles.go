package desk

import (
	"context"
	"fmt"
	"slices"

	"github.com/courtkit/zhixing/enforcement"
)

// Who oversees whom. Besides the handling judge (who changes their own
// cases) and the chief (who reads every case of their court), two kinds of
// user read other people's cases without handling them:
//
//   - a division head (庭长) is a judge whom their court's configuration
//     names as the Head of a Division (Court.Divisions). There is no
//     separate role: the configuration is the one source (DivisionOf).
//     The head keeps their own cases and, in addition, reads the cases
//     of their division's judges and may issue a supervision order
//     (督办) on them.
//   - a high court's supervisor (RoleSupervisor), a user of a court
//     marked High, reads every court's figures and cases of the
//     deployment and may issue supervision orders on them; every other
//     write is refused with ErrReadOnly.
//
// Oversees decides the reading, MayOrder the orders; both views and
// orders of other people's cases go on the audit log.

// ErrReadOnly is the refusal of a write by a high court's supervisor, who
// may only read and issue supervision orders. It matches ErrForbidden.
var ErrReadOnly = fmt.Errorf("%w: a supervisor only reads and issues supervision orders", ErrForbidden)

// ActionCaseViewed is the audit action of a case read by a division head
// or a high court's supervisor who does not handle it.
const ActionCaseViewed = "case_viewed"

// DivisionOf returns the division p heads (庭长) in p's court, and whether
// p heads one; the first one listed when p heads several.
func (d *Desk) DivisionOf(p *Principal) (Division, bool) {
	if p == nil || p.Role != RoleJudge || p.UserID == "" {
		return Division{}, false
	}
	for _, dv := range d.court(d.CourtFor(p)).Divisions {
		if dv.Head == p.UserID {
			dv.Judges = slices.Clone(dv.Judges)
			return dv, true
		}
	}
	return Division{}, false
}

// IsHead reports whether p heads a division of their court.
func (d *Desk) IsHead(p *Principal) bool {
	_, ok := d.DivisionOf(p)
	return ok
}

// IsSupervisor reports whether p is a high court's supervisor: a user with
// RoleSupervisor whose court is configured as a high court.
func (d *Desk) IsSupervisor(p *Principal) bool {
	if p == nil || p.Role != RoleSupervisor {
		return false
	}
	c, ok := d.courtIdx[d.CourtFor(p)]
	return ok && c.High
}

// Oversees reports whether p may read case c without handling it: a
// division head a case of a judge of their division (their own cases are
// Visible anyway), a high court's supervisor a case of any court of the
// deployment. The chief's and the handling judge's reading is Visible.
func (d *Desk) Oversees(p *Principal, c *enforcement.Case) bool {
	if p == nil || c == nil {
		return false
	}
	switch p.Role {
	case RoleSupervisor:
		cc, ok := d.courtIdx[c.Court]
		return d.IsSupervisor(p) && ok && !cc.High
	case RoleJudge:
		dv, ok := d.DivisionOf(p)
		return ok && c.Court == d.CourtFor(p) && c.JudgeID != "" && slices.Contains(dv.Judges, c.JudgeID)
	}
	return false
}

// MayOrder reports whether p may issue a supervision order (督办) on case
// c: the chief of its court, the head of its judge's division (not on
// their own cases), or a high court's supervisor.
func (d *Desk) MayOrder(p *Principal, c *enforcement.Case) bool {
	if p == nil || c == nil {
		return false
	}
	switch p.Role {
	case RoleChief:
		return d.Visible(p, c)
	case RoleJudge:
		return c.JudgeID != p.UserID && d.Oversees(p, c)
	case RoleSupervisor:
		return d.Oversees(p, c)
	}
	return false
}

// ReadCase returns case id for reading: a case p may see (Get), or one p
// oversees (Oversees), which is recorded on the audit log of the case's
// court as viewed. readOnly is set for an overseen case. A case p may
// neither see nor oversee is not found.
func (d *Desk) ReadCase(ctx context.Context, p *Principal, id string) (c *enforcement.Case, readOnly bool, err error) {
	if p == nil {
		return nil, false, ErrUnauthenticated
	}
	c, err = d.Store.Get(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if d.Visible(p, c) {
		return c, false, nil
	}
	if !d.Oversees(p, c) {
		return nil, false, NotFound("case", id)
	}
	d.record(ctx, p, enforcement.AuditEntry{Action: ActionCaseViewed, CaseID: c.ID, Court: c.Court, Target: c.Number.String()})
	return c, true, nil
}

// MayRead returns nil when p may see or oversee case id (see ReadCase),
// without putting anything on the audit log; a case p may neither see nor
// oversee is not found.
func (d *Desk) MayRead(ctx context.Context, p *Principal, id string) error {
	if p == nil {
		return ErrUnauthenticated
	}
	c, err := d.Store.Get(ctx, id)
	if err != nil {
		return err
	}
	if !d.Visible(p, c) && !d.Oversees(p, c) {
		return NotFound("case", id)
	}
	return nil
}

// ClosureChecklist returns the closure checklist of case c, read through
// ReadCase, for mode today.
func (d *Desk) ClosureChecklist(c *enforcement.Case, mode enforcement.ClosureMode) []enforcement.Precondition {
	return c.ClosurePreconditions(mode, d.Today(), d.Env(c.Court))
}

// CheckWrite returns ErrReadOnly when p is a high court's supervisor and
// the request is a write (not read) that is not one of the few a
// supervisor may make (allowed: signing in and out, a supervision order);
// nil otherwise. The front ends call it before every handler, so that
// every other write is refused in one place, whatever the handler behind
// it would do.
func CheckWrite(p *Principal, read, allowed bool) error {
	if p == nil || p.Role != RoleSupervisor || read || allowed {
		return nil
	}
	return ErrReadOnly
}
