package sms

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/notify"
)

var _ notify.Sender = (*Aliyun)(nil)

// Alibaba Cloud SMS constants.
const (
	// AliyunEndpoint is the default dysmsapi endpoint.
	AliyunEndpoint = "https://dysmsapi.aliyuncs.com"
	// AliyunDefaultMaxLen is the default length limit of one template
	// variable, in characters. Alibaba Cloud lifts it for templates
	// approved with longer variables (help.aliyun.com document 3041859), and stricter
	// variable types (a 4-6 digit captcha) have lower limits, so each
	// template can override it.
	AliyunDefaultMaxLen = 35
	// aliyunMaxOutID: OutId must be shorter than 256 characters.
	aliyunMaxOutID = 255
)

// Errors an [Aliyun] send wraps in its permanent *notify.SendError when a
// message cannot be mapped onto an approved template.
var (
	// ErrTemplateNotMapped: Templates has no approved code for the
	// message's zhixing template.
	ErrTemplateNotMapped = errors.New("sms: no approved provider template for this zhixing template")
	// ErrParamMissing: a provider variable's zhixing variable is not in
	// the message's Params.
	ErrParamMissing = errors.New("sms: template variable missing")
	// ErrParamTooLong: a variable's value is longer than its limit.
	ErrParamTooLong = errors.New("sms: template variable longer than the provider allows")
	// ErrOutIDTooLong: the idempotency key does not fit in OutId.
	ErrOutIDTooLong = errors.New("sms: idempotency key longer than the provider's OutId allows")
)

// ParamError names the provider variable that cannot be sent. It matches
// ErrParamMissing or ErrParamTooLong.
type ParamError struct {
	Template string // the zhixing template key
	Param    string // the provider's variable name
	Var      string // the zhixing variable it maps from
	Len, Max int    // characters given and allowed (zero when missing)
}

// Error names the template, the provider variable and the problem.
func (e *ParamError) Error() string {
	if e.Max == 0 {
		return fmt.Sprintf("sms: template %s: provider variable %s needs zhixing variable %s, which is missing", e.Template, e.Param, e.Var)
	}
	return fmt.Sprintf("sms: template %s: provider variable %s (from %s) has %d characters, more than %d", e.Template, e.Param, e.Var, e.Len, e.Max)
}

// Unwrap returns ErrParamMissing or ErrParamTooLong.
func (e *ParamError) Unwrap() error {
	if e.Max == 0 {
		return ErrParamMissing
	}
	return ErrParamTooLong
}

// AliyunTemplate maps one zhixing template onto a template the court has
// had approved by Alibaba Cloud.
type AliyunTemplate struct {
	// Code is the approved template code, e.g. "SMS_153055065".
	Code string
	// Params maps each provider variable name to the zhixing variable
	// (a key of notify.Outgoing.Params) whose value it takes.
	Params map[string]string
	// MaxLen overrides AliyunDefaultMaxLen for some provider variables.
	MaxLen map[string]int
}

// Aliyun sends messages through Alibaba Cloud SMS (dysmsapi 2017-05-25
// SendSms) with the classic RPC signature, filling an approved template
// from the message's variables rather than sending its rendered body.
//
// Before anything is sent, the template mapping and every variable's
// length are checked; a problem is a permanent error that wraps
// ErrTemplateNotMapped or [ParamError]s. Response codes are classified
// by [AliyunRetryable]; "OK" accepts the message and BizId becomes the
// ProviderID. The idempotency key is sent as OutId so delivery receipts
// can be matched, but Alibaba Cloud does not deduplicate on it.
//
// Set the fields before first use. Aliyun is safe for concurrent use.
type Aliyun struct {
	AccessKeyID     string // required
	AccessKeySecret string // required
	SignName        string // the approved signature (签名), e.g. the court's name; required
	// RegionID is sent as RegionId; "cn-hangzhou" if empty.
	RegionID string
	// Endpoint is the API base URL; AliyunEndpoint if empty.
	Endpoint string
	// Templates maps zhixing template keys to approved templates.
	Templates map[string]AliyunTemplate
	// Client sends the requests; if nil, a client with a ten-second
	// timeout is used. Send also honours its ctx's deadline.
	Client *http.Client
	// Name is reported as Receipt.Gateway; "aliyun" if empty.
	Name string
	// Now is the clock for the Timestamp parameter; time.Now if nil.
	Now func() time.Time
	// Nonce returns the SignatureNonce, unique per request; a random
	// UUID if nil.
	Nonce func() string
}

