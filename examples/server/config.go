package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"

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

	// RemindEvery is how often the digest job looks whether the day's
	// digests are due.
	RemindEvery time.Duration
	// Digest is when judges get their daily digest (-digest-at, China
	// time, on working days).
	Digest notify.DigestSchedule
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
	// AliyunPushToken is the secret in the URLs Alibaba Cloud pushes
	// delivery reports (SmsReport) and replies (SmsUp) to; with -sms
	// aliyun and a token the push endpoints are mounted.
	AliyunPushToken string
	// Divisions is the bureau's divisions with their heads (庭长), as JSON:
	// [{"name":"执行一庭","head":"user-id","judges":["user-id",…]},…]. The
	// heads and the chief are told of their judges' coordinated field
	// trips. Empty in demo mode means the demo's divisions.
	Divisions string
	// Districts is the districts field trips go to, with the coordinates
	// of each district's seat, as JSON: [{"code":"310115","name":"浦东新区",
	// "lat":31.2215,"lng":121.5447,"home":true},…]. Empty means the 16
	// districts of Shanghai and four neighbouring ones (desk.DefaultDistricts).
	Districts string
	// Courts is the deployment's courts (tenants), as a JSON array of
	// desk.Court, or the path of a file holding one (-courts,
	// ZHIXING_COURTS). Empty means one court made of -court-code,
	// -court-name, -signature, -contact, -phone, -divisions and
	// -districts (and, in demo mode, the demo's courts).
	Courts string
	// ChiefPassword creates the chief's account ("chief") on first start
	// outside demo mode.
	ChiefPassword string
	// QueryCodeKey (hex, at least 32 bytes; env ZHIXING_QUERY_CODE_KEY)
	// is the key parties' query codes are derived from. Empty uses a key
	// generated on first start and kept in the database. Changing it voids
	// every party's code.
	QueryCodeKey string

	// TrustedProxy lists the reverse proxies (CIDRs or addresses, comma
	// separated) whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxy string
	// CookieSecure sets the Secure flag on every cookie; without it the
	// flag is set on requests that came over HTTPS.
	CookieSecure bool

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
		RemindEvery:  5 * time.Minute,
		Digest:       notify.DigestSchedule{Hour: 8, Minute: 30},
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
		if c.AliyunPushToken != "" && len(c.AliyunPushToken) < sms.AliyunPushMinToken {
			errs = append(errs, fmt.Errorf("ZHIXING_ALIYUN_PUSH_TOKEN must have at least %d characters", sms.AliyunPushMinToken))
		}
	default:
		errs = append(errs, fmt.Errorf("-sms %q: want console, webhook or aliyun", c.SMS))
	}
	if _, err := c.divisions(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.districts(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.courts(); err != nil {
		errs = append(errs, err)
	}
	if _, err := auth.ParseProxies(c.TrustedProxy); err != nil {
		errs = append(errs, fmt.Errorf("-trusted-proxy: %w", err))
	}
	if c.Overrides.MaxLaterMonths < 0 || c.Overrides.MinReason < 0 {
		errs = append(errs, errors.New("-override-max-months and -override-min-reason must not be negative"))
	}
	if c.RemindEvery < 0 || c.DispatchPoll < 0 || c.ViewCache < 0 || c.DueListed < 0 {
		errs = append(errs, errors.New("intervals, -view-cache and -due-listed must not be negative"))
	}
	return errors.Join(errs...)
}

// divisions parses Divisions; demo mode without them has two divisions:
// 执行一庭 (judge-li, who heads it, and judge-zhang) and 执行二庭
// (judge-chen, who heads it).
func (c config) divisions() ([]desk.Division, error) {
	if strings.TrimSpace(c.Divisions) == "" {
		if c.Demo {
			return []desk.Division{
				{Name: "执行一庭", Head: "judge-li", Judges: []string{"judge-li", "judge-zhang"}},
				{Name: "执行二庭", Head: "judge-chen", Judges: []string{"judge-chen"}},
			}, nil
		}
		return nil, nil
	}
	var ds []desk.Division
	dec := json.NewDecoder(strings.NewReader(c.Divisions))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ds); err != nil {
		return nil, fmt.Errorf("-divisions (ZHIXING_DIVISIONS): %w", err)
	}
	for i, d := range ds {
		if strings.TrimSpace(d.Head) == "" {
			return nil, fmt.Errorf("-divisions (ZHIXING_DIVISIONS): division %d (%s) has no head", i, d.Name)
		}
	}
	return ds, nil
}

