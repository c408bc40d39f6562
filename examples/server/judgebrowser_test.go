package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// The judge's desk in headless Chromium, at phone and desktop widths: the
// case list, filing a case through its preview, a filing refused at its
// fields with what was typed kept, recording a node and a measure through
// their previews, withdrawing the measure as recorded by mistake, and a
// closure refused with its missing conditions listed. Screenshots go to
// testdata/screenshots.
func TestBrowser_JudgeDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	e.relay()
	c := startChrome(t, e.srv.URL)
	li := c.signIn("judge-li")
	today := e.app.desk.Today().String()

	t.Run("CaseList", func(t *testing.T) {
		li.open("/cases")
		li.requireAccessible()
		text := li.text()
		require.Contains(t, text, e.demoCase("demo-2").Number.String())
		require.Contains(t, text, "待确认")
		li.set("#f-level", "overdue")
		li.submit(`#case-filter button[type=submit]`)
		require.Contains(t, li.path(), "level=overdue")
		li.shoot("cases")
	})

	t.Run("Filing", func(t *testing.T) {
		li.open("/cases/new")
		li.requireAccessible()
		number := fmt.Sprintf("（2026）%s执950号", e.app.desk.DefaultCourt())
		for sel, v := range map[string]string{
			"#f-number": number, "#f-filed_on": today, "#f-cause": "买卖合同纠纷", "#f-amount_applied": "86000.00",
			"#f-source\\.title": "民事判决书", "#f-source\\.number": "（2026）沪0104民初321号", "#f-source\\.effective_on": "2026-10-12",
			"#p0-role": "applicant", "#p0-kind": "person", "#p0-name": "冯雪", "#p0-mobile": "13812340950",
			"#p1-role": "respondent", "#p1-kind": "organisation", "#p1-name": "上海某某装饰工程有限公司", "#p1-mobile": "13912340950",
		} {
			li.set(sel, v)
		}
		li.submit("#preview-filing")
		text := li.text()
		require.Contains(t, text, "预览：立案后的期限和短信")
		require.Contains(t, text, "发出执行通知书")
		require.Contains(t, text, "立即发送")
		li.requireAccessible()
		li.shoot("filing-preview")
		li.submit("#confirm-filing")
		require.True(t, strings.HasPrefix(li.path(), "/cases/case-"), li.path())
		require.Contains(t, li.text(), "已立案")
		require.Contains(t, li.text(), number)
	})

	t.Run("FilingRefused", func(t *testing.T) {
		li.open("/cases/new")
		li.set("#f-number", "沪01执951")
		li.set("#f-cause", "借款合同纠纷")
		li.set("#f-amount_applied", "8万")
		li.set("#p0-name", "褚明")
		li.set("#p0-mobile", "1381234")
		li.submit("#preview-filing")
		text := li.text()
		require.Contains(t, text, "案号格式有误")
		require.Contains(t, text, "申请执行金额应为金额")
		require.Contains(t, text, "手机号码须为11位")
		require.Equal(t, "沪01执951", eval[string](li, `document.querySelector("#f-number").value`))
		require.Equal(t, "8万", eval[string](li, `document.querySelector("#f-amount_applied").value`))
		require.Equal(t, "褚明", eval[string](li, `document.querySelector("#p0-name").value`))
		require.Equal(t, "true", eval[string](li, `document.querySelector("#f-number").getAttribute("aria-invalid")`))
		li.requireAccessible()
		li.shoot("filing-refused")
	})

	t.Run("RecordNodeAndMeasure", func(t *testing.T) {
		li.open("/cases/demo-2")
		li.set("#n-kind", "network_inquiry")
		li.set("#n-date", today)
		li.submit("#preview-node")
		require.Contains(t, li.text(), "不发短信")
		li.shoot("node-preview")
		li.submit("#confirm-node")
		require.Contains(t, li.text(), "节点已记录")

		for sel, v := range map[string]string{
			"#m-node": "network_inquiry", "#m-kind": "freeze", "#m-property": "deposit", "#m-target": "农业银行账户 6228****5566",
			"#m-amount": "40000.00", "#m-taken": today, "#m-outcome": "done", "#m-result": "冻结存款人民币40,000.00元",
		} {
			li.set(sel, v)
		}
		li.submit("#preview-measure")
		text := li.text()
		require.Contains(t, text, "待法官确认后发送")
		require.Contains(t, text, "新增")
		li.requireAccessible()
		li.shoot("measure-preview")
		li.submit("#confirm-measure")
		require.Contains(t, li.text(), "措施已记录")
		require.Contains(t, li.text(), "待确认发送的短信")
		li.shoot("case-judge")
	})
	t.Run("WithdrawAndCloseRefused", func(t *testing.T) {
		li.open("/cases/demo-2")
		li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#withdraw details").forEach(d => d.open = true)`))
		id := eval[string](li, `[...document.querySelectorAll("#withdraw li details")].find(d => d.textContent.includes("6228****5566")).querySelector("input[name=reason]").id`)
		button := `#withdraw form:has(#` + id + `) button[type=submit]`
		li.set("#"+id, "错")
		li.submit(button)
		require.Contains(t, li.text(), "理由过短")
		require.Equal(t, "错", eval[string](li, `document.querySelector("#`+id+`").value`), "what was typed is kept")
		require.Equal(t, "true", eval[string](li, `document.querySelector("#`+id+`").getAttribute("aria-invalid")`))
		li.set("#"+id, "误录：该账户属案外人所有")
		li.submit(button)
		text := li.text()
		require.Contains(t, text, "已撤回")
		require.Contains(t, text, "误录：该账户属案外人所有")

		// 终本 is refused while its conditions are missing; the reason typed stays.
		li.set("#close-reason", "经网络查控未发现可供执行的财产")
		li.submit(`#close-form button[type=submit]`)
		text = li.text()
		require.Contains(t, text, "未能结案，以下条件尚未满足")
		require.Equal(t, "经网络查控未发现可供执行的财产", eval[string](li, `document.querySelector("#close-reason").value`))
		li.requireAccessible()
		li.shoot("case-withdraw-close")
	})
}
