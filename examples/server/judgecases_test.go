package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// caseListOut is the answer of GET /api/v1/cases.
type caseListOut struct {
	Cases []struct{ ID string }
	Rows  []struct {
		ID, Number, Level string
		JudgeID           string `json:"judge_id"`
		NextDue           string `json:"next_due"`
		Held              int
	}
	Total, Page, Pages int
	PerPage            int `json:"per_page"`
}

// The judge's case list (我的案件): their own cases by next due date,
// searched, filtered and paged the same in the API and on the page.
func TestCaseList(t *testing.T) {
	eachBackend(t, testCaseList)
}

func testCaseList(t *testing.T, bk backend) {
	e := start(t, bk)
	li := e.login("judge-li")
	list := func(c *client, query string) caseListOut {
		t.Helper()
		var out caseListOut
		require.Equal(t, http.StatusOK, c.do("GET", "/api/v1/cases?"+query, nil, &out))
		return out
	}
	all := list(li, "")
	require.Equal(t, len(all.Rows), all.Total)
	require.Equal(t, 1, all.Page)
	require.Equal(t, 50, all.PerPage)
	require.GreaterOrEqual(t, all.Total, 3)
	prev := ""
	for i, r := range all.Rows {
		require.Equal(t, "judge-li", r.JudgeID)
		require.Equal(t, r.ID, all.Cases[i].ID, "cases and rows in one order")
		if r.NextDue != "" {
			require.GreaterOrEqual(t, r.NextDue, prev, "by next due date")
			prev = r.NextDue
		}
	}
	demo2 := e.demoCase("demo-2")
	got := list(li, "q="+url.QueryEscape(demo2.Number.String()))
	require.Len(t, got.Rows, 1)
	require.Equal(t, "demo-2", got.Rows[0].ID)
	got = list(li, "q="+url.QueryEscape(demo2.Parties[1].Name))
	require.Contains(t, ids(got), "demo-2")
	got = list(li, "level=overdue")
	require.Contains(t, ids(got), "demo-2", "demo-2 has had no execution notice for 40 days")
	for _, r := range got.Rows {
		require.Equal(t, "overdue", r.Level)
	}
	require.NotContains(t, ids(list(li, "level=normal")), "demo-2")
	got = list(li, "number="+url.QueryEscape(demo2.Number.String()))
	require.Equal(t, []string{"demo-2"}, ids(got))
	got = list(li, "limit=1&offset=1")
	require.Len(t, got.Rows, 1)
	require.Equal(t, all.Rows[1].ID, got.Rows[0].ID)
	require.Equal(t, all.Total, got.Total)

	// A judge sees only their own; the chief may pick one.
	require.Equal(t, http.StatusForbidden, li.do("GET", "/api/v1/cases?judge=judge-zhang", nil, nil))
	got = list(e.login("chief"), "judge=judge-zhang")
	require.NotEmpty(t, got.Rows)
	for _, r := range got.Rows {
		require.Equal(t, "judge-zhang", r.JudgeID)
	}

	// demo-6's measure notice is held for the judge; once confirmed, the
	// case leaves the held filter.
	e.relay()
	got = list(li, "held=1")
	require.Equal(t, []string{"demo-6"}, ids(got))
	require.Positive(t, got.Rows[0].Held)
	var msgs struct{ Messages []struct{ ID, State string } }
	require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-6/messages?state=held", nil, &msgs))
	require.Len(t, msgs.Messages, got.Rows[0].Held)
	for _, m := range msgs.Messages {
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/messages/"+m.ID+"/confirm", map[string]any{}, nil))
	}
	require.Empty(t, ids(list(li, "held=1")))

	// Bad filters are refused at their field.
	var bad struct {
		Error struct {
			Fields []struct{ Field, MessageZh string }
		}
	}
	require.Equal(t, http.StatusBadRequest, li.do("GET", "/api/v1/cases?level=red&held=maybe", nil, &bad))
	require.Len(t, bad.Error.Fields, 2)

	// The page shows the same list, keeps the filter typed and says what
	// is wrong in Chinese at the field.
	b := e.signIn("judge-li")
	st, _, body := b.get("/cases?level=overdue")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, demo2.Number.String())
	require.Contains(t, body, `href="/cases/demo-2"`)
	require.NotContains(t, body, e.demoCase("demo-3").Number.String(), "judge-zhang's case")
	st, _, body = b.get("/cases?q=" + url.QueryEscape("赵大伟") + "&status=pending")
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "案件状态须为")
	require.Contains(t, body, `value="赵大伟"`)
	requireBasics(t, body)
}

func ids(l caseListOut) []string {
	out := []string{}
	for _, r := range l.Rows {
		out = append(out, r.ID)
	}
	return out
}
