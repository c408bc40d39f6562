package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/stretchr/testify/require"
)

// Cookie sessions need the CSRF token on state-changing requests; bearer
// tokens do not.
func TestSession_CookieAndCSRF(t *testing.T) {
	e := start(t, backends(t)[0])
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	hc := &http.Client{Jar: jar}
	post := func(path, body, csrf string) (*http.Response, string) {
		req, err := http.NewRequestWithContext(t.Context(), "POST", e.srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if csrf != "" {
			req.Header.Set(auth.CSRFHeader, csrf)
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := post("/api/v1/auth/login", `{"user_id":"judge-li","password":"demo-judge-li"}`, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == auth.SessionCookie {
			ck = c
		}
	}
	require.NotNil(t, ck)
	require.True(t, ck.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, ck.SameSite)
	csrf := between(body, `"csrf_token":"`, `"`)
	require.NotEmpty(t, csrf)

	node := `{"kind":"clue_submitted","date":"2026-11-26"}`
	resp, body = post("/api/v1/cases/demo-2/nodes", node, "")
	require.Equal(t, http.StatusForbidden, resp.StatusCode, body)
	require.Contains(t, body, `"csrf"`)
	resp, _ = post("/api/v1/cases/demo-2/nodes", node, "wrong")
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, body = post("/api/v1/cases/demo-2/nodes", node, csrf)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)

	// Signing out ends the session.
	resp, _ = post("/api/v1/auth/logout", `{}`, csrf)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	r2, err := hc.Get(e.srv.URL + "/api/v1/me")
	require.NoError(t, err)
	r2.Body.Close()
	require.Equal(t, http.StatusUnauthorized, r2.StatusCode)
}

func between(s, a, b string) string {
	_, rest, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, b)
	return v
}

// Wrong query codes are refused; after five failures on a case further
// attempts are refused even with the right code, until the window passes.
func TestSession_PartyLoginRateLimited(t *testing.T) {
	e := start(t, backends(t)[0])
	c, err := e.app.store.Get(t.Context(), "demo-3")
	require.NoError(t, err)
	number := c.Number.String()
	code := e.partyCode("demo-3", "a1")
	try := func(code string) int {
		return e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{"case_number": number, "query_code": code}, nil)
	}
	require.Equal(t, http.StatusOK, try(strings.ToLower(code)), "the code is case-insensitive")
	for range 5 {
		require.Equal(t, http.StatusUnauthorized, try("WRONG000"))
	}
	require.Equal(t, http.StatusTooManyRequests, try(code))
	e.clock.Add(16 * time.Minute)
	require.Equal(t, http.StatusOK, try(code))

	// An unknown case number is refused like a wrong code.
	require.Equal(t, http.StatusUnauthorized, e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{"case_number": "（2026）沪01执9999号", "query_code": "ABCD"}, nil))
}

// A party sees only their own case, not others' contact details.
func TestSession_PartySeesOnlyTheirCase(t *testing.T) {
	e := start(t, backends(t)[0])
	c, err := e.app.store.Get(t.Context(), "demo-7")
	require.NoError(t, err)
	p := e.actAs("demo-7", c.Parties[0].ID)
	st, raw := p.raw("GET", "/api/v1/cases/demo-7", nil)
	require.Equal(t, http.StatusOK, st)
	require.NotContains(t, string(raw), c.Parties[1].Mobile, "the other party's number is not shown")
	require.NotContains(t, string(raw), e.partyCode("demo-7", c.Parties[1].ID), "nor their code")
	require.Contains(t, string(raw), `"can_answer":true`, "the opinion form is offered to the applicant")
	require.Equal(t, http.StatusNotFound, p.do("GET", "/api/v1/cases/demo-4", nil, nil))
	var list struct{ Cases []struct{ ID string } }
	require.Equal(t, http.StatusOK, p.do("GET", "/api/v1/cases", nil, &list))
	require.Len(t, list.Cases, 1)

	// The applicant answers on the web.
	sid := c.Solicitations[0].ID
	require.Equal(t, http.StatusOK, p.do("POST", "/api/v1/cases/demo-7/solicitations/"+sid+"/opinion", map[string]string{"choice": "agree"}, nil))
	got, err := e.app.store.Get(t.Context(), "demo-7")
	require.NoError(t, err)
	require.Equal(t, "web", got.Solicitations[0].Answer.Channel)
	require.Equal(t, http.StatusUnprocessableEntity, p.do("POST", "/api/v1/cases/demo-7/solicitations/"+sid+"/opinion", map[string]string{"choice": "disagree"}, nil), "the first answer stands")
}

