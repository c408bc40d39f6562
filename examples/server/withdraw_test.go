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
