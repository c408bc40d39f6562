package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// The judge's corrections and answers in headless Chromium, at phone and
// desktop widths: a node date corrected (a date in the future refused at
// the field, then the right one, with the deadlines it moved listed and
// the change in the audit log), a measure's result corrected with the
// bank's reported dates (a malformed amount refused first), the
// applicant's opinion solicited (an empty summary refused) and answered by
// the applicant on their page, and a party's request answered by the judge
// (an answer of only spaces refused) and read by the party.
func TestBrowser_JudgeCorrectsAndAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	e.relay()
	c := startChrome(t, e.srv.URL)
	li := c.signIn("judge-li")
	today := e.app.desk.Today()

	// openAll opens every collapsed entry of the section sel.
	openAll := func(tb *tab, sel string) {
		tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("` + sel + ` details").forEach(d => d.open = true)`))
	}
	value := func(tb *tab, sel string) string {
		return eval[string](tb, `document.querySelector("`+sel+`").value`)
	}
	invalid := func(tb *tab, sel string) string {
		return eval[string](tb, `document.querySelector("`+sel+`").getAttribute("aria-invalid") || ""`)
	}

	t.Run("CorrectNodeDate", func(t *testing.T) {
		before := e.demoCase("demo-6")
		var notice enforcement.Node
		for _, n := range before.Nodes {
			if n.Kind == enforcement.NodeExecutionNotice {
				notice = n
			}
		}
		require.NotEmpty(t, notice.ID, "demo-6 has an execution notice")
		field := "#cn-" + notice.ID + "-date"

		li.open("/cases/demo-6")
		openAll(li, "#correct-nodes")
		li.set(field, today.AddDays(10).String()) // a clerk's slip: next week
		li.submit(`#correct-nodes form[action$="/nodes/` + notice.ID + `/correct"] button[type=submit]`)
		text := li.text()
		require.Contains(t, text, "节点日期不能晚于今天")
		require.Equal(t, today.AddDays(10).String(), value(li, field), "what was typed is kept")
		require.Equal(t, "true", invalid(li, field))
		require.Equal(t, notice.Date, e.demoCase("demo-6").Nodes[nodeIndex(before, notice.ID)].Date, "nothing changed")
		li.requireAccessible()
		li.shoot("correct-node-refused")
		li.shootPart("correct-node-refused-part", "#correct-nodes")

		corrected := notice.Date.AddDays(-1)
		li.set(field, corrected.String())
		li.submit(`#correct-nodes form[action$="/nodes/` + notice.ID + `/correct"] button[type=submit]`)
		require.Contains(t, li.path(), "ok=corrected")
		text = li.text()
		require.Contains(t, text, "已更正，原记录保留在操作日志中")

		after := e.demoCase("demo-6")
		require.Equal(t, corrected, after.Nodes[nodeIndex(after, notice.ID)].Date)
		moved := movedTitles(before, after)
		require.NotEmpty(t, moved, "the notice starts deadlines")
		shown := eval[string](li, `document.querySelector("#moved").innerText`)
		for _, title := range moved {
			require.Contains(t, shown, title, "a moved deadline is shown as moved")
		}
		li.requireAccessible()
		li.shoot("correct-node")
		li.shootPart("correct-node-moved-part", "#moved")

		chief := c.signIn("chief")
		chief.open("/chief/audit?case_id=demo-6")
		require.Contains(t, chief.text(), "更正节点日期")
	})

	t.Run("CorrectMeasureResult", func(t *testing.T) {
		before := e.demoCase("demo-6")
		require.NotEmpty(t, before.Measures)
		m := before.Measures[0]
		prefix := "#r-" + m.ID
		form := `#correct form[action$="/measures/` + m.ID + `/result"] button[type=submit]`

		li.open("/cases/demo-6")
		openAll(li, "#correct")
		li.set(prefix+"-amount", "120万")
		li.set(prefix+"-result", "冻结存款人民币1,000,000.00元（银行回执更正）")
		li.submit(form)
		require.Contains(t, li.text(), "金额")
		require.Equal(t, "120万", value(li, prefix+"-amount"), "what was typed is kept")
		require.Equal(t, "冻结存款人民币1,000,000.00元（银行回执更正）", value(li, prefix+"-result"))
		require.Equal(t, "true", invalid(li, prefix+"-amount"))
		got, _ := e.demoCase("demo-6").Measure(m.ID)
		require.True(t, got.Amount.Equal(m.Amount), "nothing changed")
		li.requireAccessible()
		li.shoot("correct-measure-refused")

		// The bank's receipt: 1,000,000.00 frozen from yesterday for a year.
		expires := m.TakenOn.AddMonths(12).AddDays(-1)
		li.set(prefix+"-amount", "1000000.00")
		li.set(prefix+"-effective", m.TakenOn.String())
		li.set(prefix+"-expires", expires.String())
		li.submit(form)
		require.Contains(t, li.path(), "ok=corrected")
		require.Contains(t, li.text(), "已更正，原记录保留在操作日志中")
		got, _ = e.demoCase("demo-6").Measure(m.ID)
		require.Equal(t, "1000000", got.Amount.String())
		require.Equal(t, expires, got.ExpiresOn)
		require.Equal(t, "冻结存款人民币1,000,000.00元（银行回执更正）", got.Result)
		moved := movedTitles(before, e.demoCase("demo-6"))
		require.NotEmpty(t, moved, "the freeze's end date starts its renewal reminder")
		shown := eval[string](li, `document.querySelector("#moved").innerText`)
		for _, title := range moved {
			require.Contains(t, shown, title)
		}
		li.shoot("correct-measure")
	})

	c2 := e.demoCase("demo-2")
	applicant := c2.Parties[0]
	var party *tab

	t.Run("SolicitOpinion", func(t *testing.T) {
		li.open("/cases/demo-2")
		li.set("#s-summary", "   ")
		li.submit(`#solicit-form button[type=submit]`)
		require.Contains(t, li.text(), "请填写征询内容")
		require.Equal(t, "true", invalid(li, "#s-summary"))
		require.Empty(t, e.demoCase("demo-2").Solicitations, "nothing sent")
		li.shoot("solicit-refused")

		li.set("#s-summary", "经网络查控未发现可供执行的财产，拟终结本次执行程序，请于期限内提出意见。")
		li.submit(`#solicit-form button[type=submit]`)
		require.Contains(t, li.path(), "ok=solicited")
		text := li.text()
		require.Contains(t, text, "已向申请执行人征询意见")
		require.Contains(t, text, "尚未答复")
		sols := e.demoCase("demo-2").Solicitations
		require.Len(t, sols, 1)
		require.Equal(t, applicant.ID, sols[0].PartyID)
		require.False(t, sols[0].ReplyBy.Before(today), "the reply is due from today on")
		li.requireAccessible()
		li.shoot("solicit")
		li.shootPart("solicit-part", "#solicit")

		// The applicant answers on their own page after the one-time code.
		party = c.newTab()
		party.open("/login")
		party.set("#case_number", c2.Number.String())
		party.set("#query_code", e.partyCode("demo-2", applicant.ID))
		party.submit(`form[action="/login/party"] button[type=submit]`)
		require.Equal(t, "/my-case", party.path())
		require.Contains(t, party.text(), "拟终结本次执行程序")
		party.submit(`form[action="/my-case/otp"] button[type=submit]`)
		party.set("#otp-code", e.lastOTP("demo-2", applicant.ID))
		party.submit(`form[action="/my-case/otp/verify"] button[type=submit]`)
		require.Contains(t, party.text(), "验证成功")
		party.run(chromedp.Click(chromedp.CSS("#choice-agree")))
		party.set("#opinion-text", "同意终结本次执行，发现财产后再申请恢复执行。")
		party.submit(`form[action*="/opinion"] button[type=submit]`)
		require.Equal(t, "/my-case?ok=opinion", party.path())

		li.open("/cases/demo-2")
		text = li.text()
		require.Contains(t, text, "同意终结本次执行，发现财产后再申请恢复执行。")
		require.NotContains(t, text, "尚未答复")
		li.shoot("solicit-answered")
	})

	t.Run("AnswerRequest", func(t *testing.T) {
		require.NotNil(t, party, "the applicant signed in above")
		party.open("/my-case")
		party.set("#req-text", "请问被执行人名下的车辆是否已经查询？")
		party.submit(`form[action="/my-case/requests"] button[type=submit]`)
		require.Contains(t, party.path(), "ok=requested")
		reqs := e.demoCase("demo-2").Requests
		require.Len(t, reqs, 1)
		rid := reqs[0].ID
		field := "#ans-" + rid
		button := `form[action="/cases/demo-2/requests/` + rid + `/answer"] button[type=submit]`

		li.open("/cases/demo-2")
		require.Contains(t, li.text(), "请问被执行人名下的车辆是否已经查询？")
		li.set(field, "   ")
		li.submit(button)
		require.Contains(t, li.text(), "请填写答复内容")
		require.Equal(t, "true", invalid(li, field))
		require.False(t, e.demoCase("demo-2").Requests[0].IsAnswered())
		li.requireAccessible()
		li.shoot("request-answer-refused")

		li.set(field, "已通过网络查控查询车辆登记，未发现登记在被执行人名下的车辆。")
		li.submit(button)
		require.Contains(t, li.path(), "ok=answered")
		require.Contains(t, li.text(), "答复已记录")
		require.Contains(t, li.text(), "答复：已通过网络查控查询车辆登记")
		var doc caseDoc
		require.Equal(t, http.StatusOK, e.login("judge-li").do("GET", "/api/v1/cases/demo-2", nil, &doc))
		require.Equal(t, "已通过网络查控查询车辆登记，未发现登记在被执行人名下的车辆。", doc.Requests[0].Answer)
		li.shoot("request-answered")
		li.shootPart("request-answered-part", `section[aria-labelledby="rq-h"]`)

		party.open("/my-case")
		text := party.text()
		require.Contains(t, text, "已通过网络查控查询车辆登记，未发现登记在被执行人名下的车辆。")
		require.NotContains(t, text, "待答复")
		party.requireAccessible()
		party.shoot("party-request-answered")
	})
}

// nodeIndex is the index of node id in c's nodes, or -1.
func nodeIndex(c *enforcement.Case, id string) int {
	for i, n := range c.Nodes {
		if n.ID == id {
			return i
		}
	}
	return -1
}

// movedTitles lists the titles of the due items whose date changed from
// before to after.
func movedTitles(before, after *enforcement.Case) []string {
	var out []string
	for _, d := range after.DueItems {
		b, ok := before.Due(d.ID)
		if !ok || b.Due() != d.Due() || b.IsOpen() != d.IsOpen() {
			out = append(out, strings.TrimSpace(d.Title))
		}
	}
	return out
}