// aliyunResponse is the JSON body of a SendSms response, success or error.
type aliyunResponse struct {
	Code      string
	Message   string
	BizId     string
	RequestId string
}

// Send maps o onto its approved template and calls SendSms.
func (a *Aliyun) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	if a.AccessKeyID == "" || a.AccessKeySecret == "" || a.SignName == "" {
		return notify.Receipt{}, &notify.SendError{Code: "config", Reason: "Aliyun needs AccessKeyID, AccessKeySecret and SignName"}
	}
	tmpl, param, err := a.templateParam(o)
	if err != nil {
		return notify.Receipt{}, &notify.SendError{Code: "zhixing.TEMPLATE_MAPPING", Reason: "cannot fill the approved template", Err: err}
	}
	params := map[string]string{
		"AccessKeyId":      a.AccessKeyID,
		"Action":           "SendSms",
		"Format":           "JSON",
		"RegionId":         cmp.Or(a.RegionID, "cn-hangzhou"),
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   a.nonce(),
		"SignatureVersion": "1.0",
		"Timestamp":        a.now().UTC().Format("2006-01-02T15:04:05Z"),
		"Version":          "2017-05-25",
		"PhoneNumbers":     o.To,
		"SignName":         a.SignName,
		"TemplateCode":     tmpl.Code,
		"TemplateParam":    param,
		"OutId":            o.IdempotencyKey,
	}
	query := aliyunCanonicalQuery(params) + "&Signature=" +
		aliyunPercentEncode(AliyunSignature(http.MethodGet, params, a.AccessKeySecret))
	endpoint := strings.TrimRight(cmp.Or(a.Endpoint, AliyunEndpoint), "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/?"+query, nil)
	if err != nil {
		return notify.Receipt{}, &notify.SendError{Code: "config", Reason: "bad Aliyun endpoint", Err: err}
	}
	resp, err := defaultClient(a.Client).Do(req)
	if err != nil {
		return notify.Receipt{}, transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, rerr := readBody(resp.Body)
	var r aliyunResponse
	if rerr != nil || json.Unmarshal(body, &r) != nil || r.Code == "" {
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			// Accepted or not, we cannot tell: retrying may send twice,
			// but giving up may send nothing. The dispatcher decides.
			return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "http " + fmt.Sprint(resp.StatusCode), Reason: "unreadable response: " + snippet(body), Err: rerr}
		}
		return notify.Receipt{}, statusError(resp, body, a.now())
	}
	if r.Code == "OK" {
		return notify.Receipt{ProviderID: r.BizId, Gateway: cmp.Or(a.Name, "aliyun")}, nil
	}
	e := &notify.SendError{Retryable: AliyunRetryable(r.Code, resp.StatusCode), Code: r.Code, Reason: r.Message}
	if r.RequestId != "" {
		e.Reason += " (RequestId " + r.RequestId + ")"
	}
	if e.Retryable {
		e.RetryAfter = aliyunRetryAfter(r.Code, a.now())
		if h := retryAfter(resp.Header.Get("Retry-After"), a.now()); h > 0 {
			e.RetryAfter = h
		}
	}
	return notify.Receipt{}, e
}

