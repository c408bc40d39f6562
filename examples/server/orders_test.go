package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// orderList is the answer of GET /api/v1/supervision/orders.
type orderList struct {
	Orders []struct {
		CaseID     string `json:"case_id"`
		CaseNumber string `json:"case_number"`
		JudgeID    string `json:"judge_id"`
		Order      struct {
			ID       string `json:"id"`
			Text     string `json:"text"`
			Due      string `json:"due"`
			Response string `json:"response"`
		} `json:"order"`
		Answered     bool `json:"answered"`
		Overdue      bool `json:"overdue"`
		AnsweredLate bool `json:"answered_late"`
		DaysLeft     int  `json:"days_left"`
	} `json:"orders"`
}

// The chief issues a 督办 order with a reply-by date in working days; the
// judge sees it in their list and answers it; the chief sees the answer;
// an unanswered order turns overdue after its date; every step is audited.
func TestFlow_SupervisionOrders(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		chief, li, zhang := e.login("chief"), e.login("judge-li"), e.login("judge-zhang")

		// 5 working days from Thursday 26 November 2026: Thursday 3 December.
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/cases/demo-2/supervision", map[string]any{"text": "请报告执行通知发出情况。", "workdays": 5}, nil))
		var ol orderList
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/supervision/orders", nil, &ol))
		require.Len(t, ol.Orders, 1, "judge-li sees the order on their case only")
		o := ol.Orders[0]
		require.Equal(t, "demo-2", o.CaseID)
		require.Equal(t, "2026-12-03", o.Order.Due)
		require.Equal(t, 5, o.DaysLeft)
		require.False(t, o.Answered)

		// Bad input: out of range, both forms of the date, not the chief.
		var bad struct {
			Error struct {
				Fields []struct{ Field, Code, MessageZh string } `json:"fields"`
			} `json:"error"`
		}
		require.Equal(t, http.StatusBadRequest, chief.do("POST", "/api/v1/cases/demo-2/supervision", map[string]any{"text": "x", "workdays": 0}, &bad))
		require.Equal(t, "workdays", bad.Error.Fields[0].Field)
		require.Equal(t, http.StatusBadRequest, chief.do("POST", "/api/v1/cases/demo-2/supervision", map[string]any{"text": "x", "workdays": 3, "due": "2026-12-10"}, nil))
		require.Equal(t, http.StatusBadRequest, chief.do("POST", "/api/v1/cases/demo-2/supervision", map[string]any{"text": "x"}, nil))
		require.Equal(t, http.StatusForbidden, li.do("POST", "/api/v1/cases/demo-2/supervision", map[string]any{"text": "x", "workdays": 3}, nil))
		require.Equal(t, http.StatusBadRequest, chief.do("GET", "/api/v1/supervision/orders?state=nonsense", nil, nil))

		// Another judge cannot answer it; the handling judge does.
		require.Equal(t, http.StatusNotFound, zhang.do("POST", "/api/v1/cases/demo-2/supervision/"+o.Order.ID+"/answer", map[string]any{"response": "x"}, nil))
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/cases/demo-2/supervision/"+o.Order.ID+"/answer", map[string]any{"response": "执行通知已于今日送达。"}, nil))
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision/orders?state=answered", nil, &ol))
		var answered bool
		for _, x := range ol.Orders {
			if x.Order.ID == o.Order.ID {
				answered = true
				require.Equal(t, "执行通知已于今日送达。", x.Order.Response)
				require.False(t, x.AnsweredLate)
			}
			require.True(t, x.Answered)
		}
		require.True(t, answered)

		// The demo's order on case 8 is due in 5 calendar days; 8 days on it
		// is overdue.
		e.clock.Add(8 * 24 * time.Hour)
		chief = e.login("chief") // the session has expired meanwhile
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision/orders?state=overdue", nil, &ol))
		require.NotEmpty(t, ol.Orders)
		for _, x := range ol.Orders {
			require.True(t, x.Overdue)
			require.Less(t, x.DaysLeft, 0)
			require.NotEqual(t, o.Order.ID, x.Order.ID)
		}

		// Audited: who issued and who answered.
		var page struct {
			Entries []struct {
				UserID string `json:"user_id"`
				Action string `json:"action"`
			} `json:"entries"`
		}
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/audit?case_id=demo-2", nil, &page))
		got := map[string]string{}
		for _, en := range page.Entries {
			got[en.Action] = en.UserID
		}
		require.Equal(t, "chief", got["supervision_ordered"])
		require.Equal(t, "judge-li", got["supervision_answered"])
	})
}

// The pages: the chief issues an order from the dashboard's overdue item;
// bad input comes back at the field with the text kept; the judge answers
// it on the week page; the chief's list shows the answer.
func TestPages_SupervisionOrders(t *testing.T) {
	e := start(t, sqliteBackend(t))
	chief := e.signIn("chief")
	_, _, body := chief.get("/chief")
	require.Contains(t, body, `href="/chief/supervise?case=demo-2&amp;due=`, "an overdue item offers 督办")

	c2 := e.demoCase("demo-2")
	var dueID string
	for _, d := range c2.OpenDueItems() {
		if d.Due().Before(deadline.DateOf(testNow)) {
			dueID = d.ID
		}
	}
	require.NotEmpty(t, dueID)
	st, _, body := chief.get("/chief/supervise?case=demo-2&due=" + url.QueryEscape(dueID))
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, "已超期", "the text starts from the overdue item")

	form := url.Values{"case_id": {"demo-2"}, "due_id": {dueID}, "text": {"请三日内发出执行通知并报告。"}, "workdays": {"99"}}
	st, _, body = chief.post("/chief/supervise", form, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "答复期限须为1至30个工作日")
	require.Contains(t, body, "请三日内发出执行通知并报告。", "the typed text is kept")
	require.Contains(t, body, `value="99"`, "the typed number is kept")
	form.Set("workdays", "3")
	form.Set("text", "")
	st, _, body = chief.post("/chief/supervise", form, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "请填写督办内容")
	form.Set("text", "请三日内发出执行通知并报告。")
	st, loc, _ := chief.post("/chief/supervise", form, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/chief/supervise?ok=ordered", loc)
	_, _, body = chief.get(loc)
	require.Contains(t, body, "督办已发出")
	require.Contains(t, body, "还剩 3 个工作日")

	li := e.signIn("judge-li")
	_, _, body = li.get("/week")
	require.Contains(t, body, "请三日内发出执行通知并报告。")
	c2 = e.demoCase("demo-2")
	oid := c2.Orders[0].ID
	action := "/cases/demo-2/supervision/" + oid + "/answer"
	require.Contains(t, body, `action="`+action+`"`)
	st, _, body = li.post(action, url.Values{"response": {"   "}, "back": {"/week"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "请填写报告内容")
	require.Contains(t, body, `aria-invalid="true"`)
	st, loc, _ = li.post(action, url.Values{"response": {"执行通知已送达被执行人。"}, "back": {"/week"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/week?ok=reported", loc)

	_, _, body = chief.get("/chief/supervise?state=answered")
	require.Contains(t, body, "执行通知已送达被执行人。")
	require.Contains(t, body, "按期报告")
	// From the case page too.
	_, _, body = chief.get("/cases/demo-2")
	require.Contains(t, body, `action="/chief/supervise"`)
	require.True(t, strings.Contains(body, "执行通知已送达被执行人。"))
	// A judge has no such page.
	st, _, _ = li.get("/chief/supervise")
	require.Equal(t, http.StatusForbidden, st)
}
