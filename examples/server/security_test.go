package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/auth"
)

// The attacks on sign-in, forms and logs, each reproduced as it was
// measured against the server.

// from returns an HTTP client whose connections come from the loopback
// address ip (127.0.0.0/8 is all local), so a test can sign in from
// several addresses. It does not follow redirects.
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       60 * time.Second,
	}
}

// send posts body to path with headers (name, value pairs) and returns the
// response, its body read.
func send(t *testing.T, hc *http.Client, e *env, method, path, contentType, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func loginBody(id, pw string) string {
	return fmt.Sprintf(`{"user_id":%q,"password":%q}`, id, pw)
}

// requireRetryAfter checks a 429 says when to try again.
func requireRetryAfter(t *testing.T, resp *http.Response) {
	t.Helper()
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After %q", resp.Header.Get("Retry-After"))
	require.Positive(t, s)
}

// Measured: 40 parallel wrong passwords for one judge had 34 checked
// against bcrypt (limit 5), and the judge's correct password was then
// refused. Attempts are reserved before the check: at most 5 are checked,
// the rest refused with Retry-After, and the judge signs in from another
// address.
func TestSecurity_ParallelWrongPasswords(t *testing.T) {
	e := start(t, sqliteBackend(t))
	checks := countChecks(e)
	attacker := from("127.0.0.1")
	const n = 40
	statuses := make([]int, n)
	retry := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			resp, err := attacker.Post(e.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(loginBody("judge-li", fmt.Sprintf("wrong-%d", i))))
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i], retry[i] = resp.StatusCode, resp.Header.Get("Retry-After")
		})
	}
	close(start)
	wg.Wait()
	refused, wrong := 0, 0
	for _, st := range statuses {
		switch st {
		case http.StatusUnauthorized:
			wrong++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("status %d", st)
		}
	}
	require.LessOrEqual(t, checks.Load(), int64(5), "password checks")
	require.LessOrEqual(t, wrong, 5)
	require.Equal(t, n, wrong+refused)
	for i := range n {
		require.NoError(t, errs[i])
		if statuses[i] == http.StatusTooManyRequests {
			secs, err := strconv.Atoi(retry[i])
			require.NoError(t, err, "Retry-After %q", retry[i])
			require.Positive(t, secs)
		}
	}

	resp, body := send(t, from("127.0.0.2"), e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "demo-judge-li"))
	require.Equal(t, http.StatusOK, resp.StatusCode, "the judge signs in from another address: %s", body)
}

