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
	"fmt"
	"net/http"
	"strings"
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
	// Secure sets the Secure flag on cookies; without it the flag is set
	// on requests that came over HTTPS (directly, or through a trusted
	// proxy that says so).
	Secure bool
	// Proxies are the reverse proxies trusted to forward the client's
	// address (see RemoteAddr).
	Proxies Proxies
	// ComparePassword checks a password against its hash; nil means
	// bcrypt.CompareHashAndPassword.
	ComparePassword func(hash, password []byte) error
	// Sleep waits d or until ctx is done (the back-off before checking a
	// sign-in to an account under attack); nil waits in real time.
	Sleep func(ctx context.Context, d time.Duration) error
}

// MaxCredential is the largest credential field accepted, in bytes
// (user ID, password, case number, query code, mobile number); longer
// ones are refused before any other work.
const MaxCredential = 128

// checkSizes refuses credential fields longer than MaxCredential.
func checkSizes(fields ...string) error {
	var ie desk.InputError
	for i := 0; i+1 < len(fields); i += 2 {
		if len(fields[i+1]) > MaxCredential {
			ie.Add(fields[i], "too_long", fmt.Sprintf("不能超过%d个字节", MaxCredential))
		}
	}
	return ie.Err()
}

func (a *Auth) compare(hash, password []byte) error {
	if a.ComparePassword != nil {
		return a.ComparePassword(hash, password)
	}
	return bcrypt.CompareHashAndPassword(hash, password)
}

