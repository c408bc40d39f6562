package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// A node and a measure recorded by mistake are withdrawn, the node on the
// judge's case page and the measure through the API: each is kept,
// struck through as 已撤回 with the reason, counts for nothing (the
// freeze's expiry item is cancelled), and the audit log has the case
// before and after. A short reason is refused at its field with what was
// typed kept; withdrawing twice is refused.
func TestWithdraw_PageAndAPI(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	today := e.app.desk.Today().String()
	st, _, body := b.post("/cases/demo-2/nodes", url.Values{"kind": {"execution_notice"}, "date": {today}, "step": {"record"}}, true)
	require.Equal(t, http.StatusSeeOther, st, body)
	_, _, _ = b.post("/cases/demo-2/nodes", url.Values{"kind": {"network_inquiry"}, "date": {today}, "step": {"record"}}, true)
	st, _, body = b.post("/cases/demo-2/measures", url.Values{"node": {"network_inquiry"}, "kind": {"freeze"}, "property": {"deposit"},
		"target": {"建设银行账户 6217****0001"}, "amount": {"30000.00"}, "taken_on": {today}, "outcome": {"done"}, "step": {"record"}}, true)
	require.Equal(t, http.StatusSeeOther, st, body)
	c := e.demoCase("demo-2")
	notice, ok := c.LastNode(enforcement.NodeExecutionNotice)
	require.True(t, ok)
	m := c.Measures[len(c.Measures)-1]
	expiry := enforcement.DueID("seizure.deposit_expiry", m.ID)
	d, ok := c.Due(expiry)
	require.True(t, ok)
	require.True(t, d.IsOpen())

	// The page: a short reason is refused at the field.
	_, _, body = b.get("/cases/demo-2")
	require.Contains(t, body, `action="/cases/demo-2/nodes/`+notice.ID+`/withdraw"`)
	require.Contains(t, body, `action="/cases/demo-2/measures/`+m.ID+`/withdraw"`)
	st, _, body = b.post("/cases/demo-2/nodes/"+notice.ID+"/withdraw", url.Values{"reason": {"误"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "理由过短")
	require.Contains(t, body, `value="误"`)
	reason := "误录：执行通知书尚未发出"
	st, loc, _ := b.post("/cases/demo-2/nodes/"+notice.ID+"/withdraw", url.Values{"reason": {reason}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Contains(t, loc, "moved=")
	_, _, body = b.get(loc)
	requireBasics(t, body)
	require.Contains(t, body, "已撤回，原记录标为已撤回并保留")
	require.Contains(t, body, "因更正或撤回而重新计算的期限")
	require.Contains(t, body, "<strong>已撤回</strong>")
	require.Contains(t, body, reason)
	c = e.demoCase("demo-2")
	require.False(t, c.HasNode(enforcement.NodeExecutionNotice), "a withdrawn node no longer counts")
	require.Len(t, c.Withdrawn, 1)
	require.Equal(t, notice.ID, c.Withdrawn[0].ID())
	require.Equal(t, reason, c.Withdrawn[0].Reason)

	// The API: the measure, then again.
	api := e.login("judge-li")
	var out map[string]any
	require.Equal(t, http.StatusOK, api.do("POST", "/api/v1/cases/demo-2/measures/"+m.ID+"/withdraw", map[string]any{"reason": "冻结系重复录入"}, &out))
	require.Len(t, out["withdrawn"], 2, "the answer lists the withdrawn records")
	c = e.demoCase("demo-2")
	_, ok = c.Measure(m.ID)
	require.False(t, ok, "a withdrawn measure no longer counts")
	d, _ = c.Due(expiry)
	require.Equal(t, enforcement.DueCancelled, d.Status, "the freeze's expiry item goes with it")
	require.Equal(t, http.StatusUnprocessableEntity, api.do("POST", "/api/v1/cases/demo-2/measures/"+m.ID+"/withdraw", map[string]any{"reason": "冻结系重复录入"}, nil))
	require.Equal(t, http.StatusNotFound, api.do("POST", "/api/v1/cases/demo-2/nodes/no-such/withdraw", map[string]any{"reason": "冻结系重复录入"}, nil))
	require.Equal(t, http.StatusBadRequest, api.do("POST", "/api/v1/cases/demo-2/nodes/"+notice.ID+"/withdraw", map[string]any{"reason": "短"}, nil))

	// The audit log keeps the case before and after.
	var audit struct {
		Entries []struct {
			Action        string
			Before, After json.RawMessage
		}
	}
	require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/audit?case_id=demo-2&action=withdrawn", nil, &audit))
	require.Len(t, audit.Entries, 2)
	require.NotContains(t, string(audit.Entries[0].Before), "冻结系重复录入")
	require.Contains(t, string(audit.Entries[0].After), "冻结系重复录入")
}

// A 中止 and its 恢复执行 recorded by mistake are withdrawn, the resumption
// on the judge's case page and the suspension through the API: the
// suspension cannot go while its resumption stands (refused with why, in
// Chinese); the resumption withdrawn, the case is suspended again; the
// suspension withdrawn, the case is open and its handling limit is as
// before either was recorded. Each withdrawal keeps the states before and
// after.
func TestWithdraw_StateNodes(t *testing.T) {
	e := start(t, sqliteBackend(t))
	api := e.login("judge-li")
	today := e.app.desk.Today()
	limit := enforcement.DueID("case.limit", "filing")
	limitOf := func() string {
		d, ok := e.demoCase("demo-2").Due(limit)
		require.True(t, ok)
		return d.Computed.String()
	}
	original := limitOf()
	record := func(kind string, daysAgo int) string {
		require.Equal(t, http.StatusOK, api.do("POST", "/api/v1/cases/demo-2/nodes", map[string]any{"kind": kind, "date": today.AddDays(-daysAgo).String()}, nil), kind)
		n, ok := e.demoCase("demo-2").LastNode(enforcement.NodeKind(kind))
		require.True(t, ok)
		return n.ID
	}
	sus := record("suspension", 30)
	require.Equal(t, enforcement.StatusSuspended, e.demoCase("demo-2").Status)
	res := record("resumption", 10)
	require.Equal(t, enforcement.StatusOpen, e.demoCase("demo-2").Status)
	require.NotEqual(t, original, limitOf(), "the suspended days are not counted")

	var eb struct {
		Error struct {
			Code      string `json:"code"`
			MessageZh string `json:"message_zh"`
		} `json:"error"`
	}
	require.Equal(t, http.StatusUnprocessableEntity, api.do("POST", "/api/v1/cases/demo-2/nodes/"+sus+"/withdraw", map[string]any{"reason": "误录：当事人并未申请中止"}, &eb))
	require.Contains(t, eb.Error.MessageZh, "请先撤回其后的恢复执行记录")

	b := e.signIn("judge-li")
	_, _, body := b.get("/cases/demo-2")
	require.Contains(t, body, `action="/cases/demo-2/nodes/`+res+`/withdraw"`, "the page offers the resumption for withdrawal")
	st, loc, body := b.post("/cases/demo-2/nodes/"+res+"/withdraw", url.Values{"reason": {"误录：案件尚未恢复执行"}}, true)
	require.Equal(t, http.StatusSeeOther, st, body)
	_, _, body = b.get(loc)
	require.Contains(t, body, "案件状态由执行中恢复为中止执行")
	require.Equal(t, enforcement.StatusSuspended, e.demoCase("demo-2").Status)

	// The suspension now goes too, through the API.
	var out struct {
		Status    string `json:"status"`
		Withdrawn []struct {
			ID           string `json:"id"`
			StatusBefore string `json:"status_before"`
			StatusAfter  string `json:"status_after"`
		} `json:"withdrawn"`
	}
	require.Equal(t, http.StatusOK, api.do("POST", "/api/v1/cases/demo-2/nodes/"+sus+"/withdraw", map[string]any{"reason": "误录：当事人并未申请中止"}, &out))
	require.Equal(t, "open", out.Status)
	require.Len(t, out.Withdrawn, 2)
	require.Equal(t, res, out.Withdrawn[0].ID)
	require.Equal(t, "open", out.Withdrawn[0].StatusBefore)
	require.Equal(t, "suspended", out.Withdrawn[0].StatusAfter)
	require.Equal(t, sus, out.Withdrawn[1].ID)
	require.Equal(t, "suspended", out.Withdrawn[1].StatusBefore)
	require.Equal(t, "open", out.Withdrawn[1].StatusAfter)
	require.Equal(t, original, limitOf(), "the handling limit is as before either was recorded")
	require.Empty(t, e.demoCase("demo-2").Deductions)
}
