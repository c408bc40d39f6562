package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

//go:embed openapi.json
var openAPI []byte

// app is a running desk: its store, service layer and background jobs.
type app struct {
	cfg        config
	log        *slog.Logger
	store      *sqlstore.Store
	db         *serverdb.DB
	desk       *desk.Desk
	auth       *auth.Auth
	dispatcher *notify.Dispatcher
	webhook    *sms.Webhook
	aliyunPush *sms.AliyunPush
	relays     []*notify.Relay // one per court that takes cases
	dbKind     string
	// demo holds the demo accounts when seeded.
	demo []pages.DemoAccount
}

// Close closes the database.
func (a *app) Close() error { return a.store.Close() }

// newServer opens the database, prepares the desk (seeding the demo court
// with cfg.Demo) and returns its HTTP handler. The caller starts the
// background jobs with app.Start and closes the app when done.
func newServer(ctx context.Context, cfg config) (http.Handler, *app, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	driver, dsn := cfg.driver()
	st, err := sqlstore.Open(ctx, driver, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	st.Now = cfg.Now
	a := &app{cfg: cfg, log: log, store: st, dbKind: st.Dialect().String()}
	fail := func(err error) (http.Handler, *app, error) {
		st.Close()
		return nil, nil, err
	}
	if a.db, err = serverdb.Open(ctx, st); err != nil {
		return fail(err)
	}
	d := &desk.Desk{
		Store: st, Outbox: st.Outbox(), Plans: st.Plans(), DB: a.db, Audit: st.Audit(),
		Rules:    enforcement.DefaultRules(),
		Settings: enforcement.Settings{AllowProvisional: true, Overrides: cfg.Overrides},
		Now:      cfg.Now, Log: log, BcryptCost: cfg.BcryptCost,
		Views:     desk.NewViewCache(cfg.ViewCache),
		DueListed: cfg.DueListed,
	}
	if err := d.LoadQueryCodeKey(ctx, cfg.QueryCodeKey); err != nil {
		return fail(err)
	}
	courts, err := cfg.courts()
	if err != nil {
		return fail(err)
	}
	for i := range courts {
		if courts[i].High {
			continue // no cases, no messages
		}
		if courts[i].Drafter, err = d.NewCourtDrafter(courts[i], cfg.QuerySite); err != nil {
			return fail(err)
		}
	}
	if err := d.SetCourts(courts); err != nil {
		return fail(fmt.Errorf("courts: %w", err))
	}
	// Messages are drafted in the transaction of the case change that causes
	// them (transactional outbox). A message that cannot be drafted must not
	// refuse the judge's change: it is logged, and the relay job, which
	// drafts again from the event log, is the backstop.
	st.Draft = func(c *enforcement.Case, evs []enforcement.Event) ([]notify.Message, error) {
		dr := d.Drafter(c.Court)
		if dr == nil {
			return nil, nil
		}
		msgs, err := dr.Draft(c, evs, cfg.Now())
		if err != nil {
			log.Warn("draft failed", "case", c.ID, "err", err)
			return nil, nil
		}
		return msgs, nil
	}
	if err := d.RestoreCalendar(ctx); err != nil {
		return fail(err)
	}
	a.desk = d
	proxies, err := auth.ParseProxies(cfg.TrustedProxy)
	if err != nil {
		return fail(err)
	}
	a.auth = &auth.Auth{DB: a.db, Desk: d, Now: cfg.Now, Limiter: auth.NewLimiter(5, 15*time.Minute, auth.DefaultLimiterSize),
		Secure: cfg.CookieSecure, Proxies: proxies}

	sender, err := cfg.sender(log)
	if err != nil {
		return fail(err)
	}
	a.dispatcher = &notify.Dispatcher{
		// d.Outbox is the store's outbox itself, so the dispatcher finds
		// its lease renewal (notify.LeaseRenewer) and renews the lease
		// before each send.
		Outbox: d.Outbox, Sender: sender, Now: cfg.Now, PollInterval: cfg.DispatchPoll,
		Check: a.recheck,
		OnEvent: func(e notify.DispatchEvent) {
			if e.Kind == notify.DispatchFailed || e.Kind == notify.DispatchError {
				log.Warn("sms dispatch", "kind", string(e.Kind), "message", e.MessageID, "err", e.Err)
			} else {
				log.Debug("sms dispatch", "kind", string(e.Kind), "message", e.MessageID)
			}
		},
	}
	if err := a.newRelay(ctx); err != nil {
		return fail(err)
	}
	if cfg.WebhookSecret != "" {
		a.webhook = &sms.Webhook{Secret: []byte(cfg.WebhookSecret), Now: cfg.Now, OnReceipt: d.OnReceipt, OnReply: d.OnReply}
	}

	if cfg.Demo && cfg.SMS == "console" && cfg.Sender == nil && cfg.Stdout != nil {
		// The console sender's log masks the code; the demo shows it on
		// the terminal as the party's phone would.
		d.DemoOTP = func(c *enforcement.Case, p enforcement.Party, code string) {
			fmt.Fprintf(cfg.Stdout, "演示：%s %s 的短信验证码 %s\n", c.Number, p.Role.Chinese(), code)
		}
	}
	if cfg.SMS == "aliyun" && cfg.AliyunPushToken != "" {
		a.aliyunPush = &sms.AliyunPush{Token: cfg.AliyunPushToken, Now: cfg.Now, OnReceipt: d.OnReceipt, OnReply: d.OnReply,
			OnRejected: func(ctx context.Context, err error) { log.Warn("aliyun push item rejected", "err", err) }}
	}

	if cfg.Demo {
		if err := a.seedDemo(ctx); err != nil {
			return fail(fmt.Errorf("demo: %w", err))
		}
	} else if cfg.ChiefPassword != "" {
		if n, err := a.desk.CountUsers(ctx); err == nil && n == 0 {
			// The default court's chief is "chief"; each other court that
			// takes cases gets "chief-" and its code.
			for _, court := range d.CaseCourts() {
				id := "chief"
				if court != d.DefaultCourt() {
					id = "chief-" + court
				}
				if err := a.desk.CreateUser(ctx, desk.User{ID: id, Court: court, Role: desk.RoleChief, Name: "执行局长"}, cfg.ChiefPassword); err != nil {
					return fail(fmt.Errorf("create chief of %s: %w", court, err))
				}
				log.Info("created the chief's account", "user", id, "court", court)
			}
		}
	}
	return a.routes(), a, nil
}

// routes builds the handler. Every API route goes through the session
// middleware; handlers check roles through the desk.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	api.New(a.desk, a.auth, a.log).Register(mux)
	if a.webhook != nil {
		mux.Handle("POST /api/v1/sms/receipts", a.webhook.ReceiptHandler())
		mux.Handle("POST /api/v1/sms/replies", a.webhook.ReplyHandler())
	}
	if a.aliyunPush != nil {
		// Alibaba Cloud's own push formats, to the same receipt and reply
		// paths as the webhook; the token in the URL authenticates them.
		mux.Handle("POST "+aliyunPushPrefix+"{token}/report", a.aliyunPush.ReportHandler())
		mux.Handle("POST "+aliyunPushPrefix+"{token}/up", a.aliyunPush.UpHandler())
	}
	pages.Register(mux, a.desk, a.auth, a.log, a.demo)
	mux.HandleFunc("GET "+feedPrefix, a.feedByToken)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		respond.Error(w, r, a.log, desk.NotFound("route", r.URL.Path))
	})
	return securityHeaders(a.auth.ClientInfo(a.logRequests(limitForms(a.auth.Middleware(a.withCalendar(mux), func(w http.ResponseWriter, r *http.Request, err error) {
		respond.Error(w, r, a.log, err)
	})))))
}

