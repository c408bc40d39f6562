package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// The handling judge works a case on its page: a node and a measure,
// each previewed with its SMS first; a correction of the measure's end
// date that moves its deadlines; an override, a solicitation, a refused
// closure, and a held message confirmed.
func TestCasePage_JudgeForms(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	st, _, body := b.get("/cases/demo-2")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	for _, id := range []string{`id="node-form"`, `id="measure-form"`, `id="solicit-form"`, `id="close-form"`, `id="overrides"`} {
		require.Contains(t, body, id)
	}
	_, _, chief := e.signIn("chief").get("/cases/demo-2")
	require.NotContains(t, chief, `id="node-form"`, "only the handling judge gets the forms")

	today := e.app.desk.Today().String()
	node := url.Values{"kind": {"execution_notice"}, "date": {today}, "step": {"preview"}}
	st, _, body = b.post("/cases/demo-2/nodes", node, true)
	require.Equal(t, http.StatusOK, st, body)
	requireBasics(t, body)
	require.Contains(t, body, `data-change="done"`, "the notice deadline is met")
	require.Contains(t, body, `id="confirm-node"`)
	before := e.demoCase("demo-2")
	require.False(t, before.HasNode(enforcement.NodeExecutionNotice), "a preview records nothing")
	node.Set("step", "record")
	st, loc, _ := b.post("/cases/demo-2/nodes", node, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = b.get(loc)
	require.Contains(t, body, "节点已记录")
	require.True(t, e.demoCase("demo-2").HasNode(enforcement.NodeExecutionNotice))

	_, _, _ = b.post("/cases/demo-2/nodes", url.Values{"kind": {"network_inquiry"}, "date": {today}, "step": {"record"}}, true)
	measure := url.Values{"node": {"network_inquiry"}, "kind": {"freeze"}, "property": {"deposit"}, "target": {"建设银行账户 6217****0001"},
		"amount": {"30000.00"}, "taken_on": {today}, "outcome": {"done"}, "result": {"冻结存款人民币30,000.00元"}, "step": {"preview"}}
	st, _, body = b.post("/cases/demo-2/measures", measure, true)
	require.Equal(t, http.StatusOK, st, body)
	require.Contains(t, body, `data-outcome="held"`, "the respondent's notice waits for the judge")
	require.Contains(t, body, "冻结")
	measure.Set("step", "record")
	st, loc, _ = b.post("/cases/demo-2/measures", measure, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = b.get(loc)
	require.Contains(t, body, "措施已记录")
	c := e.demoCase("demo-2")
	m := c.Measures[len(c.Measures)-1]

	// The bank's receipt gives another end date: the expiry deadline moves.
	expires := e.app.desk.Today().AddMonths(6).AddDays(-3).String()
	st, loc, _ = b.post("/cases/demo-2/measures/"+m.ID+"/result", url.Values{"outcome": {"done"}, "result": {m.Result},
		"amount": {"30000.00"}, "expires_on": {expires}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Contains(t, loc, "moved=")
	_, _, body = b.get(loc)
	require.Contains(t, body, "已更正，原记录保留在操作日志中")
	require.Contains(t, body, "因更正或撤回而重新计算的期限")
	got, _ := e.demoCase("demo-2").Measure(m.ID)
	require.Equal(t, expires, got.ExpiresOn.String())
	// Not silently overwritten: the audit log has the measure before and after.
	var audit struct {
		Entries []struct {
			Action        string
			Before, After json.RawMessage
		}
	}
	require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/audit?case_id=demo-2&action=measure_result", nil, &audit))
	require.NotEmpty(t, audit.Entries)
	last := audit.Entries[0]
	require.NotContains(t, string(last.Before), expires)
	require.Contains(t, string(last.After), expires)

	// The execution notice was in fact served two days earlier: the
	// deadlines it started move, and the page lists them.
	notice, _ := e.demoCase("demo-2").LastNode(enforcement.NodeExecutionNotice)
	st, loc, _ = b.post("/cases/demo-2/nodes/"+notice.ID+"/correct", url.Values{"date": {e.app.desk.Today().AddDays(-2).String()}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Contains(t, loc, "moved=")
	_, _, body = b.get(loc)
	require.Contains(t, body, "已更正")
	require.Contains(t, body, "因更正或撤回而重新计算的期限")
	corrected, _ := e.demoCase("demo-2").LastNode(enforcement.NodeExecutionNotice)
	require.Equal(t, e.app.desk.Today().AddDays(-2), corrected.Date)
	st, _, body = b.post("/cases/demo-2/nodes/"+notice.ID+"/correct", url.Values{"date": {"2026-11-31"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "更正后的日期应为日期")
	require.Contains(t, body, `value="2026-11-31"`)

	// A bad correction is refused at its field with the typed value kept.
	st, _, body = b.post("/cases/demo-2/measures/"+m.ID+"/result", url.Values{"outcome": {"done"}, "amount": {"三万"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "金额应为金额")
	require.Contains(t, body, `value="三万"`)

	// An override goes to the chief.
	due := e.demoCase("demo-2").OpenDueItems()[0]
	st, _, body = b.post("/cases/demo-2/due/"+due.ID+"/override", url.Values{"date": {"2026-02-30"}, "reason": {"送达地址有误"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "调整后的日期应为日期")
	require.Contains(t, body, `value="送达地址有误"`)
	st, _, _ = b.post("/cases/demo-2/due/"+due.ID+"/override", url.Values{"date": {due.Due().AddDays(2).String()}, "reason": {"送达地址有误"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	d, _ := e.demoCase("demo-2").Due(due.ID)
	require.NotNil(t, d.Override)

	// The opinion is solicited; closing before it is answered is refused
	// with the conditions not met.
	st, _, _ = b.post("/cases/demo-2/solicitations", url.Values{"party_id": {"a1"}, "purpose": {"zhongben"}, "summary": {"经网络查控未发现其他财产，拟终结本次执行程序"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Len(t, e.demoCase("demo-2").Solicitations, 1)
	st, _, body = b.post("/cases/demo-2/close", url.Values{"mode": {"zhongben"}, "on": {today}, "reason": {"无财产可供执行"}}, true)
	require.Equal(t, http.StatusUnprocessableEntity, st)
	require.Contains(t, body, `id="close-refused"`)
	require.Contains(t, body, "以下条件尚未满足")
	require.Contains(t, body, "无财产可供执行", "the reason typed is kept")
	require.False(t, e.demoCase("demo-2").IsClosed())

	// The held notice is confirmed from the case page.
	_, _, body = b.get("/cases/demo-2")
	action := regexp.MustCompile(`action="(/messages/[^"]+/confirm)"`).FindStringSubmatch(body)
	require.NotNil(t, action, "a held message with its forms")
	st, loc, _ = b.post(action[1], url.Values{"back": {"/cases/demo-2"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.True(t, strings.HasPrefix(loc, "/cases/demo-2"), loc)
}
