package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The chief's supervision flow in Chromium: from an overdue item on the
// dashboard the chief issues a 督办 order (a refused reply period comes
// back at its field with the text kept), the judge answers it on the week
// page, and the chief sees the answer in the list of orders. Screenshots
// at 375 and 1366 px.
func TestBrowser_ChiefSupervision(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)

	chief := c.signIn("chief")
	require.Equal(t, "/chief", chief.path())
	chief.submitLink(`a.supervise[href*="case=demo-2"]`)
	require.Contains(t, chief.path(), "/chief/supervise?case=demo-2")
	chief.requireAccessible()
	require.Contains(t, eval[string](chief, `document.querySelector("#order-text").value`), "已超期", "the text starts from the item")
	chief.shoot("chief-supervise-issue")

	chief.set("#order-text", "请三个工作日内发出执行通知书并报告。")
	chief.set("#order-workdays", "45")
	chief.submit(`form[action="/chief/supervise"] button[type=submit]`)
	require.Contains(t, chief.text(), "答复期限须为1至30个工作日")
	require.Equal(t, "请三个工作日内发出执行通知书并报告。", eval[string](chief, `document.querySelector("#order-text").value`))
	require.Equal(t, "45", eval[string](chief, `document.querySelector("#order-workdays").value`))
	require.Equal(t, "true", eval[string](chief, `document.querySelector("#order-workdays").getAttribute("aria-invalid")`))
	chief.requireAccessible()
	chief.shoot("chief-supervise-refused")

	chief.set("#order-workdays", "3")
	chief.submit(`form[action="/chief/supervise"] button[type=submit]`)
	require.Equal(t, "/chief/supervise?ok=ordered", chief.path())
	require.Contains(t, chief.text(), "督办已发出")
	require.Contains(t, chief.text(), "还剩 3 个工作日")

	li := c.signIn("judge-li")
	require.Equal(t, "/week", li.path())
	require.Contains(t, li.text(), "请三个工作日内发出执行通知书并报告。")
	li.submit(`form[action*="/supervision/"] button[type=submit]`) // empty: refused
	require.Contains(t, li.text(), "请填写报告内容")
	li.requireAccessible()
	li.set(`form[action*="/supervision/"] textarea`, "执行通知书已于今日送达被执行人。")
	li.submit(`form[action*="/supervision/"] button[type=submit]`)
	require.Contains(t, li.path(), "ok=reported")
	require.Contains(t, li.text(), "督办报告已提交")

	chief.open("/chief/supervise?state=answered")
	chief.requireAccessible()
	text := chief.text()
	require.Contains(t, text, "执行通知书已于今日送达被执行人。")
	require.Contains(t, text, "按期报告")
	chief.shoot("chief-supervise-answered")

	chief.open("/chief/exports")
	chief.requireAccessible()
	require.Contains(t, chief.text(), "各法官办案数据")
	chief.shoot("chief-exports")
}

// The party's own actions in Chromium: after the one-time code, a request
// (refused when empty, then sent, with its clock) and the SMS opt-out and
// back. Screenshots at 375 and 1366 px.
func TestBrowser_PartyActs(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)
	c7 := e.demoCase("demo-7")
	applicant := c7.Parties[0]

	tb := c.newTab()
	tb.open("/login")
	tb.set("#case_number", c7.Number.String())
	tb.set("#query_code", e.partyCode("demo-7", applicant.ID))
	tb.submit(`form[action="/login/party"] button[type=submit]`)
	require.Equal(t, "/my-case", tb.path())
	require.Contains(t, tb.text(), "完成上方的短信验证后即可在线提出诉求")
	tb.submit(`form[action="/my-case/otp"] button[type=submit]`)
	tb.set("#otp-code", e.lastOTP("demo-7", applicant.ID))
	tb.submit(`form[action="/my-case/otp/verify"] button[type=submit]`)
	require.Contains(t, tb.text(), "验证成功")

	tb.submit(`form[action="/my-case/requests"] button[type=submit]`)
	require.Contains(t, tb.text(), "请填写诉求内容")
	require.Equal(t, "true", eval[string](tb, `document.querySelector("#req-text").getAttribute("aria-invalid")`))
	tb.requireAccessible()
	tb.shoot("party-request-refused")

	tb.set("#req-text", "被执行人的货车停在公司院内，请尽快查封。")
	tb.submit(`form[action="/my-case/requests"] button[type=submit]`)
	require.Contains(t, tb.path(), "ok=requested")
	text := tb.text()
	require.Contains(t, text, "您的诉求已提交")
	require.Contains(t, text, "被执行人的货车停在公司院内，请尽快查封。")
	require.Contains(t, text, "待答复")
	tb.requireAccessible()
	tb.shoot("party-request")

	tb.submit(`#sms-toggle`)
	require.Contains(t, tb.text(), "已退订短信")
	require.Equal(t, "恢复短信通知", eval[string](tb, `document.querySelector("#sms-toggle").textContent`))
	pt, _ := e.demoCase("demo-7").Party(applicant.ID)
	require.True(t, pt.OptOut)
	tb.shoot("party-sms-off")
	tb.submit(`#sms-toggle`)
	require.Contains(t, tb.text(), "已恢复短信通知")
	pt, _ = e.demoCase("demo-7").Party(applicant.ID)
	require.False(t, pt.OptOut)
}
