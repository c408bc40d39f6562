package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// overdueOf returns a flagged overdue item of the chief's report that its
// judge can override (overdue by less than the override bound).
func overdueFlagOf(t *testing.T, rep api.Report) api.DueFlag {
	t.Helper()
	for _, f := range rep.Due {
		if f.Level == "overdue" && f.JudgeID != "" && f.DaysOverdue < 200 {
			return f
		}
	}
	t.Fatal("the demo court has no overdue item")
	return api.DueFlag{}
}

// Issue 13: a judge moved their own statutory deadline to 9999-12-31 with
// reason "." and the chief's overdue count fell. Now such an override is
// refused; a valid one is pending and does not change the chief's count
// until the chief approves it.
func TestSecurity_OverrideCannotHideOverdueWork(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		chief := e.login("chief")
		var rep api.Report
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		before := rep.Counts.Overdue
		f := overdueFlagOf(t, rep)
		judge := e.login(f.JudgeID)
		path := "/api/v1/cases/" + f.CaseID + "/due/" + url.PathEscape(f.DueID) + "/override"

		refused := []struct {
			name, date, reason, field, code string
		}{
			{"TheAttack", "9999-12-31", ".", "date", "after_latest"},
			{"Year1900", "1900-01-01", "等待鉴定机构出具报告", "date", "before_earliest"},
			{"FarFuture", "9999-12-31", "等待鉴定机构出具报告", "date", "after_latest"},
			{"ReasonDot", e.clock.Now().AddDate(0, 0, 30).Format("2006-01-02"), ".", "reason", "reason_too_short"},
			{"ReasonPunctuation", e.clock.Now().AddDate(0, 0, 30).Format("2006-01-02"), "。。。。。。……  !!", "reason", "reason_too_short"},
		}
		for _, tt := range refused {
			var eb respond.ErrorBody
			require.Equal(t, http.StatusBadRequest, judge.do("POST", path, map[string]string{"date": tt.date, "reason": tt.reason}, &eb), tt.name)
			require.Len(t, eb.Error.Fields, 1, tt.name)
			require.Equal(t, tt.field, eb.Error.Fields[0].Field, tt.name)
			require.Equal(t, tt.code, eb.Error.Fields[0].Code, tt.name)
			require.NotEmpty(t, eb.Error.Fields[0].MessageZh, tt.name)
		}

		later := e.clock.Now().AddDate(0, 0, 30).Format("2006-01-02")
		require.Equal(t, http.StatusOK, judge.do("POST", path, map[string]string{"date": later, "reason": "等待鉴定机构出具报告"}, nil))
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		require.Equal(t, before, rep.Counts.Overdue, "a pending override does not lower the chief's overdue count")

		var list struct{ Overrides []desk.OverrideRow }
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/overrides", nil, &list))
		require.Len(t, list.Overrides, 1)
		o := list.Overrides[0]
		require.Equal(t, "pending", o.Status)
		require.Equal(t, f.CaseID, o.CaseID)
		require.Equal(t, f.DueID, o.DueID)
		require.Equal(t, f.JudgeID, o.By)
		require.Equal(t, "等待鉴定机构出具报告", o.Reason)
		require.Equal(t, later, o.Date.String())
		require.True(t, o.At.Equal(e.clock.Now()))

		require.Equal(t, http.StatusForbidden, judge.do("POST", path+"/approve", map[string]string{}, nil), "a judge cannot approve")
		require.Equal(t, http.StatusForbidden, judge.do("GET", "/api/v1/overrides", nil, nil))
		require.Equal(t, http.StatusOK, chief.do("POST", path+"/approve", map[string]string{"note": "同意"}, nil))
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		require.Equal(t, before-1, rep.Counts.Overdue, "an approved override is in force")
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/overrides", nil, &list))
		require.Equal(t, "approved", list.Overrides[0].Status)
		require.Equal(t, "chief", list.Overrides[0].DecidedBy)
		require.Equal(t, "同意", list.Overrides[0].Note)

		// The case page shows a pending override beside the computed date.
		require.Equal(t, http.StatusOK, judge.do("POST", path, map[string]string{"date": later, "reason": "鉴定机构再次延期"}, nil))
		st, _, page := e.signIn(f.JudgeID).get("/cases/" + f.CaseID)
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, page, `data-override="pending"`)
		require.Contains(t, page, "待局长审批")
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, chief.do("POST", path+"/reject", map[string]string{"note": " "}, &eb), "a rejection needs a note")
		require.Equal(t, http.StatusOK, chief.do("POST", path+"/reject", map[string]string{"note": "理由不充分"}, nil))
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		require.Equal(t, before, rep.Counts.Overdue, "after the new request is rejected the computed date is in force")
	})
}

