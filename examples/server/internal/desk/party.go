package desk

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// A party's identity on the web is its own query code (查询码), printed
// only in its own notices, and, where the party has a mobile number on
// file, a one-time code (验证码) sent to that number before it acts
// (opinion, request, opt-out).
//
// Query codes are derived, not stored: HMAC-SHA256 of the court, case,
// party and the party's code generation ([enforcement.Party.CodeGeneration])
// under the server's key, rendered in codeAlphabet. Nothing secret is in
// the case record, drafting a notice again gives the same text, and a
// reset (a new generation) voids the old code. A case filed before
// per-party codes keeps its case-level code, for reading only: it signs in
// a party without an identity.

// Errors of acting as a party.
var (
	// ErrOTPRequired: the party must confirm a one-time code sent to its
	// mobile before acting.
	ErrOTPRequired = errors.New("server: one-time code required")
	// ErrOTPInvalid: the one-time code is wrong (tries remain).
	ErrOTPInvalid = errors.New("server: wrong one-time code")
	// ErrOTPExpired: no usable one-time code: never sent, expired, used,
	// out of tries or sent to another session; a new one must be requested.
	ErrOTPExpired = errors.New("server: one-time code expired or used")
	// ErrOTPRateLimited: one-time codes are requested too often.
	ErrOTPRateLimited = errors.New("server: one-time codes requested too often")
)

// One-time code parameters.
const (
	OTPDigits = 6
	// OTPTTL is how long a code is valid; OTPTries how many wrong entries
	// it survives.
	OTPTTL   = 5 * time.Minute
	OTPTries = 5
	// OTPInterval is the least time between two codes to one party, and
	// OTPPerHour the most codes sent to it in an hour.
	OTPInterval = time.Minute
	OTPPerHour  = 5
	// ActingTTL is how long a session may act as its party after a code
	// is confirmed.
	ActingTTL = 30 * time.Minute
	// queryCodeLen is the length of a query code: 8 characters of a
	// 32-character alphabet, 40 bits.
	queryCodeLen = 8
)

// queryCodeKeyName names the generated key in server_secrets.
const queryCodeKeyName = "query_code_key"

