package desk

import (
	"context"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// Withdraw withdraws node or measure rid of case id, recorded by mistake
// (enforcement.Case.Withdraw): the record is kept, marked withdrawn with
// who, when and why, the due items it started are cancelled and those it
// completed open again; the audit log keeps the case before and after.
func (d *Desk) Withdraw(ctx context.Context, p *Principal, id, rid, reason string) (*enforcement.Case, error) {
	if err := CheckText("reason", reason, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.Withdraw(rid, reason, env, p.Actor(), now)
	})
}