// districts parses Districts; empty is nil (the desk's defaults).
func (c config) districts() ([]desk.District, error) {
	if strings.TrimSpace(c.Districts) == "" {
		return nil, nil
	}
	var ds []desk.District
	dec := json.NewDecoder(strings.NewReader(c.Districts))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ds); err != nil {
		return nil, fmt.Errorf("-districts (ZHIXING_DISTRICTS): %w", err)
	}
	if len(ds) == 0 {
		return nil, errors.New("-districts (ZHIXING_DISTRICTS): no district listed")
	}
	if err := desk.ValidateDistricts(ds); err != nil {
		return nil, fmt.Errorf("-districts (ZHIXING_DISTRICTS): %w", err)
	}
	return ds, nil
}

// courts returns the deployment's courts: those of Courts, or the one court
// of the single-court flags (see config.Courts). A court that takes cases
// needs an SMS signature; contact and phone default to the flags'.
func (c config) courts() ([]desk.Court, error) {
	src := strings.TrimSpace(c.Courts)
	if src == "" {
		ds, err := c.divisions()
		if err != nil {
			return nil, err
		}
		dt, err := c.districts()
		if err != nil {
			return nil, err
		}
		one := desk.Court{Code: c.CourtCode, Name: c.CourtName, Signature: c.Signature, Contact: c.Contact, Phone: c.Phone,
			Divisions: ds, Districts: dt}
		if c.Demo {
			return demoCourts(one), nil
		}
		return []desk.Court{one}, nil
	}
	const what = "-courts (ZHIXING_COURTS)"
	body := []byte(src)
	if !strings.HasPrefix(src, "[") {
		b, err := os.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("%s: read %s: %w", what, src, err)
		}
		body = b
	}
	var cs []desk.Court
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cs); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var errs []error
	for i := range cs {
		if cs[i].Contact == "" {
			cs[i].Contact = c.Contact
		}
		if cs[i].Phone == "" {
			cs[i].Phone = c.Phone
		}
		if !cs[i].High && strings.TrimSpace(cs[i].Signature) == "" {
			errs = append(errs, fmt.Errorf("court %d (%s): no SMS signature", i, cs[i].Code))
		}
	}
	if err := desk.ValidateCourts(cs); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return cs, nil
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

// maskAttr masks personal data in log records: attributes named like a
// mobile number, a name, an ID number or a code, and any mobile number, ID
// number, query code or one-time code inside string values.
func maskAttr(groups []string, a slog.Attr) slog.Attr {
	switch strings.ToLower(a.Key) {
	case "mobile", "to", "from", "phone":
		return slog.String(a.Key, sms.MaskMobile(a.Value.String()))
	case "password", "query_code", "otp", "one_time_code", "code", "token", "csrf", "csrf_token", "secret", "body", "text":
		if a.Key == "body" || a.Key == "text" {
			return slog.String(a.Key, maskText(a.Value.String()))
		}
		return slog.String(a.Key, "***")
	case "name", "party_name", "applicant", "respondent", "judge_name":
		return slog.String(a.Key, notify.MaskName(a.Value.String()))
	case "id_number":
		return slog.String(a.Key, sms.MaskMobile(a.Value.String()))
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

// maskText masks ID numbers, query and one-time codes and mobile numbers
// inside free text.
func maskText(s string) string {
	return sms.MaskText(s)
}
