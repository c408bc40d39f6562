package main

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The chief's dashboard shows each judge's plan for this week: not begun,
// a draft, or submitted with the number of changes made since.
func TestPages_ChiefSeesPlanStatus(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li, zhang := e.login("judge-li"), e.login("judge-zhang")
	item := func(title, day string) map[string]any {
		return map[string]any{"kind": "task", "case_id": "demo-2", "title": title, "day": day}
	}
	require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/items", item("发出执行通知书", "2026-11-27"), nil))
	require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/submit", map[string]any{}, nil))
	require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/items", item("约谈申请执行人", "2026-11-26"), nil))
	require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/items", item("网络查控", "2026-11-26"), nil))
	require.Equal(t, http.StatusOK, zhang.do("POST", "/api/v1/plans/judge-zhang/2026-W48/items", map[string]any{
		"kind": "task", "case_id": "demo-3", "title": "发出执行通知书", "day": "2026-11-27"}, nil))

	_, _, body := e.signIn("chief").get("/chief")
	status := map[string]string{}
	for _, m := range regexp.MustCompile(`data-judge="([^"]+)" data-status="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		status[m[1]] = m[2]
	}
	require.Equal(t, map[string]string{"judge-li": "submitted", "judge-zhang": "draft", "judge-chen": "none"}, status)
	require.Regexp(t, `提交后变更 <strong data-k="changes">2</strong> 次`, body)
	require.Contains(t, body, "草稿，未提交")
	require.Contains(t, body, "未编制")
}
