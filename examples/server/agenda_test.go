package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// TestAgenda_MatchesEveryCase checks that the reminders read from the due
// index are those planning.Reminders and planning.ChiefAgenda give over
// every case: on a day well inside the official calendar and on one whose
// window runs past its end (where the window widens) and on one deep
// inside it (where items due far off show by their reminder dates), with
// plan items on cases with nothing due in
// the window, linking items due long after it, and done.
func TestAgenda_MatchesEveryCase(t *testing.T) {
	if raceEnabled {
		t.Skip("compares answers over 900 cases, no concurrency of its own: runs without -race")
	}
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		d := e.app.desk
		require.NoError(t, e.app.seedBulk(ctx, 900, 4))
		judges := []string{"judge-li", "judge-zhang", "judge-chen", "judge-04"}
		cal := d.Calendar()

		plan := func(judge string, day deadline.Date, it planning.Item) {
			t.Helper()
			p := &desk.Principal{Role: desk.RoleJudge, UserID: judge}
			_, err := d.ChangePlan(ctx, p, judge, planning.WeekOf(day), func(pl *planning.Plan, ch planning.Change) error { return pl.AddItem(it, ch) })
			require.NoError(t, err)
		}
		// An item due far off whose reminder date has come (a court's own
		// rule may remind months ahead).
		_, _, err := d.Store.Update(ctx, "bulk-8", func(c *enforcement.Case) ([]enforcement.Event, error) {
			for i := range c.DueItems {
				if c.DueItems[i].IsOpen() && c.DueItems[i].Rule == "case.superior_application" {
					c.DueItems[i].Computed = d.Today().AddDays(300)
					c.DueItems[i].Warnings = []deadline.Date{d.Today().AddDays(-200)}
					return nil, nil
				}
			}
			return nil, fmt.Errorf("no open item to change")
		})
		require.NoError(t, err)
		// And a task of judge-li's (bulk-12) reminded long before its due
		// date: listed in Today while the page has room, else counted.
		_, _, err = d.Store.Update(ctx, "bulk-12", func(c *enforcement.Case) ([]enforcement.Event, error) {
			for i := range c.DueItems {
				if x := &c.DueItems[i]; x.IsOpen() && !x.IsRight() && planning.JudgeFollows(x.Owner) && x.Override == nil {
					x.Computed = d.Today().AddDays(300)
					x.Warnings = []deadline.Date{d.Today().AddDays(-200)}
					return nil, nil
				}
			}
			return nil, fmt.Errorf("no open task to change")
		})
		require.NoError(t, err)
		offsets := []int{0, 28, -160} // today; a window past the calendar's end; one deep inside it
		for k, off := range offsets {
			day := d.Today().AddDays(off)
			// bulk-0 is judge-li's case filed today: its handling limit is
			// due in six months. bulk-200 is judge-li's, closed.
			plan("judge-li", day.AddDays(1), planning.Item{ID: fmt.Sprintf("limit-%d", k), Kind: planning.KindTask, CaseID: "bulk-0", DueID: "case.limit@filing", Title: "申请延长办案期限", Day: day.AddDays(1)})
			plan("judge-li", day.AddDays(2), planning.Item{ID: fmt.Sprintf("closed-%d", k), Kind: planning.KindTask, CaseID: "bulk-200", Title: "整理卷宗归档", Day: day.AddDays(2)})
			plan("judge-li", day.AddDays(8), planning.Item{ID: fmt.Sprintf("next-%d", k), Kind: planning.KindTask, CaseID: "bulk-4", Title: "约谈被执行人", Day: day.AddDays(8)})
			plan("judge-zhang", day.AddDays(1), planning.Item{ID: fmt.Sprintf("done-%d", k), Kind: planning.KindTask, CaseID: "bulk-1", Title: "查询车辆", Day: day.AddDays(1), Done: true})
			plan("judge-zhang", day, planning.Item{ID: fmt.Sprintf("meeting-%d", k), Kind: planning.KindTask, Title: "执行局例会", Day: day})
			// A done plan item linking judge-zhang's latest overdue task:
			// out of the window, yet the item is planned, also when a
			// page leaves it unlisted.
			refs, err := d.Store.DueItems(ctx, enforcement.DueFilter{Court: d.DefaultCourt(), JudgeID: "judge-zhang", OpenOnly: true, DueBefore: day.AddDays(-1)})
			require.NoError(t, err)
			refs = slices.DeleteFunc(refs, func(r enforcement.DueRef) bool { return r.Item.IsRight() || !planning.JudgeFollows(r.Item.Owner) })
			require.NotEmpty(t, refs)
			last := refs[len(refs)-1]
			plan("judge-zhang", day, planning.Item{ID: fmt.Sprintf("linked-done-%d", k), Kind: planning.KindTask, CaseID: last.CaseID, DueID: last.Item.ID, Title: "已办：" + last.Item.Title, Day: day, Done: true})
		}
		start := e.clock.Now()
		for _, off := range offsets {
			t.Run(fmt.Sprintf("today%+d", off), func(t *testing.T) {
				e.clock.ns.Store(start.AddDate(0, 0, off).UnixNano())
				now := d.Now()
				paged := 0
				for _, j := range judges {
					all, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: d.DefaultCourt(), JudgeID: j})
					require.NoError(t, err)
					unexplained(all)
					plans, err := d.AgendaPlans(ctx, d.DefaultCourt(), j)
					require.NoError(t, err)
					want, err := planning.Reminders(j, plans, all, now, cal, planning.ReminderConfig{})
					require.NoError(t, err)
					// Every entry, and pages read through the summary
					// rows: the first n entries of each list of the same
					// agenda, the same counts, the rest counted.
					for _, limit := range []int{0, 1, 7, desk.AgendaLimit} {
						got, err := d.Agenda(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: j}, j, limit)
						require.NoError(t, err)
						require.Equal(t, jsonOf(t, want.Limit(limit)), jsonOf(t, got), "%s, limit %d", j, limit)
						if got.More.Today > 0 {
							paged++
						}
					}
				}
				require.Positive(t, paged, "some judge has more overdue items than a page")
				cs, plans, _, err := d.AgendaInput(ctx, d.DefaultCourt(), "", now, cal, 0)
				require.NoError(t, err)
				got, err := planning.ChiefAgenda(plans, cs, now, cal, planning.ReminderConfig{})
				require.NoError(t, err)
				all, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: d.DefaultCourt()})
				require.NoError(t, err)
				unexplained(all)
				want, err := planning.ChiefAgenda(plans, all, now, cal, planning.ReminderConfig{})
				require.NoError(t, err)
				require.Len(t, want.Judges, len(judges))
				require.NotZero(t, want.Totals.Overdue+want.Totals.Approaching+want.Totals.Normal)
				require.Equal(t, jsonOf(t, want), jsonOf(t, got))
				kept, err := d.ChiefAgenda(ctx, &desk.Principal{Role: desk.RoleChief, UserID: "chief"})
				require.NoError(t, err)
				require.Equal(t, jsonOf(t, want), jsonOf(t, kept), "the kept chief's agenda")
			})
		}
	})
}

