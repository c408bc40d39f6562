// Package auth signs the example server's users and parties in: passwords,
// sessions (bearer token or cookie), CSRF tokens and failed-attempt limits.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"golang.org/x/crypto/bcrypt"

	"github.com/courtkit/zhixing/enforcement"
)

type ctxKey struct{}

// signedIn is what the middleware puts in a request's context.
type signedIn struct {
	p    *desk.Principal
	csrf string
}

func withPrincipal(ctx context.Context, p *desk.Principal, csrf string) context.Context {
	return context.WithValue(ctx, ctxKey{}, signedIn{p, csrf})
}

// PrincipalOf returns the request's principal, or nil.
func PrincipalOf(ctx context.Context) *desk.Principal {
	s, _ := ctx.Value(ctxKey{}).(signedIn)
	return s.p
}

// CSRF returns the CSRF token of the request's session, or "".
func CSRF(ctx context.Context) string {
	s, _ := ctx.Value(ctxKey{}).(signedIn)
	return s.csrf
}

// The session cookie's name, the header carrying the CSRF token of cookie
// requests, and how long a session lasts.
const (
	SessionCookie = "zhixing_session"
	CSRFHeader    = "X-CSRF-Token"
	sessionTTL    = 12 * time.Hour
)

// Auth signs users and parties in and resolves sessions.
type Auth struct {
	DB   *serverdb.DB
	Desk *desk.Desk
	Now  func() time.Time
	// Limiter counts failed sign-ins.
	Limiter *Limiter
	// Secure sets the Secure flag on cookies.
	Secure bool
}

// Sign-in conditions.
var (
	// ErrBadCredentials: wrong user, password, case number or query code.
	ErrBadCredentials = errors.New("server: wrong credentials")
	// ErrRateLimited: too many failed attempts.
	ErrRateLimited = errors.New("server: too many failed attempts")
	// ErrCSRF: a cookie request that changes state without its CSRF token.
	ErrCSRF = errors.New("server: missing or wrong CSRF token")
)

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

// Session is a new session's tokens.
type Session struct {
	Token string         `json:"token"`
	CSRF  string         `json:"csrf_token"`
	User  desk.Principal `json:"principal"`
}

