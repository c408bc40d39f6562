package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/notify"
)

// testNow is the fixed start time of the tests: Thursday 26 November 2026,
// 10:00 China Standard Time, a working day inside the official calendar.
var testNow = time.Date(2026, 11, 26, 10, 0, 0, 0, deadline.China)

const webhookSecret = "test-webhook-secret"

// fakeSender records what it is asked to send.
type fakeSender struct {
	mu   sync.Mutex
	sent []notify.Outgoing
}

func (f *fakeSender) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, o)
	return notify.Receipt{ProviderID: "fake-" + o.IdempotencyKey, Gateway: "fake"}, nil
}

func (f *fakeSender) all() []notify.Outgoing {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]notify.Outgoing(nil), f.sent...)
}

// clock is a settable test clock.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock    { c := &clock{}; c.ns.Store(t.UnixNano()); return c }
func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()).In(deadline.China) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// env is a test bundle: the server, its app, clock and sender.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	app    *app
	clock  *clock
	sender *fakeSender
}

// backend names the database a test runs on.
type backend struct {
	name string
	dsn  func(t *testing.T) string
}

// backends returns SQLite and, when ZHIXING_TEST_PG is set, PostgreSQL.
func backends(t *testing.T) []backend {
	bs := []backend{{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "zhixing.db") }}}
	if os.Getenv("ZHIXING_TEST_PG") != "" {
		bs = append(bs, backend{"postgres", pgDSN})
	} else {
		t.Log("ZHIXING_TEST_PG not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); running on SQLite only")
	}
	return bs
}

// eachBackend runs fn on every backend as a subtest.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// pgDSN creates a schema of its own for the test and returns a DSN whose
// search_path points at it; the schema is dropped when the test ends.
func pgDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ZHIXING_TEST_PG")
	if dsn == "" {
		t.Skip("ZHIXING_TEST_PG not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping PostgreSQL tests")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "zs_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// start starts a demo desk on b with background jobs off: tests drive the
// relay and the dispatcher by hand.
func start(t *testing.T, b backend) *env {
	t.Helper()
	return startWith(t, b, nil)
}

// startWith is start with a change to the configuration.
func startWith(t *testing.T, b backend, change func(*config)) *env {
	t.Helper()
	clk := newClock(testNow)
	snd := &fakeSender{}
	cfg := defaultConfig()
	cfg.DB = b.dsn(t)
	cfg.Demo = true
	cfg.Now = clk.Now
	cfg.Sender = snd
	cfg.BcryptCost = bcrypt.MinCost
	cfg.RemindEvery, cfg.DispatchPoll = 0, 0
	cfg.WebhookSecret = webhookSecret
	if change != nil {
		change(&cfg)
	}
	h, a, err := newServer(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, app: a, clock: clk, sender: snd}
}

// relay drafts the messages of every logged event; dispatch sends the due
// ones to the fake sender.
func (e *env) relay() {
	e.t.Helper()
	_, err := e.app.relayOnce(e.t.Context())
	require.NoError(e.t, err)
}

func (e *env) dispatch() int {
	e.t.Helper()
	// The demo courts put more than one batch in the outbox: run until a
	// round sends nothing (a bounded number of rounds).
	total := 0
	for range 20 {
		n, err := e.app.dispatcher.RunOnce(e.t.Context())
		require.NoError(e.t, err)
		total += n
		if n == 0 {
			break
		}
	}
	return total
}

// client is an API client signed in with a bearer token (or nobody).
type client struct {
	e     *env
	token string
}

func (e *env) anon() *client { return &client{e: e} }

func (e *env) login(id string) *client {
	e.t.Helper()
	var s auth.Session
	st := e.anon().do("POST", "/api/v1/auth/login", map[string]string{"user_id": id, "password": "demo-" + id}, &s)
	require.Equal(e.t, http.StatusOK, st)
	return &client{e: e, token: s.Token}
}

// partyLogin signs a party in with a case number and a query code.
func (e *env) partyLogin(number, code string) *client {
	e.t.Helper()
	var s auth.Session
	st := e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{"case_number": number, "query_code": code}, &s)
	require.Equal(e.t, http.StatusOK, st)
	return &client{e: e, token: s.Token}
}

// partyCode returns the own query code of party pid of case id.
func (e *env) partyCode(id, pid string) string {
	e.t.Helper()
	c, err := e.app.store.Get(e.t.Context(), id)
	require.NoError(e.t, err)
	pt, ok := c.Party(pid)
	require.True(e.t, ok, "party %s of %s", pid, id)
	return e.app.desk.PartyCode(c, pt)
}

// asParty signs party pid of case id in with its own code (not yet
// confirmed by a one-time code).
func (e *env) asParty(id, pid string) *client {
	e.t.Helper()
	c, err := e.app.store.Get(e.t.Context(), id)
	require.NoError(e.t, err)
	return e.partyLogin(c.Number.String(), e.partyCode(id, pid))
}

// actAs signs party pid of case id in and confirms a one-time code, so it
// may act.
func (e *env) actAs(id, pid string) *client {
	e.t.Helper()
	p := e.asParty(id, pid)
	require.Equal(e.t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	require.Equal(e.t, http.StatusOK, p.do("POST", "/api/v1/auth/party-otp/verify", map[string]string{"code": e.lastOTP(id, pid)}, nil))
	return p
}

// legacyCode gives case id a case-level query code, as cases filed before
// per-party codes have, and returns it.
func (e *env) legacyCode(id string) string {
	e.t.Helper()
	const code = "LEGACY23"
	_, _, err := e.app.store.Update(e.t.Context(), id, func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.QueryCode = code
		return nil, nil
	})
	require.NoError(e.t, err)
	return code
}