// ContentSecurityPolicy is sent with every response. The pages use no
// script and no inline style: only the server's own style sheet loads.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries, and a
// Retry-After on every 429 that lacks one.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(&retryAfterWriter{ResponseWriter: w}, r)
	})
}

type retryAfterWriter struct{ http.ResponseWriter }

func (rw *retryAfterWriter) WriteHeader(code int) {
	if code == http.StatusTooManyRequests && rw.Header().Get("Retry-After") == "" {
		rw.Header().Set("Retry-After", "1")
	}
	rw.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (rw *retryAfterWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// MaxFormBody is the largest page form accepted, like the JSON API's
// largest body.
const MaxFormBody = 1 << 20

// limitForms caps the body of page form posts (everything outside /api/)
// at MaxFormBody and reads the form, so that the CSRF check reads no more;
// a larger one is refused with a message.
func limitForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
		if err := r.ParseForm(); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Header().Set("Connection", "close")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprintln(w, "提交的内容过大（上限 1 MB），请删减后重新提交。")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withCalendar reads the court's revision as each request comes in and
// brings the calendar up to date with it (desk.SyncCalendar), so that a
// calendar change made through any instance applies to every request that
// follows it. The revision goes in the request's context, where stamp
// finds it. The health check and the style sheet skip it.
func (a *app) withCalendar(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		court := a.desk.CourtFor(auth.PrincipalOf(r.Context()))
		rev, err := a.desk.SyncCalendar(r.Context(), court)
		if err != nil {
			respond.Error(w, r, a.log, fmt.Errorf("read the court's revision: %w", err))
			return
		}
		next.ServeHTTP(w, r.WithContext(desk.WithRevision(r.Context(), court, rev)))
	})
}

func (a *app) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.store.DB().PingContext(ctx); err != nil {
		respond.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	first, last := a.desk.Calendar().Coverage()
	respond.JSON(w, http.StatusOK, map[string]any{"status": "ok", "db": a.dbKind, "court": a.desk.DefaultCourt(),
		"calendar": map[string]string{"first": first.String(), "last": last.String()}})
}

// aliyunPushPrefix is where Alibaba Cloud's pushes arrive; the next path
// segment is the secret token.
const aliyunPushPrefix = "/api/v1/sms/aliyun/"

// logPath is path as the access log shows it: the token of a push URL and
// of a calendar feed URL is masked.
func logPath(path string) string {
	path = respond.LogPath(path)
	rest, ok := strings.CutPrefix(path, aliyunPushPrefix)
	if !ok {
		return path
	}
	_, tail, _ := strings.Cut(rest, "/")
	return aliyunPushPrefix + "***/" + tail
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// logRequests logs each request's method, path, status and duration (no
// bodies, no query strings: they may carry personal data) and turns a panic
// into a 500.
func (a *app) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("panic", "path", logPath(r.URL.Path), "panic", fmt.Sprint(v))
				respond.Error(sw, r, a.log, errors.New("internal error"))
			}
			a.log.Info("http", "method", r.Method, "path", logPath(r.URL.Path), "status", sw.status, "addr", auth.RemoteAddr(r), "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}