func (a *Auth) newSession(ctx context.Context, p desk.Principal) (Session, error) {
	tok, csrf := randomToken(), randomToken()
	_, err := a.DB.Exec(ctx, `INSERT INTO server_sessions (token_hash, kind, user_id, case_id, party_id, csrf, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hashToken(tok), string(p.Role), p.UserID, p.CaseID, p.PartyID, csrf,
		a.Now().Add(sessionTTL).Unix())
	if err != nil {
		return Session{}, err
	}
	return Session{Token: tok, CSRF: csrf, User: p}, nil
}

// LoginUser checks a judge's or chief's password. Failures count against the
// user ID and the remote address.
func (a *Auth) LoginUser(ctx context.Context, id, password, addr string) (s Session, err error) {
	defer func() { a.recordSignIn(ctx, s, id, addr, err) }()
	now := a.Now()
	if !a.Limiter.allow("user:"+id, now) || !a.Limiter.allow("addr:"+addr, now) {
		return Session{}, ErrRateLimited
	}
	u, hash, err := a.Desk.GetUser(ctx, id)
	if errors.Is(err, enforcement.ErrNotFound) {
		// Compare anyway so timing does not tell which IDs exist.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6H0dCbdz0b6HChnaq7/4Eaa"), []byte(password))
		a.Limiter.fail("user:"+id, now)
		a.Limiter.fail("addr:"+addr, now)
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		a.Limiter.fail("user:"+id, now)
		a.Limiter.fail("addr:"+addr, now)
		return Session{}, ErrBadCredentials
	}
	a.Limiter.reset("user:" + id)
	return a.newSession(ctx, desk.Principal{Role: u.Role, UserID: u.ID, Name: u.Name})
}

// LoginParty signs a party in with the case number and the query code
// (查询码) of the filing notice, and optionally their mobile number, which
// identifies which party they are. Failures are limited per case and per
// address.
func (a *Auth) LoginParty(ctx context.Context, number, code, mobile, addr string) (s Session, err error) {
	defer func() { a.recordSignIn(ctx, s, "case:"+number, addr, err) }()
	now := a.Now()
	n, err := enforcement.ParseCaseNumber(number)
	if err != nil {
		return Session{}, err
	}
	key := "case:" + n.String()
	if !a.Limiter.allow(key, now) || !a.Limiter.allow("addr:"+addr, now) {
		return Session{}, ErrRateLimited
	}
	c, err := a.Desk.CaseByNumber(ctx, n.String())
	if errors.Is(err, enforcement.ErrNotFound) || (err == nil && (c.QueryCode == "" ||
		subtle.ConstantTimeCompare([]byte(strings.ToUpper(strings.TrimSpace(code))), []byte(strings.ToUpper(c.QueryCode))) != 1)) {
		a.Limiter.fail(key, now)
		a.Limiter.fail("addr:"+addr, now)
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	a.Limiter.reset(key)
	p := desk.Principal{Role: desk.RoleParty, CaseID: c.ID}
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

// recordSignIn puts the outcome of a sign-in on the audit log: the session's
// principal when err is nil, else who was claimed (id) and why it failed.
func (a *Auth) recordSignIn(ctx context.Context, s Session, id, addr string, err error) {
	if err == nil {
		p := s.User
		a.Desk.RecordSignIn(ctx, &p, id, addr, true, "")
		return
	}
	detail := "error"
	switch {
	case errors.Is(err, ErrBadCredentials):
		detail = "bad_credentials"
	case errors.Is(err, ErrRateLimited):
		detail = "rate_limited"
	case errors.Is(err, enforcement.ErrInvalid):
		detail = "invalid_input"
	}
	a.Desk.RecordSignIn(ctx, nil, id, addr, false, detail)
}

// Logout ends the session of token.
func (a *Auth) Logout(ctx context.Context, token string) error {
	_, err := a.DB.Exec(ctx, `DELETE FROM server_sessions WHERE token_hash = ?`, hashToken(token))
	return err
}

// resolve returns the desk.Principal of token, or nil if the Session is unknown
// or expired.
func (a *Auth) resolve(ctx context.Context, token string) (*desk.Principal, string, error) {
	var p desk.Principal
	var csrf string
	var kind string
	var exp int64
	var name, role sql.NullString // the staff user's, read in the same query
	err := a.DB.QueryRow(ctx, `SELECT s.kind, s.user_id, s.case_id, s.party_id, s.csrf, s.expires_at, u.name, u.role
		FROM server_sessions s LEFT JOIN server_users u ON u.id = s.user_id AND s.kind <> ?
		WHERE s.token_hash = ?`, string(desk.RoleParty), hashToken(token)).
		Scan(&kind, &p.UserID, &p.CaseID, &p.PartyID, &csrf, &exp, &name, &role)
	if serverdb.IsNoRows(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if a.Now().Unix() > exp {
		_ = a.Logout(ctx, token)
		return nil, "", nil
	}
	p.Role = desk.Role(kind)
	if p.Role != desk.RoleParty {
		if !role.Valid {
			return nil, "", nil // user removed
		}
		p.Name, p.Role = name.String, desk.Role(role.String)
	}
	return &p, csrf, nil
}

// TokenOf returns the Session token of r and whether it came as a bearer
// token.
func TokenOf(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), true
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value, false
	}
	return "", false
}

// Middleware resolves the session of each request (PrincipalOf finds its
// principal) and enforces CSRF on state-changing cookie requests; onErr
// answers a request refused.
//
// Middleware resolves the Session and enforces CSRF on state-changing
// cookie requests.
func (a *Auth) Middleware(next http.Handler, onErr func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, bearer := TokenOf(r)
		if tok != "" {
			p, csrf, err := a.resolve(r.Context(), tok)
			if err != nil {
				onErr(w, r, err)
				return
			}
			if p != nil {
				if !bearer && unsafeMethod(r.Method) {
					got := r.Header.Get(CSRFHeader)
					if got == "" {
						got = r.FormValue("csrf_token")
					}
					if subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
						onErr(w, r, ErrCSRF)
						return
					}
				}
				p.Addr = RemoteAddr(r)
				r = r.WithContext(withPrincipal(r.Context(), p, csrf))
			}
		}
		next.ServeHTTP(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// SetCookie sets the session cookie of s.
func (a *Auth) SetCookie(w http.ResponseWriter, s Session) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: s.Token, Path: "/", HttpOnly: true, Secure: a.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second),
	})
}

// RemoteAddr returns the client's IP without port.
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Limiter refuses a key after max failures within window. It is in memory,
// per process, and takes the time as a parameter.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

// NewLimiter returns a limiter of max failures per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *Limiter) prune(key string, now time.Time) []time.Time {
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
func (l *Limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) < l.max
}

func (l *Limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > 100_000 { // bound memory under a spray of keys
		for k := range l.fails {
			l.prune(k, now)
		}
	}
}

func (l *Limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// ClearCookie removes the session cookie.
func ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
