package main

import (
	"context"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
)

// demoSupervisor is the demo's high court supervisor (高院监督), a user of
// 沪高 when the demo's courts include it.
var demoSupervisor = struct{ id, name, mobile string }{"high-sup", "周正", "13900000021"}

// seedOversight adds the demo's oversight accounts: the high court's
// supervisor (created when fresh, listed always), and marks each division
// head (庭长, from the courts' divisions) among the accounts listed.
func (a *app) seedOversight(ctx context.Context, fresh bool) error {
	for _, c := range a.desk.Courts() {
		for _, dv := range c.Divisions {
			for i := range a.demo {
				if a.demo[i].Role == desk.RoleJudge && a.demo[i].ID == dv.Head {
					a.demo[i].Note = "（" + dv.Name + "庭长）"
				}
			}
		}
	}
	high, ok := a.desk.CourtOf("沪高")
	if !ok || !high.High {
		return nil
	}
	u := desk.User{ID: demoSupervisor.id, Court: high.Code, Role: desk.RoleSupervisor, Name: demoSupervisor.name, Mobile: demoSupervisor.mobile}
	if fresh {
		if err := a.desk.CreateUser(ctx, u, "demo-"+u.ID); err != nil {
			return err
		}
	}
	a.demo = append(a.demo, pages.DemoAccount{Role: desk.RoleSupervisor, ID: u.ID, Secret: "demo-" + u.ID, Name: u.Name, Court: high.Name})
	return nil
}
