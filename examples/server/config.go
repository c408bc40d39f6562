package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// config is the server's configuration. Tests build one with defaultConfig
// and override fields; run builds it from flags and the environment.
type config struct {
	Addr      string
	DB        string // SQLite path, or a postgres:// DSN
	SMS       string // console, webhook, aliyun
	CourtName string
	CourtCode string
	Signature string
	Contact   string
	// Phone is the enforcement division's number that SMS texts give
	// parties to call (联系电话).
	Phone     string
	QuerySite string
	Demo      bool

	RemindEvery time.Duration
	// ViewCache is how many computed views (judges' reminders, the chief's
	// agenda and report) are kept; each is checked against the court's
	// revision on every read, so none is served after a change. 0 turns
	// the cache off.
	ViewCache int
	// DueListed is how many flagged due items the chief's report lists,
	// the most urgent first; its counts cover them all, and the due index
	// (GET /api/v1/due) lists the rest. 0 lists them all.
	DueListed int
	// Overrides bounds a judge's override of a computed due date; zero
	// fields mean enforcement's defaults (one year, six letters of reason).
	Overrides    enforcement.OverridePolicy
	DispatchPoll time.Duration
	LogLevel     slog.Level

	WebhookURL      string
	WebhookSecret   string
	AliyunKeyID     string
	AliyunKeySecret string
	AliyunSignName  string
	AliyunTemplates string // JSON: zhixing key → {"Code": …, "Params": {…}}
	// ChiefPassword creates the chief's account ("chief") on first start
	// outside demo mode.
	ChiefPassword string

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sender overrides the SMS sender built from SMS (tests).
	Sender notify.Sender
	Logger *slog.Logger
	Stdout io.Writer
	// BcryptCost is the bcrypt cost of password hashes; 0 means the default.
	BcryptCost int
}

func defaultConfig() config {
	return config{
		Addr:         "127.0.0.1:8080",
		DB:           "./zhixing.db",
		SMS:          "console",
		CourtName:    "上海市第一中级人民法院",
		CourtCode:    "沪01",
		Signature:    "【上海一中院】",
		Contact:      "诉讼服务热线12368",
		Phone:        "12368",
		QuerySite:    "zxgk.court.gov.cn",
		RemindEvery:  time.Hour,
		DispatchPoll: 5 * time.Second,
		ViewCache:    256,
		DueListed:    500,
	}
}

func (c config) validate() error {
	var errs []error
	if c.CourtCode == "" {
		errs = append(errs, errors.New("-court-code is required"))
	}
	switch c.SMS {
	case "console":
	case "webhook":
		if c.WebhookURL == "" || c.WebhookSecret == "" {
			errs = append(errs, errors.New("-sms webhook needs ZHIXING_SMS_WEBHOOK_URL and ZHIXING_SMS_WEBHOOK_SECRET"))
		}
	case "aliyun":
		if c.AliyunKeyID == "" || c.AliyunKeySecret == "" || c.AliyunSignName == "" || c.AliyunTemplates == "" {
			errs = append(errs, errors.New("-sms aliyun needs ZHIXING_ALIYUN_ACCESS_KEY_ID, ZHIXING_ALIYUN_ACCESS_KEY_SECRET, ZHIXING_ALIYUN_SIGN_NAME and ZHIXING_ALIYUN_TEMPLATES"))
		}
	default:
		errs = append(errs, fmt.Errorf("-sms %q: want console, webhook or aliyun", c.SMS))
	}
	if c.Overrides.MaxLaterMonths < 0 || c.Overrides.MinReason < 0 {
		errs = append(errs, errors.New("-override-max-months and -override-min-reason must not be negative"))
	}
	if c.RemindEvery < 0 || c.DispatchPoll < 0 || c.ViewCache < 0 || c.DueListed < 0 {
		errs = append(errs, errors.New("intervals, -view-cache and -due-listed must not be negative"))
	}
	return errors.Join(errs...)
}

// driver returns the database/sql driver and DSN for c.DB.
func (c config) driver() (driver, dsn string) {
	if strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://") {
		return "pgx", c.DB
	}
	return "sqlite", c.DB
}

// sender builds the SMS sender c names.
func (c config) sender(log *slog.Logger) (notify.Sender, error) {
	if c.Sender != nil {
		return c.Sender, nil
	}
	switch c.SMS {
	case "webhook":
		return &sms.Webhook{URL: c.WebhookURL, Secret: []byte(c.WebhookSecret)}, nil
	case "aliyun":
		var tpl map[string]sms.AliyunTemplate
		if err := json.Unmarshal([]byte(c.AliyunTemplates), &tpl); err != nil {
			return nil, fmt.Errorf("ZHIXING_ALIYUN_TEMPLATES: %w", err)
		}
		return &sms.Aliyun{AccessKeyID: c.AliyunKeyID, AccessKeySecret: c.AliyunKeySecret, SignName: c.AliyunSignName, Templates: tpl}, nil
	}
	return &sms.Console{Logger: log.With("component", "sms-console")}, nil
}

var (
	mobileRE = regexp.MustCompile(`1[3-9]\d{9}`)
)

// maskAttr masks personal data in log records: attributes named like a
// mobile number, a name or a query code, and any mobile or ID number inside
// string values.
func maskAttr(groups []string, a slog.Attr) slog.Attr {
	switch strings.ToLower(a.Key) {
	case "mobile", "to", "from", "phone":
		return slog.String(a.Key, sms.MaskMobile(a.Value.String()))
	case "password", "query_code", "token", "csrf", "secret", "body", "text":
		if a.Key == "body" || a.Key == "text" {
			return slog.String(a.Key, maskText(a.Value.String()))
		}
		return slog.String(a.Key, "***")
	case "name", "party_name":
		return slog.String(a.Key, notify.MaskName(a.Value.String()))
	}
	if a.Value.Kind() == slog.KindString {
		return slog.String(a.Key, maskText(a.Value.String()))
	}
	if a.Value.Kind() == slog.KindAny {
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, maskText(err.Error()))
		}
	}
	return a
}

// maskText masks ID numbers and mobile numbers inside free text.
func maskText(s string) string {
	s = sms.MaskIDNumbers(s)
	return mobileRE.ReplaceAllStringFunc(s, sms.MaskMobile)
}
