// Command server is the reference enforcement desk (执行工作台): an HTTP
// server over zhixing for a court's enforcement bureau, on SQLite by default
// or PostgreSQL.
//
//	go run ./examples/server -demo
//
// starts a desk on ./zhixing.db with a demo court (judges, a chief and cases
// in many states) and prints the demo accounts. The JSON API is under
// /api/v1 and described by /api/v1/openapi.json.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zhixing server:", err)
		os.Exit(1)
	}
}

// run parses args, starts the server and blocks until ctx is cancelled, then
// shuts down: the listener stops accepting, requests in flight finish, the
// background jobs stop and the database is closed.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseConfig(args, os.Getenv)
	if err != nil {
		return err
	}
	cfg.Logger = newLogger(stdout, cfg.LogLevel)
	cfg.Stdout = stdout

	handler, app, err := newServer(ctx, cfg)
	if err != nil {
		return err
	}
	defer app.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := app.Start(jobsCtx)
	cfg.Logger.Info("enforcement desk listening", "addr", "http://"+ln.Addr().String(), "court", cfg.CourtCode, "db", app.dbKind)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopJobs()
		<-jobsDone
		return err
	case <-ctx.Done():
	}
	cfg.Logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	stopJobs()
	<-jobsDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	cfg.Logger.Info("stopped")
	return err
}

// newLogger returns a JSON logger whose records have personal data masked
// (see maskAttr).
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: maskAttr}))
}

// configFromFlags is parseConfig's flag set; split out for the usage text.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	cfg := defaultConfig()
	var err error
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.Addr, "addr", env("ZHIXING_ADDR", cfg.Addr), "listen address (env ZHIXING_ADDR)")
	fs.StringVar(&cfg.DB, "db", env("ZHIXING_DB", cfg.DB), "SQLite file path, or a postgres:// DSN (env ZHIXING_DB)")
	fs.StringVar(&cfg.SMS, "sms", env("ZHIXING_SMS", cfg.SMS), "SMS sender: console, webhook or aliyun (env ZHIXING_SMS)")
	fs.StringVar(&cfg.CourtName, "court-name", env("ZHIXING_COURT_NAME", cfg.CourtName), "court name")
	fs.StringVar(&cfg.CourtCode, "court-code", env("ZHIXING_COURT_CODE", cfg.CourtCode), "court code (法院代字)")
	fs.StringVar(&cfg.Signature, "signature", env("ZHIXING_SIGNATURE", cfg.Signature), "SMS signature, brackets included")
	fs.StringVar(&cfg.Contact, "contact", env("ZHIXING_CONTACT", cfg.Contact), "contact line in SMS texts")
	fs.StringVar(&cfg.Phone, "phone", env("ZHIXING_PHONE", cfg.Phone), "the enforcement division's number parties call, in SMS texts (联系电话)")
	fs.StringVar(&cfg.QuerySite, "query-site", env("ZHIXING_QUERY_SITE", cfg.QuerySite), "where parties look up their case")
	fs.BoolVar(&cfg.Demo, "demo", getenv("ZHIXING_DEMO") == "1", "seed a demo court with judges, a chief and cases (env ZHIXING_DEMO=1)")
	fs.DurationVar(&cfg.RemindEvery, "remind-every", cfg.RemindEvery, "how often the digest job looks whether the judges' daily digests are due (0: off)")
	digestAt := fs.String("digest-at", env("ZHIXING_DIGEST_AT", "08:30"), "when judges get their daily digest of due items, China time, on working days (env ZHIXING_DIGEST_AT)")
	fs.IntVar(&cfg.ViewCache, "view-cache", cfg.ViewCache, "how many computed reminders and supervision views are kept, checked against the database on every read (0: off)")
	fs.IntVar(&cfg.Overrides.MaxLaterMonths, "override-max-months", 0, "how many months after the computed date a judge's override may lie (0: 12)")
	fs.IntVar(&cfg.Overrides.MinReason, "override-min-reason", 0, "the fewest letters or digits an override's reason must have (0: 6)")
	fs.IntVar(&cfg.DueListed, "due-listed", cfg.DueListed, "how many flagged due items the chief's report lists, the most urgent first (all are counted; 0: list all)")
	fs.DurationVar(&cfg.DispatchPoll, "dispatch-poll", cfg.DispatchPoll, "how often the SMS dispatcher polls the outbox")
	fs.StringVar(&cfg.Divisions, "divisions", env("ZHIXING_DIVISIONS", ""), `the bureau's divisions and their heads (庭长), told with the chief of their judges' coordinated field trips, as JSON: [{"name":"执行一庭","head":"user-id","judges":["user-id"]}] (env ZHIXING_DIVISIONS)`)
	fs.StringVar(&cfg.Districts, "districts", env("ZHIXING_DISTRICTS", ""), `the districts field trips go to, with the coordinates of each district's seat, as JSON: [{"code":"310115","name":"浦东新区","lat":31.2215,"lng":121.5447,"home":true}] (env ZHIXING_DISTRICTS; default: Shanghai's 16 districts and four neighbouring ones)`)
	fs.StringVar(&cfg.Courts, "courts", env("ZHIXING_COURTS", ""), `the deployment's courts, as a JSON array or the path of a JSON file: [{"code":"沪01","name":"上海市第一中级人民法院","signature":"【上海一中院】","area":["310104"]},{"code":"沪高","name":"上海市高级人民法院","high":true}] (env ZHIXING_COURTS; default: one court from -court-code, -court-name, -signature, -contact, -phone, -divisions, -districts)`)
	fs.StringVar(&cfg.TrustedProxy, "trusted-proxy", env("ZHIXING_TRUSTED_PROXY", ""), "reverse proxies whose X-Forwarded-For is believed, CIDRs or addresses, comma separated (env ZHIXING_TRUSTED_PROXY)")
	fs.BoolVar(&cfg.CookieSecure, "cookie-secure", getenv("ZHIXING_COOKIE_SECURE") == "1", "set the Secure flag on cookies even over plain HTTP, e.g. behind a TLS proxy (env ZHIXING_COOKIE_SECURE=1); automatic for HTTPS requests")
	logLevel := fs.String("log-level", env("ZHIXING_LOG_LEVEL", "info"), "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		return config{}, fmt.Errorf("%w\n%s", err, b.String())
	}
	if cfg.Digest, err = parseClock(*digestAt); err != nil {
		return config{}, fmt.Errorf("-digest-at %w", err)
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return config{}, fmt.Errorf("-log-level: %w", err)
	}
	cfg.WebhookSecret = getenv("ZHIXING_SMS_WEBHOOK_SECRET")
	cfg.WebhookURL = getenv("ZHIXING_SMS_WEBHOOK_URL")
	cfg.AliyunKeyID = getenv("ZHIXING_ALIYUN_ACCESS_KEY_ID")
	cfg.AliyunKeySecret = getenv("ZHIXING_ALIYUN_ACCESS_KEY_SECRET")
	cfg.AliyunSignName = getenv("ZHIXING_ALIYUN_SIGN_NAME")
	cfg.AliyunTemplates = getenv("ZHIXING_ALIYUN_TEMPLATES")
	cfg.AliyunPushToken = getenv("ZHIXING_ALIYUN_PUSH_TOKEN")
	cfg.ChiefPassword = getenv("ZHIXING_CHIEF_PASSWORD")
	cfg.QueryCodeKey = getenv("ZHIXING_QUERY_CODE_KEY")
	return cfg, cfg.validate()
}
