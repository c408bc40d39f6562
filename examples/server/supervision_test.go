package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/api"
)

// The chief's report lists the most urgent flagged items up to -due-listed
// and counts them all: the listed ones are the head of the full list, and
// the page says how many there are.
func TestSupervision_DueListed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dsn := b.dsn(t)
		shared := backend{b.name, func(*testing.T) string { return dsn }}
		all := startWith(t, shared, func(c *config) { c.DueListed = 0 })
		few := startWith(t, shared, func(c *config) { c.DueListed = 3 })

		var full, cut api.Report
		require.Equal(t, http.StatusOK, all.login("chief").do("GET", "/api/v1/supervision", nil, &full))
		require.Equal(t, http.StatusOK, few.login("chief").do("GET", "/api/v1/supervision", nil, &cut))
		require.Greater(t, dueTotal(full), 3, "the demo court has more than three flagged items")
		require.Len(t, full.Due, dueTotal(full))
		require.Equal(t, full.Due[:3], cut.Due)
		require.Equal(t, full.Counts, cut.Counts)
		require.Equal(t, full.Judges, cut.Judges)

		st, _, page := few.signIn("chief").get("/chief")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, page, fmt.Sprintf("共 %d 项，此处列出最紧急的 3 项。", dueTotal(full)))
		st, _, page = all.signIn("chief").get("/chief")
		require.Equal(t, http.StatusOK, st)
		require.NotContains(t, page, "此处列出最紧急的")
	})
}

// dueTotal counts the flagged (approaching, due today, overdue) items of r.
func dueTotal(r api.Report) int { return r.Counts.Approaching + r.Counts.DueToday + r.Counts.Overdue }

// The chief's headline counts are the judges' rows plus the tasks of cases
// without a judge plus the parties' and platforms' tasks, and the page
// shows those rows with the total. A party's right (the respondent's
// jurisdiction objection, the applicant's application to the higher
// court) is never counted or listed as overdue work, neither in the
// report nor in the due index.
func TestSupervision_HeadlineAddsUp(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		chief := e.login("chief")
		var rep api.Report
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		require.True(t, rep.AddsUp)
		add := func(a, b api.LevelCounts) api.LevelCounts {
			return api.LevelCounts{Normal: a.Normal + b.Normal, Approaching: a.Approaching + b.Approaching, DueToday: a.DueToday + b.DueToday, Overdue: a.Overdue + b.Overdue}
		}
		sum := add(rep.Unassigned, rep.PartyTasks)
		for _, j := range rep.Judges {
			sum = add(sum, j.Counts)
		}
		require.Equal(t, rep.Counts, sum, "the headline is the sum of the table's rows")
		require.Positive(t, rep.Counts.Overdue)
		require.Positive(t, rep.Rights, "the demo cases carry parties' rights")

		var ix api.DueIndex
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/due", nil, &ix))
		require.Equal(t, rep.Rights, ix.Rights, "the due index counts the same rights apart")
		require.Equal(t, rep.Counts, ix.Counts, "and the same tasks")
		read := map[string]bool{}   // case IDs
		rights := map[string]bool{} // case/item IDs of open rights
		for _, f := range append(ix.Flagged, rep.Due...) {
			if read[f.CaseID] {
				continue
			}
			read[f.CaseID] = true
			var c api.Case
			require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/cases/"+f.CaseID, nil, &c))
			for _, d := range c.DueItems {
				if d.Right != "" && d.Status == "open" {
					rights[f.CaseID+"/"+d.ID] = true
				}
			}
		}
		require.NotEmpty(t, rights, "the flagged cases carry rights")
		for _, f := range append(ix.Flagged, rep.Due...) {
			require.False(t, rights[f.CaseID+"/"+f.DueID], "%s %s is a right, not overdue work", f.Number, f.Title)
		}

		st, _, page := e.signIn("chief").get("/chief")
		require.Equal(t, http.StatusOK, st)
		for _, row := range []struct {
			name, key string
			c         api.LevelCounts
		}{{"未分配承办人的案件", "unassigned", rep.Unassigned}, {"当事人、平台的期限", "party_tasks", rep.PartyTasks}, {"合计", "total", rep.Counts}} {
			require.Contains(t, page, fmt.Sprintf(`<tr data-row="%s"><th scope="row">%s</th><td colspan="3"></td>
        <td data-k="overdue">%d</td><td data-k="due_today">%d</td><td data-k="approaching">%d</td>`, row.key, row.name, row.c.Overdue, row.c.DueToday, row.c.Approaching))
		}
		require.Contains(t, page, fmt.Sprintf(`当事人的权利期限 <strong data-k="rights">%d</strong> 项`, rep.Rights))
		require.NotContains(t, page, "各行之和与合计不符")
	})
}

