package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
)

// A judge adds an item to the week plan, moves it to Saturday afternoon,
// marks it done, undoes that, submits the plan and removes the item, which
// the plan's change record keeps; then plans a trip to a map point and
// makes a calendar subscription URL. Screenshots at 375 and 1366 px.
func TestBrowser_WeekPlanItems(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)
	li := c.signIn("judge-li")
	require.Equal(t, "/week", li.path())
	j := e.login("judge-li")
	day := func(i int) string {
		return eval[string](li, `[...document.querySelectorAll("ol.week > li.day")][`+itoa(i)+`].innerText`)
	}

	li.set("#add-title", "整理财产线索")
	li.set("#add-day", "2026-11-27")
	li.submit(`form[action="/week/items"].grid-form button[type=submit]`)
	require.Equal(t, "/week?ok=added", li.path())
	var pl api.Plan
	require.Equal(t, http.StatusOK, j.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &pl))
	require.Len(t, pl.Items, 1)
	id := pl.Items[0].ID
	item := `ol.week form[action="/week/items/` + id

	li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.move").forEach(d => d.open = true)`))
	li.set("#mv-"+id+"-day", "2026-11-28")
	li.set("#mv-"+id+"-half", "pm")
	li.submit(item + `/move"] button[type=submit]`)
	require.Equal(t, "/week?ok=moved", li.path())
	require.Contains(t, li.text(), "已改期")
	require.Contains(t, day(5), "办案事项：整理财产线索")
	require.Contains(t, day(5), "14:00–17:30")
	li.requireAccessible()
	li.shoot("week-plan-moved")

	li.submit(item + `/done"] button[type=submit]`)
	require.Equal(t, "/week?ok=done", li.path())
	require.Contains(t, li.text(), "已标记为完成")
	require.Contains(t, day(5), "已完成")
	require.Contains(t, day(5), "撤销完成")
	li.shoot("week-plan-done")

	li.submit(item + `/done"] button[type=submit]`)
	require.Equal(t, "/week?ok=undone", li.path())
	require.Contains(t, li.text(), "已恢复为未完成")
	require.NotContains(t, day(5), "已完成")

	li.submit(`form[action="/week/submit"] button[type=submit]`)
	require.Equal(t, "/week?ok=submitted", li.path())
	li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.remove").forEach(d => d.open = true)`))
	require.Contains(t, day(5), "删除后该事项仍保留在计划变更记录中")
	li.submit(item + `/remove"] button[type=submit]`)
	require.Equal(t, "/week?ok=removed_kept", li.path())
	text := li.text()
	require.Contains(t, text, "删除前的事项保留在计划变更记录中")
	require.NotContains(t, day(5), "整理财产线索")
	history := eval[string](li, `document.querySelector("ul.history").innerText`)
	require.Contains(t, history, "删除 · 办案事项：整理财产线索")
	li.shoot("week-plan-removed")

	// A trip to a map point, from the same form.
	li.set("#add-kind", "trip")
	li.set("#add-title", "查看被执行人仓库")
	li.set("#add-day", "2026-11-27")
	li.set("#add-start", "14:00")
	li.set("#add-end", "16:00")
	li.set("#add-point", "31.1600,121.4200")
	li.submit(`form[action="/week/items"].grid-form button[type=submit]`)
	require.Equal(t, "/week?ok=added", li.path())
	require.Contains(t, day(4), "外出办案：查看被执行人仓库")
	require.Contains(t, day(4), "地图坐标 31.16,121.42")

	// The calendar subscription: a URL shown once, then changed.
	li.submit(`a[href="/settings/feed"]`)
	require.Equal(t, "/settings/feed", li.path())
	li.submit(`form[action="/settings/feed/rotate"] button[type=submit]`)
	require.Equal(t, "/settings/feed?ok=feed_rotated", li.path())
	url := eval[string](li, `document.querySelector("#feed-url").value`)
	require.True(t, strings.Contains(url, "/feeds/") && strings.HasSuffix(url, ".ics"), url)
	li.requireAccessible()
	li.shoot("feed-subscription")
}