// The chief approves and rejects on the overrides page.
func TestPages_ChiefDecidesOverrides(t *testing.T) {
	e := start(t, backends(t)[0])
	var rep api.Report
	require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/supervision", nil, &rep))
	f := overdueFlagOf(t, rep)
	path := "/api/v1/cases/" + f.CaseID + "/due/" + url.PathEscape(f.DueID) + "/override"
	require.Equal(t, http.StatusOK, e.login(f.JudgeID).do("POST", path, map[string]string{"date": e.clock.Now().AddDate(0, 0, 10).Format("2006-01-02"), "reason": "当事人申请和解期间"}, nil))

	b := e.signIn("chief")
	st, _, page := b.get("/chief")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, page, `<strong data-k="pending-overrides">1</strong>`)
	st, _, page = b.get("/chief/overrides")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, page, "当事人申请和解期间")
	require.Contains(t, page, `data-override="pending"`)
	action := "/chief/overrides/" + f.CaseID + "/" + url.PathEscape(f.DueID) + "/decide"
	st, _, _ = b.post(action, url.Values{"decision": {"reject"}}, true)
	require.Equal(t, http.StatusBadRequest, st, "a rejection needs a note")
	st, loc, _ := b.post(action, url.Values{"decision": {"approve"}, "note": {"同意"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	st, _, page = b.get(loc)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, page, "已批准期限调整")
	require.Contains(t, page, `data-override="approved"`)

	st, _, _ = e.signIn(f.JudgeID).get("/chief/overrides")
	require.NotEqual(t, http.StatusOK, st, "judges do not see the approval page")
}

// Issue 13: every change through the desk is on the record with who, when,
// from where and the values before and after; sign-ins and failed
// sign-ins too.
func TestSecurity_AuditLogRecordsChanges(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		require.Equal(t, http.StatusUnauthorized, e.anon().do("POST", "/api/v1/auth/login", map[string]string{"user_id": "judge-li", "password": "wrong"}, nil))
		chief := e.login("chief")
		var rep api.Report
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		f := overdueFlagOf(t, rep)
		judge := e.login(f.JudgeID)
		later := e.clock.Now().AddDate(0, 0, 30).Format("2006-01-02")
		path := "/api/v1/cases/" + f.CaseID + "/due/" + url.PathEscape(f.DueID) + "/override"
		require.Equal(t, http.StatusOK, judge.do("POST", path, map[string]string{"date": later, "reason": "等待鉴定机构出具报告"}, nil))
		require.Equal(t, http.StatusOK, chief.do("POST", path+"/approve", map[string]string{"note": "同意"}, nil))

		var pg desk.AuditPage
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/audit?case_id="+f.CaseID, nil, &pg))
		require.GreaterOrEqual(t, len(pg.Entries), 2)
		approved, requested := pg.Entries[0], pg.Entries[1]
		require.Equal(t, "override_approved", approved.Action)
		require.Equal(t, "chief", approved.UserID)
		require.Equal(t, "王建国", approved.UserName)
		require.Equal(t, "127.0.0.1", approved.Addr)
		require.Equal(t, "due_overridden", requested.Action)
		require.Equal(t, f.JudgeID, requested.UserID)
		require.True(t, requested.At.Equal(e.clock.Now()))

		// The values before and after name the one due item changed.
		var diff struct {
			DueItems []struct {
				ID       string
				Override *struct{ Date, Reason, Status string }
			}
		}
		require.NoError(t, json.Unmarshal(requested.Before, &diff))
		require.Len(t, diff.DueItems, 1)
		require.Equal(t, f.DueID, diff.DueItems[0].ID)
		require.Nil(t, diff.DueItems[0].Override)
		require.NoError(t, json.Unmarshal(requested.After, &diff))
		require.Len(t, diff.DueItems, 1)
		require.Equal(t, later, diff.DueItems[0].Override.Date)
		require.Equal(t, "pending", diff.DueItems[0].Override.Status)

		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/audit?action=sign_in_failed", nil, &pg))
		require.Len(t, pg.Entries, 1)
		require.Equal(t, "judge-li", pg.Entries[0].UserID)
		require.Equal(t, "bad_credentials", pg.Entries[0].Detail)
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/audit?action=sign_in&user_id="+f.JudgeID, nil, &pg))
		require.Len(t, pg.Entries, 1)

		require.Equal(t, http.StatusForbidden, judge.do("GET", "/api/v1/audit", nil, nil), "only the chief reads the log")
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, chief.do("GET", "/api/v1/audit?from=2026-13-01", nil, &eb))
		require.Equal(t, "from", eb.Error.Fields[0].Field)

		st, raw := chief.raw("GET", "/api/v1/audit.csv?case_id="+f.CaseID, nil)
		require.Equal(t, http.StatusOK, st)
		require.True(t, strings.HasPrefix(string(raw), "\uFEFF序号,时间,用户"), "UTF-8 with BOM and a Chinese header")
		require.Contains(t, string(raw), "override_approved")
		require.Contains(t, string(raw), "王建国")
	})
}

// The audit page filters by user, case, action and dates, and pages.
func TestPages_ChiefAuditLog(t *testing.T) {
	e := start(t, backends(t)[0])
	for range 3 {
		require.Equal(t, http.StatusUnauthorized, e.anon().do("POST", "/api/v1/auth/login", map[string]string{"user_id": "judge-zhang", "password": "wrong"}, nil))
	}
	b := e.signIn("chief")
	st, _, page := b.get("/chief/audit")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, page, "操作日志")
	require.Contains(t, page, "登录失败")
	st, _, page = b.get("/chief/audit?action=sign_in_failed&user_id=judge-zhang&from=2026-11-26&to=2026-11-26")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, 3, strings.Count(page, `data-action="sign_in_failed"`))
	st, _, page = b.get("/chief/audit?action=sign_in_failed&from=2026-11-27")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, page, "没有符合条件的记录")
	st, _, _ = e.signIn("judge-li").get("/chief/audit")
	require.NotEqual(t, http.StatusOK, st)
}
