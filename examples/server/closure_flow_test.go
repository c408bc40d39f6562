package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// closureDoc is the closure checklist as the API answers it.
type closureDoc struct {
	Mode          string `json:"mode"`
	Met           bool   `json:"met"`
	Preconditions []struct {
		Key     string `json:"key"`
		Title   string `json:"title"`
		Article string `json:"article"`
		Met     bool   `json:"met"`
		Status  string `json:"status"`
		Detail  string `json:"detail"`
	} `json:"preconditions"`
}

// missingKeys lists the keys of the checklist's missing items.
func (d closureDoc) missingKeys() []string {
	var out []string
	for _, p := range d.Preconditions {
		if p.Status == "missing" {
			out = append(out, p.Key)
		}
	}
	return out
}

// 终本 (法〔2016〕373号 arts. 1–3) end to end: the checklist is shown item
// by item on the judge's case page and in the API; closing with an item
// missing is refused with the list, through the page and the API, and
// allowed once the facts are recorded.
func TestFlow_ZhongBenRefusedThenAllowed(t *testing.T) {
	e := start(t, sqliteBackend(t))
	judge := e.login("judge-li")
	body := newCaseBody(40)
	body["received_on"], body["filed_on"] = "2026-07-27", "2026-07-28" // four months before testNow
	var c caseDoc
	require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", body, &c))
	node := func(kind, date, note string) {
		t.Helper()
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/nodes", map[string]any{"kind": kind, "date": date, "note": note}, nil), kind)
	}
	node("execution_notice", "2026-07-30", "")
	node("property_report_order", "2026-07-30", "")
	node("network_inquiry", "2026-07-31", "")
	node("consumption_limit", "2026-08-03", "")
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/solicitations",
		map[string]any{"party_id": c.Parties[0].ID, "purpose": "zhongben", "summary": "未发现可供执行财产，拟终结本次执行程序。"}, &c))
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/solicitations/"+c.Solicitations[0].ID+"/opinion",
		map[string]any{"choice": "agree", "channel": "phone"}, nil))

	var cl closureDoc
	require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/"+c.ID+"/closure?mode=zhongben", nil, &cl))
	require.False(t, cl.Met)
	require.Equal(t, []string{"zhongben.dishonest_list", "zhongben.report_checked"}, cl.missingKeys(),
		"art. 1(2) 失信名单 and art. 2(2) 核查财产报告 are not recorded")
	statuses := map[string]string{}
	for _, p := range cl.Preconditions {
		statuses[p.Key] = p.Status
	}
	require.Equal(t, "not_applicable", statuses["zhongben.clues_verified"], "art. 3(1): the applicant supplied no clue")
	require.Equal(t, "met", statuses["zhongben.three_months"])

	b := e.signIn("judge-li")
	st, _, page := b.get("/cases/" + c.ID)
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, page)
	for _, p := range cl.Preconditions {
		require.Contains(t, page, `data-check="`+p.Key+`"`, "every item of the checklist is shown")
	}
	require.Contains(t, page, "第一条第（二）项", "with its article")
	require.Contains(t, page, "未满足：")
	require.Contains(t, page, "不适用：")
	require.Contains(t, page, `action="/cases/`+c.ID+`/close"`)

	t.Run("PageRefusesWithTheList", func(t *testing.T) {
		st, _, page := b.post("/cases/"+c.ID+"/close", url.Values{"mode": {"zhongben"}, "on": {"2026-11-26"}, "reason": {"未发现可供执行的财产"}}, true)
		require.Equal(t, http.StatusUnprocessableEntity, st)
		require.Contains(t, page, `id="close-refused"`)
		require.Contains(t, page, "符合条件的被执行人已纳入失信被执行人名单")
		require.Contains(t, page, "未发现可供执行的财产", "what the judge typed is kept")
	})
	t.Run("PageFieldErrors", func(t *testing.T) {
		st, _, page := b.post("/cases/"+c.ID+"/close", url.Values{"mode": {"zhongben"}, "on": {"2026-13-40"}, "reason": {""}}, true)
		require.Equal(t, http.StatusBadRequest, st)
		require.Contains(t, page, "请填写结案理由")
		require.Contains(t, page, "结案日期不是有效日期")
		require.Contains(t, page, `value="2026-13-40"`)
	})
	t.Run("NeedsCSRF", func(t *testing.T) {
		st, _, _ := b.post("/cases/"+c.ID+"/close", url.Values{"mode": {"zhongben"}, "reason": {"x"}}, false)
		require.Equal(t, http.StatusForbidden, st)
	})
	t.Run("OnlyTheHandlingJudge", func(t *testing.T) {
		other := e.signIn("judge-zhang")
		other.get("/cases/" + c.ID)
		st, _, _ := other.post("/cases/"+c.ID+"/close", url.Values{"mode": {"zhongben"}, "on": {"2026-11-26"}, "reason": {"未发现可供执行的财产"}}, true)
		require.Equal(t, http.StatusNotFound, st, "another judge's case is not found for closing")
	})

	var refusal struct {
		Error struct {
			Code  string `json:"code"`
			Unmet []struct {
				Key     string `json:"key"`
				Article string `json:"article"`
				Status  string `json:"status"`
			} `json:"unmet"`
		} `json:"error"`
	}
	require.Equal(t, http.StatusUnprocessableEntity, judge.do("POST", "/api/v1/cases/"+c.ID+"/close",
		map[string]any{"mode": "zhongben", "on": "2026-11-26", "reason": "未发现可供执行的财产"}, &refusal))
	var keys []string
	require.Equal(t, "not_allowed", refusal.Error.Code)
	for _, u := range refusal.Error.Unmet {
		keys = append(keys, u.Key)
		require.Equal(t, "missing", u.Status)
		require.NotEmpty(t, u.Article)
	}
	require.Equal(t, []string{"zhongben.dishonest_list", "zhongben.report_checked"}, keys)

	node("dishonest_list", "2026-08-03", "")
	node("property_report_checked", "2026-08-20", "被执行人报告无财产，经网络查控核实")
	require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/"+c.ID+"/closure?mode=zhongben", nil, &cl))
	require.True(t, cl.Met, "missing: %v", cl.missingKeys())

	b.get("/cases/" + c.ID)
	st, loc, _ := b.post("/cases/"+c.ID+"/close", url.Values{"mode": {"zhongben"}, "on": {"2026-11-26"}, "reason": {"未发现可供执行的财产"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, page = b.get(loc)
	require.Contains(t, page, "案件已结案。")
	require.Contains(t, page, "终结本次执行程序")
	require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/"+c.ID, nil, &c))
	require.Equal(t, "closed", c.Status)
}
