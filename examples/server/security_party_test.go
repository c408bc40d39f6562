package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// Party identity (issue 13). Each test is one attack, as it was carried
// out against the server.

// respondentNotice returns the query code printed in the respondent's own
// filing SMS of case id, as the respondent reads it on their phone.
func (e *env) respondentNotice(id string) string {
	e.t.Helper()
	ms, err := e.app.desk.Outbox.List(e.t.Context(), notify.Filter{CaseID: id})
	require.NoError(e.t, err)
	for _, m := range ms {
		if m.Template == notify.KeyFilingRespondent {
			code := regexp.MustCompile(`查询码([A-Z0-9]+)`).FindStringSubmatch(m.Body)
			require.NotNil(e.t, code, m.Body)
			return code[1]
		}
	}
	e.t.Fatalf("no respondent filing notice on %s", id)
	return ""
}

// The respondent, who knows the applicant's number, signed in with the
// code of their own filing SMS and the applicant's mobile, and agreed to
// 终本 for the applicant.
func TestSecurity_RespondentConsentsForApplicant(t *testing.T) {
	e := start(t, sqliteBackend(t))
	e.relay()
	c := e.demoCase("demo-7")
	sid := c.Solicitations[0].ID
	require.Equal(t, "13800001007", c.Parties[0].Mobile)

	code := e.respondentNotice("demo-7")
	var s struct {
		Token     string
		Principal desk.Principal
	}
	st := e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{
		"case_number": "（2026）沪01执107号", "query_code": code, "mobile": "13800001007"}, &s)
	require.Equal(t, http.StatusOK, st, "the respondent signs in, as the respondent")
	require.Equal(t, "r1", s.Principal.PartyID, "the typed mobile number does not make them the applicant")
	respondent := &client{e: e, token: s.Token}

	st, raw := respondent.raw("POST", "/api/v1/cases/demo-7/solicitations/"+sid+"/opinion", map[string]string{"choice": "agree"})
	require.Equal(t, http.StatusForbidden, st, "%s", raw)
	require.Nil(t, e.demoCase("demo-7").Solicitations[0].Answer, "no opinion was recorded")
}

// A leaked notice alone is not enough to consent: with the applicant's own
// code but without the one-time code sent to the applicant's phone, the
// opinion is refused; with it, it is recorded.
func TestSecurity_LeakedNoticeCannotConsent(t *testing.T) {
	e := start(t, sqliteBackend(t))
	sid := e.demoCase("demo-7").Solicitations[0].ID
	thief := e.asParty("demo-7", "a1")
	var body struct{ Error struct{ Code string } }
	st := thief.do("POST", "/api/v1/cases/demo-7/solicitations/"+sid+"/opinion", map[string]string{"choice": "agree"}, &body)
	require.Equal(t, http.StatusForbidden, st)
	require.Equal(t, "otp_required", body.Error.Code)
	st = thief.do("POST", "/api/v1/cases/demo-7/requests", map[string]string{"text": "请撤回申请"}, &body)
	require.Equal(t, http.StatusForbidden, st)
	st = thief.do("PATCH", "/api/v1/cases/demo-7/parties/a1", map[string]any{"opt_out": true}, &body)
	require.Equal(t, http.StatusForbidden, st, "nor opt the applicant out of the court's SMS")
	require.Nil(t, e.demoCase("demo-7").Solicitations[0].Answer)

	applicant := e.actAs("demo-7", "a1")
	require.Equal(t, http.StatusOK, applicant.do("POST", "/api/v1/cases/demo-7/solicitations/"+sid+"/opinion", map[string]string{"choice": "disagree"}, nil))
	a := e.demoCase("demo-7").Solicitations[0].Answer
	require.NotNil(t, a)
	require.Equal(t, "web", a.Channel)
}

