package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// getFeed fetches path without a session, as a calendar app does.
func (e *env) getFeed(path string) (int, string, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), "GET", e.srv.URL+path, nil)
	require.NoError(e.t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// A judge's secret feed URL serves their calendar without a session;
// rotating it makes the old URL 404 at once, revoking it too; no log line
// carries a token.
func TestFeeds_RotateAndRevoke(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		var logs syncBuffer
		e := startWith(t, b, func(c *config) { c.Logger = newLogger(&logs, slog.LevelDebug) })
		li := e.login("judge-li")

		var st api.FeedSubscription
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/me/feed", nil, &st))
		require.False(t, st.Active)

		var first, second api.FeedSubscription
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/me/feed/rotate", map[string]any{}, &first))
		require.True(t, first.Active)
		require.Len(t, first.Token, desk.FeedTokenLen)
		require.Equal(t, "/feeds/"+first.Token+".ics", first.Path)
		require.True(t, strings.HasSuffix(first.URL, first.Path))

		code, ctype, body := e.getFeed(first.Path)
		require.Equal(t, http.StatusOK, code, body)
		require.Equal(t, "text/calendar; charset=utf-8", ctype)
		require.True(t, strings.HasPrefix(body, "BEGIN:VCALENDAR"))
		// The same calendar as the signed-in feed.
		_, session := li.raw("GET", "/api/v1/judges/judge-li/calendar.ics", nil)
		require.Equal(t, string(session), body)

		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/me/feed", nil, &st))
		require.True(t, st.Active)
		require.Empty(t, st.Token, "the token is shown once")

		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/me/feed/rotate", map[string]any{}, &second))
		require.NotEqual(t, first.Token, second.Token)
		code, _, _ = e.getFeed(first.Path)
		require.Equal(t, http.StatusNotFound, code, "the rotated token is dead at once")
		code, ctype, _ = e.getFeed(second.Path)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, "text/calendar; charset=utf-8", ctype)

		// A token with the right ID and a wrong secret, a malformed one,
		// another path shape: all 404.
		forged := second.Token[:16] + strings.Repeat("0", 64)
		for _, p := range []string{"/feeds/" + forged + ".ics", "/feeds/" + second.Token, "/feeds/" + strings.ToUpper(second.Token) + ".ics", "/feeds/x.ics", "/feeds/" + second.Token + ".ics/x"} {
			code, _, _ = e.getFeed(p)
			require.Equal(t, http.StatusNotFound, code, p)
		}

		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/me/feed/revoke", map[string]any{}, &st))
		require.False(t, st.Active)
		code, _, _ = e.getFeed(second.Path)
		require.Equal(t, http.StatusNotFound, code, "a revoked token is dead at once")

		require.Equal(t, http.StatusForbidden, e.login("chief").do("POST", "/api/v1/me/feed/rotate", map[string]any{}, nil), "judges subscribe to their own calendar")

		out := logs.String()
		require.Contains(t, out, `"path":"/feeds/***"`, "the access log shows feed requests, masked")
		for _, tok := range []string{first.Token, second.Token, forged, first.Token[16:], second.Token[16:]} {
			require.NotContains(t, out, tok)
		}
	})
}

// The subscription page makes a URL, shows it once, changes and stops it.
func TestPages_FeedSubscription(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.signIn("judge-li")
	_, _, body := li.get("/settings/feed")
	require.Contains(t, body, "尚未开启订阅")

	st, loc, _ := li.post("/settings/feed/rotate", url.Values{}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/settings/feed?ok=feed_rotated", loc)
	require.NotContains(t, loc, "/feeds/", "the token is not in the redirect")
	_, _, body = li.get(loc)
	require.Contains(t, body, "已生成新的订阅地址")
	i := strings.Index(body, "/feeds/")
	require.Positive(t, i, body)
	path := body[i : i+len("/feeds/")+desk.FeedTokenLen+len(".ics")]
	code, ctype, _ := e.getFeed(path)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "text/calendar; charset=utf-8", ctype)

	_, _, body = li.get("/settings/feed")
	require.NotContains(t, body, "/feeds/", "shown once")
	require.Contains(t, body, "订阅已开启")

	st, loc, _ = li.post("/settings/feed/revoke", url.Values{}, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = li.get(loc)
	require.Contains(t, body, "已停止订阅")
	code, _, _ = e.getFeed(path)
	require.Equal(t, http.StatusNotFound, code)

	st, _, _ = li.post("/settings/feed/rotate", url.Values{}, false)
	require.Equal(t, http.StatusForbidden, st, "CSRF checked")
}
