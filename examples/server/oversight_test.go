package main

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
)

// reportDoc is the part of a supervision report the tests read.
type reportDoc struct {
	Counts struct {
		Overdue     int `json:"overdue"`
		DueToday    int `json:"due_today"`
		Approaching int `json:"approaching"`
	} `json:"counts"`
	Due []struct {
		CaseID  string `json:"case_id"`
		JudgeID string `json:"judge_id"`
	} `json:"due"`
	Requests []struct {
		JudgeID string `json:"judge_id"`
	} `json:"requests"`
	Orders []struct {
		JudgeID  string `json:"judge_id"`
		Answered bool   `json:"answered"`
	} `json:"orders"`
	KeyCases []struct {
		JudgeID string `json:"judge_id"`
	} `json:"key_cases"`
	Judges []struct {
		JudgeID string `json:"judge_id"`
		Open    int    `json:"open"`
	} `json:"judges"`
}

// auditDoc is the part of an audit page the tests read.
type auditDoc struct {
	Entries []struct {
		Action string `json:"action"`
		UserID string `json:"user_id"`
		CaseID string `json:"case_id"`
		Role   string `json:"role"`
	} `json:"entries"`
}

// hasEntry reports whether the audit page lists action by user on case id.
func (a auditDoc) hasEntry(action, user, id string) bool {
	return slices.ContainsFunc(a.Entries, func(e struct {
		Action string `json:"action"`
		UserID string `json:"user_id"`
		CaseID string `json:"case_id"`
		Role   string `json:"role"`
	}) bool {
		return e.Action == action && e.UserID == user && e.CaseID == id
	})
}

var order = map[string]any{"text": "请于限期内报告财产调查进展。", "workdays": 5}

