package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
)

// pageActions maps each form action of the pages to the API endpoint that
// does the same through the same desk method: no action exists in the
// pages only.
var pageActions = map[string][]string{
	"POST /login":                                     {"POST /api/v1/auth/login"},
	"POST /login/party":                               {"POST /api/v1/auth/party-login"},
	"POST /logout":                                    {"POST /api/v1/auth/logout"},
	"POST /week/items":                                {"POST /api/v1/plans/{judge}/{week}/items"},
	"POST /week/items/{item}/move":                    {"POST /api/v1/plans/{judge}/{week}/items/{item}/move"},
	"POST /week/items/{item}/done":                    {"POST /api/v1/plans/{judge}/{week}/items/{item}/done"},
	"POST /week/items/{item}/remove":                  {"POST /api/v1/plans/{judge}/{week}/items/{item}/remove"},
	"POST /week/submit":                               {"POST /api/v1/plans/{judge}/{week}/submit"},
	"POST /messages/{id}/confirm":                     {"POST /api/v1/messages/{id}/confirm"},
	"POST /messages/{id}/edit":                        {"POST /api/v1/messages/{id}/edit"},
	"POST /messages/{id}/cancel":                      {"POST /api/v1/messages/{id}/cancel"},
	"POST /cases/{id}/requests/{rid}/answer":          {"POST /api/v1/cases/{id}/requests/{rid}/answer"},
	"POST /cases/{id}/supervision/{oid}/answer":       {"POST /api/v1/cases/{id}/supervision/{oid}/answer"},
	"POST /cases/{id}/solicitations/{sid}/opinion":    {"POST /api/v1/cases/{id}/solicitations/{sid}/opinion"},
	"POST /my-case/otp":                               {"POST /api/v1/auth/party-otp"},
	"POST /my-case/otp/verify":                        {"POST /api/v1/auth/party-otp/verify"},
	"POST /cases/{id}/parties/{pid}/query-code/reset": {"POST /api/v1/cases/{id}/parties/{pid}/query-code/reset"},
	"POST /calendar/notice/preview":                   {"POST /api/v1/calendar/notice/preview"},
	"POST /calendar/notice":                           {"POST /api/v1/calendar/notice"},
	"POST /calendar/closures":                         {"POST /api/v1/calendar/closures"},
	"POST /calendar/closures/{date}/remove":           {"DELETE /api/v1/calendar/closures/{date}"},
	"POST /chief/overrides/{id}/{did}/decide": {"POST /api/v1/cases/{id}/due/{did}/override/approve",
		"POST /api/v1/cases/{id}/due/{did}/override/reject"},
	"POST /settings/feed/rotate": {"POST /api/v1/me/feed/rotate"},
	"POST /settings/feed/revoke": {"POST /api/v1/me/feed/revoke"},
}

// pagePosts lists the POST routes the pages register, read from the
// package's sources (route patterns are string literals there).
func pagePosts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("internal/pages/*.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`"(POST /[^"]*)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Every page action has its API endpoint, and the list names no page
// action or endpoint that is gone.
func TestPagesAndAPI_SameActions(t *testing.T) {
	posts := pagePosts(t)
	require.Contains(t, posts, "POST /week/items", "the page routes were read")
	apiPatterns := api.Patterns()
	for _, p := range posts {
		eps, ok := pageActions[p]
		require.True(t, ok, "page action %s has no API endpoint in pageActions", p)
		for _, ep := range eps {
			require.Contains(t, apiPatterns, ep, "page action %s: no API endpoint %s", p, ep)
		}
	}
	for p := range pageActions {
		require.Contains(t, posts, p, "pageActions lists %s, which the pages no longer have", p)
	}
}