// unexplained drops the explanation (Steps, CalcBasis) of every due item
// of cases, which the reminders do not read.
func unexplained(cases []*enforcement.Case) {
	for _, c := range cases {
		for i := range c.DueItems {
			c.DueItems[i].Steps, c.DueItems[i].CalcBasis = nil, nil
		}
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(b)
}

// The week page lists the most urgent of a long backlog and says how many
// more there are, with a link to the overdue cases; the counts are every
// item's.
func TestWeekPage_UrgentListIsAPage(t *testing.T) {
	e := start(t, sqliteBackend(t))
	ctx := t.Context()
	d := e.app.desk
	require.NoError(t, e.app.seedBulk(ctx, 900, 4))
	// A backlog: the tasks of judge-li's open cases left undone.
	open, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: d.DefaultCourt(), JudgeID: "judge-li", Status: enforcement.StatusOpen})
	require.NoError(t, err)
	backlog := 0
	for k, c := range open {
		_, _, err := d.Store.Update(ctx, c.ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			for i := range c.DueItems {
				if x := &c.DueItems[i]; x.IsOpen() && !x.IsRight() && planning.JudgeFollows(x.Owner) && x.Override == nil {
					x.Computed = d.Today().AddDays(-1 - (k+i)%60)
					backlog++
				}
			}
			return nil, nil
		})
		require.NoError(t, err)
	}
	require.Greater(t, backlog, desk.AgendaLimit)
	full, err := d.Agenda(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-li"}, "judge-li", 0)
	require.NoError(t, err)
	paged := full.Limit(desk.AgendaLimit)
	require.Positive(t, paged.More.Today, "judge-li has more than a page today")
	st, _, page := e.signIn("judge-li").get("/week")
	require.Equal(t, http.StatusOK, st)
	urgent := page[strings.Index(page, `id="urgent-h"`):]
	urgent = urgent[:strings.Index(urgent, "</section>")]
	require.LessOrEqual(t, strings.Count(urgent, `<li class="entry`), desk.AgendaLimit)
	require.Contains(t, urgent, fmt.Sprintf("另有 %d 项未列出", paged.More.Today))
	require.Contains(t, urgent, `href="/cases?level=overdue"`)
	require.Contains(t, page, fmt.Sprintf("已超期 <strong>%d</strong>", full.Counts.Overdue))
}