// A division head's dashboard lists the division's own most urgent items up
// to -due-listed, whatever the other divisions' items: the head of the
// court's full list narrowed to the division, not the court's most urgent
// narrowed.
func TestSupervision_DivisionDueListed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dsn := b.dsn(t)
		shared := backend{b.name, func(*testing.T) string { return dsn }}
		all := startWith(t, shared, func(c *config) { c.DueListed = 0 })
		few := startWith(t, shared, func(c *config) { c.DueListed = 2 })
		var full api.Report
		require.Equal(t, http.StatusOK, all.login("chief").do("GET", "/api/v1/supervision", nil, &full))
		// judge-chen (执行二庭) takes over a case whose flagged items are
		// all after the court's two most urgent.
		moved := ""
		for i := len(full.Due) - 1; i >= 2 && moved == ""; i-- {
			id := full.Due[i].CaseID
			if !slices.ContainsFunc(full.Due[:2], func(f api.DueFlag) bool { return f.CaseID == id }) {
				moved = id
			}
		}
		require.NotEmpty(t, moved)
		_, _, err := all.app.desk.Store.Update(t.Context(), moved, func(c *enforcement.Case) ([]enforcement.Event, error) {
			c.JudgeID = "judge-chen"
			return nil, nil
		})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, all.login("chief").do("GET", "/api/v1/supervision", nil, &full))
		heads := 0
		for _, head := range []string{"judge-li", "judge-chen"} {
			var dv struct {
				Judges []string   `json:"judges"`
				Report api.Report `json:"report"`
			}
			st := few.login(head).do("GET", "/api/v1/division", nil, &dv)
			if st == http.StatusForbidden {
				continue // heads no division in the demo
			}
			require.Equal(t, http.StatusOK, st, head)
			var want []api.DueFlag
			for _, f := range full.Due {
				if slices.Contains(dv.Judges, f.JudgeID) && len(want) < 2 {
					want = append(want, f)
				}
			}
			require.NotEmpty(t, want, "%s's division has flagged items", head)
			require.Equal(t, want, dv.Report.Due, head)
			heads++
		}
		require.Equal(t, 2, heads, "both demo divisions checked")
	})
}

// ?limit= pages the chief's report: each list holds its first limit
// entries of the full report's, more counts the rest, and the counts and
// figures are the whole court's.
func TestSupervision_Limit(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		chief := e.login("chief")
		var full, page api.Report
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &full))
		require.Zero(t, full.More.Due, "the demo's flagged items are all listed by default")
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision?limit=1", nil, &page))
		require.Greater(t, dueTotal(full), 1)
		require.Equal(t, full.Due[:1], page.Due)
		require.Equal(t, dueTotal(full)-1, page.More.Due)
		for _, l := range []struct {
			name       string
			full, page int
			more       int
		}{
			{"key cases", len(full.KeyCases), len(page.KeyCases), page.More.KeyCases},
			{"requests", len(full.Requests), len(page.Requests), page.More.Requests},
			{"orders", len(full.Orders), len(page.Orders), page.More.Orders},
		} {
			require.Equal(t, min(l.full, 1), l.page, l.name)
			require.Equal(t, l.full-l.page, l.more, l.name)
		}
		if len(full.KeyCases) > 0 {
			require.Equal(t, full.KeyCases[:1], page.KeyCases)
		}
		require.Equal(t, full.Counts, page.Counts)
		require.Equal(t, full.Judges, page.Judges)
		require.Equal(t, full.UnclassifiedTotal, page.UnclassifiedTotal)
		for _, bad := range []string{"0", "x", "1001"} {
			require.Equal(t, http.StatusBadRequest, chief.do("GET", "/api/v1/supervision?limit="+bad, nil, nil), bad)
		}
	})
}
