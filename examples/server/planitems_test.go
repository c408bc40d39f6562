package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// A plan item is moved to a half-day, marked done and undone, and removed
// through the API; the removal of a submitted plan's item stays in the
// plan's history and on the audit record.
func TestAPI_PlanItemActions(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.login("judge-li")
	const plan = "/api/v1/plans/judge-li/2026-W48"
	var pl api.Plan
	require.Equal(t, http.StatusOK, li.do("POST", plan+"/items", map[string]any{"id": "it-1", "kind": "task", "title": "整理财产线索", "day": "2026-11-27"}, &pl))
	item := plan + "/items/it-1"

	t.Run("MoveToAfternoon", func(t *testing.T) {
		pl = api.Plan{} // the answer is decoded afresh: Day is absent from a timed item
		require.Equal(t, http.StatusOK, li.do("POST", item+"/move", map[string]any{"day": "2026-11-28", "half": "pm"}, &pl))
		require.Len(t, pl.Items, 1)
		require.True(t, pl.Items[0].Day.IsZero(), "an all-day item moved to a half-day is timed")
		require.Equal(t, "2026-11-28T14:00:00+08:00", rfc(pl.Items[0].Start))
		require.Equal(t, "2026-11-28T17:30:00+08:00", rfc(pl.Items[0].End))
		require.Equal(t, http.StatusOK, li.do("POST", item+"/move", map[string]any{"day": "2026-11-27", "start": "09:30"}, &pl))
		require.Equal(t, "2026-11-27T09:30:00+08:00", rfc(pl.Items[0].Start))
		require.Equal(t, "2026-11-27T13:00:00+08:00", rfc(pl.Items[0].End), "a timed item keeps its length")
		require.Equal(t, http.StatusOK, li.do("POST", item+"/move", map[string]any{"day": "2026-11-26"}, &pl))
		require.Equal(t, "2026-11-26T09:30:00+08:00", rfc(pl.Items[0].Start), "no half-day or time keeps the time of day")
	})
	t.Run("MoveRefused", func(t *testing.T) {
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, li.do("POST", item+"/move", map[string]any{"day": "2026-12-05"}, &eb))
		require.Equal(t, "day", eb.Error.Field)
		require.Contains(t, eb.Error.MessageZh, "只能改到本周内的日期")
		require.Equal(t, http.StatusBadRequest, li.do("POST", item+"/move", map[string]any{"day": "2026-11-27", "half": "noon"}, &eb))
		require.Equal(t, "half", eb.Error.Field)
		require.Equal(t, http.StatusNotFound, li.do("POST", plan+"/items/nope/move", map[string]any{"day": "2026-11-27"}, &eb))
		require.Equal(t, http.StatusForbidden, e.login("judge-zhang").do("POST", item+"/move", map[string]any{"day": "2026-11-27"}, &eb))
	})
	t.Run("DoneAndUndo", func(t *testing.T) {
		require.Equal(t, http.StatusOK, li.do("POST", item+"/done", map[string]any{"done": true}, &pl))
		require.True(t, pl.Items[0].Done)
		v := pl.Version
		require.Equal(t, http.StatusOK, li.do("POST", item+"/done", map[string]any{"done": true}, &pl))
		require.Equal(t, v, pl.Version, "marking a done item done again changes nothing")
		require.Equal(t, http.StatusOK, li.do("POST", item+"/done", map[string]any{"done": false}, &pl))
		require.False(t, pl.Items[0].Done)
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, li.do("POST", item+"/done", map[string]any{}, &eb))
		require.Equal(t, "done", eb.Error.Field)
	})
	t.Run("RemoveFromSubmittedPlan", func(t *testing.T) {
		require.Equal(t, http.StatusOK, li.do("POST", plan+"/submit", map[string]any{}, &pl))
		require.Equal(t, http.StatusOK, li.do("POST", item+"/remove", map[string]any{}, &pl))
		require.Empty(t, pl.Items)
		last := pl.History[len(pl.History)-1]
		require.Equal(t, "remove", last.Op)
		require.Equal(t, "it-1", last.ItemID)
		require.NotNil(t, last.Before)
		require.Equal(t, "整理财产线索", last.Before.Title)
		require.Equal(t, http.StatusNotFound, li.do("POST", item+"/remove", map[string]any{}, nil))

		var page desk.AuditPage
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/audit?action=plan_item_removed", nil, &page))
		require.Len(t, page.Entries, 1)
		require.Equal(t, "judge-li/2026-W48/it-1", page.Entries[0].Target)
		require.Contains(t, string(page.Entries[0].Before), "整理财产线索")
	})
}