// templateParam returns o's approved template and its TemplateParam JSON,
// or every reason it cannot be sent.
func (a *Aliyun) templateParam(o notify.Outgoing) (AliyunTemplate, string, error) {
	tmpl, ok := a.Templates[o.Template]
	if !ok || tmpl.Code == "" {
		return tmpl, "", fmt.Errorf("%w: %q", ErrTemplateNotMapped, o.Template)
	}
	var errs []error
	if n := utf8.RuneCountInString(o.IdempotencyKey); n > aliyunMaxOutID {
		errs = append(errs, fmt.Errorf("%w: %d characters, at most %d", ErrOutIDTooLong, n, aliyunMaxOutID))
	}
	names := make([]string, 0, len(tmpl.Params))
	for p := range tmpl.Params {
		names = append(names, p)
	}
	sort.Strings(names) // so errors come in a stable order
	values := make(map[string]string, len(names))
	for _, p := range names {
		v := tmpl.Params[p]
		val, ok := o.Params[v]
		if !ok {
			errs = append(errs, &ParamError{Template: o.Template, Param: p, Var: v})
			continue
		}
		limit := AliyunDefaultMaxLen
		if m, ok := tmpl.MaxLen[p]; ok && m > 0 {
			limit = m
		}
		if n := utf8.RuneCountInString(val); n > limit {
			errs = append(errs, &ParamError{Template: o.Template, Param: p, Var: v, Len: n, Max: limit})
			continue
		}
		values[p] = val
	}
	if err := errors.Join(errs...); err != nil {
		return tmpl, "", err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(values); err != nil {
		return tmpl, "", err
	}
	return tmpl, strings.TrimSuffix(b.String(), "\n"), nil
}

// AliyunRetryable reports whether an Alibaba Cloud error code means the
// same SendSms may succeed later (or through another gateway): throttling
// and flow control, server-side failures, a used nonce, and the account's
// daily or monthly quota or balance. Codes about the message itself (an
// illegal number, a missing variable, an unapproved template or signature,
// blacklisting) and about credentials are permanent. A code not known here
// is retryable only if the HTTP status was 5xx.
func AliyunRetryable(code string, httpStatus int) bool {
	switch code {
	case "isv.BUSINESS_LIMIT_CONTROL", // flow control per number
		"isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL", // the account's own quotas
		"isv.OUT_OF_SERVICE", "isv.AMOUNT_NOT_ENOUGH", // balance
		"isp.SYSTEM_ERROR", "InternalError", "ServiceUnavailable",
		"SignatureNonceUsed":
		return true
	case "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT",
		"isv.TEMPLATE_MISSING_PARAMETERS", "isv.TEMPLATE_PARAMS_ILLEGAL",
		"isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
		"isv.SMS_SIGNATURE_SCENE_ILLEGAL", "isv.SIGN_STATE_ILLEGAL", "isv.SMS_SIGN_ILLEGAL",
		"isv.INVALID_PARAMETERS", "isv.INVALID_JSON_PARAM",
		"isv.PARAM_LENGTH_LIMIT", "isv.PARAM_NOT_SUPPORT_URL",
		"isv.BLACK_KEY_CONTROL_LIMIT", "isv.SMS_CONTENT_ILLEGAL",
		"isv.DENY_IP_RANGE", "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
		"isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL",
		"isv.PRODUCT_UN_SUBSCRIPT", "isv.PRODUCT_UNSUBSCRIBE",
		"isp.RAM_PERMISSION_DENY", "SignatureDoesNotMatch",
		"InvalidAccessKeyId.NotFound", "InvalidTimeStamp.Expired":
		return false
	}
	if strings.HasPrefix(code, "Throttling") {
		return true
	}
	return httpStatus >= 500
}

// aliyunRetryAfter is the hint for a retryable code: a quota resets at the
// next day or month in China Standard Time.
func aliyunRetryAfter(code string, now time.Time) time.Duration {
	cst := now.In(chinaTime)
	var next time.Time
	switch code {
	case "isv.DAY_LIMIT_CONTROL":
		next = time.Date(cst.Year(), cst.Month(), cst.Day()+1, 0, 0, 0, 0, chinaTime)
	case "isv.MONTH_LIMIT_CONTROL":
		next = time.Date(cst.Year(), cst.Month()+1, 1, 0, 0, 0, 0, chinaTime)
	default:
		return 0
	}
	return next.Sub(now)
}

// chinaTime is China Standard Time, UTC+8 without DST since 1991.
var chinaTime = time.FixedZone("CST", 8*60*60)

func (a *Aliyun) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

func (a *Aliyun) nonce() string {
	if a.Nonce != nil {
		return a.Nonce()
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