// TestDivisionHead_API: judge-li heads 执行一庭 (judge-li, judge-zhang)
// of 沪01. Their dashboard holds their division's judges only; they read
// judge-zhang's cases read-only, with each view on the audit log, and may
// issue a 督办 on them; nothing of 执行二庭 (judge-chen) or of another
// court is visible, and a judge who heads no division has no dashboard.
func TestDivisionHead_API(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		li, zhang, chief := e.login("judge-li"), e.login("judge-zhang"), e.login("chief")

		var dv struct {
			Name   string    `json:"name"`
			Head   string    `json:"head"`
			Judges []string  `json:"judges"`
			Report reportDoc `json:"report"`
			Plans  []struct {
				JudgeID string `json:"judge_id"`
				Status  string `json:"status"`
			} `json:"plans"`
		}
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/division", nil, &dv))
		require.Equal(t, "执行一庭", dv.Name)
		require.Equal(t, "judge-li", dv.Head)
		require.ElementsMatch(t, []string{"judge-li", "judge-zhang"}, dv.Judges)
		mine := []string{"judge-li", "judge-zhang"}
		var judges, plans []string
		for _, j := range dv.Report.Judges {
			judges = append(judges, j.JudgeID)
		}
		for _, p := range dv.Plans {
			plans = append(plans, p.JudgeID)
		}
		require.ElementsMatch(t, mine, judges)
		require.ElementsMatch(t, mine, plans)
		require.NotEmpty(t, dv.Report.Due)
		for _, f := range dv.Report.Due {
			require.Contains(t, mine, f.JudgeID)
		}
		for _, f := range dv.Report.Requests {
			require.Contains(t, mine, f.JudgeID)
		}
		for _, f := range dv.Report.Orders {
			require.Contains(t, mine, f.JudgeID)
		}
		// The division's counts are the sum of its judges' in the chief's report.
		var court reportDoc
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &court))
		var sum int
		hasChen := false
		for _, j := range court.Judges {
			hasChen = hasChen || j.JudgeID == "judge-chen"
		}
		for _, j := range dv.Report.Judges {
			for _, cj := range court.Judges {
				if cj.JudgeID == j.JudgeID {
					sum += cj.Open
				}
			}
		}
		require.True(t, hasChen, "the court's report has 执行二庭's judge")
		var divOpen int
		for _, j := range dv.Report.Judges {
			divOpen += j.Open
		}
		require.Equal(t, sum, divOpen)

		// judge-zhang heads no division; nor does the chief.
		require.Equal(t, http.StatusForbidden, zhang.do("GET", "/api/v1/division", nil, nil))
		require.Equal(t, http.StatusForbidden, chief.do("GET", "/api/v1/division", nil, nil))

		// Reading: judge-zhang's case, not judge-chen's, not another court's.
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-3", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/demo-5", nil, nil))
		// The overseen case's due items and parties read as the case does.
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-3/due", nil, nil))
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-3/parties", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/demo-5/due", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/pd-1/parties", nil, nil))
		// Its closure checklist and messages too, read-only.
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-3/closure?mode=zhongben", nil, nil))
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-3/messages", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/demo-5/closure?mode=zhongben", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/demo-5/messages", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/pd-1/messages", nil, nil))
		require.Equal(t, http.StatusNotFound, li.do("GET", "/api/v1/cases/pd-1", nil, nil))
		// judge-zhang (no head) still cannot read judge-li's case.
		require.Equal(t, http.StatusNotFound, zhang.do("GET", "/api/v1/cases/demo-2", nil, nil))

		// Read-only: the head cannot handle judge-zhang's case.
		before := e.demoCase("demo-3").Version
		require.Equal(t, http.StatusNotFound, li.do("POST", "/api/v1/cases/demo-3/nodes", map[string]any{"kind": "execution_notice", "date": "2026-11-26"}, nil))
		require.Equal(t, http.StatusNotFound, li.do("POST", "/api/v1/cases/demo-3/requests", map[string]any{"text": "x", "party_id": "a1", "channel": "phone"}, nil))
		require.Equal(t, before, e.demoCase("demo-3").Version)

		// 督办: on judge-zhang's case yes; on their own, on judge-chen's or
		// on another court's case no.
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/cases/demo-3/supervision", order, nil))
		require.Len(t, e.demoCase("demo-3").Orders, 1)
		require.Equal(t, "judge-li", e.demoCase("demo-3").Orders[0].IssuedBy)
		require.Equal(t, http.StatusForbidden, li.do("POST", "/api/v1/cases/demo-2/supervision", order, nil))
		require.Equal(t, http.StatusNotFound, li.do("POST", "/api/v1/cases/demo-5/supervision", order, nil))
		require.Equal(t, http.StatusNotFound, li.do("POST", "/api/v1/cases/pd-1/supervision", order, nil))
		require.Equal(t, http.StatusNotFound, zhang.do("POST", "/api/v1/cases/demo-2/supervision", order, nil))
		// The handling judge sees the order and answers it.
		var os struct {
			Orders []struct {
				CaseID string `json:"case_id"`
			} `json:"orders"`
		}
		require.Equal(t, http.StatusOK, zhang.do("GET", "/api/v1/supervision/orders?state=open", nil, &os))
		require.True(t, slices.ContainsFunc(os.Orders, func(o struct {
			CaseID string `json:"case_id"`
		}) bool {
			return o.CaseID == "demo-3"
		}))

		// The chief's audit log has the head's view and order.
		var au auditDoc
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/audit?case_id=demo-3", nil, &au))
		require.True(t, au.hasEntry("case_viewed", "judge-li", "demo-3"), "%+v", au)
		require.True(t, au.hasEntry("supervision_ordered", "judge-li", "demo-3"), "%+v", au)
	})
}