func (a *Auth) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if a.Sleep != nil {
		return a.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// begin reserves a sign-in attempt on account from addr and waits out the
// account's back-off.
func (a *Auth) begin(ctx context.Context, account, addr string) (*attempt, error) {
	at, err := a.Limiter.reserve(a.Now(), account, "addr:"+addr, account+"|addr:"+addr)
	if err != nil {
		return nil, err
	}
	if err := a.wait(ctx, at.Delay); err != nil {
		at.done(a.Now(), false)
		return nil, err
	}
	return at, nil
}

// Sign-in conditions.
var (
	// ErrBadCredentials: wrong user, password, case number or query code.
	ErrBadCredentials = errors.New("server: wrong credentials")
	// ErrRateLimited: too many failed attempts; the error is a
	// *RateLimitError saying when to try again.
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
	_, err := a.DB.Exec(ctx, `INSERT INTO server_sessions (token_hash, kind, user_id, case_id, party_id, csrf, expires_at, court)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hashToken(tok), string(p.Role), p.UserID, p.CaseID, p.PartyID, csrf,
		a.Now().Add(sessionTTL).Unix(), p.Court)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: tok, CSRF: csrf, User: p}, nil
}

// LoginUser checks a judge's or chief's password. Each attempt is reserved
// before the password is checked: at most the limit of failures are
// checked per address and per account from one address, and an account
// that failures from anywhere have reached the limit is checked only after
// a delay (see Limiter).
func (a *Auth) LoginUser(ctx context.Context, id, password, addr string) (s Session, err error) {
	defer func() { a.recordSignIn(ctx, s, id, addr, err) }()
	if err := checkSizes("user_id", id, "password", password); err != nil {
		return Session{}, err
	}
	account := "user:" + id
	at, err := a.begin(ctx, account, addr)
	if err != nil {
		return Session{}, err
	}
	u, hash, err := a.Desk.GetUser(ctx, id)
	if errors.Is(err, enforcement.ErrNotFound) {
		// Compare anyway so timing does not tell which IDs exist.
		_ = a.compare([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6H0dCbdz0b6HChnaq7/4Eaa"), []byte(password))
		at.done(a.Now(), true)
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		at.done(a.Now(), false)
		return Session{}, err
	}
	if a.compare([]byte(hash), []byte(password)) != nil {
		at.done(a.Now(), true)
		return Session{}, ErrBadCredentials
	}
	at.done(a.Now(), false, account, account+"|addr:"+addr)
	return a.newSession(ctx, desk.Principal{Role: u.Role, UserID: u.ID, Name: u.Name, Court: u.Court})
}

// LoginParty signs a party in with the case number and the query code
// (查询码) of its own filing notice, which identifies the party. The
// case-level code of a case filed before per-party codes signs a party in
// without an identity: it may read the case but not act, nor see any
// party's messages. Attempts are limited per case as LoginUser's per
// account.
func (a *Auth) LoginParty(ctx context.Context, number, code, addr string) (s Session, err error) {
	defer func() { a.recordSignIn(ctx, s, "case:"+number, addr, err) }()
	if err := checkSizes("case_number", number, "query_code", code); err != nil {
		return Session{}, err
	}
	n, err := enforcement.ParseCaseNumber(number)
	if err != nil {
		return Session{}, err
	}
	key := "case:" + n.String()
	at, err := a.begin(ctx, key, addr)
	if err != nil {
		return Session{}, err
	}
	c, err := a.Desk.CaseByNumber(ctx, n.String())
	if err != nil && !errors.Is(err, enforcement.ErrNotFound) {
		at.done(a.Now(), false)
		return Session{}, err
	}
	p := desk.Principal{Role: desk.RoleParty}
	ok := false
	if c != nil {
		p.CaseID, p.Court = c.ID, c.Court
		if pt, found := a.Desk.PartyByCode(c, code); found {
			p.PartyID, p.Name, ok = pt.ID, pt.Name, true
		} else {
			ok = desk.MatchesCaseCode(c, code)
		}
	}
	if !ok {
		at.done(a.Now(), true)
		return Session{}, ErrBadCredentials
	}
	at.done(a.Now(), false, key, key+"|addr:"+addr)
	return a.newSession(ctx, p)
}

// SetActing records that the session of p may act for its party until
// until (a one-time code was confirmed).
func (a *Auth) SetActing(ctx context.Context, p *desk.Principal, until time.Time) error {
	_, err := a.DB.Exec(ctx, `UPDATE server_sessions SET acting_until = ? WHERE token_hash = ? AND kind = ?`,
		until.Unix(), p.Session, string(desk.RoleParty))
	return err
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
	var exp, acting int64
	var name, role, court sql.NullString // the staff user's, read in the same query
	err := a.DB.QueryRow(ctx, `SELECT s.kind, s.user_id, s.case_id, s.party_id, s.csrf, s.expires_at, s.acting_until, s.court, u.name, u.role, u.court
		FROM server_sessions s LEFT JOIN server_users u ON u.id = s.user_id AND s.kind <> ?
		WHERE s.token_hash = ?`, string(desk.RoleParty), hashToken(token)).
		Scan(&kind, &p.UserID, &p.CaseID, &p.PartyID, &csrf, &exp, &acting, &p.Court, &name, &role, &court)
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
	p.Session = hashToken(token)
	if acting > 0 {
		p.ActingUntil = time.Unix(acting, 0)
	}
	if p.Role != desk.RoleParty {
		if !role.Valid {
			return nil, "", nil // user removed
		}
		// The user's court as it is now, not as it was at sign-in.
		p.Name, p.Role, p.Court = name.String, desk.Role(role.String), court.String
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
// principal) and enforces CSRF on state-changing cookie requests (the
// token from the X-CSRF-Token header or the form body, never the URL's
// query); onErr answers a request refused.
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
					if !tokenMatches(r, csrf) {
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

// tokenMatches reports whether r carries want as its CSRF token, in the
// X-CSRF-Token header or the form body (never the URL's query).
func tokenMatches(r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue("csrf_token")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// LoginCSRFCookie is the cookie carrying the CSRF token of the sign-in
// forms, before there is a session.
const LoginCSRFCookie = "zhixing_login_csrf"

// LoginCSRF returns the CSRF token for the sign-in forms of r's client,
// setting the cookie that carries it when the client has none.
func (a *Auth) LoginCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(LoginCSRFCookie); err == nil && len(c.Value) == 64 {
		if _, err := hex.DecodeString(c.Value); err == nil {
			return c.Value
		}
	}
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{
		Name: LoginCSRFCookie, Value: tok, Path: "/", HttpOnly: true, Secure: a.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second),
	})
	return tok
}

// CheckLoginCSRF returns ErrCSRF unless the sign-in form posted in r
// carries the token of its LoginCSRF cookie. A request already signed in
// has passed the session's own check.
func (a *Auth) CheckLoginCSRF(r *http.Request) error {
	if PrincipalOf(r.Context()) != nil {
		return nil
	}
	c, err := r.Cookie(LoginCSRFCookie)
	if err != nil || !tokenMatches(r, c.Value) {
		return ErrCSRF
	}
	return nil
}

// SetCookie sets the session cookie of s, Secure when configured or when r
// came over HTTPS.
func (a *Auth) SetCookie(w http.ResponseWriter, r *http.Request, s Session) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: s.Token, Path: "/", HttpOnly: true, Secure: a.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second),
	})
}

// ClearCookie removes the session cookie.
func ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