// A party signed in without an identity (the case-level code of a case
// filed before per-party codes) saw the applicant's SMS, reply code
// included.
func TestSecurity_CaseCodeSeesNoPartyMessages(t *testing.T) {
	e := start(t, sqliteBackend(t))
	e.relay()
	c := e.demoCase("demo-7")
	p := e.partyLogin(c.Number.String(), e.legacyCode("demo-7"))
	var me desk.Principal
	require.Equal(t, http.StatusOK, p.do("GET", "/api/v1/me", nil, &me))
	require.Empty(t, me.PartyID)
	require.Equal(t, http.StatusOK, p.do("GET", "/api/v1/cases/demo-7", nil, nil), "the case is readable")
	for _, path := range []string{"/api/v1/cases/demo-7/messages", "/api/v1/messages"} {
		st, raw := p.raw("GET", path, nil)
		require.Equal(t, http.StatusOK, st)
		require.NotContains(t, string(raw), c.Solicitations[0].ReplyCode, path)
		require.NotContains(t, string(raw), `"body"`, "%s lists no message: %s", path, raw)
	}
	require.Equal(t, http.StatusForbidden, p.do("POST", "/api/v1/cases/demo-7/solicitations/"+c.Solicitations[0].ID+"/opinion", map[string]string{"choice": "agree"}, nil))
	require.Equal(t, http.StatusForbidden, p.do("POST", "/api/v1/auth/party-otp", nil, nil))

	// Each identified party sees its own messages and never the other's.
	e.dispatch()
	for pid, other := range map[string]string{"a1": "r1", "r1": "a1"} {
		ms := e.asParty("demo-7", pid).messages("")
		require.NotEmpty(t, ms, pid)
		for _, m := range ms {
			require.NotContains(t, m.Body, e.partyCode("demo-7", other), "party %s sees a message to %s", pid, other)
			if pid == "r1" {
				require.NotContains(t, m.Body, c.Solicitations[0].ReplyCode, "the respondent never sees the applicant's reply code")
			}
		}
	}
}

// A judge resets a party's code: the old code and the sessions signed in
// with it stop working, and the party is sent the new one.
func TestSecurity_ResetQueryCode(t *testing.T) {
	e := start(t, sqliteBackend(t))
	c := e.demoCase("demo-7")
	old := e.partyCode("demo-7", "r1")
	leaked := e.partyLogin(c.Number.String(), old)
	keep := e.asParty("demo-7", "a1")

	require.Equal(t, http.StatusNotFound, e.login("judge-li").do("POST", "/api/v1/cases/demo-7/parties/r1/query-code/reset", nil, nil), "not their case")
	require.Equal(t, http.StatusForbidden, keep.do("POST", "/api/v1/cases/demo-7/parties/r1/query-code/reset", nil, nil), "nor a party's")
	var out struct {
		PartyID        string `json:"party_id"`
		CodeGeneration int    `json:"code_generation"`
	}
	require.Equal(t, http.StatusOK, e.login("judge-zhang").do("POST", "/api/v1/cases/demo-7/parties/r1/query-code/reset", nil, &out))
	require.Equal(t, 1, out.CodeGeneration)

	require.Equal(t, http.StatusUnauthorized, leaked.do("GET", "/api/v1/cases/demo-7", nil, nil), "the session of the old code ended")
	require.Equal(t, http.StatusOK, keep.do("GET", "/api/v1/cases/demo-7", nil, nil), "the other party's session is untouched")
	require.Equal(t, http.StatusUnauthorized, e.anon().do("POST", "/api/v1/auth/party-login", map[string]string{"case_number": c.Number.String(), "query_code": old}, nil))
	fresh := e.partyCode("demo-7", "r1")
	require.NotEqual(t, old, fresh)
	require.Equal(t, fresh, e.partyCode("demo-7", "r1"), "codes are derived, the same on every call")
	e.partyLogin(c.Number.String(), fresh)

	e.dispatch()
	var notice notify.Outgoing
	for _, o := range e.sender.all() {
		if o.Template == notify.KeyQueryCodeReset {
			notice = o
		}
	}
	require.Equal(t, c.Parties[1].Mobile, notice.To, "the notice goes to the respondent")
	require.Contains(t, notice.Body, fresh)
	require.NotContains(t, notice.Body, old)
	st, raw := e.login("judge-zhang").raw("GET", "/api/v1/messages?case=demo-7", nil)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(raw), "query_code.reset")
	require.NotContains(t, string(raw), fresh, "staff see that a code was sent, not the code")
}

// otpEnv signs the applicant of demo-7 in and returns its client and a way
// to confirm a code.
func otpEnv(t *testing.T, change func(*config)) (*env, *client, func(c *client, code string) (int, string)) {
	e := startWith(t, sqliteBackend(t), change)
	p := e.asParty("demo-7", "a1")
	verify := func(c *client, code string) (int, string) {
		var body struct{ Error struct{ Code string } }
		st := c.do("POST", "/api/v1/auth/party-otp/verify", map[string]string{"code": code}, &body)
		return st, body.Error.Code
	}
	return e, p, verify
}

func TestOTP_Expiry(t *testing.T) {
	e, p, verify := otpEnv(t, nil)
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	code := e.lastOTP("demo-7", "a1")
	e.clock.Add(desk.OTPTTL)
	st, why := verify(p, code)
	require.Equal(t, http.StatusBadRequest, st)
	require.Equal(t, "otp_expired", why, "5 minutes after sending the code is void")
}

