package desk

import (
	"context"
	"time"

	"github.com/courtkit/zhixing/planning"
)

// PlanState is a judge's weekly plan as the chief's dashboard shows it:
// drafted, submitted or not begun, and how often it changed after it was
// submitted.
type PlanState struct {
	JudgeID, Name string
	// Status is planning.StatusDraft or StatusSubmitted, "" when the judge
	// has no plan for the week.
	Status planning.PlanStatus
	Items  int
	// SubmittedAt is when it was submitted; Changes counts the changes
	// made to it since, LastChange the time of the latest.
	SubmittedAt time.Time
	Changes     int
	LastChange  time.Time
}

// PlanStates returns the state of every judge's plan for week w, by user
// ID; the chief only.
func (d *Desk) PlanStates(ctx context.Context, p *Principal, w planning.Week) ([]PlanState, error) {
	if err := Need(p, RoleChief); err != nil {
		return nil, err
	}
	ps, err := d.Plans.ListWeek(ctx, d.CourtFor(p), w)
	if err != nil {
		return nil, err
	}
	byJudge := map[string]*planning.Plan{}
	for _, pl := range ps {
		byJudge[pl.JudgeID] = pl
	}
	us, err := d.ListUsers(ctx, d.CourtFor(p))
	if err != nil {
		return nil, err
	}
	var out []PlanState
	for _, u := range us {
		if u.Role != RoleJudge {
			continue
		}
		s := PlanState{JudgeID: u.ID, Name: u.Name}
		if pl := byJudge[u.ID]; pl != nil {
			s.Status, s.Items, s.SubmittedAt = pl.Status, len(pl.Items), pl.SubmittedAt
			for _, r := range pl.History {
				if r.Op == planning.OpSubmit {
					continue
				}
				s.Changes++
				if r.At.After(s.LastChange) {
					s.LastChange = r.At
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}
