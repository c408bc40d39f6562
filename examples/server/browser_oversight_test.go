package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The division head's flow in Chromium: judge-li, head of 执行一庭, opens
// the division's dashboard from the menu, drills into a case of
// judge-zhang (read-only: no handling forms, only the 督办 form), issues a
// 督办, and judge-zhang finds it on their week. Screenshots at 375 and
// 1366 px.
func TestBrowser_DivisionHead(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)

	li := c.signIn("judge-li")
	require.Equal(t, "/week", li.path())
	li.submitLink(`a[href="/division"]`)
	require.Equal(t, "/division", li.path())
	li.requireAccessible()
	text := li.text()
	require.Contains(t, text, "执行一庭 庭长工作台")
	require.Contains(t, text, "张华")
	require.NotContains(t, text, "陈静", "执行二庭's judge is not on the dashboard")
	require.Equal(t, 2, eval[int](li, `document.querySelectorAll("table.figures tbody tr").length`))
	li.shoot("division-head-dashboard")

	li.submitLink(`li[data-case="demo-3"] a[href="/cases/demo-3"]`)
	require.Equal(t, "/cases/demo-3", li.path())
	li.requireAccessible()
	require.Contains(t, li.text(), "只读查看")
	require.Equal(t, 0, eval[int](li, `document.querySelectorAll('form[method="post"]:not(.logout):not(.issue-order)').length`), "no handling form on another judge's case")
	li.shoot("division-head-case")

	li.set("#order-text", "劳动争议案件执行通知书期限临近，请按期发出并报告。")
	li.set("#order-workdays", "3")
	li.submit(`form.issue-order button[type=submit]`)
	require.Contains(t, li.path(), "/cases/demo-3?ok=ordered")
	require.Contains(t, li.text(), "督办已发出")
	require.Contains(t, li.text(), "劳动争议案件执行通知书期限临近，请按期发出并报告。")
	li.requireAccessible()
	li.shoot("division-head-ordered")

	zhang := c.signIn("judge-zhang")
	require.Contains(t, zhang.text(), "劳动争议案件执行通知书期限临近，请按期发出并报告。")
	require.Equal(t, 0, eval[int](zhang, `document.querySelectorAll('a[href="/division"]').length`), "judge-zhang heads no division")
}

// The high court supervisor's flow in Chromium: high-sup of 沪高 sees
// every court on the overview, drills into 上海市浦东新区人民法院's
// dashboard (read-only: no form), into one of its cases (only the 督办
// form), and issues a 督办. Screenshots at 375 and 1366 px.
func TestBrowser_HighSupervisor(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)

	sup := c.signIn("high-sup")
	require.Equal(t, "/high", sup.path())
	sup.requireAccessible()
	text := sup.text()
	require.Contains(t, text, "全辖区执行工作概览")
	require.Contains(t, text, "上海市浦东新区人民法院")
	require.Contains(t, text, "上海市第一中级人民法院")
	require.Equal(t, 2, eval[int](sup, `document.querySelectorAll("tr[data-court]").length`))
	sup.shoot("high-overview")

	sup.submitLink(`tr[data-court="沪0115"] a`)
	require.Contains(t, sup.path(), "/high/courts/")
	sup.requireAccessible()
	require.Contains(t, sup.text(), "上海市浦东新区人民法院 执行工作情况")
	require.Equal(t, 0, eval[int](sup, `document.querySelectorAll('main form').length`), "the court's dashboard is read-only")
	require.Equal(t, 0, eval[int](sup, `document.querySelectorAll('a[href^="/chief/"], a[href^="/judges/"]').length`), "no link to the chief's own pages")
	sup.shoot("high-court")

	sup.submitLink(`#key-h ~ ul a[href^="/cases/"], #due-h ~ ul a[href^="/cases/"]`)
	require.Contains(t, sup.path(), "/cases/pd-")
	sup.requireAccessible()
	require.Contains(t, sup.text(), "只读查看")
	require.Equal(t, 0, eval[int](sup, `document.querySelectorAll('form[method="post"]:not(.logout):not(.issue-order)').length`), "no write form but 督办")
	sup.shoot("high-case")

	sup.set("#order-text", "请报告本案财产处置进展。")
	sup.submit(`form.issue-order button[type=submit]`)
	require.Contains(t, sup.path(), "ok=ordered")
	require.Contains(t, sup.text(), "督办已发出")
	require.Contains(t, sup.text(), "请报告本案财产处置进展。")
	sup.shoot("high-case-ordered")
}