// TestSupervisor_API: high-sup of 沪高 sees every court's figures, each
// court's report and any case, read-only; issues a 督办 on a case of
// either court; every other write endpoint of the API and of the pages,
// enumerated from the route tables, is refused with 403 read_only and a
// Chinese message, and changes nothing.
func TestSupervisor_API(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		sup := e.login("high-sup")
		var me struct {
			Principal struct {
				Role  string `json:"role"`
				Court string `json:"court"`
			} `json:"principal"`
		}
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/me", nil, &me))
		require.Equal(t, "supervisor", me.Principal.Role)
		require.Equal(t, "沪高", me.Principal.Court)

		var ov struct {
			Courts []struct {
				Code       string `json:"code"`
				Name       string `json:"name"`
				OpenCases  int    `json:"open_cases"`
				Unassigned int    `json:"unassigned"`
				Overdue    int    `json:"overdue"`
				NearDue    int    `json:"near_due"`
				Requests   int    `json:"unanswered_requests"`
				OpenOrders int    `json:"open_orders"`
			} `json:"courts"`
		}
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/overview", nil, &ov))
		require.Len(t, ov.Courts, 2, "the high court takes no cases")
		require.GreaterOrEqual(t, ov.Courts[0].Overdue, ov.Courts[1].Overdue, "sorted by overdue")
		chiefs := map[string]*client{"沪01": e.login("chief"), demoPudongCourt: e.login("pd-chief")}
		for _, c := range ov.Courts {
			var rep, drill reportDoc
			require.Equal(t, http.StatusOK, chiefs[c.Code].do("GET", "/api/v1/supervision", nil, &rep), c.Code)
			require.Equal(t, rep.Counts.Overdue, c.Overdue, c.Code)
			require.Equal(t, rep.Counts.DueToday+rep.Counts.Approaching, c.NearDue, c.Code)
			require.Equal(t, len(rep.Requests), c.Requests, c.Code)
			open := 0
			for _, o := range rep.Orders {
				if !o.Answered {
					open++
				}
			}
			require.Equal(t, open, c.OpenOrders, c.Code)
			require.Positive(t, c.OpenCases, c.Code)
			// The drill-down is the chief's report.
			require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/courts/"+url.PathEscape(c.Code)+"/supervision", nil, &drill), c.Code)
			require.Equal(t, rep, drill, c.Code)
		}
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/courts/"+url.PathEscape("沪高")+"/supervision", nil, nil))
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/courts/nowhere/supervision", nil, nil))
		// The chief's own endpoints are not the supervisor's, and the
		// overview is no chief's.
		require.Equal(t, http.StatusForbidden, sup.do("GET", "/api/v1/supervision", nil, nil))
		require.Equal(t, http.StatusForbidden, chiefs["沪01"].do("GET", "/api/v1/overview", nil, nil))
		require.Equal(t, http.StatusForbidden, chiefs["沪01"].do("GET", "/api/v1/courts/"+url.PathEscape(demoPudongCourt)+"/supervision", nil, nil))
		// A chief of one court does not see another court's case.
		require.Equal(t, http.StatusNotFound, chiefs["沪01"].do("GET", "/api/v1/cases/pd-1", nil, nil))
		require.Equal(t, http.StatusNotFound, chiefs[demoPudongCourt].do("GET", "/api/v1/cases/demo-1", nil, nil))

		// Any case of either court, read-only.
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/demo-2", nil, nil))
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/pd-1", nil, nil))
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/cases/nowhere", nil, nil))
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/pd-1/due", nil, nil))
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/demo-2/parties", nil, nil))
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/cases/nowhere/due", nil, nil))
		var msgs struct {
			Messages []struct {
				CaseID string `json:"case_id"`
			} `json:"messages"`
		}
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/pd-1/messages", nil, &msgs))
		for _, m := range msgs.Messages {
			require.Equal(t, "pd-1", m.CaseID)
		}
		require.Equal(t, http.StatusOK, sup.do("GET", "/api/v1/cases/demo-2/closure?mode=zhongben", nil, nil))
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/cases/nowhere/closure?mode=zhongben", nil, nil))
		require.Equal(t, http.StatusNotFound, sup.do("GET", "/api/v1/cases/nowhere/messages", nil, nil))

		// 督办, the one write.
		require.Equal(t, http.StatusOK, sup.do("POST", "/api/v1/cases/pd-1/supervision", order, nil))
		pd := e.demoCase("pd-1")
		require.Equal(t, "high-sup", pd.Orders[len(pd.Orders)-1].IssuedBy)

		// Every other write, from the route tables.
		version := e.demoCase("demo-2").Version
		ids := strings.NewReplacer("{id}", "demo-2", "{code}", "x")
		param := regexp.MustCompile(`\{[^}]*\}`)
		allowed := api.SupervisorWrites()
		require.Contains(t, allowed, "POST /api/v1/cases/{id}/supervision")
		refused := 0
		for _, pattern := range api.Patterns() {
			method, path, _ := strings.Cut(pattern, " ")
			if method == "GET" || slices.Contains(allowed, pattern) {
				continue
			}
			path = param.ReplaceAllString(ids.Replace(path), "x")
			var body any = map[string]any{}
			if method == "DELETE" {
				body = nil
			}
			st, raw := sup.raw(method, path, body)
			require.Equal(t, http.StatusForbidden, st, "%s: %s", pattern, raw)
			require.Contains(t, string(raw), `"read_only"`, pattern)
			require.Contains(t, string(raw), "高院监督账号只能查看和督办", pattern)
			refused++
		}
		require.Greater(t, refused, 40)
		br := e.signIn("high-sup")
		for _, pattern := range pages.Patterns() {
			method, path, _ := strings.Cut(pattern, " ")
			if method == "GET" || slices.Contains([]string{"POST /login", "POST /login/party", "POST /logout", "POST /supervise"}, pattern) {
				continue
			}
			path = param.ReplaceAllString(ids.Replace(path), "x")
			st, _, body := br.post(path, url.Values{"text": {"越权尝试"}, "answer": {"x"}, "response": {"x"}, "case_id": {"demo-2"}}, true)
			require.Equal(t, http.StatusForbidden, st, pattern)
			require.Contains(t, body, "高院监督账号只能查看和督办", pattern)
		}
		require.Equal(t, version, e.demoCase("demo-2").Version, "nothing changed")

		// Each court's audit log has the supervisor's views and order.
		var au auditDoc
		require.Equal(t, http.StatusOK, chiefs[demoPudongCourt].do("GET", "/api/v1/audit?case_id=pd-1", nil, &au))
		require.True(t, au.hasEntry("case_viewed", "high-sup", "pd-1"), "%+v", au)
		require.True(t, au.hasEntry("supervision_ordered", "high-sup", "pd-1"), "%+v", au)
		require.Equal(t, http.StatusOK, chiefs["沪01"].do("GET", "/api/v1/audit?case_id=demo-2", nil, &au))
		require.True(t, au.hasEntry("case_viewed", "high-sup", "demo-2"), "%+v", au)
	})
}