// LoadQueryCodeKey sets the key query codes and one-time code hashes are
// derived from: configured (hex, at least 32 bytes) when given, otherwise
// the key kept in the server's table, generated on first use, so that a
// restart keeps every code valid. Changing the key voids every code.
func (d *Desk) LoadQueryCodeKey(ctx context.Context, configured string) error {
	if configured != "" {
		k, err := hex.DecodeString(configured)
		if err != nil || len(k) < 32 {
			return fmt.Errorf("query code key: want at least 64 hex digits")
		}
		d.QueryCodeKey = k
		return nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	// Instances starting at once each try to insert; the first wins and
	// every one reads the key that won.
	if _, err := d.DB.Exec(ctx, `INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		queryCodeKeyName, hex.EncodeToString(b[:])); err != nil {
		return fmt.Errorf("query code key: %w", err)
	}
	var v string
	if err := d.DB.QueryRow(ctx, `SELECT value FROM server_secrets WHERE name = ?`, queryCodeKeyName).Scan(&v); err != nil {
		return fmt.Errorf("query code key: %w", err)
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) < 32 {
		return fmt.Errorf("query code key: stored key is malformed")
	}
	d.QueryCodeKey = k
	return nil
}

func (d *Desk) mac(parts ...string) []byte {
	if len(d.QueryCodeKey) == 0 {
		panic("desk: query code key not loaded") // LoadQueryCodeKey runs at start
	}
	h := hmac.New(sha256.New, d.QueryCodeKey)
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

// PartyCode returns the query code (查询码) of party p of case c at its
// current generation. It is a notify.QueryCodeFunc.
func (d *Desk) PartyCode(c *enforcement.Case, p enforcement.Party) string {
	sum := d.mac("query-code", c.Court, c.ID, p.ID, strconv.Itoa(p.CodeGeneration))
	n := new(big.Int).SetBytes(sum[:5]) // 40 bits, 5 per character
	var b [queryCodeLen]byte
	for i := range b {
		b[queryCodeLen-1-i] = codeAlphabet[n.Uint64()&31]
		n.Rsh(n, 5)
	}
	return string(b[:])
}

// normaliseCode upper-cases a typed code and drops spaces and hyphens.
func normaliseCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// PartyByCode returns the party of c whose own query code is code. Every
// party's code is compared, in constant time.
func (d *Desk) PartyByCode(c *enforcement.Case, code string) (enforcement.Party, bool) {
	got := []byte(normaliseCode(code))
	var found enforcement.Party
	ok := 0
	for _, p := range c.Parties {
		if subtle.ConstantTimeCompare(got, []byte(d.PartyCode(c, p))) == 1 {
			found, ok = p, 1
		}
	}
	return found, ok == 1
}

// MatchesCaseCode reports whether code is the case-level query code of a
// case filed before per-party codes. It signs a party in for reading only.
func MatchesCaseCode(c *enforcement.Case, code string) bool {
	return c.QueryCode != "" && subtle.ConstantTimeCompare([]byte(normaliseCode(code)), []byte(strings.ToUpper(c.QueryCode))) == 1
}

// ResetQueryCode gives party pid of case id a new query code and voids the
// old one: sessions signed in with it end, and its pending one-time code
// with them. The party is sent a notice with the new code. The handling
// judge only.
func (d *Desk) ResetQueryCode(ctx context.Context, p *Principal, id, pid string) (*enforcement.Case, error) {
	c, err := d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Party(pid); !ok {
			return nil, NotFound("party", pid)
		}
		return c.ResetQueryCode(pid, p.Actor(), now)
	})
	if err != nil {
		return nil, err
	}
	if _, err := d.DB.Exec(ctx, `DELETE FROM server_sessions WHERE kind = ? AND case_id = ? AND party_id = ?`, string(RoleParty), id, pid); err != nil {
		return nil, err
	}
	if _, err := d.DB.Exec(ctx, `UPDATE server_otps SET code_hash = '' WHERE case_id = ? AND party_id = ?`, id, pid); err != nil {
		return nil, err
	}
	return c, nil
}

// needsOTP reports whether party pt must confirm a one-time code before
// acting: it has a mobile number on file that is not known to be wrong.
func needsOTP(pt enforcement.Party) bool { return pt.Mobile != "" && !pt.WrongNumber }

// actAs checks that p may act as party pid of c (pid "" means p's own
// party): p signed in with that party's own code and, where the party has
// a mobile number, confirmed a one-time code.
func actAs(p *Principal, c *enforcement.Case, pid string, now time.Time) error {
	if p.PartyID == "" || (pid != "" && pid != p.PartyID) {
		return ErrForbidden
	}
	pt, ok := c.Party(p.PartyID)
	if !ok {
		return ErrForbidden
	}
	if needsOTP(pt) && !now.Before(p.ActingUntil) {
		return ErrOTPRequired
	}
	return nil
}

// OTPSent says where a one-time code went and when it expires.
type OTPSent struct {
	Mobile      string    `json:"mobile"` // masked: 138****5678
	ExpiresAt   time.Time `json:"expires_at"`
	ResendAfter time.Time `json:"resend_after"`
}

func (d *Desk) otpHash(session, caseID, partyID, code string) string {
	return hex.EncodeToString(d.mac("otp", session, caseID, partyID, code))
}

func randomDigits(n int) string {
	var b strings.Builder
	for range n {
		i, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic(err)
		}
		b.WriteByte(byte('0' + i.Int64()))
	}
	return b.String()
}

// RequestOTP sends party p a new one-time code to the mobile number on
// file, through the outbox, at once. The code is valid for OTPTTL, for
// OTPTries entries, in p's session only; it replaces any earlier code.
// Only its keyed hash is kept. At most one code per OTPInterval and
// OTPPerHour per hour go to a party.
func (d *Desk) RequestOTP(ctx context.Context, p *Principal) (OTPSent, error) {
	if err := Need(p, RoleParty); err != nil {
		return OTPSent{}, err
	}
	if p.PartyID == "" || p.Session == "" {
		return OTPSent{}, ErrForbidden
	}
	if d.Outbox == nil {
		return OTPSent{}, ErrNoOutbox
	}
	c, err := d.Get(ctx, p, p.CaseID)
	if err != nil {
		return OTPSent{}, err
	}
	pt, ok := c.Party(p.PartyID)
	if !ok {
		return OTPSent{}, ErrForbidden
	}
	if !needsOTP(pt) {
		return OTPSent{}, BadField("mobile", "no_mobile", "本案未登记您的手机号码，无需验证码；如需登记请联系承办法官")
	}
	now := d.Now()
	var seq, sentAt, windowStart int64
	var windowSends int
	err = d.DB.QueryRow(ctx, `SELECT seq, sent_at, window_start, window_sends FROM server_otps WHERE case_id = ? AND party_id = ?`,
		c.ID, pt.ID).Scan(&seq, &sentAt, &windowStart, &windowSends)
	exists := err == nil
	if err != nil && !serverdb.IsNoRows(err) {
		return OTPSent{}, err
	}
	if exists && now.Before(time.Unix(sentAt, 0).Add(OTPInterval)) {
		return OTPSent{}, ErrOTPRateLimited
	}
	if !exists || !now.Before(time.Unix(windowStart, 0).Add(time.Hour)) {
		windowStart, windowSends = now.Unix(), 0
	}
	if windowSends >= OTPPerHour {
		return OTPSent{}, ErrOTPRateLimited
	}
	code := randomDigits(OTPDigits)
	exp := now.Add(OTPTTL)
	hash := d.otpHash(p.Session, c.ID, pt.ID, code)
	// Reserve the send first, conditionally on the row read (seq), so two
	// requests at once send one code.
	var res interface{ RowsAffected() (int64, error) }
	if exists {
		res, err = d.DB.Exec(ctx, `UPDATE server_otps SET session_hash = ?, code_hash = ?, expires_at = ?, tries = 0, sent_at = ?,
			window_start = ?, window_sends = ?, seq = ? WHERE case_id = ? AND party_id = ? AND seq = ?`,
			p.Session, hash, exp.Unix(), now.Unix(), windowStart, windowSends+1, seq+1, c.ID, pt.ID, seq)
	} else {
		res, err = d.DB.Exec(ctx, `INSERT INTO server_otps (case_id, party_id, session_hash, code_hash, expires_at, tries, sent_at,
			window_start, window_sends, seq) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 1, 1) ON CONFLICT (case_id, party_id) DO NOTHING`,
			c.ID, pt.ID, p.Session, hash, exp.Unix(), now.Unix(), windowStart)
	}
	if err != nil {
		return OTPSent{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return OTPSent{}, ErrOTPRateLimited
	}
	dr := d.Drafter(c.Court)
	if dr == nil {
		return OTPSent{}, ErrNoOutbox
	}
	m, err := dr.DraftOTP(c, pt, code, strconv.FormatInt(seq+1, 10)+"@"+strconv.FormatInt(now.UnixNano(), 10), now)
	if err != nil {
		return OTPSent{}, err
	}
	if err := d.Outbox.Put(ctx, m); err != nil {
		return OTPSent{}, err
	}
	if d.DemoOTP != nil {
		d.DemoOTP(c, pt, code)
	}
	d.Log.InfoContext(ctx, "party one-time code sent", "case", c.ID, "party", pt.ID, "to", enforcement.MaskMobile(pt.Mobile))
	return OTPSent{Mobile: enforcement.MaskMobile(pt.Mobile), ExpiresAt: exp, ResendAfter: now.Add(OTPInterval)}, nil
}

// VerifyOTP checks a one-time code of p's session and returns until when
// the session may act as its party. A code is used once; each wrong entry
// costs a try, and after OTPTries, or OTPTTL after it was sent, the code
// is void (ErrOTPExpired) and a new one must be requested.
func (d *Desk) VerifyOTP(ctx context.Context, p *Principal, code string) (time.Time, error) {
	if err := Need(p, RoleParty); err != nil {
		return time.Time{}, err
	}
	if p.PartyID == "" || p.Session == "" {
		return time.Time{}, ErrForbidden
	}
	code = normaliseCode(code)
	if len(code) != OTPDigits || strings.Trim(code, "0123456789") != "" {
		return time.Time{}, BadField("code", "invalid_code", "请输入短信中的6位数字验证码")
	}
	now := d.Now()
	var seq, exp int64
	var tries int
	var session, hash string
	err := d.DB.QueryRow(ctx, `SELECT seq, session_hash, code_hash, expires_at, tries FROM server_otps WHERE case_id = ? AND party_id = ?`,
		p.CaseID, p.PartyID).Scan(&seq, &session, &hash, &exp, &tries)
	if serverdb.IsNoRows(err) {
		return time.Time{}, ErrOTPExpired
	}
	if err != nil {
		return time.Time{}, err
	}
	if session != p.Session || !now.Before(time.Unix(exp, 0)) || tries >= OTPTries || hash == "" {
		return time.Time{}, ErrOTPExpired
	}
	// Spend a try before comparing, atomically, so parallel guesses cannot
	// exceed OTPTries.
	res, err := d.DB.Exec(ctx, `UPDATE server_otps SET tries = tries + 1 WHERE case_id = ? AND party_id = ? AND seq = ? AND tries < ?`,
		p.CaseID, p.PartyID, seq, OTPTries)
	if err != nil {
		return time.Time{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return time.Time{}, ErrOTPExpired
	}
	if subtle.ConstantTimeCompare([]byte(d.otpHash(p.Session, p.CaseID, p.PartyID, code)), []byte(hash)) != 1 {
		return time.Time{}, ErrOTPInvalid
	}
	// Single use: the code is spent by whoever clears it first.
	res, err = d.DB.Exec(ctx, `UPDATE server_otps SET code_hash = '' WHERE case_id = ? AND party_id = ? AND seq = ? AND code_hash = ?`,
		p.CaseID, p.PartyID, seq, hash)
	if err != nil {
		return time.Time{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return time.Time{}, ErrOTPExpired
	}
	return now.Add(ActingTTL), nil
}

// redactCodes hides the codes in message m from p: a one-time code from
// everyone (the outbox must hold it until it is sent, but no list shows
// it), and a party's query code from all but that party. Staff see that a
// notice carried a code, not the code.
func redactCodes(p *Principal, m *notify.Message) {
	params := make(map[string]string, len(m.Params))
	for k, v := range m.Params {
		params[k] = v
	}
	if m.Template == notify.KeyPartyOTP {
		m.Body = "验证码短信（内容不显示）"
		params[notify.VarOTP] = "******"
	}
	if code := params[notify.VarQueryCode]; code != "" && (p.Role != RoleParty || p.PartyID != m.Recipient.PartyID) {
		m.Body = strings.ReplaceAll(m.Body, code, "********")
		params[notify.VarQueryCode] = "********"
	}
	m.Params = params
}