// Failures from one address must not lock the account's owner out at
// another: after the limit the owner's correct password is checked after a
// short delay, not refused. The attacker's address stays refused.
func TestSecurity_NoLockoutFromAnotherAddress(t *testing.T) {
	e := start(t, sqliteBackend(t))
	attacker, judge := from("127.0.0.3"), from("127.0.0.4")
	for range 5 {
		resp, _ := send(t, attacker, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-zhang", "guess"))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, _ := send(t, attacker, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-zhang", "demo-judge-zhang"))
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the attacker's address is refused even with the right password")

	began := time.Now()
	resp, body := send(t, judge, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-zhang", "demo-judge-zhang"))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.GreaterOrEqual(t, time.Since(began), 900*time.Millisecond, "after failures the check is delayed")

	// The same for a case's query code (party sign-in).
	c := e.demoCase("demo-3")
	party := func(hc *http.Client, code string) int {
		resp, _ := send(t, hc, e, "POST", "/api/v1/auth/party-login", "application/json",
			fmt.Sprintf(`{"case_number":%q,"query_code":%q}`, c.Number.String(), code))
		return resp.StatusCode
	}
	guesser := from("127.0.0.12")
	for range 5 {
		require.Equal(t, http.StatusUnauthorized, party(guesser, "WRONG000"))
	}
	code := e.partyCode(c.ID, c.Parties[0].ID)
	require.Equal(t, http.StatusTooManyRequests, party(guesser, code))
	require.Equal(t, http.StatusOK, party(from("127.0.0.5"), code))
}

// Every 429 says when to try again, on the API and on the sign-in page.
func TestSecurity_RetryAfter(t *testing.T) {
	e := start(t, sqliteBackend(t))
	hc := from("127.0.0.6")
	for range 5 {
		send(t, hc, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "guess"))
	}
	resp, _ := send(t, hc, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "guess"))
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	requireRetryAfter(t, resp)
	ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.LessOrEqual(t, ra, 15*60, "no longer than the window")

	// The sign-in page (the browser comes from 127.0.0.1).
	b := e.browser()
	b.get("/login")
	for range 5 {
		st, _, _ := b.post("/login", url.Values{"user_id": {"chief"}, "password": {"guess"}}, true)
		require.Equal(t, http.StatusUnauthorized, st)
	}
	req, err := http.NewRequestWithContext(t.Context(), "POST", e.srv.URL+"/login",
		strings.NewReader(url.Values{"user_id": {"chief"}, "password": {"guess"}, "csrf_token": {b.csrf}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = b.c.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	requireRetryAfter(t, resp)
	require.Contains(t, string(body), "失败次数过多")
}

// Measured: 400 unauthenticated sign-ins with distinct 900 KB user IDs,
// from distinct addresses, added about 540 MB to the server's memory. Credential fields over 128
// bytes are refused before any work, and the limiter's table has a fixed
// size.
func TestSecurity_LargeIDFloodMemoryBounded(t *testing.T) {
	if raceEnabled {
		t.Skip("measures the heap, which the race detector inflates; runs without -race")
	}
	e := start(t, sqliteBackend(t))
	hc := from("127.0.0.7")
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// Warm up the server's pools first.
	send(t, hc, e, "POST", "/api/v1/auth/login", "application/json", loginBody("nobody", "x"))
	before := heap()
	filler := strings.Repeat("x", 900<<10)
	var first *http.Response
	var firstBody string
	for i := range 400 {
		// Each from an address of its own, as from a botnet.
		c := from(fmt.Sprintf("127.0.%d.%d", 1+i/200, 1+i%200))
		resp, body := send(t, c, e, "POST", "/api/v1/auth/login", "application/json", loginBody(fmt.Sprintf("%d-%s", i, filler), "x"))
		c.CloseIdleConnections()
		require.NotEqual(t, http.StatusOK, resp.StatusCode)
		if i == 0 {
			first, firstBody = resp, body
		}
	}
	after := heap()
	grew := int64(after) - int64(before)
	t.Logf("heap before %d MB, after %d MB", before>>20, after>>20)
	require.Less(t, grew, int64(40<<20), "heap grew by %d MB", grew>>20)
	require.Equal(t, http.StatusBadRequest, first.StatusCode, firstBody)
	require.Contains(t, firstBody, "user_id")

	// The page form and the party sign-in refuse them too.
	b := e.browser()
	b.get("/login")
	st, _, body := b.post("/login", url.Values{"user_id": {strings.Repeat("x", 129)}, "password": {"x"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "不能超过128个字节")
	resp, _ := send(t, hc, e, "POST", "/api/v1/auth/party-login", "application/json",
		fmt.Sprintf(`{"case_number":"（2026）沪01执1号","query_code":%q}`, strings.Repeat("A", 129)))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

// Behind a reverse proxy every client has the proxy's address: one
// attacker locked everybody out. With -trusted-proxy the client is the
// rightmost untrusted hop of X-Forwarded-For; from an untrusted peer the
// header is ignored, so it cannot be forged to escape the limit.
func TestSecurity_TrustedProxy(t *testing.T) {
	e := startWith(t, sqliteBackend(t), trustProxy("127.0.0.8/32"))
	proxy := from("127.0.0.8")
	via := func(xff, id, pw string) int {
		resp, _ := send(t, proxy, e, "POST", "/api/v1/auth/login", "application/json", loginBody(id, pw), "X-Forwarded-For", xff)
		return resp.StatusCode
	}
	for range 5 {
		require.Equal(t, http.StatusUnauthorized, via("203.0.113.9", "judge-li", "guess"))
	}
	require.Equal(t, http.StatusTooManyRequests, via("203.0.113.9", "chief", "demo-chief"), "the attacker is limited")
	require.Equal(t, http.StatusOK, via("198.51.100.7", "chief", "demo-chief"), "another client behind the proxy is not")
	// A forged leftmost hop does not change who the client is.
	require.Equal(t, http.StatusTooManyRequests, via("198.51.100.7, 203.0.113.9", "chief", "demo-chief"))

	// A peer that is not a trusted proxy cannot choose its address.
	direct := from("127.0.0.9")
	for i := range 5 {
		resp, _ := send(t, direct, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-zhang", "guess"), "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, _ := send(t, direct, e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-zhang", "guess"), "X-Forwarded-For", "192.0.2.99")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == auth.SessionCookie {
			return c
		}
	}
	return nil
}

// The session cookie went out without the Secure flag even behind HTTPS.
// -cookie-secure sets it, and so does X-Forwarded-Proto: https from a
// trusted proxy.
func TestSecurity_CookieSecure(t *testing.T) {
	e := startWith(t, sqliteBackend(t), cookieSecure)
	resp, _ := send(t, from("127.0.0.1"), e, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "demo-judge-li"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, sessionCookie(resp).Secure)

	p := startWith(t, sqliteBackend(t), trustProxy("127.0.0.10"))
	resp, _ = send(t, from("127.0.0.10"), p, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "demo-judge-li"), "X-Forwarded-Proto", "https")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, sessionCookie(resp).Secure, "HTTPS at the trusted proxy")
	resp, _ = send(t, from("127.0.0.11"), p, "POST", "/api/v1/auth/login", "application/json", loginBody("judge-li", "demo-judge-li"), "X-Forwarded-Proto", "https")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.False(t, sessionCookie(resp).Secure, "an untrusted peer's header is ignored")
}

// Another site could sign a visitor in to the attacker's account (login
// CSRF): the sign-in forms need the token of a pre-session cookie, and the
// JSON sign-in needs application/json, which a cross-site form cannot send.
func TestSecurity_LoginCSRF(t *testing.T) {
	e := start(t, sqliteBackend(t))
	hc := from("127.0.0.1")
	form := url.Values{"user_id": {"judge-li"}, "password": {"demo-judge-li"}}.Encode()
	resp, _ := send(t, hc, e, "POST", "/login", "application/x-www-form-urlencoded", form)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Nil(t, sessionCookie(resp))
	c := e.demoCase("demo-1")
	resp, _ = send(t, hc, e, "POST", "/login/party", "application/x-www-form-urlencoded",
		url.Values{"case_number": {c.Number.String()}, "query_code": {c.QueryCode}}.Encode())
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Nil(t, sessionCookie(resp))

	resp, _ = send(t, hc, e, "POST", "/api/v1/auth/login", "text/plain", loginBody("judge-li", "demo-judge-li"))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Nil(t, sessionCookie(resp))

	// With the page's token the form signs in.
	b := e.browser()
	b.get("/login")
	st, loc, _ := b.post("/login", url.Values{"user_id": {"judge-li"}, "password": {"demo-judge-li"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/week", loc)
}

// A CSRF token in the URL's query leaks through logs and Referer: it is
// accepted from the form body or the header only.
func TestSecurity_CSRFNotFromQuery(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	st, _, _ := b.post("/logout?csrf_token="+b.csrf, nil, false)
	require.Equal(t, http.StatusForbidden, st)
	st, _, _ = b.post("/logout", nil, true)
	require.Equal(t, http.StatusSeeOther, st)
}

// Page forms were read up to Go's 10 MB default; they are capped at 1 MB
// like the JSON API.
func TestSecurity_FormBodyLimit(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	st, _, body := b.post("/week/items", url.Values{"kind": {"task"}, "day": {"2026-11-27"}, "title": {strings.Repeat("查", 700_000)}}, true)
	require.Equal(t, http.StatusRequestEntityTooLarge, st)
	require.Contains(t, body, "过大")
}

// Free text had no limit and took anything: 201-character titles, 2,001-
// character reasons, control characters, bidirectional overrides and
// zero-width-only text are refused with a Chinese message, on the pages
// and through the API.
func TestSecurity_FreeTextRules(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	for _, tt := range []struct{ name, title, want string }{
		{"too long", strings.Repeat("查", 201), "不能超过200个字"},
		{"bidi override", "查封\u202e房产", "文字方向"},
		{"isolate", "查封\u2066房产\u2069", "文字方向"},
		{"control", "查封\x07房产", "控制字符"},
		{"zero width only", "\u200b\u200b", "不可见"},
	} {
		t.Run("title "+tt.name, func(t *testing.T) {
			st, _, body := b.post("/week/items", url.Values{"kind": {"task"}, "day": {"2026-11-27"}, "title": {tt.title}}, true)
			require.Equal(t, http.StatusBadRequest, st)
			require.Contains(t, body, tt.want)
		})
	}
	st, _, _ := b.post("/week/items", url.Values{"kind": {"task"}, "day": {"2026-11-27"}, "title": {strings.Repeat("查", 200)}}, true)
	require.Equal(t, http.StatusSeeOther, st, "200 characters are fine")

	// A 2,001-character answer through the API.
	j := e.login("judge-li")
	long := strings.Repeat("答", 2001)
	st, raw := j.raw("POST", "/api/v1/cases/demo-1/supervision/none/answer", map[string]string{"response": long})
	require.Equal(t, http.StatusBadRequest, st, string(raw))
	require.Contains(t, string(raw), "不能超过2000个字")
}

// Logs carried whole SMS bodies (query codes included) from the console
// sender. Query codes, one-time codes, mobile numbers and ID numbers are
// masked in every line.
func TestSecurity_LogsMasked(t *testing.T) {
	var buf syncBuffer
	e := startWith(t, sqliteBackend(t), func(c *config) {
		c.Sender = nil
		c.SMS = "console"
		c.Logger = newLogger(&buf, slog.LevelDebug)
	})
	e.relay()
	e.dispatch()
	e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{"case_number": e.demoCase("demo-1").Number.String(), "query_code": "WRONG1"}, nil)
	out := buf.String()
	require.Contains(t, out, `"msg":"sms"`, "the console sender logged messages")
	require.Contains(t, out, "查询码*", "a filing text with its code masked")
	for _, id := range []string{"demo-1", "demo-2", "demo-3", "demo-4", "demo-7"} {
		c := e.demoCase(id)
		for _, p := range c.Parties {
			require.NotContains(t, out, e.partyCode(c.ID, p.ID), id)
			if p.Mobile != "" {
				require.NotContains(t, out, p.Mobile, id)
			}
			if !p.IDNumber.IsZero() {
				require.NotContains(t, out, p.IDNumber.Reveal(), id)
			}
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// API answers carried neither X-Content-Type-Options nor a
// Content-Security-Policy. Every response does, and the policy allows no
// script at all (the pages use none).
func TestSecurity_HeadersOnEveryResponse(t *testing.T) {
	e := start(t, sqliteBackend(t))
	hc := from("127.0.0.1")
	for _, path := range []string{"/healthz", "/api/v1/openapi.json", "/api/v1/me", "/api/v1/nowhere", "/login", "/static/style.css", "/"} {
		resp, body := send(t, hc, e, "GET", path, "", "")
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		csp := resp.Header.Get("Content-Security-Policy")
		require.Contains(t, csp, "default-src 'none'", path)
		require.NotContains(t, csp, "unsafe-inline", path)
		require.NotContains(t, csp, "script-src", path)
		require.NotContains(t, strings.ToLower(body), "<script", path)
	}
	b := e.signIn("chief")
	for _, path := range []string{"/chief", "/cases/demo-1", "/judges/judge-li/week"} {
		st, _, body := b.get(path)
		require.Equal(t, http.StatusOK, st, path)
		require.NotContains(t, strings.ToLower(body), "<script", path)
		require.NotContains(t, strings.ToLower(body), " style=", path)
	}
}

// The flags and their environment variables.
func TestSecurity_Config(t *testing.T) {
	none := func(string) string { return "" }
	cfg, err := parseConfig([]string{"-trusted-proxy", "10.0.0.0/8,127.0.0.1", "-cookie-secure"}, none)
	require.NoError(t, err)
	require.Equal(t, "10.0.0.0/8,127.0.0.1", cfg.TrustedProxy)
	require.True(t, cfg.CookieSecure)
	env := map[string]string{"ZHIXING_TRUSTED_PROXY": "192.0.2.0/24", "ZHIXING_COOKIE_SECURE": "1"}
	cfg, err = parseConfig(nil, func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Equal(t, "192.0.2.0/24", cfg.TrustedProxy)
	require.True(t, cfg.CookieSecure)
	_, err = parseConfig([]string{"-trusted-proxy", "10.0.0.0/33"}, none)
	require.ErrorContains(t, err, "-trusted-proxy")

	// Codes inside any log text are masked too.
	var buf bytes.Buffer
	newLogger(&buf, slog.LevelInfo).Info("x", "err", "查询码K7Q2X9不符，验证码：483920", "query_code", "K7Q2X9", "otp", "483920")
	require.NotContains(t, buf.String(), "K7Q2X9")
	require.NotContains(t, buf.String(), "483920")
}
