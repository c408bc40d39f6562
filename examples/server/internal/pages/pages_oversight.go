package pages

import (
	"net/http"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// divisionView is a division head's (庭长) dashboard.
type divisionView struct {
	desk.DivisionView
	Judges []judgeRow
	Names  map[string]string
	Chart  chart
	// More and All are as in chiefView.
	More desk.ReportMore
	All  bool
}

// RequestsTotal counts the unanswered requests, listed or not.
func (v divisionView) RequestsTotal() int { return len(v.Report.Requests) + v.More.Requests }

// JudgeName is the name of a user ID.
func (v divisionView) JudgeName(id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return id
}

// division shows the dashboard of the division the signed-in judge heads:
// their judges' figures and plans, the overdue and approaching items,
// unanswered requests, key cases and orders of the division's cases.
func (pg *pages) division(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	dv, err := pg.desk.Division(r.Context(), p)
	if err != nil {
		return err
	}
	v := divisionView{DivisionView: dv, Names: pg.judgeNames(r)}
	limit, all := listedOf(r)
	v.Report, v.More = desk.PageOf(dv.Report, limit)
	v.All = all
	v.Judges = judgeRows(dv.Report.Judges, v.Names)
	v.Chart = buildChart(v.Judges)
	return pg.render(w, r, http.StatusOK, "division", page{Title: dv.Division.Name + " · 庭长工作台", Nav: "division", Data: v})
}

// judgeRows names each judge's figures, by user ID.
func judgeRows(fs []enforcement.JudgeFigures, names map[string]string) []judgeRow {
	var out []judgeRow
	for _, jf := range fs {
		name := names[jf.JudgeID]
		if name == "" {
			name = jf.JudgeID
		}
		out = append(out, judgeRow{JudgeFigures: jf, Name: name})
	}
	slices.SortStableFunc(out, func(a, b judgeRow) int { return strings.Compare(a.JudgeID, b.JudgeID) })
	return out
}

// highView is a high court's supervisor's overview of the courts.
type highView struct {
	Courts []desk.CourtFigures
	Today  string
}

// high shows every court's figures to a high court's supervisor, the most
// overdue first.
func (pg *pages) high(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	cs, err := pg.desk.Overview(r.Context(), p)
	if err != nil {
		return err
	}
	return pg.render(w, r, http.StatusOK, "high", page{Title: "全辖区执行工作概览", Nav: "high", Data: highView{Courts: cs, Today: pg.desk.Today().String()}})
}

// highCourt shows one court's chief's dashboard to a high court's
// supervisor, read-only: no action forms, the 督办 links to the cases.
func (pg *pages) highCourt(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	code := r.PathValue("code")
	rep, plans, err := pg.desk.CourtReport(r.Context(), p, code)
	if err != nil {
		return err
	}
	v := chiefView{Names: pg.judgeNames(r), Week: planning.WeekOf(pg.desk.Today()), Plans: plans,
		ReadOnly: true, CourtName: pg.desk.CourtName(code)}
	limit, all := listedOf(r)
	v.Report, v.More = desk.PageOf(rep, limit)
	v.All = all
	v.Judges = judgeRows(rep.Judges, v.Names)
	v.Chart = buildChart(v.Judges)
	return pg.render(w, r, http.StatusOK, "chief", page{Title: v.CourtName + " · 执行工作情况", Nav: "high", Data: v})
}
