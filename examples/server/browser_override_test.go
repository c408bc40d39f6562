package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// A judge's override of a computed due date in Chromium, with its bounds
// and the chief's approval: a date past the court's bound is refused at
// its field with what was typed kept; two overrides go to the chief, who
// approves one and rejects the other (a rejection without a note is
// refused at the note); the judge's case page then shows both decisions.
// Screenshots at 375 and 1366 px.
func TestBrowser_OverrideApproval(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)
	today := e.app.desk.Today()
	zhang := c.signIn("judge-zhang")

	zhang.open("/cases/demo-4")
	openAll := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#overrides details, #held details").forEach(d => d.open = true)`)
	zhang.run(openAll)
	// The first two open due items of the case, by their date field's id.
	ids := eval[[]string](zhang, `[...document.querySelectorAll("#overrides input[name=date]")].slice(0, 2).map(i => i.id)`)
	require.Len(t, ids, 2)
	byID := func(id string) string { return `[id="` + id + `"]` }
	reason := func(id string) string { return byID(id[:len(id)-len("date")] + "reason") }
	button := func(id string) string { return `#overrides form:has(` + byID(id) + `) button[type=submit]` }

	zhang.set(byID(ids[0]), "2099-12-31")
	zhang.set(reason(ids[0]), "等待鉴定机构出具评估报告")
	zhang.submit(button(ids[0]))
	require.Contains(t, zhang.text(), "调整后的日期不得晚于")
	require.Equal(t, "2099-12-31", eval[string](zhang, `document.querySelector('`+byID(ids[0])+`').value`), "the date typed is kept")
	require.Equal(t, "等待鉴定机构出具评估报告", eval[string](zhang, `document.querySelector('`+reason(ids[0])+`').value`))
	require.Equal(t, "true", eval[string](zhang, `document.querySelector('`+byID(ids[0])+`').getAttribute("aria-invalid")`))
	zhang.requireAccessible()
	zhang.shoot("override-refused")
	zhang.shootPart("override-refused-part", "#overrides")

	zhang.set(byID(ids[0]), today.AddDays(30).String())
	zhang.submit(button(ids[0]))
	require.Contains(t, zhang.text(), "期限调整已提交，待局长审批")
	zhang.run(openAll)
	zhang.set(byID(ids[1]), today.AddDays(20).String())
	zhang.set(reason(ids[1]), "双方正在协商和解，申请执行人同意暂缓")
	zhang.submit(button(ids[1]))
	require.Contains(t, zhang.text(), "期限调整已提交，待局长审批")
	require.Equal(t, 2, eval[int](zhang, `document.querySelectorAll('[data-override="pending"]').length`))
	zhang.shoot("override-pending")

	chief := c.signIn("chief")
	chief.open("/chief/overrides")
	chief.requireAccessible()
	require.Equal(t, 2, eval[int](chief, `document.querySelectorAll('li[data-override="pending"]').length`))
	chief.shoot("override-approval")
	approve := `li[data-override="pending"]:first-of-type button[value=approve]`
	chief.set(`li[data-override="pending"]:first-of-type input[name=note]`, "同意，鉴定报告出具后及时恢复办理")
	chief.submit(approve)
	require.Contains(t, chief.text(), "已批准期限调整")
	reject := `li[data-override="pending"] button[value=reject]`
	chief.submit(reject) // no note: refused at the note
	require.Contains(t, chief.text(), "驳回时请填写审批意见")
	require.NotContains(t, chief.text(), "已批准期限调整", "the earlier approval's notice is not shown with the refusal")
	require.Equal(t, "true", eval[string](chief, `document.querySelector('li[data-override="pending"] input[name=note]').getAttribute("aria-invalid")`))
	chief.requireAccessible()
	chief.shoot("override-reject-refused")
	chief.set(`li[data-override="pending"] input[name=note]`, "和解协商不影响法定期限，请按期办理")
	chief.submit(reject)
	require.Contains(t, chief.text(), "已驳回期限调整")
	chief.shoot("override-decided")

	zhang.open("/cases/demo-4")
	text := zhang.text()
	require.Contains(t, text, "已批准调整")
	require.Contains(t, text, "和解协商不影响法定期限，请按期办理")
	require.Equal(t, 1, eval[int](zhang, `document.querySelectorAll('[data-override="rejected"]').length`))
	zhang.shoot("override-case")
	zhang.shootPart("override-case-part", "section:has(> h2#due-h)")
}

