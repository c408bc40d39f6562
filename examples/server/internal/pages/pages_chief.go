package pages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// chiefView is the chief's dashboard.
type chiefView struct {
	Report enforcement.Report
	Judges []judgeRow
	Names  map[string]string
	Chart  chart
	Groups []planning.Group
	Week   planning.Week
	// PendingOverrides counts the due-date overrides awaiting approval.
	PendingOverrides int
	// Plans are the judges' plans for this week.
	Plans []desk.PlanState
	// ReadOnly is set when a high court's supervisor reads the court's
	// dashboard: no forms, no links to the chief's own pages. CourtName
	// names the court then.
	ReadOnly  bool
	CourtName string
	// More counts what the report's lists leave out; All is set when
	// the page was asked for every entry (?all=1).
	More desk.ReportMore
	All  bool
}

// RequestsTotal counts the unanswered requests, listed or not.
func (v chiefView) RequestsTotal() int { return len(v.Report.Requests) + v.More.Requests }

// dashboardListed is how many entries each list of a dashboard (the
// chief's, a division head's, a court's for the high court) shows, the
// most urgent, with how many more there are and a link to them all: a
// court of 50,000 cases has a thousand key cases and hundreds of flagged
// items, too many for one page on a phone.
const dashboardListed = 20

// listedOf returns how many entries each list of a dashboard shows for
// r: dashboardListed, or every entry for ?all=1.
func listedOf(r *http.Request) (limit int, all bool) {
	if r.URL.Query().Get("all") == "1" {
		return 0, true
	}
	return dashboardListed, false
}

// judgeRow is one judge's figures with their name.
type judgeRow struct {
	enforcement.JudgeFigures
	Name string
}

// chart is a horizontal bar chart of overdue and approaching items per
// judge, drawn on the server as inline SVG. Its text alternative (Label) says
// the same figures in words; the table beside it holds them too.
type chart struct {
	Width, Height int
	Label         string
	Bars          []chartBar
	Legend        []chartLegend
}

type chartBar struct {
	Y, LabelY int
	Name      string
	Segments  []chartSegment
	Total     int
	TotalX    int
}

type chartSegment struct {
	X, W   int
	Colour string
	Title  string
	Class  string
}

type chartLegend struct {
	X      int
	Colour string
	Text   string
	Class  string
}

// chartLevels are the Levels the chart shows, left to right.
var chartLevels = []enforcement.Level{enforcement.LevelOverdue, enforcement.LevelDueToday, enforcement.LevelApproaching}

// buildChart lays out the bars. Coordinates are integers in the SVG's own
// units; the SVG scales to the page width.
func buildChart(rows []judgeRow) chart {
	const left, barH, gap, top, right = 72, 22, 12, 34, 40
	ch := chart{Width: 360}
	max := 1
	for _, r := range rows {
		t := 0
		for _, l := range chartLevels {
			t += r.Counts.Of(l)
		}
		max = maxInt(max, t)
	}
	span := ch.Width - left - right
	var words []string
	x := 0
	for _, l := range chartLevels {
		ch.Legend = append(ch.Legend, chartLegend{X: x, Colour: l.Colour(), Text: l.Chinese(), Class: "lv-" + l.String()})
		x += 96
	}
	for i, r := range rows {
		b := chartBar{Y: top + i*(barH+gap), Name: r.Name}
		b.LabelY = b.Y + barH/2 + 5
		x := left
		var parts []string
		for _, l := range chartLevels {
			n := r.Counts.Of(l)
			parts = append(parts, fmt.Sprintf("%s%d项", l.Chinese(), n))
			b.Total += n
			if n == 0 {
				continue
			}
			wd := n * span / max
			if wd < 3 {
				wd = 3
			}
			b.Segments = append(b.Segments, chartSegment{X: x, W: wd, Colour: l.Colour(), Class: "lv-" + l.String(),
				Title: fmt.Sprintf("%s：%s %d 项", r.Name, l.Chinese(), n)})
			x += wd
		}
		b.TotalX = x + 6
		ch.Bars = append(ch.Bars, b)
		words = append(words, r.Name+"："+strings.Join(parts, "，"))
	}
	ch.Height = top + len(rows)*(barH+gap)
	ch.Label = "各法官期限预警图。" + strings.Join(words, "；") + "。"
	return ch
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func (pg *pages) chief(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		if p != nil && p.Role == desk.RoleJudge {
			http.Redirect(w, r, "/week", http.StatusSeeOther)
			return nil
		}
		return err
	}
	ctx := r.Context()
	limit, all := listedOf(r)
	rep, more, err := pg.desk.SupervisionPage(ctx, p, limit)
	if err != nil {
		return err
	}
	v := chiefView{Report: rep, More: more, All: all, Names: pg.judgeNames(r), Week: planning.WeekOf(pg.desk.Today())}
	v.Judges = judgeRows(rep.Judges, v.Names)
	v.Chart = buildChart(v.Judges)
	if v.Groups, err = pg.desk.Coordination(ctx, p); err != nil {
		return err
	}
	if v.Plans, err = pg.desk.PlanStates(ctx, p, v.Week); err != nil {
		return err
	}
	ovs, err := pg.desk.Overrides(ctx, p, false)
	if err != nil {
		return err
	}
	for _, o := range ovs {
		if o.Status == string(enforcement.OverridePending) {
			v.PendingOverrides++
		}
	}
	return pg.render(w, r, http.StatusOK, "chief", page{Title: "执行局长工作台", Nav: "chief", Data: v})
}

// JudgeName is a template helper: the name of a user ID from the view.
func (v chiefView) JudgeName(id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return id
}