// lastOTP reads the latest one-time code sent to party pid of case id from
// the outbox, as the party would from their phone.
func (e *env) lastOTP(id, pid string) string {
	e.t.Helper()
	ms, err := e.app.desk.Outbox.List(e.t.Context(), notify.Filter{CaseID: id})
	require.NoError(e.t, err)
	var last notify.Message
	for _, m := range ms {
		if m.Template == notify.KeyPartyOTP && m.Recipient.PartyID == pid && !m.CreatedAt.Before(last.CreatedAt) {
			last = m
		}
	}
	require.NotEmpty(e.t, last.ID, "no one-time code sent to %s of %s", pid, id)
	return last.Params[notify.VarOTP]
}

// do sends body (JSON-encoded unless it is []byte) and decodes the answer
// into out when out is not nil; it returns the status.
func (c *client) do(method, path string, body any, out any) int {
	c.e.t.Helper()
	st, raw := c.raw(method, path, body)
	if out != nil && len(raw) > 0 {
		require.NoError(c.e.t, json.Unmarshal(raw, out), "%s %s: %s", method, path, raw)
	}
	return st
}

func (c *client) raw(method, path string, body any) (int, []byte) {
	c.e.t.Helper()
	var rd io.Reader
	var sent []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		sent = b
	case string:
		sent = []byte(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.e.t, err)
		sent = j
	}
	if body != nil {
		rd = bytes.NewReader(sent)
	}
	req, err := http.NewRequestWithContext(c.e.t.Context(), method, c.e.srv.URL+path, rd)
	require.NoError(c.e.t, err)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.e.srv.Client().Do(req)
	require.NoError(c.e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.e.t, err)
	checkExchange(c.e.t, req, sent, resp, raw)
	return resp.StatusCode, raw
}

// webhook posts a signed gateway event.
func (e *env) webhook(path string, event any) int {
	e.t.Helper()
	body, err := json.Marshal(event)
	require.NoError(e.t, err)
	req, err := http.NewRequestWithContext(e.t.Context(), "POST", e.srv.URL+path, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sms.SignatureHeader, sms.SignWebhook([]byte(webhookSecret), e.clock.Now(), body))
	resp, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	checkExchange(e.t, req, body, resp, raw)
	return resp.StatusCode
}

// caseDoc is the part of a case the tests read.
type caseDoc struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	JudgeID   string `json:"judge_id"`
	QueryCode string `json:"query_code"`
	Status    string `json:"status"`
	Version   int64  `json:"version"`
	Parties   []struct {
		ID     string `json:"id"`
		Mobile string `json:"mobile"`
	} `json:"parties"`
	Measures []struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	} `json:"measures"`
	DueItems []struct {
		ID          string `json:"id"`
		Rule        string `json:"rule"`
		Title       string `json:"title"`
		Computed    string `json:"computed"`
		DoneOn      string `json:"done_on"`
		Provisional bool   `json:"provisional"`
		Basis       string `json:"basis"`
		Steps       []any  `json:"steps"`
	} `json:"due_items"`
	Solicitations []struct {
		ID        string `json:"id"`
		PartyID   string `json:"party_id"`
		ReplyCode string `json:"reply_code"`
		Answer    *struct {
			Choice  string `json:"choice"`
			Channel string `json:"channel"`
			Text    string `json:"text"`
		} `json:"answer"`
	} `json:"solicitations"`
	Requests []struct {
		ID     string `json:"id"`
		Answer string `json:"answer"`
	} `json:"requests"`
	Orders []struct {
		ID       string `json:"id"`
		Response string `json:"response"`
	} `json:"orders"`
}

type messageDoc struct {
	ID        string `json:"id"`
	CaseID    string `json:"case_id"`
	Template  string `json:"template"`
	State     string `json:"state"`
	Body      string `json:"body"`
	Recipient struct {
		PartyID string `json:"party_id"`
		UserID  string `json:"user_id"`
		Role    string `json:"role"`
		Mobile  string `json:"mobile"`
	} `json:"recipient"`
}

func (c *client) messages(query string) []messageDoc {
	c.e.t.Helper()
	var out struct{ Messages []messageDoc }
	require.Equal(c.e.t, http.StatusOK, c.do("GET", "/api/v1/messages"+query, nil, &out))
	return out.Messages
}

// newCaseBody is a valid filing.
func newCaseBody(seq int) map[string]any {
	return map[string]any{
		"number": "（2026）沪01执" + itoa(900+seq) + "号", "cause": "民间借贷纠纷", "amount_applied": "100000.00",
		"received_on": "2026-11-25", "filed_on": "2026-11-26",
		"source": map[string]any{"title": "民事判决书", "number": "（2026）沪0115民初1号", "issuer": "上海市浦东新区人民法院"},
		"parties": []map[string]any{
			{"role": "applicant", "kind": "person", "name": "张三", "mobile": "13812340000"},
			{"role": "respondent", "kind": "organisation", "name": "某某贸易有限公司", "mobile": "13912340000"},
		},
	}
}

func itoa(n int) string { return json.Number(fmtInt(n)).String() }

func fmtInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func struct2filter(caseID string) notify.Filter { return notify.Filter{CaseID: caseID} }
