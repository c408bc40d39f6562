package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// periodCount is a judge's figures of a period counted case by case.
type periodCount struct{ carried, filed, closed, zhongben, pending int }

func countPeriod(cs []*enforcement.Case, from, to deadline.Date) map[string]periodCount {
	out := map[string]periodCount{}
	for _, c := range cs {
		if c.FiledOn.After(to) {
			continue
		}
		x := out[c.JudgeID]
		closed := c.Status == enforcement.StatusClosed && c.Closure != nil
		if c.FiledOn.Before(from) && (!closed || !c.Closure.On.Before(from)) {
			x.carried++
		}
		if !c.FiledOn.Before(from) {
			x.filed++
		}
		if closed && !c.Closure.On.Before(from) && !c.Closure.On.After(to) {
			x.closed++
			if c.Closure.Mode == enforcement.ClosureZhongBen {
				x.zhongben++
			}
		}
		if !closed || c.Closure.On.After(to) {
			x.pending++
		}
		out[c.JudgeID] = x
	}
	return out
}

// The chief's exports through the API: the per-judge figures of a period
// as .xlsx and CSV agree with a count over every case; the overdue list
// and the key cases come out; bad periods and formats are refused at
// their field; only the chief may export.
func TestFlow_ChiefExports(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		require.NoError(t, e.app.seedBulk(t.Context(), 400, 3))
		chief := e.login("chief")
		all, err := e.app.store.Find(t.Context(), enforcement.CaseFilter{Court: e.app.desk.DefaultCourt()})
		require.NoError(t, err)
		from, to := deadline.MustParseDate("2026-01-01"), deadline.MustParseDate("2026-10-31")
		want := countPeriod(all, from, to)
		names := map[string]string{"李明": "judge-li", "张华": "judge-zhang", "陈静": "judge-chen"}

		st, raw := chief.raw("GET", "/api/v1/exports/judges?format=xlsx&from=2026-01-01&to=2026-10-31", nil)
		require.Equal(t, http.StatusOK, st)
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		require.NoError(t, err)
		rows, err := f.GetRows("Sheet1")
		require.NoError(t, err)
		require.Contains(t, rows[0][0], "各法官办案数据（2026-01-01至2026-10-31）")
		require.Equal(t, []string{"法官", "旧存", "新收", "已结", "其中终本", "未结"}, rows[1][:6])
		seen := 0
		var closedTotal int
		for _, r := range rows[2 : len(rows)-1] {
			id, ok := names[r[0]]
			if !ok {
				continue
			}
			seen++
			w := want[id]
			got := []string{r[1], r[2], r[3], r[4], r[5]}
			require.Equal(t, []string{strconv.Itoa(w.carried), strconv.Itoa(w.filed), strconv.Itoa(w.closed), strconv.Itoa(w.zhongben), strconv.Itoa(w.pending)}, got, r[0])
			closedTotal += w.closed
		}
		require.Equal(t, 3, seen)
		require.Greater(t, closedTotal, 0, "the period has closed cases")
		require.Equal(t, "合计", rows[len(rows)-1][0])

		// The same as CSV: UTF-8 with a byte-order mark.
		st, raw = chief.raw("GET", "/api/v1/exports/judges?format=csv&from=2026-01-01&to=2026-10-31", nil)
		require.Equal(t, http.StatusOK, st)
		require.True(t, bytes.HasPrefix(raw, []byte("\uFEFF")))
		recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
		require.NoError(t, err)
		require.Equal(t, rows[1], recs[0])
		for i := range rows[2:] {
			require.Equal(t, rows[i+2][:6], recs[i+1][:6])
		}

		for _, kind := range []string{"overdue", "key-cases"} {
			st, raw = chief.raw("GET", "/api/v1/exports/"+kind+"?format=csv&from=2025-01-01", nil)
			require.Equal(t, http.StatusOK, st, kind)
			recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
			require.NoError(t, err)
			require.Greater(t, len(recs), 2, "%s lists rows", kind)
			st, raw = chief.raw("GET", "/api/v1/exports/"+kind+"?from=2025-01-01", nil)
			require.Equal(t, http.StatusOK, st, kind)
			_, err = excelize.OpenReader(bytes.NewReader(raw))
			require.NoError(t, err, kind)
		}

		var bad struct {
			Error struct {
				Fields []struct {
					Field string `json:"field"`
				} `json:"fields"`
			} `json:"error"`
		}
		for _, tc := range []struct{ query, field string }{
			{"judges?from=2026-10-01&to=2026-09-01", "to"},
			{"judges?to=2026-12-31", "to"},
			{"judges?from=2026-13-01", "from"},
			{"judges?format=pdf", "format"},
			{"payroll", "kind"},
		} {
			st, raw := chief.raw("GET", "/api/v1/exports/"+tc.query, nil)
			require.Equal(t, http.StatusBadRequest, st, tc.query)
			require.NoError(t, json.Unmarshal(raw, &bad))
			require.Equal(t, tc.field, bad.Error.Fields[0].Field, tc.query)
		}
		require.Equal(t, http.StatusForbidden, e.login("judge-li").do("GET", "/api/v1/exports/judges", nil, nil))
	})
}

// The exports page: the figures of the typed period, download links that
// answer files, and a bad period refused at its field with the input kept.
func TestPages_ChiefExports(t *testing.T) {
	e := start(t, sqliteBackend(t))
	chief := e.signIn("chief")
	st, _, body := chief.get("/chief/exports")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, `value="2026-01-01"`)
	require.Contains(t, body, `href="/chief/exports/judges?from=2026-01-01&amp;to=2026-11-26&amp;format=xlsx"`)
	require.Contains(t, body, "李明")

	st, _, body = chief.get("/chief/exports?from=2026-11-01&to=2026-10-01")
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "结束日期不能早于开始日期")
	require.Contains(t, body, `value="2026-10-01"`, "the typed date is kept")
	st, _, body = chief.get("/chief/exports/judges?from=" + url.QueryEscape("2026/01/01"))
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "开始日期不是有效日期")
	require.Contains(t, body, `value="2026/01/01"`)

	req, err := http.NewRequestWithContext(t.Context(), "GET", e.srv.URL+"/chief/exports/overdue?from=2026-01-01&format=csv", nil)
	require.NoError(t, err)
	resp, err := chief.c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Disposition"), "overdue-2026-01-01-2026-11-26.csv")
	require.True(t, strings.Contains(string(raw), e.demoCase("demo-2").Number.String()), "the demo's overdue case is listed")

	judge := e.signIn("judge-li")
	st, _, _ = judge.get("/chief/exports")
	require.Equal(t, http.StatusForbidden, st)
}