// Messages held for the judge on the case page in Chromium: an edit that
// makes a template variable longer than the template allows is refused at
// that variable's field with what was typed kept; a valid edit changes
// the text; the message is confirmed; another case's held message is
// cancelled with a reason. Screenshots at 375 and 1366 px.
func TestBrowser_HeldMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	c := startChrome(t, e.srv.URL)
	zhang := c.signIn("judge-zhang")
	zhang.open("/cases/demo-4")
	openHeld := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#held details").forEach(d => d.open = true)`)
	zhang.run(openHeld)
	zhang.requireAccessible()
	zhang.shoot("held-messages")

	action := eval[string](zhang, `document.querySelector('#held form[action$="/edit"]:has(input[name="param.phone"])').getAttribute("action")`)
	id := action[len("/messages/") : len(action)-len("/edit")]
	edit := `#held form[action="` + action + `"]`
	phone := edit + ` input[name="param.phone"]`
	long := "021-12368 转执行局 8801 分机，工作日拨打"
	zhang.set(phone, long)
	zhang.submit(edit + ` button[type=submit]`)
	require.Contains(t, zhang.text(), "短信模板对该项有长度限制")
	require.Equal(t, long, eval[string](zhang, `document.querySelector('`+phone+`').value`), "what was typed is kept")
	require.Equal(t, "true", eval[string](zhang, `document.querySelector('`+phone+`').getAttribute("aria-invalid")`))
	require.True(t, eval[bool](zhang, `document.querySelector('`+edit+`').closest("details").open`), "the refused form is shown open")
	zhang.requireAccessible()
	zhang.shoot("held-edit-refused")
	zhang.shootPart("held-edit-refused-part", "#held")

	zhang.set(phone, "021-12368")
	zhang.submit(edit + ` button[type=submit]`)
	require.Contains(t, zhang.text(), "短信已修改，仍待确认发送")
	require.Contains(t, eval[string](zhang, `document.querySelector('#held form[action="/messages/`+id+`/confirm"]').closest("li").querySelector("blockquote").textContent`), "电话021-12368")
	zhang.shoot("held-edited")
	zhang.submit(`#held form[action="/messages/` + id + `/confirm"] button[type=submit]`)
	require.Contains(t, zhang.text(), "短信已确认，将按时发送")
	require.Zero(t, eval[int](zhang, `document.querySelectorAll('#held form[action="/messages/`+id+`/confirm"]').length`))
	m, err := e.app.desk.Outbox.Get(t.Context(), id)
	require.NoError(t, err)
	require.NotEqual(t, "held", string(m.State), "confirmed: no longer held")
	require.Contains(t, m.Body, "电话021-12368")

	li := c.signIn("judge-li")
	li.open("/cases/demo-6")
	li.run(openHeld)
	cancel := eval[string](li, `document.querySelector('#held form[action$="/cancel"]').getAttribute("action")`)
	li.set(`#held form[action="`+cancel+`"] input[name=reason]`, "当事人已到庭领取文书，无需再发短信")
	li.submit(`#held form[action="` + cancel + `"] button[type=submit]`)
	require.Contains(t, li.text(), "短信已取消")
	m, err = e.app.desk.Outbox.Get(t.Context(), cancel[len("/messages/"):len(cancel)-len("/cancel")])
	require.NoError(t, err)
	require.Equal(t, "cancelled", string(m.State))
	li.shoot("held-cancelled")
}

// shootPart saves screenshots of the part sel of the current page at every
// viewport, beside the full-page ones, for the tour in PAGES.md.
func (tb *tab) shootPart(name, sel string) {
	tb.c.t.Helper()
	for _, vp := range viewports {
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		require.NoError(tb.c.t, chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateMobile, chromedp.EmulateScale(1))))
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
		cancel()
		require.NoError(tb.c.t, err)
		p := filepath.Join(tb.c.shots, name+"-"+vp.name+".png")
		require.NoError(tb.c.t, os.WriteFile(p, png, 0o644))
		tb.c.t.Logf("screenshot: %s", p)
	}
	tb.run(chromedp.EmulateViewport(1366, 900))
}