// rfc is t as the API writes it.
func rfc(t api.Time) string {
	b, _ := t.MarshalText()
	return string(b)
}

// The week page's forms move, mark done, undo and remove an item, each
// redirecting back with its notice.
func TestPages_PlanItemActions(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.signIn("judge-li")
	j := e.login("judge-li")
	var pl api.Plan
	require.Equal(t, http.StatusOK, j.do("POST", "/api/v1/plans/judge-li/2026-W48/items", map[string]any{"id": "it-1", "kind": "task", "title": "整理财产线索", "day": "2026-11-27"}, &pl))
	form := func(kv ...string) url.Values {
		v := url.Values{"week": {"2026-W48"}, "back": {"/week"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	steps := []struct {
		name, action string
		form         url.Values
		flash        string
	}{
		{"move", "move", form("day", "2026-11-28", "half", "am"), "已改期"},
		{"done", "done", form("done", "true"), "已标记为完成"},
		{"undo", "done", form("done", "false"), "已恢复为未完成"},
		{"submit then remove", "remove", form(), "删除前的事项保留在计划变更记录中"},
	}
	for _, s := range steps {
		if s.action == "remove" {
			st, _, body := li.post("/week/submit", url.Values{"week": {"2026-W48"}}, true)
			require.Equal(t, http.StatusSeeOther, st, body)
		}
		st, loc, body := li.post("/week/items/it-1/"+s.action, s.form, true)
		require.Equal(t, http.StatusSeeOther, st, "%s: %s", s.name, body)
		_, _, body = li.get(loc)
		require.Contains(t, body, s.flash, s.name)
	}
	_, _, body := li.get("/week")
	require.Contains(t, body, "计划变更记录")
	require.Contains(t, body, "删除 · 办案事项：整理财产线索")
	require.Equal(t, http.StatusOK, j.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &pl))
	require.Empty(t, pl.Items)

	st, _, body := li.post("/week/items/it-1/remove", form(), false)
	require.Equal(t, http.StatusForbidden, st, body)
	st, _, body = li.post("/week/items/nope/move", form("day", "2026-11-27", "half", "x"), true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "请选择上午或下午")

	// A refused move is shown at the item's form, open, with what was
	// typed kept.
	require.Equal(t, http.StatusOK, j.do("POST", "/api/v1/plans/judge-li/2026-W48/items", map[string]any{"id": "it-2", "kind": "task", "title": "约谈被执行人", "day": "2026-11-26"}, &pl))
	st, _, body = li.post("/week/items/it-2/move", form("day", "2026-11-30", "half", "pm", "start", "15:30"), true)
	require.Equal(t, http.StatusBadRequest, st, body)
	require.Contains(t, body, `<details class="move" open>`)
	require.Regexp(t, `id="mv-it-2-day" name="day" type="date" required value="2026-11-30" aria-invalid="true" aria-describedby="mv-it-2-day-error"`, body)
	require.Regexp(t, `id="mv-it-2-day-error" class="field-error wide" role="alert">只能改到本周内的日期`, body)
	require.Contains(t, body, `<option value="pm" selected>`)
	require.Contains(t, body, `id="mv-it-2-start" name="start" type="time" value="15:30"`)
}
