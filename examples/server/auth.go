package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/courtkit/zhixing/examples/server/internal/serverdb"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/courtkit/zhixing/enforcement"
)

// Role is what a signed-in Principal is.
type Role string

// Roles.
const (
	RoleParty Role = "party" // 当事人, signed in with case number and query code
	RoleJudge Role = "judge" // 承办法官
	RoleChief Role = "chief" // 执行局长
)

// Principal is who makes a request.
type Principal struct {
	Role    Role   `json:"role"`
	UserID  string `json:"user_id,omitempty"`
	Name    string `json:"name,omitempty"`
	CaseID  string `json:"case_id,omitempty"`  // party: the one case they may see
	PartyID string `json:"party_id,omitempty"` // party: set when identified by mobile
	csrf    string
	bearer  bool
}

func (p *Principal) Actor() string {
	if p == nil {
		return ""
	}
	if p.Role == RoleParty {
		if p.PartyID != "" {
			return "party:" + p.PartyID
		}
		return "party"
	}
	return p.UserID
}

type ctxKey struct{}

func withPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// principalOf returns the request's Principal, or nil.
func principalOf(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// user is a court user: a judge or the chief.
type user struct {
	ID     string `json:"id"`
	Court  string `json:"court"`
	Role   Role   `json:"role"`
	Name   string `json:"name"`
	Mobile string `json:"mobile,omitempty"`
}

const (
	sessionCookie = "zhixing_session"
	csrfHeader    = "X-CSRF-Token"
	sessionTTL    = 12 * time.Hour
)

// auth signs users and parties in and resolves sessions.
type auth struct {
	db      *serverdb.DB
	desk    *Desk
	now     func() time.Time
	cost    int
	limiter *limiter
	secure  bool // set the Secure flag on cookies
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// createUser stores a user with a bcrypt hash of password. An existing ID is
// a conflict.
func (a *auth) createUser(ctx context.Context, u user, password string) error {
	var in InputError
	if strings.TrimSpace(u.ID) == "" {
		in.Add("id", "required", "必填项")
	}
	if u.Role != RoleJudge && u.Role != RoleChief {
		in.Add("role", "unknown_value", "角色须为 judge 或 chief")
	}
	if strings.TrimSpace(u.Name) == "" {
		in.Add("name", "required", "必填项")
	}
	if len(password) < 8 || len(password) > 72 {
		in.Add("password", "bad_length", "密码长度须为8至72个字符")
	}
	if u.Mobile != "" {
		m, err := enforcement.NormaliseMobile(u.Mobile)
		if err != nil {
			in.Add("mobile", "invalid_mobile", "手机号码格式有误")
		}
		u.Mobile = m
	}
	if err := in.Err(); err != nil {
		return err
	}
	cost := a.cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return err
	}
	res, err := a.db.Exec(ctx, `INSERT INTO server_users (id, court, role, name, mobile, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		u.ID, u.Court, string(u.Role), u.Name, u.Mobile, string(hash), a.now().UTC().Format(time.RFC3339))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %s: %w", u.ID, enforcement.ErrConflict)
	}
	if a.desk != nil {
		a.desk.forgetStaff()
	}
	return nil
}

func (a *auth) getUser(ctx context.Context, id string) (user, string, error) {
	var u user
	var role, hash string
	err := a.db.QueryRow(ctx, `SELECT id, court, role, name, mobile, password_hash FROM server_users WHERE id = ?`, id).
		Scan(&u.ID, &u.Court, &role, &u.Name, &u.Mobile, &hash)
	if serverdb.IsNoRows(err) {
		return user{}, "", fmt.Errorf("user %s: %w", id, enforcement.ErrNotFound)
	}
	u.Role = Role(role)
	return u, hash, err
}

func (a *auth) listUsers(ctx context.Context, court string) ([]user, error) {
	rows, err := a.db.Query(ctx, `SELECT id, court, role, name, mobile FROM server_users WHERE court = ? ORDER BY id`, court)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []user{}
	for rows.Next() {
		var u user
		var role string
		if err := rows.Scan(&u.ID, &u.Court, &role, &u.Name, &u.Mobile); err != nil {
			return nil, err
		}
		u.Role = Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

func (a *auth) countUsers(ctx context.Context) (int, error) {
	var n int
	err := a.db.QueryRow(ctx, `SELECT COUNT(*) FROM server_users`).Scan(&n)
	return n, err
}

// session is a new session's tokens.
type session struct {
	Token string    `json:"token"`
	CSRF  string    `json:"csrf_token"`
	User  Principal `json:"principal"`
}

func (a *auth) newSession(ctx context.Context, p Principal) (session, error) {
	tok, csrf := randomToken(), randomToken()
	_, err := a.db.Exec(ctx, `INSERT INTO server_sessions (token_hash, kind, user_id, case_id, party_id, csrf, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hashToken(tok), string(p.Role), p.UserID, p.CaseID, p.PartyID, csrf,
		a.now().Add(sessionTTL).Unix())
	if err != nil {
		return session{}, err
	}
	return session{Token: tok, CSRF: csrf, User: p}, nil
}

// loginUser checks a judge's or chief's password. Failures count against the
// user ID and the remote address.
func (a *auth) loginUser(ctx context.Context, id, password, addr string) (session, error) {
	now := a.now()
	if !a.limiter.allow("user:"+id, now) || !a.limiter.allow("addr:"+addr, now) {
		return session{}, ErrRateLimited
	}
	u, hash, err := a.getUser(ctx, id)
	if errors.Is(err, enforcement.ErrNotFound) {
		// Compare anyway so timing does not tell which IDs exist.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6H0dCbdz0b6HChnaq7/4Eaa"), []byte(password))
		a.limiter.fail("user:"+id, now)
		a.limiter.fail("addr:"+addr, now)
		return session{}, ErrBadCredentials
	}
	if err != nil {
		return session{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		a.limiter.fail("user:"+id, now)
		a.limiter.fail("addr:"+addr, now)
		return session{}, ErrBadCredentials
	}
	a.limiter.reset("user:" + id)
	return a.newSession(ctx, Principal{Role: u.Role, UserID: u.ID, Name: u.Name})
}

// loginParty signs a party in with the case number and the query code
// (查询码) of the filing notice, and optionally their mobile number, which
// identifies which party they are. Failures are limited per case and per
// address.
func (a *auth) loginParty(ctx context.Context, number, code, mobile, addr string) (session, error) {
	now := a.now()
	n, err := enforcement.ParseCaseNumber(number)
	if err != nil {
		return session{}, err
	}
	key := "case:" + n.String()
	if !a.limiter.allow(key, now) || !a.limiter.allow("addr:"+addr, now) {
		return session{}, ErrRateLimited
	}
	c, err := a.desk.CaseByNumber(ctx, n.String())
	if errors.Is(err, enforcement.ErrNotFound) || (err == nil && (c.QueryCode == "" ||
		subtle.ConstantTimeCompare([]byte(strings.ToUpper(strings.TrimSpace(code))), []byte(strings.ToUpper(c.QueryCode))) != 1)) {
		a.limiter.fail(key, now)
		a.limiter.fail("addr:"+addr, now)
		return session{}, ErrBadCredentials
	}
	if err != nil {
		return session{}, err
	}
	a.limiter.reset(key)
	p := Principal{Role: RoleParty, CaseID: c.ID}
	if mobile != "" {
		m, err := enforcement.NormaliseMobile(mobile)
		if err == nil {
			for _, pt := range c.Parties {
				if pt.Mobile == m {
					p.PartyID, p.Name = pt.ID, pt.Name
				}
			}
		}
	}
	return a.newSession(ctx, p)
}

func (a *auth) logout(ctx context.Context, token string) error {
	_, err := a.db.Exec(ctx, `DELETE FROM server_sessions WHERE token_hash = ?`, hashToken(token))
	return err
}

// resolve returns the Principal of token, or nil if the session is unknown
// or expired.
func (a *auth) resolve(ctx context.Context, token string) (*Principal, error) {
	var p Principal
	var kind string
	var exp int64
	var name, role sql.NullString // the staff user's, read in the same query
	err := a.db.QueryRow(ctx, `SELECT s.kind, s.user_id, s.case_id, s.party_id, s.csrf, s.expires_at, u.name, u.role
		FROM server_sessions s LEFT JOIN server_users u ON u.id = s.user_id AND s.kind <> ?
		WHERE s.token_hash = ?`, string(RoleParty), hashToken(token)).
		Scan(&kind, &p.UserID, &p.CaseID, &p.PartyID, &p.csrf, &exp, &name, &role)
	if serverdb.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.now().Unix() > exp {
		_ = a.logout(ctx, token)
		return nil, nil
	}
	p.Role = Role(kind)
	if p.Role != RoleParty {
		if !role.Valid {
			return nil, nil // user removed
		}
		p.Name, p.Role = name.String, Role(role.String)
	}
	return &p, nil
}

// tokenOf returns the session token of r and whether it came as a bearer
// token.
func tokenOf(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), true
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value, false
	}
	return "", false
}

// middleware resolves the session and enforces CSRF on state-changing
// cookie requests.
func (a *auth) middleware(next http.Handler, onErr func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, bearer := tokenOf(r)
		if tok != "" {
			p, err := a.resolve(r.Context(), tok)
			if err != nil {
				onErr(w, r, err)
				return
			}
			if p != nil {
				p.bearer = bearer
				if !bearer && unsafeMethod(r.Method) {
					got := r.Header.Get(csrfHeader)
					if got == "" {
						got = r.FormValue("csrf_token")
					}
					if subtle.ConstantTimeCompare([]byte(got), []byte(p.csrf)) != 1 {
						onErr(w, r, ErrCSRF)
						return
					}
				}
				r = r.WithContext(withPrincipal(r.Context(), p))
			}
		}
		next.ServeHTTP(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func (a *auth) setCookie(w http.ResponseWriter, s session) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: s.Token, Path: "/", HttpOnly: true, Secure: a.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second),
	})
}

// remoteAddr returns the client's IP without port.
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter refuses a key after max failures within window. It is in memory,
// per process, and takes the time as a parameter.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *limiter) prune(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}

// allow reports whether key may try again at now.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) < l.max
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > 100_000 { // bound memory under a spray of keys
		for k := range l.fails {
			l.prune(k, now)
		}
	}
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}
