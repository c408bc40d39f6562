package desk

import (
	"cmp"
	"context"
	"slices"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// DivisionView is a division head's dashboard: their court's report
// narrowed to the judges of their division, and those judges' plans for
// the week.
type DivisionView struct {
	Division Division
	// Report holds the division's judges' figures, the overdue and
	// approaching items, key cases, unanswered party requests and
	// supervision orders of their cases; Counts is the sum of the
	// judges' counts (the court's unassigned and parties' tasks are no
	// division's).
	Report enforcement.Report
	Plans  []PlanState
	Week   planning.Week
}

// Division returns the dashboard of the division p heads; ErrForbidden for
// anyone who heads none.
func (d *Desk) Division(ctx context.Context, p *Principal) (DivisionView, error) {
	if err := Need(p, RoleJudge); err != nil {
		return DivisionView{}, err
	}
	dv, ok := d.DivisionOf(p)
	if !ok {
		return DivisionView{}, ErrForbidden
	}
	court := d.CourtFor(p)
	rep, err := d.courtReport(ctx, court)
	if err != nil {
		return DivisionView{}, err
	}
	v := DivisionView{Division: dv, Report: narrowReport(rep, dv.Judges), Week: planning.WeekOf(d.Today())}
	if v.Report.Due, err = d.divisionDue(ctx, court, dv.Judges); err != nil {
		return DivisionView{}, err
	}
	if v.Plans, err = d.planStates(ctx, court, v.Week, dv.Judges); err != nil {
		return DivisionView{}, err
	}
	return v, nil
}

// divisionDue lists the flagged tasks (overdue, due today, approaching)
// of the judges' cases of court, the most urgent first, at most
// Desk.DueListed of them as the court's report does: read per judge from
// the due index, so that the division's list does not depend on the other
// divisions' items.
func (d *Desk) divisionDue(ctx context.Context, court string, judges []string) ([]enforcement.DueFlag, error) {
	today := d.Today()
	cal := d.cal.Load()
	_, through := levelDates(cal, today, enforcement.LevelApproaching)
	var refs []enforcement.DueRef
	for _, j := range judges {
		rs, err := d.Store.DueItems(ctx, enforcement.DueFilter{Court: court, JudgeID: j, OpenOnly: true, DueBefore: through, Brief: true})
		if err != nil {
			return nil, err
		}
		refs = append(refs, rs...)
	}
	cl, err := enforcement.Classify(refs, today, cal, 0)
	if err != nil {
		return nil, err
	}
	if d.DueListed > 0 && len(cl.Flagged) > d.DueListed {
		cl.Flagged = cl.Flagged[:d.DueListed]
	}
	return cl.Flagged, nil
}

// narrowReport returns rep with only what concerns the judges: their
// figures and the listed items of their cases (Division replaces the Due
// list, which rep holds only among the court's most urgent).
func narrowReport(rep enforcement.Report, judges []string) enforcement.Report {
	in := func(j string) bool { return j != "" && slices.Contains(judges, j) }
	out := enforcement.Report{Today: rep.Today, Approaching: rep.Approaching,
		Due:      keepJudges(rep.Due, func(f enforcement.DueFlag) string { return f.JudgeID }, in),
		KeyCases: keepJudges(rep.KeyCases, func(k enforcement.KeyCase) string { return k.JudgeID }, in),
		Requests: keepJudges(rep.Requests, func(r enforcement.RequestFlag) string { return r.JudgeID }, in),
		Orders:   keepJudges(rep.Orders, func(o enforcement.OrderFlag) string { return o.JudgeID }, in),
		Judges:   keepJudges(rep.Judges, func(j enforcement.JudgeFigures) string { return j.JudgeID }, in),
	}
	for _, j := range out.Judges {
		out.Counts.Overdue += j.Counts.Overdue
		out.Counts.DueToday += j.Counts.DueToday
		out.Counts.Approaching += j.Counts.Approaching
		out.Counts.Normal += j.Counts.Normal
	}
	return out
}

// keepJudges returns the elements of xs whose judge (as judgeOf reads
// it) in accepts, in their order; nil when none is.
func keepJudges[T any](xs []T, judgeOf func(T) string, in func(string) bool) []T {
	var out []T
	for _, x := range xs {
		if in(judgeOf(x)) {
			out = append(out, x)
		}
	}
	return out
}

// CourtFigures is one court's line in a high court's overview.
type CourtFigures struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// OpenCases counts the cases not closed; Unassigned the open ones
	// without a handling judge.
	OpenCases  int `json:"open_cases"`
	Unassigned int `json:"unassigned"`
	// Overdue counts the overdue tasks (every open due item but a
	// party's right); NearDue those due today or approaching.
	Overdue int `json:"overdue"`
	NearDue int `json:"near_due"`
	// Requests counts the unanswered party requests, OpenOrders the
	// supervision orders not answered yet.
	Requests   int `json:"unanswered_requests"`
	OpenOrders int `json:"open_orders"`
}