// A staff auth.Session speaks for the user as stored now: a changed role applies
// to the next request, and a removed user's auth.Session is refused.
func TestSession_FollowsTheUser(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		li := e.login("judge-li")
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/reminders", nil, nil))
		require.Equal(t, http.StatusForbidden, li.do("GET", "/api/v1/supervision", nil, nil))
		_, err := e.app.db.Exec(t.Context(), `UPDATE server_users SET role = ? WHERE id = ?`, string(desk.RoleChief), "judge-li")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/supervision", nil, nil), "promoted")
		_, err = e.app.db.Exec(t.Context(), `DELETE FROM server_users WHERE id = ?`, "judge-li")
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, li.do("GET", "/api/v1/reminders", nil, nil), "removed")
	})
}

// run serves until its context is cancelled, then shuts down cleanly.
func TestRun_ServesAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(t.Context())
	out := &syncWriter{b: &bytes.Buffer{}}
	done := make(chan error, 1)
	db := filepath.Join(t.TempDir(), "run.db")
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-db", db, "-demo", "-remind-every", "50ms", "-dispatch-poll", "20ms", "-log-level", "warn"}, out)
	}()
	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = http.Get("http://" + addr + "/healthz")
		return err == nil
	}, 20*time.Second, 20*time.Millisecond)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	require.Contains(t, out.String(), "demo-judge-li", "demo accounts are printed")
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{"ZHIXING_ADDR": "0.0.0.0:9000"}
	cfg, err := parseConfig(nil, func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Equal(t, "0.0.0.0:9000", cfg.Addr)
	require.Equal(t, "sqlite", first(cfg.driver()))
	cfg, err = parseConfig([]string{"-addr", "127.0.0.1:1", "-db", "postgres://x/y"}, func(string) string { return "" })
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:1", cfg.Addr)
	require.Equal(t, "pgx", first(cfg.driver()))
	require.Equal(t, "12368", cfg.Phone)
	cfg, err = parseConfig([]string{"-phone", "021-12345678"}, func(string) string { return "" })
	require.NoError(t, err)
	require.Equal(t, "021-12345678", cfg.Phone)
	cfg, err = parseConfig(nil, func(k string) string { return map[string]string{"ZHIXING_PHONE": "021-87654321"}[k] })
	require.NoError(t, err)
	require.Equal(t, "021-87654321", cfg.Phone)
	_, err = parseConfig([]string{"-sms", "pigeon"}, func(string) string { return "" })
	require.Error(t, err)
	_, err = parseConfig([]string{"-sms", "webhook"}, func(string) string { return "" })
	require.Error(t, err, "webhook needs its URL and secret")
}

func first(a, _ string) string { return a }

type syncWriter struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// Logs never carry a whole mobile or ID number, a password or a query code.
func TestLogger_MasksPersonalData(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(&b, slog.LevelDebug)
	log.Info("x", "mobile", "13812345678", "password", "secret-pw", "query_code", "ABCD2345",
		"note", "申请人 13812345678 身份证 310101199001011234", "err", errors.New("party 13912345678 not found"),
		"body", "【上海一中院】验证码482915，用于以当事人身份办理（2026）沪01执107号案", "text", "……及查询码K2Q7ZF6X可登录")
	out := b.String()
	for _, leak := range []string{"13812345678", "13912345678", "310101199001011234", "secret-pw", "ABCD2345", "482915", "K2Q7ZF6X"} {
		require.NotContains(t, out, leak)
	}
	require.Contains(t, out, "138****5678")
}