// Supervisor accounts are created through the API by the high court's own
// chief (高院执行局局长), as any court's chief creates its users; a chief of
// another court cannot, and the supervisor, read-only, cannot either.
func TestSupervisor_CreatedByTheHighCourtsChief(t *testing.T) {
	e := start(t, sqliteBackend(t))
	ctx := t.Context()
	require.NoError(t, e.app.desk.CreateUser(ctx, desk.User{ID: "high-chief", Court: "沪高", Role: desk.RoleChief, Name: "高院执行局局长", Mobile: "13900009999"}, "demo-high-chief"))
	hc := e.login("high-chief")
	sup := map[string]string{"id": "high-sup-2", "role": "supervisor", "name": "监督员二", "mobile": "13900009998", "password": "demo-high-sup-2"}
	var u struct {
		ID    string `json:"id"`
		Court string `json:"court"`
		Role  string `json:"role"`
	}
	require.Equal(t, http.StatusCreated, hc.do("POST", "/api/v1/users", sup, &u))
	require.Equal(t, "沪高", u.Court)
	require.Equal(t, "supervisor", u.Role)
	var ov struct {
		Courts []struct {
			Code string `json:"code"`
		} `json:"courts"`
	}
	require.Equal(t, http.StatusOK, e.login("high-sup-2").do("GET", "/api/v1/overview", nil, &ov))
	require.Len(t, ov.Courts, 2)

	// A court that takes cases has no supervisors.
	sup["id"] = "sup-of-01"
	var bad struct {
		Error struct {
			Fields []struct{ Field, Code string } `json:"fields"`
		} `json:"error"`
	}
	require.Equal(t, http.StatusBadRequest, e.login("chief").do("POST", "/api/v1/users", sup, &bad))
	require.Equal(t, "role", bad.Error.Fields[0].Field)
	// The supervisor writes nothing but 督办.
	sup["id"] = "high-sup-3"
	require.Equal(t, http.StatusForbidden, e.login("high-sup").do("POST", "/api/v1/users", sup, nil))
}