// Overview returns the figures of every court of the deployment that
// takes cases, for a high court's supervisor: the most overdue tasks
// first, then by court code.
//
// It reads no court's report and no case: every court's figures come from
// the store's summary rows, kept in the transaction of each write
// (sqlstore.Store.TallyCourts). The figures equal the chief's report of
// each court (oversight tests).
func (d *Desk) Overview(ctx context.Context, p *Principal) ([]CourtFigures, error) {
	if err := d.needSupervisor(p); err != nil {
		return nil, err
	}
	today := d.Today()
	_, through := levelDates(d.cal.Load(), today, enforcement.LevelApproaching)
	tallies, err := d.Store.TallyCourts(ctx, today, through)
	if err != nil {
		return nil, err
	}
	byCourt := make(map[string]sqlstore.CourtTally, len(tallies))
	for _, t := range tallies {
		byCourt[t.Court] = t
	}
	out := []CourtFigures{}
	for _, code := range d.CaseCourts() {
		t := byCourt[code]
		out = append(out, CourtFigures{Code: code, Name: d.CourtName(code), OpenCases: t.OpenCases, Unassigned: t.UnassignedCases,
			Overdue: t.Counts.Overdue, NearDue: t.Counts.DueToday + t.Counts.Approaching, Requests: t.OpenRequests, OpenOrders: t.OpenOrders})
	}
	slices.SortStableFunc(out, func(a, b CourtFigures) int {
		if c := cmp.Compare(b.Overdue, a.Overdue); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out, nil
}

// CourtReport returns the chief's report of court code for a high court's
// supervisor, to read: the report and the court's judges' plans for the
// week. A code that is no court taking cases is not found.
func (d *Desk) CourtReport(ctx context.Context, p *Principal, code string) (enforcement.Report, []PlanState, error) {
	if err := d.supervisedCourt(p, code); err != nil {
		return enforcement.Report{}, nil, err
	}
	rep, err := d.courtReport(ctx, code)
	if err != nil {
		return enforcement.Report{}, nil, err
	}
	plans, err := d.planStates(ctx, code, planning.WeekOf(d.Today()), nil)
	if err != nil {
		return enforcement.Report{}, nil, err
	}
	return rep, plans, nil
}

func (d *Desk) needSupervisor(p *Principal) error {
	if err := Need(p, RoleSupervisor); err != nil {
		return err
	}
	if !d.IsSupervisor(p) {
		return ErrForbidden
	}
	return nil
}

// supervisedCourt checks that p is a high court's supervisor and code a
// court of the deployment that takes cases (else not found).
func (d *Desk) supervisedCourt(p *Principal, code string) error {
	if err := d.needSupervisor(p); err != nil {
		return err
	}
	if c, ok := d.courtIdx[code]; !ok || c.High {
		return NotFound("court", code)
	}
	return nil
}
