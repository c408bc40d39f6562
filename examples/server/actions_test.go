package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
)

// pageActions maps every form a page posts to (the page route's pattern)
// to the API endpoints that take the same action through the same desk
// method. An empty list marks a page action the API does not offer yet.
var pageActions = map[string][]string{
	"POST /login":                                     {"POST /api/v1/auth/login"},
	"POST /login/party":                               {"POST /api/v1/auth/party-login"},
	"POST /logout":                                    {"POST /api/v1/auth/logout"},
	"POST /my-case/otp":                               {"POST /api/v1/auth/party-otp"},
	"POST /my-case/otp/verify":                        {"POST /api/v1/auth/party-otp/verify"},
	"POST /week/items":                                {"POST /api/v1/plans/{judge}/{week}/items"},
	"POST /week/items/{item}/move":                    {"POST /api/v1/plans/{judge}/{week}/items/{item}/move"},
	"POST /week/items/{item}/done":                    {"POST /api/v1/plans/{judge}/{week}/items/{item}/done"},
	"POST /week/items/{item}/remove":                  {"POST /api/v1/plans/{judge}/{week}/items/{item}/remove"},
	"POST /chief/supervise":                           {"POST /api/v1/cases/{id}/supervision"},
	"POST /supervise":                                 {"POST /api/v1/cases/{id}/supervision"},
	"POST /my-case/requests":                          {"POST /api/v1/cases/{id}/requests"},
	"POST /my-case/sms":                               {"PATCH /api/v1/cases/{id}/parties/{pid}"},
	"POST /settings/feed/rotate":                      {"POST /api/v1/me/feed/rotate"},
	"POST /settings/feed/revoke":                      {"POST /api/v1/me/feed/revoke"},
	"POST /week/submit":                               {"POST /api/v1/plans/{judge}/{week}/submit"},
	"POST /messages/{id}/confirm":                     {"POST /api/v1/messages/{id}/confirm"},
	"POST /messages/{id}/edit":                        {"POST /api/v1/messages/{id}/edit"},
	"POST /messages/{id}/cancel":                      {"POST /api/v1/messages/{id}/cancel"},
	"POST /calendar/notice/preview":                   {"POST /api/v1/calendar/notice/preview"},
	"POST /calendar/notice":                           {"POST /api/v1/calendar/notice"},
	"POST /calendar/closures":                         {"POST /api/v1/calendar/closures"},
	"POST /calendar/closures/{date}/remove":           {"DELETE /api/v1/calendar/closures/{date}"},
	"POST /chief/overrides/{id}/{did}/decide":         {"POST /api/v1/cases/{id}/due/{did}/override/approve", "POST /api/v1/cases/{id}/due/{did}/override/reject"},
	"POST /cases/{id}/parties/{pid}/query-code/reset": {"POST /api/v1/cases/{id}/parties/{pid}/query-code/reset"},
	"POST /cases/{id}/requests/{rid}/answer":          {"POST /api/v1/cases/{id}/requests/{rid}/answer"},
	"POST /cases/{id}/supervision/{oid}/answer":       {"POST /api/v1/cases/{id}/supervision/{oid}/answer"},
	"POST /cases/{id}/solicitations/{sid}/opinion":    {"POST /api/v1/cases/{id}/solicitations/{sid}/opinion"},
	// The judge's desk.
	"GET /cases":                               {"GET /api/v1/cases"},
	"POST /cases/new":                          {"POST /api/v1/cases/preview", "POST /api/v1/cases"},
	"POST /cases/{id}/nodes":                   {"POST /api/v1/cases/{id}/nodes/preview", "POST /api/v1/cases/{id}/nodes"},
	"POST /cases/{id}/measures":                {"POST /api/v1/cases/{id}/measures/preview", "POST /api/v1/cases/{id}/measures"},
	"POST /cases/{id}/nodes/{nid}/correct":     {"POST /api/v1/cases/{id}/nodes/{nid}/correct"},
	"POST /cases/{id}/nodes/{nid}/withdraw":    {"POST /api/v1/cases/{id}/nodes/{nid}/withdraw"},
	"POST /cases/{id}/measures/{mid}/withdraw": {"POST /api/v1/cases/{id}/measures/{mid}/withdraw"},
	"POST /cases/{id}/measures/{mid}/result":   {"POST /api/v1/cases/{id}/measures/{mid}/result"},
	"POST /cases/{id}/due/{did}/override":      {"POST /api/v1/cases/{id}/due/{did}/override"},
	"POST /cases/{id}/solicitations":           {"POST /api/v1/cases/{id}/solicitations"},
	"POST /cases/{id}/close":                   {"POST /api/v1/cases/{id}/close"},
}