func TestOTP_SingleUse(t *testing.T) {
	e, p, verify := otpEnv(t, nil)
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	code := e.lastOTP("demo-7", "a1")
	e.clock.Add(desk.OTPTTL - time.Second)
	st, _ := verify(p, code)
	require.Equal(t, http.StatusOK, st, "valid until just before 5 minutes")
	st, why := verify(p, code)
	require.Equal(t, http.StatusBadRequest, st)
	require.Equal(t, "otp_expired", why, "a used code is spent")
}

func TestOTP_TriesLimit(t *testing.T) {
	e, p, verify := otpEnv(t, nil)
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	code := e.lastOTP("demo-7", "a1")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := range desk.OTPTries {
		st, why := verify(p, wrong)
		require.Equal(t, http.StatusBadRequest, st)
		require.Equal(t, "otp_invalid", why, "try %d", i+1)
	}
	st, why := verify(p, code)
	require.Equal(t, http.StatusBadRequest, st)
	require.Equal(t, "otp_expired", why, "after 5 wrong tries even the right code is refused")

	// A new code must be requested, no sooner than a minute after the last.
	require.Equal(t, http.StatusTooManyRequests, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	e.clock.Add(desk.OTPInterval)
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	st, _ = verify(p, e.lastOTP("demo-7", "a1"))
	require.Equal(t, http.StatusOK, st)
}

func TestOTP_BoundToSessionAndRateLimited(t *testing.T) {
	e, p, verify := otpEnv(t, nil)
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	code := e.lastOTP("demo-7", "a1")
	other := e.asParty("demo-7", "a1")
	st, why := verify(other, code)
	require.Equal(t, http.StatusBadRequest, st)
	require.Equal(t, "otp_expired", why, "a code works only in the session that asked for it")

	for range desk.OTPPerHour - 1 {
		e.clock.Add(desk.OTPInterval)
		require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	}
	e.clock.Add(desk.OTPInterval)
	require.Equal(t, http.StatusTooManyRequests, p.do("POST", "/api/v1/auth/party-otp", nil, nil), "at most 5 codes an hour")
	require.Equal(t, http.StatusTooManyRequests, other.do("POST", "/api/v1/auth/party-otp", nil, nil), "per party, whatever the session")
	e.clock.Add(time.Hour)
	require.Equal(t, http.StatusAccepted, other.do("POST", "/api/v1/auth/party-otp", nil, nil))
}

// The one-time code is sent at once (not held for quiet hours), kept only
// as a keyed hash, shown in no message list and written to no log.
func TestOTP_SentAtOnceStoredHashedNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	e, p, _ := otpEnv(t, func(c *config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	e.clock.Add(12 * time.Hour) // 22:00, inside quiet hours
	require.Equal(t, http.StatusAccepted, p.do("POST", "/api/v1/auth/party-otp", nil, nil))
	code := e.lastOTP("demo-7", "a1")
	e.dispatch()
	var sent notify.Outgoing
	for _, o := range e.sender.all() {
		if o.Template == notify.KeyPartyOTP {
			sent = o
		}
	}
	require.Equal(t, "13800001007", sent.To, "sent at once to the applicant's number on file")
	require.Contains(t, sent.Body, code)

	var hash string
	require.NoError(t, e.app.db.QueryRow(t.Context(), `SELECT code_hash FROM server_otps WHERE case_id = ? AND party_id = ?`, "demo-7", "a1").Scan(&hash))
	require.NotContains(t, hash, code)
	require.Len(t, hash, 64)

	for _, c := range []*client{e.login("judge-zhang"), e.login("chief"), p} {
		st, raw := c.raw("GET", "/api/v1/messages?case=demo-7", nil)
		require.Equal(t, http.StatusOK, st)
		require.NotContains(t, string(raw), code)
	}
	require.NotContains(t, logs.String(), code)
}

// The key the codes are derived from is kept: a restart on the same
// database gives every party the same code.
func TestQueryCode_StableAcrossRestarts(t *testing.T) {
	dsn := sqliteBackend(t).dsn(t)
	same := backend{"sqlite", func(*testing.T) string { return dsn }}
	first := start(t, same)
	code := first.partyCode("demo-7", "a1")
	require.NoError(t, first.app.Close())
	second := start(t, same)
	require.Equal(t, code, second.partyCode("demo-7", "a1"))
	second.partyLogin(second.demoCase("demo-7").Number.String(), code)

	// A configured key replaces it (and voids the codes given before).
	third := startWith(t, same, func(c *config) { c.QueryCodeKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" })
	require.NotEqual(t, code, third.partyCode("demo-7", "a1"))
}