// judgeDeskAPI are the API actions of the judge's case work; each must
// have its page form in pageActions.
var judgeDeskAPI = []string{
	"GET /api/v1/cases", "POST /api/v1/cases", "POST /api/v1/cases/preview",
	"POST /api/v1/cases/{id}/nodes", "POST /api/v1/cases/{id}/nodes/preview",
	"POST /api/v1/cases/{id}/measures", "POST /api/v1/cases/{id}/measures/preview",
	"POST /api/v1/cases/{id}/measures/{mid}/result", "POST /api/v1/cases/{id}/nodes/{nid}/correct", "POST /api/v1/cases/{id}/due/{did}/override",
	"POST /api/v1/cases/{id}/solicitations", "POST /api/v1/cases/{id}/close", "POST /api/v1/cases/{id}/requests/{rid}/answer",
	"POST /api/v1/messages/{id}/confirm", "POST /api/v1/messages/{id}/edit", "POST /api/v1/messages/{id}/cancel",
	"POST /api/v1/cases/{id}/nodes/{nid}/withdraw", "POST /api/v1/cases/{id}/measures/{mid}/withdraw",
}

// templateAction matches a form's method and action in a page template.
var templateAction = regexp.MustCompile(`<form\b[^>]*\bmethod="(get|post)"[^>]*\baction="([^"]*)"`)

// patternPath turns a route pattern's path into a regexp that matches the
// paths it serves, and a template's action (with {{…}} in it) likewise.
func patternRegexp(path string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.MustCompile(`\\\{[^/]*\\\}`).ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`) + "$")
}

// Every page action is an API action through the same desk method, and
// every API action of the judge's desk is a page action: the test lists
// both, reads every form of every page template, and looks each page
// route up in the pages' mux.
func TestActions_PagesAndAPI(t *testing.T) {
	apis := api.Patterns()
	var pagePatterns []string
	for page, eps := range pageActions {
		pagePatterns = append(pagePatterns, page)
		for _, ep := range eps {
			require.Contains(t, apis, ep, "the API endpoint of page action %s", page)
		}
		if len(eps) == 0 {
			t.Logf("page action %s has no API endpoint yet", page)
		}
	}
	for _, ep := range judgeDeskAPI {
		require.Contains(t, apis, ep)
		found := false
		for _, eps := range pageActions {
			found = found || slices.Contains(eps, ep)
		}
		require.True(t, found, "API action %s has no page form", ep)
	}

	// Every form of every template posts to a listed page action.
	files, err := filepath.Glob(filepath.Join("internal", "pages", "web", "*.html"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	forms := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range templateAction.FindAllStringSubmatch(string(b), -1) {
			method, action := strings.ToUpper(m[1]), regexp.MustCompile(`\{\{[^}]*\}\}`).ReplaceAllString(m[2], "X")
			if method == "GET" && !strings.HasPrefix(action, "/cases") {
				continue // filters and checks that change nothing
			}
			forms++
			listed := false
			for _, p := range pagePatterns {
				pm, pp, _ := strings.Cut(p, " ")
				listed = listed || (pm == method && patternRegexp(pp).MatchString(action))
			}
			require.True(t, listed, "%s: form %s %s is not in pageActions", filepath.Base(f), method, m[2])
		}
	}
	require.Greater(t, forms, 20)

	// Every listed page action is a route of the pages.
	e := start(t, sqliteBackend(t))
	mux := http.NewServeMux()
	pages.Register(mux, e.app.desk, e.app.auth, e.app.log, nil)
	for _, p := range pagePatterns {
		method, path, _ := strings.Cut(p, " ")
		req := httptest.NewRequest(method, regexp.MustCompile(`\{[^/]*\}`).ReplaceAllString(path, "x"), nil)
		_, got := mux.Handler(req)
		require.Equal(t, p, got, "%s is not a page route", p)
	}
}
